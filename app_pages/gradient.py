"""Gradients: ∇f as the vector of partial derivatives, its field and the directional derivative, gradient
descent (the bridge to training in deep learning), the identity lab with both layouts, exercises 2 and 3."""

import streamlit as st

from ui import gradient_arrow
from ui.checkpoint import checkpoint
from ui.i18n import t
from ui.lesson_header import introduction, is_first_screen, lesson_title
from ui.sections import Part, choose_part, go_to, next_part_button
from ui.views.multivariate import analysis, common, gradient, lab
from ui.views.multivariate import exercises as exercise_views

GRADIENT = (
    r"\nabla_{\mathbf{x}} f(\mathbf{x}) = \left[\frac{\partial f(\mathbf{x})}{\partial x_1}, "
    r"\frac{\partial f(\mathbf{x})}{\partial x_2}, \ldots, "
    r"\frac{\partial f(\mathbf{x})}{\partial x_n}\right]^\top"
)
DIRECTIONAL = (
    r"D_{\mathbf{u}} f(\mathbf{x}) = \nabla f(\mathbf{x}) \cdot \mathbf{u} = "
    r"\|\nabla f(\mathbf{x})\| \cos\varphi, \qquad \mathbf{u} = (\cos\theta, \sin\theta)"
)
DESCENT = r"\mathbf{x}^{(k+1)} = \mathbf{x}^{(k)} - \eta \, \nabla f(\mathbf{x}^{(k)})"

PARTS = (
    Part("field", "gradient.part_field", (common.ANGLE_KEY,)),
    Part("descent", "gradient.part_descent", (common.START_KEY, common.LR_KEY, common.STEPS_KEY)),
    Part(
        "lab",
        "gradient.part_lab",
        (common.IDENTITY_KEY, common.LAYOUT_KEY, common.M_KEY, common.N_KEY, common.SEED_KEY),
    ),
    Part("exercises", "gradient.part_exercises"),
)


# x^T A x for a 2×2 matrix, written out: the worked case of the identity (A + A^T) x.
QUADRATIC_FORM_2X2 = (
    r"\begin{aligned}"
    r"\mathbf{x}^\top\mathbf{A}\mathbf{x} &= a_{11}x_1^2 + (a_{12} + a_{21})\,x_1x_2 + a_{22}x_2^2 \\"
    r"\nabla_{\mathbf{x}} \mathbf{x}^\top\mathbf{A}\mathbf{x} &= "
    r"\begin{bmatrix} 2a_{11}x_1 + (a_{12} + a_{21})\,x_2 \\"
    r" (a_{12} + a_{21})\,x_1 + 2a_{22}x_2 \end{bmatrix} \\"
    r"&= \begin{bmatrix} 2a_{11} & a_{12} + a_{21} \\ a_{21} + a_{12} & 2a_{22} \end{bmatrix}"
    r"\begin{bmatrix} x_1 \\ x_2 \end{bmatrix} = (\mathbf{A} + \mathbf{A}^\top)\,\mathbf{x}"
    r"\end{aligned}"
)


def definition() -> None:
    st.latex(GRADIENT)
    st.markdown(t("gradient.definition"))


def field(function, point, partials, grid) -> None:
    st.header(t("gradient.field_title"))
    if not common.drawn_in_the_plane(function, "gradient.no_picture"):
        return
    if is_first_screen():  # the figure right under the input, its explanation after it
        gradient.gradient_figure(function, point, partials, grid, gradient.angle_from_url())
    st.markdown(t("gradient.field_body"))
    st.latex(DIRECTIONAL)
    st.markdown(t("gradient.directional_body"))
    if not is_first_screen():
        # Each student's own guess first, then the field that answers it. On a projector the figure comes
        # first and the class predicts together (predict mode hides the arrow until Reveal).
        gradient_arrow.guess(function, point, partials, grid)
        gradient.gradient_figure(function, point, partials, grid, gradient.angle_from_url())


@st.fragment
def descent(function) -> None:
    first_screen = is_first_screen()
    if not first_screen:  # on the projector the part's name is in the switch above: the inputs come first
        st.header(t("gradient.descent_title"))
        st.markdown(t("gradient.descent_body"))
        st.latex(DESCENT)
    if not common.drawn_in_the_plane(function, "gradient.descent_two_only"):
        return
    start, lr, steps = gradient.descent_inputs(function.variables)
    gradient.descent_figure(function, start, lr, steps)
    if first_screen:  # the rule after the picture
        st.subheader(t("gradient.descent_title"))
        st.markdown(t("gradient.descent_body"))
        st.latex(DESCENT)
    st.markdown(t("gradient.descent_bridge"))


@st.fragment
def identity_lab() -> None:
    st.header(t("gradient.lab_title"))
    st.markdown(t("gradient.lab_body"))
    identity, layout, m, n, seed = lab.identity_inputs()
    st.caption(t(f"gradient.lab_sizes_{identity.lower()}"))
    lab.identity_check(identity, layout, m, n, seed)
    with st.expander(t("gradient.layout_title"), icon=":material/swap_horiz:"):
        st.markdown(t("gradient.layout_body"))
    with st.expander(t("gradient.quadratic_title"), icon=":material/function:"):
        st.markdown(t("gradient.quadratic_body"))
        st.latex(QUADRATIC_FORM_2X2)
        st.markdown(t("gradient.quadratic_after"))


def exercises() -> None:
    st.header(t("gradient.exercises_title"))
    st.subheader(t("gradient.exercise2_title"))
    exercise_views.exercise2(then=lambda: go_to(PARTS[0].id))
    st.subheader(t("gradient.exercise3_title"))
    exercise_views.exercise3()


def function_parts(part: Part) -> None:
    """The parts about the typed function: its gradient and field, or gradient descent on it."""
    function, point = common.lesson_inputs(
        definition, common.GRADIENT_EXAMPLES, common.DEFAULT_GRADIENT_F, common.DEFAULT_GRADIENT_POINT
    )
    partials, grid = (None, None)
    if function is not None:
        partials, grid = analysis.analyse(function, point, with_steps=False, grid=part.id == "field")
    if partials is None:
        if is_first_screen():
            common.example_buttons(common.GRADIENT_EXAMPLES)
        return
    if part.id == "field" and is_first_screen():  # projector: the field's picture first
        field(function, point, partials, grid)
        st.header(t("gradient.vector_title"))
        gradient.gradient_vector(function, partials)
    elif part.id == "field":
        st.header(t("gradient.vector_title"))
        gradient.gradient_vector(function, partials)
        field(function, point, partials, grid)
    else:
        descent(function)
    if is_first_screen():
        common.example_buttons(common.GRADIENT_EXAMPLES)


lesson_title(t("gradient.title"), "gradient")
with introduction():
    st.markdown(t("gradient.intro"))
    if is_first_screen():
        definition()
part = choose_part(PARTS)
if part.id in ("field", "descent"):
    function_parts(part)
elif part.id == "lab":
    identity_lab()
else:
    exercises()
next_part_button(PARTS, part)
checkpoint("gradient")
st.header(t("gradient.summary_title"))
st.markdown(t("gradient.summary_body"))
