"""Computational graphs: an expression as typed becomes inputs, operations and an output, and the chain rule
runs on it as backpropagation does.

- :func:`build_graph` turns a parsed (unevaluated) SymPy tree into a :class:`Graph`: plain data, nodes in
  forward order (every node's inputs come before it; the output is the last node).
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from string import Template

import sympy

from calc_core.chain import derivative, value_at
from calc_core.parser import format_expression, parse_expression
from calc_core.printing import expression_latex
from calc_core.results import GraphReport, SymbolicPartial
from calc_core.task_arguments import finite

INPUT, CONST = "input", "const"
# Paths listed per input (their number is always counted exactly): beyond this a page lists the first ones.
MAX_LISTED_PATHS = 64
# Exact fractions for exponents only while their numbers stay this small.
_MAX_EXACT_BITS = 64
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclass(frozen=True)
class Node:
    """One node: an input (a variable), a constant, or an operation on earlier nodes.

    ``param``: a constant's value; the exponent of ``pow``; the base of ``expb`` (a^v) and ``logb``.
    ``exact``: the exponent of ``pow`` as a fraction (p, q) when it is one (odd q: a real root of negatives).
    ``signs``: for ``add``, +1 or −1 per input. ``label``: plain text for drawings (the op's symbol, a
    constant's value); ``latex``: the node's name in LaTeX (a constant's value).
    """

    id: int
    op: str
    inputs: tuple[int, ...] = ()
    name: str = ""
    param: float | None = None
    exact: tuple[int, int] | None = None
    signs: tuple[int, ...] = ()
    label: str = ""
    latex: str = ""
    param_latex: str = ""  # the exponent of pow, the base of expb and logb, in LaTeX

    @property
    def kind(self) -> str:
        """``"input"``, ``"const"`` or ``"op"``."""
        return self.op if self.op in (INPUT, CONST) else "op"


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


# --- float arithmetic with real-valued semantics ------------------------------------------------------


def _finite_or_nan(function: Callable[..., float], *args: float) -> float:
    """``function(*args)`` as a float; a domain error or a division by zero gives NaN, overflow ±inf."""
    try:
        return float(function(*args))
    except (ValueError, ZeroDivisionError):
        return math.nan
    except OverflowError:
        return math.inf


def _positive_power(a: float, n: float) -> float:
    try:
        return a**n
    except OverflowError:
        return math.inf
    except ZeroDivisionError:
        return math.nan


def real_power(a: float, n: float, exact: Fraction | None = None) -> float:
    """``a ** n`` on the reals: odd roots of negative numbers are real, 0 to a negative power is NaN.

    >>> (
    ...     real_power(-8.0, 1 / 3, Fraction(1, 3)),
    ...     real_power(-8.0, 2 / 3, Fraction(2, 3)),
    ...     real_power(-8.0, 0.5),
    ... )
    (-2.0, 4.0, nan)
    >>> real_power(-2.0, 3.0), real_power(0.0, -1.0), real_power(0.0, 0.0)
    (-8.0, nan, 1.0)
    """
    if math.isnan(a) or math.isnan(n):
        return math.nan
    if a == 0.0:
        return 0.0 if n > 0 else 1.0 if n == 0 else math.nan
    if a > 0:
        return _positive_power(a, n)
    if exact is not None and exact.denominator % 2 == 1:
        odd = exact.numerator % 2 == 1
    elif math.isfinite(n) and n.is_integer():
        odd = int(n) % 2 == 1
    else:
        return math.nan  # a negative number to a non-integer power is not real
    magnitude = _positive_power(-a, n)
    return -magnitude if odd else magnitude


def _sinh(a: float) -> float:
    return math.sinh(a) if abs(a) < 710 else math.copysign(math.inf, a)


def _acot(a: float) -> float:
    # SymPy's convention: acot(x) = atan(1/x), odd, with acot(0) = pi/2.
    return math.pi / 2 if a == 0 else math.atan(1 / a)


# One row per function of one argument: value, derivative from (input a, value v), label for drawings,
# LaTeX of the value and of the derivative with $a for the input (string.Template: LaTeX keeps its braces).
@dataclass(frozen=True)
class _Function:
    value: Callable[[float], float]
    derivative: Callable[[float, float], float]
    label: str
    latex: str
    derivative_latex: str


def _fn(value, derivative, label: str, latex: str, derivative_latex: str) -> _Function:
    return _Function(value, derivative, label, latex, derivative_latex)


# In the templates: $arg is the operand in parentheses (after a function's name), $a the operand grouped
# for algebra (a sum or a negative number in parentheses), $raw the operand as it is.
FUNCTIONS: dict[str, _Function] = {
    "sin": _fn(math.sin, lambda a, v: math.cos(a), "sin", r"\sin$arg", r"\cos$arg"),
    "cos": _fn(math.cos, lambda a, v: -math.sin(a), "cos", r"\cos$arg", r"-\sin$arg"),
    "tan": _fn(math.tan, lambda a, v: 1 + v * v, "tan", r"\tan$arg", r"\sec^{2}$arg"),
    "cot": _fn(lambda a: 1 / math.tan(a), lambda a, v: -(1 + v * v), "cot", r"\cot$arg", r"-\csc^{2}$arg"),
    "sec": _fn(
        lambda a: 1 / math.cos(a), lambda a, v: v * math.tan(a), "sec", r"\sec$arg", r"\sec$arg \tan$arg"
    ),
    "csc": _fn(
        lambda a: 1 / math.sin(a), lambda a, v: -v / math.tan(a), "csc", r"\csc$arg", r"-\csc$arg \cot$arg"
    ),
    "asin": _fn(
        math.asin,
        lambda a, v: 1 / math.sqrt(1 - a * a),
        "arcsin",
        r"\arcsin$arg",
        r"\frac{1}{\sqrt{1 - $a^{2}}}",
    ),
    "acos": _fn(
        math.acos,
        lambda a, v: -1 / math.sqrt(1 - a * a),
        "arccos",
        r"\arccos$arg",
        r"-\frac{1}{\sqrt{1 - $a^{2}}}",
    ),
    "atan": _fn(math.atan, lambda a, v: 1 / (1 + a * a), "arctan", r"\arctan$arg", r"\frac{1}{1 + $a^{2}}"),
    "acot": _fn(
        _acot, lambda a, v: -1 / (1 + a * a), "arccot", r"\operatorname{arccot}$arg", r"-\frac{1}{1 + $a^{2}}"
    ),
    "asec": _fn(
        lambda a: math.acos(1 / a),
        lambda a, v: 1 / (abs(a) * math.sqrt(a * a - 1)),
        "arcsec",
        r"\operatorname{arcsec}$arg",
        r"\frac{1}{\left|$raw\right| \sqrt{$a^{2} - 1}}",
    ),
    "acsc": _fn(
        lambda a: math.asin(1 / a),
        lambda a, v: -1 / (abs(a) * math.sqrt(a * a - 1)),
        "arccsc",
        r"\operatorname{arccsc}$arg",
        r"-\frac{1}{\left|$raw\right| \sqrt{$a^{2} - 1}}",
    ),
    "sinh": _fn(_sinh, lambda a, v: math.cosh(a), "sinh", r"\sinh$arg", r"\cosh$arg"),
    "cosh": _fn(math.cosh, lambda a, v: _sinh(a), "cosh", r"\cosh$arg", r"\sinh$arg"),
    "tanh": _fn(math.tanh, lambda a, v: 1 - v * v, "tanh", r"\tanh$arg", r"1 - \tanh^{2}$arg"),
    "coth": _fn(
        lambda a: 1 / math.tanh(a), lambda a, v: 1 - v * v, "coth", r"\coth$arg", r"1 - \coth^{2}$arg"
    ),
    "sech": _fn(
        lambda a: 1 / math.cosh(a),
        lambda a, v: -v * math.tanh(a),
        "sech",
        r"\operatorname{sech}$arg",
        r"-\operatorname{sech}$arg \tanh$arg",
    ),
    "csch": _fn(
        lambda a: 1 / _sinh(a),
        lambda a, v: -v / math.tanh(a),
        "csch",
        r"\operatorname{csch}$arg",
        r"-\operatorname{csch}$arg \coth$arg",
    ),
    "asinh": _fn(
        math.asinh,
        lambda a, v: 1 / math.sqrt(a * a + 1),
        "arsinh",
        r"\operatorname{arsinh}$arg",
        r"\frac{1}{\sqrt{$a^{2} + 1}}",
    ),
    "acosh": _fn(
        math.acosh,
        lambda a, v: 1 / math.sqrt(a * a - 1),
        "arcosh",
        r"\operatorname{arcosh}$arg",
        r"\frac{1}{\sqrt{$a^{2} - 1}}",
    ),
    "atanh": _fn(
        math.atanh,
        lambda a, v: 1 / (1 - a * a),
        "artanh",
        r"\operatorname{artanh}$arg",
        r"\frac{1}{1 - $a^{2}}",
    ),
    "acoth": _fn(
        lambda a: math.atanh(1 / a),
        lambda a, v: 1 / (1 - a * a),
        "arcoth",
        r"\operatorname{arcoth}$arg",
        r"\frac{1}{1 - $a^{2}}",
    ),
    "asech": _fn(
        lambda a: math.acosh(1 / a),
        lambda a, v: -1 / (a * math.sqrt(1 - a * a)),
        "arsech",
        r"\operatorname{arsech}$arg",
        r"-\frac{1}{$a \sqrt{1 - $a^{2}}}",
    ),
    "acsch": _fn(
        lambda a: math.asinh(1 / a),
        lambda a, v: -1 / (abs(a) * math.sqrt(1 + a * a)),
        "arcsch",
        r"\operatorname{arcsch}$arg",
        r"-\frac{1}{\left|$raw\right| \sqrt{1 + $a^{2}}}",
    ),
    "exp": _fn(math.exp, lambda a, v: v, "exp", r"e^{$raw}", r"e^{$raw}"),
    "log": _fn(math.log, lambda a, v: 1 / a, "ln", r"\ln$arg", r"\frac{1}{$raw}"),
    "abs": _fn(abs, lambda a, v: a / abs(a), "|·|", r"\left|$raw\right|", r"\frac{$raw}{\left|$raw\right|}"),
}


def _fill(template: str, operand: str) -> str:
    return Template(template).substitute(arg=rf"\left({operand}\right)", a=_grouped(operand), raw=operand)


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
            self._append(INPUT, name=name, label=_subscripted(name), latex=sympy.latex(sympy.Symbol(name)))

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
            label = f"log{_subscripted(_constant_label(base))}" if base.is_Integer else "log_b"
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


def _subscripted(name: str) -> str:
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


def format_number(value: float, digits: int = 4) -> str:
    """A number to ``digits`` significant digits, with a true minus sign; NaN as "—".

    >>> format_number(2.0), format_number(-0.5403023), format_number(123456.0), format_number(float("nan"))
    ('2', '−0.5403', '1.235e+05', '—')
    """
    if math.isnan(value):
        return "—"
    text = f"{value:.{digits}g}"
    return text.replace("-", "−") if text.startswith("-") else text


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
            return _finite_or_nan(lambda: int(expr.p) / int(expr.q))
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
            return _finite_or_nan(lambda: math.log(values[0]) / math.log(values[1]))
        return _finite_or_nan(math.log, values[0])
    name = _SYMPY_FUNCTIONS.get(expr.func)
    if name is None or len(values) != 1:
        return math.nan
    return _finite_or_nan(FUNCTIONS[name].value, values[0])


# --- the passes -----------------------------------------------------------------------------------------


def _exact(node: Node) -> Fraction | None:
    return None if node.exact is None else Fraction(*node.exact)


def node_value(node: Node, inputs: list[float]) -> float:
    """The value of one node from the values of its inputs."""
    op = node.op
    if op == CONST:
        return float(node.param)
    if op == "add":
        return (
            math.fsum(s * v for s, v in zip(node.signs, inputs, strict=True))
            if all(math.isfinite(v) for v in inputs)
            else sum(s * v for s, v in zip(node.signs, inputs, strict=True))
        )
    if op == "mul":
        return math.prod(inputs)
    if op == "neg":
        return -inputs[0]
    if op == "pow":
        return real_power(inputs[0], node.param, _exact(node))
    if op == "expb":
        return real_power(node.param, inputs[0])
    if op == "powv":
        return real_power(inputs[0], inputs[1])
    if op == "logb":
        return _finite_or_nan(lambda: math.log(inputs[0]) / math.log(node.param))
    if op == "logv":
        return _finite_or_nan(lambda: math.log(inputs[0]) / math.log(inputs[1]))
    if math.isnan(inputs[0]):
        return math.nan
    return _finite_or_nan(FUNCTIONS[op].value, inputs[0])


def node_local_derivatives(node: Node, inputs: list[float], value: float) -> tuple[float, ...]:
    """∂node/∂(each input) at these values: the rule of the node's operation."""
    op = node.op
    if op == "add":
        return tuple(float(s) for s in node.signs)
    if op == "mul":
        return tuple(math.prod(inputs[:k] + inputs[k + 1 :]) for k in range(len(inputs)))
    if op == "neg":
        return (-1.0,)
    if op == "pow":
        exact = _exact(node)
        n = node.param
        return (n * real_power(inputs[0], n - 1, None if exact is None else exact - 1),)
    if op == "expb":
        return (_finite_or_nan(lambda: value * math.log(node.param)),)
    if op == "powv":
        a, b = inputs
        return (b * real_power(a, b - 1), _finite_or_nan(lambda: value * math.log(a)))
    if op == "logb":
        return (_finite_or_nan(lambda: 1 / (inputs[0] * math.log(node.param))),)
    if op == "logv":
        a, b = inputs
        return (
            _finite_or_nan(lambda: 1 / (a * math.log(b))),
            _finite_or_nan(lambda: -math.log(a) / (b * math.log(b) ** 2)),
        )
    if op in FUNCTIONS:
        return (_finite_or_nan(FUNCTIONS[op].derivative, inputs[0], value),)
    return ()  # inputs and constants have no inputs


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


# --- LaTeX of each node's definition and each edge's local derivative -----------------------------------


def _grouped(tex: str) -> str:
    r"""An operand's LaTeX inside a product or under a power: a negative number or a sum in parentheses.

    >>> _grouped("x"), _grouped("-2"), _grouped("x + 1"), _grouped("v_{3}")
    ('x', '\\left(-2\\right)', '\\left(x + 1\\right)', 'v_{3}')
    """
    compound = tex.startswith("-") or " + " in tex or " - " in tex
    return rf"\left({tex}\right)" if compound else tex


def _number_latex(value: float) -> str:
    return format_number(value, 6).replace("−", "-")


def _exponent_latex(node: Node) -> str:
    if node.exact is None:
        return node.param_latex or _number_latex(node.param)
    p, q = node.exact
    if q == 1:
        return str(p)
    return ("-" if p < 0 else "") + rf"\frac{{{abs(p)}}}{{{q}}}"


def _power_latex(base: str, node: Node) -> str:
    if node.exact == (1, 2):
        return rf"\sqrt{{{base}}}"
    if node.exact == (1, 3):
        return rf"\sqrt[3]{{{base}}}"
    if node.exact == (-1, 1):
        return rf"\frac{{1}}{{{base}}}"
    return rf"{_grouped(base)}^{{{_exponent_latex(node)}}}"


def _base_latex(node: Node) -> str:
    return node.param_latex or ("e" if node.param == math.e else _number_latex(node.param))


def definition_latex(node: Node, operands: list[str]) -> str:
    r"""The node's operation applied to ``operands`` (the LaTeX of its inputs: names, or numbers).

    >>> definition_latex(Node(id=2, op="add", inputs=(0, 1), signs=(1, -1)), ["x", "-3"])
    'x - \\left(-3\\right)'
    >>> print(definition_latex(Node(id=1, op="sin", inputs=(0,)), ["x"]))
    \sin\left(x\right)
    """
    op = node.op
    if op == "add":
        pieces = []
        for sign, operand in zip(node.signs, operands, strict=True):
            if not pieces:
                pieces.append("-" + _grouped(operand) if sign < 0 else operand)
            else:
                pieces.append(("- " if sign < 0 else "+ ") + _grouped(operand))
        return " ".join(pieces)
    if op == "mul":
        return r" \cdot ".join(_grouped(operand) for operand in operands)
    if op == "neg":
        return "-" + _grouped(operands[0])
    if op == "pow":
        return _power_latex(operands[0], node)
    if op == "expb":
        return rf"{_grouped(_base_latex(node))}^{{{operands[0]}}}"
    if op == "powv":
        return rf"{_grouped(operands[0])}^{{{operands[1]}}}"
    if op == "logb":
        return rf"\log_{{{_base_latex(node)}}}\left({operands[0]}\right)"
    if op == "logv":
        return rf"\log_{{{_grouped(operands[1])}}}\left({operands[0]}\right)"
    if op in FUNCTIONS:
        return _fill(FUNCTIONS[op].latex, operands[0])
    return operands[0] if operands else ""


def local_derivative_latex(node: Node, k: int, operands: list[str]) -> str:
    r"""∂node/∂(its k-th input) by the rule of the node's operation, in terms of ``operands``.

    >>> print(local_derivative_latex(Node(id=1, op="sin", inputs=(0,)), 0, ["x"]))
    \cos\left(x\right)
    >>> print(local_derivative_latex(Node(id=3, op="mul", inputs=(0, 1, 2)), 1, ["3", "x", "-2"]))
    3 \cdot \left(-2\right)
    >>> print(local_derivative_latex(Node(id=1, op="pow", inputs=(0,), param=3.0, exact=(3, 1)), 0, ["x"]))
    3 x^{2}
    """
    op = node.op
    if op == "add":
        return "1" if node.signs[k] > 0 else "-1"
    if op == "mul":
        others = [_grouped(o) for i, o in enumerate(operands) if i != k]
        return r" \cdot ".join(others) if others else "1"
    if op == "neg":
        return "-1"
    if op == "pow":
        return _power_derivative_latex(operands[0], node)
    if op == "expb":
        base = _base_latex(node)
        power = rf"{_grouped(base)}^{{{operands[0]}}}"
        return power if base == "e" else rf"{power} \ln {_grouped(base)}"
    if op == "powv":
        a, b = (_grouped(o) for o in operands)
        return rf"{b} \cdot {a}^{{{operands[1]} - 1}}" if k == 0 else rf"{a}^{{{operands[1]}}} \ln {a}"
    if op == "logb":
        return rf"\frac{{1}}{{{_grouped(operands[0])} \ln {_grouped(_base_latex(node))}}}"
    if op == "logv":
        a, b = (_grouped(o) for o in operands)
        if k == 0:
            return rf"\frac{{1}}{{{a} \ln {b}}}"
        return rf"-\frac{{\ln {a}}}{{{b} \left(\ln {b}\right)^{{2}}}}"
    if op in FUNCTIONS:
        return _fill(FUNCTIONS[op].derivative_latex, operands[0])
    return "0"


def _power_derivative_latex(base: str, node: Node) -> str:
    if node.exact == (1, 2):
        return rf"\frac{{1}}{{2 \sqrt{{{base}}}}}"
    if node.exact == (1, 3):
        return rf"\frac{{1}}{{3 \sqrt[3]{{{base}}}^{{2}}}}"
    if node.exact == (-1, 1):
        return rf"-\frac{{1}}{{{_grouped(base)}^{{2}}}}"
    if node.exact is None:
        n = _exponent_latex(node)
        return rf"{n} {_grouped(base)}^{{{n} - 1}}"
    exponent = Fraction(*node.exact)
    coefficient = _exponent_latex(node)
    lowered = exponent - 1
    if lowered == 0:
        return coefficient
    if lowered == 1:
        return rf"{coefficient} {_grouped(base)}"
    reduced = Node(id=node.id, op="pow", param=float(lowered), exact=(lowered.numerator, lowered.denominator))
    return rf"{coefficient} {_power_latex(base, reduced)}"


# --- plain text of each node's definition (for drawings, where LaTeX cannot go) --------------------------

_SUPERSCRIPT_DIGITS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
# A definition longer than this is drawn as the operation's symbol alone.
MAX_DEFINITION_TEXT = 14


def node_title(node: Node) -> str:
    """The name of a node for drawings: x₁, v₃; a constant's value."""
    return node.label if node.kind != "op" else _subscripted(node.name)


def definition_text(node: Node, operands: list[str]) -> str:
    """The node's operation on ``operands`` as plain Unicode text: sin(x), x·y, v₁ + v₂, x², √v₁, 1/y.

    >>> definition_text(Node(id=2, op="add", inputs=(0, 1), signs=(1, -1)), ["v₁", "v₂"])
    'v₁ − v₂'
    >>> definition_text(Node(id=1, op="pow", inputs=(0,), param=2.0, exact=(2, 1)), ["x"])
    'x²'
    """
    op = node.op
    if op == "add":
        text = ""
        for sign, operand in zip(node.signs, operands, strict=True):
            text += (" − " if sign < 0 else " + ") + operand if text else ("−" if sign < 0 else "") + operand
        return text
    if op == "mul":
        return "·".join(operands)
    if op == "neg":
        return "−" + operands[0]
    if op == "pow":
        if node.exact == (1, 2):
            return "√" + operands[0]
        if node.exact == (1, 3):
            return "∛" + operands[0]
        if node.exact == (-1, 1):
            return "1/" + operands[0]
        if node.exact is not None and node.exact[1] == 1:
            return operands[0] + str(node.exact[0]).translate(_SUPERSCRIPT_DIGITS)
        return f"{operands[0]}^{node.label.removeprefix('(·)^')}"
    if op == "expb":
        return node.label.replace("(·)", operands[0])
    if op == "powv":
        return f"{operands[0]}^{operands[1]}"
    if op == "logb":
        return f"{node.label}({operands[0]})"
    if op == "logv":
        return f"log_{operands[1]}({operands[0]})"
    if op == "abs":
        return f"|{operands[0]}|"
    if op in FUNCTIONS:
        return f"{node.label}({operands[0]})"
    return node.label


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
    numbers = [_value_latex(v) for v in result.values]
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


def _value_latex(value: float) -> str:
    """A value as it appears in a formula: six significant digits, negative numbers in parentheses."""
    if math.isnan(value):
        return r"\text{—}"
    return _number_latex(value)


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
