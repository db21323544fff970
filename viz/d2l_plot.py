"""D2L's plotting helpers (marked ``#@save`` in the book and reused through it), on matplotlib Figure objects.

Section 2.4 of *Dive into Deep Learning* defines ``use_svg_display``, ``set_figsize``, ``set_axes`` and
``plot``, and draws f(x) = 3x² − 4x with its tangent at x = 1. The functions here keep the book's names,
parameters and drawing behaviour, so that the code a student reads in the book is the code that draws the
app's figure. What differs, and why (a Streamlit server runs many sessions in threads of one process):

- No pyplot. The book draws on ``d2l.plt.gca()``, pyplot's "current" axes, which is global state shared by
  every session's thread (and pyplot keeps every figure alive until it is closed). Here :func:`plot` makes a
  new ``matplotlib.figure.Figure`` when no ``axes`` is given, and returns it (the book returns ``None``).
- No global ``rcParams``. The book's :func:`set_figsize` sets ``plt.rcParams['figure.figsize']``; here a
  size is a parameter of each figure, and :func:`set_figsize` only checks and returns it.
- SVG is not a Jupyter display setting but an output format: :func:`figure_to_svg` (what the page shows) and
  :func:`figure_to_png` (a download).
- Extras, keyword-only, off by default: ``projector=True`` (a bigger figure, thicker lines, larger text for a
  classroom projector), and Chinese labels get a CJK font per Text (see ``viz.mpl_fonts``).

>>> fig = d2l_tangent_figure()  # the book's figure, as a Figure
>>> [line.get_linestyle() for line in fig.axes[0].get_lines()]
['-', '--']
>>> figure_to_svg(fig)[:5]
'<?xml'
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from viz import mpl_fonts

#: The book's figure size in inches (width, height).
BOOK_FIGSIZE: tuple[float, float] = (3.5, 2.5)
#: The book's line formats: the 1st curve solid (default colour), then magenta dashed, green dash-dot,
#: red dotted.
BOOK_FMTS: tuple[str, ...] = ("-", "m--", "g-.", "r:")

# Projector mode: the figure 1.5 times the size, and lines and text grown more than that, so that they are
# also bigger relative to the figure when the page scales it to the column width.
PROJECTOR_FIGSIZE_SCALE = 1.5
PROJECTOR_LINEWIDTH = 3.0  # matplotlib's default is 1.5
PROJECTOR_FONTSIZE = 15.0  # matplotlib's default is 10

#: Download resolution for :func:`figure_to_png`.
PNG_DPI = 200


def use_svg_display() -> str:
    """The output format of this module's figures: ``"svg"``.

    In the book this switches Jupyter's inline backend to SVG. A web app has no inline backend: a page shows
    ``figure_to_svg(fig)``, which is vector graphics and sharp on a projector. So this function changes
    nothing; it exists so that the book's code reads the same, and returns the format it stands for.

    >>> use_svg_display()
    'svg'
    """
    return "svg"


def set_figsize(figsize: Sequence[float] = BOOK_FIGSIZE) -> tuple[float, float]:
    """Check a figure size (width, height in inches) and return it as a tuple.

    The book sets ``plt.rcParams['figure.figsize']``, the default size of every later figure. Global rcParams
    are shared by all sessions of a multi-user server, so here the size is returned for one figure instead:
    ``Figure(figsize=set_figsize((5, 3)))``, or :func:`plot`'s ``figsize`` parameter.

    >>> set_figsize()
    (3.5, 2.5)
    >>> set_figsize([5, 3])
    (5.0, 3.0)
    """
    use_svg_display()
    width, height = (float(value) for value in figsize)
    if not (np.isfinite(width) and np.isfinite(height) and width > 0 and height > 0):
        raise ValueError(f"a figure size needs a positive, finite width and height, not {tuple(figsize)!r}")
    return width, height


def set_axes(
    axes: Axes,
    xlabel: str | None,
    ylabel: str | None,
    xlim: Any,
    ylim: Any,
    xscale: str,
    yscale: str,
    legend: Sequence[str] | None,
    *,
    fontsize: float | None = None,
) -> None:
    """Set an Axes' labels, scales, limits and legend, and turn its grid on: the book's ``d2l.set_axes``.

    Two differences, neither visible with matplotlib's default settings: the grid is switched on with
    ``axes.grid(True)`` where the book calls ``axes.grid()``, which *toggles* it (so calling twice would hide
    it); and a label or legend entry with Chinese characters gets a CJK font (``viz.mpl_fonts``).
    ``fontsize`` (keyword-only, projector mode) sets the size of labels, tick labels and legend.

    >>> fig = Figure()
    >>> ax = fig.subplots()
    >>> _ = ax.plot([1, 10, 100], [1, 2, 3])
    >>> set_axes(ax, "x", "y", [1, 100], None, "log", "linear", ["f"])
    >>> ax.get_xlabel(), ax.get_xscale(), [float(limit) for limit in ax.get_xlim()]
    ('x', 'log', [1.0, 100.0])
    >>> [text.get_text() for text in ax.get_legend().get_texts()], ax.xaxis.get_gridlines()[0].get_visible()
    (['f'], True)
    """
    label_size = {} if fontsize is None else {"fontsize": fontsize}
    axes.set_xlabel(xlabel, **label_size)
    axes.set_ylabel(ylabel, **label_size)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    axes.set_xlim(xlim)
    axes.set_ylim(ylim)
    if legend:
        axes.legend(legend, **label_size)
    axes.grid(True)
    if fontsize is not None:
        axes.tick_params(labelsize=fontsize * 0.9)
    mpl_fonts.apply_cjk_font(axes)


def has_one_axis(X: Any) -> bool:
    """Whether ``X`` is one axis of values (a 1-D array, or a list of numbers) rather than several: the book's
    test inside ``plot``.

    >>> has_one_axis(np.arange(3)), has_one_axis([1, 2, 3]), has_one_axis([[1, 2], [3, 4]])
    (True, True, False)
    """
    return (hasattr(X, "ndim") and X.ndim == 1) or (isinstance(X, list) and not hasattr(X[0], "__len__"))


def plot(
    X: Any,
    Y: Any = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    legend: Sequence[str] | None = None,
    xlim: Any = None,
    ylim: Any = None,
    xscale: str = "linear",
    yscale: str = "linear",
    fmts: Sequence[str] = BOOK_FMTS,
    figsize: Sequence[float] = BOOK_FIGSIZE,
    axes: Axes | None = None,
    *,
    projector: bool = False,
) -> Figure:
    """Plot data points: the book's ``d2l.plot``, returning the Figure.

    ``X`` is one axis shared by all curves (a 1-D array or a list of numbers), or one x per curve; ``Y`` is
    one curve or a list of curves; with ``Y=None`` the curves are ``X``, drawn against their index 0..n−1.
    Curve i is drawn with ``fmts[i]``; as in the book, curves beyond ``len(fmts)`` are not drawn (pass more
    fmts).

    With ``axes=None`` a new ``Figure(figsize=figsize)`` is made (the book draws on pyplot's current axes);
    otherwise ``axes`` is cleared and drawn on, and its figure is returned. ``projector=True`` (keyword-only)
    makes the figure 1.5 times the size with thicker lines and larger text.

    >>> x = np.arange(0, 3, 0.1)
    >>> fig = plot(x, [x**2, 2 * x], "x", "y", legend=["x²", "2x"], xlim=[0, 3])
    >>> ax = fig.axes[0]
    >>> from matplotlib.colors import to_hex
    >>> [(line.get_linestyle(), to_hex(line.get_color())) for line in ax.get_lines()]
    [('-', '#1f77b4'), ('--', '#bf00bf')]
    >>> fig.get_size_inches().tolist(), [float(limit) for limit in ax.get_xlim()]
    ([3.5, 2.5], [0.0, 3.0])
    >>> plot([3, 1, 2]).axes[0].get_lines()[0].get_xdata().tolist()  # Y=None: against the index
    [0.0, 1.0, 2.0]
    """
    if legend is None:
        legend = []

    figsize = set_figsize(figsize)
    if projector:
        figsize = (figsize[0] * PROJECTOR_FIGSIZE_SCALE, figsize[1] * PROJECTOR_FIGSIZE_SCALE)
    if axes is None:
        fig = Figure(figsize=figsize)
        axes = fig.subplots()
    else:
        fig = axes.figure

    if has_one_axis(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)

    line_style = {"linewidth": PROJECTOR_LINEWIDTH} if projector else {}
    axes.cla()
    for x, y, fmt in zip(X, Y, fmts):  # noqa: B905 (the book stops at the shortest, on purpose)
        if len(x):
            axes.plot(x, y, fmt, **line_style)
        else:
            axes.plot(y, fmt, **line_style)
    set_axes(
        axes,
        xlabel,
        ylabel,
        xlim,
        ylim,
        xscale,
        yscale,
        legend,
        fontsize=PROJECTOR_FONTSIZE if projector else None,
    )
    return fig


def d2l_tangent_f(x: Any) -> Any:
    """The book's function f(x) = 3x² − 4x.

    >>> d2l_tangent_f(1)
    -1
    """
    return 3 * x**2 - 4 * x


def d2l_tangent_figure(
    legend_labels: Sequence[str] = ("f(x)", "Tangent line (x=1)"),
    xlabel: str = "x",
    ylabel: str = "f(x)",
    *,
    projector: bool = False,
) -> Figure:
    """The book's figure: f(x) = 3x² − 4x and its tangent at x = 1, y = 2x − 3, for x in [0, 3) step 0.1.

    The book's call is ``plot(x, [f(x), 2 * x - 3], 'x', 'f(x)', legend=['f(x)', 'Tangent line (x=1)'])``;
    the labels are parameters so that a page can pass translated ones (Chinese gets a CJK font; use
    ``viz.mpl_fonts.label_or_fallback`` for a server without one).

    >>> fig = d2l_tangent_figure()
    >>> curve, tangent = fig.axes[0].get_lines()
    >>> len(curve.get_xdata()), tangent.get_linestyle(), tangent.get_color()
    (30, '--', 'm')
    """
    x = np.arange(0, 3, 0.1)
    return plot(
        x,
        [d2l_tangent_f(x), 2 * x - 3],
        xlabel,
        ylabel,
        legend=list(legend_labels),
        projector=projector,
    )


def d2l_tangent_rows(
    legend_labels: Sequence[str] = ("f(x)", "Tangent line (x=1)"), xlabel: str = "x"
) -> list[dict[str, float]]:
    """The data of :func:`d2l_tangent_figure`, one row per x, under the figure's labels (for a table).

    >>> d2l_tangent_rows()[3]
    {'x': 0.3, 'f(x)': -0.93, 'Tangent line (x=1)': -2.4}
    """
    x = np.arange(0, 3, 0.1)
    columns = (x, d2l_tangent_f(x), 2 * x - 3)
    # 12 decimals: arange's 0.30000000000000004 is 0.3, as the book means it
    return [
        dict(zip((xlabel, *legend_labels), (round(float(value), 12) for value in values), strict=True))
        for values in zip(*columns, strict=True)
    ]


def _save(fig: Figure, fmt: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    # bbox_inches="tight" is what Jupyter's inline backend does for the book's figures.
    fig.savefig(buffer, format=fmt, bbox_inches="tight", **options)
    return buffer.getvalue()


def figure_to_svg(fig: Figure) -> str:
    """The figure as an SVG document (text is drawn as paths, so it needs no fonts in the browser).

    >>> svg = figure_to_svg(d2l_tangent_figure())
    >>> svg.startswith("<?xml") and "<svg" in svg
    True
    """
    return _save(fig, "svg", metadata={"Date": None}).decode("utf-8")


def figure_to_png(fig: Figure, dpi: float = PNG_DPI) -> bytes:
    """The figure as PNG bytes at ``dpi`` dots per inch, for a download button.

    >>> figure_to_png(d2l_tangent_figure(), dpi=50)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    return _save(fig, "png", dpi=dpi)
