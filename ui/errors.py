"""Showing an ExpressionError: the translated message, where it happened, and the input with a pointer.

User text is never rendered as HTML or Markdown: parameters taken from the input are put inside Markdown code
spans, and the input itself is shown with st.code.
"""

from __future__ import annotations

import re
import unicodedata

import streamlit as st

from calc_core.errors import ExpressionError
from ui.i18n import current_language, placeholders, t

EXCERPT_RADIUS = 30  # characters shown on each side of the error in a long input
_MISSING = "…"
_INVISIBLE = "\N{REPLACEMENT CHARACTER}"
# Control, format (bidi overrides, zero-width), separator, private-use, surrogate and unassigned characters
# would be invisible or reorder the line; each is drawn as one visible character so the pointer stays aligned.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})
_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def error_message(err: ExpressionError) -> str:
    """The translated message for ``err`` (Markdown, without the position: see show_error for that)."""
    key = f"error.{err.code}"
    message = t(key, **_template_values(key, err.params))
    if err.params.get("suggestion") and "suggestion" not in placeholders(current_language(), key):
        # Chinese puts no space between sentences.
        separator = "" if current_language() == "zh" else " "
        message += separator + t("error.did_you_mean", suggestion=code_span(str(err.params["suggestion"])))
    return message


def show_error(err: ExpressionError, text: str | None = None) -> None:
    """An error alert for ``err``; with the input ``text``, also where the problem is, pointed at."""
    if err.code == "empty":
        st.info(error_message(err), icon=":material/edit:")
        return
    st.error(error_message(err), title=t("error.title"), icon=":material/error:")
    if text is not None and err.position is not None:
        st.caption(t("error.where", position=err.position + 1))
        st.code(pointer_lines(text, err.position), language=None, wrap_lines=False)


def pointer_lines(text: str, position: int) -> str:
    """The input (or an excerpt of a long one) and, under it, a caret at ``position``.

    Full-width ASCII from Chinese input methods is shown as its ASCII twin (what the parser reads, one
    character each), and the caret line is padded with an ideographic space under each remaining wide
    character, so the caret stays aligned whatever width the browser's fallback font gives CJK text.

    >>> print(pointer_lines("３ｘ + $", 5))
    3x + $
         ^
    """
    position = max(0, min(position, len(text)))
    start = max(0, position - EXCERPT_RADIUS)
    end = min(len(text), position + EXCERPT_RADIUS)
    before = ("…" if start > 0 else "") + _as_read(text[start:position])
    rest = _as_read(text[position:end]) + ("…" if end < len(text) else "")
    return f"{before}{rest}\n{_padding_under(before)}^"


def code_span(value: str) -> str:
    """``value`` as a Markdown code span, which shows it literally (no links, LaTeX, emoji or HTML)."""
    value = _visible(value)
    fence = "`" * (_longest_backtick_run(value) + 1)
    padding = " " if value.startswith("`") or value.endswith("`") or not value.strip() else ""
    return f"{fence}{padding}{value}{padding}{fence}"


def _longest_backtick_run(value: str) -> int:
    longest = current = 0
    for char in value:
        current = current + 1 if char == "`" else 0
        longest = max(longest, current)
    return longest


def _template_values(key: str, params: dict) -> dict[str, str]:
    """Every placeholder of the template, filled from params; text goes into code spans, numbers stay bare."""
    return {name: _template_value(params.get(name)) for name in placeholders(current_language(), key)}


def _template_value(value) -> str:
    if value is None:
        return _MISSING
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    is_number = isinstance(value, int) and not isinstance(value, bool)
    return text if is_number or _PLAIN_NUMBER.fullmatch(text) else code_span(text)


def _visible(text: str) -> str:
    return "".join(
        " " if char == "\t" else _INVISIBLE if unicodedata.category(char) in _INVISIBLE_CATEGORIES else char
        for char in text
    )


def _as_read(text: str) -> str:
    return _visible("".join(_half_width(char) for char in text))


def _half_width(char: str) -> str:
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    return " " if char == "\u3000" else char


def _padding_under(text: str) -> str:
    """Blank space as wide as ``text``: wide characters get an ideographic space, combining marks nothing."""
    return "".join(
        ""
        if unicodedata.combining(char)
        else "\u3000"
        if unicodedata.east_asian_width(char) in ("W", "F")
        else " "
        for char in text
    )
