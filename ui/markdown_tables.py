"""Small tables as Markdown: far cheaper on a rerun than st.table, and no pandas frame behind them.

Cells are the app's own text, numbers and LaTeX, never a reader's input, with | escaped so that no cell can
split the row.
"""

from __future__ import annotations


def markdown_table(columns: dict[str, list[str]]) -> str:
    """The columns as a Markdown table, a header row and one row per entry.

    >>> print(markdown_table({"English": ["derivative"], "中文": ["导数"]}))
    | English | 中文 |
    |---|---|
    | derivative | 导数 |
    """
    headers = list(columns)
    rows = zip(*columns.values(), strict=True)
    lines = [
        "| " + " | ".join(_cell(h) for h in headers) + " |",
        "|" + "---|" * len(headers),
        *("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows),
    ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
