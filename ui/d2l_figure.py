"""D2L's tangent figure (f(x) = 3x² − 4x and its tangent at x = 1), drawn by the book's own plot helper and
shipped as SVG files, one per language and screen mode.

The figure never changes: drawing it on a server's first run would import matplotlib (about 300 ms) for the
first reader of the rules page after every start. So it is drawn once, by ``viz.d2l_plot``, and kept in
``ui/assets/``; the page reads the file. ``tests/unit/test_d2l_figure.py`` draws it again and checks that
the shipped files show the same figure. After a change to the figure or to its label, write them again::

    .venv/bin/python -m ui.d2l_figure

The PNG download and the data table still come from ``viz.d2l_plot`` itself, when a reader asks for them.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ui.i18n import LANGUAGES, translate

ASSET_DIR = Path(__file__).resolve().parent / "assets"


def legend_labels(language: str) -> tuple[str, str]:
    """The figure's two legend entries: "f(x)" is a symbol, the same in both languages."""
    return "f(x)", translate(language, "rules.d2l_legend_tangent")


def asset_path(language: str, projector: bool) -> Path:
    return ASSET_DIR / f"d2l-tangent-{language}{'-projector' if projector else ''}.svg"


@functools.cache
def d2l_tangent_svg(language: str, projector: bool) -> str:
    """The shipped SVG document of the figure for ``language`` (``"en"``/``"zh"``) and screen mode."""
    return asset_path(language, projector).read_text(encoding="utf-8")


def draw_d2l_tangent_svg(language: str, projector: bool) -> str:
    """The figure drawn now by ``viz.d2l_plot``: what the shipped file must show."""
    # Imported here, not at the top: importing matplotlib is the cost this module exists to avoid.
    from viz.d2l_plot import d2l_tangent_figure, figure_to_svg

    return figure_to_svg(d2l_tangent_figure(legend_labels=legend_labels(language), projector=projector))


def write_assets() -> list[Path]:
    """Draw every variant and write it to ``ui/assets/``; returns the files written."""
    import matplotlib

    ASSET_DIR.mkdir(exist_ok=True)
    written = []
    # A fixed salt for the SVG's element ids: drawing again writes the same bytes, so git shows no change.
    # (rc_context changes matplotlib's global settings: fine in this offline script, never in the server.)
    with matplotlib.rc_context({"svg.hashsalt": "d2l-tangent"}):
        for language in LANGUAGES:
            for projector in (False, True):
                path = asset_path(language, projector)
                path.write_text(draw_d2l_tangent_svg(language, projector), encoding="utf-8")
                written.append(path)
    return written


if __name__ == "__main__":
    for path in write_assets():
        print(path.relative_to(ASSET_DIR.parent.parent))
