"""The sketch component (``st.components.v2``): draw a curve under a graph, or an arrow on a contour map.

``index.js`` and ``style.css`` beside this file are the whole component: plain JavaScript, no build step, no
CDN, read from the repository and registered inline (Streamlit serves files by path only for installed
packages). Everything the student draws stays in the browser until Reveal, which sends one message: the
trigger value ``reveal``. Python treats that message as untrusted numbers (``calc_core.sketch``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
COMPONENT_NAME = "d2l_calculus.sketch"


@cache
def _component():
    return st.components.v2.component(
        COMPONENT_NAME,
        js=(HERE / "index.js").read_text(encoding="utf-8"),
        css=(HERE / "style.css").read_text(encoding="utf-8"),
    )


def _ignore() -> None:
    """The trigger's callback: nothing to do, the page reads the trigger value in its run."""


def sketch_component(data: dict, key: str):
    """Mount the component with ``data`` (see index.js: ``mode`` "curve" or "arrow"); returns what the
    browser sent in this run: the Reveal message (a dict, still untrusted), or None."""
    result = _component()(key=key, data=data, on_reveal_change=_ignore, height="content")
    return result.get("reveal") if result is not None else None
