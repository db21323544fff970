"""A function box's text travels with the reader from page to page (the pages share the key ``f``), but only
where it means something: text written in another page's variables starts that page at its default."""

from __future__ import annotations

import pytest

from tests.app.helpers import assert_no_exception, run_app
from ui.navigation import PAGES

SCRIPTS = {spec.key: spec.script for spec in PAGES}


def go(at, page_key: str):
    at.switch_page(SCRIPTS[page_key]).run()
    assert_no_exception(at)
    return at


def type_function(at, text: str):
    at.text_input(key="f").set_value(text).run()
    assert_no_exception(at)
    assert not at.error, [error.value for error in at.error]


@pytest.mark.parametrize(
    ("typed_on", "text", "opened", "default"),
    [
        ("partials", "x1^2 + x2^2", "limits", "3x^2 - 4x"),
        ("partials", "x1^2 + x2^2", "rules", "3x^2 - 4x"),
        ("chain_rule", "cos(u)", "home", "3x^2 - 4x"),
    ],
)
def test_text_in_another_pages_variables_starts_the_page_at_its_default(typed_on, text, opened, default):
    at = go(run_app(lang="en"), typed_on)
    type_function(at, text)
    go(at, opened)
    assert at.text_input(key="f").value == default
    assert not at.error


def test_text_that_means_something_here_comes_along():
    at = go(run_app(lang="en"), "rules")
    type_function(at, "x^3")
    go(at, "limits")
    assert at.text_input(key="f").value == "x^3"
    assert not at.error


def test_a_mistake_typed_on_this_page_is_still_shown():
    at = go(run_app(lang="en"), "limits")
    at.text_input(key="f").set_value("x1^2").run()
    assert at.error
