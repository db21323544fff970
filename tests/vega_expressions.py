"""A small evaluator for the Vega expressions our charts send to the browser, so that unit tests run the
chart's own expression (read from its spec) instead of a Python copy of it.

The subset: numbers, strings in single or double quotes, ``datum.name``, bare names (params and the
constants PI and E), the operators ``+ - * / %`` (``%`` with JavaScript's sign rule), comparisons,
``&& || !``, ``a ? b : c``, and calls of the functions in :data:`FUNCTIONS`. Anything else raises
``SyntaxError``: a test that meets it should grow the evaluator, not guess.

>>> evaluate("datum.j % 3 == 0 ? -1 : floor(datum.j / 3)", {"j": 7})
2
>>> evaluate("(0 - 1) % 4")
-1.0
"""

from __future__ import annotations

import math
import re

FUNCTIONS = {
    "floor": math.floor,
    "ceil": math.ceil,
    "round": lambda x: math.floor(x + 0.5),
    "abs": abs,
    "sign": lambda x: (x > 0) - (x < 0),
    "sqrt": math.sqrt,
    "exp": math.exp,
    "log": math.log,
    "cos": math.cos,
    "sin": math.sin,
    "tan": math.tan,
    "atan": math.atan,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "atan2": math.atan2,
    "min": min,
    "max": max,
    "pow": pow,
    "clamp": lambda x, low, high: max(low, min(x, high)),
    "isValid": lambda x: x is not None and not (isinstance(x, float) and math.isnan(x)),
    "isFinite": lambda x: isinstance(x, (int, float)) and math.isfinite(x),
}


def _text(value) -> str:
    """A value as JavaScript writes it in a string: 6.0 as 6."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _format(value: float, specifier: str) -> str:
    """d3-format, for the specifiers our charts use: ``.6f`` and ``.3~g`` (``~``: no trailing zeros)."""
    match = re.fullmatch(r"\.(\d+)(~?)([fg])", specifier)
    if match is None:
        raise SyntaxError(f"format {specifier!r} not supported here")
    digits, _, kind = match.groups()
    return f"{value:.{digits}{kind}}"


FUNCTIONS["format"] = _format
CONSTANTS = {"PI": math.pi, "E": math.e}
TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|(?P<string>'[^']*'|\"[^\"]*\")"
    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>===|!==|==|!=|<=|>=|&&|\|\||[-+*/%<>!?:(),.]))"
)
BINARY = {  # operator: (precedence, function)
    "||": (1, None),
    "&&": (2, None),
    "==": (3, lambda a, b: a == b),
    "===": (3, lambda a, b: a == b),
    "!=": (3, lambda a, b: a != b),
    "!==": (3, lambda a, b: a != b),
    "<": (4, lambda a, b: a < b),
    "<=": (4, lambda a, b: a <= b),
    ">": (4, lambda a, b: a > b),
    ">=": (4, lambda a, b: a >= b),
    "+": (5, lambda a, b: _text(a) + _text(b) if isinstance(a, str) or isinstance(b, str) else a + b),
    "-": (5, lambda a, b: a - b),
    "*": (6, lambda a, b: a * b),
    "/": (6, lambda a, b: a / b if b else math.copysign(math.inf, a) if a else math.nan),
    "%": (6, math.fmod),  # JavaScript: the sign of the dividend
}


def tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise SyntaxError(f"cannot read {text[position:]!r}")
        found.append((match.lastgroup, match.group(match.lastgroup)))
        position = match.end()
    return found


class _Parser:
    def __init__(self, text: str, datum: dict, params: dict):
        self.items = tokens(text)
        self.index = 0
        self.datum, self.params = datum, params

    def peek(self) -> str | None:
        return self.items[self.index][1] if self.index < len(self.items) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.index >= len(self.items):
            raise SyntaxError("unexpected end")
        item = self.items[self.index]
        if expected is not None and item[1] != expected:
            raise SyntaxError(f"expected {expected!r}, found {item[1]!r}")
        self.index += 1
        return item

    def expression(self):
        condition = self.binary(1)
        if self.peek() == "?":
            self.take("?")
            yes = self.expression()
            self.take(":")
            no = self.expression()
            return yes if condition else no
        return condition

    def binary(self, level: int):
        left = self.unary()
        while (op := self.peek()) in BINARY and BINARY[op][0] >= level:
            precedence, function = BINARY[op]
            self.take()
            right = self.binary(precedence + 1)
            if op == "&&":
                left = left and right
            elif op == "||":
                left = left or right
            else:
                left = function(left, right)
        return left

    def unary(self):
        if self.peek() == "-":
            self.take()
            return -self.unary()
        if self.peek() == "!":
            self.take()
            return not self.unary()
        return self.primary()

    def primary(self):
        kind, text = self.take()
        if kind == "number":
            return float(text) if any(c in text for c in ".eE") else int(text)
        if kind == "string":
            return text[1:-1]
        if text == "(":
            value = self.expression()
            self.take(")")
            return value
        if kind == "name":
            if text == "datum":
                self.take(".")
                return self.datum[self.take()[1]]
            if self.peek() == "(":
                self.take("(")
                arguments = []
                while self.peek() != ")":
                    arguments.append(self.expression())
                    if self.peek() == ",":
                        self.take(",")
                self.take(")")
                return FUNCTIONS[text](*arguments)
            if text in self.params:
                return self.params[text]
            if text in CONSTANTS:
                return CONSTANTS[text]
        raise SyntaxError(f"unexpected {text!r}")


def evaluate(text: str, datum: dict | None = None, params: dict | None = None):
    """The value of the Vega expression ``text`` for one data row and the params' values."""
    parser = _Parser(text, datum or {}, params or {})
    value = parser.expression()
    if parser.index != len(parser.items):
        raise SyntaxError(f"left over: {parser.items[parser.index :]}")
    return value


def walk(node):
    """Every dict inside a spec (or any nest of dicts and lists).

    >>> [sorted(d) for d in walk({"a": [{"b": 1}], "c": {"d": 2}})]
    [['a', 'c'], ['b'], ['d']]
    """
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def run_transforms(rows: list[dict], transforms: list[dict], params: dict) -> list[dict]:
    """Vega-Lite's ``filter`` and ``calculate`` transforms on ``rows``, in order (others raise)."""
    rows = [dict(row) for row in rows]
    for step in transforms:
        if "filter" in step and isinstance(step["filter"], str):
            rows = [row for row in rows if evaluate(step["filter"], row, params)]
        elif "calculate" in step:
            for row in rows:
                row[step["as"]] = evaluate(step["calculate"], row, params)
        else:
            raise SyntaxError(f"transform not supported here: {step}")
    return rows


def sequence_rows(data: dict) -> list[dict]:
    """The rows of a Vega-Lite ``sequence`` data source."""
    spec = data["sequence"]
    step = spec.get("step", 1)
    count = math.ceil((spec["stop"] - spec["start"]) / step)
    return [{spec.get("as", "data"): spec["start"] + k * step} for k in range(count)]
