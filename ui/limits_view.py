"""What the limits page draws and how it reads its inputs, so that app_pages/limits.py reads like a lesson.

Inputs, all in the URL: ``f`` (the function box), ``x0`` (a number input), ``h`` (the smallest step of D2L's
loop, a select slider with the values 1e-1 … 1e-16) and ``n`` (the polygon's starting number of sides, read
from st.query_params: the polygon's own slider lives in the browser, inside the chart). A value from the URL
that cannot be used is replaced by the default or clamped, and the reader is told so.

Every number about the reader's function comes from the sandboxed worker (``calc_core.service``): D2L's
loop, the difference quotients, the one-sided tables, the secant's points and the sampled curve are float64
results of the worker, and SymPy's exact limits come from there too. Charts are built once per input and
language (``ui.charts`` keeps their Vega-Lite specs, shared read-only: building an Altair chart costs far
more than a rerun may; it also offers each chart's downloads), and what a student drags (h, n) moves inside
the chart, with no rerun.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.exhaustion import (
    ARCHIMEDES_LOWER,
    ARCHIMEDES_UPPER,
    archimedes_bounds,
    archimedes_rows,
    exhaustion_error_table,
)
from calc_core.limits import EPS, SCHEMES, best_h, format_d2l_row
from calc_core.parser import format_expression, parse_expression
from calc_core.sampling import SampledCurve
from calc_core.service import derivative_limit, error_table_of, limit_tables, one_sided_table_of
from ui import charts, reveal
from ui.arrow_tables import table_from_columns
from ui.errors import code_span, show_error
from ui.i18n import current_language, t, translate
from ui.markdown_tables import number_table
from ui.settings import is_projector
from ui.url_state import url_number
from viz.exhaustion_charts import N_PARAM, polygon_chart
from viz.limits_charts import error_chart, secant_chart

VARIABLES = ("x",)
VAR = "x"
DEFAULT_F = "3x^2 - 4x"
X0_KEY, H_KEY, N_KEY = "x0", "h", "n"
DEFAULT_X0 = 1.0
X0_LIMIT = 1e6  # beyond this, x0 ± 2 and x0 ± h lose their meaning in float64 long before h = 1e-16
H_OPTIONS = tuple(f"1e-{k}" for k in range(1, 17))
DEFAULT_H = "1e-5"  # D2L's five rows
D2L_FIRST_ROWS = 5  # D2L's printout has five decimals: below 1e-5 its h prints as 0.00000
N_MIN, N_MAX, DEFAULT_N = 3, 1000, 6
CHART_WIDTH, PROJECTOR_CHART_WIDTH = 440, 820
ROUNDOFF_KEY = "limits_roundoff_function"
EXAMPLE_KEY = "limits_example"
SIDE_BY_SIDE_KEY = "limits_side_by_side"  # the expander with the three schemes' table: open or not
# The function of the round-off experiment: the reader's f, or a preset at x0 = 1, where f'' and f''' are
# not 0, so that all three quotients show the usual picture.
ROUNDOFF_CHOICES = {"f": None, "sin": ("sin(x)", 1.0), "exp": ("exp(x)", 1.0)}
# (label key, f, x0): the classic cases a click puts into the inputs.
EXAMPLES = (
    ("limits.example_d2l", "3x^2 - 4x", 1.0),
    ("limits.example_sin", "sin(x)", 1.0),
    ("limits.example_abs", "abs(x)", 0.0),
    ("limits.example_cbrt", "cbrt(x)", 0.0),
    ("limits.example_jump", "acot(x)", 0.0),
)
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
POLYGON_WORDS = ("slider", "inscribed", "circumscribed", "circle", "gap")
EXHAUSTION_WORDS = ("n", "error", "inscribed", "circumscribed", "reference", "archimedes")
# Rows of the side-by-side table: h = 10^-1 … 10^-16 (every fourth step of the error table's grid).
SIDE_BY_SIDE_STEP = 4
# Predict mode (ui/reveal.py): the limit the quotients approach (hidden with it: the error column, SymPy's
# limits, the tangent in the secant chart, the verdict), and the round-off experiment's best h.
LIMIT_QUESTION, ROUNDOFF_QUESTION = "limits/derivative", "limits/roundoff"


# --- inputs ---------------------------------------------------------------------------------------------


def point_input() -> float:
    """x0 from a number box bound to ``?x0=``; a URL value that is no usable number is replaced, and said."""
    raw = st.query_params.get(X0_KEY)
    x0 = st.number_input(
        t("limits.x0_label"),
        min_value=-X0_LIMIT,
        max_value=X0_LIMIT,
        value=DEFAULT_X0,
        step=0.5,
        format="%g",
        key=X0_KEY,
        bind="query-params",
        help=t("limits.x0_help"),
    )
    if raw and url_number(raw, X0_LIMIT) is None:  # an empty ?x0= is no value, not a wrong one
        st.warning(t("limits.x0_ignored", given=code_span(raw[:40]), used=number(x0)), icon=":material/link:")
    return float(x0)


def h_range_input() -> int:
    """How many rows of D2L's loop to run: the smallest h, bound to ``?h=`` (1e-1 … 1e-16)."""
    raw = st.query_params.get(H_KEY)
    chosen = st.select_slider(
        t("limits.h_label"),
        options=H_OPTIONS,
        value=DEFAULT_H,
        key=H_KEY,
        bind="query-params",
        help=t("limits.h_help"),
    )
    if raw and raw not in H_OPTIONS:
        st.warning(t("limits.h_ignored", given=code_span(raw[:40]), used=chosen), icon=":material/link:")
    return H_OPTIONS.index(chosen) + 1


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


def examples() -> None:
    """The classic cases as one row of pills; picking one fills in f and x0 (and so the URL)."""
    labels = {label_key: t(label_key) for label_key, _, _ in EXAMPLES}
    st.pills(
        t("limits.examples_caption"),
        list(labels),
        format_func=labels.__getitem__,
        selection_mode="single",
        default=None,
        key=EXAMPLE_KEY,
        on_change=_use_example,
    )


def _use_example() -> None:
    """Callback of the pills: the chosen case goes into the inputs, and the pill is released again."""
    chosen = st.session_state.get(EXAMPLE_KEY)
    for label_key, text, x0 in EXAMPLES:
        if label_key == chosen:
            st.session_state["f"] = text
            st.session_state[X0_KEY] = x0
    st.session_state[EXAMPLE_KEY] = None


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


# --- the worker's answers -------------------------------------------------------------------------------


class Analysis:
    """The worker's answers for one function at one point: SymPy's exact limit and the float64 tables."""

    def __init__(self, text: str, x0: float, exact: dict | None, tables: dict):
        self.text, self.x0, self.exact, self.tables = text, x0, exact, tables

    @property
    def inputs(self) -> tuple[str, float]:
        """What the answers depend on: a new function or point asks again in predict mode."""
        return self.text, self.x0

    @property
    def limit_shown(self) -> bool:
        """Whether the limit may be shown (always, unless predict mode waits for Reveal)."""
        return reveal.is_shown(LIMIT_QUESTION, self.inputs)

    @property
    def derivative(self) -> float | None:
        """f'(x0) from SymPy, when f is differentiable there."""
        if self.exact is None or self.exact["derivative"] is None:
            return None
        return self.exact["derivative"]["value"]

    @property
    def verdict(self) -> str:
        """The exact verdict, unless SymPy could not decide or the numbers see a jump (SymPy: infinite)."""
        numerical = self.tables["one_sided"]["verdict"]
        if self.exact is None or self.exact["verdict"] == "unknown" or numerical == "discontinuous":
            return numerical
        return self.exact["verdict"]


def analyse(expr, x0: float) -> Analysis | None:
    """SymPy's limit and the float64 tables for ``expr`` at x0; errors are shown here and give None.

    A failure of the exact limit (a timeout, say) is shown, and the numbers are still computed.
    """
    text = format_expression(expr)
    try:
        exact = derivative_limit(expr, VARIABLES, VAR, x0)
    except ExpressionError as err:
        st.caption(t("limits.exact_failed"))
        show_error(err)
        exact = None
    derivative = exact["derivative"]["value"] if exact and exact["derivative"] else None
    try:
        tables = limit_tables(expr, VARIABLES, VAR, x0, derivative)
    except ExpressionError as err:
        show_error(err)
        return None
    return Analysis(text, x0, exact, tables)


def analyse_text(text: str, x0: float) -> Analysis | None:
    """:func:`analyse` for a preset's text (always valid), such as ``sin(x)``."""
    return analyse(parse_expression(text, VARIABLES), x0)


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


# --- charts ---------------------------------------------------------------------------------------------


def chart_width() -> int:
    return PROJECTOR_CHART_WIDTH if is_projector() else CHART_WIDTH


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


def chart_with_description(spec: charts.Prepared, description: str, how: str, name: tuple[str, ...]) -> None:
    """The chart with its downloads (files called ``name``), and beside it (below it on a projector) the
    sentence of what it shows now."""
    if is_projector():
        charts.draw(spec, name=name, width="content", alt=description)
        st.markdown(description)
        st.caption(how)
        return
    left, right = st.columns([2, 1], gap="medium")
    with left:
        charts.draw(spec, name=name, width="content", alt=description)
    with right:
        st.markdown(description)
        st.caption(how)


def _secant_spec(
    text: str, x0: float, tangent: float | None, both_sides: bool, language: str, projector: bool
) -> charts.Prepared | None:
    """The secant chart (None where f(x0) is undefined), prepared once per input by ``ui.charts``."""
    return charts.prepare(_secant_chart, text, x0, tangent, both_sides, language, projector)


def _error_spec(text: str, x0: float, exact: float, language: str, projector: bool) -> charts.Prepared:
    return charts.prepare(_error_chart, text, x0, exact, language, projector)


def _polygon_spec(language: str, projector: bool, width: int) -> charts.Prepared:
    """The polygon chart for n = 3 … 1000 (its starting n is set per reader: ``with_params``)."""
    return charts.prepare(_polygon_chart, language, projector, width)


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
            _lookup(secant["x"], secant["y"]),
            tangent_slope=tangent,
            labels=labels,
            projector=projector,
            curve_segment=curve.segment,
            y_domain=curve.y_limits,
            both_sides=both_sides,
            width=PROJECTOR_CHART_WIDTH if projector else CHART_WIDTH,
        )
    return _own_size(chart)


def _error_chart(text: str, x0: float, exact: float, language: str, projector: bool) -> dict:
    expr = parse_expression(text, VARIABLES)
    table = error_table_of(limit_tables(expr, VARIABLES, VAR, x0, exact)["errors"])
    labels = {key: translate(language, f"limits.errorchart_{key}") for key in ERROR_WORDS}
    width = PROJECTOR_CHART_WIDTH if projector else CHART_WIDTH
    return _own_size(error_chart(table, labels=labels, projector=projector, width=width))


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
    return _own_size(chart)


def _own_size(chart) -> dict:
    """The chart's Vega-Lite spec (``ui.charts`` puts its data in Arrow form), sized as the chart says:
    Streamlit's default for a single chart ("fit") would squeeze the plot to make room for the axes and
    the legend inside that size."""
    spec = charts.spec_of(chart)
    spec.setdefault("autosize", {"type": "pad", "contains": "padding"})
    return spec


def _lookup(points, values):
    """f on the points the worker evaluated it at: the secant chart asks for exactly those (x0 ± h)."""
    known = dict(zip(points, values, strict=True))

    def f_at(xs):
        xs = np.asarray(xs, dtype=np.float64)
        return np.array([known.get(float(x), math.nan) for x in xs.reshape(-1)]).reshape(xs.shape)

    return f_at


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
    hs = [exponent(h) if _is_decade(h) else f"{h:.3g}" for h in table.h]
    left, right = st.columns(2)
    with left:
        st.markdown(t("limits.left_title"))
        number_table({t("limits.col_h"): hs, t("limits.col_left"): [full(v) for v in table.left]})
    with right:
        st.markdown(t("limits.right_title"))
        number_table({t("limits.col_h"): hs, t("limits.col_right"): [full(v) for v in table.right]})


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


# --- numbers as text ------------------------------------------------------------------------------------


def number(value: float, digits: int = 7) -> str:
    """A number for a sentence: up to ``digits`` significant digits, no trailing zeros.

    >>> number(2.0030000000004), number(1e-05), number(float("nan"))
    ('2.003', '1e-05', '—')
    """
    value = float(value)
    if not math.isfinite(value):
        return "—"
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


def full(value: float) -> str:
    """The float64 value exactly as Python prints it (the shortest text that reads back to the same float)."""
    value = float(value)
    return repr(value) if math.isfinite(value) else "—"


def error_text(value: float) -> str:
    """An error in three significant digits; an exact 0 is said to be exactly 0."""
    value = abs(float(value))
    if not math.isfinite(value):
        return "—"
    return "0" if value == 0 else f"{value:.2e}"


def exponent(h: float) -> str:
    """A power of ten as 1e-8 (the way the page writes steps).

    >>> exponent(1e-08), exponent(0.1), exponent(0.31622776601683794)
    ('1e-8', '1e-1', '3.16e-1')
    """
    mantissa, power = f"{float(h):.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(power)}"


def _truncated(value: float, places: int) -> str:
    """``value`` cut (not rounded) after ``places`` decimals, for a number followed by "…".

    >>> _truncated(223 / 71, 6), _truncated(22 / 7, 6)
    ('3.140845', '3.142857')
    """
    text = f"{value:.{places + 3}f}"
    return text[: text.index(".") + places + 1]


def _is_decade(h: float) -> bool:
    return abs(math.log10(h) - round(math.log10(h))) < 1e-9
