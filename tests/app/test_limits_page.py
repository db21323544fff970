"""The limits page in AppTest: D2L's table digit for digit, the 96-gon, the URL contract, hostile text."""

from __future__ import annotations

import json
import math

import pytest

from calc_core.limits import d2l_limit_table, format_d2l_row
from tests.app.helpers import (
    CJK,
    assert_no_exception,
    assert_title_in,
    chart_params,
    charts,
    formulas,
    headings,
    landing,
    literal_fragment,
    run_page,
    warnings,
)
from tests.app.markdown_tables import markdown_tables
from tests.unit.test_limits import D2L_LINES  # D2L's printed lines, the same for the page as for calc_core
from ui.i18n import LANGUAGES, translate
from ui.views.limits.derivative import SIDE_BY_SIDE_KEY

landing_page = landing("limits")  # every test opens the app at this page, as a shared link does


def table_texts(at) -> str:
    """Every table's cells: the Markdown tables, and the dataframes (in an opened expander)."""
    markdown = (" ".join(cells) for table in markdown_tables(at) for cells in [*table.values(), list(table)])
    return "\n".join([*markdown, *(frame.value.to_string() for frame in at.dataframe)])


def page_text(at) -> str:
    return "\n".join(element.value for element in [*at.markdown, *at.caption, *at.info, *at.warning])


def run_limits(**query_params):
    return run_page("limits", **query_params)


# --- the page in both languages ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_runs_with_every_section(language):
    at = run_limits(lang=language)
    assert_title_in(at, language, "limits.title")
    shown = headings(at)
    for key in ("numerical_title", "secant_title", "roundoff_title", "one_sided_title", "exhaustion_title"):
        assert translate(language, f"limits.{key}") in shown
    assert not at.error


@pytest.mark.parametrize("language", LANGUAGES)
def test_d2l_table_appears_digit_for_digit(language):
    at = run_limits(lang=language)
    assert at.code[0].value == "\n".join(D2L_LINES)
    assert at.code[0].language in (None, "", "plaintext")
    # f'(1) = 2, by SymPy's exact limit from both sides
    assert r"\lim_{h \to 0^{+}} \frac{f(1 + h) - f(1)}{h} = 2" in formulas(at)
    assert r"\lim_{h \to 0^{-}} \frac{f(1 + h) - f(1)}{h} = 2" in formulas(at)
    assert "2.0000300000155837" in table_texts(at)  # the last row's float64 value, in full


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_96_gon_and_archimedes_bounds(language):
    at = run_limits(lang=language)
    tables = table_texts(at)
    assert "3.13935" in tables and "3.14271" in tables and "3.14103" in tables
    *_, archimedes, chain = markdown_tables(at)
    rows = dict(zip(*chain.values(), strict=True))
    assert rows[translate(language, "limits.bound_inscribed_area_96")] == "3.13935"
    assert rows[translate(language, "limits.bound_circumscribed_half_perimeter_96")] == "3.14271"
    assert rows[translate(language, "limits.bound_inscribed_half_perimeter_96")] == "3.14103"
    assert r"3\tfrac{10}{71} = 3.140845\ldots < \pi < 3.142857\ldots = 3\tfrac{1}{7}" in formulas(at)
    assert next(iter(archimedes.values())) == ["6", "12", "24", "48", "96"]


def test_every_chart_moves_in_the_browser_and_has_a_description():
    at = run_limits(lang="en")
    params = chart_params(at)
    assert params["secant_k"]["bind"]["input"] == "range"
    assert params["polygon_n"]["bind"]["input"] == "range"
    assert params["polygon_n"]["bind"]["min"] == 3 and params["polygon_n"]["bind"]["max"] >= 1000
    elements = at.get("vega_lite_chart")
    assert len(elements) == 3  # secant, error against h, polygon (with its error chart)
    assert all(element.proto.alt for element in elements)
    text = page_text(at)
    assert (
        "With h = 1, where the slider starts, the secant's slope is 5; at h = 0.001 it is 2.003; "
        "the tangent's slope is 2."
    ) in text
    assert literal_fragment("en", "limits.roundoff_description") in text
    assert "At n = 6, where the slider starts" in text


def test_projector_mode_draws_larger_charts():
    normal = run_limits(lang="en")
    projector = run_limits(lang="zh", present="1")
    width = lambda at: max(spec["vconcat"][0]["width"] for spec in charts(at) if "vconcat" in spec)  # noqa: E731
    assert width(projector) > width(normal)
    assert CJK.search(page_text(projector))


# --- the URL contract ----------------------------------------------------------------------------------


def test_function_point_and_h_from_the_url():
    at = run_limits(lang="en", f="sin(x)", x0="0.5", h="1e-8")
    assert at.text_input(key="f").value == "sin(x)"
    assert at.number_input(key="x0").value == 0.5
    assert at.select_slider(key="h").value == "1e-8"
    expected = [format_d2l_row(row) for row in d2l_limit_table(math.sin, 0.5, 0.1, 8)]
    assert at.code[0].value.splitlines() == expected
    assert translate("en", "limits.d2l_format_note") in [caption.value for caption in at.caption]
    assert not warnings(at)


@pytest.mark.parametrize("n", ["3", "96", "1000"])
def test_polygon_sides_from_the_url(n):
    at = run_limits(lang="en", n=n)
    assert chart_params(at)["polygon_n"]["value"] == int(n)
    assert f"At n = {n}, " in page_text(at)
    assert not warnings(at)


@pytest.mark.parametrize("bad", ["abc", "nan", "inf", "-inf", "1e999", "5e6", "", "1,5"])
def test_a_bad_point_in_the_url_is_replaced_and_said(bad):
    at = run_limits(lang="en", x0=bad)
    assert at.number_input(key="x0").value == 1.0
    assert at.code[0].value == "\n".join(D2L_LINES)
    if bad:  # an empty value is no value
        assert any(literal_fragment("en", "limits.x0_ignored") in text for text in warnings(at))


@pytest.mark.parametrize(
    ("bad", "used", "key"),
    [
        ("abc", 6, "limits.n_ignored"),
        ("nan", 6, "limits.n_ignored"),
        ("inf", 6, "limits.n_ignored"),
        ("1e999", 6, "limits.n_ignored"),
        ("96.5", 6, "limits.n_ignored"),
        ("10**9", 6, "limits.n_ignored"),
        ("2", 3, "limits.n_clamped"),
        ("-7", 3, "limits.n_clamped"),
        ("1000000000", 1000, "limits.n_clamped"),
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_polygon_in_the_url_is_clamped_or_replaced_and_said(bad, used, key, language):
    at = run_limits(lang=language, n=bad)
    assert chart_params(at)["polygon_n"]["value"] == used
    assert any(literal_fragment(language, key) in text for text in warnings(at))
    assert at.query_params["n"] == str(used)


@pytest.mark.parametrize("bad", ["0.001", "1e-20", "abc"])
def test_a_bad_h_in_the_url_is_replaced_and_said(bad):
    at = run_limits(lang="en", h=bad)
    assert at.select_slider(key="h").value == "1e-5"
    assert any(literal_fragment("en", "limits.h_ignored") in text for text in warnings(at))


def test_a_huge_slope_still_gives_valid_json_for_the_browser():
    """(x+1)^1000 at 1: the secants' ends overflow to infinity, which JSON cannot carry."""
    at = run_limits(lang="en", f="(x+1)^1000")

    def refuse(constant):
        raise ValueError(f"{constant} in a chart spec")

    for element in at.get("vega_lite_chart"):
        json.loads(element.proto.spec, parse_constant=refuse)


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_an_expensive_function_ends_with_a_timeout_message():
    at = run_limits(lang="en", f="sin(sin(3+exp(exp(exp(3)))))")
    assert literal_fragment("en", "error.timeout") in "\n".join(element.value for element in at.error)
    assert translate("en", "limits.exact_failed") in [element.value for element in at.caption]
    assert translate("en", "limits.exhaustion_title") in headings(at)


# --- one-sided limits -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_abs_at_zero_is_not_differentiable(language):
    at = run_limits(lang=language, f="abs(x)", x0="0")
    message = translate(language, "limits.verdict_one_sided_differ", x0="0", left="$-1$", right="$1$")
    assert message in warnings(at)
    tables = {name: cells for table in markdown_tables(at) for name, cells in table.items()}
    left, right = (tables[translate(language, f"limits.col_{side}")] for side in ("left", "right"))
    assert set(left) == {"-1.0"}
    assert set(right) == {"1.0"}
    # no tangent to draw: the secant chart shows both one-sided secants instead
    assert any("left_defined" in json.dumps(spec) for spec in charts(at))


def test_a_jump_is_not_differentiable():
    at = run_limits(lang="en", f="acot(x)", x0="0")
    assert any(literal_fragment("en", "limits.verdict_discontinuous") in text for text in warnings(at))


def test_a_vertical_tangent_is_not_differentiable():
    at = run_limits(lang="en", f="cbrt(x)", x0="0")
    assert any(literal_fragment("en", "limits.verdict_infinite") in text for text in warnings(at))


def test_a_point_where_f_is_undefined_is_said():
    at = run_limits(lang="en", f="1/x", x0="0")
    assert any(literal_fragment("en", "limits.verdict_undefined") in text for text in warnings(at))
    assert translate("en", "limits.secant_no_point", x0="0") in [element.value for element in at.info]


def test_a_differentiable_point_says_so():
    at = run_limits(lang="en", f="x^3 - 1/x", x0="1")
    assert [element.value for element in at.success] == [
        translate("en", "limits.verdict_differentiable", x0="1", left="$4$", right="$4$")
    ]


# --- the round-off experiment -----------------------------------------------------------------------------


def test_a_parabola_starts_the_round_off_experiment_with_sin_and_says_why():
    at = run_limits(lang="en")
    assert at.segmented_control(key="limits_roundoff_function").value == "sin"
    infos = [element.value for element in at.info]
    assert translate("en", "limits.roundoff_preset_no_central_truncation") in infos
    at.segmented_control(key="limits_roundoff_function").set_value("f").run()
    assert_no_exception(at)
    assert translate("en", "limits.roundoff_no_central_truncation") in [element.value for element in at.info]


def test_a_function_with_curvature_keeps_its_own_round_off_experiment():
    at = run_limits(lang="en", f="exp(x)", x0="0.5")
    assert at.segmented_control(key="limits_roundoff_function").value == "f"
    assert not at.dataframe  # the table of the three schemes waits in its closed expander
    at.session_state[SIDE_BY_SIDE_KEY] = True  # the reader opens it
    at.run()
    side_by_side = at.dataframe[0].value
    assert len(side_by_side) == 16  # h = 1e-1 … 1e-16
    assert side_by_side.iloc[-1, 0] == "1e-16"


def test_examples_fill_in_the_function_and_the_point():
    at = run_limits(lang="en")
    at.pills(key="limits_example").set_value("limits.example_abs").run()
    assert_no_exception(at)
    assert at.text_input(key="f").value == "abs(x)"
    assert at.number_input(key="x0").value == 0.0
    assert any(literal_fragment("en", "limits.verdict_one_sided_differ") in text for text in warnings(at))
    assert at.pills(key="limits_example").value is None  # released, ready for the next pick
    at.pills(key="limits_example").set_value("limits.example_d2l").run()
    assert at.text_input(key="f").value == "3x^2 - 4x"
    assert at.code[0].value == "\n".join(D2L_LINES)


def test_a_warm_rerun_changes_nothing():
    at = run_limits(lang="en")
    before = [element.value for element in at.markdown]
    at.run()
    assert_no_exception(at)
    assert [element.value for element in at.markdown] == before
