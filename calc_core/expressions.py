"""One expression, as the worker sees it: its LaTeX, its evaluation, its derivative, its samples.

Every function here is a worker task (``calc_core.tasks`` registers it under its own name, and
``calc_core.service`` calls it by that name): it takes the student's text (normalised by the parser's
``format_expression``) and parses it here, inside the worker, so that nothing SymPy builds from user input
runs in the Streamlit server; it returns plain data.

>>> describe_expression("5*x*3*x", ("x",))["latex_evaluated"]
'15 x^{2}'
"""

from __future__ import annotations

import sympy

from calc_core.parser import evaluated, parse_expression
from calc_core.printing import expression_latex, printable
from calc_core.results import CurveData, Derivative, Description, Evaluation
from calc_core.sampling import sample_function
from calc_core.task_arguments import variable_of


def describe_expression(text: str, variables: tuple[str, ...]) -> Description:
    """The expression as typed and as SymPy evaluates it, in LaTeX, and the variables it depends on.

    ``free_variables`` are those of the evaluated form: ``x - x`` depends on nothing.

    >>> describe_expression("x^2 + x^2", ("x", "y"))
    {'latex': 'x^{2} + x^{2}', 'latex_evaluated': '2 x^{2}', 'free_variables': ['x']}
    """
    typed = parse_expression(text, variables)
    value = evaluated(typed)
    return {
        "latex": expression_latex(typed),
        "latex_evaluated": sympy.latex(printable(value)),
        "free_variables": sorted(str(symbol) for symbol in value.free_symbols),
    }


def evaluate_expression(text: str, variables: tuple[str, ...]) -> Evaluation:
    """Parse and evaluate the expression, nothing more: the check that ``calc_core.service`` runs once per
    expression before its other tasks, so an expression too slow to evaluate costs one time limit.

    >>> evaluate_expression("x - x + y", ("x", "y"))
    {'free_variables': ['y']}
    """
    value = evaluated(parse_expression(text, variables))
    return {"free_variables": sorted(str(symbol) for symbol in value.free_symbols)}


def differentiate_expression(text: str, variables: tuple[str, ...], var: str) -> Derivative:
    """The derivative of the evaluated expression with respect to ``var``.

    >>> differentiate_expression("x^3 + x*y", ("x", "y"), "x")
    {'latex': '3 x^{2} + y', 'text': '3*x**2 + y'}
    """
    typed = parse_expression(text, variables)
    derivative = printable(sympy.diff(evaluated(typed), variable_of(typed, variables, var)))
    return {"latex": sympy.latex(derivative), "text": str(derivative)}


def simplify_expression(text: str, variables: tuple[str, ...]) -> Derivative:
    """SymPy's ``simplify`` of the evaluated expression (``{"latex", "text"}``, as a derivative comes).

    >>> simplify_expression("sin(x)^2 + cos(x)^2", ("x",))
    {'latex': '1', 'text': '1'}
    """
    simplified = printable(sympy.simplify(evaluated(parse_expression(text, variables))))
    return {"latex": sympy.latex(simplified), "text": str(simplified)}


def sample_expression(
    text: str,
    variables: tuple[str, ...],
    var: str,
    x_min: float,
    x_max: float,
    n: int,
    fixed: tuple[tuple[str, float], ...] = (),
) -> CurveData:
    """``calc_core.sampling.sample_function`` of the expression as typed, as ``SampledCurve.to_dict()``.

    The typed form is sampled, not the evaluated one: ``x/x`` has a gap at 0 that evaluation (to 1) would
    hide. ``fixed`` holds the values of the other variables, e.g. ``(("y", 1.0),)`` for a slice of f(x, y).

    >>> sample_expression("1/x", ("x",), "x", -1, 1, 3)["y"]
    [-1.0, None, 1.0]
    """
    typed = parse_expression(text, variables)
    variable_of(typed, variables, var)
    return sample_function(typed, var, x_min, x_max, n, variables=dict(fixed)).to_dict()
