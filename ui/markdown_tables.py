"""Small tables as Markdown: far cheaper on a rerun than st.table, and no pandas frame behind them.

Cells are the app's own text, numbers and LaTeX, never a reader's input, with | escaped so that no cell can
split the row.
"""

from __future__ import annotations

from collections.abc import Collection

import streamlit as st


def markdown_table(columns: dict[str, list[str]], right_aligned: Collection[str] = ()) -> str:
    """The columns as a Markdown table, a header row and one row per entry; the columns named in
    ``right_aligned`` (numbers, so that their digits line up) aligned right.

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


def number_table(columns: dict[str, list[str]]) -> None:
    """Show a small table of numbers, every column but the first aligned right.

    Markdown rather than st.table: Streamlit's table converter imports pandas, ~300 ms of the first run
    after a server start, for a table that never changes in the browser.
    """
    st.markdown(markdown_table(columns, right_aligned=list(columns)[1:]))


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
