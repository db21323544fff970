"""What the sandboxed worker may run: ``TASKS``, from a name to a function of plain arguments.

Every task takes the student's text (normalised by the parser's ``format_expression``) and parses it here,
inside the worker, so that nothing SymPy builds from user input ever runs in the Streamlit server. Every task
returns plain data (str, numbers, lists, dicts): a SymPy object would be re-evaluated when unpickled.

Call them through ``calc_core.sandbox.run_task``; calling one directly runs it in your own process:

>>> describe("5*x*3*x", ("x",))["latex_evaluated"]
'15 x^{2}'
"""

from __future__ import annotations

import math

import sympy

from calc_core.errors import ExpressionError
from calc_core.parser import evaluated, parse_expression

# Python refuses to print integers of more than 4300 digits (sys.get_int_max_str_digits), and nobody reads
# them: beyond this many digits a number is shown rounded, as a float with 15 significant digits.
MAX_EXACT_DIGITS = 1000
_FLOAT_DIGITS = 15


def describe(text: str, variables: tuple[str, ...]) -> dict:
    """The expression as typed and as SymPy evaluates it, in LaTeX, and the variables it depends on.

    ``free_variables`` are those of the evaluated form: ``x - x`` depends on nothing.

    >>> describe("x^2 + x^2", ("x", "y"))
    {'latex': 'x^{2} + x^{2}', 'latex_evaluated': '2 x^{2}', 'free_variables': ['x']}
    """
    typed = parse_expression(text, variables)
    value = evaluated(typed)
    return {
        "latex": sympy.latex(typed),
        "latex_evaluated": sympy.latex(printable(value)),
        "free_variables": sorted(str(symbol) for symbol in value.free_symbols),
    }


def differentiate(text: str, variables: tuple[str, ...], var: str) -> dict:
    """The derivative of the evaluated expression with respect to ``var``.

    >>> differentiate("x^3 + x*y", ("x", "y"), "x")
    {'latex': '3 x^{2} + y', 'text': '3*x**2 + y'}
    """
    typed = parse_expression(text, variables)
    derivative = printable(sympy.diff(evaluated(typed), _variable(typed, variables, var)))
    return {"latex": sympy.latex(derivative), "text": str(derivative)}


def simplify(text: str, variables: tuple[str, ...]) -> dict:
    """SymPy's ``simplify`` of the evaluated expression.

    >>> simplify("sin(x)^2 + cos(x)^2", ("x",))
    {'latex': '1', 'text': '1'}
    """
    simplified = printable(sympy.simplify(evaluated(parse_expression(text, variables))))
    return {"latex": sympy.latex(simplified), "text": str(simplified)}


def sample(
    text: str,
    variables: tuple[str, ...],
    var: str,
    x_min: float,
    x_max: float,
    n: int,
    fixed: tuple[tuple[str, float], ...] = (),
) -> dict:
    """``calc_core.sampling.sample_function`` of the expression as typed, as ``SampledCurve.to_dict()``.

    The typed form is sampled, not the evaluated one: ``x/x`` has a gap at 0 that evaluation (to 1) would
    hide. ``fixed`` holds the values of the other variables, e.g. ``(("y", 1.0),)`` for a slice of f(x, y).

    >>> sample("1/x", ("x",), "x", -1, 1, 3)["y"]
    [-1.0, None, 1.0]
    """
    from calc_core.sampling import sample_function

    typed = parse_expression(text, variables)
    _variable(typed, variables, var)
    return sample_function(typed, var, x_min, x_max, n, variables=dict(fixed)).to_dict()


TASKS = {
    "describe": describe,
    "diff": differentiate,
    "simplify": simplify,
    "sample": sample,
}


def warm_up() -> None:
    """Import what the tasks import lazily and run each once, so the worker pays for that before it is ready.

    SymPy's first latex, diff and simplify take most of a second: better at start-up than in a reader's
    first request. The worker calls this before its memory limit applies.

    >>> warm_up()
    """
    describe("x^2 + 1/x", ("x",))
    differentiate("sin(x)*x", ("x",), "x")
    simplify("x/x", ("x",))
    sample("x", ("x",), "x", 0, 1, 3)


def printable(expr: sympy.Basic) -> sympy.Basic:
    """``expr`` with every number of more than MAX_EXACT_DIGITS digits replaced by a rounded float.

    >>> printable(sympy.Integer(7) ** 2000 * sympy.Symbol("x"))
    2.95294122154213e+1690*x
    >>> printable(sympy.Rational(1, 3) + sympy.Symbol("x"))
    x + 1/3
    """
    huge = {
        number: number.evalf(_FLOAT_DIGITS)
        for number in expr.atoms(sympy.Rational)
        if _digits(number.p) > MAX_EXACT_DIGITS or _digits(number.q) > MAX_EXACT_DIGITS
    }
    return expr.xreplace(huge) if huge else expr


def _digits(integer: int) -> int:
    """An upper bound of the number of decimal digits, without converting the integer to text."""
    return math.ceil(abs(integer).bit_length() * math.log10(2)) + 1


def _variable(typed: sympy.Basic, variables: tuple[str, ...], name: str) -> sympy.Symbol:
    if name not in variables:
        raise ExpressionError("unknown_name", name=name)
    return next((s for s in typed.free_symbols if s.name == name), sympy.Symbol(name))
