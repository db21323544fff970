"""What the partials and gradient pages share: URL names and defaults, numbers and points as text, the
function and point inputs, and the worker's answers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import streamlit as st
import sympy

from calc_core.errors import ExpressionError
from calc_core.multivariate import (
    detect_variables,
    parse_point,
)
from calc_core.parser import format_expression
from calc_core.service import describe_expression
from ui import charts
from ui import format as fmt
from ui.errors import code_span, show_error
from ui.expression_input import forget_text_of_another_page, show_reading_notes_of
from ui.format import name_latex, name_text
from ui.i18n import t, translate
from ui.inputs import url_text_box
from ui.lesson_header import is_first_screen

F_KEY, POINT_KEY, ANGLE_KEY = "f", "p", "u"
START_KEY, LR_KEY, STEPS_KEY = "s", "lr", "k"
IDENTITY_KEY, M_KEY, N_KEY, LAYOUT_KEY, SEED_KEY = "id", "m", "n", "lay", "seed"

DEFAULT_PARTIALS_F = "x1^2*x2 + sin(x2)"
DEFAULT_GRADIENT_F = "x1^2 + 4x2^2"
DEFAULT_POINT = (1.0, 1.0)
DEFAULT_GRADIENT_POINT = (1.0, 0.5)
DEFAULT_START = (-2.5, 1.5)
DEFAULT_LR, LR_MIN, LR_MAX = 0.1, 0.001, 2.0
DEFAULT_STEPS, STEPS_MIN, STEPS_MAX = 30, 1, 200
DEFAULT_IDENTITY, DEFAULT_LAYOUT = "Ax", "denominator"
DEFAULT_M, DEFAULT_N, DEFAULT_SEED, SEED_MAX = 2, 3, 0, 9999
# What the downloaded files of each chart are called: page, chart (then the function).
CHART_FILE_NAMES = {
    "_partials_chart": "partials-slices",
    "_gradient_chart": "gradient-field",
    "_descent_chart": "gradient-descent",
}
PROJECTOR_SURFACE_WIDTH = 860
GRID_POINTS = 61  # per axis: a grid step of 0.1 over the window of ±3

EXERCISE2_F = "3*x1^2 + 5*exp(x2)"
EXERCISE2_POINT = (1.0, 2.0)
EXERCISE3_F = "sqrt(x1^2 + x2^2 + x3^2)"
EXERCISE3_VARIABLES = ("x1", "x2", "x3")
EXERCISE3_POINT = (1.0, 2.0, 2.0)

# Examples for each page: (catalogue key of the button, function text, point).
PARTIALS_EXAMPLES = (
    ("partials.example_default", DEFAULT_PARTIALS_F, DEFAULT_POINT),
    ("partials.example_saddle", "x^2 - y^2", (1.0, 0.5)),
    ("partials.example_d2l", EXERCISE2_F, (1.0, 0.0)),
    ("partials.example_waves", "sin(x)*cos(y)", (0.5, 0.5)),
)
GRADIENT_EXAMPLES = (
    ("gradient.example_bowl", DEFAULT_GRADIENT_F, DEFAULT_GRADIENT_POINT),
    ("gradient.example_d2l", EXERCISE2_F, EXERCISE2_POINT),
    ("gradient.example_saddle", "x1^2 - x2^2", (1.0, 1.0)),
    ("gradient.example_three", "x1^2 + 2*x2^2 + 3*x3^2", (1.0, 1.0, 1.0)),
)
# The lab's identities as written in its buttons (mathematical notation, the same in every language).
IDENTITY_NAMES = {
    "Ax": r"$\nabla_{\mathbf{x}} \mathbf{A}\mathbf{x}$",
    "xA": r"$\nabla_{\mathbf{x}} \mathbf{x}^\top\mathbf{A}$",
    "xAx": r"$\nabla_{\mathbf{x}} \mathbf{x}^\top\mathbf{A}\mathbf{x}$",
    "norm2": r"$\nabla_{\mathbf{x}} \|\mathbf{x}\|^2$",
    "frobenius": r"$\nabla_{\mathbf{X}} \|\mathbf{X}\|_F^2$",
}

# Words inside the charts and the figure, by the chart's label key: catalogue keys under [partials] /
# [gradient]. Labels that are pure symbols (x₁, f, ∇f …) keep the charts' defaults.
SLICE_WORDS = {
    "slider_x": "partials.chart_slider_x",
    "slider_y": "partials.chart_slider_y",
    "slice_x_title": "partials.chart_slice_x_title",
    "slice_y_title": "partials.chart_slice_y_title",
    "point": "partials.chart_point",
}
SURFACE_WORDS = {
    "slice_x": "partials.surface_slice_x",
    "slice_y": "partials.surface_slice_y",
    "point": "partials.surface_point",
}
GRADIENT_WORDS = {
    "point_x": "gradient.chart_point_x",
    "point_y": "gradient.chart_point_y",
    "angle": "gradient.chart_angle",
    "theta": "gradient.chart_theta",
    "steepest": "gradient.chart_steepest",
    "angle_title": "gradient.chart_angle_title",
}
DESCENT_WORDS = {
    "step": "gradient.chart_step",
    "k": "gradient.chart_k",
    "loss": "gradient.chart_loss",
}

NOTATION = (
    r"\frac{\partial y}{\partial x_i} = \frac{\partial f}{\partial x_i} = f_{x_i} = f_i = D_i f = D_{x_i} f"
)

# Predict mode (ui/reveal.py): the partial derivatives' values at the point (partials page), the gradient's
# value, its arrow and the steepest direction (gradient page). A new function or point asks again.
PARTIALS_QUESTION, GRADIENT_QUESTION = "partials/values", "gradient/vector"

POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="multivariate-worker-calls")


# --- names and numbers ----------------------------------------------------------------------------------


def number(value: float | None, digits: int = 4) -> str:
    """A number for a sentence (``ui.format.number``), with up to ``digits`` significant digits; '—' when
    undefined, −0 as 0.

    >>> number(36.945280494653254), number(None), number(-0.0), number(1e-12)
    ('36.95', '—', '0', '1e-12')
    """
    return fmt.number(value, digits)


def point_text(point) -> str:
    """(1, 2) for a sentence."""
    return "(" + ", ".join(number(v) for v in point) + ")"


def matrix_latex(array: np.ndarray, digits: int = 6) -> str:
    r"""A matrix (or column, or row) of numbers as a LaTeX bmatrix.

    >>> matrix_latex(np.array([[1.0, -2.0], [0.5, 3.0]]))
    '\\begin{bmatrix} 1 & -2 \\\\ 0.5 & 3 \\end{bmatrix}'
    """
    rows = np.atleast_2d(np.asarray(array, dtype=np.float64))
    body = r" \\ ".join(" & ".join(number(v, digits) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


# --- the function and the point ------------------------------------------------------------------------


@dataclass(frozen=True)
class Function:
    """The reader's function: its parsed tree, normalised text (the caches' key) and its variables."""

    expr: sympy.Expr
    text: str
    variables: tuple[str, ...]

    @property
    def dimension(self) -> int:
        return len(self.variables)

    @property
    def latex_arguments(self) -> str:
        return ", ".join(name_latex(var) for var in self.variables)


def use_example(text: str, point: tuple[float, ...]) -> None:
    st.session_state[F_KEY] = text
    st.session_state[POINT_KEY] = ", ".join(number(v) for v in point)


def example_buttons(examples) -> None:
    """One button per example; a click fills f and p (and so the URL) before the next run."""
    st.caption(t("partials.examples_caption"))
    with st.container(horizontal=True, gap="small"):
        for label_key, text, point in examples:
            st.button(t(label_key), key=f"example_{label_key}", on_click=use_example, args=(text, point))


def function_input(default: str, show_understood: bool = True) -> Function | None:
    """The function box bound to ``?f=``: parsed with x1, x2, … or x, y, z; errors shown in place."""
    forget_text_of_another_page(F_KEY, default, ("x1", "x2", "…", "x", "y", "z"), detect_variables)
    text = url_text_box(
        F_KEY,
        t("partials.function_label"),
        default,
        placeholder=t("partials.placeholder"),
        help=t("partials.function_help"),
    )
    with st.expander(t("input.help_title"), icon=":material/help:"):
        st.markdown(t("partials.help_body"))
        st.markdown(t("input.help_body"))
    try:
        expr, variables = detect_variables(text or "")
    except ExpressionError as err:
        show_error(err, text or "")
        return None
    function = Function(expr, format_expression(expr), variables)
    try:
        description = describe_expression(expr, variables)
    except ExpressionError as err:
        show_error(err)
        return None
    if show_understood:  # (left out on the projector's first screen: ui/lesson_header.py)
        names = ", ".join(name_text(var) for var in variables)
        st.caption(t("partials.understood", variables=names))
        st.latex(f"f({function.latex_arguments}) = {description['latex']}")
    show_reading_notes_of(text or "", variables)
    return function


def point_input(
    variables: tuple[str, ...],
    default: tuple[float, ...],
    key: str = POINT_KEY,
    label_key: str = "partials.point_label",
) -> tuple[float, ...]:
    """A point typed as ``1, 2``, bound to ``?{key}=``; what cannot be used is replaced and reported."""
    default_text = ", ".join(number(v) for v in default)
    raw = url_text_box(
        key,
        t(label_key, variables=", ".join(name_text(var) for var in variables)),
        default_text,
        help=t("partials.point_help", name=key),
    )
    point, status = parse_point(raw or "", len(variables), default)
    if status in ("invalid", "too_large"):
        st.warning(
            t(f"partials.point_{status}", given=code_span((raw or "")[:40]), used=point_text(point)),
            icon=":material/link:",
        )
    elif status in ("padded", "truncated"):
        st.caption(t(f"partials.point_{status}", n=len(variables), used=point_text(point)))
    return point


def function_and_point(
    default_f: str, default_point: tuple[float, ...], show_understood: bool = True
) -> tuple[Function | None, tuple]:
    """The function box and beside it the point box (for the function's variables; x₁, x₂ until it parses)."""
    left, right = st.columns([3, 2])
    with left:
        function = function_input(default_f, show_understood)
    with right:
        variables = function.variables if function is not None else ("x1", "x2")
        point = point_input(variables, default_point)
    return function, point


def lesson_inputs(
    definition, examples, default_f: str, default_point: tuple[float, ...]
) -> tuple[Function | None, tuple]:
    """A multivariate page's inputs: its ``definition()`` and example buttons, then the function and point.

    On the projector's first screen the definition stands in the introduction and the examples under the
    figure (the page puts them there), and the "understood as" line is left out."""
    first_screen = is_first_screen()
    if not first_screen:
        definition()
        example_buttons(examples)
    return function_and_point(default_f, default_point, show_understood=not first_screen)


def drawn_in_the_plane(function: Function, message_key: str) -> bool:
    """Whether ``function`` has two variables, so that its picture can be drawn; if not, the info
    ``message_key`` (told the number of variables, ``n``) says why there is none."""
    if function.dimension == 2:
        return True
    st.info(t(message_key, n=function.dimension), icon=":material/view_in_ar:")
    return False


def show_chart(build, *args) -> None:
    """Draw the Vega-Lite spec ``build(*args)`` through ``ui.charts`` (cached with its grid in Arrow form,
    downloads under it), at its own width; ``args[0]`` is the function's text, part of the files' name."""
    name = (CHART_FILE_NAMES.get(build.__name__, build.__name__.strip("_")), args[0])
    charts.show_chart(build, *args, name=name, width="content")


def has_values(grid) -> bool:
    return grid is not None and bool(np.isfinite(grid.f).any())


def chart_labels(language: str, words: dict[str, str], **values) -> dict[str, str]:
    return {name: translate(language, key, **values) for name, key in words.items()}


def map_labels(language: str, words: dict[str, str], variables: tuple[str, ...]) -> dict[str, str]:
    """A contour map's words in ``language`` (told the two variables' names, ``a`` and ``c``), and its axes'
    names: ``x`` and ``y`` the variables, ``f`` the function of them."""
    a, c = (name_text(var) for var in variables)
    return chart_labels(language, words, a=a, c=c) | {"x": a, "y": c, "f": f"f({a}, {c})"}
