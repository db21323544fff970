"""The chain rule: compositions of one variable, the many-variable rule, and backpropagation on a graph."""

import streamlit as st

from ui import chain_view as view
from ui.autograd_bridge import autograd_bridge
from ui.checkpoint import checkpoint
from ui.expression_input import expression_help
from ui.i18n import t
from ui.lesson_header import introduction, is_first_screen, lesson_title
from ui.sections import Part, choose_part, next_part_button

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
    Part("one", "chain_rule.part_one", (view.F_KEY, view.G_KEY, view.H_KEY, view.X0_KEY)),
    Part(
        "many",
        "chain_rule.part_many",
        (view.GENERAL.outer_key, view.M_KEY, view.NX_KEY, *view.GENERAL.inner_keys, *view.GENERAL.point_keys),
    ),
    Part(
        "exercise4",
        "chain_rule.part_exercise4",
        (view.EXERCISE_4.outer_key, *view.EXERCISE_4.inner_keys, *view.EXERCISE_4.point_keys),
    ),
    Part("graph", "chain_rule.part_graph", (view.GRAPH_KEY, view.STEP_KEY, *view.GRAPH_POINT_KEYS.values())),
)


def one_variable() -> None:
    first_screen = is_first_screen()
    if (
        first_screen
    ):  # projector: the inputs and the nudge chart first; the title, the rule and the split box after
        composition = view.composition_inputs()
        result = view.one_variable(composition) if composition is not None else None
        if result is not None:
            view.nudge_figure(composition, result)
        st.header(t("chain_rule.one_title"))
        st.latex(ONE_VARIABLE)
        st.markdown(t("chain_rule.one_body"))
        view.split_box()
    else:
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
    if not first_screen:
        view.nudge_figure(composition, result)
    view.nudge_table(result)


def many_variables(setup) -> None:
    if setup is view.EXERCISE_4:
        st.header(t("chain_rule.exercise_title"))
        st.markdown(t("chain_rule.exercise_body"))
    else:
        st.header(t("chain_rule.many_title"))
        st.latex(MANY_VARIABLES)
        st.markdown(t("chain_rule.many_body"))
    chosen = view.many_inputs(setup)
    data = view.many_result(chosen) if chosen is not None else None
    if data is not None:
        view.show_many(setup, data)
    if setup is view.GENERAL:
        st.markdown(t("chain_rule.layout_note"))
        st.markdown(t("chain_rule.no_cancel_note"))


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
    autograd_bridge(chosen.expr, report)  # the same gradients as D2L 2.5's autograd reports them
    view.node_table(report)


view.start_run()
lesson_title(t("chain_rule.title"), "chain_rule")
with introduction():
    st.markdown(t("chain_rule.intro"))
if not is_first_screen():  # an expander, never inside the introduction's; on the projector, at the end
    expression_help()
part = choose_part(PARTS)
if part.id == "one":
    one_variable()
elif part.id == "many":
    many_variables(view.GENERAL)
elif part.id == "exercise4":
    many_variables(view.EXERCISE_4)
else:
    computational_graph()
next_part_button(PARTS, part)
if is_first_screen():
    expression_help()
checkpoint("chain_rule")
st.header(t("chain_rule.summary_title"))
st.markdown(t("chain_rule.summary_body"))
