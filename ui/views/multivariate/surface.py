"""The partials page's 3D surface: rendered in a thread while the worker derives, kept in a small
cache, and offered as SVG, PNG and CSV."""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future

import streamlit as st

from calc_core.multivariate import (
    window_around,
)
from calc_core.parser import parse_expression
from calc_core.service import gradient_field
from ui import charts
from ui.format import name_text
from ui.i18n import LANGUAGES, current_language
from ui.settings import is_projector
from ui.views.multivariate.common import GRID_POINTS, POOL, SURFACE_WORDS, Function, chart_labels
from ui.views.multivariate.default_surface import asset_path, default_function_key, shipped_png
from viz.surface_plot import surface_figure, surface_png, surface_rows, surface_svg

SURFACE_CACHE_ENTRIES = 32
_SURFACES: OrderedDict[tuple, Future] = OrderedDict()
_SURFACE_LOCK = threading.Lock()


def render_surface(
    text: str, variables: tuple[str, ...], point: tuple[float, ...], language: str, projector: bool
) -> bytes:
    """The 3D surface as PNG bytes (no Streamlit call: it may run in a thread of ``POOL``)."""
    return surface_png(_surface_figure(text, variables, point, language, projector))


def grid_around(text: str, variables: tuple[str, ...], point: tuple[float, ...]):
    """The worker's grid of f and ∇f in the window around the point (answered from the sandbox's cache)."""
    return gradient_field(parse_expression(text, variables), variables, window_around(point), GRID_POINTS)


def _surface_figure(
    text: str, variables: tuple[str, ...], point: tuple[float, ...], language: str, projector: bool
):
    grid = grid_around(text, variables, point)
    names = [name_text(var) for var in variables]
    labels = chart_labels(language, SURFACE_WORDS, a=names[0], c=names[1]) | {"x": names[0], "y": names[1]}
    return surface_figure(grid, point, labels=labels, projector=projector)


def surface_downloads(function: Function, point: tuple[float, ...]) -> None:
    """The surface's download control: the grid it is drawn from (CSV), SVG, and the PNG on the page."""
    key = (function.text, function.variables, point, current_language(), is_projector())
    charts.figure_downloads(
        repr(key),
        ("partials", "surface", function.text),
        png=lambda: cached_surface_png(*key),
        svg=lambda: _surface_svg(*key),
        rows=lambda: {"surface": _surface_rows(function.text, function.variables, point)},
    )


@st.cache_data(max_entries=SURFACE_CACHE_ENTRIES, show_spinner=False)
def _surface_svg(
    text: str, variables: tuple[str, ...], point: tuple[float, ...], language: str, projector: bool
) -> str:
    return surface_svg(_surface_figure(text, variables, point, language, projector))


def _surface_rows(text: str, variables: tuple[str, ...], point: tuple[float, ...]) -> list[dict]:
    grid = grid_around(text, variables, point)
    return surface_rows(grid, [name_text(var) for var in variables])


def surface_future(key: tuple) -> Future:
    """The surface's PNG for ``key`` (the arguments of ``render_surface``), rendered once per key.

    Rendering a 3D figure takes a fifth of a second, as long as the worker needs for the steps; started
    as soon as the grid is there (see :func:`analyse`), it runs while the worker still derives. A small
    single-flight LRU of futures, so two sessions asking for the same picture share one rendering. The
    page's opening picture is a shipped file (``default_surface``): no rendering, no matplotlib import.
    """
    shipped = shipped_png(*key)
    if shipped is not None:
        future = Future()
        future.set_result(shipped)
        return future
    with _SURFACE_LOCK:
        future = _SURFACES.get(key)
        if future is None or (future.done() and future.exception() is not None):
            future = POOL.submit(render_surface, *key)
            _SURFACES[key] = future
        _SURFACES.move_to_end(key)
        while len(_SURFACES) > SURFACE_CACHE_ENTRIES:
            _SURFACES.popitem(last=False)
    return future


def cached_surface_png(
    text: str, variables: tuple[str, ...], point: tuple[float, ...], language: str, projector: bool
) -> bytes:
    return surface_future((text, variables, point, language, projector)).result()


def draw_default_png(language: str, projector: bool) -> bytes:
    """The opening surface drawn now: what the shipped file (``default_surface``) must show; needs workers."""
    return render_surface(*default_function_key(), language, projector)


def write_default_surfaces() -> list:
    """Draw the opening surface in every language and mode into ``ui/assets/``; returns the paths written."""
    written = []
    for language in LANGUAGES:
        for projector in (False, True):
            path = asset_path(language, projector)
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(draw_default_png(language, projector))
            written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_default_surfaces():
        print(written_path)
