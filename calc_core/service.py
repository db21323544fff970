"""What pages ask of a student's expression, each answered by the sandboxed worker and cached.

A parsed expression crosses to the worker as its normal text (``format_expression``), so "3x²" and
"3*x**2" share one cache entry, and only plain data comes back.
"""

from __future__ import annotations

import math

import numpy as np

from calc_core.limits import ErrorTable, OneSidedTable
from calc_core.multivariate import DescentPath, Grid
from calc_core.parser import format_expression
from calc_core.results import (
    AnswerVerdict,
    CompositeSplit,
    Derivative,
    DerivativeLimit,
    Description,
    ErrorTableData,
    GraphReport,
    LimitTables,
    ManyVariableChain,
    OneSidedData,
    OneVariableChain,
    Partials,
    PracticeProblem,
    StepData,
    SymbolicPartial,
    TangentData,
    TangentLine,
)
from calc_core.sampling import SampledCurve
from calc_core.sandbox import run_task


def _expression_task(task: str, expr, variables: tuple[str, ...], *args):
    """``run_task(task, text, variables, *args)`` for the expression's text, once the expression alone has
    been evaluated in the sandbox (a cached task of its own).

    Some tiny inputs take SymPy minutes just to evaluate: ``sin(3 + exp(exp(exp(3))))`` asks mpmath for π to
    hundreds of millions of digits. Every task evaluates its expression first, so each would run into the
    time limit again and cost a killed worker; with the shared check, an expression costs its time limit
    once, whatever the tasks and pages that ask.
    """
    return run_task(task, _check_evaluation(expr, variables), tuple(variables), *args)


def _check_evaluation(expr, variables: tuple[str, ...]) -> str:
    """The expression's text, once its evaluation alone has passed (see :func:`_expression_task`)."""
    text = format_expression(expr)
    run_task("evaluate_expression", text, tuple(variables))
    return text


def describe_expression(expr, variables: tuple[str, ...]) -> Description:
    """LaTeX of the expression as typed and evaluated, and the variables it really depends on.

    >>> from calc_core.parser import parse_expression
    >>> describe_expression(parse_expression("x*x"), ("x",))["latex_evaluated"]
    'x^{2}'
    """
    return _expression_task("describe_expression", expr, variables)


def derivative_steps_of(expr, variables: tuple[str, ...], var: str) -> StepData:
    """The step-by-step derivation (``calc_core.step_latex.step_to_dict``), computed in the sandbox.

    >>> from calc_core.parser import parse_expression
    >>> derivative_steps_of(parse_expression("x*sin(x)"), ("x",), "x")["rule"]
    'product'
    """
    return _expression_task("derivative_steps_of", expr, variables, var)


def differentiate_expression(expr, variables: tuple[str, ...], var: str) -> Derivative:
    """The derivative with respect to ``var`` as ``{"latex", "text"}``.

    >>> from calc_core.parser import parse_expression
    >>> differentiate_expression(parse_expression("3x^2 - 4x"), ("x",), "x")["latex"]
    '6 x - 4'
    """
    return _expression_task("differentiate_expression", expr, variables, var)


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
    data = _expression_task("sample_expression", expr, variables, var, float(x_min), float(x_max), n, fixed)
    return SampledCurve.from_dict(data)


def derivative_limit(expr, variables: tuple[str, ...], var: str, x0: float) -> DerivativeLimit:
    """The one-sided limits of (f(x0 + h) − f(x0))/h as h → 0± by SymPy, and the verdict, as plain data.

    See ``calc_core.derivative_limits.exact_derivative_limit`` for the result's keys.

    >>> from calc_core.parser import parse_expression
    >>> derivative_limit(parse_expression("abs(x)"), ("x",), "x", 0)["verdict"]
    'one_sided_differ'
    """
    return _expression_task("derivative_limit", expr, variables, var, float(x0))


def limit_tables(
    expr, variables: tuple[str, ...], var: str, x0: float, exact: float | None = None
) -> LimitTables:
    """The float64 numbers of the limits page for f at x0, as plain data
    (``calc_core.derivative_limits.limit_tables``).

    ``exact`` is f'(x0) when known (from :func:`derivative_limit`): only then are the errors computed (a
    non-finite value counts as unknown).
    Turn parts of the result into objects with :func:`error_table_of`, :func:`one_sided_table_of` and
    ``SampledCurve.from_dict(result["curve"])``.

    >>> from calc_core.parser import parse_expression
    >>> tables = limit_tables(parse_expression("3x^2 - 4x"), ("x",), "x", 1.0, 2.0)
    >>> f"{tables['d2l']['value'][-1]:.5f}" != "", tables["one_sided"]["verdict"]
    (True, 'differentiable')
    """
    exact = None if exact is None or not math.isfinite(exact) else float(exact)
    return _expression_task("limit_tables", expr, variables, var, float(x0), exact)


def error_table_of(data: ErrorTableData) -> ErrorTable:
    """The ``ErrorTable`` of ``limit_tables(...)["errors"]``: the worker's numbers, not recomputed.

    >>> from calc_core.parser import parse_expression
    >>> tables = limit_tables(parse_expression("sin(x)"), ("x",), "x", 1.0, 0.5403023058681398)
    >>> table = error_table_of(tables["errors"])
    >>> table.h.size == len(tables["errors"]["h"]), bool(table.error["forward"][0] > 0)
    (True, True)
    """
    return ErrorTable(
        x0=float(data["x0"]),
        exact=float(data["exact"]),
        f_x0=float(data["f_x0"]),
        h=np.asarray(data["h"], dtype=np.float64),
        estimate={
            scheme: np.asarray(values, dtype=np.float64) for scheme, values in data["estimate"].items()
        },
        error={scheme: np.asarray(values, dtype=np.float64) for scheme, values in data["error"].items()},
        second=float(data["second"]),
        third=float(data["third"]),
    )


def one_sided_table_of(data: OneSidedData) -> OneSidedTable:
    """The ``OneSidedTable`` of ``limit_tables(...)["one_sided"]``.

    >>> from calc_core.parser import parse_expression
    >>> table = one_sided_table_of(limit_tables(parse_expression("abs(x)"), ("x",), "x", 0.0)["one_sided"])
    >>> table.left.tolist()[-1], table.right.tolist()[-1], table.verdict()
    (-1.0, 1.0, 'one_sided_differ')
    """
    return OneSidedTable(
        x0=float(data["x0"]),
        f_x0=float(data["f_x0"]),
        h=np.asarray(data["h"], dtype=np.float64),
        left=np.asarray(data["left"], dtype=np.float64),
        right=np.asarray(data["right"], dtype=np.float64),
    )


def tangent_data(
    expr,
    variables: tuple[str, ...],
    var: str,
    x_min: float,
    x_max: float,
    n: int,
    x0: float,
    second: bool = False,
) -> TangentData:
    """f, f' (and f'') on a grid for the browser-side tangent, and the numbers at x0
    (``calc_core.tangent.tangent_data``).

    >>> from calc_core.parser import parse_expression
    >>> data = tangent_data(parse_expression("3x^2 - 4x"), ("x",), "x", 0, 2, 3, 1.0)
    >>> data["df"]["y"], data["point"]["slope"]
    ([-4.0, 2.0, 8.0], 2.0)
    """
    return _expression_task(
        "tangent_data",
        expr,
        variables,
        var,
        float(x_min),
        float(x_max),
        int(n),
        float(x0),
        bool(second),
    )


def tangent_line(expr, variables: tuple[str, ...], var: str, x0: float) -> TangentLine:
    """The exact tangent y = kx + b at x0 and the verdict on differentiability
    (``calc_core.tangent.tangent_line``).

    >>> from calc_core.parser import parse_expression
    >>> tangent_line(parse_expression("3x^2 - 4x"), ("x",), "x", 1.0)["line_latex"]
    '2 x - 3'
    """
    return _expression_task("tangent_line", expr, variables, var, float(x0))


# --- Functions of several variables: the partials and gradient pages -----------------------------------


def partial_derivatives(
    expr, variables: tuple[str, ...], point: tuple[float, ...], with_steps: bool = True
) -> Partials:
    """Every partial derivative of ``expr``: steps (∂ notation), LaTeX, value at ``point``, and the
    difference quotients in that variable alone (``calc_core.multivariate.partial_derivatives``).

    >>> from calc_core.parser import parse_expression
    >>> result = partial_derivatives(parse_expression("x1*x2", ("x1", "x2")), ("x1", "x2"), (2.0, 3.0))
    >>> [p["latex"] for p in result["partials"]], [p["value"] for p in result["partials"]]
    (['x_{2}', 'x_{1}'], [3.0, 2.0])
    """
    point = tuple(float(v) for v in point)
    return _expression_task("partial_derivatives", expr, variables, point, bool(with_steps))


def gradient_field(expr, variables: tuple[str, ...], window: tuple[float, ...], n: int) -> Grid:
    """f, ∂f/∂x₁ and ∂f/∂x₂ on an n × n grid over ``window`` = (x₁ min, x₁ max, x₂ min, x₂ max), as a
    ``calc_core.multivariate.Grid``.

    >>> from calc_core.parser import parse_expression
    >>> grid = gradient_field(parse_expression("x1^2 + x2", ("x1", "x2")), ("x1", "x2"), (0, 1, 0, 1), 3)
    >>> grid.fx[0].tolist(), grid.fy[0].tolist()
    ([0.0, 1.0, 2.0], [1.0, 1.0, 1.0])
    """
    window = tuple(float(v) for v in window)
    return Grid.from_dict(_expression_task("gradient_field", expr, variables, window, int(n)))


def descent_path(
    expr, variables: tuple[str, ...], start: tuple[float, ...], learning_rate: float, steps: int
) -> DescentPath:
    """Gradient descent on ``expr`` from ``start`` (a ``calc_core.multivariate.DescentPath``).

    >>> from calc_core.parser import parse_expression
    >>> path = descent_path(parse_expression("x1^2 + x2^2", ("x1", "x2")), ("x1", "x2"), (1, 1), 0.25, 1)
    >>> path.loss.tolist()
    [2.0, 0.5]
    """
    start = tuple(float(v) for v in start)
    data = _expression_task("descent_path", expr, variables, start, float(learning_rate), int(steps))
    return DescentPath.from_dict(data)


# --- The chain rule page ---------------------------------------------------------------------------------


def split_composite(expr, levels: int = 2) -> CompositeSplit:
    """A composite of x split into outer and inner functions (``calc_core.chain.split_composite``).

    >>> from calc_core.parser import parse_expression
    >>> split_composite(parse_expression("exp(sin(x^2))"), 3)["parts"]
    ['exp(u)', 'sin(v)', 'x^2']
    """
    return run_task("split_composite", _check_evaluation(expr, ("x",)), int(levels))


def chain_of_composition(stages, x0: float) -> OneVariableChain:
    """dy/dx = dy/du · du/dx (…) at x0 (``calc_core.chain.chain_of_composition``).

    ``stages``: (expression, the variable it is written in) per function, outermost first.

    >>> from calc_core.parser import parse_expression
    >>> stages = [(parse_expression("exp(u)", ("u",)), "u"), (parse_expression("2x"), "x")]
    >>> chain_of_composition(stages, 0.0)["product"]
    2.0
    """
    texts = tuple((_check_evaluation(expr, (str(var),)), str(var)) for expr, var in stages)
    return run_task("chain_of_composition", texts, float(x0))


def chain_of_many(outer, outer_variables, inners, inner_variables, point) -> ManyVariableChain:
    """∂y/∂xᵢ = Σⱼ ∂y/∂uⱼ · ∂uⱼ/∂xᵢ with its Jacobians (``calc_core.chain.chain_of_many``).

    >>> from calc_core.parser import parse_expression
    >>> outer = parse_expression("x^2 + y*z", ("x", "y", "z"))
    >>> inners = [parse_expression(t, ("a", "b")) for t in ("a + b", "a*b", "a - b")]
    >>> chain_of_many(outer, ("x", "y", "z"), inners, ("a", "b"), (1.0, 2.0))["sums"]
    [6.0, 3.0]
    """
    return run_task(
        "chain_of_many",
        _check_evaluation(outer, outer_variables),
        tuple(outer_variables),
        tuple(_check_evaluation(inner, inner_variables) for inner in inners),
        tuple(inner_variables),
        tuple(float(value) for value in point),
    )


def computational_graph_of(expr, variables: tuple[str, ...], point: dict[str, float]) -> GraphReport:
    """The computational graph, its forward and backward pass at ``point`` and the sum over paths
    (``calc_core.graph.graph_report`` without SymPy; :func:`graph_partials_of` gives SymPy's check).

    >>> from calc_core.parser import parse_expression
    >>> report = computational_graph_of(parse_expression("x*x"), ("x",), {"x": 3.0})
    >>> report["adjoints"][0], report["partials"][0]["path_count"]
    (6.0, 2)
    """
    at = tuple((name, float(point[name])) for name in variables if name in point)
    return _expression_task("computational_graph_of", expr, variables, at)


def graph_partials_of(expr, variables: tuple[str, ...], point: dict[str, float]) -> list[SymbolicPartial]:
    """SymPy's partial derivatives at ``point``: the check of the backward pass (``graph.with_symbolic``).

    >>> from calc_core.parser import parse_expression
    >>> graph_partials_of(parse_expression("x*x"), ("x",), {"x": 3.0})
    [{'variable': 'x', 'latex': '2 x', 'value': 6.0}]
    """
    at = tuple((name, float(point[name])) for name in variables if name in point)
    return _expression_task("graph_partials_of", expr, variables, at)


def check_answer(
    answer_text: str,
    expected_text: str,
    variables: tuple[str, ...],
    domain_text: str | None = None,
    solve_for: str | None = None,
    seed: int = 0,
) -> AnswerVerdict:
    """The verdict on a student's answer (``calc_core.answers.check_answer``), checked in the sandbox.

    The answer crosses as the student typed it: it is parsed in the worker, so a parse error comes back as
    the verdict ``"not_understood"`` with the error's data, not as an exception. Exceptions are the
    sandbox's own: ``timeout``, ``memory_limit``, ``worker_failed``.

    >>> check_answer("4x", "4x - 4", ("x",))["verdict"]
    'wrong'
    """
    return run_task(
        "check_answer",
        str(answer_text),
        str(expected_text),
        tuple(variables),
        None if domain_text is None else str(domain_text),
        None if solve_for is None else str(solve_for),
        int(seed),
    )


def practice_problems(seed: int, rule: str, level: int, count: int) -> list[PracticeProblem]:
    """A practice set (``calc_core.practice.practice_problems``): problems, their derivatives and LaTeX.

    >>> [p["function"] for p in practice_problems(7, "power", 1, 2)]
    ['6x^4 + 3x', '5x^3']
    """
    return run_task("practice_problems", int(seed), str(rule), int(level), int(count))
