"""Partial derivatives: slices of a surface, the steps with ∂ (the other variables held constant), D2L's
notation and the limit definition checked numerically, one variable at a time."""

import streamlit as st

from ui.checkpoint import checkpoint
from ui.i18n import t
from ui.lesson_header import introduction, is_first_screen, lesson_title
from ui.views.multivariate import analysis, common
from ui.views.multivariate import partials as view

DEFINITION = (
    r"\frac{\partial y}{\partial x_i} = \lim_{h \to 0} "
    r"\frac{f(x_1, \ldots, x_{i-1}, x_i + h, x_{i+1}, \ldots, x_n) - f(x_1, \ldots, x_i, \ldots, x_n)}{h}"
)


def definition() -> None:
    st.latex(DEFINITION)
    st.markdown(t("partials.definition"))


def pictures(function, point, partials, grid) -> None:
    st.header(t("partials.picture_title"))
    if not common.drawn_in_the_plane(function, "partials.no_picture"):
        return
    st.markdown(t("partials.picture_body"))
    view.surface_and_slices(function, point, partials, grid)


def symbolic(function, partials) -> None:
    st.header(t("partials.symbolic_title"))
    st.markdown(t("partials.symbolic_body"))
    view.partial_tabs(function, partials)


def limit_definition(function, partials) -> None:
    st.header(t("partials.limit_title"))
    st.markdown(t("partials.limit_body"))
    view.quotient_table(function, partials)


def notation(function, partials) -> None:
    st.header(t("partials.notation_title"))
    view.notation(function, partials)
    st.markdown(t("partials.notation_body"))


lesson_title(t("partials.title"), "partials")
with introduction():
    st.markdown(t("partials.intro"))
    if is_first_screen():
        definition()
function, point = common.lesson_inputs(
    definition, common.PARTIALS_EXAMPLES, common.DEFAULT_PARTIALS_F, common.DEFAULT_POINT
)
partials, grid = analysis.analyse(function, point, surface=True) if function is not None else (None, None)
if not is_first_screen():
    notation(function, partials)
if function is not None and partials is not None:
    view.values_question(function, point)  # in predict mode: the class guesses the values first
    pictures(function, point, partials, grid)
if is_first_screen():  # projector: the surface first, then the examples and the notation
    common.example_buttons(common.PARTIALS_EXAMPLES)
    notation(function, partials)
if function is not None and partials is not None:
    symbolic(function, partials)
    limit_definition(function, partials)
checkpoint("partials")
st.header(t("partials.next_title"))
st.markdown(t("partials.next_body"))
