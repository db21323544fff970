"""Every page in both languages, normal and projector mode, in a real browser; hostile URLs; language switch.

Pages come from ui.navigation.PAGES, so a page added there is tested here without touching this file.
Screenshots land in test-artifacts/screenshots/<page>-<lang>[-present].png.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from tests.e2e.conftest import wait_for_app_run
from ui.navigation import PAGES

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

LANGS = ("en", "zh")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # Han ideographs
CJK_OR_PUNCT = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

MAIN = '[data-testid="stMain"]'
HEADINGS = f"{MAIN} :is(h1, h2, h3, h4, h5, h6)"
TEXT_BLOCKS = f'{MAIN} :is(h1, h2, h3, h4, h5, h6, [data-testid="stMarkdownContainer"])'
EXCEPTION = '[data-testid="stException"]'
ERROR_ALERT = f'{MAIN} [data-testid="stAlertContentError"]'

HOME = next(p for p in PAGES if p.url_path == "")


def page_url(base: str, url_path: str, **params: str) -> str:
    return f"{base}/{url_path}?{urlencode(params)}"


def open_app(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app_run(page)


def texts(page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts() if t.strip()]


def assert_no_exception(page, page_errors: list[str]) -> None:
    shown = page.locator(EXCEPTION)
    if shown.count():
        pytest.fail("the app shows an exception:\n" + "\n---\n".join(shown.all_inner_texts()), pytrace=False)
    assert not page_errors, f"uncaught JavaScript errors: {page_errors}"


def wait_for_query(page, name: str, value: str) -> None:
    """Wait until the address bar's query has name=value (Streamlit updates it with history.replaceState,
    which is no navigation, so page.wait_for_url does not see it)."""
    page.wait_for_function(
        "([k, v]) => new URLSearchParams(window.location.search).get(k) === v", arg=[name, value]
    )


def shot(page, screenshot_dir, name: str) -> None:
    """The whole page. Streamlit scrolls inside [data-testid=stMain], not the document, so full_page alone
    stops at the window: grow the window to the content's height for the picture, then restore it."""
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(...['stMain', 'stSidebarContent'].map(
              id => document.querySelector(`[data-testid="${id}"]`)?.scrollHeight ?? 0))"""
    )
    tall = min(max(size["height"], int(height)), 12_000)
    if tall > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": tall})
        page.wait_for_timeout(300)  # let charts re-lay out at the new size
    try:
        page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)
    finally:
        if tall > size["height"]:
            page.set_viewport_size(size)


CASES = [
    pytest.param(spec, lang, present, id=f"{spec.key}-{lang}" + ("-present" if present else ""))
    for spec in PAGES
    for lang in LANGS
    for present in (False, True)
]


@pytest.mark.parametrize(("spec", "lang", "present"), CASES)
def test_page_renders(page, page_errors, app_server, screenshot_dir, spec, lang, present):
    params = {"lang": lang, **({"present": "1"} if present else {})}
    open_app(page, page_url(app_server.url, spec.url_path, **params))
    shot(page, screenshot_dir, f"{spec.key}-{lang}" + ("-present" if present else ""))

    assert_no_exception(page, page_errors)
    blocks = texts(page, TEXT_BLOCKS)
    assert blocks, f"{spec.key}: no heading or markdown text in the main area"
    headings = texts(page, HEADINGS)
    assert headings, f"{spec.key}: no heading in the main area"
    if lang == "zh":
        main_text = page.locator(MAIN).inner_text()
        assert CJK.search(main_text), (
            f"{spec.key}: no Chinese character in the main area: {main_text[:300]!r}"
        )
    else:
        with_cjk = [h for h in headings if CJK_OR_PUNCT.search(h)]
        assert not with_cjk, f"{spec.key}: Chinese in English headings: {with_cjk}"
    # The URL contract: the settings stay in the address, so a copied link opens the same view.
    assert f"lang={lang}" in page.url, f"lang dropped from the URL: {page.url}"
    if present:
        assert "present=1" in page.url, f"present dropped from the URL: {page.url}"


HOSTILE = [
    pytest.param("__import__('os').system('touch {marker}')", True, id="import-os-system"),
    pytest.param("().__class__.__bases__[0].__subclasses__()", True, id="dunder-chain"),
    pytest.param("9^9^9^9", True, id="power-tower-caret"),
    pytest.param("x" * 5000, True, id="too-long"),
    pytest.param("x\x00+1", True, id="nul-byte"),
    # Valid but expensive: must end (a result or a timeout message), never hang or crash.
    pytest.param("sin(sin(3+exp(exp(exp(3)))))", False, id="nested-exp"),
]


@pytest.mark.parametrize(("f", "expect_error"), HOSTILE)
def test_hostile_url_input(page, page_errors, app_server, tmp_path, f, expect_error):
    marker = tmp_path / "pwned"
    f = f.replace("{marker}", str(marker))
    open_app(page, page_url(app_server.url, HOME.url_path, lang="en", f=f))

    assert_no_exception(page, page_errors)
    assert not marker.exists(), "the input was executed"
    if expect_error:
        assert page.locator(ERROR_ALERT).count() >= 1, "no error alert for invalid input"
    assert texts(page, HEADINGS), "the page did not render around the error"


def _open_sidebar(page) -> None:
    expand = page.get_by_test_id("stExpandSidebarButton")
    if expand.count() and expand.first.is_visible():
        expand.first.click()
    page.get_by_test_id("stSidebarUserContent").wait_for(state="visible")


def switch_language(page, label: str) -> None:
    """Pick a language in the sidebar, whatever widget it is (radio, segmented control, pills, selectbox)."""
    _open_sidebar(page)
    sidebar = page.get_by_test_id("stSidebar")
    name = re.compile(re.escape(label))
    radio_option = sidebar.get_by_test_id("stRadioOption").filter(has=page.get_by_role("radio", name=name))
    if radio_option.count():  # st.radio hides the native input; its label is what a person clicks
        radio_option.first.click()
        return
    radio = sidebar.get_by_role("radio", name=name)
    if radio.count():  # st.segmented_control: buttons with role=radio
        radio.first.click()
        return
    button = sidebar.get_by_role("button", name=name)
    if button.count():
        button.first.click()
        return
    combos = sidebar.get_by_role("combobox")
    for i in range(combos.count()):
        combos.nth(i).click()
        option = page.get_by_role("option", name=name)
        if option.count():
            option.first.click()
            return
        page.keyboard.press("Escape")
    pytest.fail(f"no language control offering {label!r} in the sidebar", pytrace=False)


def test_language_switch(page, page_errors, app_server, screenshot_dir):
    open_app(page, page_url(app_server.url, HOME.url_path, lang="en"))
    assert not any(CJK.search(h) for h in texts(page, HEADINGS))

    switch_language(page, "中文")
    wait_for_query(page, "lang", "zh")
    wait_for_app_run(page)
    assert_no_exception(page, page_errors)
    headings = texts(page, HEADINGS)
    assert any(CJK.search(h) for h in headings), f"headings still not Chinese after the switch: {headings}"
    shot(page, screenshot_dir, "language-switch-zh")

    switch_language(page, "English")
    wait_for_query(page, "lang", "en")
    wait_for_app_run(page)
    assert_no_exception(page, page_errors)
    assert not any(CJK.search(h) for h in texts(page, HEADINGS))


@pytest.mark.skipif(len(PAGES) < 2, reason="only one page so far")
def test_language_survives_navigation(page, page_errors, app_server):
    """Clicking a page in the sidebar keeps the language (Streamlit clears the query on a page change)."""
    target = next(p for p in PAGES if p.url_path)
    open_app(page, page_url(app_server.url, HOME.url_path, lang="zh"))
    _open_sidebar(page)
    link = page.locator(f'[data-testid="stSidebarNavLink"][href$="/{target.url_path}"]')
    assert link.count() == 1, f"no sidebar link to /{target.url_path}"
    link.click()
    page.wait_for_function(
        "p => window.location.pathname.replace(/\\/+$/, '').endsWith('/' + p)", arg=target.url_path
    )
    wait_for_app_run(page)
    assert_no_exception(page, page_errors)
    headings = texts(page, HEADINGS)
    assert any(CJK.search(h) for h in headings), f"{target.key} lost Chinese after navigation: {headings}"
    assert "lang=zh" in page.url, f"lang dropped from the URL after navigation: {page.url}"
