"""Charts on the page: built once per distinct input, then served from a shared, bounded cache.

Building an Altair chart and turning it into a Vega-Lite spec costs tens of milliseconds, most of a
rerun's budget; the spec is plain JSON-like data, so it is cached and drawn with st.vega_lite_chart.
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import streamlit as st

CHART_CACHE_ENTRIES = 256


@st.cache_data(max_entries=CHART_CACHE_ENTRIES, show_spinner=False)
def _spec(_build: Callable[..., alt.TopLevelMixin], build_name: str, args: tuple) -> dict:
    return _build(*args).to_dict()


def show_chart(build: Callable[..., alt.TopLevelMixin], *args) -> None:
    """Draw ``build(*args)``; ``args`` must be hashable plain data that fully determine the chart."""
    spec = _spec(build, f"{build.__module__}.{build.__qualname__}", args)
    st.vega_lite_chart(spec, width="stretch")
