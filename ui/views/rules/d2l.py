"""D2L's worked example: f(x) = 3x² − 4x, its derivative at 1 and the tangent, with D2L's figure drawn on the
server (SVG, PNG and CSV downloads)."""

from __future__ import annotations

import base64

import streamlit as st

from ui import charts, reveal
from ui.d2l_figure import d2l_tangent_svg, legend_labels
from ui.i18n import current_language, t
from ui.settings import is_projector
from ui.views.rules.common import (
    D2L_AT_ONE,
    D2L_CODE,
    D2L_DERIVATIVE,
    D2L_F,
    D2L_QUESTION,
    PROJECTOR_FIGURE_WIDTH,
    derivation,
)

# --- D2L's example --------------------------------------------------------------------------------------


def d2l_intro() -> None:
    """What D2L does next; in predict mode, until revealed, without the derivative's value."""
    st.markdown(t("rules.d2l_intro" if reveal.is_shown(D2L_QUESTION, ()) else "reveal.rules_d2l_intro"))


def d2l_figure() -> None:
    """D2L's own figure, drawn by the book's plot helper (viz.d2l_plot) and shown as SVG."""
    if not reveal.is_shown(D2L_QUESTION, ()):  # the figure draws the tangent
        return
    width = PROJECTOR_FIGURE_WIDTH if is_projector() else "stretch"
    st.image(
        _d2l_svg(current_language(), is_projector()),
        width=width,
        caption=t("rules.d2l_figure_caption"),
        alt=t("rules.d2l_figure_alt"),
    )
    d2l_downloads()
    with st.expander(t("rules.d2l_code_title"), icon=":material/code:"):
        st.code(D2L_CODE, language="python")
        st.caption(t("rules.d2l_code_caption"))


@st.cache_data(show_spinner=False, max_entries=8)
def _d2l_svg(language: str, projector: bool) -> str:
    svg = d2l_tangent_svg(language, projector)  # drawn by viz.d2l_plot, shipped in ui/assets (ui.d2l_figure)
    # As a data URL, which st.image passes on as it is (an SVG string it would re-encode on every run).
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def d2l_downloads() -> None:
    """The figure's download control: its data (x, f(x), the tangent), SVG (the one shown) and PNG."""
    language, projector = current_language(), is_projector()
    charts.figure_downloads(
        f"d2l|{language}|{projector}",
        ("rules", "d2l-tangent", "3x^2-4x"),
        png=lambda: _d2l_png(language, projector),
        svg=lambda: d2l_tangent_svg(language, projector).encode("utf-8"),
        rows=lambda: {"d2l": _d2l_rows(language)},
    )


# viz.d2l_plot is imported where a download needs it: importing matplotlib costs a first run ~300 ms.
def _d2l_rows(language: str) -> list[dict[str, float]]:
    from viz.d2l_plot import d2l_tangent_rows

    return d2l_tangent_rows(legend_labels(language))


@st.cache_data(show_spinner=False, max_entries=8)
def _d2l_png(language: str, projector: bool) -> bytes:
    from viz.d2l_plot import d2l_tangent_figure, figure_to_png

    return figure_to_png(d2l_tangent_figure(legend_labels=legend_labels(language), projector=projector))


def d2l_derivation() -> None:
    """The book's derivative, then the reader's note, line by line: k, the point, b, the tangent."""
    st.latex(D2L_F)
    st.markdown(t("rules.d2l_rules_used"))
    if not reveal.ask(D2L_QUESTION, (), t("reveal.rules_d2l_prompt")):
        return
    st.latex(D2L_DERIVATIVE)
    st.latex(D2L_AT_ONE)
    st.markdown(t("rules.d2l_note_intro"))
    derivation(
        x0="1",
        derivative=None,
        k="2",
        f_x0="-1",
        b="-3",
        line="2x - 3",
        f_x0_steps=r"3 \cdot 1^{2} - 4 \cdot 1",
    )
    st.success(
        t("rules.tangent_sentence", x0="1", f_x0="−1", k="2", line="2x − 3"), icon=":material/check_circle:"
    )
