"""Every chart has its download control (ui.charts): on every page of ui.navigation.PAGES, in both languages,
at least as many download controls (a row of buttons) as charts (Vega-Lite charts, server-drawn images,
Graphviz graphs), each with its files (data as CSV or the graph's DOT source; SVG and PNG of a picture),
labelled in the reader's language, and none of them rerunning the app on a click."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from tests.app.helpers import assert_no_exception, run_app
from tests.app.landing import make_landing_page
from ui.i18n import LANGUAGES, translate
from ui.navigation import PAGES

TIMEOUT = 90
KEY = re.compile(r"download-(?P<control>[0-9a-f]+)-(?P<format>csv|svg|png|dot)")
PICTURE_FORMATS = {"csv", "svg", "png"}

# Beyond each page's first view: the other parts and states that draw other charts.
MORE_CASES = [
    ("home", {"f": "x^3 - 1/x"}),  # the preview graph of the reader's function
    ("gradient", {"part": "descent"}),
    ("chain_rule", {"part": "graph"}),  # the computational graph (Graphviz)
    ("limits", {"present": "1"}),
    ("rules", {"present": "1"}),
    ("partials", {"present": "1"}),
]
SOLUTIONS = ("ex1_solution", "ex2_solution", "ex3_solution", "ex4_solution")


def page_spec(key: str):
    return next(spec for spec in PAGES if spec.key == key)


def chart_count(at) -> int:
    return sum(len(at.get(kind)) for kind in ("vega_lite_chart", "image", "graphviz_chart"))


def controls(at) -> dict[str, set[str]]:
    """The download controls on the page: control id → the formats it offers."""
    found: dict[str, set[str]] = defaultdict(set)
    for button in at.get("download_button"):
        match = KEY.fullmatch(button.key or "")
        assert match, f"a download button outside ui.charts: {button.key!r}"
        found[match["control"]].add(match["format"])
    return found


def check_downloads(at, language: str) -> int:
    assert_no_exception(at)
    shown = chart_count(at)
    offered = controls(at)
    assert len(offered) >= shown, f"{shown} charts, {len(offered)} download controls"
    for formats in offered.values():
        assert formats == {"dot"} or formats >= {"svg", "png"}, formats
        assert formats <= PICTURE_FORMATS | {"dot"}
    for button in at.get("download_button"):
        fmt = KEY.fullmatch(button.key)["format"]
        assert button.proto.label == translate(language, f"charts.{fmt}")
        assert button.proto.help == translate(language, f"charts.{fmt}_help")
        assert button.proto.ignore_rerun, "a download must not rerun the page"
    return shown


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.key)
def test_every_chart_of_every_page_has_its_downloads(monkeypatch, page, language):
    make_landing_page(monkeypatch, page)
    at = run_app(None, timeout=TIMEOUT, lang=language)
    shown = check_downloads(at, language)
    if page.key != "home":
        assert shown >= 1, "every lesson page draws a chart on its first view"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("key", "params"), MORE_CASES, ids=lambda value: str(value))
def test_other_parts_and_modes_have_their_downloads(monkeypatch, key, params, language):
    make_landing_page(monkeypatch, page_spec(key))
    at = run_app(None, timeout=TIMEOUT, lang=language, **params)
    assert check_downloads(at, language) >= 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_exercise_solutions_charts_and_graph_have_their_downloads(monkeypatch, language):
    make_landing_page(monkeypatch, page_spec("exercises"))
    at = run_app(None, timeout=TIMEOUT, lang=language)
    for key in SOLUTIONS:
        at.toggle(key=key).set_value(True)
    at.run()
    check_downloads(at, language)
    assert at.get("graphviz_chart"), "exercise 4's solution draws the graph"
    assert any(formats == {"dot"} for formats in controls(at).values())
