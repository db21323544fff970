"""The worker's answers for the function at the point: the partial derivatives, and the grid for
the pictures (the partials page's surface starts rendering while the worker still derives)."""

from __future__ import annotations

from calc_core.errors import ExpressionError
from calc_core.multivariate import (
    window_around,
)
from calc_core.service import gradient_field, partial_derivatives
from ui.errors import show_error
from ui.i18n import current_language
from ui.settings import is_projector
from ui.views.multivariate.common import GRID_POINTS, POOL, Function, has_values
from ui.views.multivariate.surface import surface_future

# --- the worker's answers -------------------------------------------------------------------------------


def analyse(
    function: Function,
    point: tuple[float, ...],
    with_steps: bool = True,
    grid: bool = True,
    surface: bool = False,
):
    """The partial derivatives at the point and, for two variables, the grid around it, asked of the worker
    pool at once (and, with ``surface``, the 3D picture started as soon as the grid is there). Errors are
    shown here; returns (partials or None, grid or None)."""
    partials_call = POOL.submit(partial_derivatives, function.expr, function.variables, point, with_steps)
    grid_call = None
    if grid and function.dimension == 2:
        window = window_around(point)
        grid_call = POOL.submit(gradient_field, function.expr, function.variables, window, GRID_POINTS)
    field = grid_error = None
    if grid_call is not None:
        try:
            field = grid_call.result()
        except ExpressionError as err:
            grid_error = err
        if surface and has_values(field):  # render the surface while the worker still derives
            surface_future((function.text, function.variables, point, current_language(), is_projector()))
    try:
        partials = partials_call.result()
    except ExpressionError as err:
        show_error(err)
        partials = None
    if grid_error is not None and partials is not None:
        show_error(grid_error)
    return partials, field
