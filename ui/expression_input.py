"""The function box every page shares: text in, validated SymPy expression out, errors shown in place."""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st
import sympy

from calc_core.errors import ExpressionError
from calc_core.parser import parse_expression, parse_with_notes
from calc_core.service import describe_expression
from ui.errors import code_span, show_error
from ui.i18n import t
from ui.inputs import url_text_box


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
    forget_text_of_another_page(url_key, default, variables)
    text = url_text_box(
        url_key, t(label_key), default, placeholder=t("input.placeholder"), help=t("input.help_tooltip")
    )
    expression_help()
    try:
        expr, notes = parse_with_notes(text or "", variables)
    except ExpressionError as err:
        show_error(err, text or "")
        return None
    if show_understood:
        show_understood_expression(expr, url_key, variables)
    show_reading_notes(notes)
    return expr


def show_reading_notes(notes: list[dict]) -> None:
    """One line per reading that could have been another (1e-3 is 0.001, not 1·e − 3), with what to type
    for the other one (calc_core.parser.parse_with_notes).

    The one place every box where a student types maths shows these lines: the function boxes of every
    page (through :func:`show_reading_notes_of` where the box parses its text its own way), the chain
    rule's boxes, and the answer boxes (with the notes the answer checker returns in its verdict).
    """
    for note in notes:
        values = {name: code_span(value) for name, value in note.items() if name != "code"}
        st.caption(t(f"input.understood_{note['code']}", **values))


def show_reading_notes_of(text: str, variables: tuple[str, ...]) -> None:
    """The reading notes of ``text`` in a box of ``variables``, for a box that parsed it its own way; a text
    that does not parse has none (the box shows its error itself)."""
    show_reading_notes(list(reading_notes(text or "", tuple(variables))))


@functools.lru_cache(maxsize=1024)
def reading_notes(text: str, variables: tuple[str, ...]) -> tuple[dict, ...]:
    """The parser's notes on ``text`` (cached: a rerun reads every box again); none when it is refused.

    >>> [note["code"] for note in reading_notes("1e-3x + sin⁻¹(x)", ("x",))], reading_notes("2e", ("x",))
    (['scientific', 'inverse'], ())
    """
    try:
        return tuple(parse_with_notes(text, variables)[1])
    except ExpressionError:
        return ()


_VARIABLES_SEEN = "_expression_box_variables"  # session key: {box key: the variables it was last drawn with}


def forget_text_of_another_page(
    key: str, default: str, variables: tuple[str, ...], read: Callable[[str], object] | None = None
) -> None:
    """Start the box at ``default`` when its text came from another page and means nothing here.

    Pages share box keys (``f`` is the URL name everywhere), so Streamlit carries a box's text from page to
    page. ``x1^2 + x2^2`` typed on the partials page would greet the reader of the limits page with an
    error they did not make. Text that still parses here (``x^2`` from home to rules) is kept; text typed
    on this page, or arriving in a link, is never replaced, since it was last drawn with these variables.
    ``read`` is how the box reads its text (by default, the parser with ``variables``).
    """
    seen = st.session_state.setdefault(_VARIABLES_SEEN, {})
    previous, seen[key] = seen.get(key), variables
    if previous in (None, variables) or key not in st.session_state:
        return
    try:
        (read or (lambda text: parse_expression(text, variables)))(st.session_state[key] or "")
    except ExpressionError:
        st.session_state[key] = default


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
