"""viz.d2l_plot: the book's plotting helpers draw what the book draws, on Figure objects, without pyplot."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from viz.d2l_plot import (
    BOOK_FIGSIZE,
    PROJECTOR_FIGSIZE_SCALE,
    PROJECTOR_FONTSIZE,
    PROJECTOR_LINEWIDTH,
    d2l_tangent_figure,
    figure_to_png,
    figure_to_svg,
    has_one_axis,
    plot,
    set_axes,
    set_figsize,
    use_svg_display,
)

ROOT = Path(__file__).resolve().parents[2]
MAGENTA = (0.75, 0.0, 0.75, 1.0)  # matplotlib's 'm'


def lines_of(fig: Figure):
    (axes,) = fig.axes
    return axes.get_lines()


def test_one_curve() -> None:
    x = np.arange(0, 3, 0.1)
    fig = plot(x, x**2)
    assert isinstance(fig, Figure)
    (line,) = lines_of(fig)
    np.testing.assert_array_equal(line.get_xdata(), x)
    np.testing.assert_array_equal(line.get_ydata(), x**2)
    assert line.get_linestyle() == "-"


def test_several_curves_share_one_x() -> None:
    x = np.linspace(-1, 1, 5)
    fig = plot(x, [x, x**2, x**3])
    lines = lines_of(fig)
    assert len(lines) == 3
    for line, power in zip(lines, (1, 2, 3), strict=True):
        np.testing.assert_array_equal(line.get_xdata(), x)
        np.testing.assert_array_equal(line.get_ydata(), x**power)


def test_one_x_per_curve() -> None:
    fig = plot([[0, 1, 2], [10, 20]], [[5, 6, 7], [8, 9]])
    first, second = lines_of(fig)
    assert first.get_xdata().tolist() == [0, 1, 2] and first.get_ydata().tolist() == [5, 6, 7]
    assert second.get_xdata().tolist() == [10, 20] and second.get_ydata().tolist() == [8, 9]


def test_lists_of_numbers_work_like_arrays() -> None:
    (line,) = lines_of(plot([0, 1, 2], [4, 5, 6]))
    assert line.get_xdata().tolist() == [0, 1, 2] and line.get_ydata().tolist() == [4, 5, 6]


@pytest.mark.parametrize("data", [np.array([3.0, 1.0, 4.0, 1.5]), [3.0, 1.0, 4.0, 1.5]])
def test_y_none_plots_x_against_its_index(data) -> None:
    (line,) = lines_of(plot(data))
    assert line.get_xdata().tolist() == [0, 1, 2, 3]
    assert line.get_ydata().tolist() == [3.0, 1.0, 4.0, 1.5]


def test_y_none_with_several_curves() -> None:
    first, second = lines_of(plot([np.array([1.0, 2.0]), np.array([5.0, 6.0, 7.0])]))
    assert first.get_xdata().tolist() == [0, 1] and second.get_xdata().tolist() == [0, 1, 2]


def test_fmts_in_the_books_order() -> None:
    x = np.arange(4.0)
    lines = lines_of(plot(x, [x, x + 1, x + 2, x + 3]))
    assert [line.get_linestyle() for line in lines] == ["-", "--", "-.", ":"]
    assert to_rgba(lines[1].get_color()) == MAGENTA
    assert to_rgba(lines[2].get_color()) == to_rgba("g")
    assert to_rgba(lines[3].get_color()) == to_rgba("r")
    # The first format has no colour: the first colour of matplotlib's cycle (C0), as in the book.
    assert to_rgba(lines[0].get_color()) == to_rgba("C0")


def test_like_the_book_curves_beyond_the_fmts_are_not_drawn() -> None:
    x = np.arange(3.0)
    assert len(lines_of(plot(x, [x * k for k in range(5)]))) == 4
    assert len(lines_of(plot(x, [x * k for k in range(5)], fmts=["-"] * 5))) == 5


def test_log_scales() -> None:
    x = np.logspace(0, 3, 20)
    fig = plot(x, x**2, xscale="log", yscale="log")
    (axes,) = fig.axes
    assert axes.get_xscale() == "log" and axes.get_yscale() == "log"


def test_labels_legend_limits_and_grid() -> None:
    x = np.arange(0, 3, 0.1)
    fig = plot(x, [x, -x], "x", "y", legend=["up", "down"], xlim=[0, 2], ylim=(-5, 5))
    (axes,) = fig.axes
    assert axes.get_xlabel() == "x" and axes.get_ylabel() == "y"
    assert [text.get_text() for text in axes.get_legend().get_texts()] == ["up", "down"]
    assert axes.get_xlim() == (0, 2) and axes.get_ylim() == (-5, 5)
    assert all(line.get_visible() for line in axes.xaxis.get_gridlines())
    assert all(line.get_visible() for line in axes.yaxis.get_gridlines())


def test_no_legend_by_default_and_labels_empty() -> None:
    (axes,) = plot(np.arange(3.0)).axes
    assert axes.get_legend() is None
    assert axes.get_xlabel() == "" and axes.get_ylabel() == ""


def test_set_axes_keeps_the_grid_on_when_called_twice() -> None:
    fig = Figure()
    axes = fig.subplots()
    for _ in range(2):
        set_axes(axes, "x", "y", None, None, "linear", "linear", None)
    assert all(line.get_visible() for line in axes.xaxis.get_gridlines())


def test_figsize_and_given_axes() -> None:
    assert plot(np.arange(3.0)).get_size_inches().tolist() == list(BOOK_FIGSIZE)
    assert plot(np.arange(3.0), figsize=(5, 3)).get_size_inches().tolist() == [5, 3]
    fig = Figure(figsize=(4, 4))
    left, right = fig.subplots(1, 2)
    left.plot([9, 9, 9])
    assert plot(np.arange(3.0), axes=left) is fig
    assert len(left.get_lines()) == 1  # cleared first, as in the book
    assert fig.get_size_inches().tolist() == [4, 4]


def test_set_figsize_returns_a_size_and_touches_no_global_setting() -> None:
    before = list(matplotlib.rcParams["figure.figsize"])
    assert set_figsize((5, 3)) == (5.0, 3.0)
    assert list(matplotlib.rcParams["figure.figsize"]) == before
    with pytest.raises(ValueError, match="positive"):
        set_figsize((0, 3))
    assert use_svg_display() == "svg"


def test_has_one_axis() -> None:
    assert has_one_axis(np.zeros(3)) and has_one_axis([1.0, 2.0])
    assert not has_one_axis(np.zeros((2, 3))) and not has_one_axis([[1.0], [2.0]])


def test_projector_mode_is_bigger() -> None:
    book = d2l_tangent_figure()
    big = d2l_tangent_figure(projector=True)
    assert big.get_size_inches().tolist() == [w * PROJECTOR_FIGSIZE_SCALE for w in BOOK_FIGSIZE]
    assert {line.get_linewidth() for line in lines_of(big)} == {PROJECTOR_LINEWIDTH}
    assert max(line.get_linewidth() for line in lines_of(book)) < PROJECTOR_LINEWIDTH
    (axes,) = big.axes
    assert axes.xaxis.label.get_fontsize() == PROJECTOR_FONTSIZE
    assert {text.get_fontsize() for text in axes.get_legend().get_texts()} == {PROJECTOR_FONTSIZE}


def test_the_books_tangent_figure() -> None:
    fig = d2l_tangent_figure()
    curve, tangent = lines_of(fig)
    x = np.arange(0, 3, 0.1)
    np.testing.assert_array_equal(curve.get_xdata(), x)
    np.testing.assert_allclose(curve.get_ydata(), 3 * x**2 - 4 * x)
    np.testing.assert_array_equal(tangent.get_xdata(), x)
    np.testing.assert_allclose(tangent.get_ydata(), 2 * x - 3)
    assert curve.get_linestyle() == "-"
    assert tangent.get_linestyle() == "--" and to_rgba(tangent.get_color()) == MAGENTA
    (axes,) = fig.axes
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("x", "f(x)")
    assert [text.get_text() for text in axes.get_legend().get_texts()] == ["f(x)", "Tangent line (x=1)"]
    # The tangent touches the curve at (1, -1) (the 11th sample, x = 1.0 up to rounding).
    assert curve.get_ydata()[10] == pytest.approx(-1) and tangent.get_ydata()[10] == pytest.approx(-1)


def test_tangent_figure_labels_are_parameters() -> None:
    (axes,) = d2l_tangent_figure(("f", "g"), xlabel="t", ylabel="v").axes
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("t", "v")
    assert [text.get_text() for text in axes.get_legend().get_texts()] == ["f", "g"]


def test_svg_and_png_output() -> None:
    fig = d2l_tangent_figure()
    svg = figure_to_svg(fig)
    assert svg.startswith("<?xml") and "<svg" in svg and svg.rstrip().endswith("</svg>")
    assert "<dc:date>" not in svg  # no time stamp: the same figure gives the same bytes for a cache
    png = figure_to_png(fig, dpi=72)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(figure_to_png(fig, dpi=144)) > len(png)


def test_pyplot_is_never_imported() -> None:
    script = textwrap.dedent(
        """
        import sys
        import numpy as np
        from viz import d2l_plot, mpl_fonts
        fig = d2l_plot.d2l_tangent_figure(("f(x)", "切线 (x=1)"), projector=True)
        d2l_plot.plot(np.arange(5.0), None, "x", "y", legend=["a"], xscale="log")
        d2l_plot.figure_to_svg(fig)
        d2l_plot.figure_to_png(fig, dpi=50)
        mpl_fonts.cjk_font_family()
        assert "matplotlib.pyplot" not in sys.modules, "pyplot was imported"
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
