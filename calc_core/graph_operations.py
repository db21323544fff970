"""The operations of a computational graph, one record each: value, local derivative, their LaTeX, and text.

A node (:class:`Node`) is an input, a constant, or an operation on earlier nodes. Each operation is one
:class:`Operation` in :data:`OPERATIONS`, as each elementary function is one row of :data:`FUNCTIONS`:

- ``value(node, inputs)``: the node's value from its inputs' values (real numbers; NaN where undefined);
- ``local(node, inputs, value)``: ∂node/∂(each input) at those values;
- ``latex(node, operands)``: the node's definition in terms of its operands' LaTeX (names or numbers);
- ``local_latex(node, k, operands)``: ∂node/∂(its k-th input) in LaTeX;
- ``text(node, operands)``: the definition as plain Unicode, for drawings where LaTeX cannot go.

Adding an operation is adding one record (and, in :mod:`calc_core.graph`, the builder's case that makes it).

>>> add = Node(id=2, op="add", inputs=(0, 1), signs=(1, -1))
>>> OPERATIONS["add"].value(add, [5.0, 3.0]), definition_latex(add, ["x", "y"])
(2.0, 'x - y')
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from string import Template

INPUT, CONST = "input", "const"


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


# --- float arithmetic with real-valued semantics ------------------------------------------------------


def finite_or_nan(function: Callable[..., float], *args: float) -> float:
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


def format_number(value: float, digits: int = 4) -> str:
    """A number to ``digits`` significant digits, with a true minus sign; NaN as "—".

    >>> format_number(2.0), format_number(-0.5403023), format_number(123456.0), format_number(float("nan"))
    ('2', '−0.5403', '1.235e+05', '—')
    """
    if math.isnan(value):
        return "—"
    text = f"{value:.{digits}g}"
    return text.replace("-", "−") if text.startswith("-") else text


# --- LaTeX and text pieces -------------------------------------------------------------------------------


def _grouped(tex: str) -> str:
    r"""An operand's LaTeX inside a product or under a power: a negative number or a sum in parentheses.

    >>> _grouped("x"), _grouped("-2"), _grouped("x + 1"), _grouped("v_{3}")
    ('x', '\\left(-2\\right)', '\\left(x + 1\\right)', 'v_{3}')
    """
    compound = tex.startswith("-") or " + " in tex or " - " in tex
    return rf"\left({tex}\right)" if compound else tex


def _number_latex(value: float) -> str:
    return format_number(value, 6).replace("−", "-")


def value_latex(value: float) -> str:
    r"""A value as it appears in a formula: six significant digits, a hyphen-minus, NaN as a dash.

    >>> print(value_latex(-0.5), value_latex(float("nan")))
    -0.5 \text{—}
    """
    if math.isnan(value):
        return r"\text{—}"
    return _number_latex(value)


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


def _exact(node: Node) -> Fraction | None:
    return None if node.exact is None else Fraction(*node.exact)


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


# --- one record per operation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """What an operation computes and how it is shown: see the module's docstring."""

    value: Callable[[Node, list[float]], float]
    local: Callable[[Node, list[float], float], tuple[float, ...]]
    latex: Callable[[Node, list[str]], str]
    local_latex: Callable[[Node, int, list[str]], str]
    text: Callable[[Node, list[str]], str]


def _add_value(node: Node, inputs: list[float]) -> float:
    terms = [s * v for s, v in zip(node.signs, inputs, strict=True)]
    return math.fsum(terms) if all(math.isfinite(v) for v in inputs) else sum(terms)


def _add_latex(node: Node, operands: list[str]) -> str:
    pieces = []
    for sign, operand in zip(node.signs, operands, strict=True):
        if not pieces:
            pieces.append("-" + _grouped(operand) if sign < 0 else operand)
        else:
            pieces.append(("- " if sign < 0 else "+ ") + _grouped(operand))
    return " ".join(pieces)


def _add_text(node: Node, operands: list[str]) -> str:
    text = ""
    for sign, operand in zip(node.signs, operands, strict=True):
        text += (" − " if sign < 0 else " + ") + operand if text else ("−" if sign < 0 else "") + operand
    return text


def _mul_local_latex(node: Node, k: int, operands: list[str]) -> str:
    others = [_grouped(o) for i, o in enumerate(operands) if i != k]
    return r" \cdot ".join(others) if others else "1"


def _pow_local(node: Node, inputs: list[float], value: float) -> tuple[float, ...]:
    exact = _exact(node)
    n = node.param
    return (n * real_power(inputs[0], n - 1, None if exact is None else exact - 1),)


def _pow_text(node: Node, operands: list[str]) -> str:
    special = {(1, 2): "√", (1, 3): "∛", (-1, 1): "1/"}
    if node.exact in special:
        return special[node.exact] + operands[0]
    if node.exact is not None and node.exact[1] == 1:
        return operands[0] + str(node.exact[0]).translate(_SUPERSCRIPT_DIGITS)
    return f"{operands[0]}^{node.label.removeprefix('(·)^')}"


def _expb_local_latex(node: Node, k: int, operands: list[str]) -> str:
    base = _base_latex(node)
    power = rf"{_grouped(base)}^{{{operands[0]}}}"
    return power if base == "e" else rf"{power} \ln {_grouped(base)}"


def _powv_local(node: Node, inputs: list[float], value: float) -> tuple[float, ...]:
    a, b = inputs
    return (b * real_power(a, b - 1), finite_or_nan(lambda: value * math.log(a)))


def _powv_local_latex(node: Node, k: int, operands: list[str]) -> str:
    a, b = (_grouped(o) for o in operands)
    return rf"{b} \cdot {a}^{{{operands[1]} - 1}}" if k == 0 else rf"{a}^{{{operands[1]}}} \ln {a}"


def _logv_local(node: Node, inputs: list[float], value: float) -> tuple[float, ...]:
    a, b = inputs
    return (
        finite_or_nan(lambda: 1 / (a * math.log(b))),
        finite_or_nan(lambda: -math.log(a) / (b * math.log(b) ** 2)),
    )


def _logv_local_latex(node: Node, k: int, operands: list[str]) -> str:
    a, b = (_grouped(o) for o in operands)
    if k == 0:
        return rf"\frac{{1}}{{{a} \ln {b}}}"
    return rf"-\frac{{\ln {a}}}{{{b} \left(\ln {b}\right)^{{2}}}}"


def _function_operation(name: str) -> Operation:
    """The record of an elementary function, from its row of :data:`FUNCTIONS`."""
    row = FUNCTIONS[name]
    return Operation(
        value=lambda node, inputs: math.nan if math.isnan(inputs[0]) else finite_or_nan(row.value, inputs[0]),
        local=lambda node, inputs, value: (finite_or_nan(row.derivative, inputs[0], value),),
        latex=lambda node, operands: _fill(row.latex, operands[0]),
        local_latex=lambda node, k, operands: _fill(row.derivative_latex, operands[0]),
        text=lambda node, operands: f"|{operands[0]}|" if name == "abs" else f"{node.label}({operands[0]})",
    )


OPERATIONS: dict[str, Operation] = {
    # a signed sum: v = Σ sᵢ·aᵢ
    "add": Operation(
        value=_add_value,
        local=lambda node, inputs, value: tuple(float(s) for s in node.signs),
        latex=_add_latex,
        local_latex=lambda node, k, operands: "1" if node.signs[k] > 0 else "-1",
        text=_add_text,
    ),
    # a product of two or more factors
    "mul": Operation(
        value=lambda node, inputs: math.prod(inputs),
        local=lambda node, inputs, value: tuple(
            math.prod(inputs[:k] + inputs[k + 1 :]) for k in range(len(inputs))
        ),
        latex=lambda node, operands: r" \cdot ".join(_grouped(operand) for operand in operands),
        local_latex=_mul_local_latex,
        text=lambda node, operands: "·".join(operands),
    ),
    # −a
    "neg": Operation(
        value=lambda node, inputs: -inputs[0],
        local=lambda node, inputs, value: (-1.0,),
        latex=lambda node, operands: "-" + _grouped(operands[0]),
        local_latex=lambda node, k, operands: "-1",
        text=lambda node, operands: "−" + operands[0],
    ),
    # a^n, n a constant (param; exact as a fraction when it is one)
    "pow": Operation(
        value=lambda node, inputs: real_power(inputs[0], node.param, _exact(node)),
        local=_pow_local,
        latex=lambda node, operands: _power_latex(operands[0], node),
        local_latex=lambda node, k, operands: _power_derivative_latex(operands[0], node),
        text=_pow_text,
    ),
    # b^a, b a constant (param)
    "expb": Operation(
        value=lambda node, inputs: real_power(node.param, inputs[0]),
        local=lambda node, inputs, value: (finite_or_nan(lambda: value * math.log(node.param)),),
        latex=lambda node, operands: rf"{_grouped(_base_latex(node))}^{{{operands[0]}}}",
        local_latex=_expb_local_latex,
        text=lambda node, operands: node.label.replace("(·)", operands[0]),
    ),
    # a^b, both variable
    "powv": Operation(
        value=lambda node, inputs: real_power(inputs[0], inputs[1]),
        local=_powv_local,
        latex=lambda node, operands: rf"{_grouped(operands[0])}^{{{operands[1]}}}",
        local_latex=_powv_local_latex,
        text=lambda node, operands: f"{operands[0]}^{operands[1]}",
    ),
    # log_b(a), b a constant (param)
    "logb": Operation(
        value=lambda node, inputs: finite_or_nan(lambda: math.log(inputs[0]) / math.log(node.param)),
        local=lambda node, inputs, value: (finite_or_nan(lambda: 1 / (inputs[0] * math.log(node.param))),),
        latex=lambda node, operands: rf"\log_{{{_base_latex(node)}}}\left({operands[0]}\right)",
        local_latex=lambda node, k, operands: (
            rf"\frac{{1}}{{{_grouped(operands[0])} \ln {_grouped(_base_latex(node))}}}"
        ),
        text=lambda node, operands: f"{node.label}({operands[0]})",
    ),
    # log_b(a), both variable
    "logv": Operation(
        value=lambda node, inputs: finite_or_nan(lambda: math.log(inputs[0]) / math.log(inputs[1])),
        local=_logv_local,
        latex=lambda node, operands: rf"\log_{{{_grouped(operands[1])}}}\left({operands[0]}\right)",
        local_latex=_logv_local_latex,
        text=lambda node, operands: f"log_{operands[1]}({operands[0]})",
    ),
    **{name: _function_operation(name) for name in FUNCTIONS},
}


# --- a node's numbers and words, by its operation's record -------------------------------------------------


def node_value(node: Node, inputs: list[float]) -> float:
    """The value of one node from the values of its inputs (a constant's is its own)."""
    if node.op == CONST:
        return float(node.param)
    return OPERATIONS[node.op].value(node, inputs)


def node_local_derivatives(node: Node, inputs: list[float], value: float) -> tuple[float, ...]:
    """∂node/∂(each input) at these values: the rule of the node's operation (none for inputs, constants)."""
    operation = OPERATIONS.get(node.op)
    return () if operation is None else operation.local(node, inputs, value)


def definition_latex(node: Node, operands: list[str]) -> str:
    r"""The node's operation applied to ``operands`` (the LaTeX of its inputs: names, or numbers).

    >>> definition_latex(Node(id=2, op="add", inputs=(0, 1), signs=(1, -1)), ["x", "-3"])
    'x - \\left(-3\\right)'
    >>> print(definition_latex(Node(id=1, op="sin", inputs=(0,)), ["x"]))
    \sin\left(x\right)
    """
    operation = OPERATIONS.get(node.op)
    if operation is None:
        return operands[0] if operands else ""
    return operation.latex(node, operands)


def local_derivative_latex(node: Node, k: int, operands: list[str]) -> str:
    r"""∂node/∂(its k-th input) by the rule of the node's operation, in terms of ``operands``.

    >>> print(local_derivative_latex(Node(id=1, op="sin", inputs=(0,)), 0, ["x"]))
    \cos\left(x\right)
    >>> print(local_derivative_latex(Node(id=3, op="mul", inputs=(0, 1, 2)), 1, ["3", "x", "-2"]))
    3 \cdot \left(-2\right)
    >>> print(local_derivative_latex(Node(id=1, op="pow", inputs=(0,), param=3.0, exact=(3, 1)), 0, ["x"]))
    3 x^{2}
    """
    operation = OPERATIONS.get(node.op)
    return "0" if operation is None else operation.local_latex(node, k, operands)


def definition_text(node: Node, operands: list[str]) -> str:
    """The node's operation on ``operands`` as plain Unicode text: sin(x), x·y, v₁ + v₂, x², √v₁, 1/y.

    >>> definition_text(Node(id=2, op="add", inputs=(0, 1), signs=(1, -1)), ["v₁", "v₂"])
    'v₁ − v₂'
    >>> definition_text(Node(id=1, op="pow", inputs=(0,), param=2.0, exact=(2, 1)), ["x"])
    'x²'
    """
    operation = OPERATIONS.get(node.op)
    return node.label if operation is None else operation.text(node, operands)
