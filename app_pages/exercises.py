"""Exercises: D2L's four exercises, each with answer checking, hints and a worked solution; then practice."""

import streamlit as st

from ui import exercises_view as view
from ui.i18n import t

st.title(t("exercises.title"))
st.markdown(t("exercises.intro"))
view.typing_help()
view.exercise_tangent()
view.exercise_gradient()
view.exercise_norm()
view.exercise_chain()
view.practice()
