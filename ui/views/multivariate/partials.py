"""The partials page: notation, the surface and its slices, each partial derivative with its steps, and the
limit definition checked one variable at a time."""

from __future__ import annotations

import streamlit as st

from ui import reveal
from ui.format import name_latex, name_text, number_table
from ui.i18n import current_language, t
from ui.settings import is_projector
from ui.steps_view import show_steps
from ui.views.multivariate.common import (
    NOTATION,
    PARTIALS_QUESTION,
    PROJECTOR_SURFACE_WIDTH,
    SLICE_WORDS,
    Function,
    has_values,
    map_labels,
    number,
    point_text,
    show_chart,
)
from ui.views.multivariate.surface import cached_surface_png, grid_around, surface_downloads
from viz.slice_charts import partials_chart

# --- the partials page ----------------------------------------------------------------------------------


def notation(function: Function | None, partials: dict | None) -> None:
    """D2L's notations for a partial derivative, and the same for the reader's ∂f/∂x₁."""
    st.latex(NOTATION)
    if function is None or partials is None:
        return
    var = name_latex(function.variables[0])
    derivative = partials["partials"][0]["latex"]
    st.latex(
        rf"\frac{{\partial f}}{{\partial {var}}} = f_{{{var}}} = f_1 = D_1 f = D_{{{var}}} f = {derivative}"
    )
    st.caption(t("partials.notation_example", var=name_text(function.variables[0])))


def values_question(function: Function, point: tuple[float, ...]) -> None:
    """In predict mode, until revealed: what are the partial derivatives at the point? (Else nothing.)"""
    names = reveal.names_list(f"∂f/∂{name_text(var)}" for var in function.variables)
    prompt = t("reveal.partials_prompt", names=names, point=point_text(point))
    reveal.ask(PARTIALS_QUESTION, (function.text, tuple(point)), prompt)


def _values_shown(function: Function, point) -> bool:
    return reveal.is_shown(PARTIALS_QUESTION, (function.text, tuple(point)))


def surface_and_slices(function: Function, point: tuple[float, ...], partials: dict, grid) -> None:
    """The 3D surface with both slices, then the browser-side map and slices, each with its sentence."""
    if not has_values(grid):
        st.info(t("partials.no_values"), icon=":material/visibility_off:")
        return
    if not _values_shown(function, point):
        _surface_and_slices_without_values(function, point)
        return
    a, c = name_text(function.variables[0]), name_text(function.variables[1])
    values = partials["partials"]
    sentence = t(
        "partials.slices_sentence",
        point=point_text(point),
        f=number(partials["f_value"]),
        a=a,
        c=c,
        a_value=number(point[0]),
        c_value=number(point[1]),
        d1=number(values[0]["value"]),
        d2=number(values[1]["value"]),
    )
    surface_picture(function, point, sentence)
    st.subheader(t("partials.slices_title"))
    st.markdown(t("partials.slices_body", a=a, c=c))
    show_chart(_partials_chart, function.text, function.variables, point, current_language(), is_projector())
    st.markdown(sentence)
    st.caption(t("partials.slices_how", a=a, c=c))


def _surface_and_slices_without_values(function: Function, point: tuple[float, ...]) -> None:
    """The pictures while the class predicts: the surface, and the slices without tangents or slopes."""
    a, c = name_text(function.variables[0]), name_text(function.variables[1])
    surface_picture(function, point)
    st.subheader(t("partials.slices_title"))
    st.markdown(t("partials.slices_body", a=a, c=c))
    args = (function.text, function.variables, point, current_language(), is_projector(), False)
    show_chart(_partials_chart, *args)
    reveal.chart_hidden_note()


def _partials_chart(
    text: str,
    variables: tuple[str, ...],
    point: tuple[float, ...],
    language: str,
    projector: bool,
    answer: bool = True,
):
    grid = grid_around(text, variables, point)
    labels = map_labels(language, SLICE_WORDS, variables)
    labels |= {"partial_x": f"∂f/∂{labels['x']}", "partial_y": f"∂f/∂{labels['y']}"}
    return partials_chart(grid, point, labels=labels, projector=projector, answer=answer)


def partial_tabs(function: Function, partials: dict) -> None:
    """One tab per variable: the steps with ∂ (the others held constant), the result and its value."""
    names = [name_text(var) for var in function.variables]
    tabs = st.tabs([f"∂f/∂{name}" for name in names])
    point = point_text(partials["point"])
    for index, (tab, entry) in enumerate(zip(tabs, partials["partials"], strict=True)):
        with tab:
            others = [name for i, name in enumerate(names) if i != index]
            st.markdown(t("partials.treat_constant", var=names[index], others=", ".join(others)))
            if entry["steps"] is not None:
                show_steps(entry["steps"], partial=True)
            var = name_latex(entry["var"])
            st.latex(rf"\frac{{\partial f}}{{\partial {var}}} = {entry['latex']}")
            if _values_shown(function, partials["point"]):
                st.markdown(
                    t("partials.value_at", var=names[index], point=point, value=number(entry["value"], 6))
                )


def quotient_table(function: Function, partials: dict) -> None:
    """D2L's experiment in each variable alone: (f(p + h·eᵢ) − f(p))/h for h = 0.1 … 0.00001."""
    names = [name_text(var) for var in function.variables]
    shown = _values_shown(function, partials["point"])  # else no exact row: the quotients are the evidence
    exact_row = [t("partials.row_exact")] if shown else []
    columns = {t("partials.col_h"): [f"{h:g}" for h in partials["steps_h"]] + exact_row}
    for name, entry in zip(names, partials["partials"], strict=True):
        columns[t("partials.col_quotient", var=name)] = [number(q, 8) for q in entry["quotients"]] + (
            [number(entry["value"], 8)] if shown else []
        )
    number_table(columns)
    if not shown:
        return
    first = partials["partials"][0]
    st.markdown(
        t(
            "partials.quotients_sentence",
            var=names[0],
            point=point_text(partials["point"]),
            first=number(first["quotients"][0], 6),
            last=number(first["quotients"][-1], 6),
            exact=number(first["value"], 6),
        )
    )


def surface_picture(function: Function, point: tuple[float, ...], sentence: str | None = None) -> None:
    """The 3D surface with its downloads; beside it (below it in projector mode) the sentence with the values,
    when they are shown, and how to read the picture."""
    png = cached_surface_png(function.text, function.variables, point, current_language(), is_projector())

    def words() -> None:
        if sentence is not None:
            st.markdown(sentence)
        st.caption(t("partials.surface_how"))

    if is_projector():
        st.image(png, width=PROJECTOR_SURFACE_WIDTH, alt=t("partials.surface_alt"))
        surface_downloads(function, point)
        words()
        return
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.image(png, width="stretch", alt=t("partials.surface_alt"))
        surface_downloads(function, point)
    with right:
        words()
