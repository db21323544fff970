"""Safe parsing of what a student types into an unevaluated SymPy expression.

Nothing here calls eval, exec, sympify or parse_expr: the text is tokenised by hand, parsed by a small
recursive-descent grammar that only knows an allow-list of names, and the SymPy tree is built node by node
with ``evaluate=False``, so ``5*x*3*x`` stays as the student wrote it. Every limit (length, nodes, depth,
number size, numeric powers) is checked while parsing, so hostile input is refused in milliseconds.

The notation is written down, with examples the tests run, in docs/input.md. An input reads one way or is
refused with a message saying what to type instead (a ``suggestion``: the whole input, corrected, which
parses and means the likely intent); a reading that could have been another (1e-3 as 0.001, sin⁻¹ as
arcsin) comes with a note from :func:`parse_with_notes`, for the box to show under "understood as".

This module is the entry point; the steps live in modules of their own, leaves first:
``notation`` (the names, spellings and characters read), ``tokenizer`` (text to tokens, name suggestions),
``constant_size`` (cheap values of constant subtrees, the power-size limit), ``expression_text``
(``format_expression``: the tree back as text), ``grammar`` (recursive descent, notes, suggestions).
"""

from __future__ import annotations

import sympy

from calc_core import tokenizer
from calc_core.constant_size import MAX_EXPONENT, MAX_POWER_DIGITS, approximate
from calc_core.errors import ExpressionError
from calc_core.expression_text import format_expression
from calc_core.grammar import MAX_DEPTH, MAX_NODES, Parser
from calc_core.notation import CONSTANTS, FUNCTIONS, PREFIX_DEFINITION, ascii_view
from calc_core.tokenizer import MAX_NUMBER_DIGITS, Token, tokenize

MAX_LENGTH = 300

# Re-exported: the parser's public names, wherever they are defined.
__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_NUMBER_DIGITS",
    "MAX_POWER_DIGITS",
    "PREFIX_DEFINITION",
    "Token",
    "approximate",
    "ascii_view",
    "evaluated",
    "format_expression",
    "parse_expression",
    "parse_with_notes",
    "tokenize",
]


def parse_expression(text: str, variables: tuple[str, ...] = ("x",)):
    """Parse a student's text into an unevaluated SymPy expression, or raise ExpressionError.

    >>> parse_expression("3x^2 - 4x")
    3*x**2 - 4*x
    >>> parse_expression("5*x*3*x")
    5*x*3*x
    >>> parse_expression("x1x2", ("x1", "x2"))
    x1*x2
    >>> parse_expression("sinx")
    Traceback (most recent call last):
    ...
    calc_core.errors.ExpressionError: unknown_name at 1 (name='sinx', suggestion='sin(x)')
    """
    return parse_with_notes(text, variables)[0]


def parse_with_notes(text: str, variables: tuple[str, ...] = ("x",)) -> tuple[sympy.Expr, list[dict]]:
    """Like :func:`parse_expression`, with notes on each reading that could have been another one.

    A note is plain data: ``code`` (``"scientific"`` or ``"inverse"``), ``typed`` (the text it is about)
    and ``other``, parser input for the other reading, to show beside "understood as".

    >>> expr, notes = parse_with_notes("1e-3x")
    >>> expr, notes[0]["value"], notes[0]["other"]
    (0.001*x, '0.001', '1*e - 3')
    >>> parse_with_notes("sin⁻¹(x)")[1][0]["other"]
    'sin(x)^(-1)'
    """
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    if len(text) > MAX_LENGTH:
        raise ExpressionError("too_long", MAX_LENGTH, limit=MAX_LENGTH, length=len(text))
    read = text
    view = ascii_view(text)
    definition = PREFIX_DEFINITION.match(view)
    if definition and view.count("=") == 1:
        read = " " * definition.end() + text[definition.end() :]  # "y = 3x" or "f(x) = 3x": keep positions
    variables = tuple(variables)
    parser = Parser(tokenize(read, variables), variables, text)
    return parser.parse(), parser.notes


def evaluated(expr):
    """The evaluated form of an unevaluated tree: what SymPy would have built by default.

    May be slow for hostile input: call it on user input only inside the sandboxed worker.

    >>> evaluated(parse_expression("5*x*3*x"))
    15*x**2
    """
    if not expr.args:
        return expr
    return expr.func(*(evaluated(arg) for arg in expr.args))


tokenizer.PARSE_FOR_SUGGESTIONS[0] = parse_expression  # log_a(b)'s suggestion is offered only if it parses
