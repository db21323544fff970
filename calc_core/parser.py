"""Safe parsing of what a student types into an unevaluated SymPy expression.

Nothing here calls eval, exec, sympify or parse_expr: the text is tokenised by hand, parsed by a small
recursive-descent grammar that only knows an allow-list of names, and the SymPy tree is built node by node
with ``evaluate=False``, so ``5*x*3*x`` stays as the student wrote it. Every limit (length, nodes, depth,
number size, numeric powers) is checked while parsing, so hostile input is refused in milliseconds.

The notation is written down, with examples the tests run, in docs/input.md. An input reads one way or is
refused with a message saying what to type instead (a ``suggestion``: the whole input, corrected, which
parses and means the likely intent); a reading that could have been another (1e-3 as 0.001, sin⁻¹ as
arcsin) comes with a note from :func:`parse_with_notes`, for the box to show under "understood as".
"""

from __future__ import annotations

import numpy
import sympy

from calc_core.constant_size import MAX_EXPONENT, MAX_POWER_DIGITS, approximate, check_power_size
from calc_core.errors import ExpressionError
from calc_core.expression_text import format_expression
from calc_core.notation import CONSTANTS, FUNCTIONS, INVERSES, PREFIX_DEFINITION, ascii_view
from calc_core.tokenizer import MAX_NUMBER_DIGITS, Token, tokenize

MAX_LENGTH = 300
MAX_NODES = 250
MAX_DEPTH = 40

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


_SUM_END = ("end", "rparen", "comma", "bar")  # what may follow a term: the end of a sum


class _Parser:
    """Recursive descent over the tokens; each method builds an unevaluated SymPy node."""

    def __init__(self, tokens: list[Token], variables: tuple[str, ...], text: str = ""):
        self.symbols = {name: sympy.Symbol(name) for name in variables}
        self.variables = variables
        self.tokens = tokens
        self.text = text
        self.index = 0
        self.depth = 0
        self.nodes = 0
        self.bars = 0  # absolute value bars open around the current position
        self.notes: list[dict] = []

    # --- token helpers ---------------------------------------------------------------------------
    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect_closing(self, opening: Token) -> None:
        if self.current.kind != "rparen":
            if self.current.kind == "end":
                raise ExpressionError("missing_closing_parenthesis", opening.position)
            raise self.unexpected()
        self.advance()

    def unexpected(self) -> ExpressionError:
        token = self.current
        if token.kind == "end":
            return ExpressionError("unexpected_end", token.position)
        if token.kind == "rparen":
            return ExpressionError("unmatched_closing_parenthesis", token.position)
        if token.kind == "bar":
            return ExpressionError("unmatched_bar", token.position)
        return ExpressionError("unexpected_token", token.position, token=token.text)

    def count(self, node, position: int):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError("too_many_nodes", position, limit=MAX_NODES)
        return node

    def enter(self, position: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("too_deep", position, limit=MAX_DEPTH)

    def replaced(self, start: int, end: int, new: str) -> str:
        return self.text[:start] + new + self.text[end:]

    # --- grammar ------------------------------------------------------------------------------------
    def parse(self):
        if self.current.kind == "end":
            raise ExpressionError("empty", 0)
        expr = self.sum()
        if self.current.kind != "end":
            raise self.unexpected()
        return expr

    def sum(self):
        start = self.current.position
        terms = [self.product()]
        while self.current.kind == "op" and self.current.text in "+-":
            operator = self.advance()
            term = self.product()
            terms.append(term if operator.text == "+" else self.negate(term, operator.position))
        return terms[0] if len(terms) == 1 else self.count(sympy.Add(*terms, evaluate=False), start)

    def product(self):
        start = self.current.position
        factors = [self.signed()]
        while True:
            if self.current.kind == "op" and self.current.text in "*/":
                operator = self.advance()
                factor = self.signed()
                if operator.text == "/":
                    factor = self.count(sympy.Pow(factor, -1, evaluate=False), operator.position)
                factors.append(factor)
            elif self.current.kind == "bar" and self.bars:
                break  # the closing bar of |…|
            elif self.current.kind in ("number", "name", "lparen", "sqrt", "bar"):
                self.refuse_numbers_side_by_side()
                factors.append(self.power())  # implicit multiplication: 2x, 3(x+1), (x+1)(x-1), 2|x|
            else:
                break
        return factors[0] if len(factors) == 1 else self.count(sympy.Mul(*factors, evaluate=False), start)

    def refuse_numbers_side_by_side(self) -> None:
        """``12 3`` is no product anyone means: ask for the operation (or no space)."""
        previous = self.tokens[self.index - 1]
        if self.current.kind == "number" and previous.kind == "number":
            second = self.current
            raise ExpressionError(
                "numbers_side_by_side",
                second.position,
                first=previous.text,
                second=second.text,
                product=self.replaced(previous.end, second.position, "*"),
            )

    def signed(self):
        if self.current.kind == "op" and self.current.text in "+-":
            operator = self.advance()
            self.enter(operator.position)
            operand = self.signed()
            self.depth -= 1
            return operand if operator.text == "+" else self.negate(operand, operator.position)
        return self.power()

    def negate(self, operand, position: int):
        if isinstance(operand, sympy.Number):
            return -operand
        return self.count(sympy.Mul(-1, operand, evaluate=False), position)

    def power(self):
        base = self.postfix()
        if self.current.kind == "op" and self.current.text == "^":
            operator = self.advance()
            self.enter(operator.position)
            exponent = self.signed()  # right-associative, and 2^-x is allowed
            self.depth -= 1
            return self.make_power(base, exponent, operator.position)
        return base

    def postfix(self):
        node = self.primary()
        while self.current.kind == "superscript":
            token = self.advance()
            node = self.make_power(node, sympy.Integer(int(token.text)), token.position)
        return node

    def make_power(self, base, exponent, position: int):
        check_power_size(base, exponent, position)
        return self.count(sympy.Pow(base, exponent, evaluate=False), position)

    def primary(self):
        token = self.current
        if token.kind == "number":
            self.advance()
            if "e" in token.text:
                self.note_scientific(token)
            return self.count(_number(token.text), token.position)
        if token.kind == "lparen":
            return self.parenthesised()
        if token.kind == "bar":
            return self.absolute_value()
        if token.kind == "sqrt":
            self.advance()
            self.enter(token.position)
            operand = self.power()
            self.depth -= 1
            return self.count(FUNCTIONS["sqrt"][0](operand), token.position)
        if token.kind == "name":
            return self.name()
        raise self.unexpected()

    def note_scientific(self, token: Token) -> None:
        mantissa, exponent = token.text.split("e")
        sign = exponent[0] if exponent[0] in "+-" else ""
        digits = exponent.lstrip("+-")
        other = f"{mantissa}*e {sign} {digits}" if sign else f"{mantissa}*e^{digits}"
        typed = self.text[token.position : token.end]
        self.notes.append(
            {"code": "scientific", "typed": typed, "value": _plain_value(token.text), "other": other}
        )

    def parenthesised(self):
        opening = self.advance()
        self.enter(opening.position)
        bars, self.bars = self.bars, 0  # a bar inside parentheses opens a new |…|
        inner = self.sum()
        self.expect_closing(opening)
        self.bars = bars
        self.depth -= 1
        return inner

    def absolute_value(self):
        """``|…|``: an opening bar where a factor may start; inside, a bar where a factor ends closes it."""
        opening = self.advance()
        self.enter(opening.position)
        if self.current.kind == "end":
            raise ExpressionError("unmatched_bar", opening.position)
        self.bars += 1
        inner = self.sum()
        if self.current.kind != "bar":
            if self.current.kind == "end":
                raise ExpressionError("unmatched_bar", opening.position)
            raise self.unexpected()
        self.advance()
        self.bars -= 1
        self.depth -= 1
        return self.count(sympy.Abs(inner, evaluate=False), opening.position)

    def name(self):
        token = self.advance()
        if token.text in self.symbols:
            return self.count(self.symbols[token.text], token.position)
        if token.text in CONSTANTS:
            return self.count(CONSTANTS[token.text], token.position)
        return self.function_call(token)

    def function_call(self, token: Token):
        name = token.text
        base = self.log_base() if name == "log" else None
        power, inverse_end = self.function_power(token)
        if inverse_end is not None:
            name = INVERSES[name]
        arguments = self.function_arguments(token)
        if base is not None:
            arguments.append(base)
        builder, counts = FUNCTIONS[name]
        if len(arguments) not in counts:
            expected = "–".join(str(c) for c in counts)
            params = {"name": token.text, "expected": expected, "got": len(arguments)}
            if name == "lg" and len(arguments) == 2:  # lg(27, 3): a base is given, so log(27, 3)
                params["suggestion"] = self.replaced(token.position, token.end, "log")
            raise ExpressionError("wrong_argument_count", token.position, **params)
        if inverse_end is not None:
            written = ", ".join(format_expression(argument) for argument in arguments)
            self.notes.append(
                {
                    "code": "inverse",
                    "typed": self.text[token.position : inverse_end],
                    "inverse": f"{name}({written})",
                    "other": f"{token.text}({written})^(-1)",
                }
            )
        call = self.count(builder(*arguments), token.position)
        return call if power is None else self.make_power(call, power, token.position)

    def log_base(self):
        if self.current.kind != "logbase":
            return None
        token = self.advance()
        if token.text.isdigit():
            return self.count(sympy.Integer(int(token.text)), token.position)
        return self.count(self.symbols.get(token.text, CONSTANTS.get(token.text)), token.position)

    def function_arguments(self, token: Token) -> list:
        """``(a, b)``, ``|a|`` (ln|x|), or one variable or constant alone at the end of a term (sin x)."""
        if self.current.kind == "lparen":
            opening = self.advance()
            self.enter(opening.position)
            bars, self.bars = self.bars, 0
            arguments = [self.sum()]
            while self.current.kind == "comma":
                self.advance()
                arguments.append(self.sum())
            self.expect_closing(opening)
            self.bars = bars
            self.depth -= 1
            return arguments
        if self.current.kind == "bar" and not self.bars:
            return [self.absolute_value()]
        following = self.peek()
        ends_term = following.kind in _SUM_END or (following.kind == "op" and following.text in "+-")
        if self.current.kind == "name" and self.current.text not in FUNCTIONS and ends_term:
            argument = self.advance()
            value = self.symbols.get(argument.text, CONSTANTS.get(argument.text))
            return [self.count(value, argument.position)]
        raise self.needs_parentheses(token)

    def needs_parentheses(self, token: Token) -> ExpressionError:
        """``sin 2x``: suggest the call around the term that follows, when that term ends clearly."""
        end = self.index
        while self.tokens[end].kind in ("number", "name", "superscript") and end - self.index < 8:
            end += 1
        closing = self.tokens[end]
        clear_end = closing.kind in ("end", "rparen", "comma") or (
            closing.kind == "op" and closing.text in "+-"
        )
        suggestion = None
        if end > self.index and clear_end and self.current.kind != "superscript":
            first, last = self.current, self.tokens[end - 1]
            argument = self.text[first.position : last.end]
            suggestion = self.text[: first.position].rstrip() + f"({argument})" + self.text[last.end :]
        elif self.current.kind == "end" and self.variables:
            suggestion = self.text.rstrip() + f"({self.variables[0]})"
        if suggestion is None:
            return ExpressionError("function_argument_unclear", token.position, name=token.text)
        return ExpressionError(
            "function_needs_parentheses", token.position, name=token.text, suggestion=suggestion
        )

    def function_power(self, token: Token):
        """A power between a function's name and its argument: ``sin²``, ``sin^2``, ``sin⁻¹``, ``sin^(-1)``.

        Returns (the power or None, where the inverse mark ends in the text or None). A positive power is
        the power of the value (sin²x = (sin x)²); ⁻¹, ^-1 and ^(-1) mean the inverse function (sin⁻¹ =
        arcsin, as on a calculator); any other power is refused, since it could be read either way.
        """
        start = self.index
        found = self.function_exponent()
        if found is None:
            return None, None
        literal, end = found
        value = _number(literal.lstrip("-"))
        value = -value if literal.startswith("-") else value
        if value == -1 and token.text in INVERSES:
            return None, end
        if value.is_negative or value.is_zero:
            self.index = start
            raise self.ambiguous_power(token, literal)
        return value, None

    def function_exponent(self) -> tuple[str, int] | None:
        """After a function's name: ``²``, ``⁻¹``, ``^2``, ``^-1``, ``^(-1)`` or ``^(2)`` as (exponent, where
        it ends in the text), consumed; None, with nothing consumed, for anything else."""
        if self.current.kind == "superscript":
            token = self.advance()
            return token.text, token.end
        if not (self.current.kind == "op" and self.current.text == "^"):
            return None
        a, b, c, d = (self.peek(offset) for offset in range(1, 5))
        minus = [token.kind == "op" and token.text == "-" for token in (a, b)]
        if a.kind == "number":
            self.index += 2
            return a.text, a.end
        if minus[0] and b.kind == "number":
            self.index += 3
            return "-" + b.text, b.end
        if a.kind == "lparen" and b.kind == "number" and c.kind == "rparen":
            self.index += 4
            return b.text, c.end
        if a.kind == "lparen" and minus[1] and c.kind == "number" and d.kind == "rparen":
            self.index += 5
            return "-" + c.text, d.end
        return None

    def ambiguous_power(self, token: Token, literal: str) -> ExpressionError:
        """``sin^-2(x)``, ``ln^-1(x)``: a power or an inverse? Offer the power written after the call."""
        self.function_exponent()
        try:
            arguments = self.function_arguments(token)
        except ExpressionError:
            return ExpressionError("ambiguous_function_power", token.position, name=token.text, power=literal)
        written = ", ".join(format_expression(argument) for argument in arguments)
        after = self.tokens[self.index - 1].end
        fixed = f"{token.text}({written})^({literal})"
        suggestion = self.text[: token.position] + fixed + self.text[after:]
        return ExpressionError(
            "ambiguous_function_power", token.position, name=token.text, power=literal, suggestion=suggestion
        )


def _plain_value(literal: str) -> str:
    """A number in scientific notation written out: 0.001 for 1e-3; 6.02 × 10²³ when that would be long."""
    value = float(literal)
    written = numpy.format_float_positional(value, unique=True, trim="-")
    if len(written) <= 20:
        return written
    mantissa, exponent = numpy.format_float_scientific(value, unique=True, trim="-").split("e")
    superscript = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{mantissa} × 10{superscript}"


def _number(literal: str):
    if "." in literal or "e" in literal:
        return sympy.Float(literal if literal[0] != "." else "0" + literal, 15)
    return sympy.Integer(int(literal))


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
    parser = _Parser(tokenize(read, variables), variables, text)
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
