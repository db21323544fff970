"""The chain rule: compositions of one variable, the many-variable rule, and backpropagation on a graph."""

import streamlit as st

from ui import chain_view as view
from ui.expression_input import expression_help
from ui.i18n import t

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


def one_variable() -> None:
    st.header(t("chain_rule.one_title"))
    st.latex(ONE_VARIABLE)
    st.markdown(t("chain_rule.one_body"))
    view.split_box()
    composition = view.composition_inputs()
    result = view.one_variable(composition) if composition is not None else None
    if result is None:
        return
    view.show_composition(result)
    view.show_factors(result)
    view.show_at_point(result)
    view.nudge_figure(composition, result)
    view.nudge_table(result)


def many_variables() -> None:
    st.header(t("chain_rule.many_title"))
    st.latex(MANY_VARIABLES)
    st.markdown(t("chain_rule.many_body"))
    for setup in (view.GENERAL, view.EXERCISE_4):
        if setup is view.EXERCISE_4:
            st.subheader(t("chain_rule.exercise_title"))
            st.markdown(t("chain_rule.exercise_body"))
        chosen = view.many_inputs(setup)
        data = view.many_result(chosen) if chosen is not None else None
        if data is not None:
            view.show_many(setup, data)


def computational_graph() -> None:
    st.header(t("chain_rule.graph_title"))
    st.markdown(t("chain_rule.graph_body"))
    st.latex(BACKWARD)
    chosen = view.graph_inputs()
    report = view.analyse_graph(chosen) if chosen is not None else None
    if report is None:
        return
    view.graph_status(report)
    view.walkthrough(report, chosen.text)
    view.sum_over_paths(report)
    view.node_table(report)


view.start_run()
st.title(t("chain_rule.title"))
st.markdown(t("chain_rule.intro"))
expression_help()
one_variable()
many_variables()
computational_graph()
st.header(t("chain_rule.summary_title"))
st.markdown(t("chain_rule.summary_body"))
