"""The lesson's terms in English and Chinese, side by side (CONTENT.md, "Terms")."""

from __future__ import annotations

import streamlit as st

from ui.format import markdown_table
from ui.i18n import LANGUAGE_NAMES, LANGUAGES, translate

# Lesson order; each is a key of the [glossary] table in both catalogues.
GLOSSARY_TERMS = (
    "limit",
    "derivative",
    "differentiation",
    "differentiable",
    "instantaneous_rate_of_change",
    "tangent_line",
    "slope",
    "power_rule",
    "constant_multiple_rule",
    "sum_rule",
    "product_rule",
    "quotient_rule",
    "partial_derivative",
    "multivariate_function",
    "gradient",
    "directional_derivative",
    "gradient_descent",
    "learning_rate",
    "chain_rule",
    "composite_function",
    "computational_graph",
    "forward_pass",
    "backpropagation",
    "loss_function",
    "optimisation",
    "generalisation",
    "method_of_exhaustion",
    "integral_calculus",
    "differential_calculus",
)


def glossary_table() -> None:
    columns = {
        LANGUAGE_NAMES[language]: [translate(language, f"glossary.{term}") for term in GLOSSARY_TERMS]
        for language in LANGUAGES
    }
    st.markdown(markdown_table(columns))  # st.table would import pandas: 300 ms on the first run
