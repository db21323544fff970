"""What the exercises page draws: D2L's four exercises and the practice problems; the page script
(app_pages/exercises.py) stays a lesson.

Every answer is checked in the sandboxed worker (``calc_core.service.check_answer``: parsed there with the
allow-list parser, compared as a function, never eval'd) and described there ("understood as", LaTeX). A
verdict is shown from its plain data: numbers are formatted here, symbols come from fixed tables, messages
from the catalogue; the student's text appears only inside the parser's error display (``ui.errors``).

URL: the practice set lives in ``seed`` (a number box bound to the URL), ``level`` (a segmented control
bound to the URL) and ``rule`` (a selector whose options are translated, so the URL is kept in step by hand
with the rule's id: a bound selector would put the translated label into the address). Answers stay out of
the URL: a shared link gives the class the same problems, not someone's answers.

Each exercise and the practice section is a fragment: typing an answer or asking for a hint reruns that
part alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.parser import parse_expression
from calc_core.practice import LEVELS, MAX_SEED, PRACTICE_RULES
from calc_core.service import (
    check_answer,
    derivative_steps_of,
    describe_expression,
    partial_derivatives,
    practice_problems,
    sample_expression,
)
from calc_core.steps import number_steps
from ui import charts
from ui import format as fmt
from ui.errors import code_span, show_error
from ui.format import subscript
from ui.i18n import current_language, t, translate
from ui.settings import is_projector
from ui.steps_view import rule_name, show_steps
from viz.function_plot import function_chart

# --- exercise 1: x³ − 1/x and its tangent at x = 1 -------------------------------------------------------
EX1_VARIABLES = ("x",)
EX1_F = "x^3 - 1/x"
EX1_TANGENT = "4x - 4"
EX1_WINDOW = (-3.0, 3.0)
EX1_Y_LIMITS = (-12.0, 12.0)
EX1_SAMPLES = 601  # x = 0 is a sample: the pole is a gap in the line
EX1_SOLUTION = (
    r"f'(x) = 3x^{2} + \frac{1}{x^{2}}",
    r"f'(1) = 3 + 1 = 4, \qquad f(1) = 1 - 1 = 0",
    r"y = f(1) + f'(1)\,(x - 1) = 0 + 4(x - 1) = 4x - 4",
)
EX1_FUNCTION_LATEX = r"f(x) = x^{3} - \frac{1}{x}"

# --- exercise 2: the gradient of 3x₁² + 5e^{x₂} ---------------------------------------------------------
EX2_VARIABLES = ("x1", "x2")
EX2_F = "3x1^2 + 5e^x2"
EX2_GRADIENT = ("6x1", "5exp(x2)")
EX2_SOLUTION = r"\nabla_{\mathbf{x}} f(\mathbf{x}) = \begin{bmatrix} 6x_{1} \\ 5e^{x_{2}} \end{bmatrix}"

# --- exercise 3: the gradient of ‖x‖₂ ----------------------------------------------------------------
EX3_SIZES = (2, 3)
EX3_ZERO_OPTIONS = ("undefined", "zero", "ones")
EX3_SOLUTION = (
    r"\|\mathbf{x}\|_{2} = \sqrt{x_{1}^{2} + x_{2}^{2} + \cdots + x_{n}^{2}}",
    r"\frac{\partial}{\partial x_{i}} \|\mathbf{x}\|_{2} = \frac{1}{2\sqrt{x_{1}^{2} + \cdots + x_{n}^{2}}}"
    r" \cdot 2x_{i} = \frac{x_{i}}{\|\mathbf{x}\|_{2}}",
    r"\nabla_{\mathbf{x}} \|\mathbf{x}\|_{2} = \frac{\mathbf{x}}{\|\mathbf{x}\|_{2}}"
    r" \qquad (\mathbf{x} \neq \mathbf{0})",
)
EX3_SLICE_WINDOW = (-2.0, 2.0)

# --- exercise 4: the chain rule for u = f(x, y, z), with x, y, z functions of a and b ----------------------
# (what the student types, what it means): the parser reads these names as variables.
EX4_SYMBOLS = tuple(
    (f"d{top}_d{bottom}", rf"\frac{{\partial {top}}}{{\partial {bottom}}}")
    for top, bottom in (
        ("u", "x"),
        ("u", "y"),
        ("u", "z"),
        ("x", "a"),
        ("y", "a"),
        ("z", "a"),
        ("x", "b"),
        ("y", "b"),
        ("z", "b"),
    )
)
EX4_VARIABLES = tuple(name for name, _ in EX4_SYMBOLS)
EX4_EXPECTED = {
    "a": "du_dx*dx_da + du_dy*dy_da + du_dz*dz_da",
    "b": "du_dx*dx_db + du_dy*dy_db + du_dz*dz_db",
}
EX4_SOLUTION = (
    r"\frac{\partial u}{\partial a} = \frac{\partial u}{\partial x}\frac{\partial x}{\partial a}"
    r" + \frac{\partial u}{\partial y}\frac{\partial y}{\partial a}"
    r" + \frac{\partial u}{\partial z}\frac{\partial z}{\partial a}",
    r"\frac{\partial u}{\partial b} = \frac{\partial u}{\partial x}\frac{\partial x}{\partial b}"
    r" + \frac{\partial u}{\partial y}\frac{\partial y}{\partial b}"
    r" + \frac{\partial u}{\partial z}\frac{\partial z}{\partial b}",
)
# Who depends on whom: u on x, y, z; each of them on a and b. Fixed text, no user input. A white card, as in
# viz.graph_dot: Graphviz charts ignore the app's theme, and black arrows vanish on the dark one.
EX4_GRAPH = """digraph {
  rankdir=LR; bgcolor="#FFFFFF"; pad="0.2";
  node [shape=circle, fontname="Helvetica", fontsize=18, width=0.6, fixedsize=true];
  edge [arrowsize=0.7];
  a; b; x; y; z; u;
  a -> x; a -> y; a -> z; b -> x; b -> y; b -> z; x -> u; y -> u; z -> u;
}"""

# --- practice -----------------------------------------------------------------------------------------------
SEED_KEY, RULE_KEY, LEVEL_KEY = "seed", "rule", "level"
DEFAULT_SEED, DEFAULT_RULE, DEFAULT_LEVEL = 1, "power", 1
PRACTICE_COUNT = 5
PRACTICE_VARIABLES = ("x",)
SCORE_KEY = "exercises_score"
SOLVED_KEY = "exercises_solved"
MAX_REMEMBERED = 200  # problems remembered as solved in one session (the score counts each once)
HINT_COUNT = 3


# --- small pieces -------------------------------------------------------------------------------------------


def number(value: float) -> str:
    """A value for a sentence (``ui.format.number``): 6 significant digits, a true minus sign.

    >>> number(-0.28867513459), number(4.0), number(1e-07)
    ('−0.288675', '4', '1e−07')
    """
    return fmt.number(value, minus=fmt.MINUS, undefined=None, signed_zero=True)


def variable_latex(name: str) -> str:
    """LaTeX of a variable's name: x1 → x_{1}, du_dx → ∂u/∂x.

    >>> variable_latex("x2"), variable_latex("x")
    ('x_{2}', 'x')
    """
    symbols = dict(EX4_SYMBOLS)
    if name in symbols:
        return symbols[name]
    if len(name) > 1 and name[0] == "x" and name[1:].isdigit():
        return f"x_{{{name[1:]}}}"
    return name


def point_markdown(point: list) -> str:
    """The point of a verdict as inline LaTeX, from fixed symbols and formatted numbers only.

    >>> point_markdown([["x", -1.0]])
    '$x = -1$'
    """
    return "$" + ",\\ ".join(f"{variable_latex(name)} = {value:.6g}" for name, value in point) + "$"


def checked(text: str, expected: str, variables: tuple[str, ...], **options) -> dict | None:
    """The worker's verdict, or None after showing why there is none (a time limit, a failed worker)."""
    try:
        return check_answer(text, expected, variables, **options)
    except ExpressionError as err:
        show_error(err)
        return None


def show_understood(verdict: dict, lhs: str, variables: tuple[str, ...]) -> None:
    """How the answer was read, as LaTeX printed by the worker."""
    answer_text = verdict.get("answer_text")
    if not answer_text:
        return
    try:
        latex = describe_expression(parse_expression(answer_text, variables), variables)["latex"]
    except ExpressionError as err:
        show_error(err)
        return
    st.caption(t("input.understood"))
    st.latex(f"{lhs} = {readable_symbols(latex)}")


def readable_symbols(latex: str) -> str:
    """Exercise 4's symbols as partial derivatives: SymPy prints du_dx as du_{dx}, shown as ∂u/∂x."""
    for name, symbol in EX4_SYMBOLS:
        top, bottom = name.split("_")  # "du", "dx"
        latex = latex.replace(f"{top}_{{{bottom}}}", symbol)
    return latex


def show_verdict(verdict: dict, text: str) -> None:
    """Right, right but unsimplified, wrong (where, and both values), not understood, or undecided."""
    kind = verdict["verdict"]
    if kind == "not_understood":
        if verdict.get("error"):
            show_error(ExpressionError.from_dict(verdict["error"]), text)
        else:
            st.warning(t("exercises.not_solvable"), icon=":material/edit:")
    elif kind == "right":
        st.success(t("exercises.verdict_right"), icon=":material/check_circle:")
    elif kind == "right_unsimplified":
        st.success(t("exercises.verdict_unsimplified"), icon=":material/check_circle:")
        st.latex(verdict["simplest_latex"])
    elif kind == "wrong":
        point = point_markdown(verdict["point"])
        expected = number(verdict["expected_value"])
        if verdict["answer_value"] is None:
            message = t("exercises.verdict_wrong_undefined", point=point, expected=expected)
        else:
            message = t(
                "exercises.verdict_wrong",
                point=point,
                expected=expected,
                answer=number(verdict["answer_value"]),
            )
        st.error(message, icon=":material/cancel:")
    else:
        st.info(t("exercises.verdict_unknown"), icon=":material/help:")


def answer(
    key: str,
    label: str,
    expected: str,
    variables: tuple[str, ...],
    lhs: str,
    on_change: Callable | None = None,
    args: tuple = (),
    **options,
) -> dict | None:
    """A text box for one answer, then how it was understood and the verdict; returns the verdict."""
    text = st.text_input(
        label, key=key, placeholder=t("exercises.answer_placeholder"), on_change=on_change, args=args
    )
    if not text or not text.strip():
        return None
    verdict = checked(text, expected, variables, **options)
    if verdict is None:
        return None
    if verdict["verdict"] != "not_understood":
        show_understood(verdict, lhs, variables)
    show_verdict(verdict, text)
    return verdict


def hints(prefix: str, items: Callable[[], list[tuple[str, str | None]]], total: int = HINT_COUNT) -> None:
    """Hints one at a time: a button shows the next; ``items()`` gives (text, LaTeX or None) for each.

    ``items`` is called only once a hint is shown, so a hint that needs the worker costs nothing before.
    """
    state = f"{prefix}_hints_shown"
    shown = min(int(st.session_state.get(state, 0)), total)
    if shown:
        for number_shown, (text, latex) in enumerate(items()[:shown], start=1):
            with st.container(border=True):
                st.markdown(f"**{t('exercises.hint_label', number=number_shown)}** {text}")
                if latex:
                    st.latex(latex)
    if shown < total:
        st.button(
            t("exercises.hint_button", number=shown + 1, total=total),
            key=f"{prefix}_hint",
            icon=":material/lightbulb:",
            on_click=_show_one_more,
            args=(state, total),
        )
    else:
        st.caption(t("exercises.hints_done"))


def _show_one_more(state: str, total: int) -> None:
    st.session_state[state] = min(int(st.session_state.get(state, 0)) + 1, total)


def fixed_hints(prefix: str) -> Callable[[], list[tuple[str, str | None]]]:
    return lambda: [(t(f"exercises.{prefix}_hint_{i}"), None) for i in range(1, HINT_COUNT + 1)]


def _translator(key_template: str) -> Callable[[str], str]:
    """A format_func for options: the language is fixed now, since Streamlit (and AppTest) may call it later,
    outside this script run, where the session's language is unknown."""
    language = current_language()
    return lambda option: translate(language, key_template.format(option))


def solution_toggle(prefix: str) -> bool:
    return st.toggle(t("exercises.show_solution"), key=f"{prefix}_solution")


def steps_or_error(call: Callable[[], dict]) -> dict | None:
    try:
        return call()
    except ExpressionError as err:
        show_error(err)
        return None


# --- exercise 1 --------------------------------------------------------------------------------------------


@st.fragment
def exercise_tangent() -> None:
    st.header(t("exercises.ex1_title"))
    st.markdown(t("exercises.ex1_task"))
    st.latex(EX1_FUNCTION_LATEX)
    st.caption(t("exercises.ex1_how"))
    verdict = answer("ex1_answer", t("exercises.ex1_label"), EX1_TANGENT, EX1_VARIABLES, "y", solve_for="y")
    hints("ex1", fixed_hints("ex1"))
    solution = solution_toggle("ex1")
    right = verdict is not None and verdict["verdict"] in ("right", "right_unsimplified")
    line = verdict.get("answer_text") if verdict is not None and not right else None
    tangent_figure(line, show_tangent=solution or right)
    if solution:
        st.subheader(t("exercises.solution_title"))
        st.markdown(t("exercises.ex1_solution_intro"))
        data = steps_or_error(lambda: derivative_steps_of(parse_expression(EX1_F), EX1_VARIABLES, "x"))
        if data is not None:
            show_steps(data)
        for line_latex in EX1_SOLUTION:
            st.latex(line_latex)
        st.markdown(t("exercises.ex1_solution_pole"))


def tangent_figure(line: str | None, show_tangent: bool) -> None:
    """f (its pole at 0 a gap), the tangent at x = 1 (once right, or asked for), and the student's line."""
    curves = [(t("exercises.chart_f"), EX1_F)]
    if show_tangent:
        curves.append((t("exercises.chart_tangent"), EX1_TANGENT))
    if line:
        curves.append((t("exercises.chart_your_line"), line))
    try:
        charts.show_chart(
            tangent_chart,
            tuple(curves),
            t("exercises.chart_point"),
            is_projector(),
            name=("exercises", "ex1-tangent"),
        )
    except ExpressionError as err:
        show_error(err)
        return
    st.caption(t("exercises.ex1_figure_caption"))


def tangent_chart(curves: tuple[tuple[str, str], ...], point_label: str, projector: bool):
    """The chart of exercise 1: each (label, text) sampled by the worker on EX1_WINDOW."""
    sampled = [
        (
            label,
            sample_expression(
                parse_expression(text, EX1_VARIABLES), EX1_VARIABLES, "x", *EX1_WINDOW, EX1_SAMPLES
            ),
        )
        for label, text in curves
    ]
    return function_chart(
        sampled, y_limits=EX1_Y_LIMITS, projector=projector, points=[(point_label, 1.0, 0.0)]
    )


# --- exercise 2 --------------------------------------------------------------------------------------------


@st.fragment
def exercise_gradient() -> None:
    st.header(t("exercises.ex2_title"))
    st.markdown(t("exercises.ex2_task"))
    st.caption(t("exercises.ex2_how"))
    columns = st.columns(len(EX2_VARIABLES))
    for index, (column, expected) in enumerate(zip(columns, EX2_GRADIENT, strict=True), start=1):
        with column:
            lhs = rf"\frac{{\partial f}}{{\partial x_{{{index}}}}}"
            answer(
                f"ex2_answer_{index}",
                t("exercises.partial_label", symbol=f"∂f/∂x{subscript(str(index))}"),
                expected,
                EX2_VARIABLES,
                lhs,
            )
    hints("ex2", fixed_hints("ex2"))
    if solution_toggle("ex2"):
        st.subheader(t("exercises.solution_title"))
        st.markdown(t("exercises.ex2_solution_intro"))
        partials = steps_or_error(
            lambda: partial_derivatives(
                parse_expression(EX2_F, EX2_VARIABLES), EX2_VARIABLES, (1.0, 1.0), with_steps=True
            )
        )
        if partials is not None:
            for index, entry in enumerate(partials["partials"], start=1):
                st.markdown(t("exercises.solution_part", symbol=f"∂f/∂x{subscript(str(index))}"))
                show_steps(entry["steps"], partial=True)
        st.latex(EX2_SOLUTION)


# --- exercise 3 --------------------------------------------------------------------------------------------


def norm_text(n: int) -> str:
    """‖x‖₂ in parser syntax for n variables x1 … xn.

    >>> norm_text(2)
    'sqrt(x1^2 + x2^2)'
    """
    return "sqrt(" + " + ".join(f"x{i}^2" for i in range(1, n + 1)) + ")"


def norm_gradient(n: int) -> list[str]:
    """The expected components xᵢ/‖x‖₂.

    >>> norm_gradient(2)
    ['x1/sqrt(x1^2 + x2^2)', 'x2/sqrt(x1^2 + x2^2)']
    """
    return [f"x{i}/{norm_text(n)}" for i in range(1, n + 1)]


@st.fragment
def exercise_norm() -> None:
    st.header(t("exercises.ex3_title"))
    st.markdown(t("exercises.ex3_task"))
    n = st.segmented_control(
        t("exercises.ex3_size_label"),
        EX3_SIZES,
        default=EX3_SIZES[0],
        key="ex3_n",
        required=True,
        format_func=lambda size: f"n = {size}",
    )
    n = n if n in EX3_SIZES else EX3_SIZES[0]
    variables = tuple(f"x{i}" for i in range(1, n + 1))
    st.caption(
        t("exercises.ex3_how", variables=t("exercises.list_separator").join(map(code_span, variables)))
    )
    columns = st.columns(n)
    for index, (column, expected) in enumerate(zip(columns, norm_gradient(n), strict=True), start=1):
        with column:
            answer(
                f"ex3_answer_{n}_{index}",
                t("exercises.partial_label", symbol=f"∂f/∂x{subscript(str(index))}"),
                expected,
                variables,
                rf"\frac{{\partial f}}{{\partial x_{{{index}}}}}",
            )
    zero_question()
    hints("ex3", fixed_hints("ex3"))
    if solution_toggle("ex3"):
        st.subheader(t("exercises.solution_title"))
        for line_latex in EX3_SOLUTION:
            st.latex(line_latex)
        st.markdown(t("exercises.ex3_solution_engine", n=n))
        partials = steps_or_error(
            lambda: partial_derivatives(
                parse_expression(norm_text(n), variables), variables, (1.0,) * n, with_steps=True
            )
        )
        if partials is not None:
            show_steps(partials["partials"][0]["steps"], partial=True)
        st.markdown(t("exercises.ex3_solution_zero"))
        charts.show_chart(
            norm_slice_chart, t("exercises.chart_slice"), is_projector(), name=("exercises", "ex3-slice")
        )
        st.caption(t("exercises.ex3_slice_caption"))


def zero_question() -> None:
    choice = st.radio(
        t("exercises.ex3_zero_question"),
        EX3_ZERO_OPTIONS,
        index=None,
        key="ex3_zero",
        format_func=_translator("exercises.ex3_zero_{}"),
    )
    if choice is None:
        return
    if choice == "undefined":
        st.success(t("exercises.ex3_zero_right"), icon=":material/check_circle:")
    else:
        st.error(t("exercises.ex3_zero_wrong"), icon=":material/cancel:")
    st.markdown(t("exercises.ex3_zero_explanation"))


def norm_slice_chart(label: str, projector: bool):
    """‖(x₁, 0)‖₂ = |x₁|: the corner at 0 where no tangent (and no gradient) exists."""
    curve = sample_expression(parse_expression("abs(x)"), ("x",), "x", *EX3_SLICE_WINDOW, 401)
    return function_chart([(label, curve)], x_title="x₁", y_title="‖x‖₂", projector=projector)


# --- exercise 4 --------------------------------------------------------------------------------------------


@st.fragment
def exercise_chain() -> None:
    st.header(t("exercises.ex4_title"))
    st.markdown(t("exercises.ex4_task"))
    symbol_legend()
    columns = st.columns(2)
    for column, variable in zip(columns, ("a", "b"), strict=True):
        with column:
            answer(
                f"ex4_answer_{variable}",
                t("exercises.partial_label", symbol=f"∂u/∂{variable}"),
                EX4_EXPECTED[variable],
                EX4_VARIABLES,
                rf"\frac{{\partial u}}{{\partial {variable}}}",
            )
    hints("ex4", fixed_hints("ex4"))
    if solution_toggle("ex4"):
        st.subheader(t("exercises.solution_title"))
        st.markdown(t("exercises.ex4_solution_intro"))
        st.graphviz_chart(EX4_GRAPH, alt=t("exercises.ex4_graph_alt"))
        charts.dot_download(EX4_GRAPH, ("exercises", "ex4-graph"))
        for line_latex in EX4_SOLUTION:
            st.latex(line_latex)
        st.markdown(t("exercises.ex4_solution_general"))


def symbol_legend() -> None:
    """What to type for each partial derivative (one table: three per row), and an example of the format."""
    st.markdown(t("exercises.ex4_legend_intro"))
    cells = [f"{code_span(name)} | ${latex}$" for name, latex in EX4_SYMBOLS]
    rows = [" | ".join(cells[i::3]) for i in range(3)]
    header = " | ".join([t("exercises.ex4_legend_type"), t("exercises.ex4_legend_means")] * 3)
    st.markdown("\n".join([f"| {header} |", "|" + " --- |" * 6, *(f"| {row} |" for row in rows)]))
    st.caption(t("exercises.ex4_example", example=code_span("du_dx*dx_da")))


# --- practice ----------------------------------------------------------------------------------------------


def practice_controls() -> tuple[int, str, int]:
    """Rule, level and seed, all in the URL; a new random seed on request."""
    rule_column, level_column, seed_column, new_column = st.columns([3, 2, 2, 2], vertical_alignment="bottom")
    with rule_column:
        rule = rule_select()
    with level_column:
        level = st.segmented_control(
            t("exercises.level_label"),
            LEVELS,
            default=DEFAULT_LEVEL,
            key=LEVEL_KEY,
            bind="query-params",
            required=True,
            help=t("exercises.level_help"),
        )
    with seed_column:
        seed = st.number_input(
            t("exercises.seed_label"),
            min_value=0,
            max_value=MAX_SEED,
            value=DEFAULT_SEED,
            step=1,
            key=SEED_KEY,
            bind="query-params",
            help=t("exercises.seed_help"),
        )
    with new_column:
        st.button(
            t("exercises.new_set"), icon=":material/casino:", on_click=_new_seed, key="exercises_new_set"
        )
    level = level if level in LEVELS else DEFAULT_LEVEL
    seed = int(seed) if seed is not None else DEFAULT_SEED
    return rule, level, seed


def rule_select() -> str:
    """The rule selector; its id (not its translated label) is kept in ``?rule=`` by hand."""
    raw = st.query_params.get(RULE_KEY)
    if RULE_KEY not in st.session_state:
        st.session_state[RULE_KEY] = raw if raw in PRACTICE_RULES else DEFAULT_RULE
        if raw is not None and raw not in PRACTICE_RULES:
            st.warning(
                t(
                    "exercises.rule_ignored",
                    given=code_span(raw[:40]),
                    used=t(f"exercises.rule_{DEFAULT_RULE}"),
                ),
                icon=":material/link:",
            )
    rule = st.selectbox(
        t("exercises.rule_label"),
        PRACTICE_RULES,
        key=RULE_KEY,
        format_func=_translator("exercises.rule_{}"),
    )
    if rule == DEFAULT_RULE:
        if RULE_KEY in st.query_params:
            del st.query_params[RULE_KEY]
    elif st.query_params.get(RULE_KEY) != rule:
        st.query_params[RULE_KEY] = rule
    return rule


def _new_seed() -> None:
    st.session_state[SEED_KEY] = 1 + secrets.randbelow(MAX_SEED)


def show_score() -> None:
    score = st.session_state.get(SCORE_KEY, {"checked": 0, "right": 0})
    left, right = st.columns([4, 1], vertical_alignment="center")
    with left:
        st.markdown(t("exercises.score", right=score["right"], checked=score["checked"]))
    with right:
        st.button(t("exercises.reset_score"), key="exercises_reset_score", on_click=_reset_score)


def _reset_score() -> None:
    st.session_state[SCORE_KEY] = {"checked": 0, "right": 0}
    st.session_state[SOLVED_KEY] = []


def _count_answer(key: str, problem_id: str, expected: str, domain: str) -> None:
    """On a new answer: one more checked, and one more right the first time this problem is solved."""
    text = st.session_state.get(key) or ""
    if not text.strip():
        return
    try:
        verdict = check_answer(text, expected, PRACTICE_VARIABLES, domain_text=domain)
    except ExpressionError:
        return
    if verdict["verdict"] not in ("right", "right_unsimplified", "wrong"):
        return
    score = dict(st.session_state.get(SCORE_KEY, {"checked": 0, "right": 0}))
    solved = list(st.session_state.get(SOLVED_KEY, []))
    score["checked"] += 1
    if verdict["verdict"] != "wrong" and problem_id not in solved:
        score["right"] += 1
        solved = [*solved, problem_id][-MAX_REMEMBERED:]
    st.session_state[SCORE_KEY] = score
    st.session_state[SOLVED_KEY] = solved


@st.fragment
def practice() -> None:
    st.header(t("exercises.practice_title"))
    st.markdown(t("exercises.practice_intro"))
    rule, level, seed = practice_controls()
    st.caption(t("exercises.share", seed=seed, rule=code_span(rule), level=level))
    show_score()
    try:
        problems = practice_problems(seed, rule, level, PRACTICE_COUNT)
    except ExpressionError as err:
        show_error(err)
        return
    for problem in problems:
        practice_problem(problem, f"{seed}_{rule}_{level}_{problem['index']}")


def practice_problem(problem: dict, problem_id: str) -> None:
    with st.container(border=True):
        st.markdown(t("exercises.problem_title", number=problem["index"] + 1))
        st.latex(rf"f(x) = {problem['function_latex']}")
        key = f"practice_{problem_id}"
        answer(
            key,
            t("exercises.practice_label"),
            problem["derivative"],
            PRACTICE_VARIABLES,
            "f'(x)",
            on_change=_count_answer,
            args=(key, problem_id, problem["derivative"], problem["function"]),
            domain_text=problem["function"],
        )
        hints(f"practice_{problem_id}", lambda: practice_hints(problem))
        if solution_toggle(f"practice_{problem_id}"):
            data = problem_steps(problem)
            if data is not None:
                show_steps(data)
            st.latex(rf"f'(x) = {problem['derivative_latex']}")


def problem_steps(problem: dict) -> dict | None:
    return steps_or_error(
        lambda: derivative_steps_of(parse_expression(problem["function"]), PRACTICE_VARIABLES, "x")
    )


def practice_hints(problem: dict) -> list[tuple[str, str | None]]:
    """Three hints from the step engine: the first rule and its formula, the rules inside, the first step."""
    data = problem_steps(problem)
    if data is None:
        return []
    top = data["substeps"][0] if data["rule"] == "simplify" and data["substeps"] else data
    inside = []  # every rule below the first one, in reading order, once each
    for _, step in number_steps(top)[1:]:
        name = rule_name(step["rule"])
        if name not in inside:
            inside.append(name)
    second = (
        t("exercises.practice_hint_inside", rules=t("exercises.list_separator").join(inside))
        if inside
        else t("exercises.practice_hint_nothing_inside")
    )
    return [
        (t("exercises.practice_hint_rule", rule=rule_name(top["rule"])), top.get("formula") or None),
        (second, None),
        (t("exercises.practice_hint_first_step"), top["application"]),
    ]


def typing_help() -> None:
    """What students may type (the function box's help, shared by every answer box)."""
    with st.expander(t("input.help_title"), icon=":material/help:"):
        st.markdown(t("input.help_body"))
