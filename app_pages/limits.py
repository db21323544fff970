"""Limits: the derivative as a limit (D2L's experiment), what float64 gives, and the method of exhaustion."""

import streamlit as st

from ui.expression_input import expression_input
from ui.i18n import t
from ui.views.limits import common, derivative
from ui.views.limits import exhaustion as exhaustion_view

DERIVATIVE_AS_LIMIT = r"f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h} \qquad (2.4.1)"
POLYGON_LIMIT = (
    r"\lim_{n \to \infty} \frac{n}{2} \sin\frac{2\pi}{n} = \pi = \lim_{n \to \infty} n \tan\frac{\pi}{n}"
)


def inputs():
    common.examples()
    left, middle, right = st.columns([3, 1, 2])
    with left:
        expr = expression_input(url_key="f", default=common.DEFAULT_F)
    with middle:
        x0 = common.point_input()
    with right:
        rows = common.h_range_input()
    return expr, x0, rows


def numerical_limit(analysis, rows: int) -> None:
    st.header(t("limits.numerical_title"))
    st.markdown(t("limits.numerical_body", x0=common.number(analysis.x0)))
    st.code("\n".join(derivative.d2l_lines(analysis, rows)), language=None)
    st.caption(t("limits.d2l_code_caption"))
    if rows > common.D2L_FIRST_ROWS:
        st.caption(t("limits.d2l_format_note"))
    derivative.d2l_table(analysis, rows)
    derivative.exact_limits(analysis)


def secant_to_tangent(analysis) -> None:
    st.header(t("limits.secant_title"))
    st.markdown(t("limits.secant_body"))
    derivative.secant_figure(analysis)


def floating_point_truth(analysis) -> None:
    st.header(t("limits.roundoff_title"))
    st.markdown(t("limits.roundoff_body"))
    reason = derivative.roundoff_reason(analysis)
    preset = derivative.roundoff_choice(reason)
    if preset is not None and reason is not None:
        st.info(t(f"limits.roundoff_preset_{reason}"), icon=":material/info:")
    chosen = analysis if preset is None else common.analyse_text(*preset)
    if chosen is not None:
        derivative.error_figure(chosen)
    derivative.roundoff_explanation()


def one_sided(analysis) -> None:
    st.header(t("limits.one_sided_title"))
    st.markdown(t("limits.one_sided_body"))
    derivative.verdict_message(analysis)
    derivative.one_sided_tables(analysis)


def exhaustion() -> None:
    st.header(t("limits.exhaustion_title"))
    st.markdown(t("limits.exhaustion_body"))
    exhaustion_view.polygon_figure(exhaustion_view.polygon_sides())
    st.subheader(t("limits.archimedes_title"))
    st.markdown(t("limits.archimedes_body"))
    exhaustion_view.archimedes_table()
    exhaustion_view.archimedes_chain()
    st.subheader(t("limits.link_back_title"))
    st.latex(POLYGON_LIMIT)
    st.markdown(t("limits.link_back_body"))


@st.fragment
def the_readers_function() -> None:
    """Everything about f at x0. A fragment: a new f, x0 or h reruns this part alone, not the polygon below
    (every place that shows a revealed answer of predict mode is in here too)."""
    expr, x0, rows = inputs()
    analysis = common.analyse(expr, x0) if expr is not None else None
    if analysis is not None:
        numerical_limit(analysis, rows)
        secant_to_tangent(analysis)
        floating_point_truth(analysis)
        one_sided(analysis)


st.title(t("limits.title"))
st.markdown(t("limits.intro"))
st.latex(DERIVATIVE_AS_LIMIT)
st.markdown(t("limits.definition"))
the_readers_function()
exhaustion()
