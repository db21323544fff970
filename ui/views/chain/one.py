"""The chain rule for one variable: f(g(x)) (or f(g(h(x)))), its factors, the values at a point and the nudge
picture."""

from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.parser import format_expression, parse_expression
from calc_core.service import (
    chain_of_composition,
    split_composite,
)
from ui import charts, reveal
from ui.errors import code_span, show_error
from ui.expression_input import show_reading_notes_of
from ui.format import table
from ui.i18n import current_language
from ui.inputs import url_text_box
from ui.settings import is_projector
from ui.views.chain.common import (
    ONE_QUESTION,
    formula_box,
    number,
    number_box,
    number_latex,
    separator,
    t,
    written_in,
)
from viz.chain_charts import InlineChart, nudge_chart

# --- one variable ----------------------------------------------------------------------------------------
F_KEY, G_KEY, H_KEY, X0_KEY = "f", "g", "h", "x0"
DEFAULT_F, DEFAULT_G, DEFAULT_H, DEFAULT_X0 = "sin(u)", "x^2", "", 1.0
COMPOSITE_KEY, LEVELS_KEY, SPLIT_BUTTON_KEY = "chain_composite", "chain_levels", "chain_split"
SPLIT_OUTCOME = "chain_split_outcome"
DEFAULT_COMPOSITE = "exp(sin(x^2))"
FUNCTION_NAMES = ("f", "g", "h")


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
        show_reading_notes_of(st.session_state.get(COMPOSITE_KEY) or "", ("x",))
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
        h_text = url_text_box(
            H_KEY,
            t("chain_rule.h_label"),
            DEFAULT_H,
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
            show_reading_notes_of(h_text, ("x",))
    with columns[3]:
        x0 = number_box(X0_KEY, DEFAULT_X0, t("chain_rule.x0_label"))
    if f is None or g is None:
        return None
    stages = [(f, written_in(f, "u", "f")), (g, written_in(g, "v" if three else "x", "g"))]
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
        slopes=separator().join(slopes),
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
