"""The function box every page shares: text in, validated SymPy expression out, errors shown in place."""

from __future__ import annotations

import streamlit as st
import sympy

from calc_core.errors import ExpressionError
from ui.errors import show_error
from ui.i18n import t

try:
    from calc_core.parser import parse_expression
except ImportError:  # TODO(lead): remove this guard once calc_core/parser.py has landed.
    parse_expression = None


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
    if parse_expression is None:
        st.warning(t("input.parser_unavailable"))
        return None
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
    """``f(x) = …`` as LaTeX; safe because ``expr`` came out of the validating parser, not from user text."""
    st.caption(t("input.understood"))
    st.latex(f"{name}({', '.join(variables)}) = {sympy.latex(expr)}")


def expression_help() -> None:
    with st.expander(t("input.help_title"), icon=":material/help:"):
        st.markdown(t("input.help_body"))
