"""The partial derivatives page in AppTest: both languages, the URL contract, the steps with ∂, the slices
that move in the browser, the limit checked numerically, and hostile or broken links."""

from __future__ import annotations

import pytest

from tests.app.helpers import (
    assert_no_exception,
    assert_title_in,
    charts,
    formulas,
    headings,
    landing,
    literal_fragment,
    page_text,
    warnings,
)
from tests.app.helpers import run_page as open_page
from tests.app.markdown_tables import markdown_tables
from ui.i18n import LANGUAGES, translate
from viz.slice_charts import SLICE_X, SLICE_Y

landing_page = landing("partials")  # every test opens the app at this page, as a shared link does


def run_page(**query_params):
    return open_page("partials", **query_params)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_runs_with_every_section(language):
    at = run_page(lang=language)
    assert_title_in(at, language)
    shown = headings(at)
    for key in ("notation_title", "picture_title", "slices_title", "symbolic_title", "limit_title"):
        assert translate(language, f"partials.{key}") in shown
    assert not at.error and not warnings(at)
    assert len(at.get("vega_lite_chart")) == 1
    assert len(at.get("image")) == 1  # the 3D surface, a PNG
    assert at.text_input(key="f").value == "x1^2*x2 + sin(x2)"
    assert at.text_input(key="p").value == "1, 1"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_partial_derivative_with_its_steps_and_value(language):
    at = run_page(lang=language, f="x1^2*x2 + sin(x2)", p="1, 2")
    shown = formulas(at)
    assert any(text == r"\frac{\partial f}{\partial x_{1}} = 2 x_{1} x_{2}" for text in shown)
    assert any(
        text == r"\frac{\partial f}{\partial x_{2}} = x_{1}^{2} + \cos{\left(x_{2} \right)}" for text in shown
    )
    steps = page_text(at)  # each step's rule and application, in Markdown with LaTeX
    assert r"\frac{\partial}{\partial x_{1}}\left(x_{1}^{2} x_{2}\right)" in steps
    assert translate(language, "steps.constant_multiple") in steps
    assert translate(language, "partials.treat_constant", var="x₁", others="x₂") in page_text(at)
    assert translate(language, "partials.value_at", var="x₁", point="(1, 2)", value="4") in page_text(at)


def test_the_notation_list_of_d2l():
    at = run_page(lang="en")
    assert r"f_{x_i} = f_i = D_i f = D_{x_i} f" in formulas(at)[2]
    assert any(
        text.startswith(r"\frac{\partial f}{\partial x_{1}} = f_{x_{1}} = f_1") for text in formulas(at)
    )


def test_the_slices_move_in_the_browser_from_the_point_of_the_link():
    at = run_page(lang="en", p="0.5, -1")
    (spec,) = charts(at)
    params = {param["name"]: param for param in spec["params"]}
    assert params[SLICE_X]["value"] == 0.5 and params[SLICE_Y]["value"] == -1.0
    assert all(param["bind"]["input"] == "range" for param in params.values())
    assert "At (0.5, -1), f = " in page_text(at)


def test_projector_mode_draws_a_larger_chart():
    normal = charts(run_page(lang="en"))[0]
    projector = charts(run_page(lang="en", present="1"))[0]
    assert projector["vconcat"][0]["width"] > normal["vconcat"][0]["width"]


def test_the_limit_definition_is_checked_one_variable_at_a_time():
    at = run_page(lang="en", f="3*x1^2 + 5*exp(x2)", p="1, 0")
    (table,) = markdown_tables(at)
    text = " ".join(" ".join(cells) for cells in [list(table), *table.values()])
    assert "6.3" in text and "6.00003" in text and "exact (SymPy)" in text
    assert "approaching ∂f/∂x₁ = 6" in page_text(at)


def test_x_and_y_are_understood_too():
    at = run_page(lang="en", f="x^2 - y^2", p="1, 0.5")
    assert translate("en", "partials.understood", variables="x, y") in [c.value for c in at.caption]
    assert any(text == r"\frac{\partial f}{\partial y} = - 2 y" for text in formulas(at))


@pytest.mark.parametrize("language", LANGUAGES)
def test_three_variables_get_their_partials_without_a_picture(language):
    at = run_page(lang=language, f="x1*x2*x3", p="1, 2, 3")
    assert translate(language, "partials.no_picture", n=3) in [info.value for info in at.info]
    assert not at.get("vega_lite_chart") and not at.get("image")
    assert len(at.tabs) == 3
    assert any(text == r"\frac{\partial f}{\partial x_{3}} = x_{1} x_{2}" for text in formulas(at))


def test_a_short_point_is_padded_and_said():
    at = run_page(lang="en", f="x1 + x2 + x3", p="2")
    assert translate("en", "partials.point_padded", n=3, used="(2, 1, 1)") in page_text(at)


@pytest.mark.parametrize("bad", ["abc", "nan, 1", "inf", "1e999, 2", "5e6, 1", "1,,2", "--1"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_point_in_the_url_is_replaced_and_said(bad, language):
    at = run_page(lang=language, p=bad)
    assert len(warnings(at)) == 1
    key = "partials.point_too_large" if bad == "5e6, 1" else "partials.point_invalid"
    assert literal_fragment(language, key) in warnings(at)[0]
    assert charts(at)[0]["params"][0]["value"] == 1.0


def test_an_example_button_fills_in_the_function_and_the_point():
    at = run_page(lang="en")
    at.button(key="example_partials.example_saddle").click().run()
    assert_no_exception(at)
    assert at.text_input(key="f").value == "x^2 - y^2"
    assert at.text_input(key="p").value == "1, 0.5"
    assert at.query_params["f"] == "x^2 - y^2"
