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

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass

import numpy
import sympy

from calc_core.constant_size import MAX_EXPONENT, MAX_POWER_DIGITS, approximate, check_power_size
from calc_core.errors import ExpressionError
from calc_core.expression_text import format_expression

MAX_LENGTH = 300
MAX_NUMBER_DIGITS = 30
MAX_NODES = 250
MAX_DEPTH = 40

# Re-exported: the parser's public names, wherever they are defined.
__all__ = [
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_NUMBER_DIGITS",
    "MAX_POWER_DIGITS",
    "approximate",
    "evaluated",
    "format_expression",
    "parse_expression",
    "parse_with_notes",
]


def _pow_root(arg, n=None):
    if n is None:  # root(x): the square root, as in sqrt
        return sympy.Pow(arg, sympy.Rational(1, 2), evaluate=False)
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
# Other spellings taught in schools: cosec (British), arsinh (ISO 80000-2 "area" functions), arcosec.
_SPELLINGS = {
    "cosec": "csc",
    "cosech": "csch",
    "arccosec": "acsc",
    "arcosech": "acsch",
    **{"ar" + name: "a" + name for name in _HYPERBOLIC},  # arsinh, arcosh, …, arcsch
}

# name -> (builder, allowed argument counts)
FUNCTIONS: dict[str, tuple] = {
    **{name: (_unary(getattr(sympy, name)), (1,)) for name in _ONE_ARGUMENT},
    **{"arc" + name: (_unary(getattr(sympy, "a" + name)), (1,)) for name in _TRIG + _HYPERBOLIC},
    **{spelling: (_unary(getattr(sympy, name)), (1,)) for spelling, name in _SPELLINGS.items()},
    "ln": (_log, (1,)),
    "log": (_log, (1, 2)),
    "lg": (lambda arg: _log(arg, sympy.Integer(10)), (1,)),  # the Chinese school's log₁₀
    "sqrt": (lambda arg: sympy.Pow(arg, sympy.Rational(1, 2), evaluate=False), (1,)),
    "cbrt": (lambda arg: sympy.Pow(arg, sympy.Rational(1, 3), evaluate=False), (1,)),
    "root": (_pow_root, (1, 2)),
    "abs": (_unary(sympy.Abs), (1,)),
}
# Functions whose ⁻¹ means the inverse function (sin⁻¹ = arcsin, as on a calculator), and that inverse.
INVERSES = {name: "a" + name for name in _TRIG + _HYPERBOLIC} | {
    spelling: "a" + name for spelling, name in _SPELLINGS.items() if not name.startswith("a")
}

CONSTANTS = {"pi": sympy.pi, "e": sympy.E}

# Names from other traditions that are not read, and the function name to type instead.
_KNOWN_ALIASES = {
    "tg": "tan",
    "ctg": "cot",
    "arctg": "atan",
    "arcctg": "acot",
    "sine": "sin",
    "cosine": "cos",
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
    "∗": "*",
    "÷": "/",
    "−": "-",
    "–": "-",
    "‐": "-",
    "‑": "-",
    "﹣": "-",
    "∣": "|",
    "\u3000": " ",
}
_PLUS_MINUS = "±∓"
PREFIX_DEFINITION = re.compile(r"^\s*(?:[a-zA-Z]\w*\s*\([^()=]*\)|y|z|u)\s*=")
# Scientific notation after a number's digits: e or E, an optional sign, and an integer exponent.
_SCIENTIFIC_EXPONENT = re.compile(r"[eE][+-]?[0-9]+")
MAX_SCIENTIFIC_EXPONENT = 300
_SUM_END = ("end", "rparen", "comma", "bar")  # what may follow a term: the end of a sum


@dataclass(frozen=True)
class Token:
    kind: str  # number, name, op, lparen, rparen, comma, sqrt, superscript, bar, logbase, end
    text: str
    position: int
    end: int = -1  # one past the token's last character in the original text (-1: unknown)


def _normalise_character(char: str) -> str:
    """Full-width forms, maths letters and symbols from keyboards and input methods to their ASCII meaning.

    >>> "".join(_normalise_character(c) for c in "ｘ＝ℯ𝑥−１")
    'x=ex-1'
    """
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if char in _SYMBOL_MAP:
        return _SYMBOL_MAP[char]
    if not char.isascii() and unicodedata.category(char) in ("Ll", "Lu", "Nd"):
        folded = unicodedata.normalize("NFKC", char)  # ℯ, 𝑥, 𝟐: a letter or digit in another dress
        if len(folded) == 1 and folded.isascii():
            return folded
    return char


def ascii_view(text: str) -> str:
    """``text`` with each character read as the parser reads it (same length, so positions stay).

    >>> ascii_view("ｙ＝４ｘ－４")
    'y=4x-4'
    """
    return "".join(_normalise_character(char) for char in text)


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
    >>> [t.text for t in tokenize("2.5e-3x + 2e")]
    ['2.5e-3', 'x', '+', '2', 'e', '']
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
            tokens.append(Token("name", "pi", i, i + 1))
            i += 1
        elif raw == "√":
            tokens.append(Token("sqrt", "√", i, i + 1))
            i += 1
        elif char in _PLUS_MINUS or (char == "+" and i + 1 < len(text) and ascii_view(text[i + 1]) == "-"):
            raise ExpressionError("plus_minus", i, token=text[i : i + (1 if char in _PLUS_MINUS else 2)])
        elif char.isascii() and (char.isdigit() or char == "."):
            i = _read_number(text, i, tokens)
        elif char.isascii() and (char.isalpha() or char == "_"):
            i = _read_name(text, i, tokens, known, variables)
        elif char == "*" and i + 1 < len(text) and _normalise_character(text[i + 1]) == "*":
            tokens.append(Token("op", "^", i, i + 2))
            i += 2
        elif char in "+-*/^":
            tokens.append(Token("op", char, i, i + 1))
            i += 1
        elif char in "()|,":
            kind = {"(": "lparen", ")": "rparen", "|": "bar", ",": "comma"}[char]
            tokens.append(Token(kind, char, i, i + 1))
            i += 1
        else:
            raise ExpressionError("unexpected_character", i, char=raw)
    tokens.append(Token("end", "", len(text), len(text)))
    return tokens


def _scan(text: str, start: int, accept) -> int:
    end = start
    while end < len(text) and accept(_normalise_character(text[end])):
        _check_character(text[end], end)
        end += 1
    return end


def _read_number(text: str, start: int, tokens: list[Token]) -> int:
    end = _scan(text, start, lambda c: c.isascii() and (c.isdigit() or c == "."))
    literal = ascii_view(text[start:end])
    if literal.count(".") > 1 or literal == ".":
        raise ExpressionError("bad_number", start, token=text[start:end])
    if sum(c.isdigit() for c in literal) > MAX_NUMBER_DIGITS:
        raise ExpressionError("number_too_large", start, limit=MAX_NUMBER_DIGITS)
    # 1e-3, 6.02e23, 2.5E2: scientific notation, read as one number ("2e" alone stays 2·e).
    if end < len(text) and ascii_view(text[end]) in ("e", "E"):
        digits_start = end + 1
        if digits_start < len(text) and ascii_view(text[digits_start]) in ("+", "-"):
            digits_start += 1
        digits_end = _scan(text, digits_start, lambda c: c.isascii() and c.isdigit())
        if digits_end > digits_start:
            exponent = ascii_view(text[end:digits_end])
            literal += exponent.lower()
            end = digits_end
            _check_scientific(literal, text[start:end], start)
    tokens.append(Token("number", literal, start, end))
    return end


def _check_scientific(literal: str, typed: str, position: int) -> None:
    """An exponent of at most MAX_SCIENTIFIC_EXPONENT, and a value that stays a finite, nonzero float."""
    mantissa, exponent = literal.split("e")
    digits = exponent.lstrip("+-")
    if len(digits.lstrip("0")) > 3 or int(digits) > MAX_SCIENTIFIC_EXPONENT:
        raise ExpressionError("number_out_of_range", position, token=typed, limit=MAX_SCIENTIFIC_EXPONENT)
    value = float(("0" if mantissa.startswith(".") else "") + literal)
    if not math.isfinite(value) or (value == 0 and mantissa.strip("0.")):
        raise ExpressionError("number_out_of_range", position, token=typed, limit=MAX_SCIENTIFIC_EXPONENT)


def _read_name(text: str, start: int, tokens: list[Token], known: list[str], variables) -> int:
    end = _scan(text, start, lambda c: c.isascii() and (c.isalnum() or c == "_"))
    run = Token("name", ascii_view(text[start:end]), start, end)
    tokens.extend(_split_names(run, known, text, variables))
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
    tokens.append(Token("superscript", sign + digits, start, end))
    return end


_LOG_BASE = re.compile(r"log(?:_?([0-9]+)|_([A-Za-z][A-Za-z0-9]*))")


def _split_names(token: Token, known: list[str], text: str, variables) -> list[Token]:
    """Split a run of letters like ``x1x2`` or ``2pix`` into known names, longest match first.

    ``log10``, ``log2``, ``log_2`` and ``log_e`` give the name ``log`` and a ``logbase`` token.
    """
    parts: list[Token] = []
    rest, position = token.text, token.position
    while rest:
        base = _LOG_BASE.match(rest)
        if base and not any(rest.startswith(name) and len(name) > 3 for name in known):
            parts.append(Token("name", "log", position, position + 3))
            if base.group(1):
                length = base.end()
                parts.append(Token("logbase", base.group(1), position + 3, position + length))
            else:  # log_a…: the longest known variable or constant after the underscore is the base
                after = base.group(2)
                name = next((n for n in known if after.startswith(n) and n not in FUNCTIONS), None)
                if name is None:
                    raise ExpressionError("unknown_name", position + 4, name=after)
                length = 4 + len(name)
                parts.append(Token("logbase", name, position + 4, position + length))
            rest, position = rest[length:], position + length
            continue
        match = next((name for name in known if rest.startswith(name)), None)
        if match is None and rest[0].isdigit() and parts:  # "x2": most likely meant x²
            offset = position - token.position
            fixed = token.text[:offset] + "^" + token.text[offset:]
            raise ExpressionError(
                "unknown_name", token.position, name=token.text, suggestion=_replace(text, token, fixed)
            )
        if match is None:
            raise _unknown_name(token, rest, position, text)
        if match in FUNCTIONS and len(rest) > len(match):
            raise _function_glued_to_name(token, position, match, rest, text, known)
        parts.append(Token("name", match, position, position + len(match)))
        rest, position = rest[len(match) :], position + len(match)
    return parts


def _replace(text: str, token: Token, new: str) -> str:
    """``text`` with ``token``'s characters replaced by ``new``: a whole input to type back."""
    return text[: token.position] + new + text[token.end :]


def _function_glued_to_name(token, position, match, rest, text, known) -> ExpressionError:
    """``sinx``: offer ``sin(x)`` when what follows the name is one term; else say it without guessing."""
    offset = position - token.position
    argument = rest[len(match) :]
    following = text[token.end :].lstrip()[:1]
    suggestion = None
    if _is_names(argument, known) and following in ("", "+", "-", ")", ",", "="):
        fixed = token.text[:offset] + f"{match}({argument})"
        suggestion = _replace(text, token, fixed)
    if suggestion is None:
        return ExpressionError("unknown_name", token.position, name=token.text)
    return ExpressionError("unknown_name", token.position, name=token.text, suggestion=suggestion)


def _is_names(run: str, known: list[str]) -> bool:
    """Whether ``run`` splits into variables and constants only (``x``, ``xy``, ``pix``)."""
    while run:
        match = next((name for name in known if run.startswith(name) and name not in FUNCTIONS), None)
        if match is None:
            return False
        run = run[len(match) :]
    return True


def _unknown_name(token: Token, rest: str, position: int, text: str) -> ExpressionError:
    name = token.text if rest == token.text else rest
    end = position + len(name)
    alias = _KNOWN_ALIASES.get(name.lower())
    close = difflib.get_close_matches(name.lower(), list(FUNCTIONS), n=1, cutoff=0.75)
    replacement = alias or (close[0] if close else None)
    if replacement and replacement in FUNCTIONS and text[end:].lstrip().startswith(("(", "（")):
        fixed = text[:position] + replacement + text[end:]
        return ExpressionError("unknown_name", position, name=name, suggestion=fixed)
    return ExpressionError("unknown_name", position, name=name)


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
