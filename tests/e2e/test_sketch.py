"""The sketch page in a real browser: draw with the mouse, with the keyboard only, with a finger on a phone;
Reveal; the grade appears. While drawing, the page sends nothing to the server: every frame it sends on its
websocket is counted (a BackMsg each), and there are none until Reveal, then one run.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from tests.e2e.conftest import APP_RUN_TIMEOUT_MS, wait_for_app_run
from tests.e2e.test_pages import assert_no_exception, open_app
from ui.i18n import translate

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

DRAW = '[data-testid="sketch-draw"]'
REVEAL = '[data-testid="sketch-reveal"]'
TRUTH = '[data-testid="sketch-truth"]'
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 46, 14, 12, 26  # index.js's panel geometry
SETTLE_MS = 1_500


def sketch_url(base: str, **params: str) -> str:
    return f"{base}/sketch?{urlencode(params)}"


class SentFrames:
    """Every BackMsg the tab sends on its websockets, by type."""

    def __init__(self, page) -> None:
        self.types: list[str] = []
        page.on("websocket", lambda ws: ws.on("framesent", self._sent))

    def _sent(self, payload) -> None:
        if isinstance(payload, str):
            self.types.append("text")
            return
        msg = BackMsg()
        msg.ParseFromString(payload)
        self.types.append(msg.WhichOneof("type") or "?")


class Panel:
    """The drawing panel: data coordinates to the screen, from the SVG's own attributes."""

    def __init__(self, page) -> None:
        self.locator = page.locator(DRAW)
        self.locator.scroll_into_view_if_needed()
        self.box = self.locator.bounding_box()
        view = self.locator.get_attribute("viewBox").split()
        self.width, self.height = float(view[2]), float(view[3])
        self.y0 = float(self.locator.get_attribute("aria-valuemin"))
        self.y1 = float(self.locator.get_attribute("aria-valuemax"))

    def screen(self, x: float, y: float, window: tuple[float, float]) -> tuple[float, float]:
        x0, x1 = window
        px = PAD_LEFT + (x - x0) / (x1 - x0) * (self.width - PAD_LEFT - PAD_RIGHT)
        inner = self.height - PAD_TOP - PAD_BOTTOM
        py = self.height - PAD_BOTTOM - (y - self.y0) / (self.y1 - self.y0) * inner
        box = self.box
        return box["x"] + px / self.width * box["width"], box["y"] + py / self.height * box["height"]

    def drawn(self) -> int:
        return int(self.locator.get_attribute("data-drawn"))


def draw_with_mouse(page, panel: Panel, curve, window, steps: int = 120) -> None:
    page.mouse.move(*panel.screen(window[0], curve(window[0]), window))
    page.mouse.down()
    for i in range(1, steps + 1):
        x = window[0] + (window[1] - window[0]) * i / steps
        page.mouse.move(*panel.screen(x, curve(x), window))
    page.mouse.up()


def verdicts(page) -> list[str]:
    return [text.strip() for text in page.locator('[data-testid="stAlert"]').all_inner_texts()]


def reveal_and_wait(page) -> None:
    page.locator(REVEAL).click()
    wait_for_app_run(page)
    page.wait_for_selector('[data-testid="stAlert"]', timeout=APP_RUN_TIMEOUT_MS)


def shot(page, screenshot_dir, name: str) -> None:
    page.locator(DRAW).scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / f"{name}.png"))


@pytest.mark.parametrize("lang, present", [("en", "0"), ("zh", "0"), ("en", "1"), ("zh", "1")])
def test_draw_with_the_mouse_then_reveal(page, page_errors, app_server, screenshot_dir, lang, present):
    frames = SentFrames(page)
    open_app(page, sketch_url(app_server.url, lang=lang, present=present, f="x^3 - 3x"))
    panel = Panel(page)
    page.wait_for_timeout(SETTLE_MS)
    before = len(frames.types)

    window = (-2.5, 2.5)
    # Almost right, but positive on (0.2, 1) where f′ = 3x² − 3 is negative (f falls there).
    draw_with_mouse(page, panel, lambda x: 3 * x * x - 3 if not 0.2 < x < 1 else 1.0, window)
    assert panel.drawn() == 81, "the stroke did not reach every knot"
    # Draw over a stretch again: it replaces what was there.
    page.mouse.move(*panel.screen(0.0, -3.0, window))
    page.mouse.down()
    page.mouse.move(*panel.screen(0.5, 3 * 0.25 - 3, window), steps=10)
    page.mouse.up()
    page.wait_for_timeout(SETTLE_MS)
    assert frames.types[before:] == [], f"drawing sent {frames.types[before:]} to the server"
    assert page.locator(TRUTH).get_attribute("d") == "", "the answer is drawn before Reveal"
    shot(page, screenshot_dir, f"sketch-drawn-{lang}{'-projector' if present == '1' else ''}")

    reveal_and_wait(page)
    sent = frames.types[before:]
    assert sent.count("rerun_script") == 1, sent
    assert page.locator(TRUTH).get_attribute("d").startswith("M"), "no true f′ after Reveal"
    assert translate(lang, "sketch.verdict_fail") in " ".join(verdicts(page))
    body = page.locator('[data-testid="stMain"]').inner_text()
    positive = translate(lang, "sketch.positive")
    assert "(−1, 1)" in body and positive in body  # f′ should be negative on (−1, 1): yours is positive …
    assert page.locator('[data-testid="sketch-draw"] .sk-off rect').count() > 0, "nothing shaded"
    shot(page, screenshot_dir, f"sketch-revealed-{lang}{'-projector' if present == '1' else ''}")

    # Right this time: redraw, Reveal again, and it passes.
    draw_with_mouse(page, panel, lambda x: 3 * x * x - 3, window)
    reveal_and_wait(page)
    page.wait_for_function(
        "text => document.querySelector('[data-testid=stMain]').innerText.includes(text)",
        arg=translate(lang, "sketch.verdict_pass"),
    )
    assert_no_exception(page, page_errors)


def focus_with_tab(page, selector: str, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user does."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e.getRootNode().activeElement === e"):
            return
    pytest.fail(f"{selector} never got the focus with Tab")


def test_keyboard_only(page, page_errors, app_server, screenshot_dir):
    """Sketch f′ = 2x for f = x² with the arrow keys alone, Reveal with Enter: it passes."""
    frames = SentFrames(page)
    open_app(page, sketch_url(app_server.url, lang="en", f="x^2"))
    page.wait_for_timeout(SETTLE_MS)
    before = len(frames.types)
    draw = page.locator(DRAW)
    focus_with_tab(page, DRAW)
    page.keyboard.press("Home")
    assert draw.get_attribute("aria-valuetext").startswith("x = −2:")
    y0, y1 = float(draw.get_attribute("aria-valuemin")), float(draw.get_attribute("aria-valuemax"))
    step = (y1 - y0) / 40
    knots = [-2 + 4 * i / 80 for i in range(81)]
    for i, x in enumerate(knots):
        if i:
            page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowUp")  # an empty knot starts at its neighbour's value
        current = float(draw.get_attribute("aria-valuenow"))
        presses = round((2 * x - current) / step)
        for _ in range(abs(presses)):
            page.keyboard.press("ArrowUp" if presses > 0 else "ArrowDown")
    assert int(draw.get_attribute("data-drawn")) == 81
    status = page.locator('[data-testid="sketch-status"]').inner_text()
    assert status.startswith("x = 2:"), status  # announced to screen readers (aria-live)
    page.wait_for_timeout(SETTLE_MS)
    assert frames.types[before:] == [], f"the keyboard sent {frames.types[before:]} to the server"
    focus_with_tab(page, REVEAL, limit=5)
    page.keyboard.press("Enter")
    wait_for_app_run(page)
    page.wait_for_function(
        "text => document.querySelector('[data-testid=stMain]').innerText.includes(text)",
        arg=translate("en", "sketch.verdict_pass"),
    )
    assert frames.types[before:].count("rerun_script") == 1
    shot(page, screenshot_dir, "sketch-keyboard-en")
    assert_no_exception(page, page_errors)


def test_phone_with_touch(browser, app_server, screenshot_dir):
    """A phone that scanned the classroom QR code: a finger draws |x|′ with its jump, a tap reveals."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, has_touch=True, is_mobile=True
    )
    context.set_default_timeout(APP_RUN_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        frames = SentFrames(page)
        open_app(page, sketch_url(app_server.url, lang="zh", f="abs(x)"))
        panel = Panel(page)
        page.wait_for_timeout(SETTLE_MS)
        before = len(frames.types)
        window = (-2.0, 2.0)
        scroll_before = page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop")

        # A real finger, through Chromium's DevTools protocol: touch events, which the browser turns into
        # pointer events of type "touch" (and would turn into scrolling, were touch-action not none).
        cdp = context.new_cdp_session(page)

        def touch(kind: str, x: float, y: float) -> None:
            sx, sy = panel.screen(x, y, window)
            points = [] if kind == "touchEnd" else [{"x": sx, "y": sy, "id": 1}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        # The finger draws −1 on the left, jumps at 0, then +1 on the right.
        touch("touchStart", -2.0, -1.0)
        for i in range(1, 61):
            x = -2 + 4 * i / 60
            touch("touchMove", x, -1.0 if x < 0 else 1.0)
        touch("touchEnd", 2.0, 1.0)
        assert panel.drawn() == 81
        scroll_after = page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop")
        assert scroll_after == scroll_before, "drawing scrolled the page"
        assert panel.locator.evaluate("e => getComputedStyle(e).touchAction") == "none"
        page.wait_for_timeout(SETTLE_MS)
        assert frames.types[before:] == []
        page.locator(REVEAL).tap()
        wait_for_app_run(page)
        page.wait_for_function(
            "text => document.querySelector('[data-testid=stMain]').innerText.includes(text)",
            arg=translate("zh", "sketch.verdict_pass"),
        )
        shot(page, screenshot_dir, "sketch-phone-zh")
        assert not errors, errors
    finally:
        context.close()


def test_an_exercise_opens_its_task_and_the_address_bar_keeps_it(page, page_errors, app_server):
    open_app(page, sketch_url(app_server.url, lang="en"))
    page.get_by_role("button", name=translate("en", "sketch.exercise_reverse_line"), exact=False).click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stTextInput] input')?.value === 'x^2 - 1'"
    )
    wait_for_app_run(page)
    draw = page.locator(DRAW)
    assert draw.locator(".sk-target-point").count() == 1  # the point f must pass through
    assert page.locator(".sk-top .sk-title").text_content() == "f′(x)"  # the given graph is f′ now
    # What a reload or a copied address opens: the exercise, not the page's default.
    page.wait_for_function("() => new URLSearchParams(location.search).get('task') === 'reverse'")
    assert page.evaluate("new URLSearchParams(location.search).get('f')") == "x^2 - 1"
    assert_no_exception(page, page_errors)


def open_the_arrow_map(page, app_server, lang: str):
    """The gradient page with its arrow map in view; returns the sent-frame log, the map, and the number of
    frames sent so far (what the page's own runs sent)."""
    frames = SentFrames(page)
    open_app(page, f"{app_server.url}/gradient?{urlencode({'lang': lang})}")
    arrow_map = page.locator('[data-testid="sketch-arrow"]')
    arrow_map.scroll_into_view_if_needed()
    page.wait_for_timeout(SETTLE_MS)
    return frames, arrow_map, len(frames.types)


def test_gradient_arrow_drag_then_reveal(page, page_errors, app_server, screenshot_dir):
    """The gradient page: drag an arrow for ∇f at the point, Reveal, the angle and length errors appear."""
    frames, arrow_map, before = open_the_arrow_map(page, app_server, "zh")
    point = arrow_map.locator(".sk-given-point")
    dot = point.bounding_box()
    start = (dot["x"] + dot["width"] / 2, dot["y"] + dot["height"] / 2)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 90, start[1] - 30, steps=12)
    page.mouse.up()
    assert arrow_map.locator(".sk-guess-arrow").get_attribute("visibility") == "visible"
    assert arrow_map.locator(".sk-truth-arrow").get_attribute("visibility") == "hidden"
    page.wait_for_timeout(SETTLE_MS)
    assert frames.types[before:] == [], f"dragging the arrow sent {frames.types[before:]}"
    page.locator(REVEAL).click()  # the gradient page's only Reveal of this kind
    wait_for_app_run(page)
    page.wait_for_function("() => document.querySelector('[data-testid=stMain]').innerText.includes('°')")
    assert frames.types[before:].count("rerun_script") == 1
    truth_arrow = page.locator('[data-testid="sketch-arrow"] .sk-truth-arrow')
    assert truth_arrow.get_attribute("visibility") == "visible"
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "‖∇f‖ = " in body
    page.locator('[data-testid="sketch-arrow"]').scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "gradient-arrow-zh.png"))
    assert_no_exception(page, page_errors)


def test_gradient_arrow_with_the_keyboard_only(page, page_errors, app_server):
    """The arrow keys move the arrow's tip (announced in the status line); Reveal grades it. For
    f = x₁² + 4x₂² at (1, 0.5), ∇f = (2, 4) points at 63.4°; an arrow moved straight up points at 90°."""
    frames, arrow_map, before = open_the_arrow_map(page, app_server, "en")
    arrow_map.focus()
    for _ in range(3):
        page.keyboard.press("Shift+ArrowUp")
    assert arrow_map.locator(".sk-guess-arrow").get_attribute("visibility") == "visible"
    status = page.get_by_text("Your ∇f: (0,", exact=False)
    assert status.count() >= 1  # the tip's coordinates, read out to a screen reader
    page.wait_for_timeout(SETTLE_MS)
    assert frames.types[before:] == [], f"moving the arrow sent {frames.types[before:]}"
    page.locator(REVEAL).click()
    wait_for_app_run(page)
    page.wait_for_function("() => document.querySelector('[data-testid=stMain]').innerText.includes('63.4°')")
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "your arrow at 90°" in body
    assert_no_exception(page, page_errors)
