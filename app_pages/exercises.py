"""Exercises: D2L's four exercises, each with answer checking, hints and a worked solution; then practice."""

import streamlit as st

from ui.i18n import t
from ui.views.exercises import common, d2l, practice

st.title(t("exercises.title"))
st.markdown(t("exercises.intro"))
common.typing_help()
d2l.exercise_tangent()
d2l.exercise_gradient()
d2l.exercise_norm()
d2l.exercise_chain()
practice.practice()
