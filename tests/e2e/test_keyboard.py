"""Every control works from the keyboard: Tab reaches them in order, and keys operate them.

Checked on the rules page, which has each kind of control the app uses: the function box, Streamlit's
buttons and toggles, and a slider inside a Vega-Lite chart (the tangent's point, which moves in the
browser); the other pages use the same kinds.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import wait_for_app_run
from tests.e2e.test_pages import assert_no_exception, open_app, page_url, wait_for_query

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

MAX_TABS = 150
CHART_SLIDER = '.vega-bind input[type="range"]'
FUNCTION_BOX = ".st-key-f input"


def tab_to(page, selector: str) -> int:
    """Press Tab until the element matching ``selector`` has the focus; the number of presses it took."""
    target = page.locator(selector).first.element_handle()
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(element) => document.activeElement === element", target):
            return presses
    pytest.fail(f"{selector} was not reached with {MAX_TABS} presses of Tab", pytrace=False)


def chart_text(page) -> str:
    return " ".join(page.locator('[data-testid="stVegaLiteChart"] svg text').all_text_contents())


def test_the_function_box_is_reached_and_typed_into_from_the_keyboard(page, page_errors, app_server):
    open_app(page, page_url(app_server.url, "rules", lang="en", f="x^2", x0="1"))
    tab_to(page, FUNCTION_BOX)
    page.keyboard.press("Control+A")
    page.keyboard.type("x^3")
    page.keyboard.press("Enter")
    wait_for_query(page, "f", "x^3")
    wait_for_app_run(page)
    assert_no_exception(page, page_errors)


def test_the_chart_slider_is_reached_and_moved_with_the_arrow_keys(page, page_errors, app_server):
    open_app(page, page_url(app_server.url, "rules", lang="en", f="x^2", x0="1"))
    page.locator(CHART_SLIDER).first.wait_for()
    before_value = page.locator(CHART_SLIDER).first.input_value()
    before_text = chart_text(page)
    tab_to(page, CHART_SLIDER)
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)  # Vega redraws on the next animation frame
    assert float(page.locator(CHART_SLIDER).first.input_value()) > float(before_value)
    assert chart_text(page) != before_text, "the tangent's readout follows the slider"
    assert_no_exception(page, page_errors)


def test_a_toggle_is_switched_with_the_space_bar(page, page_errors, app_server):
    open_app(page, page_url(app_server.url, "rules", lang="en", f="x^3"))
    toggle = '.st-key-f2 input[type="checkbox"]'
    tab_to(page, toggle)
    page.keyboard.press("Space")
    wait_for_query(page, "f2", "true")
    wait_for_app_run(page)
    assert page.locator(toggle).is_checked()
    assert_no_exception(page, page_errors)
