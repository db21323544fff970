"""The derivative as a limit: D2L's experiment, the secants turning into the tangent, what float64 does to
the quotients (round-off), and one-sided limits."""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from calc_core.limits import EPS, SCHEMES, best_h, format_d2l_row
from calc_core.parser import parse_expression
from calc_core.sampling import SampledCurve
from calc_core.service import error_table_of, limit_tables, one_sided_table_of
from ui import charts, reveal
from ui.arrow_tables import table_from_columns
from ui.format import number_table
from ui.i18n import current_language, t, translate
from ui.settings import is_projector
from ui.views.limits.common import (
    CHART_WIDTH,
    LIMIT_QUESTION,
    PROJECTOR_CHART_WIDTH,
    ROUNDOFF_QUESTION,
    VAR,
    VARIABLES,
    Analysis,
    chart_with_description,
    error_text,
    exponent,
    full,
    is_decade,
    lookup,
    number,
    own_size,
)
from viz.limits_charts import error_chart, secant_chart

ROUNDOFF_KEY = "limits_roundoff_function"


# The function of the round-off experiment: the reader's f, or a preset at x0 = 1, where f'' and f''' are
# not 0, so that all three quotients show the usual picture.
ROUNDOFF_CHOICES = {"f": None, "sin": ("sin(x)", 1.0), "exp": ("exp(x)", 1.0)}


# The chart labels that are words (translated); symbols such as x, h, n and π keep the figure's defaults.
SECANT_WORDS = (
    "secant",
    "left_secant",
    "tangent",
    "slider",
    "secant_slope",
    "left_secant_slope",
    "tangent_slope",
    "undefined",
)


ERROR_WORDS = (
    "error",
    "forward",
    "backward",
    "central",
    "truncation_one_sided",
    "truncation_central",
    "roundoff",
    "best_h",
    "exact_hit",
)


# Rows of the side-by-side table: h = 10^-1 … 10^-16 (every fourth step of the error table's grid).
SIDE_BY_SIDE_STEP = 4
SIDE_BY_SIDE_KEY = "limits_side_by_side"  # the expander with the three schemes' table: open or not


def roundoff_reason(analysis: Analysis) -> str | None:
    """Why the reader's f cannot show the usual round-off picture at x0, or None if it can.

    ``"no_derivative"``: there is no exact f'(x0) to measure the errors against; ``"no_central_truncation"``:
    f'''(x0) = 0 (every parabola), so the central quotient has no truncation error and no best h near 1e-5.
    """
    errors = analysis.tables["errors"]
    if errors is None:
        return "no_derivative"
    return "no_central_truncation" if errors["third"] == 0 else None


def roundoff_choice(reason: str | None) -> tuple[str, float] | None:
    """The function of the round-off experiment: None for the reader's f, else a preset's (text, x0).

    The reader's f comes first, unless ``reason`` says it cannot show the usual picture: then sin(x).
    """
    names = {
        "f": t("limits.roundoff_use_f"),
        "sin": t("limits.roundoff_sin"),
        "exp": t("limits.roundoff_exp"),
    }
    choice = st.segmented_control(
        t("limits.roundoff_choice"),
        list(ROUNDOFF_CHOICES),
        format_func=names.__getitem__,
        default="f" if reason is None else "sin",
        required=True,
        key=ROUNDOFF_KEY,
    )
    return ROUNDOFF_CHOICES[choice or "f"]


# --- D2L's experiment -----------------------------------------------------------------------------------


def d2l_lines(analysis: Analysis, rows: int) -> list[str]:
    """D2L's printout for the first ``rows`` steps: ``h=0.10000, numerical limit=2.30000`` …"""
    from calc_core.limits import LimitRow

    d2l = analysis.tables["d2l"]
    pairs = list(zip(d2l["h"], d2l["value"], strict=True))[:rows]
    return [format_d2l_row(LimitRow(h, value)) for h, value in pairs]


def d2l_table(analysis: Analysis, rows: int) -> None:
    """Every row with its float64 numbers in full (as Python prints them), and the error when f' is known."""
    d2l = analysis.tables["d2l"]
    exact = analysis.derivative
    columns = {
        t("limits.col_h"): [repr(h) for h in d2l["h"][:rows]],
        t("limits.col_quotient"): [full(value) for value in d2l["value"][:rows]],
    }
    if exact is not None and analysis.limit_shown:
        columns[t("limits.col_error")] = [error_text(value - exact) for value in d2l["value"][:rows]]
    number_table(columns)


def secant_figure(analysis: Analysis) -> None:
    """The secant turning into the tangent, its h on a slider in the chart, and one sentence of numbers."""
    shown = analysis.limit_shown
    both_sides = analysis.verdict != "differentiable" or not shown  # one side only would tell the verdict
    tangent = analysis.derivative if shown else None
    spec = _secant_spec(analysis.text, analysis.x0, tangent, both_sides, current_language(), is_projector())
    if spec is None:
        st.info(t("limits.secant_no_point", x0=number(analysis.x0)))
        return
    secant = analysis.tables["secant"]
    hs = secant["h"]
    count = len(hs)
    f_x0 = secant["y"][0]
    first, last = (secant["y"][1] - f_x0) / hs[0], (secant["y"][count] - f_x0) / hs[-1]
    values = {"h_start": number(hs[0]), "start": number(first), "h_end": number(hs[-1]), "end": number(last)}
    if not shown:
        description = t("reveal.limits_secant", **values)
    elif analysis.derivative is not None:
        description = t("limits.secant_description", **values, tangent=number(analysis.derivative))
    else:
        description = t("limits.secant_description_no_tangent", **values)
    name = ("limits", "secant", analysis.text, f"{analysis.x0:g}")
    chart_with_description(spec, description, t("limits.secant_how"), name)


def error_figure(analysis: Analysis) -> None:
    """The measured error of the three quotients against h on log–log axes, and what it shows."""
    errors = analysis.tables["errors"]
    if errors is None:
        st.info(t("limits.roundoff_needs_derivative", x0=number(analysis.x0)))
        return
    prompt = t("reveal.roundoff_prompt", x0=number(analysis.x0))
    if not reveal.ask(ROUNDOFF_QUESTION, analysis.inputs, prompt):  # the chart itself is the answer
        return
    table = error_table_of(errors)
    spec = _error_spec(analysis.text, analysis.x0, table.exact, current_language(), is_projector())
    best = best_h(table)
    at = {scheme: int(np.flatnonzero(table.h == best[scheme])[0]) for scheme in SCHEMES}
    description = t(
        "limits.roundoff_description",
        forward_h=exponent(best["forward"]),
        forward_error=error_text(table.error["forward"][at["forward"]]),
        central_h=exponent(best["central"]),
        central_error=error_text(table.error["central"][at["central"]]),
        tiny_h=exponent(table.h[-1]),
        tiny_estimate=full(table.estimate["forward"][-1]),
        exact=number(table.exact),
    )
    name = ("limits", "roundoff", analysis.text, f"{analysis.x0:g}")
    chart_with_description(spec, description, t("limits.roundoff_how"), name)
    if table.third == 0:
        st.info(t("limits.roundoff_no_central_truncation"), icon=":material/info:")
    if table.second == 0:
        st.info(t("limits.roundoff_no_one_sided_truncation"), icon=":material/info:")
    side_by_side_table(table)


def roundoff_explanation() -> None:
    """Why the error turns round, in plain words, with machine epsilon and its square and cube roots."""
    st.markdown(
        t(
            "limits.roundoff_explanation",
            eps=f"{EPS:.3g}",
            sqrt_eps=f"{math.sqrt(EPS):.1e}",
            cbrt_eps=f"{EPS ** (1 / 3):.1e}",
        )
    )


def side_by_side_table(table) -> None:
    """Forward, backward and central quotients for h = 1e-1 … 1e-16, as the machine computed them."""
    rows = range(0, table.h.size, SIDE_BY_SIDE_STEP)
    columns = {t("limits.col_h"): [exponent(table.h[i]) for i in rows]}
    for scheme in SCHEMES:
        columns[t(f"limits.scheme_{scheme}")] = [full(table.estimate[scheme][i]) for i in rows]
    for scheme in SCHEMES:
        columns[t(f"limits.error_{scheme}")] = [error_text(table.error[scheme][i]) for i in rows]
    # Its contents run only while it is open: a dataframe imports pandas, ~300 ms of a server's first run.
    expander = st.expander(
        t("limits.side_by_side_title"), icon=":material/table:", key=SIDE_BY_SIDE_KEY, on_change="rerun"
    )
    if expander.open:
        with expander:
            st.dataframe(table_from_columns(columns), hide_index=True)


def _secant_spec(
    text: str, x0: float, tangent: float | None, both_sides: bool, language: str, projector: bool
) -> charts.Prepared | None:
    """The secant chart (None where f(x0) is undefined), prepared once per input by ``ui.charts``."""
    return charts.prepare(_secant_chart, text, x0, tangent, both_sides, language, projector)


def _error_spec(text: str, x0: float, exact: float, language: str, projector: bool) -> charts.Prepared:
    return charts.prepare(_error_chart, text, x0, exact, language, projector)


def _secant_chart(
    text: str, x0: float, tangent: float | None, both_sides: bool, language: str, projector: bool
) -> dict | None:
    """The secant chart's Vega-Lite spec (None where f(x0) is undefined), from the worker's numbers."""
    expr = parse_expression(text, VARIABLES)
    tables = limit_tables(expr, VARIABLES, VAR, x0, tangent)  # answered from the sandbox's cache
    secant, curve = tables["secant"], SampledCurve.from_dict(tables["curve"])
    if not math.isfinite(secant["y"][0]) or curve.y_limits is None:
        return None
    labels = {key: translate(language, f"limits.secantchart_{key}") for key in SECANT_WORDS}
    with np.errstate(all="ignore"):  # secants of huge slope overflow to inf, and the chart leaves them out
        chart = secant_chart(
            curve.x,
            curve.y,
            x0,
            np.asarray(secant["h"]),
            lookup(secant["x"], secant["y"]),
            tangent_slope=tangent,
            labels=labels,
            projector=projector,
            curve_segment=curve.segment,
            y_domain=curve.y_limits,
            both_sides=both_sides,
            width=PROJECTOR_CHART_WIDTH if projector else CHART_WIDTH,
        )
    return own_size(chart)


def _error_chart(text: str, x0: float, exact: float, language: str, projector: bool) -> dict:
    expr = parse_expression(text, VARIABLES)
    table = error_table_of(limit_tables(expr, VARIABLES, VAR, x0, exact)["errors"])
    labels = {key: translate(language, f"limits.errorchart_{key}") for key in ERROR_WORDS}
    width = PROJECTOR_CHART_WIDTH if projector else CHART_WIDTH
    return own_size(error_chart(table, labels=labels, projector=projector, width=width))


# --- one-sided limits -----------------------------------------------------------------------------------


def verdict_message(analysis: Analysis) -> None:
    """Whether f is differentiable at x0, in words: SymPy's exact limits where it found them."""
    if not analysis.limit_shown:
        return
    exact = analysis.exact
    verdict = analysis.verdict
    sides = {"left": "—", "right": "—"}
    if exact is not None and exact.get("left") and exact.get("right"):
        sides = {side: f"${exact[side]['latex']}$" for side in ("left", "right")}
    message = t(f"limits.verdict_{verdict}", x0=number(analysis.x0), **sides)
    if verdict == "differentiable":
        st.success(message, icon=":material/check_circle:")
    elif verdict == "unknown":
        st.info(message, icon=":material/help:")
    else:
        st.warning(message, icon=":material/block:")


def exact_limits(analysis: Analysis) -> None:
    """SymPy's one-sided limits as formulas (LaTeX printed by the worker); in predict mode, the question."""
    if not reveal.ask(LIMIT_QUESTION, analysis.inputs, t("reveal.limits_prompt", x0=number(analysis.x0))):
        return
    exact = analysis.exact
    if exact is None or not exact.get("left") or not exact.get("right"):
        return
    point = exact["x0"]
    for side, direction in (("left", "-"), ("right", "+")):
        quotient = rf"\frac{{f({point} + h) - f({point})}}{{h}}"
        st.latex(rf"\lim_{{h \to 0^{{{direction}}}}} {quotient} = {exact[side]['latex']}")


def one_sided_tables(analysis: Analysis) -> None:
    """The left and the right difference quotients, side by side, as the machine computed them."""
    table = one_sided_table_of(analysis.tables["one_sided"])
    hs = [exponent(h) if is_decade(h) else f"{h:.3g}" for h in table.h]
    left, right = st.columns(2)
    with left:
        st.markdown(t("limits.left_title"))
        number_table({t("limits.col_h"): hs, t("limits.col_left"): [full(v) for v in table.left]})
    with right:
        st.markdown(t("limits.right_title"))
        number_table({t("limits.col_h"): hs, t("limits.col_right"): [full(v) for v in table.right]})
