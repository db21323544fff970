"""The value of a displayed formula: the LaTeX the chain-rule page writes for a local derivative, turned into
a Vega-style expression (``tests.vega_expressions``) and evaluated with the nodes' values. Tests use it to
check that what a page *shows* agrees with the number it shows beside it.

The subset is what ``calc_core.graph`` writes: numbers, names (``x``, ``v_{3}``), ``+ -``, implicit products
and ``\\cdot``, ``\\frac{}{}``, powers ``^{}``, ``\\sqrt{}``, ``e^{}``, ``\\left( \\right)``,
``\\left\\vert \\right\\vert``, and the functions below (``\\sec^{2}`` and the like included). Anything else
raises ``SyntaxError``.

>>> value(r"-\\frac{1}{x^{2}}", {"x": 2.0})
-0.25
>>> value(r"2 v_{7} \\cos\\left(y\\right)", {"v_7": 0.5, "y": 0.0})
1.0
"""

from __future__ import annotations

from tests.vega_expressions import evaluate

FUNCTIONS = {
    r"\sin": "sin",
    r"\cos": "cos",
    r"\tan": "tan",
    r"\ln": "log",
    r"\sec": "sec",
    r"\csc": "csc",
    r"\cot": "cot",
    r"\arctan": "atan",
    r"\operatorname{sign}": "sign",
    r"\sinh": "sinh",
    r"\cosh": "cosh",
    r"\tanh": "tanh",
}
EXTRA = {  # functions the Vega evaluator lacks, written with the ones it has
    "sign": "sign",
    "sec": "1 / cos",
    "csc": "1 / sin",
    "cot": "1 / tan",
}


def _group(text: str, start: int) -> tuple[str, int]:
    """The contents of the brace group opening at ``start`` and the index after it."""
    if text[start] != "{":
        raise SyntaxError(f"expected {{ at {start} in {text!r}")
    depth = 0
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[start + 1 : index], index + 1
    raise SyntaxError(f"unclosed group in {text!r}")


def _right(text: str, start: int, opening: str, closing: str) -> tuple[str, int]:
    """The contents from ``start`` up to the matching ``closing`` (nested ``opening`` counted)."""
    depth, index = 1, start
    while index < len(text):
        if text.startswith(opening, index):
            depth += 1
            index += len(opening)
        elif text.startswith(closing, index):
            depth -= 1
            if depth == 0:
                return text[start:index], index + len(closing)
            index += len(closing)
        else:
            index += 1
    raise SyntaxError(f"no {closing} in {text!r}")


def to_expression(tex: str) -> str:
    """``tex`` as an expression for ``tests.vega_expressions.evaluate`` (products explicit)."""
    factors: list[str] = []  # the current product's factors
    terms: list[str] = []
    index = 0
    tex = tex.replace(r"\,", " ").strip()

    def close_product(sign: str) -> None:
        if factors:
            terms.append(" * ".join(factors))
            factors.clear()
        if sign:
            terms.append(sign)

    while index < len(tex):
        char = tex[index]
        if char.isspace():
            index += 1
        elif char in "+-":
            close_product(char)
            index += 1
        elif tex.startswith(r"\cdot", index):
            index += len(r"\cdot")
        elif tex.startswith(r"\frac", index):
            top, index = _group(tex, index + len(r"\frac"))
            bottom, index = _group(tex, index)
            factors.append(f"(({to_expression(top)}) / ({to_expression(bottom)}))")
        elif tex.startswith(r"\sqrt", index):
            inner, index = _group(tex, index + len(r"\sqrt"))
            factors.append(f"sqrt({to_expression(inner)})")
        elif tex.startswith(r"\left\vert", index):
            inner, index = _right(tex, index + len(r"\left\vert"), r"\left\vert", r"\right\vert")
            factors.append(f"abs({to_expression(inner)})")
        elif tex.startswith(r"\left(", index):
            inner, index = _right(tex, index + len(r"\left("), r"\left(", r"\right)")
            factors.append(f"({to_expression(inner)})")
        elif char == "(":
            inner, index = _right(tex, index + 1, "(", ")")
            factors.append(f"({to_expression(inner)})")
        elif char == "^":
            exponent, index = _group(tex, index + 1)
            factors[-1] = f"pow({factors[-1]}, {to_expression(exponent)})"
        elif char == "e" and tex.startswith("e^{", index):
            exponent, index = _group(tex, index + 1 + 1)
            factors.append(f"exp({to_expression(exponent)})")
        elif char == "\\":
            name = next(
                (n for n in sorted(FUNCTIONS, key=len, reverse=True) if tex.startswith(n, index)), None
            )
            if name is None:
                raise SyntaxError(f"unknown command at {tex[index:]!r}")
            index += len(name)
            power = None
            if tex.startswith("^", index):
                power, index = _group(tex, index + 1)
            while tex[index].isspace():
                index += 1
            if tex.startswith("{", index):  # SymPy's \sin{\left(x \right)}
                inner, index = _group(tex, index)
            elif tex.startswith(r"\left(", index):
                inner, index = _right(tex, index + len(r"\left("), r"\left(", r"\right)")
            else:
                raise SyntaxError(f"function without parentheses in {tex!r}")
            call = f"{EXTRA.get(FUNCTIONS[name], FUNCTIONS[name])}({to_expression(inner)})"
            factors.append(f"pow({call}, {to_expression(power)})" if power else f"({call})")
        elif char.isdigit() or char == ".":
            end = index
            while end < len(tex) and (tex[end].isdigit() or tex[end] == "."):
                end += 1
            factors.append(tex[index:end])
            index = end
        elif char.isalpha():
            name = char
            index += 1
            if tex.startswith("_{", index):
                subscript, index = _group(tex, index + 1)
                name += "_" + subscript
            factors.append(name)
        else:
            raise SyntaxError(f"cannot read {tex[index:]!r}")
    close_product("")
    text = " ".join(terms)
    return "0 " + text if text.startswith(("-", "+")) else text


def value(tex: str, values: dict[str, float]) -> float:
    """The number a formula stands for, with ``values`` for its names (``v_{3}`` is ``v_3``)."""
    return evaluate(to_expression(tex), params=values)
