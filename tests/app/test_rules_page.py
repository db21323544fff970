"""The rules page in AppTest: D2L's numbers, the URL contract, the steps, verdicts, and hostile text."""

from __future__ import annotations

import base64
import json
import string

import pytest

from calc_core.steps import RULES
from tests.app.helpers import (
    assert_no_exception,
    assert_title_in,
    charts,
    formulas,
    headings,
    landing,
    literal_fragment,
    run_page,
)
from tests.vega_expressions import walk
from ui.i18n import LANGUAGES, load_catalogue, translate
from viz.tangent_chart import TANGENT_PARAM

TIMEOUT = 60  # the first run in a process starts the workers and draws D2L's figure


landing_page = landing("rules")  # every test opens the app at this page, as a shared link does


def run_rules(timeout: float = TIMEOUT, **query_params):
    return run_page("rules", timeout=timeout, **query_params)


def markdown_text(at) -> str:
    return "\n".join(element.value for element in [*at.markdown, *at.caption, *at.success])


def all_formulas(at) -> list[str]:
    """Every formula on the page: st.latex elements, and the $$ … $$ blocks inside Markdown."""
    return formulas(at, markdown=True)


def tangent_sentence(language: str, x0: str, f_x0: str, k: str, line: str) -> str:
    return translate(language, "rules.tangent_sentence", x0=x0, f_x0=f_x0, k=k, line=line)


def sentences(at) -> list[str]:
    return [element.value for element in [*at.markdown, *at.success]]


def has_tangent_sentence(at, language: str) -> bool:
    """Whether the explorer states a tangent (D2L's own sentence, in st.success, does not count)."""
    template = load_catalogue(language)["rules.tangent_sentence"]
    pieces = [literal.strip() for literal, _, _, _ in string.Formatter().parse(template) if literal.strip()]
    return any(all(piece in element.value for piece in pieces) for element in at.markdown)


# --- D2L's example ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_d2l_numbers_appear_exactly(language):
    at = run_rules(lang=language)
    shown = all_formulas(at)
    assert r"f'(x) = 3\frac{d}{dx}x^{2} - 4\frac{d}{dx}x = 6x - 4" in shown
    assert r"f'(1) = 6 \cdot 1 - 4 = 2" in shown
    assert "k = f'(1) = 2" in shown
    assert any(r"\left(1,\ -1\right)" in formula and "= -1" in formula for formula in shown)
    assert any(formula.endswith("b = -3") for formula in shown)
    assert "y = 2x - 3" in shown
    d2l = tangent_sentence(language, "1", "−1", "2", "2x − 3")
    assert d2l in [element.value for element in at.success]
    assert translate(language, "rules.d2l_title") in headings(at)
    assert_title_in(at, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_d2l_figure_is_an_svg_image_with_the_translated_legend(language):
    at = run_rules(lang=language)
    [image] = at.get("image")
    [shown] = image.proto.imgs
    assert shown.url.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(shown.url.split(",", 1)[1]).decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert shown.caption == translate(language, "rules.d2l_figure_caption")


def test_notation_equivalences():
    at = run_rules(lang="en")
    assert r"f'(x) = y' = \frac{dy}{dx} = \frac{df}{dx} = \frac{d}{dx} f(x) = Df(x) = D_x f(x)" in formulas(
        at
    )


# --- the explorer: URL, numbers, chart -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_default_explorer_is_d2l_function_at_one(language):
    at = run_rules(lang=language)
    assert at.text_input(key="f").value == "3x^2 - 4x"
    assert at.number_input(key="x0").value == 1.0
    assert tangent_sentence(language, "1", "−1", "2", "2x − 3") in sentences(at)
    shown = all_formulas(at)
    assert "f'(x) = 6 x - 4" in shown
    assert "y = 2 x - 3" in shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_url_function_and_point_are_honoured(language):
    at = run_rules(lang=language, f="x^3 - 1/x", x0="1")
    assert at.text_input(key="f").value == "x^3 - 1/x"
    assert at.number_input(key="x0").value == 1.0
    assert tangent_sentence(language, "1", "0", "4", "4x − 4") in sentences(at)  # D2L's exercise 1
    assert "y = 4 x - 4" in all_formulas(at)
    assert at.query_params["f"] == "x^3 - 1/x"


def test_transcendental_tangent_is_exact_in_the_derivation_and_rounded_in_the_sentence():
    at = run_rules(lang="en", f="sin(x)", x0="0.5")
    assert any(
        formula == r"k = f'(\frac{1}{2}) = \cos{\left(\frac{1}{2} \right)}" for formula in all_formulas(at)
    )
    assert tangent_sentence("en", "0.5", "0.479426", "0.877583", "0.877583x + 0.0406343") in sentences(at)


def test_chart_has_the_slider_and_f_prime_panel_at_x0():
    at = run_rules(lang="en", f="x^2", x0="0.5")
    [spec] = charts(at)
    [param] = [node for node in walk(spec) if node.get("name") == TANGENT_PARAM and "select" in node]
    assert param["bind"]["input"] == "range"
    assert param["value"] == [{"x": 0.5}]
    assert len(spec["vconcat"]) == 3


@pytest.mark.parametrize("word", ["true", "1", "yes", "ON"])
def test_second_derivative_on_request_from_the_url(word):
    at = run_rules(lang="en", f="x^3", f2=word)
    assert at.toggle(key="f2").value is True
    [spec] = charts(at)
    assert len(spec["vconcat"]) == 4


@pytest.mark.parametrize("word", ["0", "no", "false"])
def test_second_derivative_off_from_the_url(word):
    at = run_rules(lang="en", f="x^3", f2=word)
    assert at.toggle(key="f2").value is False


@pytest.mark.parametrize("language", LANGUAGES)
def test_chart_words_are_translated(language):
    at = run_rules(lang=language)
    [element] = at.get("vega_lite_chart")
    data = b"".join(dataset.data.data for dataset in element.proto.datasets)
    assert translate(language, "rules.chart_line").encode() in data
    spec_text = json.dumps(json.loads(element.proto.spec), ensure_ascii=False)
    assert translate(language, "rules.chart_tangent") in spec_text


# --- steps -----------------------------------------------------------------------------------------------


def test_every_rule_has_a_name_in_both_catalogues():
    for language in LANGUAGES:
        catalogue = load_catalogue(language)
        missing = [rule for rule in RULES if not catalogue.get(f"steps.{rule}", "").strip()]
        assert missing == [], language


@pytest.mark.parametrize("language", LANGUAGES)
def test_steps_are_numbered_with_rule_names_in_the_language(language):
    at = run_rules(lang=language, f="x^2 sin(x)", x0="1")
    text = markdown_text(at)
    assert f"**1** · {translate(language, 'steps.product')}" in text
    assert f"**1.1** · {translate(language, 'steps.power')}" in text
    assert f"**1.2** · {translate(language, 'steps.trig')}" in text
    other = "en" if language == "zh" else "zh"
    assert translate(other, "steps.product") not in text
    shown = all_formulas(at)
    assert any(r"\frac{d}{d x}\left(x^{2} \sin{\left(x \right)}\right) =" in formula for formula in shown)


def test_deeper_steps_sit_in_expanders_and_chain_steps_name_the_substitution():
    at = run_rules(lang="en", f="sin(x^2)/x", x0="1")
    expanders = [expander.label for expander in at.expander]
    assert translate("en", "steps.deeper", label="1.1", count=2) in expanders
    assert "let $u$ = $x^{2}$" in markdown_text(at)


def test_corners_of_abs_are_noted_in_the_steps():
    at = run_rules(lang="en", f="abs(x) + x", x0="1")
    assert translate("en", "steps.undefined_where", expression="$x$") in markdown_text(at)


def test_try_it_loads_an_example_into_the_explorer():
    at = run_rules(lang="en")
    at.button(key="rules_try_combining_quotient").click().run()
    assert_no_exception(at)
    assert at.text_input(key="f").value == "(x^2 + 1)/(x - 1)"
    assert at.number_input(key="x0").value == 2.0
    assert tangent_sentence("en", "2", "5", "−1", "−x + 7") in sentences(at)
    assert f"**1** · {translate('en', 'steps.quotient')}" in markdown_text(at)


# --- no tangent: the verdicts ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("f", "x0", "key"),
    [
        ("abs(x)", "0", "rules.verdict_one_sided_differ"),
        ("x^(1/3)", "0", "rules.verdict_vertical"),
        ("x^(2/3)", "0", "rules.verdict_cusp"),
        ("1/x", "0", "rules.verdict_not_in_domain"),
        ("log(x)", "-1", "rules.verdict_not_in_domain"),
        ("sqrt(x)", "0", "rules.verdict_one_side_undefined"),
    ],
)
def test_no_tangent_where_f_is_not_differentiable_or_not_defined(f, x0, key, language):
    at = run_rules(lang=language, f=f, x0=x0)
    warnings = [element.value for element in at.warning]
    assert any(literal_fragment(language, key) in warning for warning in warnings), warnings
    assert not has_tangent_sentence(at, language)
    x0_text = "−1" if x0 == "-1" else x0
    assert translate(language, "rules.no_tangent_sentence", x0=x0_text) in sentences(at)
    # D2L's tangent is the only line on the page: no derivation for the reader's function.
    assert [formula for formula in all_formulas(at) if formula.startswith("y = ")] == ["y = 2x - 3"]


def test_one_sided_slopes_are_stated():
    at = run_rules(lang="en", f="abs(x)", x0="0")
    expected = translate("en", "rules.verdict_one_sided_differ", x0="0", left="$-1$", right="$1$")
    assert expected in [element.value for element in at.warning]


# --- hostile input ---------------------------------------------------------------------------------------


@pytest.mark.timeout(90)
@pytest.mark.parametrize("language", LANGUAGES)
def test_valid_but_endless_function_times_out_with_a_message(language):
    at = run_rules(lang=language, f="sin(sin(3+exp(exp(exp(3)))))")
    [alert] = at.error
    assert literal_fragment(language, "error.timeout") in alert.value
    assert translate(language, "rules.cards_title") in headings(at)


# --- bad x0 in the URL -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("raw", ["abc", "nan", "inf", "-inf", "1e999", "5000"])
def test_bad_point_in_the_url_is_replaced_and_reported(raw, language):
    at = run_rules(lang=language, x0=raw)
    assert at.number_input(key="x0").value == 1.0
    fragment = literal_fragment(language, "rules.x0_ignored")
    assert any(fragment in warning.value for warning in at.warning)
    assert tangent_sentence(language, "1", "−1", "2", "2x − 3") in sentences(at)
