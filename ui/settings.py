"""Projector mode (?present=1): navigation across the top and larger type for a classroom screen."""

from __future__ import annotations

import streamlit as st

from ui.i18n import LANGUAGE_URL_KEY, current_language, t

PROJECTOR_STATE_KEY = "projector"
PROJECTOR_WIDGET_KEY = "projector_switch"
PROJECTOR_URL_KEY = "present"
_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off"})

PROJECTOR_SCALE = 1.3
DEFAULT_BASE_FONT_SIZE = 16  # px, Streamlit's default for theme.baseFontSize


def resolve_projector_mode() -> bool:
    """Projector mode for this run: ?present= in the URL, else this session's choice, else off.

    The URL is kept in step on every run (present=1 while on, absent while off), because navigating
    to another page through the menu drops the query string.
    """
    from_url = _parse_flag(st.query_params.get(PROJECTOR_URL_KEY))
    projector = from_url if from_url is not None else bool(st.session_state.get(PROJECTOR_STATE_KEY, False))
    st.session_state[PROJECTOR_STATE_KEY] = projector
    _write_to_url(projector)
    return projector


def is_projector() -> bool:
    """Whether figures should be drawn for a projector (pass it on as ``projector=``)."""
    return bool(st.session_state.get(PROJECTOR_STATE_KEY, False))


def navigation_position() -> str:
    return "top" if is_projector() else "sidebar"


def apply_projector_style() -> None:
    """Larger type: the root font size times PROJECTOR_SCALE, so everything sized in rem follows.

    theme.baseFontSize is a server-wide config option and projector mode is a per-reader setting, so
    Streamlit has no option for this: a style block does it (built from a number, never from user text).
    """
    if is_projector():
        base = st.get_option("theme.baseFontSize") or DEFAULT_BASE_FONT_SIZE
        st.html(f"<style>html {{ font-size: {round(base * PROJECTOR_SCALE)}px; }}</style>")


def projector_switch() -> None:
    st.session_state[PROJECTOR_WIDGET_KEY] = is_projector()
    st.toggle(
        t("settings.projector"),
        key=PROJECTOR_WIDGET_KEY,
        help=t("settings.projector_help"),
        on_change=_on_projector_switched,
    )


def _on_projector_switched() -> None:
    projector = bool(st.session_state[PROJECTOR_WIDGET_KEY])
    st.session_state[PROJECTOR_STATE_KEY] = projector
    _write_to_url(projector)


def _parse_flag(value: str | None) -> bool | None:
    if value is None:
        return None
    word = value.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


def _write_to_url(projector: bool) -> None:
    if projector and st.query_params.get(PROJECTOR_URL_KEY) != "1":
        st.query_params[PROJECTOR_URL_KEY] = "1"
    elif not projector and PROJECTOR_URL_KEY in st.query_params:
        del st.query_params[PROJECTOR_URL_KEY]


def persistent_query_params() -> dict[str, str]:
    """The settings a link to another page should carry (st.page_link clears the query string otherwise)."""
    params = {LANGUAGE_URL_KEY: current_language()}
    if is_projector():
        params[PROJECTOR_URL_KEY] = "1"
    return params
