"""The function box says how it read a notation that could mean two things, and refuses what stays unclear,
in the reader's language (issue 13)."""

from __future__ import annotations

import pytest

from tests.app.helpers import PAGE_TIMEOUT, assert_no_exception, literal_fragment, page_spec, run_app
from tests.app.landing import make_landing_page
from ui.i18n import LANGUAGES


def captions(at) -> list[str]:
    return [element.value for element in at.caption]


@pytest.mark.parametrize("language", LANGUAGES)
def test_scientific_notation_is_said_under_the_box(language):
    at = run_app(lang=language, f="2.78e-3*x^2")
    assert_no_exception(at)
    fragment = literal_fragment(language, "input.understood_scientific")
    said = [text for text in captions(at) if fragment in text]
    assert len(said) == 1, captions(at)
    assert "`2.78e-3`" in said[0] and "`0.00278`" in said[0] and "`2.78*e - 3`" in said[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_inverse_superscript_is_said_under_the_box(language):
    at = run_app(lang=language, f="sin⁻¹(x)")
    assert_no_exception(at)
    said = [text for text in captions(at) if literal_fragment(language, "input.understood_inverse") in text]
    assert len(said) == 1 and "`asin(x)`" in said[0] and "`sin(x)^(-1)`" in said[0], captions(at)


def test_a_reading_with_no_other_has_no_note():
    at = run_app(lang="en", f="2e^x + |x|")
    assert_no_exception(at)
    notes = ("input.understood_scientific", "input.understood_inverse")
    assert not [text for text in captions(at) for key in notes if literal_fragment("en", key) in text]


@pytest.mark.parametrize(
    ("text", "key", "shown"),
    [
        ("12 3", "error.numbers_side_by_side", "`12*3`"),
        ("x +- 1", "error.plus_minus", "`+-`"),
        ("|x", "error.unmatched_bar", None),
        ("lg(27, 3)", "error.wrong_argument_count", "`log(27, 3)`"),
        ("sin^-2(x)", "error.ambiguous_function_power", "`sin(x)^(-2)`"),
        ("log_a(b)", "error.log_base_unknown", "`log_2(x)`"),
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refusal_says_what_to_type_in_the_readers_language(text, key, shown, language):
    at = run_app(lang=language, f=text)
    assert_no_exception(at)
    message = at.error[0].value
    assert literal_fragment(language, key) in message
    if shown:
        assert shown in message


# --- every other box where a student types maths shows the same notes (ui.expression_input)


def notes_said(at, language: str, code: str) -> list[str]:
    fragment = literal_fragment(language, f"input.understood_{code}")
    return [text for text in captions(at) if fragment in text]


def open_landing(monkeypatch, key: str, **query_params):
    make_landing_page(monkeypatch, page_spec(key))
    at = run_app(None, timeout=PAGE_TIMEOUT, **query_params)
    assert_no_exception(at)
    return at


# (page, the link's values, the text the note is about): each function box of each page, by its URL name.
FUNCTION_BOXES = [
    ("sketch", {"f": "2.5e-1x^2"}, "`2.5e-1`"),
    ("partials", {"f": "2.5e-1x1^2 + x2"}, "`2.5e-1`"),
    ("gradient", {"f": "x^2 + 2.5e-1y^2"}, "`2.5e-1`"),
    ("chain_rule", {"part": "one", "f": "sin(u)", "g": "2.5e-1x^2"}, "`2.5e-1`"),
    ("chain_rule", {"part": "one", "f": "sin(v)", "g": "v^2", "h": "2.5e-1x"}, "`2.5e-1`"),
    ("chain_rule", {"part": "graph", "expr": "2.5e-1x*y + sin(x)"}, "`2.5e-1`"),
]


@pytest.mark.parametrize(("key", "params", "typed"), FUNCTION_BOXES, ids=lambda v: str(v))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_function_box_says_how_it_read_scientific_notation(key, params, typed, language, monkeypatch):
    at = open_landing(monkeypatch, key, lang=language, **params)
    said = notes_said(at, language, "scientific")
    assert len(said) == 1 and typed in said[0] and "`0.25`" in said[0], captions(at)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chain_rules_outer_box_says_how_it_read_an_inverse(language, monkeypatch):
    at = open_landing(monkeypatch, "chain_rule", lang=language, part="one", f="sin⁻¹(u)", g="x/2")
    said = notes_said(at, language, "inverse")
    assert len(said) == 1 and "`asin(u)`" in said[0], captions(at)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_split_box_says_how_it_read_its_text(language, monkeypatch):
    at = open_landing(monkeypatch, "chain_rule", lang=language, part="one")
    assert not notes_said(at, language, "scientific")
    at.text_input(key="chain_composite").input("exp(1e-1x^2)").run()
    said = notes_said(at, language, "scientific")
    assert len(said) == 1 and "`1e-1`" in said[0] and "`0.1`" in said[0], captions(at)


ANSWER_BOXES = [
    # (page, the box's key, an answer with a notation to read, the note's kind, what the note quotes, the
    #  same answer without it)
    ("exercises", "ex1_answer", "y = 2x - 3e0", "scientific", "`3e0`", "y = 2x - 3"),
    ("limits", "checkpoint_limits_0", "sin⁻¹(1)*0 + 6", "inverse", "`asin(1)`", "6"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("page", "key", "typed", "kind", "quoted", "plain"), ANSWER_BOXES)
def test_an_answer_box_says_how_it_read_the_answer(
    language, page, key, typed, kind, quoted, plain, monkeypatch
):
    at = open_landing(monkeypatch, page, lang=language)
    at.text_input(key=key).input(typed).run()
    assert_no_exception(at)
    said = notes_said(at, language, kind)
    assert len(said) == 1 and quoted in said[0], captions(at)
    at.text_input(key=key).input(plain).run()
    assert not notes_said(at, language, kind)
