"""The explorer: f′ of the reader's function, the tangent at x₀ with its derivation and chart, the steps."""

from __future__ import annotations

import streamlit as st

from calc_core.parser import parse_expression
from calc_core.service import tangent_data
from ui import charts, reveal
from ui.errors import show_error
from ui.i18n import current_language, t, translate
from ui.settings import is_projector
from ui.steps_view import show_steps
from ui.views.rules.common import (
    CHART_WIDTH,
    CHART_WORDS,
    EXPLORER_QUESTION,
    GRID_STEP,
    PROJECTOR_CHART_WIDTH,
    SENTENCE_DIGITS,
    VAR,
    VARIABLES,
    WINDOW_HALF_WIDTH,
    Explorer,
    derivation,
)
from viz.tangent_chart import line_text, number, slider_grid, tangent_spec

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
