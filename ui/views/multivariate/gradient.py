"""The gradient page's first parts: ∇f at the point, its field with the direction in the browser, and
gradient descent."""

from __future__ import annotations

import math

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.multivariate import (
    steepest_angle,
    window_around,
)
from calc_core.parser import parse_expression
from calc_core.service import descent_path, gradient_field
from ui import reveal
from ui.errors import code_span, show_error
from ui.format import name_latex
from ui.i18n import current_language, t
from ui.inputs import limited_box, url_value, whole_number_box
from ui.settings import is_projector
from ui.views.multivariate.common import (
    ANGLE_KEY,
    DEFAULT_LR,
    DEFAULT_START,
    DEFAULT_STEPS,
    DESCENT_WORDS,
    GRADIENT_QUESTION,
    GRADIENT_WORDS,
    GRID_POINTS,
    LR_KEY,
    LR_MAX,
    LR_MIN,
    START_KEY,
    STEPS_KEY,
    STEPS_MAX,
    STEPS_MIN,
    Function,
    has_values,
    map_labels,
    number,
    point_input,
    point_text,
    show_chart,
)
from ui.views.multivariate.surface import grid_around
from viz.gradient_charts import descent_chart, gradient_chart

# --- the gradient page ----------------------------------------------------------------------------------


def gradient_vector(function: Function, partials: dict) -> None:
    """∇f as a column of its partial derivatives (LaTeX from the worker), and its value at the point."""
    rows = r" \\ ".join(entry["latex"] for entry in partials["partials"])
    names = r" \\ ".join(rf"\frac{{\partial f}}{{\partial {name_latex(var)}}}" for var in function.variables)
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
    raw, value = url_value(ANGLE_KEY)
    if raw is None:
        return 0.0
    if value is None or abs(value) > 1e6:
        st.warning(t("gradient.angle_ignored", given=code_span(raw[:40])), icon=":material/link:")
        return 0.0
    return value % 360


def gradient_figure(function: Function, point: tuple[float, ...], partials: dict, grid, angle: float) -> None:
    """The gradient field over the contour map, the gradient at the point, the direction, and ∇f·u."""
    if not has_values(grid):
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
    grid = grid_around(text, variables, point)
    labels = map_labels(language, GRADIENT_WORDS, variables)
    return gradient_chart(grid, point, angle, labels=labels, projector=projector, answer=answer)


def descent_inputs(variables: tuple[str, ...]) -> tuple[tuple[float, ...], float, int]:
    """The start (``s``), the learning rate (``lr``) and the number of steps (``k``)."""
    left, middle, right = st.columns([2, 1, 1])
    with left:
        start = point_input(variables, DEFAULT_START, key=START_KEY, label_key="gradient.start_label")
    with middle:
        lr = limited_box(
            LR_KEY,
            "gradient.lr_label",
            default=DEFAULT_LR,
            low=LR_MIN,
            high=LR_MAX,
            step=0.01,
            help_key="gradient.lr_help",
            ignored_key="gradient.lr_ignored",
            used=number,
        )
    with right:
        steps = whole_number_box(
            STEPS_KEY,
            "gradient.steps_label",
            default=DEFAULT_STEPS,
            low=STEPS_MIN,
            high=STEPS_MAX,
            texts="gradient.steps",
        )
    return start, float(lr), steps


def descent_figure(function: Function, start: tuple[float, ...], lr: float, steps: int) -> None:
    """Gradient descent's path over the contour map and its loss, step by step, with one sentence."""
    try:
        path = descent_path(function.expr, function.variables, start, lr, steps)
        grid = gradient_field(function.expr, function.variables, window_around(start), GRID_POINTS)
    except ExpressionError as err:
        show_error(err)
        return
    if not has_values(grid) or (path.status == "undefined" and len(path.loss) == 1):
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
    labels = map_labels(language, DESCENT_WORDS, variables)
    return descent_chart(grid, path, labels=labels, projector=projector)
