"""The home page's look at the reader's function."""

from __future__ import annotations

import sympy

from ui.expression_input import show_understood_expression


def show_function_preview(expr: sympy.Expr, name: str = "f", variables: tuple[str, ...] = ("x",)) -> None:
    """What the app understood, as LaTeX.

    TODO(lead): draw the function under it: sample ``expr`` in the sandbox (calc_core.sampling) and show
    viz.function_plot's Altair chart, built with ``projector=ui.settings.is_projector()``.
    """
    show_understood_expression(expr, name, variables)
