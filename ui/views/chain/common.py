"""What the chain-rule page's parts share: the language of this run, numbers and names in text and LaTeX,
the URL-bound formula and number boxes."""

from __future__ import annotations

import functools
import math
import threading

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.parser import parse_expression
from ui import format as fmt
from ui.errors import show_error
from ui.expression_input import forget_text_of_another_page, show_reading_notes_of
from ui.format import math_name, name_latex, name_text
from ui.i18n import current_language, translate
from ui.inputs import url_number_box, url_text_box

POINT_LIMIT = 1e6  # |x0| and every coordinate of a point


# Predict mode (ui/reveal.py): dy/dx at the point (one variable), each ∂y/∂xᵢ at the point (many variables,
# exercise 4), the final gradients of the graph. A new function or point asks again.
ONE_QUESTION, GRAPH_QUESTION = "chain_rule/one", "chain_rule/graph"


# --- small helpers ---------------------------------------------------------------------------------------

_run = threading.local()


def start_run() -> None:
    """Remember the reader's language for this run of the page (the page script calls it first).

    ``t`` is called some two hundred times a run; reading the language from session state each time costs
    a few milliseconds of the rerun's budget. Each session's script runs in its own thread.
    """
    _run.language = current_language()


def t(key: str, **params) -> str:
    """ui.i18n.t, with the language remembered by :func:`start_run` (or looked up, outside a page run)."""
    language = getattr(_run, "language", None) or current_language()
    return translate(language, key, **params)


def number(value: float) -> str:
    """A number for a sentence: six significant digits; NaN as the word for undefined."""
    return fmt.number(value, signed_zero=True, undefined=t("chain_rule.undefined"))


def number_latex(value: float, grouped: bool = False) -> str:
    """A number in a formula; negative numbers in parentheses when ``grouped`` (inside a product)."""
    return fmt.number_latex(value, grouped=grouped, undefined=t("chain_rule.undefined"))


def partial(top: str, bottom: str) -> str:
    r"""∂top/∂bottom in LaTeX, from the app's own names.

    >>> partial("u", "a")
    '\\frac{\\partial u}{\\partial a}'
    """
    return rf"\frac{{\partial {name_latex(top)}}}{{\partial {name_latex(bottom)}}}"


def leibniz_sum(outer: str, outer_variables: tuple[str, ...], x: str) -> str:
    r"""The many-variable chain rule for one input, written out: ∂u/∂a = ∂u/∂x ∂x/∂a + ∂u/∂y ∂y/∂a + ….

    >>> print(leibniz_sum("u", ("x", "y"), "a"))
    \frac{\partial u}{\partial a} = \frac{\partial u}{\partial x} \frac{\partial x}{\partial a}
    + \frac{\partial u}{\partial y} \frac{\partial y}{\partial a}
    """
    terms = " + ".join(f"{partial(outer, u)} {partial(u, x)}" for u in outer_variables)
    return f"{partial(outer, x)} = {terms}"


def separator() -> str:
    return t("chain_rule.list_separator")


def url_int(raw: str) -> int | None:
    text = raw.strip()[:40]
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if math.isfinite(value) and value.is_integer() else None


@functools.lru_cache(maxsize=512)
def _parsed(text: str, variables: tuple[str, ...]):
    """The parser's tree for a box's text; cached, since a rerun parses every box again (a refusal is not)."""
    return parse_expression(text, variables)


def formula_box(key: str, default: str, variables: tuple[str, ...], label: str, example: str):
    """A text box bound to ``?{key}=``: the parsed expression, or None after showing why not."""
    forget_text_of_another_page(key, default, tuple(variables), lambda text: _parsed(text, tuple(variables)))
    text = url_text_box(
        key,
        label,
        default,
        placeholder=t("chain_rule.placeholder", example=example),
        help=t("chain_rule.box_help", variables=", ".join(name_text(v) for v in variables)),
    )
    try:
        expr = _parsed(text or "", tuple(variables))
    except ExpressionError as err:
        show_error(err, text or "")
        return None
    show_reading_notes_of(text or "", tuple(variables))
    return expr


def number_box(key: str, default: float, label: str) -> float:
    """A number box bound to ``?{key}=``; a URL value that is no usable number is replaced and reported."""
    value = url_number_box(
        key,
        label,
        default=float(default),
        low=-POINT_LIMIT,
        high=POINT_LIMIT,
        step=0.1,
        warning=lambda given, used: t(
            "chain_rule.number_ignored", given=given, used=number(used), limit=f"{POINT_LIMIT:g}"
        ),
    )
    return float(value)


def written_in(expr, own: str, name: str) -> str | None:
    """Which variable a function is written in: its own, or x (read as its own); None after a warning."""
    symbols = {symbol.name for symbol in expr.free_symbols}
    if own in symbols and "x" in symbols and own != "x":
        st.warning(t("chain_rule.mixed_variables", name=name, own=math_name(own)), icon=":material/warning:")
        return None
    return "x" if "x" in symbols else own
