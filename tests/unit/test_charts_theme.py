"""Text marks on the reader's theme (ui.charts.themed): light text on a dark background, the chart as it is
on a light one or when the theme is not known, and the cached spec never changed in place."""

from __future__ import annotations

import copy

import pytest

from ui.charts import DARK_THEME_TEXT, themed

SPEC = {"mark": "text", "config": {"text": {"fontSize": 14}, "axis": {"grid": False}}}


def test_a_dark_theme_gets_light_text_and_keeps_the_rest_of_the_config():
    before = copy.deepcopy(SPEC)
    dark = themed(SPEC, "dark")
    assert dark["config"]["text"] == {"fontSize": 14, "color": DARK_THEME_TEXT}
    assert dark["config"]["axis"] == {"grid": False}
    assert before == SPEC  # the shared, cached spec is untouched


@pytest.mark.parametrize("theme", ["light", None, ""])
def test_a_light_or_unknown_theme_keeps_the_chart_as_it_is(theme):
    assert themed(SPEC, theme) is SPEC
