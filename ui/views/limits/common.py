"""What the limits page's parts share: its URL names and defaults, the function's inputs, the worker's
answers, numbers as text and how a chart is shown with its description."""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.limits import combined_verdict
from calc_core.parser import format_expression, parse_expression
from calc_core.service import derivative_limit, limit_tables
from ui import charts, reveal
from ui import format as fmt
from ui.errors import code_span, show_error
from ui.i18n import t
from ui.inputs import x0_box
from ui.settings import is_projector

VARIABLES = ("x",)


VAR = "x"


DEFAULT_F = "3x^2 - 4x"


X0_KEY, H_KEY, N_KEY = "x0", "h", "n"


DEFAULT_X0 = 1.0


X0_LIMIT = 1e6  # beyond this, x0 ± 2 and x0 ± h lose their meaning in float64 long before h = 1e-16


H_OPTIONS = tuple(f"1e-{k}" for k in range(1, 17))


DEFAULT_H = "1e-5"  # D2L's five rows


D2L_FIRST_ROWS = 5  # D2L's printout has five decimals: below 1e-5 its h prints as 0.00000


CHART_WIDTH, PROJECTOR_CHART_WIDTH = 440, 820


EXAMPLE_KEY = "limits_example"


# (label key, f, x0): the classic cases a click puts into the inputs.
EXAMPLES = (
    ("limits.example_d2l", "3x^2 - 4x", 1.0),
    ("limits.example_sin", "sin(x)", 1.0),
    ("limits.example_abs", "abs(x)", 0.0),
    ("limits.example_cbrt", "cbrt(x)", 0.0),
    ("limits.example_jump", "acot(x)", 0.0),
)


# Predict mode (ui/reveal.py): the limit the quotients approach (hidden with it: the error column, SymPy's
# limits, the tangent in the secant chart, the verdict), and the round-off experiment's best h.
LIMIT_QUESTION, ROUNDOFF_QUESTION = "limits/derivative", "limits/roundoff"


# --- inputs ---------------------------------------------------------------------------------------------


def point_input() -> float:
    """x0 from a number box bound to ``?x0=``; a URL value that is no usable number is replaced, and said
    (an empty ``?x0=`` is no value, not a wrong one)."""
    return x0_box(
        "limits", default=DEFAULT_X0, bound=X0_LIMIT, step=0.5, number=number, empty_is_a_value=False
    )


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
        exact = None if self.exact is None else self.exact["verdict"]
        return combined_verdict(exact, self.tables["one_sided"]["verdict"])


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


# --- charts ---------------------------------------------------------------------------------------------


def chart_width() -> int:
    return PROJECTOR_CHART_WIDTH if is_projector() else CHART_WIDTH


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


def own_size(chart) -> dict:
    """The chart's Vega-Lite spec (``ui.charts`` puts its data in Arrow form), sized as the chart says:
    Streamlit's default for a single chart ("fit") would squeeze the plot to make room for the axes and
    the legend inside that size."""
    spec = charts.spec_of(chart)
    spec.setdefault("autosize", {"type": "pad", "contains": "padding"})
    return spec


def lookup(points, values):
    """f on the points the worker evaluated it at: the secant chart asks for exactly those (x0 ± h)."""
    known = dict(zip(points, values, strict=True))

    def f_at(xs):
        xs = np.asarray(xs, dtype=np.float64)
        return np.array([known.get(float(x), math.nan) for x in xs.reshape(-1)]).reshape(xs.shape)

    return f_at


# --- numbers as text ------------------------------------------------------------------------------------


def number(value: float, digits: int = 7) -> str:
    """A number for a sentence (``ui.format.number``): up to ``digits`` significant digits, no trailing zeros.

    >>> number(2.0030000000004), number(1e-05), number(float("nan"))
    ('2.003', '1e-05', '—')
    """
    return fmt.number(float(value), digits)


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


def is_decade(h: float) -> bool:
    return abs(math.log10(h) - round(math.log10(h))) < 1e-9
