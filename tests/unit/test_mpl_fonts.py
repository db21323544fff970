"""viz.mpl_fonts: Chinese in server-drawn figures shows as Chinese, never as empty boxes.

Where the app runs (CI, Community Cloud) a CJK font is installed (fonts-noto-cjk); there a missing font is a
failure, not a reason to skip. On a developer's machine without one these tests skip and say why.
"""

from __future__ import annotations

import copy
import os
import tomllib
import warnings
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager, ft2font
from matplotlib.figure import Figure

from viz import mpl_fonts
from viz.d2l_plot import d2l_tangent_figure, figure_to_png, figure_to_svg

ROOT = Path(__file__).resolve().parents[2]
MISSING_GLYPH = "missing from font"


@pytest.fixture(scope="module")
def cjk_family() -> str:
    family = mpl_fonts.cjk_font_family()
    if family is None:
        message = (
            "no CJK font known to matplotlib: install Debian's fonts-noto-cjk (viz.mpl_fonts also registers "
            "one installed after matplotlib built its font cache); Chinese figure labels would be boxes"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return family


def is_cjk_entry(entry: font_manager.FontEntry) -> bool:
    """Whether a font-manager entry is a CJK font (by family, or by a file that holds one)."""
    return "CJK" in entry.name or entry.name in mpl_fonts.CJK_FAMILIES or "CJK" in Path(entry.fname).name


def render_warnings(fig: Figure) -> list[str]:
    """Draw ``fig`` to SVG and PNG; the messages of all warnings raised meanwhile."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure_to_svg(fig)
        figure_to_png(fig, dpi=60)
    return [str(warning.message) for warning in caught]


def chinese_figure(title: str) -> Figure:
    fig = Figure(figsize=(3.5, 2.5))
    axes = fig.subplots()
    axes.plot([0, 1, 2], [0, 1, 4], label="切线 (x=1)")
    axes.set_title(title)
    axes.set_xlabel("自变量 x")
    axes.set_ylabel("导数")
    axes.legend()
    return fig


def test_the_debian_font_is_found(cjk_family: str) -> None:
    assert cjk_family in mpl_fonts.CJK_FAMILIES
    names = {entry.name for entry in font_manager.fontManager.ttflist}
    assert cjk_family in names


def test_chinese_text_renders_without_missing_glyphs(cjk_family: str) -> None:
    fig = chinese_figure("微积分：梯度与链式法则")
    assert mpl_fonts.apply_cjk_font(fig) is True
    assert fig.axes[0].title.get_fontfamily() == [mpl_fonts.LATIN_FAMILY, cjk_family]
    messages = render_warnings(fig)
    assert not [message for message in messages if MISSING_GLYPH in message], messages


def test_the_tangent_figure_in_chinese_renders_without_missing_glyphs(cjk_family: str) -> None:
    fig = d2l_tangent_figure(("函数 f(x)", "切线（x=1）"), xlabel="x 轴", ylabel="导数", projector=True)
    messages = render_warnings(fig)
    assert not [message for message in messages if MISSING_GLYPH in message], messages


def test_without_the_cjk_font_the_check_does_see_boxes() -> None:
    """The control: the same kind of figure with matplotlib's default font does warn, so the tests above
    would notice a missing font."""
    messages = render_warnings(chinese_figure("对照：没有中文字体"))
    assert any(MISSING_GLYPH in message for message in messages)


def test_every_chinese_character_of_the_catalogue_has_a_glyph(cjk_family: str) -> None:
    catalogue = tomllib.loads((ROOT / "locales" / "zh.toml").read_text(encoding="utf-8"))

    def strings(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)

    chinese = {char for text in strings(catalogue) for char in text if mpl_fonts.contains_cjk(char)}
    assert chinese, "zh.toml has no Chinese?"
    path = font_manager.fontManager.findfont(
        font_manager.FontProperties(family=cjk_family), fallback_to_default=False
    )
    face_index = getattr(path, "face_index", 0)  # matplotlib >= 3.11 draws the right face of a .ttc
    face = ft2font.FT2Font(str(path), face_index=face_index) if face_index else ft2font.FT2Font(str(path))
    missing = sorted(char for char in chinese if not face.get_char_index(ord(char)))
    assert not missing, f"{cjk_family} has no glyph for {''.join(missing)}"


def test_no_global_settings_change(cjk_family: str) -> None:
    before = dict(matplotlib.rcParams)
    fig = d2l_tangent_figure(("函数", "切线"), xlabel="横轴", ylabel="纵轴")
    figure_to_svg(fig)
    assert dict(matplotlib.rcParams) == before


def test_english_text_is_left_alone() -> None:
    fig = d2l_tangent_figure()
    (axes,) = fig.axes
    default = list(matplotlib.rcParams["font.family"])
    assert axes.xaxis.label.get_fontfamily() == default
    assert [text.get_fontfamily() for text in axes.get_legend().get_texts()] == [default, default]
    assert mpl_fonts.font_family_for("Tangent line (x=1)") is None


def test_a_stale_font_cache_is_repaired(cjk_family: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """matplotlib's font cache built before fonts-noto-cjk was installed does not list it: the installed file
    is registered and found."""
    stale = copy.copy(font_manager.fontManager)
    stale.ttflist = [entry for entry in stale.ttflist if not is_cjk_entry(entry)]
    monkeypatch.setattr(font_manager, "fontManager", stale)
    assert mpl_fonts._find_registered_family() is None
    assert mpl_fonts.configure_cjk_font() in mpl_fonts.CJK_FAMILIES


def test_without_any_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    bare = copy.copy(font_manager.fontManager)
    bare.ttflist = [entry for entry in bare.ttflist if not is_cjk_entry(entry)]
    monkeypatch.setattr(font_manager, "fontManager", bare)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    assert mpl_fonts.configure_cjk_font() is None

    monkeypatch.setattr(mpl_fonts, "cjk_font_family", lambda: None)
    assert mpl_fonts.label_or_fallback("切线 (x=1)", "Tangent line (x=1)") == "Tangent line (x=1)"
    assert mpl_fonts.label_or_fallback("Tangent", "unused") == "Tangent"
    assert not mpl_fonts.can_draw("导数")
    fig = Figure()
    fig.subplots().set_title("导数")
    assert mpl_fonts.apply_cjk_font(fig) is False


def test_contains_cjk() -> None:
    assert mpl_fonts.contains_cjk("导数") and mpl_fonts.contains_cjk("（")
    assert not mpl_fonts.contains_cjk("f'(x) = 6x − 4, ∂y/∂x, ∇f, ‖x‖²")


def test_svg_of_chinese_needs_no_browser_font(cjk_family: str) -> None:
    """SVG text is drawn as paths (matplotlib's default svg.fonttype), so the reader's fonts do not matter."""
    svg = figure_to_svg(d2l_tangent_figure(("函数", "切线")))
    assert "<text" not in svg and "<path" in svg
