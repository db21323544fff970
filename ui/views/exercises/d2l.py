"""D2L's four exercises of section 2.4: a tangent, two gradients and the chain rule, each with answer
checking, hints and a worked solution."""

from __future__ import annotations

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.parser import parse_expression
from calc_core.service import (
    derivative_steps_of,
    partial_derivatives,
    sample_expression,
)
from ui import charts
from ui.errors import code_span, show_error
from ui.format import subscript
from ui.i18n import t
from ui.settings import is_projector
from ui.steps_view import show_steps
from ui.views.exercises.common import (
    EX4_SYMBOLS,
    answer,
    fixed_hints,
    hints,
    solution_toggle,
    steps_or_error,
    translator,
)
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
        format_func=translator("exercises.ex3_zero_{}"),
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
