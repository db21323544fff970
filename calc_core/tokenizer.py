"""The parser's first step: text into tokens, each with its place in the text the student typed.

Names run together are split into known names (``x1x2``, ``2pix``); a run that does not split is refused
with a suggestion where the intent is clear (``sinx`` → ``sin(x)``, ``tg(x)`` → ``tan(x)``). Numbers,
scientific notation and superscript powers are read here, with their size limits.

>>> [t.kind for t in tokenize("2sin(x)")]
['number', 'name', 'lparen', 'name', 'rparen', 'end']
"""

from __future__ import annotations

import difflib
import math
import re
import threading
import unicodedata
from dataclasses import dataclass

from calc_core.errors import ExpressionError
from calc_core.notation import (
    CONSTANTS,
    FUNCTIONS,
    KNOWN_ALIASES,
    PLUS_MINUS,
    SUPERSCRIPT_MINUS,
    SUPERSCRIPTS,
    ascii_view,
    normalise_character,
)

MAX_NUMBER_DIGITS = 30
# Scientific notation after a number's digits: e or E, an optional sign, and an integer exponent.
_SCIENTIFIC_EXPONENT = re.compile(r"[eE][+-]?[0-9]+")
MAX_SCIENTIFIC_EXPONENT = 300


@dataclass(frozen=True)
class Token:
    kind: str  # number, name, op, lparen, rparen, comma, sqrt, superscript, bar, logbase, end
    text: str
    position: int
    end: int = -1  # one past the token's last character in the original text (-1: unknown)


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
        char = normalise_character(raw)
        if char.isspace():
            i += 1
        elif raw in SUPERSCRIPTS or raw == SUPERSCRIPT_MINUS:
            i = _read_superscript(text, i, tokens)
        elif raw == "π":
            tokens.append(Token("name", "pi", i, i + 1))
            i += 1
        elif raw == "√":
            tokens.append(Token("sqrt", "√", i, i + 1))
            i += 1
        elif char in PLUS_MINUS or (char == "+" and i + 1 < len(text) and ascii_view(text[i + 1]) == "-"):
            raise ExpressionError("plus_minus", i, token=text[i : i + (1 if char in PLUS_MINUS else 2)])
        elif char.isascii() and (char.isdigit() or char == "."):
            i = _read_number(text, i, tokens)
        elif char.isascii() and (char.isalpha() or char == "_"):
            i = _read_name(text, i, tokens, known, variables)
        elif char == "*" and i + 1 < len(text) and normalise_character(text[i + 1]) == "*":
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
    while end < len(text) and accept(normalise_character(text[end])):
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
    end = start + (text[start] == SUPERSCRIPT_MINUS)
    while end < len(text) and text[end] in SUPERSCRIPTS:
        end += 1
    digits = "".join(SUPERSCRIPTS[c] for c in text[start:end] if c in SUPERSCRIPTS)
    if not digits:
        raise ExpressionError("unexpected_character", start, char=text[start])
    if len(digits) > MAX_NUMBER_DIGITS:
        raise ExpressionError("number_too_large", start, limit=MAX_NUMBER_DIGITS)
    sign = "-" if text[start] == SUPERSCRIPT_MINUS else ""
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
        if rest == "log_":
            raise _log_base_in_brackets(text, position, token.end, variables)
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
                    raise _unknown_log_base(text, position + 4, after, variables)
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


# The base put in a suggestion for log_a(…) with a base the box does not know: a number, as a base must be.
SUGGESTED_LOG_BASE = "2"
_suggesting = threading.local()  # set while a suggestion is tried, so that trying one never tries another
# The whole parser, to try a suggestion: set by calc_core.parser, which imports this module (no circle).
PARSE_FOR_SUGGESTIONS: list = [None]


def _unknown_log_base(text: str, start: int, base: str, variables) -> ExpressionError:
    """``log_a(b)`` where ``a`` is neither a number nor a variable of the box: the general formula of class.

    The suggestion is the same input with base 2 (and, for ``log_a(b)`` with ``b`` unknown too, the box's
    first variable as the argument), offered only when it parses: the message says that 2 stands for a base.
    """
    end = start + len(base)
    candidate = text[:start] + SUGGESTED_LOG_BASE + text[end:]
    argument = re.match(r"\(\s*([A-Za-z]+)\s*\)", ascii_view(text[end:]))
    candidates = [candidate]
    if argument and variables and argument.group(1) not in variables:
        where = start + len(SUGGESTED_LOG_BASE) + argument.start(1)  # the argument's letters, in candidate
        candidates.append(candidate[:where] + variables[0] + candidate[where + len(argument.group(1)) :])
    suggestion = None
    if not getattr(_suggesting, "active", False):
        suggestion = next((c for c in candidates if _parses(c, tuple(variables))), None)
    params = {"name": text[start - 4 : end], "base": base, "number": SUGGESTED_LOG_BASE}
    if suggestion is not None:
        params["suggestion"] = suggestion
    return ExpressionError("log_base_unknown", start, **params)


_BRACKETED_BASE = re.compile(r"[({]\s*([0-9]+|[A-Za-z][A-Za-z0-9]*)\s*[)}]")


def _log_base_in_brackets(text: str, start: int, end: int, variables) -> ExpressionError:
    """``log_{2}(x)`` (LaTeX) or ``log_(2)(x)``: offer ``log_2(x)`` when that parses."""
    bracketed = _BRACKETED_BASE.match(ascii_view(text[end:]))
    suggestion = None
    if bracketed and not getattr(_suggesting, "active", False):
        candidate = text[:start] + "log_" + bracketed.group(1) + text[end + bracketed.end() :]
        suggestion = candidate if _parses(candidate, tuple(variables)) else None
    if suggestion is None:
        return ExpressionError("unknown_name", start, name="log_")
    return ExpressionError("unknown_name", start, name="log_", suggestion=suggestion)


def _parses(text: str, variables: tuple[str, ...]) -> bool:
    _suggesting.active = True
    try:
        PARSE_FOR_SUGGESTIONS[0](text, variables)
    except ExpressionError:
        return False
    finally:
        _suggesting.active = False
    return True


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
    alias = KNOWN_ALIASES.get(name.lower())
    close = difflib.get_close_matches(name.lower(), list(FUNCTIONS), n=1, cutoff=0.75)
    replacement = alias or (close[0] if close else None)
    if replacement and replacement in FUNCTIONS and text[end:].lstrip().startswith(("(", "（")):
        fixed = text[:position] + replacement + text[end:]
        return ExpressionError("unknown_name", position, name=name, suggestion=fixed)
    return ExpressionError("unknown_name", position, name=name)
