"""Evaluate a SymPy expression on NumPy arrays with real-valued semantics, by walking its tree.

No ``lambdify`` and no ``eval``: each SymPy node type maps to a NumPy function through a dispatch table,
and anything not in the table is refused. The tree may be unevaluated (as the parser builds it, e.g.
``1/3`` as ``Mul(1, Pow(3, -1))``) or an ordinary evaluated SymPy expression.

Real-valued semantics, because the pictures are of real functions:

- a value that is complex, infinite or undefined is NaN (a gap in a plot): ``log(-1)``, ``sqrt(-1)``,
  ``asin(2)``, ``1/0``, and overflow (``exp(1000)``);
- odd roots of negative numbers are real: ``x^(1/3)`` at -8 is -2 and ``x^(2/3)`` at -8 is 4.

Infinities produced by overflow inside the tree are kept until the end, so that ``1/exp(800)`` is 0
rather than a gap; a true singularity (division by zero, ``log(0)``, ``atanh(1)``) is NaN at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import reduce

import numpy as np
import sympy

# A compiled node: takes the variables' arrays (in the order given to compile_numeric), returns an array
# or a NumPy scalar (constants stay scalars inside the tree and are broadcast once, at the end).
Evaluator = Callable[[Sequence[np.ndarray]], np.ndarray]

# An exponent is folded to an exact fraction only while its numbers stay this small, so that no input
# can make the exact arithmetic expensive.
_MAX_EXACT_BITS = 256


def compile_numeric(expr: sympy.Expr, variables: Sequence[sympy.Symbol | str]) -> Callable[..., np.ndarray]:
    """Compile ``expr`` to a function of NumPy arrays, one positional argument per variable.

    The result is a float64 array of the broadcast shape of the arguments; NaN marks every point where the
    real function is undefined. A constant expression still gives a full array.

    >>> x = sympy.Symbol("x")
    >>> f = compile_numeric(sympy.root(x, 3) + sympy.log(x), ["x"])
    >>> f(np.array([-8.0, 1.0]))
    array([nan,  1.])
    >>> cube_root = compile_numeric(sympy.cbrt(x), [x])
    >>> float(cube_root(np.array([-8.0]))[0])
    -2.0
    >>> compile_numeric(sympy.pi, ["x"])(np.zeros(3))
    array([3.14159265, 3.14159265, 3.14159265])
    """
    names = [str(v) for v in variables]
    if len(set(names)) != len(names):
        raise ValueError(f"variables must be distinct, got {names}")
    root = _compile(_as_sympy(expr), {name: i for i, name in enumerate(names)})

    def evaluate(*arrays) -> np.ndarray:
        if len(arrays) != len(names):
            raise TypeError(f"expected {len(names)} array(s) for {names}, got {len(arrays)}")
        values = [np.asarray(a, dtype=np.float64) for a in arrays]
        shape = np.broadcast_shapes(*(v.shape for v in values))
        with np.errstate(all="ignore"):
            result = np.broadcast_to(root(values), shape).astype(np.float64)
        result[~np.isfinite(result)] = np.nan
        return result

    return evaluate


def _as_sympy(expr) -> sympy.Basic:
    # Never sympify a string: SymPy's string parser calls eval.
    if isinstance(expr, sympy.Basic):
        return expr
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        return sympy.Integer(expr) if isinstance(expr, int) else sympy.Float(expr)
    raise TypeError(f"expected a SymPy expression, got {type(expr).__name__}")


def _compile(node: sympy.Basic, positions: dict[str, int]) -> Evaluator:
    if not node.free_symbols:
        return _compile_constant(node, positions)
    if isinstance(node, sympy.Symbol):
        return _compile_symbol(node, positions)
    if isinstance(node, sympy.Pow):
        return _compile_power(node, positions)
    combine = _combiner(node)
    args = [_compile(arg, positions) for arg in node.args]
    return lambda values: combine(*(arg(values) for arg in args))


def _compile_symbol(node: sympy.Symbol, positions: dict[str, int]) -> Evaluator:
    if node.name not in positions:
        raise ValueError(f"symbol {node.name!r} is not among the variables {sorted(positions)}")
    index = positions[node.name]
    return lambda values: values[index]


def _compile_constant(node: sympy.Basic, positions: dict[str, int]) -> Evaluator:
    """Fold a subtree without variables to one NumPy scalar, evaluated the same way as the rest."""
    with np.errstate(all="ignore"):
        if node.is_Atom:
            value = _atom_value(node)
        elif isinstance(node, sympy.Pow):
            value = _compile_power(node, positions)([])
        else:
            value = _combiner(node)(*(_compile_constant(arg, positions)([]) for arg in node.args))
    value = np.float64(value)
    return lambda values: value


def _atom_value(node: sympy.Basic) -> np.float64:
    if any(node is special for special in (sympy.zoo, sympy.nan, sympy.I)):
        # Complex or undefined numbers (an evaluated 1/0 is zoo) are gaps in a real picture.
        return np.float64(np.nan)
    if isinstance(node, (sympy.Number, sympy.NumberSymbol)):
        return np.float64(float(node))  # float() of a huge Integer is inf, which ends as NaN
    raise ValueError(f"cannot evaluate {type(node).__name__} ({node}) numerically")


def _combiner(node: sympy.Basic) -> Callable[..., np.ndarray]:
    kind = type(node)
    if kind is sympy.log and len(node.args) == 2:
        return _log_with_base
    if kind in _FUNCTIONS:
        return _FUNCTIONS[kind]
    raise ValueError(f"cannot evaluate {kind.__name__} ({node}) numerically: not in the allowed set")


def _compile_power(node: sympy.Pow, positions: dict[str, int]) -> Evaluator:
    base_node, exponent_node = node.args
    base = _compile(base_node, positions)
    exact = _exact_fraction(exponent_node)
    if exact is not None and exact.denominator % 2 == 1 and exact.denominator > 1:
        return lambda values: _odd_root_power(base(values), exact)
    exponent = _compile(exponent_node, positions)
    return lambda values: _real_power(base(values), exponent(values))


def _odd_root_power(base: np.ndarray, exponent: Fraction) -> np.ndarray:
    """``base ** (p/q)`` for odd q, real for negative bases: (-8)^(1/3) = -2, (-8)^(2/3) = 4."""
    # Root first, then the integer power, exact for perfect powers: (-8)^(2/3) is 4, not 3.9999999999999996.
    p, q = exponent.numerator, exponent.denominator
    root = np.cbrt(np.abs(base)) if q == 3 else np.power(np.abs(base), 1.0 / q)
    magnitude = np.power(root, np.float64(p))
    if p % 2 == 1:
        magnitude = np.sign(base) * magnitude
    return _nan_where_zero_divides(base, magnitude, exponent < 0)


def _real_power(base: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    # np.power already gives NaN for a negative base and a non-integer exponent, and real values for
    # integer exponents; only 0 to a negative power (a division by zero) needs care.
    return _nan_where_zero_divides(base, np.power(base, exponent), np.less(exponent, 0))


def _nan_where_zero_divides(base, result, negative_exponent) -> np.ndarray:
    return np.where(np.equal(base, 0) & negative_exponent, np.nan, result)


def _exact_fraction(node: sympy.Basic) -> Fraction | None:
    """The exact value of a rational constant subtree (``Mul(2, Pow(6, -1))`` is 1/3), else None."""
    if isinstance(node, sympy.Rational):
        return Fraction(int(node.p), int(node.q))
    if isinstance(node, (sympy.Add, sympy.Mul)):
        parts = [_exact_fraction(arg) for arg in node.args]
        if any(part is None for part in parts) or any(_too_big(part) for part in parts):
            return None
        return sum(parts, Fraction(0)) if isinstance(node, sympy.Add) else math.prod(parts, start=Fraction(1))
    if isinstance(node, sympy.Pow):
        return _exact_integer_power(*node.args)
    return None


def _exact_integer_power(base_node: sympy.Basic, exponent_node: sympy.Basic) -> Fraction | None:
    base, exponent = _exact_fraction(base_node), _exact_fraction(exponent_node)
    if base is None or exponent is None or exponent.denominator != 1 or _too_big(base):
        return None
    power = exponent.numerator
    size = max(base.numerator.bit_length(), base.denominator.bit_length())
    if size * abs(power) > _MAX_EXACT_BITS or (base == 0 and power < 0):
        return None
    return base**power


def _too_big(value: Fraction) -> bool:
    return max(value.numerator.bit_length(), value.denominator.bit_length()) > _MAX_EXACT_BITS


def _log_with_base(value: np.ndarray, base: np.ndarray) -> np.ndarray:
    return np.divide(_log(value), _nonzero(_log(base)))


def _log(value: np.ndarray) -> np.ndarray:
    # log(0) is -inf in NumPy; for the real function it is undefined.
    return np.log(_nan_unless(np.greater(value, 0), value))


def _reciprocal(value: np.ndarray) -> np.ndarray:
    return np.divide(1.0, _nonzero(value))


def _nonzero(value: np.ndarray) -> np.ndarray:
    return _nan_unless(np.not_equal(value, 0), value)


def _nan_unless(keep: np.ndarray, value: np.ndarray) -> np.ndarray:
    return np.where(keep, value, np.nan)


def _atanh(value: np.ndarray) -> np.ndarray:
    # atanh(±1) is ±inf in NumPy: a singularity, not an overflow.
    return np.arctanh(_nan_unless(np.abs(value) != 1, value))


def _acot(value: np.ndarray) -> np.ndarray:
    # SymPy's convention: acot(x) = atan(1/x), odd, with acot(0) = pi/2.
    return np.where(np.equal(value, 0), np.pi / 2, np.arctan(_reciprocal(value)))


def _add(*terms: np.ndarray) -> np.ndarray:
    return reduce(np.add, terms)


def _multiply(*factors: np.ndarray) -> np.ndarray:
    return reduce(np.multiply, factors)


def _reciprocal_of(function: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """v ↦ 1/function(v): cot = 1/tan, sec = 1/cos, csc = 1/sin, and their hyperbolic kin."""
    return lambda v: _reciprocal(function(v))


def _at_reciprocal(function: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """v ↦ function(1/v): asec(v) = acos(1/v), acsc(v) = asin(1/v), and their hyperbolic kin."""
    return lambda v: function(_reciprocal(v))


_RECIPROCALS = {
    sympy.cot: np.tan,
    sympy.sec: np.cos,
    sympy.csc: np.sin,
    sympy.coth: np.tanh,
    sympy.sech: np.cosh,
    sympy.csch: np.sinh,
}
_INVERSE_RECIPROCALS = {
    sympy.asec: np.arccos,
    sympy.acsc: np.arcsin,
    sympy.acoth: _atanh,
    sympy.asech: np.arccosh,
    sympy.acsch: np.arcsinh,
}
_FUNCTIONS: dict[type, Callable[..., np.ndarray]] = {
    sympy.Add: _add,
    sympy.Mul: _multiply,
    sympy.Abs: np.abs,
    sympy.sign: np.sign,  # appears in evaluated derivatives of Abs of a real variable
    sympy.exp: np.exp,
    sympy.log: _log,
    sympy.sin: np.sin,
    sympy.cos: np.cos,
    sympy.tan: np.tan,
    sympy.asin: np.arcsin,
    sympy.acos: np.arccos,
    sympy.atan: np.arctan,
    sympy.acot: _acot,
    sympy.sinh: np.sinh,
    sympy.cosh: np.cosh,
    sympy.tanh: np.tanh,
    sympy.asinh: np.arcsinh,
    sympy.acosh: np.arccosh,
    sympy.atanh: _atanh,
    **{kind: _reciprocal_of(partner) for kind, partner in _RECIPROCALS.items()},
    **{kind: _at_reciprocal(partner) for kind, partner in _INVERSE_RECIPROCALS.items()},
}
