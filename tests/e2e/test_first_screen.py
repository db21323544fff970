"""The projector's first screen: on every topic page opened in projector mode (?present=1), the part's figure
and its input are on the first screen, and so is the Copy link, beside the title.

Measured in a real browser at a classroom projector's 1280 × 720 and an older one's 1024 × 768, in both
languages. Screenshots land in test-artifacts/screenshots/ as
first-screen-<page>[-<link's names>]-<lang>-<width>.png.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_pages import assert_no_exception, open_app, page_url

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

MAIN = '[data-testid="stMain"]'
CHART = (
    f"{MAIN} :is([data-testid='stVegaLiteChart'], [data-testid='stPlotlyChart'],"
    " [data-testid='stGraphVizChart'], [data-testid='stImage'])"
)
INPUT = f"{MAIN} :is([data-testid='stTextInput'], [data-testid='stNumberInput'])"
SCREENS = ((1280, 720), (1024, 768))
# Each topic page with its default part, and the rules page opened at its explorer, as the guide's links do.
TOPIC_LINKS = (
    ("limits", {}),
    ("rules", {}),
    ("rules", {"f": "x^2*sin(x)", "x0": "1"}),
    ("partials", {}),
    ("gradient", {}),
    ("gradient", {"part": "descent"}),
    ("chain_rule", {}),
)
CASES = [
    pytest.param(
        path, params, lang, size, id=f"{path}{'-' + '-'.join(params) if params else ''}-{lang}-{size[0]}"
    )
    for path, params in TOPIC_LINKS
    for lang in ("en", "zh")
    for size in SCREENS
]


def top_of_first(page, selector: str) -> float | None:
    found = page.locator(selector)
    if not found.count():
        return None
    box = found.first.bounding_box()
    return None if box is None else box["y"]


@pytest.mark.parametrize(("path", "params", "lang", "size"), CASES)
def test_figure_and_input_on_the_first_screen(
    page, page_errors, app_server, screenshot_dir, path, params, lang, size
):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    open_app(page, page_url(app_server.url, path, **params, lang=lang, present="1"))
    page.wait_for_selector(CHART)
    variant = "".join(f"-{name}" for name in params)  # rules-f-x0: the explorer's link
    page.screenshot(path=str(screenshot_dir / f"first-screen-{path}{variant}-{lang}-{width}.png"))
    assert_no_exception(page, page_errors)

    chart_top = top_of_first(page, CHART)
    input_top = top_of_first(page, INPUT)
    assert chart_top is not None and 0 <= chart_top < height, f"{path}: first chart's top at {chart_top}"
    if path != "rules" or params:  # D2L's example on the rules page has a figure and no input
        assert input_top is not None and 0 <= input_top < chart_top, f"{path}: first input at {input_top}"
    copy_link = page.get_by_role("button", name="复制链接" if lang == "zh" else "Copy link")
    box = copy_link.bounding_box()
    assert box is not None and box["y"] + box["height"] < height / 3, f"{path}: Copy link at {box}"
