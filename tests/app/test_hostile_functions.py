"""A hostile function text in a link, on every page that reads ``?f=``: refused with the parser's message in
the reader's language, never run, no invisible character on the page, and what needs no f still there.

One test for the pages that used to carry a copy each (limits, rules, partials, gradient); the chain-rule
page, with a text box per function, has its own (tests/app/test_chain_rule_page.py), and the home page the
longer list (tests/app/test_app.py).
"""

from __future__ import annotations

import pytest

from calc_core.errors import ExpressionError
from calc_core.multivariate import detect_variables
from tests.app.helpers import (
    HOSTILE_FUNCTIONS,
    INVISIBLE,
    charts,
    error_code_of,
    headings,
    hostile_case,
    literal_fragment,
    page_spec,
    run_page,
)
from tests.app.landing import make_landing_page
from ui.i18n import LANGUAGES, translate


def multivariate_error(text: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as raised:
        detect_variables(text)
    return raised.value


def limits_rest(at, language, text) -> None:
    assert len(at.error) == 1
    assert not at.get("vega_lite_chart")[:-1]  # only the polygon chart, which needs no f
    assert translate(language, "limits.exhaustion_title") in headings(at)


def rules_rest(at, language, text) -> None:
    d2l = translate(language, "rules.tangent_sentence", x0="1", f_x0="−1", k="2", line="2x − 3")
    assert d2l in [element.value for element in at.success]
    assert not charts(at)


def partials_rest(at, language, text) -> None:
    assert len(at.error) == 1
    assert not at.get("vega_lite_chart") and not at.get("image")
    assert translate(language, "partials.next_title") in headings(at)


def gradient_rest(at, language, text) -> None:
    assert len(at.error) == 1
    assert not at.get("vega_lite_chart")
    lab = run_page("gradient", lang=language, f=text, part="lab")  # the parts that need no f still work
    assert translate(language, "gradient.lab_title") in headings(lab)
    assert lab.success and not lab.error


# page → (how the page parses f, what must still be on the page)
PAGES_WITH_F = {
    "limits": (error_code_of, limits_rest),
    "rules": (error_code_of, rules_rest),
    "partials": (multivariate_error, partials_rest),
    "gradient": (multivariate_error, gradient_rest),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", HOSTILE_FUNCTIONS, ids=lambda text: repr(text[:24]))
@pytest.mark.parametrize("key", PAGES_WITH_F)
def test_hostile_function_in_the_url_gets_its_message(key, template, language, tmp_path, monkeypatch):
    make_landing_page(monkeypatch, page_spec(key))
    parse, rest_of_page = PAGES_WITH_F[key]
    text, marker = hostile_case(template, tmp_path)
    err = parse(text)

    at = run_page(key, lang=language, f=text)

    assert not marker.exists()
    fragment = literal_fragment(language, f"error.{err.code}")
    assert [alert.value for alert in at.error if fragment in alert.value], [alert.value for alert in at.error]
    assert not any(char in alert.value for alert in [*at.error, *at.code] for char in INVISIBLE)
    rest_of_page(at, language, text)
