"""Safe parsing of what a student types into an unevaluated SymPy expression.

Nothing here calls eval, exec, sympify or parse_expr: the text is tokenised by hand, parsed by a small
recursive-descent grammar that only knows an allow-list of names, and the SymPy tree is built node by node
with ``evaluate=False``, so ``5*x*3*x`` stays as the student wrote it. Every limit (length, nodes, depth,
number size, numeric powers) is checked while parsing, so hostile input is refused in milliseconds.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass

import numpy
import sympy

from calc_core.errors import ExpressionError

MAX_LENGTH = 300
MAX_NUMBER_DIGITS = 30
MAX_EXPONENT = 1000
MAX_POWER_DIGITS = 1000
MAX_NODES = 250
MAX_DEPTH = 40


def _pow_root(arg, n):
    return sympy.Pow(arg, sympy.Pow(n, -1, evaluate=False), evaluate=False)


def _log(arg, base=None):
    if base is None:
        return sympy.log(arg, evaluate=False)
    return sympy.log(arg, base, evaluate=False)


def _unary(sympy_function):
    return lambda arg: sympy_function(arg, evaluate=False)


_TRIG = ["sin", "cos", "tan", "cot", "sec", "csc"]
_HYPERBOLIC = ["sinh", "cosh", "tanh", "coth", "sech", "csch"]
_ONE_ARGUMENT = [*_TRIG, *_HYPERBOLIC, *("a" + name for name in _TRIG + _HYPERBOLIC), "exp"]

# name -> (builder, allowed argument counts)
FUNCTIONS: dict[str, tuple] = {
    **{name: (_unary(getattr(sympy, name)), (1,)) for name in _ONE_ARGUMENT},
    **{"arc" + name: (_unary(getattr(sympy, "a" + name)), (1,)) for name in _TRIG + _HYPERBOLIC},
    "ln": (_log, (1,)),
    "log": (_log, (1, 2)),
    "sqrt": (lambda arg: sympy.Pow(arg, sympy.Rational(1, 2), evaluate=False), (1,)),
    "cbrt": (lambda arg: sympy.Pow(arg, sympy.Rational(1, 3), evaluate=False), (1,)),
    "root": (_pow_root, (2,)),
    "abs": (_unary(sympy.Abs), (1,)),
}

CONSTANTS = {"pi": sympy.pi, "e": sympy.E}

# What students from other traditions type, and what to suggest instead.
_KNOWN_ALIASES = {
    "lg": "log(x, 10)",
    "tg": "tan(x)",
    "ctg": "cot(x)",
    "arctg": "atan(x)",
    "arcctg": "acot(x)",
    "sine": "sin(x)",
    "cosine": "cos(x)",
}

_SUPERSCRIPTS = {
    "⁰": "0",
    "¹": "1",
    "²": "2",
    "³": "3",
    "⁴": "4",
    "⁵": "5",
    "⁶": "6",
    "⁷": "7",
    "⁸": "8",
    "⁹": "9",
}
_SUPERSCRIPT_MINUS = "⁻"
_SYMBOL_MAP = {
    "×": "*",
    "·": "*",
    "⋅": "*",
    "∙": "*",
    "÷": "/",
    "−": "-",
    "–": "-",
    "\u3000": " ",
}
PREFIX_DEFINITION = re.compile(r"^\s*(?:[a-zA-Z]\w*\s*\([^()=]*\)|y|z|u)\s*=")


@dataclass(frozen=True)
class Token:
    kind: str  # number, name, op, lparen, rparen, comma, sqrt, superscript, end
    text: str
    position: int


def _normalise_character(char: str) -> str:
    """Full-width forms from Chinese input methods and maths symbols to their ASCII meaning."""
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    return _SYMBOL_MAP.get(char, char)


def _check_character(char: str, position: int) -> None:
    if char in "\t\n\r":
        return
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        raise ExpressionError("control_character", position, codepoint=f"U+{ord(char):04X}")


def tokenize(text: str, variables: tuple[str, ...] = ("x",)) -> list[Token]:
    """Split text into tokens, keeping each token's position in the original text.

    >>> [t.text for t in tokenize("３ｘ²−4x")]
    ['3', 'x', '2', '-', '4', 'x', '']
    >>> [t.text for t in tokenize("x1x2", ("x1", "x2"))]
    ['x1', 'x2', '']
    """
    known = sorted(set(variables) | set(FUNCTIONS) | set(CONSTANTS), key=len, reverse=True)
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        raw = text[i]
        _check_character(raw, i)
        char = _normalise_character(raw)
        if char.isspace():
            i += 1
        elif raw in _SUPERSCRIPTS or raw == _SUPERSCRIPT_MINUS:
            i = _read_superscript(text, i, tokens)
        elif raw == "π":
            tokens.append(Token("name", "pi", i))
            i += 1
        elif raw == "√":
            tokens.append(Token("sqrt", "√", i))
            i += 1
        elif char.isascii() and (char.isdigit() or char == "."):
            i = _read_number(text, i, tokens)
        elif char.isascii() and (char.isalpha() or char == "_"):
            i = _read_name(text, i, tokens, known)
        elif char == "*" and i + 1 < len(text) and _normalise_character(text[i + 1]) == "*":
            tokens.append(Token("op", "^", i))
            i += 2
        elif char in "+-*/^":
            tokens.append(Token("op", char, i))
            i += 1
        elif char in "()":
            tokens.append(Token("lparen" if char == "(" else "rparen", char, i))
            i += 1
        elif char == ",":
            tokens.append(Token("comma", ",", i))
            i += 1
        else:
            raise ExpressionError("unexpected_character", i, char=raw)
    tokens.append(Token("end", "", len(text)))
    return tokens


def _scan(text: str, start: int, accept) -> int:
    end = start
    while end < len(text) and accept(_normalise_character(text[end])):
        _check_character(text[end], end)
        end += 1
    return end


def _read_number(text: str, start: int, tokens: list[Token]) -> int:
    end = _scan(text, start, lambda c: c.isascii() and (c.isdigit() or c == "."))
    literal = "".join(_normalise_character(c) for c in text[start:end])
    if literal.count(".") > 1 or literal == ".":
        raise ExpressionError("bad_number", start, token=text[start:end])
    if sum(c.isdigit() for c in literal) > MAX_NUMBER_DIGITS:
        raise ExpressionError("number_too_large", start, limit=MAX_NUMBER_DIGITS)
    tokens.append(Token("number", literal, start))
    return end


def _read_name(text: str, start: int, tokens: list[Token], known: list[str]) -> int:
    end = _scan(text, start, lambda c: c.isascii() and (c.isalnum() or c == "_"))
    run = Token("name", "".join(_normalise_character(c) for c in text[start:end]), start)
    tokens.extend(_split_names(run, known))
    return end


def _read_superscript(text: str, start: int, tokens: list[Token]) -> int:
    end = start + (text[start] == _SUPERSCRIPT_MINUS)
    while end < len(text) and text[end] in _SUPERSCRIPTS:
        end += 1
    digits = "".join(_SUPERSCRIPTS[c] for c in text[start:end] if c in _SUPERSCRIPTS)
    if not digits:
        raise ExpressionError("unexpected_character", start, char=text[start])
    if len(digits) > MAX_NUMBER_DIGITS:
        raise ExpressionError("number_too_large", start, limit=MAX_NUMBER_DIGITS)
    sign = "-" if text[start] == _SUPERSCRIPT_MINUS else ""
    tokens.append(Token("superscript", sign + digits, start))
    return end


def _split_names(token: Token, known: list[str]) -> list[Token]:
    """Split a run of letters like ``x1x2`` or ``2pix`` into known names, longest match first."""
    parts: list[Token] = []
    rest, position = token.text, token.position
    while rest:
        match = next((name for name in known if rest.startswith(name)), None)
        if match is None and rest[0].isdigit() and parts:  # "x2": most likely meant x²
            suggestion = token.text[: position - token.position] + "^" + rest
            raise ExpressionError("unknown_name", token.position, name=token.text, suggestion=suggestion)
        if match is None:
            raise _unknown_name(token, rest, position)
        if match in FUNCTIONS and len(rest) > len(match):
            suggestion = token.text[: position - token.position] + f"{match}({rest[len(match) :]})"
            raise ExpressionError("unknown_name", token.position, name=token.text, suggestion=suggestion)
        parts.append(Token("name", match, position))
        rest, position = rest[len(match) :], position + len(match)
    return parts


def _unknown_name(token: Token, rest: str, position: int) -> ExpressionError:
    name = token.text if rest == token.text else rest
    alias = _KNOWN_ALIASES.get(name.lower())
    if alias:
        return ExpressionError("unknown_name", position, name=name, suggestion=alias)
    close = difflib.get_close_matches(name.lower(), list(FUNCTIONS), n=1, cutoff=0.75)
    if close:
        return ExpressionError("unknown_name", position, name=name, suggestion=f"{close[0]}(x)")
    return ExpressionError("unknown_name", position, name=name)


class _Parser:
    """Recursive descent over the tokens; each method builds an unevaluated SymPy node."""

    def __init__(self, tokens: list[Token], variables: tuple[str, ...]):
        self.symbols = {name: sympy.Symbol(name) for name in variables}
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.nodes = 0

    # --- token helpers ---------------------------------------------------------------------------
    @property
    def current(self) -> Token:
        return self.tokens[self.index]

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
            elif self.current.kind in ("number", "name", "lparen", "sqrt"):
                factors.append(self.power())  # implicit multiplication: 2x, 3(x+1), (x+1)(x-1)
            else:
                break
        return factors[0] if len(factors) == 1 else self.count(sympy.Mul(*factors, evaluate=False), start)

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
        _check_power_size(base, exponent, position)
        return self.count(sympy.Pow(base, exponent, evaluate=False), position)

    def primary(self):
        token = self.current
        if token.kind == "number":
            self.advance()
            return self.count(_number(token.text), token.position)
        if token.kind == "lparen":
            return self.parenthesised()
        if token.kind == "sqrt":
            self.advance()
            self.enter(token.position)
            operand = self.power()
            self.depth -= 1
            return self.count(FUNCTIONS["sqrt"][0](operand), token.position)
        if token.kind == "name":
            return self.name()
        raise self.unexpected()

    def parenthesised(self):
        opening = self.advance()
        self.enter(opening.position)
        inner = self.sum()
        self.expect_closing(opening)
        self.depth -= 1
        return inner

    def name(self):
        token = self.advance()
        if token.text in self.symbols:
            return self.count(self.symbols[token.text], token.position)
        if token.text in CONSTANTS:
            return self.count(CONSTANTS[token.text], token.position)
        return self.function_call(token)

    def function_call(self, token: Token):
        power = self.function_power()  # sin^2(x) and sin²(x) mean sin(x)^2
        if self.current.kind != "lparen":
            following = self.current.text if self.current.kind in ("name", "number") else "x"
            raise ExpressionError(
                "function_needs_parentheses",
                token.position,
                name=token.text,
                suggestion=f"{token.text}({following})",
            )
        opening = self.advance()
        self.enter(opening.position)
        arguments = [self.sum()]
        while self.current.kind == "comma":
            self.advance()
            arguments.append(self.sum())
        self.expect_closing(opening)
        self.depth -= 1
        builder, counts = FUNCTIONS[token.text]
        if len(arguments) not in counts:
            expected = "–".join(str(c) for c in counts)
            raise ExpressionError(
                "wrong_argument_count", token.position, name=token.text, expected=expected, got=len(arguments)
            )
        call = self.count(builder(*arguments), token.position)
        return call if power is None else self.make_power(call, power, token.position)

    def function_power(self):
        if self.current.kind == "superscript":
            return sympy.Integer(int(self.advance().text))
        is_caret = self.current.kind == "op" and self.current.text == "^"
        if is_caret and self.tokens[self.index + 1].kind == "number":
            self.advance()
            return _number(self.advance().text)
        return None


def _number(literal: str):
    if "." in literal:
        return sympy.Float(literal if literal[0] != "." else "0" + literal, 15)
    return sympy.Integer(int(literal))


def _check_power_size(base, exponent, position: int) -> None:
    """Refuse powers whose evaluation would be huge: x^100000, 9^9^9, 10^(10^5)."""
    if exponent.free_symbols:
        return
    exponent_value = approximate(exponent)
    if exponent_value is None:
        return
    if not math.isfinite(exponent_value) or abs(exponent_value) > MAX_EXPONENT:
        raise ExpressionError("power_too_large", position, limit=MAX_EXPONENT)
    if base.free_symbols:
        return
    base_value = approximate(base)
    if base_value is None or base_value == 0:
        return
    if not math.isfinite(base_value) or abs(exponent_value) * math.log10(abs(base_value)) > MAX_POWER_DIGITS:
        raise ExpressionError("power_too_large", position, limit=MAX_EXPONENT)


_FLOAT_FUNCTIONS = {
    sympy.sin: math.sin,
    sympy.cos: math.cos,
    sympy.tan: math.tan,
    sympy.exp: math.exp,
    sympy.sinh: math.sinh,
    sympy.cosh: math.cosh,
    sympy.tanh: math.tanh,
    sympy.asin: math.asin,
    sympy.acos: math.acos,
    sympy.atan: math.atan,
    sympy.Abs: abs,
}


def approximate(expr) -> float | None:
    """A float for a constant expression, computed without SymPy's evaluation (so it cannot hang).

    Overflow gives ``inf``; a value this cheap evaluator cannot reach gives None.

    >>> approximate(parse_expression("9^9", ()))
    387420489.0
    >>> approximate(parse_expression("exp(exp(exp(3)))", ()))
    inf
    """
    try:
        return _approximate(expr)
    except (ValueError, ZeroDivisionError, TypeError, OverflowError):
        return None


def _approximate(expr) -> float | None:
    if expr.is_Number:
        return float(expr)
    if expr is sympy.pi:
        return math.pi
    if expr is sympy.E:
        return math.e
    values = [_approximate(arg) for arg in expr.args]
    if any(value is None for value in values):
        return None
    if expr.is_Add:
        return math.fsum(values)
    if expr.is_Mul:
        return math.prod(values)
    if expr.is_Pow:
        return _float_power(*values)
    if expr.func in _FLOAT_FUNCTIONS and len(values) == 1:
        return _saturating(_FLOAT_FUNCTIONS[expr.func], values[0])
    if expr.func is sympy.log and len(values) == 1:
        return math.log(values[0]) if values[0] > 0 else None
    return None


def _float_power(base: float, exponent: float) -> float | None:
    if math.isinf(exponent) or math.isinf(base):
        return math.inf
    try:
        result = base**exponent
    except OverflowError:
        return math.inf
    return result if isinstance(result, float | int) else None


def _saturating(function, value: float) -> float:
    if math.isinf(value):
        return math.inf
    try:
        return function(value)
    except OverflowError:
        return math.inf


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
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    if len(text) > MAX_LENGTH:
        raise ExpressionError("too_long", MAX_LENGTH, limit=MAX_LENGTH, length=len(text))
    definition = PREFIX_DEFINITION.match(text)
    if definition and text.count("=") == 1:
        text = " " * definition.end() + text[definition.end() :]  # "y = 3x" or "f(x) = 3x": keep positions
    variables = tuple(variables)
    return _Parser(tokenize(text, variables), variables).parse()


def evaluated(expr):
    """The evaluated form of an unevaluated tree: what SymPy would have built by default.

    May be slow for hostile input: call it on user input only inside the sandboxed worker.

    >>> evaluated(parse_expression("5*x*3*x"))
    15*x**2
    """
    if not expr.args:
        return expr
    return expr.func(*(evaluated(arg) for arg in expr.args))


def format_expression(expr) -> str:
    """The expression as parser input, normalised: parsing ``format_expression(e)`` gives ``e`` back.

    Used as the cache key for sandboxed work, so "3x²" and "3*x**2" share one entry.

    >>> format_expression(parse_expression("３ｘ²−4x"))
    '3*x^2 - 4*x'
    >>> format_expression(parse_expression("√(x+1) / (2 - x)"))
    'sqrt(x + 1)/(2 - x)'
    """
    return _format(expr)


# Where an operand stands decides whether it needs parentheses to parse back to the same tree.
_SUM, _PRODUCT, _POWER = "sum", "product", "power"


def _format(expr) -> str:
    if expr.is_Add:
        return _format_sum(expr.args)
    if _is_negation(expr):
        return "-" + _format_operand(expr.args[1], _PRODUCT)
    if expr.is_Mul:
        return _format_product(expr.args)
    if expr.is_Pow:
        return _format_power(expr)
    if expr.is_Function or isinstance(expr, sympy.log):
        name = "abs" if expr.func is sympy.Abs else expr.func.__name__
        return f"{name}({', '.join(_format(arg) for arg in expr.args)})"
    return _format_atom(expr)


def _format_sum(terms) -> str:
    text = _format(terms[0])
    for term in terms[1:]:
        if _is_negation(term):
            text += " - " + _format_operand(term.args[1], _SUM)
        elif term.is_Number and term < 0:
            text += " - " + _format(-term)
        else:
            text += " + " + _format_operand(term, _SUM)
    return text


def _format_product(factors) -> str:
    text = _format_operand(factors[0], _PRODUCT)
    for factor in factors[1:]:
        if factor.is_Pow and factor.exp == -1:
            text += "/" + _format_operand(factor.base, _POWER)
        else:
            text += "*" + _format_operand(factor, _PRODUCT)
    return text


def _format_power(expr) -> str:
    base, exponent = expr.args
    if exponent == sympy.Rational(1, 2):
        return f"sqrt({_format(base)})"
    if exponent == sympy.Rational(1, 3):
        return f"cbrt({_format(base)})"
    if exponent.is_Pow and exponent.exp == -1:
        return f"root({_format(base)}, {_format(exponent.base)})"
    return f"{_format_operand(base, _POWER)}^{_format_operand(exponent, _POWER)}"


def _format_operand(expr, context: str) -> str:
    text = _format(expr)
    return f"({text})" if _needs_parentheses(expr, context) else text


def _needs_parentheses(expr, context: str) -> bool:
    if expr.is_Add or _is_negation(expr) or (expr.is_Number and expr < 0):
        return True
    if context == _PRODUCT:
        return expr.is_Mul
    if context == _POWER:
        return expr.is_Mul or expr.is_Pow or (expr.is_Rational and not expr.is_Integer)
    return False


def _is_negation(expr) -> bool:
    return expr.is_Mul and len(expr.args) == 2 and expr.args[0] == -1 and not expr.args[1].is_Number


def _format_atom(expr) -> str:
    if expr is sympy.pi:
        return "pi"
    if expr is sympy.E:
        return "e"
    if expr.is_Float:
        return numpy.format_float_positional(float(expr), unique=True, trim="-")
    if expr.is_Rational and not expr.is_Integer:
        return f"{expr.p}/{expr.q}"
    return str(expr)
