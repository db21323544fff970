"""How the views write numbers, names and small tables: one home for what each page used to define itself.

The formatting itself is pure and lives in ``viz.format`` (figures need it too, and viz may not import ui);
this module adds what needs the reader's language and Streamlit: the translated word for "undefined" and
tables written into the page.
"""

from __future__ import annotations

from collections.abc import Collection

import streamlit as st

from ui.i18n import t
from viz.format import MINUS, UNDEFINED, name_latex, name_text, number, number_latex, readout, subscript

__all__ = [
    "MINUS",
    "UNDEFINED",
    "markdown_table",
    "math_name",
    "name_latex",
    "name_text",
    "number",
    "number_latex",
    "number_table",
    "sentence_number",
    "subscript",
    "table",
    "undefined_word",
]


def undefined_word(key: str = "chain_rule.undefined") -> str:
    """The reader's word for an undefined value (where a page says it in words rather than "—")."""
    return t(key)


def sentence_number(value: float, digits: int = 3) -> str:
    """A measured number in a judgement (the sketch's, the gradient arrow's): up to ``digits`` significant
    digits, the true minus sign, and sizes below 1e-9 written 0.

    >>> sentence_number(-0.25), sentence_number(3e-12), sentence_number(12345.0)
    ('−0.25', '0', '1.23e+04')
    """
    return readout(value, digits, zero_below=1e-9)


def math_name(name: str) -> str:
    """A variable's name as inline Markdown maths.

    >>> math_name("x1")
    '$x_{1}$'
    """
    return f"${name_latex(name)}$"


def markdown_table(columns: dict[str, list[str]], right_aligned: Collection[str] = ()) -> str:
    """The columns as a Markdown table, a header row and one row per entry; the columns named in
    ``right_aligned`` (numbers, so that their digits line up) aligned right. Far cheaper on a rerun than
    st.table, and no pandas frame behind it. Cells are the app's own text, numbers and LaTeX, never a
    reader's input, with | escaped so that no cell can split the row.

    >>> print(markdown_table({"English": ["derivative"], "中文": ["导数"]}))
    | English | 中文 |
    |---|---|
    | derivative | 导数 |
    >>> print(markdown_table({"h": ["0.1"], "value": ["2.3"]}, right_aligned={"value"}))
    | h | value |
    |---|---:|
    | 0.1 | 2.3 |
    """
    headers = list(columns)
    rows = zip(*columns.values(), strict=True)
    lines = [
        "| " + " | ".join(_cell(h) for h in headers) + " |",
        "|" + "".join("---:|" if h in right_aligned else "---|" for h in headers),
        *("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows),
    ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def number_table(columns: dict[str, list[str]]) -> None:
    """Show a small table of numbers, every column but the first aligned right.

    Markdown rather than st.table: Streamlit's table converter imports pandas, ~300 ms of the first run
    after a server start, for a table that never changes in the browser.
    """
    st.markdown(markdown_table(columns, right_aligned=list(columns)[1:]))


def table(columns: dict[str, list[str]], before: str = "") -> None:
    """A small table as Markdown into the page, after the Markdown ``before``."""
    st.markdown((before + "\n\n" if before else "") + markdown_table(columns))
