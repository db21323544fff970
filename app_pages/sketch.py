"""Sketch the derivative: the graph of f, an empty panel under it, draw f′, then reveal and compare."""

import streamlit as st

from ui import sketch_view as view
from ui.expression_input import expression_input
from ui.i18n import t
from ui.lesson_header import introduction, lesson_title

lesson_title(t("sketch.title"), "sketch")
with introduction():
    st.markdown(t("sketch.intro"))
left, right = st.columns([3, 2], vertical_alignment="top")
with left:
    expr = expression_input(url_key=view.F_KEY, default=view.DEFAULT_F)
with right:
    task = view.task_input()
if expr is not None:
    view.sketch_activity(expr, task)
view.exercise_links()
st.header(t("sketch.why_title"))
st.markdown(t("sketch.why_body"))
