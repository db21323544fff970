"""Accessibility of every page, measured with axe-core in the real browser.

Every page of ui.navigation.PAGES, in both languages, with and without projector mode: axe-core (the copy that
the axe-playwright-python package ships) checks the rendered page against WCAG 2.0 and 2.1, levels A and AA.
A violation of impact "serious" or "critical" fails the test, unless every node it names is Streamlit's own
chrome listed in STREAMLIT_ALLOW_LIST below; an allow-list entry that matches the app's own content fails too,
so the list cannot hide the app's mistakes. Every violation, of any impact, is written to
test-artifacts/axe/<page>-<lang>[-present].json for inspection.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

import pytest

from tests.e2e.conftest import ARTIFACTS, wait_for_app_run
from ui.navigation import PAGES

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

AXE_DIR = ARTIFACTS / "axe"
LANGS = ("en", "zh")
FAILING_IMPACTS = frozenset({"serious", "critical"})
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],  # passes and incomplete results only cost time here
    "elementRef": True,  # each node's element, for _AXE_JS to classify (dropped before leaving the page)
    # The app has no iframe; axe would wait up to a minute for an answer from a frame it was not injected in.
    "iframes": False,
}

# What the app itself writes into the page: text (markdown, headings, captions, KaTeX, alerts, the labels of
# widgets and their options), figures (Vega-Lite, images, graphviz), raw HTML. An allow-list entry must never
# match an element inside, or around, one of these.
APP_CONTENT = ", ".join(
    [
        '[data-testid="stMarkdownContainer"]',
        '[data-testid="stHeading"]',
        '[data-testid="stCaptionContainer"]',
        '[data-testid="stMarkdown"]',
        '[data-testid="stAlertContainer"]',
        '[data-testid="stWidgetLabel"]',
        '[data-testid="stVegaLiteChart"]',
        '[data-testid="stImage"]',
        '[data-testid="stGraphVizChart"]',
        '[data-testid="stHtml"]',
        '[data-testid="stTable"]',
        '[data-testid="stDataFrame"]',
        ".katex",
    ]
)


@dataclass(frozen=True)
class Allowed:
    """A violation that Streamlit's own chrome causes and the app cannot change."""

    rule: str  # axe rule id
    selector: str  # CSS selector of Streamlit's element; a node is covered when it is, or is inside, a match
    reason: str  # why the app cannot fix it


# Streamlit's own chrome: its header and toolbar, the sidebar's collapse button, the main menu, the deploy
# button, the internals of its widgets. Each entry: the axe rule, a selector for Streamlit's element (by its
# data-testid, which Streamlit keeps stable, never by its generated st-emotion-cache-* class), one line why
# the app cannot fix it. Empty: with Streamlit 1.67, the theme in .streamlit/config.toml and the KaTeX style
# in ui/settings.py, axe finds no serious or critical violation in Streamlit's chrome on any page (see the
# README's "Accessibility"). A new entry looks like
#     Allowed("button-name", '[data-testid="stMainMenu"]', "Streamlit's menu button; no API names it"),
# and test_allow_list_cannot_hide_app_content shows that an entry cannot cover what the app writes.
STREAMLIT_ALLOW_LIST: tuple[Allowed, ...] = ()


def page_url(base: str, url_path: str, **params: str) -> str:
    return f"{base}/{url_path}?{urlencode(params)}"


def wait_for_rendering(page) -> None:
    """After the script run: Vega-Lite charts draw their SVG or canvas, and KaTeX's web fonts load (widths and
    overflow depend on them). Waits on the page's own signals, never a fixed time."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
              .every(c => c.querySelector('svg, canvas'))"""
    )
    page.evaluate(
        """async () => {
            await document.fonts.ready;
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            await document.fonts.ready;  // fonts that the last layout asked for
        }"""
    )


# Runs axe in the page, then, for each node of each violation: the allow-list entry that covers it (index, or
# -1), whether it is (or is inside, or contains) the app's own content, and the chain of data-testid
# ancestors, easier to read than axe's generated selectors.
_AXE_JS = """async ([options, allowList, appContent]) => {
    const results = await axe.run(document, options);
    const testids = el => {
        const ids = [];
        for (let e = el; e; e = e.parentElement) {
            if (e.dataset && e.dataset.testid) ids.unshift(e.dataset.testid);
        }
        return ids.join(' > ');
    };
    for (const v of results.violations) {
        for (const n of v.nodes) {
            const el = n.element;
            delete n.element;
            if (!el) { n.allowed = -1; n.app_content = null; n.testids = null; continue; }
            n.allowed = allowList.findIndex(a => a.rule === v.id && el.closest(a.selector) !== null);
            n.app_content = el.closest(appContent) !== null || el.querySelector(appContent) !== null;
            n.testids = testids(el);
        }
    }
    const overlaps = allowList.map(a => [...document.querySelectorAll(a.selector)]
        .filter(el => el.closest(appContent) !== null || el.querySelector(appContent) !== null)
        .slice(0, 3).map(el => el.outerHTML.slice(0, 300)));
    return {testEngine: results.testEngine, violations: results.violations, overlaps};
}"""


@pytest.fixture(scope="session")
def axe_script() -> str:
    try:
        from axe_playwright_python.base import AXE_SCRIPT
    except ImportError:
        pytest.fail(
            "axe-playwright-python is not installed (pip install -r requirements-dev.txt)", pytrace=False
        )
    return AXE_SCRIPT


CASES = [
    pytest.param(spec, lang, present, id=f"{spec.key}-{lang}" + ("-present" if present else ""))
    for spec in PAGES
    for lang in LANGS
    for present in (False, True)
]


CASES = [
    pytest.param(spec, lang, present, id=f"{spec.key}-{lang}" + ("-present" if present else ""))
    for spec in PAGES
    for lang in LANGS
    for present in (False, True)
]


def run_axe(page, axe_script: str, allow_list: tuple[Allowed, ...]) -> dict:
    page.evaluate(axe_script)
    return page.evaluate(_AXE_JS, [AXE_OPTIONS, [asdict(a) for a in allow_list], APP_CONTENT])


def judge(results: dict, allow_list: tuple[Allowed, ...]) -> list[str]:
    """What fails: a serious or critical node no entry covers, and any entry that covers the app's content.

    Each node of results["violations"] gets "allowed_by", the entry that covers it (or None)."""
    failures: list[str] = []
    for v in results["violations"]:
        for n in v["nodes"]:
            index = n.pop("allowed")
            entry = allow_list[index] if index >= 0 else None
            n["allowed_by"] = asdict(entry) if entry else None
            impact = n.get("impact") or v["impact"]
            where = f"{v['id']} ({impact}) at {n['testids']}: {n['html'][:300]}"
            if entry and n["app_content"]:
                failures.append(f"allow-list entry {entry.selector!r} covers the app's own content: {where}")
            elif entry is None and impact in FAILING_IMPACTS:
                summary = " ".join(n.get("failureSummary", "").split())
                failures.append(f"{where}\n    {summary}")
    for a, found in zip(allow_list, results["overlaps"], strict=True):
        failures += [
            f"allow-list entry {a.rule} {a.selector!r} matches the app's own content: {h}" for h in found
        ]
    return failures


@pytest.mark.parametrize(("spec", "lang", "present"), CASES)
def test_axe_wcag_aa(page, page_errors, app_server, axe_script, spec, lang, present):
    name = f"{spec.key}-{lang}" + ("-present" if present else "")
    params = {"lang": lang, **({"present": "1"} if present else {})}
    url = page_url(app_server.url, spec.url_path, **params)
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app_run(page)
    wait_for_rendering(page)
    shown = page.locator('[data-testid="stException"]')
    if shown.count():  # axe would check the traceback, not the page
        pytest.fail(
            f"{name}: the app shows an exception:\n" + "\n".join(shown.all_inner_texts()), pytrace=False
        )
    assert not page_errors, f"uncaught JavaScript errors: {page_errors}"

    results = run_axe(page, axe_script, STREAMLIT_ALLOW_LIST)
    failures = judge(results, STREAMLIT_ALLOW_LIST)

    AXE_DIR.mkdir(parents=True, exist_ok=True)
    report = {
        "page": spec.key,
        "lang": lang,
        "present": present,
        "url": url,
        "axe": results["testEngine"]["version"],
        "options": AXE_OPTIONS,
        "violations": results["violations"],
    }
    (AXE_DIR / f"{name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")

    assert not failures, f"{name}: {len(failures)} accessibility problem(s):\n" + "\n".join(failures)


# A page shaped like Streamlit's: a header with an unnamed menu button (axe: button-name, critical), and in
# the main area an unnamed button inside the app's markdown.
_GUARD_PAGE = """<!doctype html><html lang="en"><head><title>guard</title></head><body>
<header data-testid="stHeader"><button data-testid="stMainMenu"></button></header>
<main data-testid="stMain"><div data-testid="stMarkdownContainer"><button id="app"></button></div></main>
</body></html>"""


def test_allow_list_cannot_hide_app_content(page, axe_script):
    """The allow-list's guard: an entry for Streamlit's chrome covers only that; one that reaches the app's
    content fails, both for the node it covers and for the elements its selector matches."""
    page.set_content(_GUARD_PAGE)
    chrome = (Allowed("button-name", '[data-testid="stHeader"]', "Streamlit's header"),)
    failures = judge(run_axe(page, axe_script, chrome), chrome)
    assert len(failures) == 1, failures
    assert failures[0].startswith("button-name (critical) at stMain > stMarkdownContainer:"), failures

    too_wide = (Allowed("button-name", '[data-testid="stMain"]', "too wide: the app's area"),)
    failures = judge(run_axe(page, axe_script, too_wide), too_wide)
    assert len(failures) == 3, failures
    assert failures[0].startswith("button-name (critical) at stHeader > stMainMenu:"), failures  # not covered
    assert failures[1].startswith("allow-list entry '[data-testid=\"stMain\"]' covers the app's own"), (
        failures
    )
    assert failures[2].startswith("allow-list entry button-name '[data-testid=\"stMain\"]' matches"), failures
