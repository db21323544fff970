"""The parser's grammar: recursive descent over the tokens, building an unevaluated SymPy tree node by node.

Precedence, lowest first: sum (``+ -``), product (``* /`` and juxtaposition: ``2x``, ``3(x+1)``), sign,
power (``^``, right-associative; superscripts), then a number, a name, a function call, ``(…)`` or ``|…|``.
Each node is counted and each nesting measured, so a hostile input stops at MAX_NODES or MAX_DEPTH. Where
the grammar refuses a plausible input, it suggests the input that parses (``sin 2x`` → ``sin(2x)``); where
it reads one of two meanings, it leaves a note (``1e-3``, ``sin⁻¹``).

>>> from calc_core.tokenizer import tokenize
>>> Parser(tokenize("2x^2"), ("x",), "2x^2").parse()
2*x**2
"""

from __future__ import annotations

import numpy
import sympy

from calc_core.constant_size import check_power_size
from calc_core.errors import ExpressionError
from calc_core.expression_text import format_expression
from calc_core.notation import CONSTANTS, FUNCTIONS, INVERSES
from calc_core.tokenizer import Token

MAX_NODES = 250
MAX_DEPTH = 40
_SUM_END = ("end", "rparen", "comma", "bar")  # what may follow a term: the end of a sum


class Parser:
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
