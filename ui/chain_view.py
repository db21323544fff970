"""What the chain rule page draws and how it reads its inputs; the page script (app_pages/chain_rule.py) stays
a lesson.

URL names (each widget's key is its URL name):

- one variable: ``f`` (the outer function, in u, or in x read as u), ``g`` (the inner one, in x; in v when
  there is a third level), ``h`` (optional third level, in x), ``x0`` (the point);
- many variables: ``y`` (in u1 … um), ``u1`` ``u2`` ``u3`` (in x1 … xn), ``m`` and ``nx`` (how many u's and
  x's), ``x1`` ``x2`` ``x3`` (the point);
- exercise 4: ``eu`` (u in x, y, z), ``ex`` ``ey`` ``ez`` (in a, b), ``ea`` ``eb`` (the point);
- the computational graph: ``expr`` (in x, y, z), ``gx`` ``gy`` ``gz`` (the point), ``step`` (the
  walk-through, 0 … 2 × nodes).

A value from the URL goes through the same parser as one typed in; a number that cannot be used is replaced
by the default or clamped, and the reader is told so. Every SymPy result comes from the sandboxed worker
(``calc_core.service``) as plain data; the LaTeX shown is the worker's, or fixed formulas filled with the
app's own names (x, u₁, v₃) and numbers. Text a reader typed is never rendered as Markdown or HTML.
"""

from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.graph import format_number, walkthrough_focus, walkthrough_steps, with_symbolic
from calc_core.parser import format_expression, parse_expression
from calc_core.service import (
    chain_of_composition,
    chain_of_many,
    computational_graph_of,
    graph_partials_of,
    split_composite,
)
from ui import charts, reveal
from ui.errors import code_span, show_error
from ui.expression_input import forget_text_of_another_page
from ui.i18n import current_language, translate
from ui.markdown_tables import markdown_table
from ui.settings import is_projector
from ui.url_state import url_number
from viz.chain_charts import InlineChart, nudge_chart
from viz.graph_dot import graph_dot

# --- one variable ----------------------------------------------------------------------------------------
F_KEY, G_KEY, H_KEY, X0_KEY = "f", "g", "h", "x0"
DEFAULT_F, DEFAULT_G, DEFAULT_H, DEFAULT_X0 = "sin(u)", "x^2", "", 1.0
COMPOSITE_KEY, LEVELS_KEY, SPLIT_BUTTON_KEY = "chain_composite", "chain_levels", "chain_split"
SPLIT_OUTCOME = "chain_split_outcome"
DEFAULT_COMPOSITE = "exp(sin(x^2))"
FUNCTION_NAMES = ("f", "g", "h")
POINT_LIMIT = 1e6  # |x0| and every coordinate of a point
# --- many variables --------------------------------------------------------------------------------------
M_KEY, NX_KEY = "m", "nx"
SIZES = (1, 2, 3)
# --- the computational graph -----------------------------------------------------------------------------
GRAPH_KEY, STEP_KEY = "expr", "step"
GRAPH_VARIABLES = ("x", "y", "z")
GRAPH_POINT_KEYS = {"x": "gx", "y": "gy", "z": "gz"}
GRAPH_DEFAULT = "x*y + sin(x)"
GRAPH_POINT_DEFAULTS = {"x": 1.0, "y": 2.0, "z": 0.5}
STEP_STATE, STEP_OWNER = "chain_graph_step", "chain_graph_step_for"
LISTED_PATHS = 12  # rows of the sum over paths shown per variable
# Predict mode (ui/reveal.py): dy/dx at the point (one variable), each ∂y/∂xᵢ at the point (many variables,
# exercise 4), the final gradients of the graph. A new function or point asks again.
ONE_QUESTION, GRAPH_QUESTION = "chain_rule/one", "chain_rule/graph"


@dataclass(frozen=True)
class ManySetup:
    """One many-variable chain rule: y(u₁, …, u_m) with uⱼ(x₁, …, xₙ), or exercise 4's u(x, y, z), x(a, b)…"""

    name: str  # "general" or "exercise"
    outer_name: str
    outer_key: str
    outer_default: str
    outer_variables: tuple[str, ...]
    inner_keys: tuple[str, ...]
    inner_defaults: tuple[str, ...]
    inner_variables: tuple[str, ...]
    point_keys: tuple[str, ...]
    point_defaults: tuple[float, ...]
    sizable: bool  # the reader chooses m and n


GENERAL = ManySetup(
    name="general",
    outer_name="y",
    outer_key="y",
    outer_default="u1^2 + u2^2",
    outer_variables=("u1", "u2", "u3"),
    inner_keys=("u1", "u2", "u3"),
    inner_defaults=("x1*x2", "x1 + x2", "x1 - x2"),
    inner_variables=("x1", "x2", "x3"),
    point_keys=("x1", "x2", "x3"),
    point_defaults=(1.0, 2.0, 0.5),
    sizable=True,
)
EXERCISE_4 = ManySetup(
    name="exercise",
    outer_name="u",
    outer_key="eu",
    outer_default="x^2 + y*z",
    outer_variables=("x", "y", "z"),
    inner_keys=("ex", "ey", "ez"),
    inner_defaults=("a + b", "a*b", "a - b"),
    inner_variables=("a", "b"),
    point_keys=("ea", "eb"),
    point_defaults=(1.0, 2.0),
    sizable=False,
)


# --- small helpers ---------------------------------------------------------------------------------------

_run = threading.local()


def start_run() -> None:
    """Remember the reader's language for this run of the page (the page script calls it first).

    ``t`` is called some two hundred times a run; reading the language from session state each time costs
    a few milliseconds of the rerun's budget. Each session's script runs in its own thread.
    """
    _run.language = current_language()


def t(key: str, **params) -> str:
    """ui.i18n.t, with the language remembered by :func:`start_run` (or looked up, outside a page run)."""
    language = getattr(_run, "language", None) or current_language()
    return translate(language, key, **params)


_SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def pretty(name: str) -> str:
    """A variable's name for plain text: ``x1`` as x₁."""
    stem = name.rstrip("0123456789")
    return stem + name[len(stem) :].translate(_SUBSCRIPT_DIGITS)


def name_latex(name: str) -> str:
    """A variable's name in LaTeX: ``x1`` as x_{1}."""
    stem = name.rstrip("0123456789")
    return f"{stem}_{{{name[len(stem) :]}}}" if stem != name else name


def math_name(name: str) -> str:
    """A variable's name as inline Markdown maths."""
    return f"${name_latex(name)}$"


def number(value: float) -> str:
    """A number for a sentence: six significant digits; NaN as the word for undefined."""
    if value is None or not math.isfinite(value):
        return t("chain_rule.undefined")
    return f"{value:.6g}"


def number_latex(value: float, grouped: bool = False) -> str:
    """A number in a formula; negative numbers in parentheses when ``grouped`` (inside a product)."""
    if value is None or not math.isfinite(value):
        return r"\text{" + t("chain_rule.undefined") + "}"
    text = f"{value:.6g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return rf"\left({text}\right)" if grouped and value < 0 else text


def partial(top: str, bottom: str) -> str:
    r"""∂top/∂bottom in LaTeX, from the app's own names.

    >>> partial("u", "a")
    '\\frac{\\partial u}{\\partial a}'
    """
    return rf"\frac{{\partial {name_latex(top)}}}{{\partial {name_latex(bottom)}}}"


def leibniz_sum(outer: str, outer_variables: tuple[str, ...], x: str) -> str:
    r"""The many-variable chain rule for one input, written out: ∂u/∂a = ∂u/∂x ∂x/∂a + ∂u/∂y ∂y/∂a + ….

    >>> print(leibniz_sum("u", ("x", "y"), "a"))
    \frac{\partial u}{\partial a} = \frac{\partial u}{\partial x} \frac{\partial x}{\partial a}
    + \frac{\partial u}{\partial y} \frac{\partial y}{\partial a}
    """
    terms = " + ".join(f"{partial(outer, u)} {partial(u, x)}" for u in outer_variables)
    return f"{partial(outer, x)} = {terms}"


def _separator() -> str:
    return t("chain_rule.list_separator")


def _url_int(raw: str) -> int | None:
    text = raw.strip()[:40]
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if math.isfinite(value) and value.is_integer() else None


def table(columns: dict[str, list[str]], before: str = "") -> None:
    """A small table as Markdown (``ui.markdown_tables``), after the Markdown ``before``."""
    st.markdown((before + "\n\n" if before else "") + markdown_table(columns))


@functools.lru_cache(maxsize=512)
def _parsed(text: str, variables: tuple[str, ...]):
    """The parser's tree for a box's text; cached, since a rerun parses every box again (a refusal is not)."""
    return parse_expression(text, variables)


def formula_box(key: str, default: str, variables: tuple[str, ...], label: str, example: str):
    """A text box bound to ``?{key}=``: the parsed expression, or None after showing why not."""
    forget_text_of_another_page(key, default, tuple(variables), lambda text: _parsed(text, tuple(variables)))
    text = st.text_input(
        label,
        value=default,
        key=key,
        bind="query-params",
        placeholder=t("chain_rule.placeholder", example=example),
        help=t("chain_rule.box_help", variables=", ".join(pretty(v) for v in variables)),
    )
    try:
        return _parsed(text or "", tuple(variables))
    except ExpressionError as err:
        show_error(err, text or "")
        return None


def number_box(key: str, default: float, label: str) -> float:
    """A number box bound to ``?{key}=``; a URL value that is no usable number is replaced and reported."""
    raw = st.query_params.get(key)
    value = st.number_input(
        label,
        min_value=-POINT_LIMIT,
        max_value=POINT_LIMIT,
        value=float(default),
        step=0.1,
        format="%g",
        key=key,
        bind="query-params",
    )
    if raw is not None and url_number(raw, POINT_LIMIT) is None:
        st.warning(
            t(
                "chain_rule.number_ignored",
                given=code_span(raw[:40]),
                used=number(value),
                limit=f"{POINT_LIMIT:g}",
            ),
            icon=":material/link:",
        )
    return float(value)


def _written_in(expr, own: str, name: str) -> str | None:
    """Which variable a function is written in: its own, or x (read as its own); None after a warning."""
    symbols = {symbol.name for symbol in expr.free_symbols}
    if own in symbols and "x" in symbols and own != "x":
        st.warning(t("chain_rule.mixed_variables", name=name, own=math_name(own)), icon=":material/warning:")
        return None
    return "x" if "x" in symbols else own


# --- one variable: inputs ----------------------------------------------------------------------------------


def split_box() -> None:
    """A composite typed whole, split into outer and inner functions by the worker on a click."""
    with st.container(border=True):
        st.markdown(t("chain_rule.split_intro"))
        row = st.container(horizontal=True, vertical_alignment="bottom")
        row.text_input(
            t("chain_rule.split_label"),
            value=DEFAULT_COMPOSITE,
            key=COMPOSITE_KEY,
            placeholder=t("chain_rule.placeholder", example="sin(x^2)"),
            help=t("chain_rule.box_help", variables="x"),
        )
        row.segmented_control(
            t("chain_rule.split_levels"),
            (2, 3),
            default=2,
            required=True,
            key=LEVELS_KEY,
            format_func=lambda n: t(f"chain_rule.levels_{n}"),
        )
        st.button(
            t("chain_rule.split_button"), key=SPLIT_BUTTON_KEY, on_click=_split, icon=":material/call_split:"
        )
        _show_split_outcome(st.session_state.pop(SPLIT_OUTCOME, None))


def _split() -> None:
    text = st.session_state.get(COMPOSITE_KEY) or ""
    levels = st.session_state.get(LEVELS_KEY) or 2
    try:
        expr = parse_expression(text, ("x",))
        parts = split_composite(expr, levels)["parts"]
    except ExpressionError as err:
        st.session_state[SPLIT_OUTCOME] = ("error", err.to_dict(), text)
        return
    if parts is None:
        st.session_state[SPLIT_OUTCOME] = ("none", format_expression(expr))
        return
    st.session_state[F_KEY] = parts[0]
    st.session_state[G_KEY] = parts[1]
    st.session_state[H_KEY] = parts[2] if len(parts) > 2 else ""
    st.session_state[SPLIT_OUTCOME] = ("done", len(parts), levels)


def _show_split_outcome(outcome) -> None:
    if outcome is None:
        return
    if outcome[0] == "error":
        show_error(ExpressionError.from_dict(outcome[1]), outcome[2])
    elif outcome[0] == "none":
        st.info(t("chain_rule.split_none", text=code_span(outcome[1])), icon=":material/info:")
    else:
        _, parts, levels = outcome
        key = "chain_rule.split_done" if parts >= levels else "chain_rule.split_done_two_only"
        st.success(t(key), icon=":material/call_split:")


@dataclass(frozen=True)
class Composition:
    stages: tuple  # (expression, the variable it is written in), outermost first
    x0: float


def composition_inputs() -> Composition | None:
    """f, g, the optional h and x0; the parsed composition, or None after showing what is wrong."""
    h_text = st.session_state.get(H_KEY, st.query_params.get(H_KEY, DEFAULT_H)) or ""
    three = bool(h_text.strip())
    # Columns, not a horizontal container: each box's error appears under that box.
    columns = st.columns(2) + st.columns(2) if is_projector() else st.columns([3, 3, 3, 2])
    with columns[0]:
        f = formula_box(F_KEY, DEFAULT_F, ("u", "x"), t("chain_rule.f_label"), "sin(u)")
    with columns[1]:
        g_label = t("chain_rule.g_label_three") if three else t("chain_rule.g_label")
        g = formula_box(G_KEY, DEFAULT_G, ("v", "x") if three else ("x",), g_label, "x^2")
    with columns[2]:
        h_text = st.text_input(
            t("chain_rule.h_label"),
            value=DEFAULT_H,
            key=H_KEY,
            bind="query-params",
            placeholder=t("chain_rule.h_placeholder"),
            help=t("chain_rule.box_help", variables="x"),
        )
        h = None
        if (h_text or "").strip():
            try:
                h = parse_expression(h_text, ("x",))
            except ExpressionError as err:
                show_error(err, h_text)
                return None
    with columns[3]:
        x0 = number_box(X0_KEY, DEFAULT_X0, t("chain_rule.x0_label"))
    if f is None or g is None:
        return None
    stages = [(f, _written_in(f, "u", "f")), (g, _written_in(g, "v" if three else "x", "g"))]
    if h is not None:
        stages.append((h, "x"))
    if any(var is None for _, var in stages):
        return None
    return Composition(tuple(stages), x0)


def one_variable(composition: Composition) -> dict | None:
    """The worker's analysis of the composition at x0, or None after showing its error."""
    try:
        return chain_of_composition(composition.stages, composition.x0)
    except ExpressionError as err:
        show_error(err)
        return None


# --- one variable: what it shows ------------------------------------------------------------------------


def _derivative_name(output: str, argument: str) -> str:
    return rf"\frac{{d{output}}}{{d{argument}}}"


def show_composition(result: dict) -> None:
    """Each function as understood, and the composite they make."""
    st.markdown(t("chain_rule.composition_understood"))
    pieces = [
        rf"{output} = {name}({argument}) = {function['latex']}"
        for output, argument, name, function in zip(
            result["outputs"], result["arguments"], FUNCTION_NAMES, result["functions"], strict=False
        )
    ]
    nested = "x"
    for name in reversed(FUNCTION_NAMES[: len(result["functions"])]):
        nested = f"{name}({nested})"
    functions = r",\qquad ".join(pieces)
    composite = rf"y = {nested} = {result['composite_latex']}"
    st.latex(rf"\begin{{gathered}} {functions} \\ {composite} \end{{gathered}}")


def show_factors(result: dict) -> None:
    """dy/du, du/dx (…) symbolically, each on its own, then their product and SymPy's direct derivative."""
    st.markdown(f"### {t('chain_rule.factors_title')}\n\n{t('chain_rule.factors_body')}")
    outputs, arguments = result["outputs"], result["arguments"]
    factors = [_derivative_name(o, a) for o, a in zip(outputs, arguments, strict=True)]
    lines = [
        rf"{factor} &= {name}'({argument}) = {function['derivative_latex']}"
        for factor, name, argument, function in zip(
            factors, FUNCTION_NAMES, arguments, result["functions"], strict=False
        )
    ]
    rule = r" \cdot ".join(factors)
    lines.append(rf"\frac{{dy}}{{dx}} &= {rule} = {result['chain_latex']} = {result['chain_result_latex']}")
    st.latex(r"\begin{aligned} " + r" \\ ".join(lines) + r" \end{aligned}")
    st.markdown(t("chain_rule.factors_inner_put_in") + " " + t("chain_rule.direct_body"))
    st.latex(rf"\frac{{d}}{{dx}}\left({result['composite_latex']}\right) = {result['direct_latex']}")


def _one_inputs(result: dict) -> tuple:
    """What dy/dx at x0 depends on: the functions and the point."""
    return tuple(function["latex"] for function in result["functions"]), result["x0"]


def _one_shown(result: dict) -> bool:
    return reveal.is_shown(ONE_QUESTION, _one_inputs(result))


def show_at_point(result: dict) -> None:
    """The values at x0 stage by stage, each factor's number, their product, and the check."""
    title = f"### {t('chain_rule.at_point_title', x0=number(result['x0']))}"
    functions = result["functions"]
    outputs, arguments = result["outputs"], result["arguments"]
    chain = [rf"x = {number_latex(result['x0'])}"]
    for name, output, function in reversed(list(zip(FUNCTION_NAMES, outputs, functions, strict=False))):
        argument, value = number_latex(function["argument_value"]), number_latex(function["value"])
        chain.append(rf"{output} = {name}({argument}) = {value}")
    if not math.isfinite(result["y0"]):
        st.markdown(title)
        st.latex(r"\;\longrightarrow\;".join(chain))
        st.warning(t("chain_rule.undefined_at_point", x0=number(result["x0"])), icon=":material/warning:")
        return
    if not _one_shown(result):  # the forward values, then the question
        st.markdown(title)
        st.latex(r"\;\longrightarrow\;".join(chain))
        reveal.ask(ONE_QUESTION, _one_inputs(result), t("reveal.chain_one_prompt", x0=number(result["x0"])))
        return
    rows = {
        t("chain_rule.col_factor"): [],
        t("chain_rule.col_where"): [],
        t("chain_rule.col_value"): [],
    }
    for name, output, argument, function in zip(FUNCTION_NAMES, outputs, arguments, functions, strict=False):
        rows[t("chain_rule.col_factor")].append(
            f"${_derivative_name(output, argument)} = {name}'({argument})$"
        )
        rows[t("chain_rule.col_where")].append(f"${argument} = {number_latex(function['argument_value'])}$")
        rows[t("chain_rule.col_value")].append(number(function["slope"]))
    slopes = r" \cdot ".join(number_latex(f["slope"], grouped=True) for f in functions)
    at = rf"\left.\frac{{dy}}{{dx}}\right|_{{x = {number_latex(result['x0'])}}}"
    stages = r"\;\longrightarrow\;".join(chain)
    product = rf"{at} = {slopes} = {number_latex(result['product'])}"
    table(rows, before=title)
    st.latex(rf"\begin{{gathered}} {stages} \\ {product} \end{{gathered}}")
    if result["agree"]:
        st.success(
            t("chain_rule.one_agree", value=number(result["direct_value"])), icon=":material/check_circle:"
        )
    elif not math.isfinite(result["product"]):
        st.warning(t("chain_rule.slope_undefined", x0=number(result["x0"])), icon=":material/warning:")
    else:
        st.error(
            t(
                "chain_rule.one_disagree",
                product=number(result["product"]),
                direct=number(result["direct_value"]),
            )
        )


def nudge_figure(composition: Composition, result: dict) -> None:
    """Δx → Δu ≈ g'(x)Δx → Δy ≈ f'(u)Δu in a chart, and one sentence with the numbers."""
    if not _one_shown(result):  # the nudges measure dy/dx
        return
    body = "" if is_projector() else f"\n\n{t('chain_rule.nudge_body')}"  # projector: the chart first
    st.markdown(f"### {t('chain_rule.nudge_title')}{body}")
    if not math.isfinite(result["product"]):
        st.info(t("chain_rule.nudge_no_slope"), icon=":material/info:")
        return
    stages = tuple((format_expression(expr), var) for expr, var in composition.stages)
    name = ("chain_rule", "nudges", *(text for text, _ in stages), f"{composition.x0:g}")
    charts.show_chart(_nudge_spec, stages, composition.x0, current_language(), is_projector(), name=name)
    st.caption(nudge_sentence(result))
    if is_projector():
        st.markdown(t("chain_rule.nudge_body"))


def nudge_sentence(result: dict) -> str:
    """One sentence with the current numbers: the slopes, and the smallest nudge's estimate and actual Δy."""
    slopes = [
        f"{name}'({number(function['argument_value'])}) = {number(function['slope'])}"
        for name, function in reversed(list(zip(FUNCTION_NAMES, result["functions"], strict=False)))
    ]
    smallest = result["nudges"][-1]
    return t(
        "chain_rule.nudge_caption",
        x0=number(result["x0"]),
        slopes=_separator().join(slopes),
        product=number(result["product"]),
        dx=number(smallest["dx"]),
        estimate=number(smallest["estimate"][0]),
        actual=number(smallest["actual"][0]),
    )


def _nudge_spec(stages: tuple, x0: float, language: str, projector: bool):
    from calc_core.parser import parse_expression as parse
    from ui.i18n import translate

    composition = [(parse(text, (var,)), var) for text, var in stages]
    result = chain_of_composition(composition, x0)
    names = [f"Δ{output}" for output in result["outputs"]] + ["Δx"]
    labels = {
        key: translate(language, f"chain_rule.nudge_{key}")
        for key in ("change", "actual", "estimate", "choose")
    }
    chart = nudge_chart(
        result["nudges"], names, labels=labels, projector=projector, width=820 if projector else 560
    )
    return InlineChart(chart)  # inline data: Streamlit would convert a "datasets" table on every rerun


def nudge_table(result: dict) -> None:
    """Every nudge's numbers, for the reader who wants them all."""
    if not _one_shown(result):
        return
    with st.expander(t("chain_rule.nudge_table_title"), icon=":material/table:"):
        outputs = result["outputs"]
        rows: dict[str, list[str]] = {"Δx": [number(n["dx"]) for n in result["nudges"]]}
        for index, output in reversed(list(enumerate(outputs))):
            rows[f"Δ{output}"] = [number(n["actual"][index]) for n in result["nudges"]]
            rows[t("chain_rule.col_estimate", name=f"Δ{output}")] = [
                number(n["estimate"][index]) for n in result["nudges"]
            ]
        rows[t("chain_rule.col_ratio")] = [
            number(n["actual"][0] / n["dx"]) if math.isfinite(n["actual"][0]) else number(math.nan)
            for n in result["nudges"]
        ]
        table(rows)


# --- many variables --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManyInput:
    outer: object
    outer_variables: tuple[str, ...]
    inners: tuple
    inner_variables: tuple[str, ...]
    point: tuple[float, ...]


def _size_box(key: str, label: str, default: int) -> int:
    raw = st.query_params.get(key)
    value = st.segmented_control(
        label, SIZES, default=default, required=True, key=key, bind="query-params", format_func=str
    )
    if raw is not None and raw.strip() not in {str(size) for size in SIZES}:
        st.warning(
            t("chain_rule.size_ignored", given=code_span(raw[:40]), used=value), icon=":material/link:"
        )
    return int(value or default)


def many_inputs(setup: ManySetup) -> ManyInput | None:
    """The outer function, an inner function per outer variable, and the point; None if one is unusable."""
    m, n = len(setup.outer_variables), len(setup.inner_variables)
    if setup.sizable:
        with st.container(horizontal=True, gap="large"):
            m = _size_box(M_KEY, t("chain_rule.m_label"), 2)
            n = _size_box(NX_KEY, t("chain_rule.n_label"), 2)
    outer_variables = setup.outer_variables[:m]
    inner_variables = setup.inner_variables[:n]
    outer_label = t(
        "chain_rule.outer_label",
        name=setup.outer_name,
        variables=", ".join(pretty(v) for v in outer_variables),
    )
    example = "+".join(outer_variables)
    outer = formula_box(setup.outer_key, setup.outer_default, outer_variables, outer_label, example)
    inner_list = ", ".join(pretty(v) for v in inner_variables)
    columns = st.columns(1 if is_projector() else m)
    inners = []
    for j, variable in enumerate(outer_variables):
        with columns[0 if is_projector() else j]:
            label = t("chain_rule.inner_label", name=pretty(variable), variables=inner_list)
            inners.append(
                formula_box(
                    setup.inner_keys[j],
                    setup.inner_defaults[j],
                    inner_variables,
                    label,
                    "*".join(inner_variables),
                )
            )
    point_columns = st.columns(max(n, 2))
    point = []
    for i, variable in enumerate(inner_variables):
        with point_columns[i]:
            point.append(
                number_box(
                    setup.point_keys[i],
                    setup.point_defaults[i],
                    t("chain_rule.point_label", name=pretty(variable)),
                )
            )
    if outer is None or any(inner is None for inner in inners):
        return None
    return ManyInput(outer, outer_variables, tuple(inners), inner_variables, tuple(point))


def many_result(chosen: ManyInput) -> dict | None:
    try:
        return chain_of_many(
            chosen.outer, chosen.outer_variables, chosen.inners, chosen.inner_variables, chosen.point
        )
    except ExpressionError as err:
        show_error(err)
        return None


def show_many(setup: ManySetup, data: dict) -> None:
    """The composite, then for every input the sum written out, filled in, at the point, and checked."""
    name = setup.outer_name
    us, xs = data["outer_variables"], data["inner_variables"]
    functions = rf"{name} = {data['outer_latex']},\qquad " + r",\quad ".join(
        f"{name_latex(u)} = {tex}" for u, tex in zip(us, data["inner_latex"], strict=True)
    )
    st.latex(rf"\begin{{gathered}} {functions} \\ {name} = {data['composite_latex']} \end{{gathered}}")
    point_text = _separator().join(
        f"{pretty(x)} = {number(v)}" for x, v in zip(xs, data["point"], strict=True)
    )
    question = f"chain_rule/{setup.name}"
    inputs = (data["outer_latex"], tuple(data["inner_latex"]), tuple(data["point"]))
    shown = reveal.is_shown(question, inputs)
    for i, x in enumerate(xs):
        filled = " + ".join(
            rf"{_grouped_latex(data['dy_du_latex'][j])} \cdot {_grouped_latex(data['du_dx_latex'][j][i])}"
            for j in range(len(us))
        )
        numbers = " + ".join(
            rf"{number_latex(data['dy_du'][j], True)} \cdot {number_latex(data['du_dx'][j][i], True)}"
            for j in range(len(us))
        )
        at = rf"\left.{partial(name, x)}\right|_{{{_point_latex(xs, data['point'])}}}"
        # gathered, not aligned: the rule's first line stays exactly the formula of the lesson
        lines = (
            leibniz_sum(name, tuple(us), x),
            f"= {filled} = {data['sum_latex'][i]}",
            f"{at} = {numbers} = {number_latex(data['sums'][i])}",
        )[: 3 if shown else 2]
        st.latex(r"\begin{gathered} " + r" \\ ".join(lines) + r" \end{gathered}")
        if not shown:
            continue
        if data["agree"][i]:
            st.success(
                t(
                    "chain_rule.many_agree",
                    name=math_name(name),
                    variable=math_name(x),
                    value=number(data["direct"][i]),
                ),
                icon=":material/check_circle:",
            )
        elif not math.isfinite(data["sums"][i]):
            st.warning(t("chain_rule.many_undefined", point=point_text), icon=":material/warning:")
        else:
            st.error(t("chain_rule.many_disagree", name=math_name(name), variable=math_name(x)))
    if not shown:
        reveal.ask(question, inputs, t("reveal.chain_many_prompt", name=math_name(name), point=point_text))
    show_jacobians(setup, data, shown)


def _grouped_latex(tex: str) -> str:
    return rf"\left({tex}\right)" if tex.startswith("-") or " + " in tex or " - " in tex else tex


def _point_latex(names, values) -> str:
    return ", ".join(f"{name_latex(n)} = {number_latex(v)}" for n, v in zip(names, values, strict=True))


def _matrix_latex(rows: list[list[float]]) -> str:
    body = r" \\ ".join(" & ".join(number_latex(v) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def show_jacobians(setup: ManySetup, data: dict, shown: bool = True) -> None:
    """The same sums as a product of Jacobians, symbolically and at the point, and one sentence of numbers
    (without the numbers at the point while the class predicts them: ``shown`` False)."""
    name = setup.outer_name
    us, xs = data["outer_variables"], data["inner_variables"]
    st.markdown(t("chain_rule.jacobian_body", name=math_name(name)))
    u_list = ", ".join(name_latex(u) for u in us)
    x_list = ", ".join(name_latex(x) for x in xs)
    j_outer = rf"\frac{{\partial {name}}}{{\partial ({u_list})}}"
    j_inner = rf"\frac{{\partial ({u_list})}}{{\partial ({x_list})}}"
    lines = (
        rf"{j_outer}\,{j_inner} = {data['jacobian_outer_latex']} {data['jacobian_inner_latex']}",
        rf"= {data['jacobian_product_latex']}",  # a line of its own: the row can be long
        rf"{_matrix_latex([data['dy_du']])} {_matrix_latex(data['du_dx'])} = {_matrix_latex([data['sums']])}",
    )[: 3 if shown else 2]
    st.latex(r"\begin{gathered} " + r" \\[1ex] ".join(lines) + r" \end{gathered}")
    if not shown:
        return
    st.caption(
        t(
            "chain_rule.jacobian_caption",
            point=_separator().join(
                f"{pretty(x)} = {number(v)}" for x, v in zip(xs, data["point"], strict=True)
            ),
            m=len(us),
            n=len(xs),
            gradient=", ".join(number(v) for v in data["sums"]),
        )
    )


# --- the computational graph ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphInput:
    expr: object
    text: str
    point: dict


def graph_inputs() -> GraphInput | None:
    """The expression and a value for each variable it uses."""
    expr = formula_box(GRAPH_KEY, GRAPH_DEFAULT, GRAPH_VARIABLES, t("chain_rule.graph_label"), "x*y + sin(x)")
    if expr is None:
        return None
    used = [v for v in GRAPH_VARIABLES if v in {s.name for s in expr.free_symbols}]
    point = {}
    if used:
        columns = st.columns(len(used))
        for column, variable in zip(columns, used, strict=True):
            with column:
                point[variable] = number_box(
                    GRAPH_POINT_KEYS[variable],
                    GRAPH_POINT_DEFAULTS[variable],
                    t("chain_rule.point_label", name=variable),
                )
    return GraphInput(expr, format_expression(expr), point)


def analyse_graph(chosen: GraphInput) -> dict | None:
    """The graph and both passes (float arithmetic), then SymPy's check, a task of its own: an expression
    SymPy takes too long over still gets its graph, and the check says why it is missing."""
    try:
        report = computational_graph_of(chosen.expr, GRAPH_VARIABLES, chosen.point)
    except ExpressionError as err:
        show_error(err)
        return None
    if report["undefined_at"] is not None or not report["partials"]:
        return report
    try:
        return with_symbolic(report, graph_partials_of(chosen.expr, GRAPH_VARIABLES, chosen.point))
    except ExpressionError as err:
        return {**report, "symbolic_error": err.to_dict()}


def graph_status(report: dict) -> None:
    """What the reader must know before the walk-through: an undefined value or gradient, or no variable."""
    if not report["variables"]:
        st.info(t("chain_rule.graph_no_variable"), icon=":material/info:")
    undefined = report["undefined_at"]
    if undefined is not None:
        node = report["nodes"][undefined]
        st.warning(
            t(
                "chain_rule.graph_undefined",
                node=f"${node['latex']}$",
                definition=f"${node['definition_latex']}$",
            ),
            icon=":material/warning:",
        )


def _initial_step(total: int) -> int:
    """The step from ``?step=`` on a first visit, clamped to 0 … total (with a message if it changed)."""
    raw = st.query_params.get(STEP_KEY)
    if raw is None:
        return 0
    value = _url_int(raw)
    if value is None:
        st.warning(t("chain_rule.step_ignored", given=code_span(raw[:40])), icon=":material/link:")
        return 0
    clamped = max(0, min(value, total))
    if clamped != value:
        st.warning(
            t("chain_rule.step_clamped", given=code_span(raw[:40]), used=clamped, total=total),
            icon=":material/link:",
        )
    return clamped


def _set_step(value: int) -> None:
    st.session_state[STEP_STATE] = value
    _write_step(value)


def _write_step(value: int) -> None:
    if value:
        if st.query_params.get(STEP_KEY) != str(value):
            st.query_params[STEP_KEY] = str(value)
    elif STEP_KEY in st.query_params:
        del st.query_params[STEP_KEY]


def _on_slider() -> None:
    _write_step(int(st.session_state[STEP_STATE]))


def _move(delta: int, total: int) -> None:
    _set_step(max(0, min(int(st.session_state.get(STEP_STATE, 0)) + delta, total)))


def current_step(report: dict, text: str) -> int:
    """The walk-through's step for this graph: from the URL on the first visit, reset for a new expression."""
    total = _total_steps(report)
    if STEP_STATE not in st.session_state:
        st.session_state[STEP_STATE] = _initial_step(total)
    elif st.session_state.get(STEP_OWNER) not in (None, text):
        st.session_state[STEP_STATE] = 0  # a new expression starts at the beginning
    st.session_state[STEP_OWNER] = text
    step = max(0, min(int(st.session_state[STEP_STATE]), total))
    st.session_state[STEP_STATE] = step
    _write_step(step)
    return step


def _total_steps(report: dict) -> int:
    count = len(report["nodes"])
    # With an undefined value there is no backward pass: the walk-through ends with the forward one.
    return count if report["undefined_at"] is not None else walkthrough_steps(count)


@st.fragment
def walkthrough(report: dict, text: str) -> None:
    """Buttons and a slider over the steps, the graph at the current step, and what that step computes.

    A fragment: stepping reruns only this part of the page.
    """
    total = _total_steps(report)
    step = current_step(report, text)
    with st.container(horizontal=True):
        for label, icon, action, args, disabled in (
            ("chain_rule.step_first", ":material/first_page:", _set_step, (0,), step == 0),
            ("chain_rule.step_previous", ":material/chevron_left:", _move, (-1, total), step == 0),
            ("chain_rule.step_next", ":material/chevron_right:", _move, (1, total), step == total),
            ("chain_rule.step_last", ":material/last_page:", _set_step, (total,), step == total),
        ):
            st.button(
                t(label),
                key=label.replace(".", "_"),
                on_click=action,
                args=args,
                icon=icon,
                disabled=disabled,
            )
    st.slider(
        t("chain_rule.step_label"),
        min_value=0,
        max_value=max(total, 1),
        key=STEP_STATE,
        on_change=_on_slider,
        help=t("chain_rule.step_help"),
        disabled=total == 0,
    )
    step = int(st.session_state[STEP_STATE])
    sentence = step_sentence(report, step)
    words = {"value": t("chain_rule.dot_value"), "grad": t("chain_rule.dot_grad")}
    dot = graph_dot(report, step, words=words, projector=is_projector())
    st.graphviz_chart(dot, alt=sentence)
    charts.dot_download(dot, ("chain_rule", "graph", text, f"step{step}"))
    st.caption(sentence + "  \n" + t("chain_rule.graph_legend"))
    explain_step(report, step)


def _node_math(node: dict) -> str:
    return f"${node['latex']}$"


def step_sentence(report: dict, step: int) -> str:
    """One sentence with the current numbers: what this step computed."""
    nodes = report["nodes"]
    total = _total_steps(report)
    phase, focus = walkthrough_focus(len(nodes), step)
    if phase == "start":
        return t("chain_rule.step_sentence_start", total=total, nodes=len(nodes))
    node = nodes[focus]
    if phase == "forward":
        return t(
            "chain_rule.step_sentence_forward",
            step=step,
            total=total,
            node=pretty(node["name"]) or node["label"],
            value=number(report["values"][focus]),
        )
    return t(
        "chain_rule.step_sentence_backward",
        step=step,
        total=total,
        node=pretty(node["name"]) or node["label"],
        gradient=number(report["adjoints"][focus]),
    )


def explain_step(report: dict, step: int) -> None:
    """The formula of the current step: a node's value from its inputs, or its gradient from its consumers."""
    nodes = report["nodes"]
    phase, focus = walkthrough_focus(len(nodes), step)
    if phase == "start":
        st.markdown(t("chain_rule.step_start"))
        return
    node = nodes[focus]
    if phase == "forward":
        value = number_latex(report["values"][focus])
        if node["kind"] == "input":
            st.markdown(t("chain_rule.step_forward_input", node=_node_math(node)))
            st.latex(f"{node['latex']} = {value}")
        elif node["kind"] == "const":
            st.markdown(t("chain_rule.step_forward_const"))
            st.latex(f"{node['latex']} = {value}")
        else:
            st.markdown(t("chain_rule.step_forward_op", node=_node_math(node)))
            st.latex(f"{node['latex']} = {node['definition_latex']} = {node['numeric_latex']} = {value}")
        return
    output = len(nodes) - 1
    f_of = rf"\frac{{\partial f}}{{\partial {node['latex']}}}"
    if focus == output:
        st.markdown(t("chain_rule.step_backward_output", node=_node_math(node)))
        st.latex(rf"{f_of} = 1")
        return
    edges = [
        (w, k) for w, other in enumerate(nodes) for k, source in enumerate(other["inputs"]) if source == focus
    ]
    symbols = " + ".join(
        rf"\frac{{\partial f}}{{\partial {nodes[w]['latex']}}} \cdot {_local_name(nodes[w], node)}"
        for w, _ in edges
    )
    numbers = " + ".join(
        rf"{number_latex(report['adjoints'][w], True)} \cdot {number_latex(report['local'][w][k], True)}"
        for w, k in edges
    )
    key = "chain_rule.step_backward_several" if len(edges) > 1 else "chain_rule.step_backward_one"
    st.markdown(t(key, node=_node_math(node), count=len(edges)))
    gradient = rf"{f_of} = {symbols} = {numbers} = {number_latex(report['adjoints'][focus])}"
    locals_ = r",\quad ".join(
        f"{_local_name(nodes[w], node)} = {nodes[w]['local_latex'][k]}" for w, k in edges
    )
    st.latex(rf"\begin{{gathered}} {gradient} \\[1ex] {locals_} \end{{gathered}}")


def _local_name(head: dict, tail: dict) -> str:
    return rf"\frac{{\partial {head['latex']}}}{{\partial {tail['latex']}}}"


def _path_text(report: dict, start: int, path: list) -> str:
    nodes = report["nodes"]
    names = [pretty(nodes[start]["name"])] + [pretty(nodes[w]["name"]) for w, _ in path]
    return " → ".join(names)


def sum_over_paths(report: dict) -> None:
    """For each variable: every path to the output, its product of local derivatives, their sum, and SymPy."""
    if report["undefined_at"] is not None or not report["partials"]:
        return
    st.markdown(f"### {t('chain_rule.paths_title')}\n\n{t('chain_rule.paths_body')}")
    point = _separator().join(
        f"{v} = {number(x)}" for v, x in zip(report["variables"], report["point"], strict=True)
    )
    names = reveal.names_list(f"∂f/∂{pretty(variable)}" for variable in report["variables"])
    prompt = t("reveal.chain_graph_prompt", names=names, point=point)
    if not reveal.ask(GRAPH_QUESTION, _graph_inputs(report), prompt):
        return
    if "symbolic_error" in report:
        show_error(ExpressionError.from_dict(report["symbolic_error"]))
    for data in report["partials"]:
        variable = data["variable"]
        start = report["variables"].index(variable)
        listed = data["paths"][:LISTED_PATHS]
        rows = {
            t("chain_rule.col_path"): [_path_text(report, start, p["edges"]) for p in listed],
            t("chain_rule.col_locals"): [
                " × ".join(format_number(report["local"][w][k]) for w, k in p["edges"]) for p in listed
            ],
            t("chain_rule.col_product"): [number(p["product"]) for p in listed],
        }
        heading = t("chain_rule.paths_for", variable=f"${data['variable_latex']}$", count=data["path_count"])
        more = data["path_count"] - len(listed)
        table(rows, before=heading)
        if more > 0:
            st.caption(t("chain_rule.paths_more", count=more))
        shares = " + ".join(number_latex(p["product"], True) for p in data["paths"][:LISTED_PATHS])
        if data["path_count"] > LISTED_PATHS:
            shares += r" + \dots"
        f_of = rf"\frac{{\partial f}}{{\partial {data['variable_latex']}}}"
        by_paths = f"{shares} = " if data["path_count"] > 1 else ""
        lines = [rf"{f_of} &= {by_paths}{number_latex(data['adjoint'])}"]
        if data["latex"] is not None:  # SymPy's partial derivative, unless it did not finish
            lines.append(rf"{f_of} &= {data['latex']} = {number_latex(data['value'])}")
        st.latex(r"\begin{aligned} " + r" \\ ".join(lines) + r" \end{aligned}")
        if data["agree"] is None:
            continue
        if data["agree"]:
            st.success(
                t(
                    "chain_rule.paths_agree",
                    variable=f"${data['variable_latex']}$",
                    value=number(data["adjoint"]),
                    point=point,
                ),
                icon=":material/check_circle:",
            )
        elif not math.isfinite(data["adjoint"]):
            st.warning(
                t("chain_rule.gradient_undefined", variable=f"${data['variable_latex']}$", point=point),
                icon=":material/warning:",
            )
        else:
            st.error(
                t(
                    "chain_rule.paths_disagree",
                    variable=f"${data['variable_latex']}$",
                    adjoint=number(data["adjoint"]),
                    value=number(data["value"]),
                )
            )


def _graph_inputs(report: dict) -> tuple:
    """What the graph's gradients depend on: its nodes and the point."""
    return tuple(node["definition_latex"] for node in report["nodes"]), tuple(report["point"])


def node_table(report: dict) -> None:
    """Every node's definition, value and gradient, and every edge's local derivative rule.

    While the class predicts the gradients (predict mode), the gradient column is left out.
    """
    gradients = reveal.is_shown(GRAPH_QUESTION, _graph_inputs(report))
    with st.expander(t("chain_rule.node_table_title"), icon=":material/table:"):
        nodes = report["nodes"]
        rows = {
            t("chain_rule.col_node"): [],
            t("chain_rule.col_definition"): [],
            t("chain_rule.col_value"): [],
            t("chain_rule.col_gradient"): [],
        }
        for node in nodes:
            rows[t("chain_rule.col_node")].append(
                f"${node['latex']}$" if node["kind"] != "const" else t("chain_rule.constant")
            )
            rows[t("chain_rule.col_definition")].append(_table_math(node["definition_latex"]))
            rows[t("chain_rule.col_value")].append(number(report["values"][node["id"]]))
            rows[t("chain_rule.col_gradient")].append(number(report["adjoints"][node["id"]]))
        if not gradients:
            del rows[t("chain_rule.col_gradient")]
        table(rows)
        edges = {
            t("chain_rule.col_edge"): [],
            t("chain_rule.col_local_rule"): [],
            t("chain_rule.col_value"): [],
        }
        for node in nodes:
            for k, source in enumerate(node["inputs"]):
                head, tail = node["latex"], nodes[source]["latex"]
                edges[t("chain_rule.col_edge")].append(
                    _table_math(rf"\frac{{\partial {head}}}{{\partial {tail}}}")
                )
                edges[t("chain_rule.col_local_rule")].append(_table_math(node["local_latex"][k]))
                edges[t("chain_rule.col_value")].append(number(report["local"][node["id"]][k]))
        table(edges)


def _table_math(tex: str) -> str:
    """LaTeX for a table cell: as inline maths, with | written \\vert (a bar would end the cell)."""
    return "$" + tex.replace("|", r"\vert ") + "$"
