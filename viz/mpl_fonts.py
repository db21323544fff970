"""Chinese text in the figures matplotlib draws on the server.

The browser draws the text of Streamlit elements and Altair charts with the reader's own fonts, but
matplotlib draws its text on the server. A server without a CJK font turns every Chinese character into an
empty box (and matplotlib warns "Glyph ... missing from font(s) DejaVu Sans"). The app makes a CJK font
certain where it runs: Debian's ``fonts-noto-cjk`` (``packages.txt`` on Community Cloud, apt in ``.ci/run``),
which matplotlib's font manager lists as "Noto Sans CJK SC" (and TC, JP, KR, HK: one ``.ttc`` file holds all
five faces).

This module finds that font and hands it to the figures that need it, **one Text at a time**: a text that
contains Chinese gets ``fontfamily=["DejaVu Sans", <CJK family>]``; nothing else changes. DejaVu Sans (which
ships with matplotlib) comes first so that Latin letters, digits and symbols look the same as in the English
figure and in the tick labels; matplotlib's per-glyph font fallback takes the Chinese characters from the CJK
font. No global ``rcParams`` is touched: they are shared by every session's thread in the server process.

The one process-wide change this module may make is to *register* a font file with matplotlib's font manager
(``fontManager.addfont``), and only when matplotlib's font cache was built before the font was installed (a
stale ``~/.cache/matplotlib/fontlist-*.json``). That is configuration, not session state: it happens at most
once per process, under a lock, only adds a font, and is the same for every session.

Without any CJK font, :func:`cjk_font_family` returns ``None``: a page then draws English labels in its
server-side figures (:func:`label_or_fallback`), since boxes would teach nothing.

>>> contains_cjk("切线 (x=1)"), contains_cjk("Tangent line (x=1)")
(True, False)
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable
from pathlib import Path

from matplotlib import font_manager, ft2font
from matplotlib.artist import Artist
from matplotlib.text import Text

# Family names as matplotlib's font manager reports them, best first. Simplified Chinese first: the lesson
# is zh.d2l.ai's. The other Noto CJK faces hold every Chinese character too, with regional glyph shapes;
# matplotlib < 3.11 registers only the first face of a .ttc file, for Debian's file "Noto Sans CJK JP".
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Source Han Sans CN",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Arial Unicode MS",
)

#: The family that draws everything but the Chinese characters (bundled with matplotlib, always there).
LATIN_FAMILY = "DejaVu Sans"

# A font qualifies only if it really has these glyphs (words from the lesson, and full-width punctuation).
_PROBE_TEXT = "导数微分切线梯度链式法则极限，（）："

# File names (lower case, without separators) of CJK fonts, for a font cache built before they were installed.
_FONT_FILE_MARKERS = (
    "notosanscjk",
    "sourcehansans",
    "notosanssc",
    "wqyzenhei",
    "wqymicrohei",
    "droidsansfallback",
)

# CJK radicals, punctuation, kana, bopomofo, unified ideographs (with extension A and the compatibility
# block), full-width forms, and the supplementary ideograph planes.
_CJK_RE = re.compile(
    "[\u2e80-\u2fdf\u3000-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)

_register_lock = threading.Lock()


def contains_cjk(text: str) -> bool:
    """Whether ``text`` has a character that only a CJK font draws (Chinese, full-width punctuation, ...).

    >>> contains_cjk("导数"), contains_cjk("f'(x) = 6x − 4"), contains_cjk("（x）")
    (True, False, True)
    """
    return bool(_CJK_RE.search(text))


def _face_has_glyphs(path: str, face_index: int, text: str) -> bool:
    """Whether the font face at ``path`` maps every character of ``text`` to a glyph."""
    try:
        font = ft2font.FT2Font(path, face_index=face_index) if face_index else ft2font.FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(char)) for char in text)


def _family_draws(family: str, text: str = _PROBE_TEXT) -> bool:
    """Whether matplotlib resolves ``family`` to a font file (the one it will draw with) that has ``text``."""
    try:
        path = font_manager.fontManager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
    except ValueError:
        return False
    return _face_has_glyphs(str(path), getattr(path, "face_index", 0), text)


def _find_registered_family() -> str | None:
    """The best family of :data:`CJK_FAMILIES` that the font manager knows and that draws Chinese."""
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in known and _family_draws(family)), None)


def _register_installed_cjk_files() -> int:
    """Register installed CJK font files that matplotlib's font cache misses; return how many."""
    # A file counts as registered only under a family we look for (a .ttc holds several families).
    registered = {
        Path(entry.fname).resolve()
        for entry in font_manager.fontManager.ttflist
        if entry.name in CJK_FAMILIES
    }
    added = 0
    for name in font_manager.findSystemFonts(fontext="ttf"):
        path = Path(name).resolve()
        squeezed = re.sub(r"[^a-z]", "", path.name.lower())
        if path in registered or not any(marker in squeezed for marker in _FONT_FILE_MARKERS):
            continue
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue
        registered.add(path)
        added += 1
    return added


def configure_cjk_font() -> str | None:
    """Find a CJK font matplotlib can draw Chinese with, and return its family name (``None`` if none).

    Looks through the families matplotlib's font manager knows, in the order of :data:`CJK_FAMILIES`, and
    checks that the face matplotlib would pick really has Chinese glyphs. If none qualifies, it registers the
    CJK font files installed on the system (a font cache built before ``fonts-noto-cjk`` was installed does
    not list them) and looks again. Global ``rcParams`` are never changed: use the name per Text, e.g. through
    :func:`font_family_for` or :func:`apply_cjk_font`. Prefer the cached :func:`cjk_font_family`.

    >>> family = configure_cjk_font()
    >>> family is None or family in CJK_FAMILIES
    True
    """
    family = _find_registered_family()
    if family is not None:
        return family
    with _register_lock:
        family = _find_registered_family()  # another thread may have registered the files meanwhile
        if family is None and _register_installed_cjk_files():
            family = _find_registered_family()
    return family


@functools.cache
def cjk_font_family() -> str | None:
    """:func:`configure_cjk_font`, run once per process: the CJK family name, or ``None`` when there is none.

    >>> cjk_font_family() == cjk_font_family()
    True
    """
    return configure_cjk_font()


def font_family_for(text: str) -> list[str] | None:
    """The ``fontfamily`` for a Text showing ``text``: ``None`` (the default) unless it needs CJK glyphs.

    For Chinese text this is ``["DejaVu Sans", <CJK family>]`` when a CJK font exists (and still ``None`` when
    not: check :func:`can_draw` first).

    >>> font_family_for("Tangent line (x=1)") is None
    True
    >>> family = font_family_for("切线 (x=1)")
    >>> family is None or family == [LATIN_FAMILY, cjk_font_family()]
    True
    """
    family = cjk_font_family() if contains_cjk(text) else None
    return [LATIN_FAMILY, family] if family else None


def can_draw(text: str) -> bool:
    """Whether a server-drawn figure can show ``text`` without empty boxes.

    >>> can_draw("f(x) = 3x² − 4x")
    True
    """
    return not contains_cjk(text) or cjk_font_family() is not None


def label_or_fallback(text: str, fallback: str) -> str:
    """``text`` if a server-drawn figure can show it, else ``fallback`` (the English label).

    >>> label_or_fallback("Tangent line (x=1)", "unused")
    'Tangent line (x=1)'
    >>> label_or_fallback("切线 (x=1)", "Tangent line (x=1)") in {"切线 (x=1)", "Tangent line (x=1)"}
    True
    """
    return text if can_draw(text) else fallback


def apply_cjk_font(artists: Artist | Iterable[Artist]) -> bool:
    """Give every Text in ``artists`` (a Figure, an Axes, ...) that contains Chinese a CJK-capable family.

    Changes only those Text objects, never global settings. Call it after all labels are set (tick labels are
    made at draw time with the default font; they are numbers). Returns ``False`` when some Chinese text
    remains that no installed font can draw.

    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = fig.subplots()
    >>> _ = ax.set_xlabel("x"), ax.set_title("导数")
    >>> ok = apply_cjk_font(fig)
    >>> ok == (cjk_font_family() is not None)
    True
    >>> ax.xaxis.label.get_fontfamily()  # no Chinese: left alone
    ['sans-serif']
    """
    roots = [artists] if isinstance(artists, Artist) else list(artists)
    all_drawable = True
    for root in roots:
        for text in root.findobj(Text):
            content = text.get_text()
            if not contains_cjk(content):
                continue
            family = font_family_for(content)
            if family is None:
                all_drawable = False
            else:
                text.set_fontfamily(family)
    return all_drawable
