"""What the rules page's parts share: URL names and defaults, the inputs, the worker's answers for the
explorer, and the cards of rules."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.limits import combined_verdict
from calc_core.parser import format_expression, parse_expression
from calc_core.service import derivative_steps_of, tangent_data, tangent_line
from ui.errors import code_span, error_message, show_error
from ui.i18n import t
from ui.inputs import url_toggle, x0_box
from ui.settings import is_projector
from ui.steps_view import display_math
from viz.tangent_chart import number, slider_grid

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
    return x0_box("rules", default=DEFAULT_X0, bound=X0_LIMIT, step=0.1, number=number, limit=f"{X0_LIMIT:g}")


def second_derivative_input() -> bool:
    return url_toggle(
        SECOND_KEY,
        t("rules.second_label"),
        help=t("rules.second_help"),
        warning=lambda given: t("rules.second_ignored", given=given),
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
        exact = None if self.line is None else self.line["verdict"]
        return combined_verdict(exact, self.data["point"]["verdict"])

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
