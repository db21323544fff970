"""Hand-checked derivatives: what a student types, and the derivative worked out by hand.

The table itself is data, in derivative_table.toml beside this file (one section per rule, a row per
case); this module reads it into :class:`DerivativeCase` rows. Each case names the rule it is there to show
(it must appear in the step tree). The expected text is parsed with the app's own parser, then checked twice
in tests/unit/test_steps.py: against the step engine, and against ``sympy.diff`` (so that a slip in this
table is caught, not trusted).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

TABLE_FILE = Path(__file__).with_name("derivative_table.toml")


@dataclass(frozen=True)
class DerivativeCase:
    text: str  # as a student types it
    expected: str  # d(text)/d(var), worked out by hand
    rule: str  # a rule id the step tree must use
    var: str = "x"
    variables: tuple[str, ...] = ("x",)


def read_table(path: Path = TABLE_FILE) -> tuple[DerivativeCase, ...]:
    """The cases of the TOML table: rows ``[typed, expected]``, with ``"x y"`` (variables) and a variable."""
    sections = tomllib.loads(path.read_text(encoding="utf-8"))["section"]
    return tuple(
        DerivativeCase(text, expected, section["rule"], *options[1:], variables=_variables(options))
        for section in sections
        for text, expected, *options in section["rows"]
    )


def _variables(options: list[str]) -> tuple[str, ...]:
    return tuple(options[0].split()) if options else ("x",)


TABLE = read_table()
