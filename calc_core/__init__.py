"""Pure calculus: safe parsing, the sandboxed worker, sampling, limits, derivative steps.

No Streamlit and no plotting library here, so a teacher can use it from a notebook:

>>> from calc_core import parse_expression, derivative_steps
>>> derivative_steps(parse_expression("3x^2 - 4x"), "x").result
6*x - 4
"""

from calc_core.errors import ERROR_CODES, ExpressionError
from calc_core.parser import evaluated, format_expression, parse_expression
from calc_core.steps import RULES, Step, derivative_steps, number_steps

__all__ = [
    "ERROR_CODES",
    "RULES",
    "ExpressionError",
    "Step",
    "derivative_steps",
    "evaluated",
    "format_expression",
    "number_steps",
    "parse_expression",
]
