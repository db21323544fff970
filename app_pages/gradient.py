"""Gradients: ∇f as the vector of partial derivatives, its field and the directional derivative, gradient
descent (the bridge to training in deep learning), the identity lab with both layouts, exercises 2 and 3."""

import streamlit as st

from ui import gradient_arrow
from ui.i18n import t
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
DESCENT = r"\mathbf{x}_{k+1} = \mathbf{x}_k - \eta \, \nabla f(\mathbf{x}_k)"

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


def inputs():
    st.latex(GRADIENT)
    st.markdown(t("gradient.definition"))
    common.example_buttons(common.GRADIENT_EXAMPLES)
    return common.function_and_point(common.DEFAULT_GRADIENT_F, common.DEFAULT_GRADIENT_POINT)


def field(function, point, partials, grid) -> None:
    st.header(t("gradient.field_title"))
    if function.dimension != 2:
        st.info(t("gradient.no_picture", n=function.dimension), icon=":material/view_in_ar:")
        return
    st.markdown(t("gradient.field_body"))
    st.latex(DIRECTIONAL)
    st.markdown(t("gradient.directional_body"))
    gradient_arrow.guess(function, point, partials, grid)
    gradient.gradient_figure(function, point, partials, grid, gradient.angle_from_url())


@st.fragment
def descent(function) -> None:
    st.header(t("gradient.descent_title"))
    st.markdown(t("gradient.descent_body"))
    st.latex(DESCENT)
    if function.dimension != 2:
        st.info(t("gradient.descent_two_only", n=function.dimension), icon=":material/view_in_ar:")
        return
    start, lr, steps = gradient.descent_inputs(function.variables)
    gradient.descent_figure(function, start, lr, steps)
    st.markdown(t("gradient.descent_bridge"))


@st.fragment
def identity_lab() -> None:
    st.header(t("gradient.lab_title"))
    st.markdown(t("gradient.lab_body"))
    identity, layout, m, n, seed = lab.identity_inputs()
    lab.identity_check(identity, layout, m, n, seed)
    with st.expander(t("gradient.layout_title"), icon=":material/swap_horiz:"):
        st.markdown(t("gradient.layout_body"))


def exercises() -> None:
    st.header(t("gradient.exercises_title"))
    st.subheader(t("gradient.exercise2_title"))
    exercise_views.exercise2(then=lambda: go_to(PARTS[0].id))
    st.subheader(t("gradient.exercise3_title"))
    exercise_views.exercise3()


def function_parts(part: Part) -> None:
    """The parts about the typed function: its gradient and field, or gradient descent on it."""
    function, point = inputs()
    if function is None:
        return
    partials, grid = analysis.analyse(function, point, with_steps=False, grid=part.id == "field")
    if partials is None:
        return
    if part.id == "field":
        st.header(t("gradient.vector_title"))
        gradient.gradient_vector(function, partials)
        field(function, point, partials, grid)
    else:
        descent(function)


st.title(t("gradient.title"))
st.markdown(t("gradient.intro"))
part = choose_part(PARTS)
if part.id in ("field", "descent"):
    function_parts(part)
elif part.id == "lab":
    identity_lab()
else:
    exercises()
next_part_button(PARTS, part)
st.header(t("gradient.summary_title"))
st.markdown(t("gradient.summary_body"))
