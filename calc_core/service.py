"""What pages ask of a student's expression, each answered by the sandboxed worker and cached.

A parsed expression crosses to the worker as its normal text (``format_expression``), so "3x²" and
"3*x**2" share one cache entry, and only plain data comes back.
"""

from __future__ import annotations

from calc_core.parser import format_expression
from calc_core.sampling import SampledCurve
from calc_core.sandbox import run_task


def describe_expression(expr, variables: tuple[str, ...]) -> dict:
    """LaTeX of the expression as typed and evaluated, and the variables it really depends on.

    >>> from calc_core.parser import parse_expression
    >>> describe_expression(parse_expression("x*x"), ("x",))["latex_evaluated"]
    'x^{2}'
    """
    return run_task("describe", format_expression(expr), tuple(variables))


def differentiate_expression(expr, variables: tuple[str, ...], var: str) -> dict:
    """The derivative with respect to ``var`` as ``{"latex", "text"}``.

    >>> from calc_core.parser import parse_expression
    >>> differentiate_expression(parse_expression("3x^2 - 4x"), ("x",), "x")["latex"]
    '6 x - 4'
    """
    return run_task("diff", format_expression(expr), tuple(variables), var)


def sample_expression(
    expr,
    variables: tuple[str, ...],
    var: str,
    x_min: float,
    x_max: float,
    n: int = 801,
    fixed: tuple[tuple[str, float], ...] = (),
) -> SampledCurve:
    """The expression sampled on ``[x_min, x_max]`` with gaps where it is undefined.

    >>> from calc_core.parser import parse_expression
    >>> sample_expression(parse_expression("1/x"), ("x",), "x", -1, 1, 3).segment.tolist()
    [0, -1, 1]
    """
    data = run_task(
        "sample", format_expression(expr), tuple(variables), var, float(x_min), float(x_max), n, fixed
    )
    return SampledCurve.from_dict(data)
