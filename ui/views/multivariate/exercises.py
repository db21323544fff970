"""D2L's exercises 2 and 3 on the gradient page."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.identities import (
    exercise2_function,
    exercise2_gradient,
    norm_quotients_at_zero,
)
from calc_core.multivariate import (
    numerical_gradient,
)
from calc_core.parser import parse_expression
from calc_core.service import partial_derivatives
from ui.errors import show_error
from ui.format import number_table
from ui.i18n import t
from ui.settings import persistent_query_params
from ui.views.multivariate.common import (
    EXERCISE2_F,
    EXERCISE2_POINT,
    EXERCISE3_F,
    EXERCISE3_POINT,
    EXERCISE3_VARIABLES,
    F_KEY,
    POINT_KEY,
    number,
    point_text,
    use_example,
)

# --- the exercises --------------------------------------------------------------------------------------


def exercise2(then: Callable[[], None] = lambda: None) -> None:
    """∇(3x₁² + 5e^{x₂}) = [6x₁, 5e^{x₂}]: the steps from the worker, the value, and a numerical check.

    Its button puts the exercise in the function box, then calls ``then`` (the page opens the box's part).
    """
    variables = ("x1", "x2")
    expr = parse_expression(EXERCISE2_F, variables)
    try:
        result = partial_derivatives(expr, variables, EXERCISE2_POINT)
    except ExpressionError as err:
        show_error(err)
        return
    st.latex(r"f(\mathbf{x}) = 3x_1^2 + 5e^{x_2}")
    st.markdown(t("gradient.exercise2_body"))
    for entry in result["partials"]:
        derivation = entry["steps"]
        if derivation["rule"] == "simplify":  # the derivation itself, not only its tidied result
            derivation = derivation["substeps"][0]
        st.latex(derivation["application"])
    rows = r" \\ ".join(entry["latex"] for entry in result["partials"])
    st.latex(rf"\nabla f(\mathbf{{x}}) = \begin{{bmatrix}} {rows} \end{{bmatrix}}")
    exact = exercise2_gradient(np.array(EXERCISE2_POINT))
    numerical = numerical_gradient(lambda x1, x2: 3 * x1**2 + 5 * np.exp(x2), EXERCISE2_POINT)
    st.markdown(
        t(
            "gradient.exercise2_check",
            point=point_text(EXERCISE2_POINT),
            value=number(exercise2_function(np.array(EXERCISE2_POINT)), 6),
            exact=point_text([round(v, 4) for v in exact]),
            numerical=point_text([round(v, 4) for v in numerical]),
            error=f"{float(np.max(np.abs(exact - numerical))):.1e}",
        )
    )
    st.button(
        t("gradient.exercise_try"),
        key="exercise2_try",
        on_click=_try_exercise2,
        args=(then,),
        icon=":material/arrow_upward:",
    )
    st.page_link(
        "app_pages/partials.py",
        label=t("gradient.exercise_all_steps"),
        icon=":material/list:",
        query_params={**persistent_query_params(), F_KEY: EXERCISE2_F, POINT_KEY: "1, 2"},
    )


def _try_exercise2(then: Callable[[], None]) -> None:
    use_example(EXERCISE2_F, EXERCISE2_POINT)
    then()


def exercise3() -> None:
    """∇‖x‖₂ = x/‖x‖₂ for x ≠ 0, from the worker for three variables, and why it fails at x = 0."""
    expr = parse_expression(EXERCISE3_F, EXERCISE3_VARIABLES)
    try:
        result = partial_derivatives(expr, EXERCISE3_VARIABLES, EXERCISE3_POINT, with_steps=False)
        at_zero = partial_derivatives(expr, EXERCISE3_VARIABLES, (0.0, 0.0, 0.0), with_steps=False)
    except ExpressionError as err:
        show_error(err)
        return
    st.latex(r"f(\mathbf{x}) = \|\mathbf{x}\|_2 = \sqrt{x_1^2 + x_2^2 + x_3^2}")
    rows = r" \\ ".join(entry["latex"] for entry in result["partials"])
    st.latex(
        rf"\nabla f(\mathbf{{x}}) = \begin{{bmatrix}} {rows} \end{{bmatrix}} = "
        r"\frac{\mathbf{x}}{\|\mathbf{x}\|_2} \qquad (\mathbf{x} \neq \mathbf{0})"
    )
    values = [entry["value"] for entry in result["partials"]]
    st.markdown(t("gradient.exercise3_value", point=point_text(EXERCISE3_POINT), value=point_text(values)))
    undefined = all(entry["value"] is None for entry in at_zero["partials"])
    st.markdown(t("gradient.exercise3_zero" if undefined else "gradient.exercise3_zero_numbers"))
    rows = norm_quotients_at_zero(3)
    number_table(
        {
            t("partials.col_h"): [f"{row['h']:g}" for row in rows],
            t("gradient.col_right"): [number(row["right"]) for row in rows],
            t("gradient.col_left"): [number(row["left"]) for row in rows],
        }
    )
    st.caption(t("gradient.exercise3_cone"))
