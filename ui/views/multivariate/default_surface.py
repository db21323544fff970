"""The partials page's opening surface (D2L's f = x₁²x₂ + sin x₂ at (1, 1)), shipped as PNG files, one per
language and screen mode.

Every link to the partials page without an ``f`` opens on this picture. Drawing it on a server's first run
would import matplotlib (about 300 ms of CPU) for the first reader after every start; so it is drawn once,
by the page's own renderer, and kept in ``ui/assets/``. Any other function or point is drawn as before.
``tests/unit/test_default_surface.py`` draws it again and checks that the shipped files show the same
pixels. After a change to the figure, its labels or the default function, write them again (the drawing
lives with the renderer, in ``surface.py``)::

    .venv/bin/python -m ui.views.multivariate.surface
"""

from __future__ import annotations

import functools
from pathlib import Path

from calc_core.multivariate import detect_variables
from calc_core.parser import format_expression
from ui.i18n import LANGUAGES
from ui.views.multivariate.common import DEFAULT_PARTIALS_F, DEFAULT_POINT

ASSET_DIR = Path(__file__).resolve().parents[2] / "assets"


def asset_path(language: str, projector: bool) -> Path:
    return ASSET_DIR / f"partials-surface-{language}{'-projector' if projector else ''}.png"


@functools.cache
def default_function_key() -> tuple[str, tuple[str, ...], tuple[float, ...]]:
    """(normalised text, variables, point) of the page's opening function, as the page keys its surface."""
    expr, variables = detect_variables(DEFAULT_PARTIALS_F)
    return format_expression(expr), variables, DEFAULT_POINT


@functools.cache
def _shipped(language: str, projector: bool) -> bytes:
    return asset_path(language, projector).read_bytes()


def shipped_png(
    text: str, variables: tuple[str, ...], point: tuple[float, ...], language: str, projector: bool
) -> bytes | None:
    """The shipped PNG when the arguments are the opening function and point, else None."""
    if (text, variables, tuple(point)) != default_function_key() or language not in LANGUAGES:
        return None
    return _shipped(language, bool(projector))
