"""The home page's look at the reader's function: what was understood, its derivative, and its graph."""

from __future__ import annotations

import streamlit as st
import sympy

from calc_core.errors import ExpressionError
from calc_core.parser import format_expression, parse_expression
from calc_core.service import describe_expression, differentiate_expression, sample_expression
from ui.charts import show_chart
from ui.errors import show_error
from ui.i18n import t
from ui.settings import is_projector
from viz.function_plot import function_chart

PREVIEW_WINDOW = (-5, 5)


def show_function_preview(expr: sympy.Expr, name: str = "f", variables: tuple[str, ...] = ("x",)) -> None:
    """f(x) and f'(x) in LaTeX, then the graph of f; sandbox failures (a timeout) are shown, not raised."""
    var = variables[0]
    try:
        description = describe_expression(expr, variables)
        derivative = differentiate_expression(expr, variables, var)
        curve = sample_expression(expr, variables, var, *PREVIEW_WINDOW)
    except ExpressionError as err:
        show_error(err)
        return
    st.caption(t("input.understood"))
    st.latex(f"{name}({var}) = {description['latex']}")
    st.latex(f"{name}'({var}) = {derivative['latex']}")
    if curve.y_limits is None:
        st.info(t("home.preview_no_real_values", low=PREVIEW_WINDOW[0], high=PREVIEW_WINDOW[1]))
        return
    text = format_expression(expr)
    show_chart(
        _preview_chart, text, variables, f"{name}({var})", is_projector(), name=("home", "graph", text)
    )
    st.caption(t("home.preview_caption", low=PREVIEW_WINDOW[0], high=PREVIEW_WINDOW[1]))


def _preview_chart(text: str, variables: tuple[str, ...], label: str, projector: bool):
    var = variables[0]
    curve = sample_expression(parse_expression(text, variables), variables, var, *PREVIEW_WINDOW)
    return function_chart([(label, curve)], x_title=var, y_title=label, projector=projector)
