"""Read the Markdown tables a page shows (ui.format writes them) back as columns of cell text."""

from __future__ import annotations

import re

_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def parse_markdown_table(text: str) -> dict[str, list[str]] | None:
    """The columns of a Markdown table, or None if ``text`` is not one (header, rule, rows)."""
    lines = text.strip().splitlines()
    if len(lines) < 2 or not lines[0].startswith("|") or not set(lines[1]) <= set("|-: "):
        return None
    headers, *rows = (
        [_cell(c) for c in _CELL_SPLIT.split(line.strip())[1:-1]] for line in (lines[0], *lines[2:])
    )
    return {header: [row[i] for row in rows] for i, header in enumerate(headers)}


def markdown_tables(at) -> list[dict[str, list[str]]]:
    """Every Markdown table on the page, in page order."""
    tables = (parse_markdown_table(element.value) for element in at.markdown)
    return [table for table in tables if table is not None]


def _cell(text: str) -> str:
    return text.strip().replace("\\|", "|")
