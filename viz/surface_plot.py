"""The graph of f(x₁, x₂) as a 3D surface, with the two slices through a point: a matplotlib Figure.

Pure: arrays in, ``matplotlib.figure.Figure`` out, never pyplot (its global state is shared by every session's
thread in a Streamlit server). A legend in Chinese gets a CJK font per Text through ``viz.mpl_fonts``; the
axis labels are mathtext. Values outside the colour window (a pole) are cut off at its edges, so one spike
does not flatten the rest of the surface.

>>> import numpy as np
>>> from calc_core.multivariate import evaluate_grid
>>> g = evaluate_grid(lambda x, y: x * x - y * y, lambda x, y: 2 * x, lambda x, y: -2 * y, (-2, 2, -2, 2), 21)
>>> fig = surface_figure(g, (1.0, 0.5))
>>> fig.axes[0].name
'3d'
>>> surface_png(fig, dpi=40)[:8]
b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from calc_core.multivariate import Grid
from calc_core.sampling import robust_limits
from viz import palette
from viz.function_plot import merge_labels

if TYPE_CHECKING:  # matplotlib is imported where a figure is drawn: the gradient page never draws one
    from matplotlib.figure import Figure

# Plain Unicode, no mathtext: parsing "$x_1$" costs more than drawing the whole legend.
SURFACE_LABELS = {
    "x": "x₁",
    "y": "x₂",
    "f": "f",
    "slice_x": "slice x₂ = c",
    "slice_y": "slice x₁ = a",
    "point": "point (a, c)",
}
TICKS_PER_AXIS = 4
MAX_SURFACE_CELLS = 40  # per axis: enough for a smooth picture, cheap to render
NORMAL_FIGSIZE, PROJECTOR_FIGSIZE = (5.4, 4.4), (7.2, 5.8)
SURFACE_DPI = 100
COLORMAP = "cividis"  # perceptually uniform and readable with colour-vision deficiencies


def surface_figure(
    grid: Grid,
    point: Sequence[float] | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    projector: bool = False,
    elevation: float = 28.0,
    azimuth: float = -55.0,
) -> Figure:
    """The surface z = f(x₁, x₂) over the grid; with ``point`` = (a, c), the slices x₂ = c (vermillion) and
    x₁ = a (green, dashed) drawn on it, and the point. Label keys: see ``SURFACE_LABELS``."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from viz import mpl_fonts

    labels = merge_labels(SURFACE_LABELS, labels)
    # Fixed margins rather than a layout engine: constrained layout draws the 3D axes twice.
    figure = Figure(figsize=PROJECTOR_FIGSIZE if projector else NORMAL_FIGSIZE)
    figure.subplots_adjust(left=0.0, right=0.94, bottom=0.02, top=1.0)
    axes = figure.add_subplot(projection="3d")
    axes.computed_zorder = False  # the slices and the point are drawn over the surface, not hidden by it
    limits = robust_limits(grid.f.ravel())
    z = grid.f if limits is None else np.clip(grid.f, *limits)
    gx, gy = np.meshgrid(grid.x, grid.y)
    stride = max(1, math.ceil(grid.x.size / MAX_SURFACE_CELLS))
    masked = np.ma.masked_invalid(z)
    axes.plot_surface(
        gx,
        gy,
        masked,
        rstride=stride,
        cstride=stride,
        cmap=COLORMAP,
        linewidth=0.2,
        edgecolor=(1, 1, 1, 0.25),
        antialiased=True,
        alpha=0.9,
    )
    width = 3.0 if projector else 2.0
    font = 14 if projector else 10
    if point is not None and limits is not None:
        i = int(np.argmin(np.abs(grid.x - point[0])))
        j = int(np.argmin(np.abs(grid.y - point[1])))
        a, c = float(grid.x[i]), float(grid.y[j])
        axes.plot(
            grid.x,
            np.full_like(grid.x, c),
            z[j, :],
            color=palette.VERMILLION,
            lw=width,
            label=labels["slice_x"],
            zorder=3,
        )
        axes.plot(
            np.full_like(grid.y, a),
            grid.y,
            z[:, i],
            color=palette.BLUISH_GREEN,
            lw=width,
            ls="--",
            label=labels["slice_y"],
            zorder=3,
        )
        if math.isfinite(z[j, i]):
            axes.scatter(
                [a],
                [c],
                [z[j, i]],
                color=palette.BLACK,
                s=40 if projector else 24,
                depthshade=False,
                label=labels["point"],
                zorder=4,
            )
        axes.legend(loc="upper left", fontsize=font, frameon=False)
    axes.set_xlabel(labels["x"], fontsize=font + 1)
    axes.set_ylabel(labels["y"], fontsize=font + 1)
    axes.set_zlabel(labels["f"], fontsize=font + 1)
    axes.tick_params(labelsize=font - 1)
    for axis in (axes.xaxis, axes.yaxis, axes.zaxis):  # fewer tick labels: each costs a text layout
        axis.set_major_locator(MaxNLocator(TICKS_PER_AXIS))
    if limits is not None:
        axes.set_zlim(*limits)
    axes.view_init(elev=elevation, azim=azimuth)
    mpl_fonts.apply_cjk_font(figure)
    return figure


def surface_png(figure: Figure, dpi: float = SURFACE_DPI) -> bytes:
    """The figure as PNG bytes (what the page shows; cache them, rendering costs a tenth of a second).

    Light compression: zlib's default level takes longer than drawing the figure, for a file ~30 % smaller.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def surface_svg(figure: Figure) -> str:
    """The figure as an SVG document (for a download): vector graphics, text drawn as paths, no date in it.

    >>> from calc_core.multivariate import evaluate_grid
    >>> g = evaluate_grid(lambda x, y: x + y, lambda x, y: 1 + 0 * x, lambda x, y: 1 + 0 * y, (0, 1, 0, 1), 5)
    >>> "<svg" in surface_svg(surface_figure(g, (0.5, 0.5)))
    True
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue().decode("utf-8")


def surface_rows(grid: Grid, names: Sequence[str] = ("x1", "x2")) -> list[dict]:
    """The grid the surface is drawn from, one row per point: the two variables and f (None where f has
    no real value), for a table.

    >>> from calc_core.multivariate import evaluate_grid
    >>> g = evaluate_grid(lambda x, y: x * y, lambda x, y: y, lambda x, y: x, (0, 1, 0, 1), 2)
    >>> surface_rows(g, ("x", "y"))[-1]
    {'x': 1.0, 'y': 1.0, 'f(x, y)': 1.0}
    """
    a, c = names
    label = f"f({a}, {c})"
    rows = []
    for j, y in enumerate(grid.y.tolist()):
        for i, x in enumerate(grid.x.tolist()):
            value = float(grid.f[j, i])
            rows.append({a: x, c: y, label: value if math.isfinite(value) else None})
    return rows
