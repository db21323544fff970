"""The chain rule: compositions of one variable, the many-variable rule, and backpropagation on a graph."""

import streamlit as st

from ui.expression_input import expression_help
from ui.i18n import t
from ui.sections import Part, choose_part, next_part_button
from ui.views.chain import common, graph, many, one

ONE_VARIABLE = (
    r"y = f(u),\ u = g(x) \quad\Longrightarrow\quad \frac{dy}{dx} = \frac{dy}{du} \cdot \frac{du}{dx}"
)
MANY_VARIABLES = (
    r"\frac{\partial y}{\partial x_i} = \frac{\partial y}{\partial u_1} \frac{\partial u_1}{\partial x_i}"
    r" + \frac{\partial y}{\partial u_2} \frac{\partial u_2}{\partial x_i} + \cdots"
    r" + \frac{\partial y}{\partial u_m} \frac{\partial u_m}{\partial x_i}"
)
BACKWARD = (
    r"\frac{\partial f}{\partial v} = \sum_{v \to w} \frac{\partial f}{\partial w}"
    r" \cdot \frac{\partial w}{\partial v}"
)


PARTS = (
    Part("one", "chain_rule.part_one", (one.F_KEY, one.G_KEY, one.H_KEY, one.X0_KEY)),
    Part(
        "many",
        "chain_rule.part_many",
        (many.GENERAL.outer_key, many.M_KEY, many.NX_KEY, *many.GENERAL.inner_keys, *many.GENERAL.point_keys),
    ),
    Part(
        "exercise4",
        "chain_rule.part_exercise4",
        (many.EXERCISE_4.outer_key, *many.EXERCISE_4.inner_keys, *many.EXERCISE_4.point_keys),
    ),
    Part(
        "graph", "chain_rule.part_graph", (graph.GRAPH_KEY, graph.STEP_KEY, *graph.GRAPH_POINT_KEYS.values())
    ),
)


def one_variable() -> None:
    st.header(t("chain_rule.one_title"))
    st.latex(ONE_VARIABLE)
    st.markdown(t("chain_rule.one_body"))
    one.split_box()
    composition = one.composition_inputs()
    result = one.one_variable(composition) if composition is not None else None
    if result is None:
        return
    one.show_composition(result)
    one.show_factors(result)
    one.show_at_point(result)
    one.nudge_figure(composition, result)
    one.nudge_table(result)


def many_variables(setup) -> None:
    if setup is many.EXERCISE_4:
        st.header(t("chain_rule.exercise_title"))
        st.markdown(t("chain_rule.exercise_body"))
    else:
        st.header(t("chain_rule.many_title"))
        st.latex(MANY_VARIABLES)
        st.markdown(t("chain_rule.many_body"))
    chosen = many.many_inputs(setup)
    data = many.many_result(chosen) if chosen is not None else None
    if data is not None:
        many.show_many(setup, data)


def computational_graph() -> None:
    st.header(t("chain_rule.graph_title"))
    st.markdown(t("chain_rule.graph_body"))
    st.latex(BACKWARD)
    chosen = graph.graph_inputs()
    report = graph.analyse_graph(chosen) if chosen is not None else None
    if report is None:
        return
    graph.graph_status(report)
    graph.walkthrough(report, chosen.text)
    graph.sum_over_paths(report)
    graph.node_table(report)


common.start_run()
st.title(t("chain_rule.title"))
st.markdown(t("chain_rule.intro"))
expression_help()
part = choose_part(PARTS)
if part.id == "one":
    one_variable()
elif part.id == "many":
    many_variables(many.GENERAL)
elif part.id == "exercise4":
    many_variables(many.EXERCISE_4)
else:
    computational_graph()
next_part_button(PARTS, part)
st.header(t("chain_rule.summary_title"))
st.markdown(t("chain_rule.summary_body"))
