"""The home page's look at the reader's function: what was understood, its derivative, and its graph."""

from __future__ import annotations

import streamlit as st
import sympy

from calc_core.errors import ExpressionError
from calc_core.service import describe_expression, differentiate_expression, sample_expression
from ui.errors import show_error
from ui.i18n import t
from ui.settings import is_projector
from viz.function_plot import function_chart

PREVIEW_WINDOW = (-5, 5)


def show_function_preview(expr: sympy.Expr, name: str = "f", variables: tuple[str, ...] = ("x",)) -> None:
    """f(x) and f'(x) in LaTeX, then both drawn; sandbox failures (a timeout, say) are shown, not raised."""
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
    chart = function_chart(
        [(f"{name}({var})", curve)], x_title=var, y_title=f"{name}({var})", projector=is_projector()
    )
    st.altair_chart(chart, use_container_width=True)
    st.caption(t("home.preview_caption", low=PREVIEW_WINDOW[0], high=PREVIEW_WINDOW[1]))
