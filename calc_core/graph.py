"""Computational graphs: an expression as typed becomes inputs, operations and an output, and the chain rule
runs on it as backpropagation does.

- :func:`build_graph` (in :mod:`calc_core.graph_builder`) turns a parsed (unevaluated) SymPy tree into a
  :class:`Graph`: plain data, nodes in forward order (every node's inputs come before it; the output is the
  last node). Each operation (value, local derivative, their LaTeX and text) is one record of
  :data:`calc_core.graph_operations.OPERATIONS`, as each elementary function is one row of ``FUNCTIONS``.
- :func:`forward` writes each node's value (Python floats, real numbers only: ``math``, never ``cmath``);
  :func:`local_derivatives` gives each edge's local derivative by a small rule per operation;
  :func:`backward` accumulates each node's gradient (its *adjoint*, ∂f/∂node) in reverse order:
  ∂f/∂v = Σ over the edges v → w of ∂f/∂w · ∂w/∂v. :func:`evaluate` runs all three.
- :func:`paths_to_output` lists every path from an input to the output; the product of the local derivatives
  along a path is that path's share, and the shares add up to the input's gradient (the multivariable
  chain rule, one term per path).

Choices, so that the drawing teaches what a framework does:

- **One node per variable.** A variable used several times is one input with several out-edges, so it
  reaches the output by several paths and its gradient is their sum.
- **Identical subtrees are not merged.** The graph follows the expression as typed, like a framework that
  records each operation as it runs: ``sin(x)*sin(x)`` computes ``sin`` twice, as the code would. So every
  node but an input has exactly one consumer, and a variable has one path per occurrence.
- **Constants are folded.** A subtree without variables is one constant node (``2^(1/2)`` is √2); the
  constant factors of a product and the constant terms of a sum are gathered into one.
- **Subtraction is a signed sum.** ``a - b`` is one ``+`` node whose edge from ``b`` has local derivative
  −1; a minus sign elsewhere (``-sin(x)``) is a negation node. A factor 1 (``1/x``) is dropped.
- **Powers.** A constant exponent belongs to the operation (x², √x, 1/x: one input); a constant base
  with a variable exponent too (2^x, e^x); ``x^y`` with both variable has two inputs.

Real-valued semantics as in ``calc_core.numeric``: odd roots of negative numbers are real
(∛−8 = −2); a value that is not a finite real number is NaN, and :attr:`Pass.undefined_at` names the first
node where that happens. A derivative that does not exist at the point (|x| at 0, √x at 0) is NaN too.

>>> from calc_core.parser import parse_expression
>>> graph = build_graph(parse_expression("x*y + sin(x)", ("x", "y")), ("x", "y"))
>>> [(node.name, node.op, node.inputs) for node in graph.nodes]
[('x', 'input', ()), ('y', 'input', ()), ('v1', 'mul', (0, 1)), ('v2', 'sin', (0,)), ('v3', 'add', (2, 3))]
>>> result = evaluate(graph, {"x": 0.0, "y": 2.0})
>>> result.values[-1], result.adjoints[:2]
(0.0, (3.0, 0.0))
>>> [path_product(path, result.local) for path in paths_to_output(graph, 0)[0]]
[2.0, 1.0]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import sympy

from calc_core.chain import derivative, value_at
from calc_core.graph_builder import Graph, build_graph, subscripted
from calc_core.graph_operations import (
    FUNCTIONS,
    INPUT,
    Node,
    definition_latex,
    definition_text,
    format_number,
    local_derivative_latex,
    node_local_derivatives,
    node_value,
    real_power,
    value_latex,
)
from calc_core.parser import parse_expression
from calc_core.printing import expression_latex
from calc_core.results import GraphReport, SymbolicPartial
from calc_core.task_arguments import finite

__all__ = [
    "FUNCTIONS",
    "MAX_LISTED_PATHS",
    "Graph",
    "Node",
    "Pass",
    "adjoint_known",
    "build_graph",
    "computational_graph_of",
    "definition_latex",
    "definition_text",
    "evaluate",
    "format_number",
    "forward",
    "graph_partials_of",
    "graph_report",
    "local_derivative_latex",
    "path_product",
    "paths_to_output",
    "real_power",
    "symbolic_partials",
    "value_known",
    "walkthrough_focus",
    "walkthrough_steps",
    "with_symbolic",
]

# Paths listed per input (their number is always counted exactly): beyond this a page lists the first ones.
MAX_LISTED_PATHS = 64


@dataclass(frozen=True)
class Pass:
    """The numbers of one forward and backward pass at a point.

    ``local[i][k]``: ∂(node i)/∂(its k-th input). ``adjoints[i]``: ∂(output)/∂(node i). ``undefined_at``:
    the first node whose value is not a finite real number (then local and adjoints are all NaN).
    """

    values: tuple[float, ...]
    local: tuple[tuple[float, ...], ...]
    adjoints: tuple[float, ...]
    undefined_at: int | None

    def gradient(self, graph: Graph) -> dict[str, float]:
        """∂f/∂(each variable): the adjoints of the inputs."""
        return {name: self.adjoints[graph.input_id(name)] for name in graph.variables}


# --- the passes -----------------------------------------------------------------------------------------


def forward(graph: Graph, point: Mapping[str, float]) -> tuple[float, ...]:
    """Every node's value at the point (NaN where it is not a finite real number), in forward order."""
    values: list[float] = []
    for node in graph.nodes:
        if node.op == INPUT:
            values.append(float(point[node.name]))
        else:
            values.append(node_value(node, [values[i] for i in node.inputs]))
    return tuple(v if math.isfinite(v) else math.nan for v in values)


def local_derivatives(graph: Graph, values: tuple[float, ...]) -> tuple[tuple[float, ...], ...]:
    """For each node, ∂node/∂(its k-th input), from the forward values."""
    return tuple(
        tuple(
            d if math.isfinite(d) else math.nan
            for d in node_local_derivatives(node, [values[i] for i in node.inputs], values[node.id])
        )
        for node in graph.nodes
    )


def backward(graph: Graph, local: tuple[tuple[float, ...], ...]) -> tuple[float, ...]:
    """Every node's adjoint ∂f/∂node, in reverse order: 1 at the output, then for each node the sum over the
    edges leaving it, ∂f/∂v = Σ ∂f/∂w · ∂w/∂v (reverse-mode differentiation, as backpropagation runs)."""
    consumers = graph.consumers()
    adjoints = [0.0] * len(graph.nodes)
    for node in reversed(graph.nodes):
        if node.id == graph.output:
            adjoints[node.id] = 1.0
        else:
            adjoints[node.id] = sum(adjoints[w] * local[w][k] for w, k in consumers[node.id])
    return tuple(a if math.isfinite(a) else math.nan for a in adjoints)


def evaluate(graph: Graph, point: Mapping[str, float]) -> Pass:
    """The forward pass, the local derivatives and the backward pass at ``point`` (values by variable name).

    >>> from calc_core.parser import parse_expression
    >>> graph = build_graph(parse_expression("sqrt(x)"), ("x",))
    >>> evaluate(graph, {"x": 4.0}).adjoints[0], evaluate(graph, {"x": -1.0}).undefined_at
    (0.25, 1)
    """
    values = forward(graph, point)
    undefined_at = next((i for i, v in enumerate(values) if math.isnan(v)), None)
    if undefined_at is not None:
        nan = math.nan
        local = tuple(tuple(nan for _ in node.inputs) for node in graph.nodes)
        return Pass(values, local, tuple(nan for _ in graph.nodes), undefined_at)
    local = local_derivatives(graph, values)
    return Pass(values, local, backward(graph, local), None)


# --- the sum over paths --------------------------------------------------------------------------------

Path = tuple[tuple[int, int], ...]  # the edges (consumer id, input index) from an input to the output


def paths_to_output(graph: Graph, start: int, limit: int = MAX_LISTED_PATHS) -> tuple[list[Path], int]:
    """The paths from node ``start`` to the output (at most ``limit`` of them) and how many there are.

    >>> from calc_core.parser import parse_expression
    >>> graph = build_graph(parse_expression("x*x + x"), ("x",))
    >>> paths, count = paths_to_output(graph, 0)
    >>> count, [[graph.nodes[w].name for w, k in path] for path in paths]
    (3, [['v1', 'v2'], ['v1', 'v2'], ['v2']])
    """
    consumers = graph.consumers()
    counts = [0] * len(graph.nodes)
    for node in reversed(graph.nodes):
        counts[node.id] = 1 if node.id == graph.output else sum(counts[w] for w, _ in consumers[node.id])
    found: list[Path] = []

    def walk(node_id: int, so_far: Path) -> None:
        if len(found) >= limit:
            return
        if node_id == graph.output:
            found.append(so_far)
            return
        for w, k in consumers[node_id]:
            walk(w, (*so_far, (w, k)))

    walk(start, ())
    return found, counts[start]


def path_product(path: Path, local: tuple[tuple[float, ...], ...]) -> float:
    """The product of the local derivatives along a path: that path's share of the gradient."""
    return math.prod(local[w][k] for w, k in path)


# --- plain text of each node's definition (for drawings, where LaTeX cannot go) --------------------------

# A definition longer than this is drawn as the operation's symbol alone.
MAX_DEFINITION_TEXT = 14


def node_title(node: Node) -> str:
    """The name of a node for drawings: x₁, v₃; a constant's value."""
    return node.label if node.kind != "op" else subscripted(node.name)


# --- the walk-through: one node at a time, forward then backward ---------------------------------------


def walkthrough_steps(node_count: int) -> int:
    """The last step of the walk-through: one step per node forward, then one per node backward."""
    return 2 * node_count


def walkthrough_focus(node_count: int, step: int) -> tuple[str, int | None]:
    """What step ``step`` (0 … 2n) does: ("start", None), ("forward", node) or ("backward", node).

    Forward visits the nodes in order (step k computes node k − 1's value); backward visits them in reverse
    (step n + 1 gives the output its gradient 1, step 2n the first input its gradient).

    >>> [walkthrough_focus(3, step) for step in range(7)]  # doctest: +NORMALIZE_WHITESPACE
    [('start', None), ('forward', 0), ('forward', 1), ('forward', 2), ('backward', 2), ('backward', 1),
     ('backward', 0)]
    """
    step = max(0, min(int(step), walkthrough_steps(node_count)))
    if step == 0:
        return "start", None
    if step <= node_count:
        return "forward", step - 1
    return "backward", 2 * node_count - step


def value_known(node_id: int, step: int) -> bool:
    """Whether the forward pass has reached this node by ``step``."""
    return step >= node_id + 1


def adjoint_known(node_id: int, node_count: int, step: int) -> bool:
    """Whether the backward pass has reached this node by ``step``."""
    return step >= 2 * node_count - node_id


# --- everything a page shows, as plain data -------------------------------------------------------------


def graph_report(
    expr: sympy.Basic, variables: tuple[str, ...], point: Mapping[str, float], symbolic: bool = True
) -> GraphReport:
    r"""The graph of ``expr``, both passes at ``point``, the sum over paths and (``symbolic``) SymPy's check.

    All of it plain data. Keys: ``nodes`` (``Graph.to_dict()``'s, each with ``definition_latex`` in terms of
    its inputs' names, ``numeric_latex`` with their values, ``local_latex`` per input, ``title`` and
    ``definition_text`` for drawings), ``variables``, ``expression_latex``, ``point`` (the inputs' values),
    ``values``, ``local``, ``adjoints``, ``undefined_at``, and ``partials``: per input its ``variable``,
    ``variable_latex``, the ``adjoint``, the number of paths (``path_count``), the first MAX_LISTED_PATHS
    ``paths`` (``edges`` as [consumer, input index] pairs, ``product``), and SymPy's ∂f/∂variable
    (``latex``, ``value`` at the point) with whether it and the adjoint ``agree`` (None without ``symbolic``:
    see :func:`symbolic_partials` and :func:`with_symbolic`, which the page runs as a task of its own, so
    that an expression SymPy takes too long over still gets its graph).

    >>> from calc_core.parser import parse_expression
    >>> report = graph_report(parse_expression("x*y + sin(x)", ("x", "y")), ("x", "y"), {"x": 0.0, "y": 2.0})
    >>> [(p["variable"], p["latex"], p["adjoint"], p["agree"], p["path_count"]) for p in report["partials"]]
    [('x', 'y + \\cos{\\left(x \\right)}', 3.0, True, 2), ('y', 'x', 0.0, True, 1)]
    >>> report["nodes"][2]["definition_latex"], report["nodes"][2]["numeric_latex"]
    ('x \\cdot y', '0 \\cdot 2')
    """
    graph = build_graph(expr, variables)
    at = {name: float(point[name]) for name in graph.variables}
    result = evaluate(graph, at)
    names = [node.latex for node in graph.nodes]
    numbers = [value_latex(v) for v in result.values]
    nodes = graph.to_dict()["nodes"]
    for data, node in zip(nodes, graph.nodes, strict=True):
        operands = [names[i] for i in node.inputs]
        is_op = node.kind == "op"
        data["definition_latex"] = definition_latex(node, operands) if is_op else node.latex
        data["numeric_latex"] = (
            definition_latex(node, [numbers[i] for i in node.inputs]) if is_op else numbers[node.id]
        )
        data["local_latex"] = [local_derivative_latex(node, k, operands) for k in range(len(node.inputs))]
        data["title"] = node_title(node)
        text = definition_text(node, [node_title(graph.nodes[i]) for i in node.inputs]) if is_op else ""
        data["definition_text"] = text if len(text) <= MAX_DEFINITION_TEXT else node.label
    partials = []
    for name in graph.variables:
        paths, count = paths_to_output(graph, graph.input_id(name))
        partials.append(
            {
                "variable": name,
                "variable_latex": graph.nodes[graph.input_id(name)].latex,
                "adjoint": result.adjoints[graph.input_id(name)],
                "path_count": count,
                "paths": [
                    {"edges": [[w, k] for w, k in path], "product": path_product(path, result.local)}
                    for path in paths
                ],
                "latex": None,
                "value": math.nan,
                "agree": None,
            }
        )
    report = {
        "nodes": nodes,
        "variables": list(graph.variables),
        "expression_latex": expression_latex(expr),
        "point": [at[name] for name in graph.variables],
        "values": list(result.values),
        "local": [list(row) for row in result.local],
        "adjoints": list(result.adjoints),
        "undefined_at": result.undefined_at,
        "partials": partials,
    }
    return with_symbolic(report, symbolic_partials(expr, graph.variables, at)) if symbolic else report


def symbolic_partials(
    expr: sympy.Basic, variables: tuple[str, ...], point: Mapping[str, float]
) -> list[SymbolicPartial]:
    r"""SymPy's ∂f/∂v for each of ``variables`` (``latex``) and its float value at ``point`` (``value``).

    >>> from calc_core.parser import parse_expression
    >>> symbolic_partials(parse_expression("x*x"), ("x",), {"x": 3.0})
    [{'variable': 'x', 'latex': '2 x', 'value': 6.0}]
    """
    at = {name: float(value) for name, value in point.items()}
    partials = []
    for name in variables:
        partial = derivative(expr, name)
        partials.append(
            {"variable": name, "latex": expression_latex(partial), "value": value_at(partial, at)}
        )
    return partials


def gradients_agree(adjoint: float, value: float) -> bool:
    """The backward pass's gradient equals SymPy's partial derivative (both real numbers, to rounding)."""
    return (
        math.isfinite(adjoint)
        and math.isfinite(value)
        and math.isclose(adjoint, value, rel_tol=1e-9, abs_tol=1e-12)
    )


def with_symbolic(report: GraphReport, partials: list[SymbolicPartial]) -> GraphReport:
    """A copy of ``report`` with SymPy's partials (:func:`symbolic_partials`) and the check filled in."""
    by_name = {p["variable"]: p for p in partials}
    merged = []
    for data in report["partials"]:
        symbolic = by_name.get(data["variable"])
        if symbolic is None:
            merged.append(data)
            continue
        agree = gradients_agree(data["adjoint"], symbolic["value"])
        merged.append({**data, "latex": symbolic["latex"], "value": symbolic["value"], "agree": agree})
    return {**report, "partials": merged}


# --- the worker tasks of the chain rule page's graph -----------------------------------------------------


def computational_graph_of(
    text: str, variables: tuple[str, ...], point: tuple[tuple[str, float], ...]
) -> GraphReport:
    """:func:`graph_report` of the student's text without SymPy: the graph as typed, both passes, the paths.

    Float arithmetic over the tree only, so even an expression SymPy would take minutes over gets its graph;
    SymPy's check is :func:`graph_partials_of`, a task of its own.

    >>> report = computational_graph_of("x*y + sin(x)", ("x", "y"), (("x", 0.0), ("y", 2.0)))
    >>> [(p["variable"], p["adjoint"], p["path_count"]) for p in report["partials"]]
    [('x', 3.0, 2), ('y', 0.0, 1)]
    """
    at = {name: finite(value) for name, value in point}
    return graph_report(parse_expression(text, variables), variables, at, symbolic=False)


def graph_partials_of(
    text: str, variables: tuple[str, ...], point: tuple[tuple[str, float], ...]
) -> list[SymbolicPartial]:
    """SymPy's ∂f/∂v for every variable the expression uses, and its value at the point
    (:func:`symbolic_partials`), to check the backward pass against.

    >>> graph_partials_of("x*y + sin(x)", ("x", "y", "z"), (("x", 0.0), ("y", 2.0)))[0]["value"]
    3.0
    """
    typed = parse_expression(text, variables)
    used = tuple(name for name in variables if sympy.Symbol(name) in typed.free_symbols)
    at = {name: finite(value) for name, value in point}
    return symbolic_partials(typed, used, at)
