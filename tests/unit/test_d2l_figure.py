"""ui.d2l_figure: the shipped SVG files show the figure viz.d2l_plot draws now, in every language and mode."""

from __future__ import annotations

import re

import pytest

from ui.d2l_figure import asset_path, d2l_tangent_svg, draw_d2l_tangent_svg
from ui.i18n import LANGUAGES, translate

VARIANTS = [(language, projector) for language in LANGUAGES for projector in (False, True)]
REGENERATE = "the shipped figure is out of date: run `.venv/bin/python -m ui.d2l_figure`"


def texts(svg: str) -> list[str]:
    """matplotlib draws text as paths and writes each string in a comment before them."""
    return re.findall(r"<!-- (.*?) -->", svg)


def size(svg: str) -> tuple[str, str]:
    match = re.search(r'<svg[^>]*width="([^"]+)"[^>]*height="([^"]+)"', svg)
    assert match, "no <svg> element with a width and a height"
    return match.group(1), match.group(2)


@pytest.mark.parametrize(("language", "projector"), VARIANTS)
def test_the_shipped_figure_is_the_one_drawn_now(language, projector):
    shipped, drawn = d2l_tangent_svg(language, projector), draw_d2l_tangent_svg(language, projector)
    assert texts(shipped) == texts(drawn), REGENERATE
    assert size(shipped) == size(drawn), REGENERATE
    assert shipped.count("<path") == drawn.count("<path"), REGENERATE


@pytest.mark.parametrize(("language", "projector"), VARIANTS)
def test_each_file_has_its_language_and_mode(language, projector):
    svg = d2l_tangent_svg(language, projector)
    assert translate(language, "rules.d2l_legend_tangent") in texts(svg)
    assert "f(x)" in texts(svg)
    other = d2l_tangent_svg(language, not projector)
    assert float(size(svg)[0].removesuffix("pt")) != float(size(other)[0].removesuffix("pt"))


def test_one_file_per_language_and_mode():
    paths = {asset_path(language, projector) for language, projector in VARIANTS}
    assert len(paths) == 4 and all(path.is_file() for path in paths)
