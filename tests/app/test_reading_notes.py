"""The function box says how it read a notation that could mean two things, and refuses what stays unclear,
in the reader's language (issue 13)."""

from __future__ import annotations

import pytest

from tests.app.helpers import assert_no_exception, literal_fragment, run_app
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
