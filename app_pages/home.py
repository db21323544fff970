"""Home: why calculus, what the section covers, a card per lesson page, and a box to try a function."""

import streamlit as st

from ui.expression_input import expression_input
from ui.function_preview import show_function_preview
from ui.glossary import glossary_table
from ui.i18n import t
from ui.navigation import lesson_pages, page_card
from ui.settings import is_projector
from ui.teaching import teaching_guide

D2L_URLS = {
    "en_url": "https://d2l.ai/chapter_preliminaries/calculus.html",
    "zh_url": "https://zh.d2l.ai/chapter_preliminaries/calculus.html",
}
CARDS_PER_ROW = 3
# Area of a regular n-gon inscribed in a circle of radius r, and its limit.
INSCRIBED_POLYGON_AREA = (
    r"A_n = \frac{n}{2}\, r^2 \sin\frac{2\pi}{n} \;\longrightarrow\; \pi r^2 \quad (n \to \infty)"
)


def motivation() -> None:
    st.subheader(t("home.exhaustion_title"))
    st.markdown(t("home.exhaustion_body"))
    st.latex(INSCRIBED_POLYGON_AREA)
    st.caption(t("home.exhaustion_formula_caption"))
    st.markdown(t("home.exhaustion_history"))
    st.subheader(t("home.deep_learning_title"))
    st.markdown(t("home.deep_learning_body"))


def try_a_function() -> None:
    with st.container(border=True):
        st.subheader(t("home.try_title"))
        st.caption(t("home.try_intro"))
        expr = expression_input(url_key="f", default="3x^2 - 4x", show_understood=False)
        if expr is not None:
            show_function_preview(expr)  # the lead adds the function's plot inside this call


def page_cards() -> None:
    pages = lesson_pages()
    if not pages:
        return
    st.subheader(t("home.pages_title"))
    for row_start in range(0, len(pages), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, spec in zip(columns, pages[row_start : row_start + CARDS_PER_ROW], strict=False):
            with column:
                page_card(spec)


def summary_and_reading() -> None:
    st.subheader(t("home.summary_title"))
    st.markdown(t("home.summary_body"))
    with st.expander(t("home.glossary_title"), icon=":material/translate:"):
        glossary_table()
    st.markdown(t("home.d2l_links", **D2L_URLS))


st.title(t("home.title"))
st.markdown(t("home.intro"))
if is_projector():  # large type leaves no room for a side column
    motivation()
    try_a_function()
else:
    left, right = st.columns([3, 2], gap="large")
    with left:
        motivation()
    with right:
        try_a_function()
st.subheader(t("home.covers_title"))
st.markdown(t("home.covers_body"))
page_cards()
summary_and_reading()
teaching_guide()
