"""The identity lab: both sides of a matrix-calculus identity on random numbers, in either layout."""

from __future__ import annotations

import numpy as np
import streamlit as st

from calc_core.identities import (
    IDENTITIES,
    LAYOUTS,
    MAX_SIZE,
    MIN_SIZE,
    USES,
    check_identity,
)
from ui.errors import code_span
from ui.i18n import t
from ui.inputs import whole_number_box
from ui.views.multivariate.common import (
    DEFAULT_IDENTITY,
    DEFAULT_LAYOUT,
    DEFAULT_M,
    DEFAULT_N,
    DEFAULT_SEED,
    IDENTITY_KEY,
    IDENTITY_NAMES,
    LAYOUT_KEY,
    M_KEY,
    N_KEY,
    SEED_KEY,
    SEED_MAX,
    matrix_latex,
)

# --- the identity lab -----------------------------------------------------------------------------------


def _size_input(key: str, default: int, label_key: str) -> int:
    return whole_number_box(
        key, label_key, default=default, low=MIN_SIZE, high=MAX_SIZE, texts="gradient.lab_size"
    )


def _new_seed() -> None:
    st.session_state[SEED_KEY] = (int(st.session_state.get(SEED_KEY, DEFAULT_SEED)) + 1) % (SEED_MAX + 1)


def _url_choice(url_key: str, options, default: str, label: str, format_func, help: str | None = None) -> str:
    """A segmented control whose choice lives in ``?{url_key}=`` as the option's id (``lay=numerator``).

    Not ``bind="query-params"``: a bound segmented control writes its *label* into the URL, and these labels
    are LaTeX or translated, so a link would depend on the language. The URL is read on every run and
    written by the control's callback, as the language switch does.
    """
    raw = st.query_params.get(url_key)
    current = raw if raw in options else default
    widget_key = f"{url_key}_control"
    st.session_state[widget_key] = current
    st.segmented_control(
        label,
        options,
        format_func=format_func,
        key=widget_key,
        required=True,
        help=help,
        on_change=_choice_to_url,
        args=(url_key, widget_key, default),
    )
    if raw is not None and raw not in options:
        st.warning(t("gradient.lab_choice_ignored", given=code_span(raw[:40])), icon=":material/link:")
        del st.query_params[url_key]
    return current


def _choice_to_url(url_key: str, widget_key: str, default: str) -> None:
    value = st.session_state[widget_key]
    if value == default:
        st.query_params.pop(url_key, None)
    else:
        st.query_params[url_key] = value


def identity_inputs() -> tuple[str, str, int, int, int]:
    """Which identity, the layout, the sizes m and n, and the random numbers' seed."""
    identity = _url_choice(
        IDENTITY_KEY, IDENTITIES, DEFAULT_IDENTITY, t("gradient.lab_identity"), IDENTITY_NAMES.__getitem__
    )
    layout = _url_choice(
        LAYOUT_KEY,
        LAYOUTS,
        DEFAULT_LAYOUT,
        t("gradient.lab_layout"),
        lambda name: t(f"gradient.layout_{name}"),
        help=t("gradient.lab_layout_help"),
    )
    uses = USES[identity]
    columns = st.columns(4, vertical_alignment="bottom")
    with columns[0]:
        m = _size_input(M_KEY, DEFAULT_M, "gradient.lab_m") if "m" in uses else DEFAULT_M
    with columns[1]:
        n = _size_input(N_KEY, DEFAULT_N, "gradient.lab_n")
    with columns[3]:
        st.button(t("gradient.lab_new_numbers"), on_click=_new_seed, icon=":material/casino:")
    with columns[2]:
        seed = whole_number_box(
            SEED_KEY,
            "gradient.lab_seed",
            default=DEFAULT_SEED,
            low=0,
            high=SEED_MAX,
            texts="gradient.lab_seed",
        )
    return identity, layout, m, n, seed


def identity_check(identity: str, layout: str, m: int, n: int, seed: int) -> None:
    """Both sides of the identity on random numbers, their difference, and every shape written out."""
    check = check_identity(identity, m, n, layout, seed)
    st.latex(check.formula_latex)
    inputs = ", \\quad ".join(
        rf"\mathbf{{{name}}} = {matrix_latex(array, 3)}" for name, array in check.inputs.items()
    )
    st.latex(inputs)
    variable = "X" if identity == "frobenius" else "x"
    st.markdown(t("gradient.lab_sides", variable=variable))
    left, right = st.columns(2)
    with left:
        st.caption(t("gradient.lab_formula_side"))
        st.latex(matrix_latex(check.formula))
    with right:
        st.caption(t("gradient.lab_numerical_side"))
        st.latex(matrix_latex(check.numerical))
    shapes = check.shapes
    values = {
        "x_shape": _shape(shapes[variable]),
        "value_shape": _shape(shapes["value"]),
        "gradient_shape": _shape(shapes["gradient"]),
        "count": int(np.prod(shapes[variable])) * int(np.prod(shapes["value"])),
        "error": f"{check.max_error:.1e}",
        "variable": variable,
    }
    if shapes["value"] == (1, 1):  # a scalar function: its gradient has the shape of x (or of X)
        st.markdown(t(f"gradient.lab_shapes_scalar_{layout}", **values))
    else:
        st.markdown(t(f"gradient.lab_shapes_{layout}", a_shape=_shape(shapes["A"]), **values))
    if check.ok:
        st.success(t("gradient.lab_ok", **values), icon=":material/check_circle:")
    else:
        st.error(t("gradient.lab_failed", **values), icon=":material/error:")


def _shape(shape: tuple[int, ...]) -> str:
    return "×".join(str(size) for size in shape)
