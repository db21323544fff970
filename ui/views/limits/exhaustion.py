"""The method of exhaustion: the polygon whose n moves in the browser, and Archimedes' bounds for π."""

from __future__ import annotations

import math

import streamlit as st

from calc_core.exhaustion import (
    ARCHIMEDES_LOWER,
    ARCHIMEDES_UPPER,
    archimedes_bounds,
    archimedes_rows,
    exhaustion_error_table,
)
from ui import charts
from ui.errors import code_span
from ui.format import number_table
from ui.i18n import current_language, t, translate
from ui.settings import is_projector
from ui.url_state import url_number
from ui.views.limits.common import N_KEY, chart_width, chart_with_description, own_size
from viz.exhaustion_charts import N_PARAM, polygon_chart

N_MIN, N_MAX, DEFAULT_N = 3, 1000, 6


POLYGON_WORDS = ("slider", "inscribed", "circumscribed", "circle", "gap")


EXHAUSTION_WORDS = ("n", "error", "inscribed", "circumscribed", "reference", "archimedes")


def polygon_sides() -> int:
    """The polygon's starting n from ``?n=``, clamped to N_MIN … N_MAX; anything else is reported."""
    raw = st.query_params.get(N_KEY)
    if not raw:
        return DEFAULT_N
    value = url_number(raw, math.inf)
    if value is None or not float(value).is_integer():
        st.warning(t("limits.n_ignored", given=code_span(raw[:40]), used=DEFAULT_N), icon=":material/link:")
        n = DEFAULT_N
    else:
        n = int(min(max(value, N_MIN), N_MAX))
        if n != value:
            st.warning(t("limits.n_clamped", given=code_span(raw[:40]), used=n, low=N_MIN, high=N_MAX))
    if raw != str(n):
        st.query_params[N_KEY] = str(n)  # the address now says what the page shows
    return n


def polygon_figure(n: int) -> None:
    """The circle between two n-gons with n on a slider in the chart, the error against n below it."""
    # The cached chart is shared by every session: its slider starts at this reader's n in a copy.
    spec = _polygon_spec(current_language(), is_projector(), chart_width()).with_params(**{N_PARAM: n})
    rows = {row.sides: row for row in archimedes_rows((n, 6, 96))}
    description = t(
        "limits.polygon_description",
        n=n,
        inscribed=f"{rows[n].inscribed_area:.5f}",
        circumscribed=f"{rows[n].circumscribed_area:.5f}",
        pi=f"{math.pi:.5f}",
        error_6=f"{math.pi - rows[6].inscribed_area:.2e}",
        error_96=f"{math.pi - rows[96].inscribed_area:.2e}",
        ratio=f"{(math.pi - rows[6].inscribed_area) / (math.pi - rows[96].inscribed_area):.0f}",
    )
    chart_with_description(spec, description, t("limits.polygon_how"), ("limits", "polygon", f"n{n}"))


def _polygon_spec(language: str, projector: bool, width: int) -> charts.Prepared:
    """The polygon chart for n = 3 … 1000 (its starting n is set per reader: ``with_params``)."""
    return charts.prepare(_polygon_chart, language, projector, width)


def _polygon_chart(language: str, projector: bool, width: int) -> dict:
    labels = {key: translate(language, f"limits.polygonchart_{key}") for key in POLYGON_WORDS}
    error_labels = {key: translate(language, f"limits.exhaustionchart_{key}") for key in EXHAUSTION_WORDS}
    size = min(width, 560) if projector else 440
    chart = polygon_chart(
        range(N_MIN, N_MAX + 1),
        DEFAULT_N,
        labels=labels,
        projector=projector,
        errors=exhaustion_error_table(),
        error_labels=error_labels,
        size=size,
    )
    return own_size(chart)


# --- the method of exhaustion ---------------------------------------------------------------------------


def archimedes_table() -> None:
    """Archimedes' polygons: his half-perimeter bounds, the area bounds, and today's π, five places each."""
    rows = archimedes_rows()
    columns = {
        t("limits.col_sides"): [str(row.sides) for row in rows],
        t("limits.col_inscribed_half_perimeter"): [f"{row.inscribed_half_perimeter:.5f}" for row in rows],
        t("limits.col_circumscribed_half_perimeter"): [
            f"{row.circumscribed_half_perimeter:.5f}" for row in rows
        ],
        t("limits.col_inscribed_area"): [f"{row.inscribed_area:.5f}" for row in rows],
        t("limits.col_circumscribed_area"): [f"{row.circumscribed_area:.5f}" for row in rows],
        t("limits.col_pi"): [f"{row.pi:.5f}" for row in rows],
    }
    number_table(columns)


def archimedes_chain() -> None:
    """The numbers around π for the 96-gon and Archimedes' fractions, in increasing order."""
    items = archimedes_bounds()
    number_table(
        {
            t("limits.col_quantity"): [t(f"limits.bound_{item['key']}") for item in items],
            t("limits.col_value"): [f"{item['value']:.5f}" for item in items],
        }
    )
    lower, upper = (_truncated(float(bound), 6) for bound in (ARCHIMEDES_LOWER, ARCHIMEDES_UPPER))
    st.latex(rf"3\tfrac{{10}}{{71}} = {lower}\ldots < \pi < {upper}\ldots = 3\tfrac{{1}}{{7}}")
    st.caption(t("limits.archimedes_fractions"))


def _truncated(value: float, places: int) -> str:
    """``value`` cut (not rounded) after ``places`` decimals, for a number followed by "…".

    >>> _truncated(223 / 71, 6), _truncated(22 / 7, 6)
    ('3.140845', '3.142857')
    """
    text = f"{value:.{places + 3}f}"
    return text[: text.index(".") + places + 1]
