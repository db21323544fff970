"""The function box every page shares: text in, validated SymPy expression out, errors shown in place."""

from __future__ import annotations

import streamlit as st
import sympy

from calc_core.errors import ExpressionError
from calc_core.parser import parse_expression
from calc_core.service import describe_expression
from ui.errors import show_error
from ui.i18n import t


def expression_input(
    url_key: str = "f",
    default: str = "3x^2 - 4x",
    variables: tuple[str, ...] = ("x",),
    label_key: str = "input.function_label",
    show_understood: bool = True,
) -> sympy.Expr | None:
    """A text box bound to ``?{url_key}=``; returns the parsed expression, or None after showing why not.

    The widget key is its URL name, so a shared link opens with the same function; a value from the URL
    goes through the same parser as one typed in. With ``show_understood``, the parsed expression is shown
    as LaTeX under the box (pages that draw their own preview pass False).
    """
    text = st.text_input(
        t(label_key),
        value=default,
        key=url_key,
        bind="query-params",
        placeholder=t("input.placeholder"),
        help=t("input.help_tooltip"),
    )
    expression_help()
    try:
        expr = parse_expression(text or "", variables)
    except ExpressionError as err:
        show_error(err, text or "")
        return None
    if show_understood:
        show_understood_expression(expr, url_key, variables)
    return expr


def show_understood_expression(
    expr: sympy.Expr, name: str = "f", variables: tuple[str, ...] = ("x",)
) -> None:
    """``f(x) = …`` as LaTeX, printed by the sandboxed worker (printing user input can be slow too)."""
    try:
        latex = describe_expression(expr, variables)["latex"]
    except ExpressionError as err:
        show_error(err)
        return
    st.caption(t("input.understood"))
    st.latex(f"{name}({', '.join(variables)}) = {latex}")


def expression_help() -> None:
    with st.expander(t("input.help_title"), icon=":material/help:"):
        st.markdown(t("input.help_body"))
