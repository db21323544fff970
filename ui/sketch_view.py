"""Sketch, then reveal: what the sketch page shows and how it reads its inputs (app_pages/sketch.py stays a
lesson).

Inputs, all in the URL: ``f`` (the function box) and ``task`` (``derivative``: sketch f′ from the graph of f;
``reverse``: sketch f through a given point from the graph of f′). A curated function (the exercises) brings
its own window; any other function is drawn on [−3, 3].

The true f and f′ come from the sandboxed worker (``calc_core.service.tangent_data``: SymPy's derivative,
checked against one-sided difference quotients, so |x|′ has a gap at 0). The drawing lives in the browser
(``ui.components.sketch``); the server hears of it once per Reveal, as untrusted numbers, validated and graded
by ``calc_core.sketch``. What was revealed is kept in the session per task (function, task, window), so
other reruns keep the overlay and the judgements.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.parser import format_expression, parse_expression
from calc_core.sampling import SampledCurve
from calc_core.service import derivative_steps_of, tangent_data
from calc_core.sketch import (
    PASS_SHAPE_ERROR,
    ReverseGrade,
    SketchError,
    SketchGrade,
    grade_reverse_sketch,
    grade_sketch,
    validate_sketch,
)
from ui import charts
from ui.components.sketch import sketch_component
from ui.errors import code_span, show_error
from ui.format import sentence_number
from ui.i18n import t
from ui.settings import is_projector
from viz.function_plot import function_chart

VARIABLES = ("x",)
VAR = "x"
F_KEY, TASK_KEY = "f", "task"
TASKS = ("derivative", "reverse")
DEFAULT_F = "x^2"
DEFAULT_TASK = "derivative"
DEFAULT_WINDOW = (-3.0, 3.0)
KNOTS = 81  # the sketch's grid: one keyboard handle per knot
FINE_PER_KNOT = 5  # the graphs are drawn on a grid five times finer: knots are every fifth sample
COMPONENT_KEY = "sketch_component"
REVEALED_KEY = "_sketch_revealed"  # session: {task token: what the last Reveal gave}
MAX_REMEMBERED = 16


@dataclass(frozen=True)
class Exercise:
    id: str
    f: str
    window: tuple[float, float]
    task: str = "derivative"


# The curated sequence, easy to hard; each is a link ?f=…&task=….
EXERCISES = (
    Exercise("parabola", "x^2", (-2.0, 2.0)),
    Exercise("cubic", "x^3 - 3x", (-2.5, 2.5)),
    Exercise("sine", "sin(x)", (-6.0, 6.0)),
    Exercise("exp", "e^x", (-3.0, 2.0)),
    Exercise("abs", "abs(x)", (-2.0, 2.0)),
    Exercise("inflection", "x^3 - 3x^2 + 3x", (-1.0, 3.0)),
    Exercise("reverse_line", "x^2 - 1", (-2.0, 2.0), "reverse"),
    Exercise("reverse_sine", "-cos(x)", (-6.0, 6.0), "reverse"),
)


def _normal(text: str) -> str | None:
    try:
        return format_expression(parse_expression(text, VARIABLES))
    except ExpressionError:
        return None


_CURATED_WINDOWS = {_normal(ex.f): ex.window for ex in EXERCISES}


def window_for(expr) -> tuple[float, float]:
    """The window of a curated function, or the default one.

    >>> window_for(parse_expression("sin(x)")), window_for(parse_expression("x^5"))
    ((-6.0, 6.0), (-3.0, 3.0))
    """
    return _CURATED_WINDOWS.get(format_expression(expr), DEFAULT_WINDOW)


def exercise_links() -> None:
    """The curated sequence as buttons: each opens its function and task here and puts them in the address
    bar (Copy link then shares exactly that exercise).

    Buttons, not ``st.page_link``: a page link to the page already open runs it with the link's query string
    but leaves the address bar without it, so a reload or a copied link lost the exercise.
    """
    st.subheader(t("sketch.exercises_title"))
    st.caption(t("sketch.exercises_intro"))
    columns = st.columns(2)
    half = (len(EXERCISES) + 1) // 2  # first half left, second half right: reading order is the sequence
    for i, exercise in enumerate(EXERCISES):
        with columns[i // half]:
            st.button(
                f"{i + 1}. " + t(f"sketch.exercise_{exercise.id}"),
                key=f"sketch_exercise_{exercise.id}",
                icon=":material/draw:" if exercise.task == "derivative" else ":material/undo:",
                type="tertiary",
                on_click=open_exercise,
                args=(exercise.f, exercise.task),
            )


def open_exercise(f: str, task: str) -> None:
    """Before the next run: the exercise's function and task in the boxes (and so in the URL)."""
    st.session_state[F_KEY] = f
    st.session_state[_TASK_STATE] = task


_TASK_STATE = TASK_KEY  # the widget key is its URL name (its value is kept in the URL by hand)


def task_input() -> str:
    """Sketch f′ from f, or f from f′; the task's id (not its translated label) is kept in ``?task=``."""
    raw = st.session_state.get(_TASK_STATE, st.query_params.get(TASK_KEY))
    if raw not in TASKS:
        if raw is not None:
            st.warning(
                t("sketch.task_ignored", given=code_span(str(raw)[:40]), used=t("sketch.task_derivative")),
                icon=":material/link:",
            )
        raw = DEFAULT_TASK
    st.session_state[_TASK_STATE] = raw
    task = st.segmented_control(
        t("sketch.task_label"),
        TASKS,
        key=_TASK_STATE,
        format_func=lambda task: t(f"sketch.task_{task}"),
        required=True,
    )
    task = task if task in TASKS else DEFAULT_TASK
    if task == DEFAULT_TASK:
        st.query_params.pop(TASK_KEY, None)
    elif st.query_params.get(TASK_KEY) != task:
        st.query_params[TASK_KEY] = task
    return task


@st.cache_data(max_entries=256, show_spinner=False)
def _truth(text: str, window: tuple[float, float]) -> dict:
    expr = parse_expression(text, VARIABLES)
    n = (KNOTS - 1) * FINE_PER_KNOT + 1
    return tangent_data(expr, VARIABLES, VAR, window[0], window[1], n, (window[0] + window[1]) / 2)


def truth_of(expr, window: tuple[float, float]) -> dict | None:
    """x, f and f′ on the fine grid (None where undefined), from the sandbox; None after showing an error."""
    try:
        return _truth(format_expression(expr), window)
    except ExpressionError as err:
        show_error(err)
        return None


def _values(curve: dict | None, size: int) -> np.ndarray:
    if curve is None:
        return np.full(size, np.nan)
    return np.array([np.nan if v is None else v for v in curve["y"]], dtype=np.float64)


def _nice(value: float) -> float:
    """A round number at least ``value`` (1, 2, 2.5, 5 times a power of ten)."""
    if not (value > 0 and math.isfinite(value)):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)


def _limits(values: np.ndarray, symmetric: bool) -> list[float]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return [-1.0, 1.0]
    if symmetric:
        top = _nice(1.25 * float(np.percentile(np.abs(finite), 98)))
        return [-top, top]
    lo, hi = float(np.percentile(finite, 1)), float(np.percentile(finite, 99))
    pad = max(0.15 * (hi - lo), 0.5)
    return [lo - pad, hi + pad]


def _clean(values: np.ndarray) -> list:
    return [None if not math.isfinite(v) else round(float(v), 9) for v in values]


def _point_index(x: np.ndarray, f: np.ndarray) -> int:
    """The knot of the reverse task's given point: x = 0 if f is defined there, else the first defined."""
    order = np.argsort(np.abs(x))
    for i in order:
        if math.isfinite(f[i]):
            return int(i)
    return 0


@dataclass
class Problem:
    """One sketching problem: the knots, the given graph, the truth on the knots, the token of the task."""

    token: str
    task: str
    fine_x: np.ndarray
    knots: np.ndarray
    given: np.ndarray  # on the fine grid: f (derivative task) or f′ (reverse task)
    answer: np.ndarray  # on the fine grid: what the sketch should be
    f_knots: np.ndarray
    df_knots: np.ndarray
    point_index: int | None


def problem_of(expr, task: str, window: tuple[float, float], data: dict) -> Problem:
    fine_x = np.asarray(data["x"], dtype=np.float64)
    f = _values(data["f"], fine_x.size)
    df = _values(data["df"], fine_x.size)
    knots = fine_x[::FINE_PER_KNOT]
    f_knots, df_knots = f[::FINE_PER_KNOT], df[::FINE_PER_KNOT]
    digest = hashlib.blake2b(
        repr((format_expression(expr), task, window)).encode("utf-8"), digest_size=8
    ).hexdigest()
    given, answer = (f, df) if task == "derivative" else (df, f)
    point = _point_index(knots, f_knots) if task == "reverse" else None
    return Problem(digest, task, fine_x, knots, given, answer, f_knots, df_knots, point)


def _revealed(token: str) -> dict | None:
    return st.session_state.get(REVEALED_KEY, {}).get(token)


def _remember(token: str, result: dict) -> None:
    stored = {k: v for k, v in st.session_state.get(REVEALED_KEY, {}).items() if k != token}
    stored[token] = result
    st.session_state[REVEALED_KEY] = dict(list(stored.items())[-MAX_REMEMBERED:])


def component_data(problem: Problem, revealed: dict | None) -> dict:
    """What the browser needs: the grid, the given graph, the panels' limits, the texts, and after Reveal the
    answer, the sketch as the server received it and the knots where it is off."""
    derivative = problem.task == "derivative"
    top_label, draw_label = ("f(x)", "f′(x)") if derivative else ("f′(x)", "f(x)")
    answer_limits = _limits(problem.answer, symmetric=derivative)
    if not derivative and problem.point_index is not None:
        y0 = float(problem.f_knots[problem.point_index])
        answer_limits = [min(answer_limits[0], y0 - 1), max(answer_limits[1], y0 + 1)]
    data = {
        "mode": "curve",
        "token": problem.token,
        "projector": is_projector(),
        "knots": _clean(problem.knots),
        "top": {
            "x": _clean(problem.fine_x),
            "y": _clean(problem.given),
            "ylim": _limits(problem.given, symmetric=not derivative),
            "label": top_label,
            "aria": t("sketch.top_aria_derivative" if derivative else "sketch.top_aria_reverse"),
        },
        "draw": {"ylim": answer_limits, "label": t("sketch.draw_title", name=draw_label)},
        "point": None,
        "revealed": None,
        "text": {
            key: t(f"sketch.ui_{key}")
            for key in ("clear", "reveal", "hint", "knot", "knot_empty", "cleared", "revealing", "draw_aria")
        },
    }
    if problem.point_index is not None:
        i = problem.point_index
        data["point"] = [round(float(problem.knots[i]), 9), round(float(problem.f_knots[i]), 9)]
    if revealed is not None and revealed.get("grade") is not None:
        grade = revealed["grade"]
        values = grade.values if isinstance(grade, ReverseGrade) else grade
        data["revealed"] = {
            "x": _clean(problem.fine_x),
            "y": _clean(problem.answer),
            "sketch": revealed["sketch"],
            "off": list(values.off),
            "nonce": revealed["nonce"],
        }
    return data


def handle_reveal(problem: Problem, message) -> bool:
    """Grade a Reveal message from the browser (untrusted) and remember the result; True if it was new.

    A message for another task (the function changed before it arrived) or one already handled is ignored;
    a malformed one is remembered as its error, to be shown in the reader's language.
    """
    if not isinstance(message, dict) or message.get("token") != problem.token:
        if isinstance(message, dict) and isinstance(message.get("token"), str):
            return False  # a Reveal of an earlier task: nothing to grade here
        _remember(problem.token, {"nonce": None, "error": SketchError("malformed"), "grade": None})
        return True
    nonce = message.get("nonce")
    nonce = nonce[:64] if isinstance(nonce, str) else None
    previous = _revealed(problem.token)
    if previous is not None and nonce is not None and previous.get("nonce") == nonce:
        return False
    try:
        sketch = validate_sketch(message, problem.knots)
    except SketchError as err:
        _remember(problem.token, {"nonce": nonce, "error": err, "grade": None})
        return True
    if problem.task == "derivative":
        grade = grade_sketch(problem.knots, sketch, problem.df_knots)
    else:
        grade = grade_reverse_sketch(
            problem.knots, sketch, problem.f_knots, problem.df_knots, problem.point_index
        )
    _remember(problem.token, {"nonce": nonce, "error": None, "grade": grade, "sketch": _clean(sketch)})
    return True


def sketch_activity(expr, task: str) -> None:
    """The graph, the drawing panel, and after Reveal the judgements."""
    window = window_for(expr)
    data = truth_of(expr, window)
    if data is None:
        return
    problem = problem_of(expr, task, window, data)
    if not np.isfinite(problem.given).any() or not np.isfinite(problem.answer).any():
        st.info(t("sketch.no_values"), icon=":material/visibility_off:")
        return
    if task == "reverse":
        i = problem.point_index
        st.markdown(
            t(
                "sketch.reverse_prompt",
                x0=sentence_number(problem.knots[i]),
                y0=sentence_number(problem.f_knots[i]),
            )
            if i is not None
            else t("sketch.reverse_prompt_free")
        )
    else:
        st.markdown(t("sketch.derivative_prompt"))
    revealed = _revealed(problem.token)
    message = sketch_component(component_data(problem, revealed), key=COMPONENT_KEY)
    worksheet(expr, task, window)
    if message is not None and handle_reveal(problem, message):
        st.rerun()
    if revealed is None:
        st.caption(t("sketch.before_reveal"))
        return
    show_result(expr, problem, revealed)


def worksheet(expr, task: str, window: tuple[float, float]) -> None:
    """For paper: the given graph alone (f, or f′ for the reverse task) as a chart with its downloads (SVG,
    PNG to print, CSV), so a class without screens can sketch on a printout. Never the answer."""
    with st.expander(t("sketch.worksheet_title"), icon=":material/print:"):
        st.caption(t("sketch.worksheet_body"))
        charts.show_chart(
            _worksheet_chart,
            format_expression(expr),
            task,
            window,
            is_projector(),
            name=("sketch", task, format_expression(expr)),
        )


def _worksheet_chart(text: str, task: str, window: tuple[float, float], projector: bool):
    data = _truth(text, window)
    curve = SampledCurve.from_dict({**(data["f"] if task == "derivative" else data["df"]), "x": data["x"]})
    label = "f(x)" if task == "derivative" else "f′(x)"
    return function_chart([(label, curve)], y_title=label, projector=projector)


def show_result(expr, problem: Problem, revealed: dict) -> None:
    error = revealed.get("error")
    if error is not None:
        st.error(sketch_error_message(error), icon=":material/error:")
        return
    grade = revealed["grade"]
    with st.container(border=True):
        st.subheader(t("sketch.result_title"))
        if problem.task == "derivative":
            try:
                latex = derivative_steps_of(expr, VARIABLES, VAR)["result_latex"]  # the step engine's f′
                st.latex(f"f'(x) = {latex}")
            except ExpressionError:
                pass
        sentences = judgements(grade, problem)
        passed = grade.passed
        if passed:
            st.success(t("sketch.verdict_pass"), icon=":material/check_circle:")
        else:
            st.warning(t("sketch.verdict_fail"), icon=":material/refresh:")
        st.markdown("\n".join(f"- {line}" for line in sentences))
        st.caption(t("sketch.legend"))


def sketch_error_message(err: SketchError) -> str:
    params = {k: (sentence_number(v) if isinstance(v, float) else v) for k, v in err.params.items()}
    if "index" in params:
        params["index"] = int(params["index"]) + 1  # people count knots from 1
    return t(f"sketch.error_{err.code}", **params)


def interval(a: float, b: float) -> str:
    """An interval as the sentences write it.

    >>> interval(-1.0, 0.25)
    '(−1, 0.25)'
    """
    return f"({sentence_number(a)}, {sentence_number(b)})"


def _percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def judgements(grade: SketchGrade | ReverseGrade, problem: Problem) -> list[str]:
    """The judgements as sentences in the reader's language."""
    if isinstance(grade, ReverseGrade):
        return _reverse_judgements(grade, problem)
    lines = _sign_lines(grade.coverage, grade, "sketch.sign_share", "sketch.sign_miss", _sign_words)
    lines += _turn_lines(grade, "turn")
    if grade.peak_x is not None:
        lines.append(
            t(
                "sketch.peak_ok" if grade.peak_found else "sketch.peak_miss",
                x=sentence_number(grade.peak_x),
                yours=sentence_number(grade.sketch_peak_x),
            )
        )
    lines.append(_shape_line(grade.shape_error))
    return lines


def _sign_lines(coverage: float, grade: SketchGrade, share_key: str, miss_key: str, words) -> list[str]:
    """How much was drawn (if not all), the share of right signs, and a sentence per stretch of wrong sign:
    where it is, where the sketch has it, and ``words(miss)``, what was expected and what was drawn."""
    lines = [t("sketch.coverage", share=_percent(coverage))] if coverage < 0.999 else []
    lines.append(t(share_key, share=_percent(grade.sign_share)))
    for miss in grade.sign_misses:
        where = interval(miss.truth_start, miss.truth_end)
        lines.append(t(miss_key, where=where, yours=interval(miss.start, miss.end), **words(miss)))
    return lines


def _sign_words(miss) -> dict[str, str]:
    """A sketched derivative: its expected sign, how f moves there, and the sign drawn."""
    return {
        "expected": t("sketch.positive" if miss.expected > 0 else "sketch.negative"),
        "moves": t("sketch.rises" if miss.expected > 0 else "sketch.falls"),
        "sketched": t({1: "sketch.positive", -1: "sketch.negative", 0: "sketch.zero"}[miss.sketched]),
    }


def _reverse_sign_words(miss) -> dict[str, str]:
    """A sketched function: how it should move, the sign of f′ there, and how the drawing moves."""
    return {
        "should": t("sketch.rise" if miss.expected > 0 else "sketch.fall"),
        "sign": t("sketch.positive" if miss.expected > 0 else "sketch.negative"),
        "does": t({1: "sketch.rises", -1: "sketch.falls", 0: "sketch.stays_flat"}[miss.sketched]),
    }


def _turn_lines(grade: SketchGrade, prefix: str) -> list[str]:
    lines = []
    if not grade.turns:
        lines.append(t(f"sketch.{prefix}_none"))
    for turn in grade.turns:
        found = turn not in grade.missed_turns
        lines.append(
            t(
                f"sketch.{prefix}_ok" if found else f"sketch.{prefix}_miss",
                x=sentence_number(turn.x),
                kind=t("sketch.minimum" if turn.rising else "sketch.maximum"),
            )
        )
    if grade.extra_turns:
        lines.append(
            t(f"sketch.{prefix}_extra", xs=", ".join(sentence_number(turn.x) for turn in grade.extra_turns))
        )
    return lines


def _shape_line(error: float) -> str:
    return t("sketch.shape", error=sentence_number(error, 2), limit=sentence_number(PASS_SHAPE_ERROR, 2))


def _reverse_judgements(grade: ReverseGrade, problem: Problem) -> list[str]:
    slope = grade.slope
    lines = _sign_lines(
        grade.values.coverage,
        slope,
        "sketch.reverse_sign_share",
        "sketch.reverse_sign_miss",
        _reverse_sign_words,
    )
    lines += _turn_lines(slope, "reverse_turn")
    i = problem.point_index
    if grade.point_error is None:
        lines.append(t("sketch.point_missing", x0=sentence_number(problem.knots[i])))
    else:
        lines.append(
            t(
                "sketch.point_ok" if grade.point_error <= 0.15 else "sketch.point_miss",
                x0=sentence_number(problem.knots[i]),
                y0=sentence_number(problem.f_knots[i]),
                error=sentence_number(grade.point_error, 2),
            )
        )
    lines.append(_shape_line(grade.values.shape_error))
    return lines
