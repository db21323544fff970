"""Rules: D2L's tangent at x = 1, the notation, the rules as cards, and an explorer for any function."""

import streamlit as st

from ui.expression_input import expression_input
from ui.i18n import t
from ui.settings import is_projector
from ui.views.rules import common, d2l
from ui.views.rules import explorer as explorer_view


def d2l_example() -> None:
    st.header(t("rules.d2l_title"))
    d2l.d2l_intro()
    if is_projector():
        d2l.d2l_derivation()
        d2l.d2l_figure()
        return
    left, right = st.columns([1, 1], gap="large")
    with left:
        d2l.d2l_derivation()
    with right:
        d2l.d2l_figure()


def notation() -> None:
    st.header(t("rules.notation_title"))
    st.latex(common.NOTATION)
    st.markdown(t("rules.notation_body"))


def reference_cards() -> None:
    st.header(t("rules.cards_title"))
    st.markdown(t("rules.cards_intro"))
    st.subheader(t("rules.common_title"))
    common.rule_cards(common.COMMON_RULES, "common", per_row=4)
    st.subheader(t("rules.combining_title"))
    st.markdown(t("rules.combining_intro"))
    st.latex(common.D2L_COMBINING)
    st.markdown(t("rules.combining_cards"))
    common.rule_cards(common.COMBINING_RULES, "combining", per_row=3)


@st.fragment
def explorer() -> None:
    """Any function and point. A fragment: a new f, x0 or f″ switch reruns this part alone, not the D2L
    example and the cards above (a card's button reruns the page, this part included)."""
    st.header(t("rules.explorer_title"))
    st.markdown(t("rules.explorer_intro"))
    left, middle, right = st.columns([3, 1, 1], vertical_alignment="top")
    with left:
        expr = expression_input(url_key=common.F_KEY, default=common.DEFAULT_F, show_understood=False)
    with middle:
        x0 = common.point_input()
    with right:
        second = common.second_derivative_input()
    if expr is None:
        return
    found = common.analyse(expr, x0, second)
    if found is None:
        return
    explorer_view.show_derivative(found)
    st.subheader(t("rules.tangent_title"))
    explorer_view.show_tangent(found)
    explorer_view.show_second_note(found)
    st.subheader(t("rules.steps_title"))
    st.caption(t("rules.steps_intro"))
    explorer_view.show_derivation_steps(found)


st.title(t("rules.title"))
st.markdown(t("rules.intro"))
d2l_example()
notation()
reference_cards()
explorer()
