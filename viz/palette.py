"""Colours and line styles for every figure: the Okabe–Ito palette, safe for colour-blind readers.

Colour is never the only signal: each curve also gets its own dash pattern, so that a grey-scale print
or a washed-out projector still tells the curves apart.
(Okabe & Ito, "Color Universal Design", 2002; https://jfly.uni-koeln.de/color/)
"""

from __future__ import annotations

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"

# The eight colours in the order Okabe and Ito give them.
OKABE_ITO = (BLACK, ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE)

# The order curves take them in: strong contrast on white first, yellow (faint on white) last.
CURVE_COLORS = (BLUE, VERMILLION, BLUISH_GREEN, REDDISH_PURPLE, ORANGE, SKY_BLUE, BLACK, YELLOW)

# Vega-Lite strokeDash patterns (dash, gap, ...) in pixels for a line 2 px wide; [1, 0] is solid.
SOLID = (1, 0)
DASHED = (8, 4)
DOTTED = (2, 3)
DASH_DOT = (10, 4, 2, 4)
LONG_DASH = (16, 6)
DASH_DOT_DOT = (10, 3, 2, 3, 2, 3)
CURVE_DASHES = (SOLID, DASHED, DOTTED, DASH_DOT, LONG_DASH, DASH_DOT_DOT)


def curve_color(index: int) -> str:
    """The colour of the ``index``-th curve (0-based), repeating after eight.

    >>> curve_color(0), curve_color(1), curve_color(8)
    ('#0072B2', '#D55E00', '#0072B2')
    """
    return CURVE_COLORS[index % len(CURVE_COLORS)]


def curve_dash(index: int, scale: float = 1.0) -> list[float]:
    """The dash pattern of the ``index``-th curve, stretched by ``scale`` for thicker lines.

    >>> curve_dash(0), curve_dash(1), curve_dash(1, scale=2.5)
    ([1, 0], [8, 4], [20.0, 10.0])
    """
    pattern = CURVE_DASHES[index % len(CURVE_DASHES)]
    if pattern == SOLID or scale == 1.0:
        return list(pattern)
    return [length * scale for length in pattern]
