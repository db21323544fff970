"""docs/input.md and docs/input.zh.md: every example in their tables is read as they say, or refused.

A row is ``| `typed` | `reading` | notes |`` (read so: the same function as the reading) or
``| `typed` | *refused* | … `what to type` … |`` (refused with an ExpressionError; every code span in the
notes is something to type, and parses).
"""

from __future__ import annotations

import re

import pytest
import sympy

from calc_core.errors import ExpressionError
from calc_core.parser import evaluated, parse_expression
from tests.conftest import PROJECT_ROOT

DOCS = {"en": PROJECT_ROOT / "docs" / "input.md", "zh": PROJECT_ROOT / "docs" / "input.zh.md"}
_CODE = re.compile(r"`([^`]+)`")


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row; ``\\|`` inside a cell is a literal bar."""
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def examples(language: str) -> list[tuple[str, str | None, list[str]]]:
    """(typed, reading or None when refused, code spans of the notes) for every example row."""
    rows = []
    for line in DOCS[language].read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        typed, reading, notes = _cells(line)
        reading_code = _CODE.fullmatch(reading)
        reading_text = reading_code.group(1) if reading_code else None
        rows.append((_CODE.fullmatch(typed).group(1), reading_text, _CODE.findall(notes)))
    return rows


def test_both_languages_show_the_same_examples():
    assert examples("en") == examples("zh")
    assert len(examples("en")) > 80


READ = [(typed, reading) for typed, reading, _ in examples("en") if reading is not None]
REFUSED = [(typed, notes) for typed, reading, notes in examples("en") if reading is None]


@pytest.mark.parametrize(("typed", "reading"), READ)
def test_each_example_is_read_as_the_docs_say(typed, reading):
    difference = evaluated(parse_expression(typed)) - evaluated(parse_expression(reading))
    assert sympy.simplify(difference) == 0


@pytest.mark.parametrize(("typed", "to_type"), REFUSED)
def test_each_refused_example_is_refused_and_what_to_type_parses(typed, to_type):
    with pytest.raises(ExpressionError):
        parse_expression(typed)
    for text in to_type:
        parse_expression(text)


def test_the_readme_links_the_docs():
    assert "docs/input.md" in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
