"""What the partials and gradient pages draw and how they read their inputs; the page scripts stay lessons.

URL contract (every input is in the address, so a link opens exactly what the class should see):

- ``f``: the function (both pages), in x1, x2 (, x3, x4) or x, y (, z): the variables are detected.
- ``p``: the point, coordinates separated by commas, e.g. ``p=1,2`` (both pages).
- ``u``: the direction's angle in degrees, 0 … 360 (gradient page; the chart's slider starts there).
- ``s``: gradient descent's start point, ``lr``: its learning rate, ``k``: its number of steps.
- ``id``: the identity of the lab (``Ax``, ``xA``, ``xAx``, ``norm2``, ``frobenius``), ``m`` and ``n``: the
  sizes, ``lay``: the layout (``denominator`` or ``numerator``), ``seed``: the random numbers.

A value from the URL that cannot be used is replaced by the default, or clamped, and the reader is told so.

Every formula and number about the reader's function comes from the sandboxed worker (``calc_core.service``);
charts are built once per input (``ui.charts.show_chart``) and the 3D surface's PNG is cached, so a rerun
with nothing new costs little. What a student moves (the point, a slice, the direction, a descent step)
moves inside the charts, in the browser.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import streamlit as st
import sympy

from calc_core.errors import ExpressionError
from calc_core.identities import (
    IDENTITIES,
    LAYOUTS,
    MAX_SIZE,
    MIN_SIZE,
    USES,
    check_identity,
    exercise2_function,
    exercise2_gradient,
    norm_quotients_at_zero,
)
from calc_core.multivariate import (
    detect_variables,
    numerical_gradient,
    parse_point,
    steepest_angle,
    window_around,
)
from calc_core.parser import format_expression, parse_expression
from calc_core.service import descent_path, describe_expression, gradient_field, partial_derivatives
from ui import charts, reveal
from ui.errors import code_span, show_error
from ui.expression_input import forget_text_of_another_page
from ui.i18n import current_language, t, translate
from ui.markdown_tables import number_table
from ui.settings import is_projector, persistent_query_params
from ui.steps_view import show_steps
from viz.gradient_charts import descent_chart, gradient_chart
from viz.slice_charts import partials_chart
from viz.surface_plot import surface_figure, surface_png, surface_rows, surface_svg

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

_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="multivariate-worker-calls")
SURFACE_CACHE_ENTRIES = 32
_SURFACES: OrderedDict[tuple, Future] = OrderedDict()
_SURFACE_LOCK = threading.Lock()
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


# --- names and numbers ----------------------------------------------------------------------------------


def display_name(var: str) -> str:
    """A variable's name for text: x1 → x₁.

    >>> display_name("x1"), display_name("y")
    ('x₁', 'y')
    """
    return var[0] + var[1:].translate(_SUBSCRIPTS)


def latex_name(var: str) -> str:
    """A variable's name in LaTeX, as SymPy prints it: x1 → x_{1}.

    >>> latex_name("x2"), latex_name("z")
    ('x_{2}', 'z')
    """
    return sympy.latex(sympy.Symbol(var))


def number(value: float | None, digits: int = 4) -> str:
    """A number for a sentence, with up to ``digits`` significant digits; '—' when undefined.

    >>> number(36.945280494653254), number(None), number(-0.0), number(1e-12)
    ('36.95', '—', '0', '1e-12')
    """
    if value is None or not math.isfinite(float(value)):
        return "—"
    text = f"{float(value):.{digits}g}"
    return "0" if text == "-0" else text


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


def _url_number(name: str) -> tuple[str | None, float | None]:
    """The raw URL value of ``name`` and its finite number (None when absent or not a finite number)."""
    raw = st.query_params.get(name)
    if raw is None:
        return None, None
    try:
        value = float(raw.strip()[:40])
    except ValueError:
        return raw, None
    return raw, value if math.isfinite(value) else None


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
        return ", ".join(latex_name(var) for var in self.variables)


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
    text = st.text_input(
        t("partials.function_label"),
        value=default,
        key=F_KEY,
        bind="query-params",
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
        names = ", ".join(display_name(var) for var in variables)
        st.caption(t("partials.understood", variables=names))
        st.latex(f"f({function.latex_arguments}) = {description['latex']}")
    return function


def point_input(
    variables: tuple[str, ...],
    default: tuple[float, ...],
    key: str = POINT_KEY,
    label_key: str = "partials.point_label",
) -> tuple[float, ...]:
    """A point typed as ``1, 2``, bound to ``?{key}=``; what cannot be used is replaced and reported."""
    default_text = ", ".join(number(v) for v in default)
    raw = st.text_input(
        t(label_key, variables=", ".join(display_name(var) for var in variables)),
        value=default_text,
        key=key,
        bind="query-params",
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


# --- the worker's answers -------------------------------------------------------------------------------


def analyse(
    function: Function,
    point: tuple[float, ...],
    with_steps: bool = True,
    grid: bool = True,
    surface: bool = False,
):
    """The partial derivatives at the point and, for two variables, the grid around it, asked of the worker
    pool at once (and, with ``surface``, the 3D picture started as soon as the grid is there). Errors are
    shown here; returns (partials or None, grid or None)."""
    partials_call = _POOL.submit(partial_derivatives, function.expr, function.variables, point, with_steps)
    grid_call = None
    if grid and function.dimension == 2:
        window = window_around(point)
        grid_call = _POOL.submit(gradient_field, function.expr, function.variables, window, GRID_POINTS)
    field = grid_error = None
    if grid_call is not None:
        try:
            field = grid_call.result()
        except ExpressionError as err:
            grid_error = err
        if surface and _has_values(field):  # render the surface while the worker still derives
            _surface_future((function.text, function.variables, point, current_language(), is_projector()))
    try:
        partials = partials_call.result()
    except ExpressionError as err:
        show_error(err)
        partials = None
    if grid_error is not None and partials is not None:
        show_error(grid_error)
    return partials, field


def show_chart(build, *args) -> None:
    """Draw the Vega-Lite spec ``build(*args)`` through ``ui.charts`` (cached with its grid in Arrow form,
    downloads under it), at its own width; ``args[0]`` is the function's text, part of the files' name."""
    name = (CHART_FILE_NAMES.get(build.__name__, build.__name__.strip("_")), args[0])
    charts.show_chart(build, *args, name=name, width="content")


def _has_values(grid) -> bool:
    return grid is not None and bool(np.isfinite(grid.f).any())


def _labels(language: str, words: dict[str, str], **values) -> dict[str, str]:
    return {name: translate(language, key, **values) for name, key in words.items()}


# --- the partials page ----------------------------------------------------------------------------------


def notation(function: Function | None, partials: dict | None) -> None:
    """D2L's notations for a partial derivative, and the same for the reader's ∂f/∂x₁."""
    st.latex(NOTATION)
    if function is None or partials is None:
        return
    var = latex_name(function.variables[0])
    derivative = partials["partials"][0]["latex"]
    st.latex(
        rf"\frac{{\partial f}}{{\partial {var}}} = f_{{{var}}} = f_1 = D_1 f = D_{{{var}}} f = {derivative}"
    )
    st.caption(t("partials.notation_example", var=display_name(function.variables[0])))


def values_question(function: Function, point: tuple[float, ...]) -> None:
    """In predict mode, until revealed: what are the partial derivatives at the point? (Else nothing.)"""
    names = reveal.names_list(f"∂f/∂{display_name(var)}" for var in function.variables)
    prompt = t("reveal.partials_prompt", names=names, point=point_text(point))
    reveal.ask(PARTIALS_QUESTION, (function.text, tuple(point)), prompt)


def _values_shown(function: Function, point) -> bool:
    return reveal.is_shown(PARTIALS_QUESTION, (function.text, tuple(point)))


def surface_and_slices(function: Function, point: tuple[float, ...], partials: dict, grid) -> None:
    """The 3D surface with both slices, then the browser-side map and slices, each with its sentence."""
    if not _has_values(grid):
        st.info(t("partials.no_values"), icon=":material/visibility_off:")
        return
    if not _values_shown(function, point):
        _surface_and_slices_without_values(function, point)
        return
    a, c = display_name(function.variables[0]), display_name(function.variables[1])
    values = partials["partials"]
    sentence = t(
        "partials.slices_sentence",
        point=point_text(point),
        f=number(partials["f_value"]),
        a=a,
        c=c,
        a_value=number(point[0]),
        c_value=number(point[1]),
        d1=number(values[0]["value"]),
        d2=number(values[1]["value"]),
    )
    png = _surface_png(function.text, function.variables, point, current_language(), is_projector())
    if is_projector():
        st.image(png, width=PROJECTOR_SURFACE_WIDTH, alt=t("partials.surface_alt"))
        surface_downloads(function, point)
        st.markdown(sentence)
        st.caption(t("partials.surface_how"))
    else:
        left, right = st.columns([3, 2], gap="large")
        with left:
            st.image(png, width="stretch", alt=t("partials.surface_alt"))
            surface_downloads(function, point)
        with right:
            st.markdown(sentence)
            st.caption(t("partials.surface_how"))
    st.subheader(t("partials.slices_title"))
    st.markdown(t("partials.slices_body", a=a, c=c))
    show_chart(_partials_chart, function.text, function.variables, point, current_language(), is_projector())
    st.markdown(sentence)
    st.caption(t("partials.slices_how", a=a, c=c))


def _surface_and_slices_without_values(function: Function, point: tuple[float, ...]) -> None:
    """The pictures while the class predicts: the surface, and the slices without tangents or slopes."""
    a, c = display_name(function.variables[0]), display_name(function.variables[1])
    png = _surface_png(function.text, function.variables, point, current_language(), is_projector())
    if is_projector():
        st.image(png, width=PROJECTOR_SURFACE_WIDTH, alt=t("partials.surface_alt"))
        surface_downloads(function, point)
        st.caption(t("partials.surface_how"))
    else:
        left, right = st.columns([3, 2], gap="large")
        with left:
            st.image(png, width="stretch", alt=t("partials.surface_alt"))
            surface_downloads(function, point)
        right.caption(t("partials.surface_how"))
    st.subheader(t("partials.slices_title"))
    st.markdown(t("partials.slices_body", a=a, c=c))
    args = (function.text, function.variables, point, current_language(), is_projector(), False)
    show_chart(_partials_chart, *args)
    reveal.chart_hidden_note()


def _render_surface(
    text: str, variables: tuple[str, ...], point: tuple[float, ...], language: str, projector: bool
) -> bytes:
    """The 3D surface as PNG bytes (no Streamlit call: it may run in a thread of ``_POOL``)."""
    return surface_png(_surface_figure(text, variables, point, language, projector))


def _grid_around(text: str, variables: tuple[str, ...], point: tuple[float, ...]):
    """The worker's grid of f and ∇f in the window around the point (answered from the sandbox's cache)."""
    return gradient_field(parse_expression(text, variables), variables, window_around(point), GRID_POINTS)


def _surface_figure(
    text: str, variables: tuple[str, ...], point: tuple[float, ...], language: str, projector: bool
):
    grid = _grid_around(text, variables, point)
    names = [display_name(var) for var in variables]
    labels = _labels(language, SURFACE_WORDS, a=names[0], c=names[1]) | {"x": names[0], "y": names[1]}
    return surface_figure(grid, point, labels=labels, projector=projector)


def surface_downloads(function: Function, point: tuple[float, ...]) -> None:
    """The surface's download control: the grid it is drawn from (CSV), SVG, and the PNG on the page."""
    key = (function.text, function.variables, point, current_language(), is_projector())
    charts.figure_downloads(
        repr(key),
        ("partials", "surface", function.text),
        png=lambda: _surface_png(*key),
        svg=lambda: _surface_svg(*key),
        rows=lambda: {"surface": _surface_rows(function.text, function.variables, point)},
    )


@st.cache_data(max_entries=SURFACE_CACHE_ENTRIES, show_spinner=False)
def _surface_svg(
    text: str, variables: tuple[str, ...], point: tuple[float, ...], language: str, projector: bool
) -> str:
    return surface_svg(_surface_figure(text, variables, point, language, projector))


def _surface_rows(text: str, variables: tuple[str, ...], point: tuple[float, ...]) -> list[dict]:
    grid = _grid_around(text, variables, point)
    return surface_rows(grid, [display_name(var) for var in variables])


def _surface_future(key: tuple) -> Future:
    """The surface's PNG for ``key`` (the arguments of ``_render_surface``), rendered once per key.

    Rendering a 3D figure takes a fifth of a second, as long as the worker needs for the steps; started
    as soon as the grid is there (see :func:`analyse`), it runs while the worker still derives. A small
    single-flight LRU of futures, so two sessions asking for the same picture share one rendering.
    """
    with _SURFACE_LOCK:
        future = _SURFACES.get(key)
        if future is None or (future.done() and future.exception() is not None):
            future = _POOL.submit(_render_surface, *key)
            _SURFACES[key] = future
        _SURFACES.move_to_end(key)
        while len(_SURFACES) > SURFACE_CACHE_ENTRIES:
            _SURFACES.popitem(last=False)
    return future


def _surface_png(
    text: str, variables: tuple[str, ...], point: tuple[float, ...], language: str, projector: bool
) -> bytes:
    return _surface_future((text, variables, point, language, projector)).result()


def _partials_chart(
    text: str,
    variables: tuple[str, ...],
    point: tuple[float, ...],
    language: str,
    projector: bool,
    answer: bool = True,
):
    grid = _grid_around(text, variables, point)
    a, c = (display_name(var) for var in variables)
    labels = {name: translate(language, key, a=a, c=c) for name, key in SLICE_WORDS.items()}
    labels |= {
        "x": a,
        "y": c,
        "f": f"f({a}, {c})",
        "partial_x": f"∂f/∂{a}",
        "partial_y": f"∂f/∂{c}",
    }
    return partials_chart(grid, point, labels=labels, projector=projector, answer=answer)


def partial_tabs(function: Function, partials: dict) -> None:
    """One tab per variable: the steps with ∂ (the others held constant), the result and its value."""
    names = [display_name(var) for var in function.variables]
    tabs = st.tabs([f"∂f/∂{name}" for name in names])
    point = point_text(partials["point"])
    for index, (tab, entry) in enumerate(zip(tabs, partials["partials"], strict=True)):
        with tab:
            others = [name for i, name in enumerate(names) if i != index]
            st.markdown(t("partials.treat_constant", var=names[index], others=", ".join(others)))
            if entry["steps"] is not None:
                show_steps(entry["steps"], partial=True)
            var = latex_name(entry["var"])
            st.latex(rf"\frac{{\partial f}}{{\partial {var}}} = {entry['latex']}")
            if _values_shown(function, partials["point"]):
                st.markdown(
                    t("partials.value_at", var=names[index], point=point, value=number(entry["value"], 6))
                )


def quotient_table(function: Function, partials: dict) -> None:
    """D2L's experiment in each variable alone: (f(p + h·eᵢ) − f(p))/h for h = 0.1 … 0.00001."""
    names = [display_name(var) for var in function.variables]
    shown = _values_shown(function, partials["point"])  # else no exact row: the quotients are the evidence
    exact_row = [t("partials.row_exact")] if shown else []
    columns = {t("partials.col_h"): [f"{h:g}" for h in partials["steps_h"]] + exact_row}
    for name, entry in zip(names, partials["partials"], strict=True):
        columns[t("partials.col_quotient", var=name)] = [number(q, 8) for q in entry["quotients"]] + (
            [number(entry["value"], 8)] if shown else []
        )
    number_table(columns)
    if not shown:
        return
    first = partials["partials"][0]
    st.markdown(
        t(
            "partials.quotients_sentence",
            var=names[0],
            point=point_text(partials["point"]),
            first=number(first["quotients"][0], 6),
            last=number(first["quotients"][-1], 6),
            exact=number(first["value"], 6),
        )
    )


# --- the gradient page ----------------------------------------------------------------------------------


def gradient_vector(function: Function, partials: dict) -> None:
    """∇f as a column of its partial derivatives (LaTeX from the worker), and its value at the point."""
    rows = r" \\ ".join(entry["latex"] for entry in partials["partials"])
    names = r" \\ ".join(rf"\frac{{\partial f}}{{\partial {latex_name(var)}}}" for var in function.variables)
    st.latex(
        rf"\nabla f({function.latex_arguments}) = \begin{{bmatrix}} {names} \end{{bmatrix}} = "
        rf"\begin{{bmatrix}} {rows} \end{{bmatrix}}"
    )
    values = [entry["value"] for entry in partials["partials"]]
    point = ", ".join(number(v) for v in partials["point"])
    prompt = t("reveal.gradient_prompt", point=point_text(partials["point"]))
    if not reveal.ask(GRADIENT_QUESTION, (function.text, tuple(partials["point"])), prompt):
        return
    if all(v is not None for v in values):
        column = r" \\ ".join(number(v, 6) for v in values)
        length = math.sqrt(sum(v * v for v in values))
        st.latex(
            rf"\nabla f({point}) = \begin{{bmatrix}} {column} \end{{bmatrix}}, \qquad "
            rf"\|\nabla f({point})\| = {number(length, 6)}"
        )
    else:
        st.warning(t("gradient.undefined_at", point=point_text(partials["point"])), icon=":material/block:")


def angle_from_url() -> float:
    """The direction's starting angle from ``?u=`` (degrees, taken modulo 360); 0 when absent or unusable."""
    raw, value = _url_number(ANGLE_KEY)
    if raw is None:
        return 0.0
    if value is None or abs(value) > 1e6:
        st.warning(t("gradient.angle_ignored", given=code_span(raw[:40])), icon=":material/link:")
        return 0.0
    return value % 360


def gradient_figure(function: Function, point: tuple[float, ...], partials: dict, grid, angle: float) -> None:
    """The gradient field over the contour map, the gradient at the point, the direction, and ∇f·u."""
    if not _has_values(grid):
        st.info(t("partials.no_values"), icon=":material/visibility_off:")
        return
    if not reveal.is_shown(GRADIENT_QUESTION, (function.text, tuple(point))):
        args = (function.text, function.variables, point, angle, current_language(), is_projector(), False)
        show_chart(_gradient_chart, *args)
        reveal.chart_hidden_note()
        return
    show_chart(
        _gradient_chart, function.text, function.variables, point, angle, current_language(), is_projector()
    )
    values = [entry["value"] for entry in partials["partials"]]
    if any(v is None for v in values):
        st.markdown(t("gradient.figure_sentence_undefined", point=point_text(point)))
    else:
        theta = math.radians(angle)
        along = values[0] * math.cos(theta) + values[1] * math.sin(theta)
        best = steepest_angle(values)
        key = "gradient.figure_sentence" if best is not None else "gradient.figure_sentence_zero"
        st.markdown(
            t(
                key,
                point=point_text(point),
                gradient=point_text(values),
                length=number(math.hypot(*values)),
                best=number(math.degrees(best) % 360 if best is not None else 0.0, 3),
                angle=number(angle, 3),
                along=number(along),
            )
        )
    st.caption(t("gradient.figure_how"))


def _gradient_chart(
    text: str,
    variables: tuple[str, ...],
    point: tuple[float, ...],
    angle: float,
    language: str,
    projector: bool,
    answer: bool = True,
):
    grid = _grid_around(text, variables, point)
    a, c = (display_name(var) for var in variables)
    labels = {name: translate(language, key, a=a, c=c) for name, key in GRADIENT_WORDS.items()}
    labels |= {"x": a, "y": c, "f": f"f({a}, {c})"}
    return gradient_chart(grid, point, angle, labels=labels, projector=projector, answer=answer)


def descent_inputs(variables: tuple[str, ...]) -> tuple[tuple[float, ...], float, int]:
    """The start (``s``), the learning rate (``lr``) and the number of steps (``k``)."""
    left, middle, right = st.columns([2, 1, 1])
    with left:
        start = point_input(variables, DEFAULT_START, key=START_KEY, label_key="gradient.start_label")
    with middle:
        raw, value = _url_number(LR_KEY)
        lr = st.number_input(
            t("gradient.lr_label"),
            min_value=LR_MIN,
            max_value=LR_MAX,
            value=DEFAULT_LR,
            step=0.01,
            format="%g",
            key=LR_KEY,
            bind="query-params",
            help=t("gradient.lr_help", low=LR_MIN, high=LR_MAX),
        )
        if raw is not None and (value is None or not LR_MIN <= value <= LR_MAX):
            st.warning(
                t("gradient.lr_ignored", given=code_span(raw[:40]), used=number(lr), low=LR_MIN, high=LR_MAX),
                icon=":material/link:",
            )
    with right:
        raw, value = _url_number(STEPS_KEY)
        steps = st.number_input(
            t("gradient.steps_label"),
            min_value=STEPS_MIN,
            max_value=STEPS_MAX,
            value=DEFAULT_STEPS,
            step=1,
            key=STEPS_KEY,
            bind="query-params",
            help=t("gradient.steps_help", low=STEPS_MIN, high=STEPS_MAX),
        )
        if raw is not None and (
            value is None or not value.is_integer() or not STEPS_MIN <= value <= STEPS_MAX
        ):
            st.warning(
                t(
                    "gradient.steps_ignored",
                    given=code_span(raw[:40]),
                    used=steps,
                    low=STEPS_MIN,
                    high=STEPS_MAX,
                ),
                icon=":material/link:",
            )
    return start, float(lr), int(steps)


def descent_figure(function: Function, start: tuple[float, ...], lr: float, steps: int) -> None:
    """Gradient descent's path over the contour map and its loss, step by step, with one sentence."""
    try:
        path = descent_path(function.expr, function.variables, start, lr, steps)
        grid = gradient_field(function.expr, function.variables, window_around(start), GRID_POINTS)
    except ExpressionError as err:
        show_error(err)
        return
    if not _has_values(grid) or (path.status == "undefined" and len(path.loss) == 1):
        st.info(t("gradient.descent_undefined_start", start=point_text(start)), icon=":material/block:")
        return
    show_chart(
        _descent_chart,
        function.text,
        function.variables,
        start,
        lr,
        steps,
        current_language(),
        is_projector(),
    )
    done = len(path.loss) - 1
    values = {
        "start": point_text(start),
        "lr": number(lr),
        "steps": done,
        "first": number(path.loss[0], 6),
        "last": number(path.loss[-1], 6),
        "end": point_text(path.points[-1]),
        "norm": number(path.gradient_norm[-1], 3),
    }
    if path.status == "diverged":
        st.warning(t("gradient.descent_diverged", **values), icon=":material/trending_up:")
    elif path.status == "undefined":
        st.warning(t("gradient.descent_gap", **values), icon=":material/block:")
    elif path.loss[-1] <= path.loss[0]:
        st.markdown(t("gradient.descent_sentence", **values))
    else:
        st.markdown(t("gradient.descent_sentence_rose", **values))
    st.caption(t("gradient.descent_how"))


def _descent_chart(
    text: str,
    variables: tuple[str, ...],
    start: tuple[float, ...],
    lr: float,
    steps: int,
    language: str,
    projector: bool,
):
    expr = parse_expression(text, variables)
    grid = gradient_field(expr, variables, window_around(start), GRID_POINTS)
    path = descent_path(expr, variables, start, lr, steps)
    a, c = (display_name(var) for var in variables)
    labels = _labels(language, DESCENT_WORDS) | {"x": a, "y": c, "f": f"f({a}, {c})"}
    return descent_chart(grid, path, labels=labels, projector=projector)


# --- the identity lab -----------------------------------------------------------------------------------


def _size_input(key: str, default: int, label_key: str) -> int:
    raw, value = _url_number(key)
    size = st.number_input(
        t(label_key),
        min_value=MIN_SIZE,
        max_value=MAX_SIZE,
        value=default,
        step=1,
        key=key,
        bind="query-params",
        help=t("gradient.lab_size_help", low=MIN_SIZE, high=MAX_SIZE),
    )
    if raw is not None and (value is None or not value.is_integer() or not MIN_SIZE <= value <= MAX_SIZE):
        st.warning(
            t("gradient.lab_size_ignored", given=code_span(raw[:40]), used=size, low=MIN_SIZE, high=MAX_SIZE),
            icon=":material/link:",
        )
    return int(size)


def _new_seed() -> None:
    st.session_state[SEED_KEY] = (int(st.session_state.get(SEED_KEY, DEFAULT_SEED)) + 1) % (SEED_MAX + 1)


def _url_choice(url_key: str, options, default: str, label: str, format_func, help: str | None = None) -> str:
    """A segmented control whose choice lives in ``?{url_key}=`` as the option's id (``lay=numerator``).

    Not ``bind="query-params"``: a bound segmented control writes its *label* into the URL, and these labels
    are LaTeX or translated, so a link would depend on the language. The URL is read on every run and
    written by the control's callback, as the language switch does.
    """
    raw = st.query_params.get(url_key)
    current = raw if raw in options else default
    widget_key = f"{url_key}_control"
    st.session_state[widget_key] = current
    st.segmented_control(
        label,
        options,
        format_func=format_func,
        key=widget_key,
        required=True,
        help=help,
        on_change=_choice_to_url,
        args=(url_key, widget_key, default),
    )
    if raw is not None and raw not in options:
        st.warning(t("gradient.lab_choice_ignored", given=code_span(raw[:40])), icon=":material/link:")
        del st.query_params[url_key]
    return current


def _choice_to_url(url_key: str, widget_key: str, default: str) -> None:
    value = st.session_state[widget_key]
    if value == default:
        st.query_params.pop(url_key, None)
    else:
        st.query_params[url_key] = value


def identity_inputs() -> tuple[str, str, int, int, int]:
    """Which identity, the layout, the sizes m and n, and the random numbers' seed."""
    identity = _url_choice(
        IDENTITY_KEY, IDENTITIES, DEFAULT_IDENTITY, t("gradient.lab_identity"), IDENTITY_NAMES.__getitem__
    )
    layout = _url_choice(
        LAYOUT_KEY,
        LAYOUTS,
        DEFAULT_LAYOUT,
        t("gradient.lab_layout"),
        lambda name: t(f"gradient.layout_{name}"),
        help=t("gradient.lab_layout_help"),
    )
    uses = USES[identity]
    columns = st.columns(4, vertical_alignment="bottom")
    with columns[0]:
        m = _size_input(M_KEY, DEFAULT_M, "gradient.lab_m") if "m" in uses else DEFAULT_M
    with columns[1]:
        n = _size_input(N_KEY, DEFAULT_N, "gradient.lab_n")
    with columns[3]:
        st.button(t("gradient.lab_new_numbers"), on_click=_new_seed, icon=":material/casino:")
    with columns[2]:
        raw, value = _url_number(SEED_KEY)
        seed = st.number_input(
            t("gradient.lab_seed"),
            min_value=0,
            max_value=SEED_MAX,
            value=DEFAULT_SEED,
            step=1,
            key=SEED_KEY,
            bind="query-params",
            help=t("gradient.lab_seed_help"),
        )
        if raw is not None and (value is None or not value.is_integer() or not 0 <= value <= SEED_MAX):
            st.warning(
                t("gradient.lab_seed_ignored", given=code_span(raw[:40]), used=seed, high=SEED_MAX),
                icon=":material/link:",
            )
    return identity, layout, m, n, int(seed)


def identity_check(identity: str, layout: str, m: int, n: int, seed: int) -> None:
    """Both sides of the identity on random numbers, their difference, and every shape written out."""
    check = check_identity(identity, m, n, layout, seed)
    st.latex(check.formula_latex)
    inputs = ", \\quad ".join(
        rf"\mathbf{{{name}}} = {matrix_latex(array, 3)}" for name, array in check.inputs.items()
    )
    st.latex(inputs)
    variable = "X" if identity == "frobenius" else "x"
    st.markdown(t("gradient.lab_sides", variable=variable))
    left, right = st.columns(2)
    with left:
        st.caption(t("gradient.lab_formula_side"))
        st.latex(matrix_latex(check.formula))
    with right:
        st.caption(t("gradient.lab_numerical_side"))
        st.latex(matrix_latex(check.numerical))
    shapes = check.shapes
    values = {
        "x_shape": _shape(shapes[variable]),
        "value_shape": _shape(shapes["value"]),
        "gradient_shape": _shape(shapes["gradient"]),
        "count": int(np.prod(shapes[variable])) * int(np.prod(shapes["value"])),
        "error": f"{check.max_error:.1e}",
        "variable": variable,
    }
    if shapes["value"] == (1, 1):  # a scalar function: its gradient has the shape of x (or of X)
        st.markdown(t(f"gradient.lab_shapes_scalar_{layout}", **values))
    else:
        st.markdown(t(f"gradient.lab_shapes_{layout}", a_shape=_shape(shapes["A"]), **values))
    if check.ok:
        st.success(t("gradient.lab_ok", **values), icon=":material/check_circle:")
    else:
        st.error(t("gradient.lab_failed", **values), icon=":material/error:")


def _shape(shape: tuple[int, ...]) -> str:
    return "×".join(str(size) for size in shape)


# --- the exercises --------------------------------------------------------------------------------------


def exercise2(then: Callable[[], None] = lambda: None) -> None:
    """∇(3x₁² + 5e^{x₂}) = [6x₁, 5e^{x₂}]: the steps from the worker, the value, and a numerical check.

    Its button puts the exercise in the function box, then calls ``then`` (the page opens the box's part).
    """
    variables = ("x1", "x2")
    expr = parse_expression(EXERCISE2_F, variables)
    try:
        result = partial_derivatives(expr, variables, EXERCISE2_POINT)
    except ExpressionError as err:
        show_error(err)
        return
    st.latex(r"f(\mathbf{x}) = 3x_1^2 + 5e^{x_2}")
    st.markdown(t("gradient.exercise2_body"))
    for entry in result["partials"]:
        derivation = entry["steps"]
        if derivation["rule"] == "simplify":  # the derivation itself, not only its tidied result
            derivation = derivation["substeps"][0]
        st.latex(derivation["application"])
    rows = r" \\ ".join(entry["latex"] for entry in result["partials"])
    st.latex(rf"\nabla f(\mathbf{{x}}) = \begin{{bmatrix}} {rows} \end{{bmatrix}}")
    exact = exercise2_gradient(np.array(EXERCISE2_POINT))
    numerical = numerical_gradient(lambda x1, x2: 3 * x1**2 + 5 * np.exp(x2), EXERCISE2_POINT)
    st.markdown(
        t(
            "gradient.exercise2_check",
            point=point_text(EXERCISE2_POINT),
            value=number(exercise2_function(np.array(EXERCISE2_POINT)), 6),
            exact=point_text([round(v, 4) for v in exact]),
            numerical=point_text([round(v, 4) for v in numerical]),
            error=f"{float(np.max(np.abs(exact - numerical))):.1e}",
        )
    )
    st.button(
        t("gradient.exercise_try"),
        key="exercise2_try",
        on_click=_try_exercise2,
        args=(then,),
        icon=":material/arrow_upward:",
    )
    st.page_link(
        "app_pages/partials.py",
        label=t("gradient.exercise_all_steps"),
        icon=":material/list:",
        query_params={**persistent_query_params(), F_KEY: EXERCISE2_F, POINT_KEY: "1, 2"},
    )


def _try_exercise2(then: Callable[[], None]) -> None:
    use_example(EXERCISE2_F, EXERCISE2_POINT)
    then()


def exercise3() -> None:
    """∇‖x‖₂ = x/‖x‖₂ for x ≠ 0, from the worker for three variables, and why it fails at x = 0."""
    expr = parse_expression(EXERCISE3_F, EXERCISE3_VARIABLES)
    try:
        result = partial_derivatives(expr, EXERCISE3_VARIABLES, EXERCISE3_POINT, with_steps=False)
        at_zero = partial_derivatives(expr, EXERCISE3_VARIABLES, (0.0, 0.0, 0.0), with_steps=False)
    except ExpressionError as err:
        show_error(err)
        return
    st.latex(r"f(\mathbf{x}) = \|\mathbf{x}\|_2 = \sqrt{x_1^2 + x_2^2 + x_3^2}")
    rows = r" \\ ".join(entry["latex"] for entry in result["partials"])
    st.latex(
        rf"\nabla f(\mathbf{{x}}) = \begin{{bmatrix}} {rows} \end{{bmatrix}} = "
        r"\frac{\mathbf{x}}{\|\mathbf{x}\|_2} \qquad (\mathbf{x} \neq \mathbf{0})"
    )
    values = [entry["value"] for entry in result["partials"]]
    st.markdown(t("gradient.exercise3_value", point=point_text(EXERCISE3_POINT), value=point_text(values)))
    undefined = all(entry["value"] is None for entry in at_zero["partials"])
    st.markdown(t("gradient.exercise3_zero" if undefined else "gradient.exercise3_zero_numbers"))
    rows = norm_quotients_at_zero(3)
    number_table(
        {
            t("partials.col_h"): [f"{row['h']:g}" for row in rows],
            t("gradient.col_right"): [number(row["right"]) for row in rows],
            t("gradient.col_left"): [number(row["left"]) for row in rows],
        }
    )
    st.caption(t("gradient.exercise3_cone"))
