"""The top of a topic page, and the projector's first screen.

Outside projector mode a topic page starts as it always did: the title, then the introduction; the Copy link
button is drawn above the page by the entry script.

In projector mode (?present=1) a teacher who opens a lesson link wants what the class should look at on the
first screen: the part's figure and its input. So the page asks :func:`is_first_screen` and puts its input
and figure first, and this module keeps the rest out of the way: the Copy link sits beside the title
(:func:`lesson_title`, which tells the entry script not to draw it again), the introduction is folded into
an expander (:func:`introduction`), the headings are smaller, and the empty band that Streamlit leaves above
the page for its top navigation is cut down to the navigation's own height.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from ui.i18n import t
from ui.settings import is_projector
from ui.share import share_control

# Set by lesson_title when the page drew the Copy link itself; the entry script clears it before each run.
SHARE_PLACED_KEY = "share_beside_title"
# Streamlit 1.67 pads the main block by 8.5rem when the navigation is at the top; the navigation bar is about
# 4rem high. The style is built from constants only.
PROJECTOR_TOP_PADDING_REM = 4.5
COMPACT_TOP_STYLE = (
    f'[data-testid="stMainBlockContainer"] {{ padding-top: {PROJECTOR_TOP_PADDING_REM}rem; }}'
    ' [data-testid="stMain"] h1 { font-size: 1.75rem; padding-top: 0.25rem; padding-bottom: 0.25rem; }'
    ' [data-testid="stMain"] h2 { font-size: 1.5rem; padding-top: 0.5rem; padding-bottom: 0.25rem; }'
    ' [data-testid="stMain"] h3 { font-size: 1.25rem; padding-top: 0.25rem; padding-bottom: 0.25rem; }'
)
TITLE_COLUMNS = (3, 1)  # wide enough for the button in both languages at 1024 px


def is_first_screen() -> bool:
    """Whether the page should put its input and figure first (projector mode)."""
    return is_projector()


def lesson_title(title: str, url_path: str) -> None:
    """The page's title; in projector mode with the Copy link beside it, and the band above it cut down."""
    if not is_projector():
        st.title(title)
        return
    st.html(f"<style>{COMPACT_TOP_STYLE}</style>")
    # Columns, not a horizontal container: the share fragment's block would take a whole row of its own.
    left, right = st.columns(TITLE_COLUMNS, vertical_alignment="center")
    with left:
        st.title(title)
    with right:
        share_control(url_path)
    st.session_state[SHARE_PLACED_KEY] = True


def share_placed() -> bool:
    """Whether this run's page already drew the Copy link (the entry script then leaves it out)."""
    return bool(st.session_state.get(SHARE_PLACED_KEY, False))


def clear_share_placed() -> None:
    """Before a page runs: it has not drawn the Copy link yet."""
    st.session_state[SHARE_PLACED_KEY] = False


@contextmanager
def introduction() -> Iterator[None]:
    """Where the page's introduction goes: on the page, or in projector mode in a closed expander."""
    if not is_projector():
        yield
        return
    with st.expander(t("lesson.introduction"), icon=":material/menu_book:"):
        yield
