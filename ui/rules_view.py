"""What the rules page draws and how it reads its inputs; the page script (app_pages/rules.py) stays a lesson.

Inputs, all in the URL: ``f`` (the function box), ``x0`` (the point of tangency, a number box) and ``f2``
(show f″ too, a toggle). A value from the URL that cannot be used is replaced by the default, and the
reader is told so.

Every number and formula about the reader's function comes from the sandboxed worker
(``calc_core.service``): the grid of f and f′ for the browser-side tangent (``tangent_data``), the exact
tangent and the verdict on differentiability (``tangent_line``, SymPy's one-sided limits), and the steps
(``derivative_steps_of``). The three run at once, on the worker pool. The chart is built once per input
(its spec is cached); what the reader drags (x₀) moves inside the chart, with no rerun.
"""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.parser import format_expression, parse_expression
from calc_core.service import derivative_steps_of, tangent_data, tangent_line
from ui import charts, reveal
from ui.d2l_figure import d2l_tangent_svg, legend_labels
from ui.errors import code_span, error_message, show_error
from ui.i18n import current_language, t, translate
from ui.settings import is_projector
from ui.steps_view import display_math, show_steps
from ui.url_state import seed_toggle_from_url, url_number
from viz.tangent_chart import line_text, number, slider_grid, tangent_spec

VARIABLES = ("x",)
VAR = "x"
DEFAULT_F = "3x^2 - 4x"
DEFAULT_X0 = 1.0
F_KEY, X0_KEY, SECOND_KEY = "f", "x0", "f2"
X0_LIMIT = 1000.0  # the window is x0 ± 4 on a grid of 0.02: beyond, float64 keeps it, but nobody needs it
WINDOW_HALF_WIDTH = 4.0
GRID_STEP = 0.02
CHART_WIDTH, PROJECTOR_CHART_WIDTH = 600, 820
PROJECTOR_FIGURE_WIDTH = 720  # px: D2L's figure across a projector's whole width would fill the screen
SENTENCE_DIGITS = 6  # significant digits of the numbers in sentences (the chart's readout shows 4)

NOTATION = r"f'(x) = y' = \frac{dy}{dx} = \frac{df}{dx} = \frac{d}{dx} f(x) = Df(x) = D_x f(x)"

# The reference cards: (rule id, formula as D2L writes it, an example to try, its x0).
COMMON_RULES = (
    ("constant", r"DC = 0", "7", 1.0),
    ("power", r"Dx^{n} = n x^{n-1}", "x^5", 1.0),
    ("exp", r"De^{x} = e^{x}", "e^x", 0.0),
    ("log", r"D\ln(x) = \frac{1}{x}", "ln(x)", 1.0),
)
# D2L's rules for combining functions, as the book writes them (f, g differentiable, C constant).
D2L_COMBINING = (
    r"\begin{aligned}"
    r"\frac{d}{dx}\left[C f(x)\right] &= C \frac{d}{dx} f(x) \\[4pt]"
    r"\frac{d}{dx}\left[f(x) + g(x)\right] &= \frac{d}{dx} f(x) + \frac{d}{dx} g(x) \\[4pt]"
    r"\frac{d}{dx}\left[f(x) g(x)\right] &= "
    r"f(x) \frac{d}{dx}\left[g(x)\right] + g(x) \frac{d}{dx}\left[f(x)\right] \\[4pt]"
    r"\frac{d}{dx}\left[\frac{f(x)}{g(x)}\right] &= "
    r"\frac{g(x) \frac{d}{dx}\left[f(x)\right] - f(x) \frac{d}{dx}\left[g(x)\right]}{\left[g(x)\right]^{2}}"
    r"\end{aligned}"
)
# The cards write the same rules short, in Lagrange's notation (and the chain rule, D2L 2.4.4).
COMBINING_RULES = (
    ("constant_multiple", r"(Cf)' = C f'", "3x^2", 1.0),
    ("sum", r"(f + g)' = f' + g'", "x^3 + x^2", 1.0),
    ("product", r"(fg)' = f g' + g f'", "x^2 sin(x)", 1.0),
    ("quotient", r"\left(\frac{f}{g}\right)' = \frac{f'g - fg'}{g^{2}}", "(x^2 + 1)/(x - 1)", 2.0),
    ("chain", r"\frac{dy}{dx} = \frac{dy}{du} \cdot \frac{du}{dx}", "sin(x^2)", 1.0),
)
# The words inside the tangent chart; symbols (x, f(x), x₀ …) keep the chart's defaults.
CHART_WORDS = ("tangent", "slope", "line", "undefined", "no_tangent", "not_defined")

# D2L's worked example (section 2.4), exactly as the book and the reader's note derive it.
D2L_F = r"f(x) = 3x^{2} - 4x"
D2L_DERIVATIVE = r"f'(x) = 3\frac{d}{dx}x^{2} - 4\frac{d}{dx}x = 6x - 4"
D2L_AT_ONE = r"f'(1) = 6 \cdot 1 - 4 = 2"
D2L_CODE = """x = np.arange(0, 3, 0.1)
plot(x, [f(x), 2 * x - 3], 'x', 'f(x)', legend=['f(x)', 'Tangent line (x=1)'])"""

_POOL = ThreadPoolExecutor(max_workers=3, thread_name_prefix="rules-worker-calls")

# Predict mode (ui/reveal.py): the questions of this page. D2L's example is one fixed question; the
# explorer's answers (f′(x), the tangent, the steps) wait for one Reveal per function and point.
D2L_QUESTION, EXPLORER_QUESTION = "rules/d2l", "rules/tangent"


# --- inputs ---------------------------------------------------------------------------------------------


def point_input() -> float:
    """x0 from a number box bound to ``?x0=``; a URL value that is no usable number is replaced and noted."""
    raw = st.query_params.get(X0_KEY)
    x0 = st.number_input(
        t("rules.x0_label"),
        min_value=-X0_LIMIT,
        max_value=X0_LIMIT,
        value=DEFAULT_X0,
        step=0.1,
        format="%g",
        key=X0_KEY,
        bind="query-params",
        help=t("rules.x0_help", limit=f"{X0_LIMIT:g}"),
    )
    if raw is not None and url_number(raw, X0_LIMIT) is None:
        st.warning(
            t("rules.x0_ignored", given=code_span(raw[:40]), used=number(x0), limit=f"{X0_LIMIT:g}"),
            icon=":material/link:",
        )
    return float(x0)


def second_derivative_input() -> bool:
    seed_toggle_from_url(SECOND_KEY)
    return bool(
        st.toggle(t("rules.second_label"), key=SECOND_KEY, bind="query-params", help=t("rules.second_help"))
    )


def use_example(text: str, x0: float) -> None:
    """Fill the explorer with an example (a card's "try it"): f and x0, and so the URL."""
    st.session_state[F_KEY] = text
    st.session_state[X0_KEY] = x0
    st.toast(t("rules.example_loaded", example=code_span(text)), icon=":material/arrow_downward:")


# --- the worker's answers -------------------------------------------------------------------------------


@dataclass
class Explorer:
    """The worker's answers for one function at one point; a part that failed is None (its error shown)."""

    text: str
    x0: float
    second: bool
    data: dict  # from tangent_data: "point" (the numbers at x0 and their verdict) and "has_second"
    line: dict | None  # tangent_line: SymPy's exact tangent and verdict
    steps: dict | None  # the derivation
    steps_error: ExpressionError | None = None

    @property
    def verdict(self) -> str:
        """SymPy's verdict, unless it failed or could not decide, or the numbers see a jump (SymPy says ∞)."""
        numerical = self.data["point"]["verdict"]
        if self.line is None or self.line["verdict"] == "unknown" or numerical == "discontinuous":
            return numerical
        return self.line["verdict"]

    @property
    def inputs(self) -> tuple[str, float]:
        """What the answers depend on (f′(x) and the tangent; f″ is no answer): a new one hides them."""
        return self.text, self.x0

    @property
    def exact(self) -> bool:
        """Whether the tangent's numbers are SymPy's exact ones (else float64 from the grid's numbers)."""
        return self.line is not None and self.line["verdict"] == "differentiable" == self.verdict

    def numbers(self) -> tuple[float, float, float] | None:
        """(f(x0), k, b) as floats, when there is a tangent."""
        if self.verdict != "differentiable":
            return None
        if self.exact:
            return (self.line["f_x0"]["value"], self.line["slope"]["value"], self.line["intercept"]["value"])
        point = self.data["point"]
        if point["f_x0"] is None or point["slope"] is None:
            return None
        return point["f_x0"], point["slope"], point["f_x0"] - point["slope"] * self.x0


def analyse(expr, x0: float, second: bool) -> Explorer | None:
    """The worker's answers for f at x0; errors are shown here. None if even the grid could not be made."""
    text = format_expression(expr)
    answers = _answers(text, x0, second)
    errors = {name: ExpressionError.from_dict(err) for name, err in answers["errors"].items()}
    if "data" in errors:
        show_error(errors["data"])
        return None
    if "line" in errors:
        st.info(
            t("rules.exact_failed", reason=error_message(errors["line"])), icon=":material/hourglass_empty:"
        )
    return Explorer(
        text, x0, second, answers["data"], answers.get("line"), answers.get("steps"), errors.get("steps")
    )


@st.cache_data(show_spinner=False, max_entries=256)
def _answers(text: str, x0: float, second: bool) -> dict:
    """The three worker calls, at once on the pool: plain data, failures as ``ExpressionError.to_dict()``.

    Cached here as well as in the sandbox, so that a rerun neither waits for threads nor copies much.
    """
    expr = parse_expression(text, VARIABLES)
    low, high, count = slider_grid(x0, WINDOW_HALF_WIDTH, GRID_STEP)
    data_call = _POOL.submit(tangent_data, expr, VARIABLES, VAR, low, high, count, x0, second)
    line_call = _POOL.submit(tangent_line, expr, VARIABLES, VAR, x0)
    try:
        grid = data_call.result()
        # Only what the page reads: the grid itself goes to the chart, from the sandbox's cache.
        answers = {"data": {"point": grid["point"], "has_second": grid["d2f"] is not None}, "errors": {}}
    except ExpressionError as err:
        # A timeout or the like: SymPy would meet it again in the steps. One message, without waiting for
        # the exact tangent (its answer, or its failure, goes to the sandbox's cache all the same).
        return {"errors": {"data": err.to_dict()}}
    calls = {"line": line_call, "steps": _POOL.submit(derivative_steps_of, expr, VARIABLES, VAR)}
    for name, call in calls.items():
        try:
            answers[name] = call.result()
        except ExpressionError as err:
            answers["errors"][name] = err.to_dict()
    return answers


# --- D2L's example --------------------------------------------------------------------------------------


def d2l_intro() -> None:
    """What D2L does next; in predict mode, until revealed, without the derivative's value."""
    st.markdown(t("rules.d2l_intro" if reveal.is_shown(D2L_QUESTION, ()) else "reveal.rules_d2l_intro"))


def d2l_figure() -> None:
    """D2L's own figure, drawn by the book's plot helper (viz.d2l_plot) and shown as SVG."""
    if not reveal.is_shown(D2L_QUESTION, ()):  # the figure draws the tangent
        return
    width = PROJECTOR_FIGURE_WIDTH if is_projector() else "stretch"
    st.image(
        _d2l_svg(current_language(), is_projector()),
        width=width,
        caption=t("rules.d2l_figure_caption"),
        alt=t("rules.d2l_figure_alt"),
    )
    d2l_downloads()
    with st.expander(t("rules.d2l_code_title"), icon=":material/code:"):
        st.code(D2L_CODE, language="python")
        st.caption(t("rules.d2l_code_caption"))


@st.cache_data(show_spinner=False, max_entries=8)
def _d2l_svg(language: str, projector: bool) -> str:
    svg = d2l_tangent_svg(language, projector)  # drawn by viz.d2l_plot, shipped in ui/assets (ui.d2l_figure)
    # As a data URL, which st.image passes on as it is (an SVG string it would re-encode on every run).
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def d2l_downloads() -> None:
    """The figure's download control: its data (x, f(x), the tangent), SVG (the one shown) and PNG."""
    language, projector = current_language(), is_projector()
    charts.figure_downloads(
        f"d2l|{language}|{projector}",
        ("rules", "d2l-tangent", "3x^2-4x"),
        png=lambda: _d2l_png(language, projector),
        svg=lambda: d2l_tangent_svg(language, projector).encode("utf-8"),
        rows=lambda: {"d2l": _d2l_rows(language)},
    )


# viz.d2l_plot is imported where a download needs it: importing matplotlib costs a first run ~300 ms.
def _d2l_rows(language: str) -> list[dict[str, float]]:
    from viz.d2l_plot import d2l_tangent_rows

    return d2l_tangent_rows(legend_labels(language))


@st.cache_data(show_spinner=False, max_entries=8)
def _d2l_png(language: str, projector: bool) -> bytes:
    from viz.d2l_plot import d2l_tangent_figure, figure_to_png

    return figure_to_png(d2l_tangent_figure(legend_labels=legend_labels(language), projector=projector))


def d2l_derivation() -> None:
    """The book's derivative, then the reader's note, line by line: k, the point, b, the tangent."""
    st.latex(D2L_F)
    st.markdown(t("rules.d2l_rules_used"))
    if not reveal.ask(D2L_QUESTION, (), t("reveal.rules_d2l_prompt")):
        return
    st.latex(D2L_DERIVATIVE)
    st.latex(D2L_AT_ONE)
    st.markdown(t("rules.d2l_note_intro"))
    derivation(
        x0="1",
        derivative=None,
        k="2",
        f_x0="-1",
        b="-3",
        line="2x - 3",
        f_x0_steps=r"3 \cdot 1^{2} - 4 \cdot 1",
    )
    st.success(
        t("rules.tangent_sentence", x0="1", f_x0="−1", k="2", line="2x − 3"), icon=":material/check_circle:"
    )


def derivation(
    *, x0: str, derivative: str | None, k: str, f_x0: str, b: str, line: str, f_x0_steps: str | None = None
) -> None:
    """The tangent derived as the reader's note does it; every argument is LaTeX (fixed, or the worker's)."""
    st.markdown(derivation_markdown(x0, derivative, k, f_x0, b, line, f_x0_steps))


def derivation_markdown(
    x0: str, derivative: str | None, k: str, f_x0: str, b: str, line: str, f_x0_steps: str | None = None
) -> str:
    r"""The derivation as one Markdown text: a sentence, then its formula as display math, for each line.

    One element rather than ten keeps the page's reruns fast. The LaTeX pieces are fixed or the worker's.

    >>> print(derivation_markdown("1", None, "2", "-1", "-3", "2x - 3").split("\n\n")[1])
    $$
    k = f'(1) = 2
    $$
    """
    lines = []
    if derivative is not None:
        lines += [t("rules.derive_derivative"), display_math(f"f'(x) = {derivative}")]
    middle = f"{f_x0_steps} = " if f_x0_steps else ""
    lines += [
        t("rules.derive_slope"),
        display_math(f"k = f'({x0}) = {k}"),
        t("rules.derive_point"),
        display_math(rf"f({x0}) = {middle}{f_x0} \;\Rightarrow\; \left({x0},\ {f_x0}\right)"),
        t("rules.derive_intercept"),
        display_math(rf"{f_x0} = {_factor(k)} \cdot {_factor(x0)} + b \quad\Rightarrow\quad b = {b}"),
        t("rules.derive_line"),
        display_math(f"y = {line}"),
    ]
    return "\n\n".join(lines)


def _factor(tex: str) -> str:
    """A LaTeX term in parentheses when it is negative or a sum, so that ``k \\cdot x_0`` reads right."""
    body = tex.strip()
    if body.startswith("-") or "+" in body or " - " in body[1:]:
        return rf"\left({body}\right)"
    return body


# --- the explorer ---------------------------------------------------------------------------------------


def show_derivative(explorer: Explorer) -> None:
    """f(x) as understood and f'(x), both from the step engine's LaTeX."""
    steps = explorer.steps
    if steps is not None:
        st.latex(f"f(x) = {steps['expr_latex']}")
    prompt = t("reveal.rules_prompt", x0=number(explorer.x0, SENTENCE_DIGITS))
    if reveal.ask(EXPLORER_QUESTION, explorer.inputs, prompt) and steps is not None:
        st.latex(f"f'(x) = {steps['result_latex']}")


def show_tangent(explorer: Explorer) -> None:
    """Whether there is a tangent at x0, and if so its derivation; then the chart with its sentence.

    In predict mode, until revealed: only the chart of f, without the tangent and f′.
    """
    if not reveal.is_shown(EXPLORER_QUESTION, explorer.inputs):
        spec = _tangent_spec(
            explorer.text, explorer.x0, explorer.second, current_language(), is_projector(), answer=False
        )
        charts.draw(spec, name=_tangent_file_name(explorer), width="content")
        reveal.chart_hidden_note()
        return
    numbers = explorer.numbers()
    if numbers is None:
        verdict_message(explorer)
        sentence = t("rules.no_tangent_sentence", x0=number(explorer.x0, SENTENCE_DIGITS))
    else:
        f_x0, k, b = numbers
        sentence = t(
            "rules.tangent_sentence",
            x0=number(explorer.x0, SENTENCE_DIGITS),
            f_x0=number(f_x0, SENTENCE_DIGITS),
            k=number(k, SENTENCE_DIGITS),
            line=line_text(k, b, SENTENCE_DIGITS),
        )
        if not explorer.exact:
            st.info(t("rules.numeric_tangent"), icon=":material/calculate:")
    chart_with_sentence(explorer, sentence)
    if numbers is not None:
        with st.expander(t("rules.derivation_title"), expanded=True, icon=":material/function:"):
            tangent_derivation(explorer)


def tangent_derivation(explorer: Explorer) -> None:
    """The reader's-note derivation for the reader's function, in the worker's exact LaTeX when it has it."""
    derivative = explorer.steps["result_latex"] if explorer.steps else None
    if explorer.exact:
        line = explorer.line
        derivation(
            x0=line["x0"],
            derivative=derivative,
            k=line["slope"]["latex"],
            f_x0=line["f_x0"]["latex"],
            b=line["intercept"]["latex"],
            line=line["line_latex"],
        )
        return
    f_x0, k, b = explorer.numbers()
    derivation(
        x0=_latex_number(explorer.x0),
        derivative=derivative,
        k=_latex_number(k),
        f_x0=_latex_number(f_x0),
        b=_latex_number(b),
        line=line_text(k, b, 7).replace("−", "-"),
    )


def _latex_number(value: float) -> str:
    return number(value, 7).replace("−", "-")


def verdict_message(explorer: Explorer) -> None:
    """Why there is no tangent at x0, in words, with SymPy's one-sided limits where it found them."""
    verdict = explorer.verdict
    x0 = number(explorer.x0, SENTENCE_DIGITS)
    line = (
        explorer.line if explorer.line is not None and explorer.verdict == explorer.line["verdict"] else None
    )
    sides = {"left": "—", "right": "—"}
    if line is not None and line.get("left") and line.get("right"):
        sides = {side: f"${line[side]['latex']}$" for side in ("left", "right")}
    if verdict == "infinite":
        kinds = {line["left"]["kind"], line["right"]["kind"]} if line and line.get("left") else set()
        key = "rules.verdict_cusp" if kinds == {"+oo", "-oo"} else "rules.verdict_vertical"
    elif verdict == "undefined" and (line is None or line.get("f_x0") is None):
        key = "rules.verdict_not_in_domain"
    elif verdict == "undefined":
        key = "rules.verdict_one_side_undefined"
    else:
        key = f"rules.verdict_{verdict}"
    st.warning(t(key, x0=x0, **sides), icon=":material/block:")


def chart_with_sentence(explorer: Explorer, sentence: str) -> None:
    """The sentence of the numbers at x₀, the tangent chart, and how to use it.

    The sentence states the numbers at the x₀ of the number box; the chart's own readout follows the slider.
    Drawn at its own width (``width="content"``): with ``"stretch"`` (as ``ui.charts.show_chart`` draws)
    Streamlit gives every panel of a vconcat chart the container's width and Vega adds the axes outside
    it, so the chart overflows its column. Its spec is prepared and cached by ``ui.charts``, downloads too.
    """
    st.markdown(sentence)
    spec = _tangent_spec(explorer.text, explorer.x0, explorer.second, current_language(), is_projector())
    charts.draw(spec, name=_tangent_file_name(explorer), width="content", alt=sentence)
    st.caption(t("rules.chart_how"))


def _tangent_spec(
    text: str, x0: float, second: bool, language: str, projector: bool, answer: bool = True
) -> charts.Prepared:
    """The chart, prepared once per input by ``ui.charts`` (its grid already in Arrow form)."""
    return charts.prepare(tangent_spec_for, text, x0, second, language, projector, answer)


def _tangent_file_name(explorer: Explorer) -> tuple[str, ...]:
    return ("rules", "tangent", explorer.text, f"{explorer.x0:g}")


def tangent_spec_for(
    text: str, x0: float, second: bool, language: str, projector: bool, answer: bool = True
) -> dict:
    """The Vega-Lite spec for f at x0 from the worker's grid (answered from the sandbox's cache); without
    the ``answer`` (predict mode, not yet revealed) only f and the point."""
    expr = parse_expression(text, VARIABLES)
    low, high, count = slider_grid(x0, WINDOW_HALF_WIDTH, GRID_STEP)
    data = tangent_data(expr, VARIABLES, VAR, low, high, count, x0, second)
    labels = {key: translate(language, f"rules.chart_{key}") for key in CHART_WORDS}
    curves = {name: data[name] for name in ("f", "df", "d2f") if data.get(name) is not None}
    return tangent_spec(
        data["x"],
        curves["f"]["y"],
        curves["df"]["y"] if "df" in curves else [None] * len(data["x"]),
        x0,
        d2f=curves["d2f"]["y"] if "d2f" in curves else None,
        f_segment=curves["f"]["segment"],
        df_segment=curves["df"]["segment"] if "df" in curves else None,
        d2f_segment=curves["d2f"]["segment"] if "d2f" in curves else None,
        f_limits=_limits(curves["f"]),
        df_limits=_limits(curves.get("df")),
        d2f_limits=_limits(curves.get("d2f")),
        labels=labels,
        projector=projector,
        width=PROJECTOR_CHART_WIDTH if projector else CHART_WIDTH,
        answer=answer,
    )


def _limits(curve: dict | None) -> tuple[float, float] | None:
    if curve is None or curve.get("y_limits") is None:
        return None
    low, high = curve["y_limits"]
    return float(low), float(high)


def show_second_note(explorer: Explorer) -> None:
    if explorer.second and not explorer.data["has_second"]:
        st.info(t("rules.second_unavailable"), icon=":material/info:")


def show_derivation_steps(explorer: Explorer) -> None:
    if not reveal.is_shown(EXPLORER_QUESTION, explorer.inputs):
        st.caption(t("reveal.steps_hidden"))
    elif explorer.steps is not None:
        show_steps(explorer.steps)
    elif explorer.steps_error is not None:
        show_error(explorer.steps_error)


# --- the reference cards --------------------------------------------------------------------------------


def rule_cards(cards, group: str, per_row: int) -> None:
    """One bordered card per rule: its name, its formula, a sentence, and a button that loads an example.

    ``per_row`` cards in a row, half as many (rounded up) on a projector.
    """
    if is_projector():
        per_row = (per_row + 1) // 2
    for start in range(0, len(cards), per_row):
        columns = st.columns(per_row)
        for column, (rule, formula, example, x0) in zip(
            columns, cards[start : start + per_row], strict=False
        ):
            with column, st.container(border=True, height="stretch"):
                # One element for name and formula: each element adds to a rerun's time.
                st.markdown(f"**{t(f'steps.{rule}')}**\n\n{display_math(formula)}")
                st.caption(t(f"rules.card_{rule}"))
                st.button(
                    t("rules.try_it", example=example),
                    key=f"rules_try_{group}_{rule}",
                    on_click=use_example,
                    args=(example, x0),
                    icon=":material/play_arrow:",
                )
