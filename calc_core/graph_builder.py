"""Building a computational graph from an expression as typed: the nodes, their labels, the constants.

:func:`build_graph` turns a parsed (unevaluated) SymPy tree into a :class:`Graph`: plain data, nodes in
forward order (every node's inputs come before it; the output is the last node). What becomes a node, and
why, is told in :mod:`calc_core.graph`; what each operation computes and shows is its record in
:mod:`calc_core.graph_operations`.

>>> from calc_core.parser import parse_expression
>>> [node.op for node in build_graph(parse_expression("x*y + sin(x)", ("x", "y")), ("x", "y")).nodes]
['input', 'input', 'mul', 'sin', 'add']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import sympy

from calc_core.graph_operations import CONST, FUNCTIONS, INPUT, Node, finite_or_nan, format_number, real_power
from calc_core.parser import format_expression
from calc_core.printing import expression_latex

# Exact fractions for exponents only while their numbers stay this small.
_MAX_EXACT_BITS = 64
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclass(frozen=True)
class Graph:
    """Nodes in forward order (a node's inputs have smaller ids); the output is the last node."""

    nodes: tuple[Node, ...]
    variables: tuple[str, ...]  # the inputs, in the order given to build_graph; ids 0, 1, … in that order

    @property
    def output(self) -> int:
        return len(self.nodes) - 1

    def input_id(self, variable: str) -> int:
        return self.variables.index(variable)

    def consumers(self) -> list[list[tuple[int, int]]]:
        """For each node, the edges leaving it: (consumer id, which input of the consumer it is)."""
        out: list[list[tuple[int, int]]] = [[] for _ in self.nodes]
        for node in self.nodes:
            for k, source in enumerate(node.inputs):
                out[source].append((node.id, k))
        return out

    def to_dict(self) -> dict:
        """Plain data (lists, str, numbers, None): it crosses a process boundary."""
        return {
            "variables": list(self.variables),
            "nodes": [
                {
                    "id": node.id,
                    "op": node.op,
                    "kind": node.kind,
                    "inputs": list(node.inputs),
                    "name": node.name,
                    "label": node.label,
                    "latex": node.latex,
                }
                for node in self.nodes
            ],
        }


_SYMPY_FUNCTIONS = {getattr(sympy, name): name for name in FUNCTIONS if name not in ("abs", "log")}
_SYMPY_FUNCTIONS[sympy.Abs] = "abs"


# --- building the graph from the tree ------------------------------------------------------------------


def build_graph(expr: sympy.Basic, variables: tuple[str, ...]) -> Graph:
    """The computational graph of ``expr`` as typed (see the module's notes for what becomes a node).

    ``variables``: the names that may appear; the inputs are those that do, in this order, with ids 0, 1, ….

    >>> from calc_core.parser import parse_expression
    >>> graph = build_graph(parse_expression("3x^2 - 4x"), ("x",))
    >>> [(node.name or node.label, node.label, node.inputs) for node in graph.nodes]
    [('x', 'x', ()), ('3', '3', ()), ('v1', '(·)²', (0,)), ('v2', '×', (1, 2)),
     ('4', '4', ()), ('v3', '×', (4, 0)), ('v4', '−', (3, 5))]
    """
    builder = _Builder(tuple(str(v) for v in variables), {str(s) for s in expr.free_symbols})
    builder.node_of(expr)
    return Graph(tuple(builder.nodes), builder.inputs)


class _Builder:
    def __init__(self, variables: tuple[str, ...], present: set[str]):
        unknown = present - set(variables)
        if unknown:
            raise ValueError(f"symbols {sorted(unknown)} are not among the variables {list(variables)}")
        self.nodes: list[Node] = []
        self.inputs = tuple(name for name in variables if name in present)
        self.operations = 0
        for name in self.inputs:
            self._append(INPUT, name=name, label=subscripted(name), latex=sympy.latex(sympy.Symbol(name)))

    def _append(self, op: str, **fields) -> int:
        node = Node(id=len(self.nodes), op=op, **fields)
        self.nodes.append(node)
        return node.id

    def operation(self, op: str, inputs: tuple[int, ...], label: str, **fields) -> int:
        self.operations += 1
        name = f"v{self.operations}"
        latex = rf"v_{{{self.operations}}}"
        return self._append(op, inputs=inputs, name=name, label=label, latex=latex, **fields)

    def constant(self, expr: sympy.Basic) -> int:
        return self._append(
            CONST, param=constant_value(expr), label=_constant_label(expr), latex=expression_latex(expr)
        )

    def node_of(self, expr: sympy.Basic) -> int:
        if not expr.free_symbols:
            return self.constant(expr)
        if isinstance(expr, sympy.Symbol):
            return self.inputs.index(expr.name)
        if expr.is_Add:
            return self.sum(expr.args)
        if expr.is_Mul:
            return self.product(expr.args)
        if expr.is_Pow:
            return self.power(*expr.args)
        if isinstance(expr, sympy.log):
            return self.logarithm(expr.args)
        name = _SYMPY_FUNCTIONS.get(expr.func)
        if name is None or len(expr.args) != 1:
            raise ValueError(f"{expr.func.__name__} is not an operation of the computational graph")
        argument = self.node_of(expr.args[0])
        return self.operation(name, (argument,), FUNCTIONS[name].label)

    def sum(self, terms) -> int:
        """A signed sum in the typed order; the constant terms gathered into one, where the first stood."""
        constants = [term for term in terms if not term.free_symbols]
        signed: list[tuple[int, sympy.Basic]] = []
        for term in terms:
            if term.free_symbols:
                negative = _is_negation(term)
                signed.append((-1, term.args[1]) if negative else (1, term))
            elif term is constants[0]:
                if len(constants) > 1:
                    signed.append((1, sympy.Add(*constants, evaluate=False)))
                elif term.is_Number and term < 0:
                    signed.append((-1, -term))  # x - 1: a minus edge from the constant 1
                else:
                    signed.append((1, term))
        inputs = tuple(self.node_of(term) for _, term in signed)
        signs = tuple(sign for sign, _ in signed)
        label = "+" if all(s > 0 for s in signs) else "−" if signs == (1, -1) else "±"
        return self.operation("add", inputs, label, signs=signs)

    def product(self, factors) -> int:
        if _is_negation(sympy.Mul(*factors, evaluate=False)):
            return self.operation("neg", (self.node_of(factors[1]),), "−")
        variable = [factor for factor in factors if factor.free_symbols]
        constants = [factor for factor in factors if not factor.free_symbols and factor != 1]
        if len(constants) > 1:
            constants = [sympy.Mul(*constants, evaluate=False)]
        operands = constants + _reciprocals_last(variable)
        if len(operands) == 1:
            return self.node_of(operands[0])
        inputs = tuple(self.node_of(operand) for operand in operands)
        return self.operation("mul", inputs, "×")

    def power(self, base: sympy.Basic, exponent: sympy.Basic) -> int:
        if not exponent.free_symbols:
            exact = exact_fraction(exponent)
            argument = self.node_of(base)
            return self.operation(
                "pow",
                (argument,),
                _power_label(exponent, exact),
                param=constant_value(exponent),
                exact=None if exact is None else (exact.numerator, exact.denominator),
                param_latex=expression_latex(exponent),
            )
        if not base.free_symbols:
            argument = self.node_of(exponent)
            label = "e^(·)" if base == sympy.E else f"{_constant_label(base)}^(·)"
            return self.operation(
                "expb", (argument,), label, param=constant_value(base), param_latex=expression_latex(base)
            )
        return self.operation("powv", (self.node_of(base), self.node_of(exponent)), "(·)^(·)")

    def logarithm(self, args) -> int:
        if len(args) == 1:
            return self.operation("log", (self.node_of(args[0]),), FUNCTIONS["log"].label)
        argument, base = args
        if not base.free_symbols:
            label = f"log{subscripted(_constant_label(base))}" if base.is_Integer else "log_b"
            return self.operation(
                "logb",
                (self.node_of(argument),),
                label,
                param=constant_value(base),
                param_latex=expression_latex(base),
            )
        return self.operation("logv", (self.node_of(argument), self.node_of(base)), "log")


def _is_negation(expr: sympy.Basic) -> bool:
    return expr.is_Mul and len(expr.args) == 2 and expr.args[0] == -1 and not expr.args[1].is_Number


def _is_reciprocal(expr: sympy.Basic) -> bool:
    return expr.is_Pow and expr.exp == -1


def _reciprocals_last(factors: list) -> list:
    """Divisors after the other factors (SymPy may store 1/b first): x/y reads x × (1/y)."""
    return [f for f in factors if not _is_reciprocal(f)] + [f for f in factors if _is_reciprocal(f)]


def subscripted(name: str) -> str:
    """``x1`` as x₁, ``v12`` as v₁₂: digits at the end of a name become subscripts."""
    stem = name.rstrip("0123456789")
    return stem + name[len(stem) :].translate(_SUBSCRIPTS)


_SUPERSCRIPTS = {2: "²", 3: "³", 4: "⁴", -1: "⁻¹", -2: "⁻²"}


def _power_label(exponent: sympy.Basic, exact: Fraction | None) -> str:
    if exact == Fraction(1, 2):
        return "√"
    if exact == Fraction(1, 3):
        return "∛"
    if exact == -1:
        return "1/(·)"
    if exact is not None and exact.denominator == 1 and int(exact) in _SUPERSCRIPTS:
        return "(·)" + _SUPERSCRIPTS[int(exact)]
    text = _constant_label(exponent)
    return f"(·)^({text})" if any(c in text for c in "/+−-·") else f"(·)^{text}"


def _constant_label(expr: sympy.Basic) -> str:
    """Short plain text for a constant: 3, 2/3, π, e, √2; a long one as its value to four digits."""
    exact = exact_fraction(expr)
    if exact is not None and max(len(str(exact.numerator)), len(str(exact.denominator))) <= 6:
        return str(exact) if exact.denominator == 1 else f"{exact.numerator}/{exact.denominator}"
    text = format_expression(expr).replace("pi", "π").replace("*", "·").replace("sqrt", "√")
    if len(text) <= 10:
        return text
    return format_number(constant_value(expr))


def exact_fraction(expr: sympy.Basic) -> Fraction | None:
    """The exact value of a rational constant subtree (``Mul(2, Pow(6, -1))`` is 1/3), else None.

    >>> from calc_core.parser import parse_expression
    >>> exact_fraction(parse_expression("2/6", ())), exact_fraction(parse_expression("pi", ()))
    (Fraction(1, 3), None)
    """
    if isinstance(expr, sympy.Rational):
        value = Fraction(int(expr.p), int(expr.q))
    elif isinstance(expr, sympy.Add | sympy.Mul):
        parts = [exact_fraction(arg) for arg in expr.args]
        if any(part is None for part in parts):
            return None
        value = sum(parts, Fraction(0)) if expr.is_Add else math.prod(parts, start=Fraction(1))
    elif expr.is_Pow:
        base, exponent = exact_fraction(expr.base), exact_fraction(expr.exp)
        if base is None or exponent is None or exponent.denominator != 1 or (base == 0 and exponent < 0):
            return None
        size = max(base.numerator.bit_length(), base.denominator.bit_length())
        if size * abs(exponent.numerator) > _MAX_EXACT_BITS:
            return None
        value = base**exponent.numerator
    else:
        return None
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > _MAX_EXACT_BITS:
        return None
    return value


def constant_value(expr: sympy.Basic) -> float:
    """The float value of a subtree without variables, by the same rules as the graph (NaN if not real).

    >>> from calc_core.parser import parse_expression
    >>> constant_value(parse_expression("2^(1/2)", ())), constant_value(parse_expression("log(-1)", ()))
    (1.4142135623730951, nan)
    """
    if expr.is_Number:
        if expr.is_Rational:
            return finite_or_nan(lambda: int(expr.p) / int(expr.q))
        return float(expr) if expr.is_finite else math.nan  # a Float; zoo and nan are not numbers here
    if expr is sympy.pi:
        return math.pi
    if expr is sympy.E:
        return math.e
    if not expr.args:
        return math.nan  # I, zoo, …: not a real number
    values = [constant_value(arg) for arg in expr.args]
    if expr.is_Add:
        return math.fsum(values) if all(math.isfinite(v) for v in values) else sum(values)
    if expr.is_Mul:
        return math.prod(values)
    if expr.is_Pow:
        return real_power(values[0], values[1], exact_fraction(expr.exp))
    if isinstance(expr, sympy.log):
        if len(values) == 2:
            return finite_or_nan(lambda: math.log(values[0]) / math.log(values[1]))
        return finite_or_nan(math.log, values[0])
    name = _SYMPY_FUNCTIONS.get(expr.func)
    if name is None or len(values) != 1:
        return math.nan
    return finite_or_nan(FUNCTIONS[name].value, values[0])
