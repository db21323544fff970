"""How calc_core prints expressions: a leaf module every topic may import.

- :func:`expression_latex`: LaTeX of an expression, typed (the parser's unevaluated tree keeps what the
  student wrote: ``5 x \\cdot 3 x``) or evaluated, in the app's notation (ln, arcsin, log base b).
- :func:`printable`: an expression whose huge numbers are rounded, so that it can be printed at all.
- How the parser writes a division and a minus sign (:func:`split_division`, :func:`negated`), which the
  printer and the step engine both read.

>>> from calc_core.parser import parse_expression
>>> expression_latex(parse_expression("3x^2 - 4x"))
'3 x^{2} - 4 x'
"""

from __future__ import annotations

import math

import sympy
from sympy.printing.latex import LatexPrinter

from calc_core.parser import evaluated

# Python refuses to print integers of more than 4300 digits (sys.get_int_max_str_digits), and nobody reads
# them: beyond this many digits a number is shown rounded, as a float with FLOAT_DIGITS significant digits.
MAX_EXACT_DIGITS = 1000
FLOAT_DIGITS = 15


# --- reading the expression as typed -----------------------------------------------------------------


def is_reciprocal(factor: sympy.Expr) -> bool:
    """``b**-1``: how the parser writes the divisor of ``a/b``.

    >>> is_reciprocal(sympy.Pow(sympy.Symbol("x"), -1, evaluate=False))
    True
    """
    return factor.is_Pow and factor.exp == -1


def split_division(factors: tuple) -> tuple[list, list]:
    """The factors of a typed product as (numerator factors, divisors): ``a/b*c`` gives ``([a, c], [b])``.

    The first factor always belongs to the numerator, so ``x^-1*sin(x)`` is a product, not a division.

    >>> x = sympy.Symbol("x")
    >>> split_division((x, sympy.Pow(x + 1, -1, evaluate=False), sympy.sin(x)))
    ([x, sin(x)], [x + 1])
    """
    numerator = [factors[0], *(f for f in factors[1:] if not is_reciprocal(f))]
    divisors = [f.base for f in factors[1:] if is_reciprocal(f)]
    return numerator, divisors


def negated(expr: sympy.Expr) -> tuple[bool, sympy.Expr]:
    """``(True, a)`` for a typed ``-a``, else ``(False, expr)``.

    >>> x = sympy.Symbol("x")
    >>> negated(sympy.Mul(-1, sympy.sin(x), evaluate=False)), negated(x)
    ((True, sin(x)), (False, x))
    """
    if expr.is_Mul and len(expr.args) == 2 and expr.args[0] == -1:
        return True, expr.args[1]
    return False, expr


# --- LaTeX that shows what the student typed -----------------------------------------------------------


def _as_typed(expr: sympy.Expr) -> bool:
    """True when SymPy would have built this node differently (``5*x*3*x``, ``3x^2 - 4x``)."""
    return expr.func(*expr.args) != expr


class _TypedLatexPrinter(LatexPrinter):
    """SymPy's LaTeX, except that a typed sum keeps its order and a typed product its factors."""

    def __init__(self):
        super().__init__({"inv_trig_style": "full", "ln_notation": True})

    def _print_Add(self, expr, order=None):
        return super()._print_Add(expr, order="none" if _as_typed(expr) else order)

    def _print_Mul(self, expr):
        if not expr.is_Mul or not _as_typed(expr):  # SymPy prints 1/b through _print_Mul too
            return super()._print_Mul(expr)
        numerator, divisors = split_division(expr.args)
        if divisors:
            return rf"\frac{{{self._print_factors(numerator)}}}{{{self._print_factors(divisors)}}}"
        return self._print_factors(list(expr.args))

    def _print_factors(self, factors: list) -> str:
        if len(factors) > 1 and factors[0] == -1:
            return "- " + self._print_factors(factors[1:])
        pieces = []
        for factor in factors:
            piece = self._print(factor)
            grouped = (factor.is_Add or factor.is_Mul) and not piece.startswith(r"\frac")
            if (len(factors) > 1 and grouped) or (pieces and piece.startswith("-")):
                piece = rf"\left({piece}\right)"
            pieces.append(piece)
        tex = pieces[0]
        for previous, piece in zip(pieces, pieces[1:], strict=False):
            # "5 x \cdot 3 x", "2 \cdot \frac{1}{3}", "x \cdot x": where juxtaposition would mislead
            misleading = piece[0].isdigit() or piece.startswith(r"\frac") or piece == previous
            tex += (r" \cdot " if misleading else " ") + piece
        return tex

    def _print_Pow(self, expr):
        base, exponent = expr.args
        if exponent.is_Number and exponent.is_negative and base.is_Mul and _as_typed(base):
            # SymPy's own printer recurses forever on (x^-1*x)^-2: write 1/base^n ourselves
            positive = base if exponent == -1 else sympy.Pow(base, -exponent, evaluate=False)
            return rf"\frac{{1}}{{{self._print(positive)}}}"
        return super()._print_Pow(expr)

    def _print_log(self, expr, exp=None):
        if len(expr.args) == 1:
            return super()._print_log(expr, exp)
        argument, base = (self._print(arg) for arg in expr.args)
        power = "" if exp is None else f"^{{{exp}}}"
        return rf"\log_{{{base}}}{power}\left({argument}\right)"


def expression_latex(expr: sympy.Expr) -> str:
    r"""LaTeX of an expression, typed or evaluated, in the app's notation (ln, arcsin, log base b).

    >>> from calc_core.parser import parse_expression
    >>> print(expression_latex(parse_expression("5*x*3*x")))
    5 x \cdot 3 x
    >>> print(expression_latex(parse_expression("log(x, 2) + asin(x)")))
    \log_{2}\left(x\right) + \arcsin{\left(x \right)}
    """
    try:
        return _TypedLatexPrinter().doprint(expr)
    except (RecursionError, AttributeError):
        # A typed tree SymPy's printer cannot take apart: show it evaluated. RecursionError: (x^-1*x)^-2 and
        # the like; AttributeError: SymPy's assumptions fail on an unevaluated csc(pi) (sin(pi) is Zero).
        return sympy.latex(evaluated(expr), inv_trig_style="full", ln_notation=True)


# --- numbers too long to print ---------------------------------------------------------------------------


def printable(expr: sympy.Basic) -> sympy.Basic:
    """``expr`` with every number of more than MAX_EXACT_DIGITS digits replaced by a rounded float.

    >>> printable(sympy.Integer(7) ** 2000 * sympy.Symbol("x"))
    1.57065220561816e+1690*x
    >>> printable(sympy.Rational(1, 3) + sympy.Symbol("x"))
    x + 1/3
    """
    huge = {
        number: number.evalf(FLOAT_DIGITS)
        for number in expr.atoms(sympy.Rational)
        if _digits(number.p) > MAX_EXACT_DIGITS or _digits(number.q) > MAX_EXACT_DIGITS
    }
    return expr.xreplace(huge) if huge else expr


def _digits(integer: int) -> int:
    """An upper bound of the number of decimal digits, without converting the integer to text."""
    return math.ceil(abs(integer).bit_length() * math.log10(2)) + 1
