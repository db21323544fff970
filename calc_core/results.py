"""The shapes of the worker tasks' results: what a page may index, one TypedDict per result.

Results cross the worker's process boundary as plain dicts (str, numbers, None, lists, dicts): that stays
so, a TypedDict is a dict at run time. These declare their keys, so a view can be read, annotated and
type-checked against them, and a key renamed here shows every reader. Each topic module annotates its task
with the shape it returns; ``calc_core.service`` returns the same shapes (or the objects built from them).

A leaf module: nothing but typing.

>>> from calc_core.expressions import differentiate_expression
>>> sorted(Derivative.__annotations__) == sorted(differentiate_expression("x^2", ("x",), "x"))
True
"""

from __future__ import annotations

from typing import Any, TypedDict

# --- one expression (calc_core.expressions) ------------------------------------------------------------


class Evaluation(TypedDict):
    free_variables: list[str]


class Description(TypedDict):
    latex: str  # as typed
    latex_evaluated: str
    free_variables: list[str]


class Derivative(TypedDict):
    latex: str
    text: str  # as SymPy prints it (``3*x**2``)


class CurveData(TypedDict):
    """``calc_core.sampling.SampledCurve.to_dict()``: None marks a gap."""

    x: list[float]
    y: list[float | None]
    segment: list[int]
    y_limits: list[float] | None


class CurveValues(TypedDict):
    """A curve on a grid whose x the result gives once (``TangentData.x``)."""

    y: list[float | None]
    segment: list[int]
    y_limits: list[float] | None


# --- derivation steps (calc_core.steps, calc_core.step_latex) ------------------------------------------


class StepPart(TypedDict):
    name: str
    latex: str


class StepData(TypedDict):
    """``calc_core.step_latex.step_to_dict``: one step and, recursively, its substeps."""

    rule: str
    var: str
    function: str | None
    substitution: str | None
    expr_latex: str
    result_latex: str
    expr_text: str | None
    result_text: str | None
    formula: str
    application: str
    parts: list[StepPart]
    inner_latex: str | None
    outer_latex: str | None
    undefined_where_latex: str | None
    substeps: list[StepData]


# --- the limits page (calc_core.derivative_limits) -----------------------------------------------------


class LimitSide(TypedDict):
    latex: str
    value: float | None
    kind: str  # "finite", "+oo", "-oo", "no_limit", "undefined", "unknown"


class ExactNumber(TypedDict):
    latex: str
    value: float


class DerivativeLimit(TypedDict):
    """``exact_derivative_limit``: SymPy's one-sided limits of the difference quotient at x0."""

    x0: str  # LaTeX
    f_x0: ExactNumber | None
    verdict: str  # one of calc_core.limits.VERDICTS
    left: LimitSide | None
    right: LimitSide | None
    derivative: LimitSide | None


class D2LTable(TypedDict):
    h: list[float]
    value: list[float]


class ErrorTableData(TypedDict):
    x0: float
    exact: float
    f_x0: float
    h: list[float]
    estimate: dict[str, list[float]]  # per scheme (calc_core.limits.SCHEMES)
    error: dict[str, list[float]]
    second: float
    third: float


class OneSidedData(TypedDict):
    x0: float
    h: list[float]
    left: list[float]
    right: list[float]
    f_x0: float
    verdict: str


class SecantData(TypedDict):
    h: list[float]
    x: list[float]
    y: list[float]


class LimitTables(TypedDict):
    x0: float
    f_x0: float
    d2l: D2LTable
    errors: ErrorTableData | None
    one_sided: OneSidedData
    secant: SecantData
    curve: CurveData


# --- the rules page (calc_core.tangent) ----------------------------------------------------------------


class TangentPoint(TypedDict):
    x0: float
    f_x0: float | None
    slope: float | None
    verdict: str


class TangentData(TypedDict):
    x: list[float]
    f: CurveValues
    df: CurveValues | None
    d2f: CurveValues | None
    point: TangentPoint


class TangentLine(DerivativeLimit):
    """:class:`DerivativeLimit` and the line y = kx + b (None unless the verdict is differentiable)."""

    slope: ExactNumber | None
    intercept: ExactNumber | None
    line_latex: str | None


# --- the partials and gradient pages (calc_core.multivariate) ------------------------------------------


class PartialEntry(TypedDict):
    var: str
    latex: str
    text: str
    value: float | None
    quotients: list[float]
    steps: StepData | None


class Partials(TypedDict):
    variables: list[str]
    point: list[float]
    f_value: float | None
    steps_h: list[float]
    partials: list[PartialEntry]


class GridData(TypedDict):
    """``calc_core.multivariate.Grid.to_dict()``."""

    x: Any
    y: Any
    f: Any
    fx: Any
    fy: Any


class DescentData(TypedDict):
    """``calc_core.multivariate.DescentPath.to_dict()``."""

    points: Any
    loss: Any
    gradient_norm: Any
    learning_rate: float
    status: str


# --- the chain rule page (calc_core.chain, calc_core.graph) --------------------------------------------


class CompositeSplit(TypedDict):
    parts: list[str] | None  # parser text, outermost first


class ChainFunction(TypedDict):
    latex: str
    derivative_latex: str
    value: float
    argument_value: float
    slope: float


class Nudge(TypedDict):
    dx: float
    actual: list[float]
    estimate: list[float]


class OneVariableChain(TypedDict):
    outputs: list[str]
    arguments: list[str]
    functions: list[ChainFunction]
    composite_latex: str
    chain_latex: str
    chain_result_latex: str
    direct_latex: str
    x0: float
    y0: float
    product: float
    direct_value: float
    agree: bool
    nudges: list[Nudge]


class ManyVariableChain(TypedDict):
    outer_variables: list[str]
    inner_variables: list[str]
    outer_latex: str
    inner_latex: list[str]
    composite_latex: str
    dy_du_latex: list[str]
    du_dx_latex: list[list[str]]
    sum_latex: list[str]
    direct_latex: list[str]
    jacobian_outer_latex: str
    jacobian_inner_latex: str
    jacobian_product_latex: str
    point: list[float]
    u_values: list[float]
    dy_du: list[float]
    du_dx: list[list[float]]
    terms: list[list[float]]
    sums: list[float]
    direct: list[float]
    agree: list[bool]


class GraphNode(TypedDict):
    id: int
    op: str
    kind: str  # "input", "const", "op"
    inputs: list[int]
    name: str
    label: str
    latex: str
    definition_latex: str
    numeric_latex: str
    local_latex: list[str]
    title: str
    definition_text: str


class GraphPath(TypedDict):
    edges: list[list[int]]  # [consumer id, input index]
    product: float


class GraphPartial(TypedDict):
    variable: str
    variable_latex: str
    adjoint: float
    path_count: int
    paths: list[GraphPath]
    latex: str | None  # SymPy's ∂f/∂variable, once merged (calc_core.graph.with_symbolic)
    value: float
    agree: bool | None


class GraphReport(TypedDict):
    nodes: list[GraphNode]
    variables: list[str]
    expression_latex: str
    point: list[float]
    values: list[float]
    local: list[list[float]]
    adjoints: list[float]
    undefined_at: int | None
    partials: list[GraphPartial]


class SymbolicPartial(TypedDict):
    variable: str
    latex: str
    value: float


# --- the exercises page (calc_core.answers, calc_core.practice) ----------------------------------------


class AnswerVerdict(TypedDict, total=False):
    """``calc_core.answers.check_answer``: ``verdict`` always, the other keys as the verdict needs them."""

    verdict: str  # one of calc_core.answers.VERDICTS
    reason: str
    error: dict | None  # ExpressionError.to_dict() of a parse error
    answer_text: str | None
    notes: list[dict]  # calc_core.parser.parse_with_notes's notes on the answer (1e-3 read as 0.001, …)
    point: list[float]
    expected_value: float
    answer_value: float
    proved: bool
    points_checked: int
    simplest_latex: str


class PracticeProblem(TypedDict):
    index: int
    rule: str
    level: int
    function: str  # parser input in x
    derivative: str
    function_latex: str
    derivative_latex: str
