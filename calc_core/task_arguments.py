"""The checks every worker task runs on its plain arguments: a leaf module the topic modules share.

A task receives text and numbers from the Streamlit process (``calc_core.service``); these turn them into
what the maths needs, or raise the ``ExpressionError`` the page shows.

>>> from calc_core.parser import parse_expression
>>> variable_of(parse_expression("x^2"), ("x",), "x"), finite("0.5")
(x, 0.5)
"""

from __future__ import annotations

import math

import sympy

from calc_core.errors import ExpressionError


def variable_of(typed: sympy.Basic, variables: tuple[str, ...], name: str) -> sympy.Symbol:
    """The symbol called ``name`` in ``typed`` (or a fresh one); ``unknown_name`` if it is not a variable.

    >>> variable_of(sympy.Integer(1), ("x",), "y")
    Traceback (most recent call last):
    ...
    calc_core.errors.ExpressionError: unknown_name (name='y')
    """
    if name not in variables:
        raise ExpressionError("unknown_name", name=name)
    return next((s for s in typed.free_symbols if s.name == name), sympy.Symbol(name))


def finite(value: float) -> float:
    """``value`` as a float; ``bad_number`` unless it is a finite real number.

    >>> finite(float("nan"))
    Traceback (most recent call last):
    ...
    calc_core.errors.ExpressionError: bad_number (token='nan')
    """
    value = float(value)
    if not math.isfinite(value):
        raise ExpressionError("bad_number", token=str(value))
    return value


def number_or_none(value) -> float | None:
    """A finite float, or None for NaN and infinities (plain data for "undefined").

    >>> number_or_none(2), number_or_none(float("inf"))
    (2.0, None)
    """
    value = float(value)
    return value if math.isfinite(value) else None
