"""What a reader's actions cost the server, counted in the browser: the rerun_script messages a page sends.

A page view is one script run, and what happens inside a chart (a Vega-Lite param bound to a slider) happens
in the browser, with no run at all. The count comes from the websocket: every frame the page sends is a
BackMsg (streamlit.proto.BackMsg_pb2), and each run the page asks for is one with ``rerun_script`` set;
heartbeats and the other messages are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from tests.e2e.conftest import wait_for_app_run
from tests.e2e.test_pages import assert_no_exception, open_app, page_url
from ui.i18n import translate

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

# Time to wait after a run for a request that comes late: the double run of the bug report came about a
# second after the first run had finished.
SETTLE_MS = 2_000
CHART_SLIDERS = '[data-testid="stVegaLiteChart"] .vega-bind input[type="range"]'


@dataclass(frozen=True)
class Run:
    """One rerun_script request, as the page sent it."""

    page_script_hash: str
    page_name: str
    query_string: str
    fragment_id: str
    widgets: tuple[str, ...]


@dataclass
class RunRequests:
    """Every rerun_script the page sends on its websockets, in order."""

    runs: list[Run] = field(default_factory=list)

    def listen(self, page) -> None:
        page.on("websocket", lambda ws: ws.on("framesent", self._sent))

    def _sent(self, payload) -> None:
        if isinstance(payload, str):  # Streamlit's BackMsgs are binary frames
            return
        msg = BackMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") != "rerun_script":
            return
        rerun = msg.rerun_script
        self.runs.append(
            Run(
                page_script_hash=rerun.page_script_hash,
                page_name=rerun.page_name,
                query_string=rerun.query_string,
                fragment_id=rerun.fragment_id,
                widgets=tuple(widget.id for widget in rerun.widget_states.widgets),
            )
        )

    def since(self, start: int) -> list[Run]:
        return self.runs[start:]


@pytest.fixture
def run_requests(page) -> RunRequests:
    """The run requests of the test's tab, listened to before it opens anything."""
    counter = RunRequests()
    counter.listen(page)
    return counter


def settle(page) -> None:
    wait_for_app_run(page)
    page.wait_for_timeout(SETTLE_MS)


def described(runs: list[Run]) -> str:
    return "\n".join(f"  {run}" for run in runs) or "  (none)"


def navigate(page, url_path: str) -> None:
    """Click the page's link in the sidebar navigation, as a reader does, and wait for the page."""
    link = page.locator(f'[data-testid="stSidebarNavLink"][href$="/{url_path}"]')
    assert link.count() == 1, f"no sidebar link to /{url_path}"
    link.click()
    page.wait_for_function(
        "p => window.location.pathname.replace(/\\/+$/, '') === (p ? '/' + p : '')", arg=url_path
    )
    settle(page)


def open_the_link(page, lang: str = "en"):
    """Open "Copy link" and wait for the link; returns the box it is shown in."""
    page.get_by_role("button", name=translate(lang, "share.label")).click()
    box = page.get_by_role("dialog").filter(has=page.locator('[data-testid="stCode"]'))
    box.wait_for()
    assert "lang=" + lang in box.locator('[data-testid="stCode"]').inner_text()
    return box


def close_the_link(page, box) -> None:
    page.keyboard.press("Escape")
    box.wait_for(state="hidden")


def drag_across(page, slider) -> None:
    """Press the slider's thumb at one end, move the pointer to the other end step by step, release."""
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    assert box, "the slider has no size"
    y = box["y"] + box["height"] / 2
    left, right = box["x"] + 2, box["x"] + box["width"] - 2
    page.mouse.move(left, y)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(left + (right - left) * step / 20, y)
        page.wait_for_timeout(25)
    page.mouse.up()


def test_a_page_view_through_the_navigation_is_one_run(page, page_errors, app_server, run_requests):
    open_app(page, page_url(app_server.url, "rules", lang="en"))
    settle(page)
    runs = run_requests.runs
    assert len(runs) == 1, f"opening /rules asked for more than one run:\n{described(runs)}"

    # Looking at the page's link is no page view: it must not run the page's script again.
    start = len(run_requests.runs)
    close_the_link(page, open_the_link(page))
    settle(page)
    page_runs = [run for run in run_requests.since(start) if not run.fragment_id]
    assert not page_runs, f"opening and closing Copy link ran the page again:\n{described(page_runs)}"

    for url_path in ("limits", "", "rules"):
        start = len(run_requests.runs)
        navigate(page, url_path)
        runs = run_requests.since(start)
        assert len(runs) == 1, f"moving to /{url_path} asked for {len(runs)} runs:\n{described(runs)}"
        assert not runs[0].fragment_id, runs[0]
    assert_no_exception(page, page_errors)


def test_dragging_a_chart_slider_sends_no_run(page, page_errors, app_server, run_requests):
    """The bug report's path: /rules, then /limits through the navigation, then only chart sliders."""
    open_app(page, page_url(app_server.url, "rules", lang="en"))
    navigate(page, "limits")
    sliders = page.locator(CHART_SLIDERS)
    assert sliders.count() >= 1, "no chart slider on /limits"
    box = open_the_link(page)
    page.wait_for_timeout(SETTLE_MS)

    # A reader who looked at the link first: closing it, then dragging, must cost nothing.
    start = len(run_requests.runs)
    close_the_link(page, box)
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        before = slider.input_value()
        drag_across(page, slider)
        assert slider.input_value() != before, f"chart slider {i} did not move"
    page.wait_for_timeout(SETTLE_MS)
    runs = run_requests.since(start)
    assert not runs, f"dragging chart sliders asked for {len(runs)} runs:\n{described(runs)}"
    assert_no_exception(page, page_errors)
