"""The reader's classroom settings, each a flag in the URL kept across pages.

Projector mode (?present=1): navigation across the top and larger type for a classroom screen. Predict mode
(?predict=1): each page's key answer waits behind a prompt and a Reveal button (ui/reveal.py), so the class
guesses first.
"""

from __future__ import annotations

import streamlit as st

from ui.errors import code_span
from ui.i18n import LANGUAGE_URL_KEY, LANGUAGES, current_language, t
from ui.url_state import MAX_URL_NUMBER_CHARS, url_flag

PROJECTOR_STATE_KEY = "projector"
PROJECTOR_WIDGET_KEY = "projector_switch"
PROJECTOR_URL_KEY = "present"

PREDICT_STATE_KEY = "predict"
PREDICT_WIDGET_KEY = "predict_switch"
PREDICT_URL_KEY = "predict"

PROJECTOR_SCALE = 1.3
DEFAULT_BASE_FONT_SIZE = 16  # px, Streamlit's default for theme.baseFontSize


def resolve_projector_mode() -> bool:
    """Projector mode for this run: ?present= in the URL, else this session's choice, else off.

    The URL is kept in step on every run (present=1 while on, absent while off), because navigating
    to another page through the menu drops the query string.
    """
    from_url = url_flag(st.query_params.get(PROJECTOR_URL_KEY))
    projector = from_url if from_url is not None else bool(st.session_state.get(PROJECTOR_STATE_KEY, False))
    st.session_state[PROJECTOR_STATE_KEY] = projector
    _write_to_url(projector)
    return projector


def resolve_predict_mode() -> bool:
    """Predict mode for this run: ?predict= in the URL, else this session's choice, else off.

    Kept in the URL like projector mode (predict=1 while on, absent while off). A value that is no flag
    (``predict=<script>``) counts as absent, and the URL is corrected.
    """
    from_url = url_flag(st.query_params.get(PREDICT_URL_KEY))
    predict = from_url if from_url is not None else bool(st.session_state.get(PREDICT_STATE_KEY, False))
    st.session_state[PREDICT_STATE_KEY] = predict
    _write_flag(PREDICT_URL_KEY, predict)
    return predict


def is_predict() -> bool:
    """Whether answers wait behind a prompt until revealed (see ui/reveal.py)."""
    return bool(st.session_state.get(PREDICT_STATE_KEY, False))


def is_projector() -> bool:
    """Whether figures should be drawn for a projector (pass it on as ``projector=``)."""
    return bool(st.session_state.get(PROJECTOR_STATE_KEY, False))


def navigation_position() -> str:
    return "top" if is_projector() else "sidebar"


# KaTeX draws subscripts and fractions with a 2 px negative right margin (its .vlist-t2), so a display formula
# that fits its column still overflows it by 2 px. Streamlit gives .katex-display `overflow-x: auto`, so that
# formula becomes a scrollable box that keyboard users cannot reach (axe: scrollable-region-focusable, WCAG
# 2.1.1). Two pixels of padding give the overhang room; a formula really wider than its column still scrolls.
KATEX_SCROLL_FIX = ".katex-display > .katex { padding-right: 2px; }"


def apply_projector_style() -> None:
    """Larger type: the root font size times PROJECTOR_SCALE, so everything sized in rem follows.

    theme.baseFontSize is a server-wide config option and projector mode is a per-reader setting, so
    Streamlit has no option for this: a style block does it (built from a number, never from user text).
    The same block, in every mode, carries KATEX_SCROLL_FIX. A style-only st.html takes no room on the page.
    """
    css = KATEX_SCROLL_FIX
    if is_projector():
        base = st.get_option("theme.baseFontSize") or DEFAULT_BASE_FONT_SIZE
        css += f" html {{ font-size: {round(base * PROJECTOR_SCALE)}px; }}"
    st.html(f"<style>{css}</style>")


def projector_switch() -> None:
    _switch(PROJECTOR_WIDGET_KEY, is_projector(), "settings.projector", _on_projector_switched)


def predict_switch() -> None:
    _switch(PREDICT_WIDGET_KEY, is_predict(), "reveal.switch", _on_predict_switched)


def _switch(widget_key: str, on: bool, label_key: str, on_change) -> None:
    """A toggle showing the setting as it is now (``on``), labelled ``label_key`` with help
    ``{label_key}_help``; ``on_change`` writes the new value to the session and the URL."""
    st.session_state[widget_key] = on
    st.toggle(t(label_key), key=widget_key, help=t(f"{label_key}_help"), on_change=on_change)


def _on_predict_switched() -> None:
    predict = bool(st.session_state[PREDICT_WIDGET_KEY])
    st.session_state[PREDICT_STATE_KEY] = predict
    _write_flag(PREDICT_URL_KEY, predict)


def _on_projector_switched() -> None:
    projector = bool(st.session_state[PROJECTOR_WIDGET_KEY])
    st.session_state[PROJECTOR_STATE_KEY] = projector
    _write_to_url(projector)


def unusable_setting_values() -> list[tuple[str, str]]:
    """The settings in this run's link whose value means nothing (``lang=fr``, ``present=maybe``), as
    (name, value) pairs; read them before the settings are resolved, which corrects the URL."""

    def usable(name: str, value: str) -> bool:
        return value in LANGUAGES if name == LANGUAGE_URL_KEY else url_flag(value) is not None

    names = (LANGUAGE_URL_KEY, PROJECTOR_URL_KEY, PREDICT_URL_KEY)
    given = {name: st.query_params.get(name) for name in names}
    return [(name, value) for name, value in given.items() if value is not None and not usable(name, value)]


def say_unusable_setting_values(unusable: list[tuple[str, str]]) -> None:
    """One toast per setting the link could not use: the page opens with that setting's usual value."""
    for name, value in unusable:
        shown = value if len(value) <= MAX_URL_NUMBER_CHARS else value[:MAX_URL_NUMBER_CHARS] + "…"
        message = t("settings.link_value_ignored", given=code_span(f"{name}={shown}"))
        st.toast(message, icon=":material/link_off:")


def _write_to_url(projector: bool) -> None:
    _write_flag(PROJECTOR_URL_KEY, projector)


def _write_flag(url_key: str, on: bool) -> None:
    if on and st.query_params.get(url_key) != "1":
        st.query_params[url_key] = "1"
    elif not on and url_key in st.query_params:
        del st.query_params[url_key]


def persistent_query_params() -> dict[str, str]:
    """The settings a link to another page should carry (st.page_link clears the query string otherwise)."""
    params = {LANGUAGE_URL_KEY: current_language()}
    if is_projector():
        params[PROJECTOR_URL_KEY] = "1"
    if is_predict():
        params[PREDICT_URL_KEY] = "1"
    return params
