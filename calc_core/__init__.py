"""Pure calculus: safe parsing, the sandboxed worker, sampling, limits, derivative steps.

No Streamlit and no plotting library here, so a teacher can use it from a notebook:

>>> from calc_core import parse_expression, derivative_steps
>>> derivative_steps(parse_expression("3x^2 - 4x"), "x").result
6*x - 4
"""

import importlib

from calc_core.errors import ERROR_CODES, ExpressionError

# Where each name of the notebook API lives. Imported on first use (PEP 562): ``calc_core.sandbox`` does not
# need SymPy in the app's process, so the app starts its workers before importing SymPy itself.
_LAZY = {
    "evaluated": "calc_core.parser",
    "format_expression": "calc_core.parser",
    "parse_expression": "calc_core.parser",
    "RULES": "calc_core.steps",
    "Step": "calc_core.steps",
    "derivative_steps": "calc_core.steps",
    "number_steps": "calc_core.steps",
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'calc_core' has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)


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
