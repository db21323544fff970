"""The computational graph: the forward and backward walk-through, the sum over paths, the node table."""

from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.graph import format_number, walkthrough_focus, walkthrough_steps, with_symbolic
from calc_core.parser import format_expression
from calc_core.service import (
    computational_graph_of,
    graph_partials_of,
)
from ui import charts, reveal
from ui.errors import code_span, show_error
from ui.format import name_text, table
from ui.settings import is_projector
from ui.views.chain.common import (
    GRAPH_QUESTION,
    formula_box,
    number,
    number_box,
    number_latex,
    separator,
    t,
    url_int,
)
from viz.graph_dot import graph_dot

# --- the computational graph -----------------------------------------------------------------------------
GRAPH_KEY, STEP_KEY = "expr", "step"
GRAPH_VARIABLES = ("x", "y", "z")
GRAPH_POINT_KEYS = {"x": "gx", "y": "gy", "z": "gz"}
GRAPH_DEFAULT = "x*y + sin(x)"
GRAPH_POINT_DEFAULTS = {"x": 1.0, "y": 2.0, "z": 0.5}
STEP_STATE, STEP_OWNER = "chain_graph_step", "chain_graph_step_for"
LISTED_PATHS = 12  # rows of the sum over paths shown per variable


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
    value = url_int(raw)
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
    # Forward, the step computed the node's value; backward, its gradient (the adjoint).
    name, values = ("value", report["values"]) if phase == "forward" else ("gradient", report["adjoints"])
    return t(
        f"chain_rule.step_sentence_{phase}",
        step=step,
        total=total,
        node=name_text(node["name"]) or node["label"],
        **{name: number(values[focus])},
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
    names = [name_text(nodes[start]["name"])] + [name_text(nodes[w]["name"]) for w, _ in path]
    return " → ".join(names)


def sum_over_paths(report: dict) -> None:
    """For each variable: every path to the output, its product of local derivatives, their sum, and SymPy."""
    if report["undefined_at"] is not None or not report["partials"]:
        return
    st.markdown(f"### {t('chain_rule.paths_title')}\n\n{t('chain_rule.paths_body')}")
    point = separator().join(
        f"{v} = {number(x)}" for v, x in zip(report["variables"], report["point"], strict=True)
    )
    names = reveal.names_list(f"∂f/∂{name_text(variable)}" for variable in report["variables"])
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
