"""The notation the parser reads: its functions and constants, their other spellings, and the characters
keyboards and input methods type for them.

Everything here is data or a one-character mapping; :mod:`calc_core.tokenizer` reads text with it and
:mod:`calc_core.grammar` builds SymPy nodes with ``FUNCTIONS``. docs/input.md writes the notation down.

>>> sorted(name for name in FUNCTIONS if name.endswith("sin"))
['arcsin', 'asin', 'sin']
>>> INVERSES["sin"], CONSTANTS["pi"]
('asin', pi)
"""

from __future__ import annotations

import re
import unicodedata

import sympy


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
KNOWN_ALIASES = {
    "tg": "tan",
    "ctg": "cot",
    "arctg": "atan",
    "arcctg": "acot",
    "sine": "sin",
    "cosine": "cos",
}

SUPERSCRIPTS = {
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
SUPERSCRIPT_MINUS = "⁻"
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
PLUS_MINUS = "±∓"
PREFIX_DEFINITION = re.compile(r"^\s*(?:[a-zA-Z]\w*\s*\([^()=]*\)|y|z|u)\s*=")


def normalise_character(char: str) -> str:
    """Full-width forms, maths letters and symbols from keyboards and input methods to their ASCII meaning.

    >>> "".join(normalise_character(c) for c in "ｘ＝ℯ𝑥−１")
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
    return "".join(normalise_character(char) for char in text)
