"""Fresh derivative problems, by rule and level, the same for everyone who uses the same seed.

``generate_problems(seed, rule, level, count)`` is pure and deterministic: each problem comes from its own
``random.Random`` seeded with the text ``"{seed}/{rule}/{level}/{index}/{attempt}"`` (a str seed goes
through SHA-512, not through Python's salted ``hash()``), drawing only from tuples, so the same seed gives
the same problems on every machine and in every process, and problem 3 is the same whether a set has 5 or
10 problems. A teacher puts ``?seed=…&rule=…&level=…`` in a link and the whole class gets the same set.

``practice_problems`` adds what SymPy knows (the derivative, LaTeX); it runs in the sandboxed worker (task
``practice_problems``): the problems are ours, but SymPy work stays out of the Streamlit server all the same.

Levels: 1 applies the rule once to simple pieces; 2 mixes in a second rule (a constant multiple, a simple
inner function); 3 combines rules or uses less common functions (roots, negative powers, inverse trig).

>>> [p["function"] for p in generate_problems(7, "power", 1, 3)]
['6x^4 + 3x', '5x^3', '6x^6 + 8x']
"""

from __future__ import annotations

import random
from collections.abc import Callable

import sympy

from calc_core.parser import evaluated, format_expression, parse_expression
from calc_core.printing import expression_latex
from calc_core.results import PracticeProblem

# The rules a problem set can practise, in lesson order; "mixed" draws one of the others per problem.
PRACTICE_RULES = ("power", "product", "quotient", "chain", "exp_log", "trig", "mixed")
LEVELS = (1, 2, 3)
MAX_COUNT = 20
MAX_SEED = 999_999
_MAX_ATTEMPTS = 50  # redraws to avoid a repeated problem within a set
VARIABLE = "x"

Rng = random.Random


def _coefficient(rng: Rng, low: int = 2, high: int = 9) -> int:
    return rng.randint(low, high)


def _signed_terms(terms: list[tuple[int, str]]) -> str:
    """``[(3, "x^2"), (-2, "x"), (-1, "")]`` → ``"3x^2 - 2x - 1"``; a coefficient 1 is left out."""
    text = ""
    for sign_and_size, body in terms:
        size = abs(sign_and_size)
        piece = body if size == 1 and body else f"{size}{body}"
        if not text:
            text = piece if sign_and_size > 0 else f"-{piece}"
        else:
            text += f" + {piece}" if sign_and_size > 0 else f" - {piece}"
    return text


def _monomial(power: int) -> str:
    return "x" if power == 1 else f"x^{power}"


def _polynomial(rng: Rng, terms: int, max_degree: int = 5, constant: bool = True) -> str:
    degrees = sorted(rng.sample(range(1, max_degree + 1), terms), reverse=True)
    parts = [(rng.choice((1, -1)) * _coefficient(rng, 1, 9), _monomial(d)) for d in degrees]
    parts[0] = (abs(parts[0][0]), parts[0][1])
    if constant:
        parts.append((rng.choice((1, -1)) * _coefficient(rng, 1, 9), ""))
    return _signed_terms(parts)


def _shift(rng: Rng) -> str:
    """``x + 3`` or ``x - 2``."""
    return f"x {rng.choice('+-')} {_coefficient(rng, 1, 6)}"


def _linear(rng: Rng) -> str:
    """``3x + 1`` or ``2x - 5``."""
    return f"{_coefficient(rng, 2, 5)}x {rng.choice('+-')} {_coefficient(rng, 1, 6)}"


def _simple_function(rng: Rng) -> str:
    return rng.choice(("sin(x)", "cos(x)", "e^x", "ln(x)"))


def _by_level(rng: Rng, level: int, easy: tuple, medium: tuple, hard: tuple) -> str:
    """The recipes of ``level`` (1: ``easy``, 2: ``medium``, else ``hard``): one, chosen with ``rng``, run.

    >>> _by_level(random.Random(0), 2, (lambda: "a",), (lambda: "b", lambda: "c"), (lambda: "d",))
    'c'
    """
    recipes = easy if level == 1 else medium if level == 2 else hard
    return rng.choice(recipes)()


# --- one generator per rule; each returns the function as parser input --------------------------------


def _power(rng: Rng, level: int) -> str:
    if level == 1:
        if rng.random() < 0.5:
            return f"{_coefficient(rng)}x^{rng.randint(2, 6)}"
        return _signed_terms([(_coefficient(rng), f"x^{rng.randint(2, 6)}"), (_coefficient(rng), "x")])
    if level == 2:
        return _polynomial(rng, 3, max_degree=6, constant=rng.random() < 0.5)
    pieces = (
        lambda: f"{_coefficient(rng)}x^(-{rng.randint(1, 3)})",  # not 5/x^3: that reads as a chain
        lambda: f"{_coefficient(rng)}sqrt(x)",
        lambda: f"x^({rng.choice((3, 5, 7))}/2)",
        lambda: f"{_coefficient(rng)}cbrt(x)",
        lambda: f"{_coefficient(rng)}x^(-1/2)",
        lambda: f"{_coefficient(rng)}x^{rng.randint(2, 5)}",
    )
    chosen = rng.sample(range(len(pieces)), 2)
    first, second = (pieces[i]() for i in chosen)
    return f"{first} {rng.choice('+-')} {second}"


def _product(rng: Rng, level: int) -> str:
    if level == 1:
        power = rng.randint(1, 4)
        return f"{_monomial(power)} {_simple_function(rng)}"
    if level == 2:
        return rng.choice(
            (
                lambda: f"(x^2 {rng.choice('+-')} {_coefficient(rng, 1, 5)}) {_simple_function(rng)}",
                lambda: "sin(x) cos(x)",
                lambda: f"e^x {rng.choice(('sin(x)', 'cos(x)'))}",
                lambda: f"x^{rng.randint(2, 4)} ln(x)",
                lambda: f"{_coefficient(rng)}x e^x",
            )
        )()
    return rng.choice(
        (
            lambda: f"x e^x {rng.choice(('sin(x)', 'cos(x)'))}",
            lambda: "x^2 sin(x) cos(x)",
            lambda: f"(x^2 + {_coefficient(rng, 1, 5)}) sqrt(x)",
            lambda: f"x^{rng.randint(2, 3)} e^x ln(x)",
            lambda: f"sqrt(x) {rng.choice(('sin(x)', 'cos(x)', 'e^x'))}",
        )
    )()


def _quotient(rng: Rng, level: int) -> str:
    return _by_level(
        rng,
        level,
        (
            lambda: f"x/({_shift(rng)})",
            lambda: f"({_shift(rng)})/({_shift(rng)})",
            lambda: f"x^2/({_shift(rng)})",
        ),
        (
            lambda: "sin(x)/x",
            lambda: "e^x/x",
            lambda: f"x^2/(x^2 + {_coefficient(rng, 1, 5)})",
            lambda: "ln(x)/x",
            lambda: f"(x^2 - {_coefficient(rng, 1, 5)})/({_shift(rng)})",
        ),
        (
            lambda: f"(x^2 + {_coefficient(rng, 1, 5)}x)/(x^2 + {_coefficient(rng, 1, 5)})",
            lambda: "sin(x)/(1 + cos(x))",
            lambda: "e^x/(1 + e^x)",
            lambda: f"ln(x)/x^{rng.randint(2, 3)}",
            lambda: f"x e^x/({_shift(rng)})",
        ),
    )


def _chain(rng: Rng, level: int) -> str:
    a = _coefficient(rng, 2, 5)
    return _by_level(
        rng,
        level,
        (
            lambda: f"({_linear(rng)})^{rng.randint(2, 6)}",
            lambda: f"sin({a}x)",
            lambda: f"e^({a}x)",
            lambda: f"cos({_linear(rng)})",
        ),
        (
            lambda: f"sqrt(x^2 + {a})",
            lambda: "sin(x^2)",
            lambda: f"ln(x^2 + {a})",
            lambda: "e^(-x^2)",
            lambda: f"(x^2 + {a})^{rng.randint(3, 5)}",
            lambda: f"cos(x)^{rng.randint(2, 4)}",
        ),
        (
            lambda: f"sin(e^({a}x))",
            lambda: "ln(cos(x))",
            lambda: "sqrt(1 + sin(x)^2)",
            lambda: "e^(sin(x^2))",
            lambda: f"(1 + e^({a}x))^{rng.randint(2, 4)}",
            lambda: f"cos(sqrt(x^2 + {a}))",
        ),
    )


def _exp_log(rng: Rng, level: int) -> str:
    a, b = _coefficient(rng), _coefficient(rng, 2, 5)
    return _by_level(
        rng,
        level,
        (
            lambda: f"{a}e^x",
            lambda: f"{a}ln(x)",
            lambda: f"e^x + {a}ln(x)",
            lambda: f"{a}e^x - {b}x",
        ),
        (
            lambda: f"e^({b}x)",
            lambda: f"ln({b}x)",
            lambda: f"{b}^x",
            lambda: f"log(x, {b})",
            lambda: f"e^({_linear(rng)})",
            lambda: "x - ln(x)",
        ),
        (
            lambda: "x^x",
            lambda: f"ln(x^2 + {a})",
            lambda: "e^(x^2)",
            lambda: f"{b}^(x^2)",
            lambda: "ln(sqrt(x))",
            lambda: f"ln(e^x + {a})",
        ),
    )


def _trig(rng: Rng, level: int) -> str:
    a, b = _coefficient(rng), _coefficient(rng)
    return _by_level(
        rng,
        level,
        (
            lambda: f"{a}sin(x)",
            lambda: "sin(x) + cos(x)",
            lambda: "tan(x)",
            lambda: f"{a}cos(x) - {b}sin(x)",
        ),
        (
            lambda: f"sin({b}x)",
            lambda: "sec(x)",
            lambda: "sin(x)^2",
            lambda: "cos(x^2)",
            lambda: "cot(x)",
            lambda: f"tan({b}x)",
        ),
        (
            lambda: "atan(x)",
            lambda: "asin(x)",
            lambda: "atan(x^2)",
            lambda: "sin(x) cos(x)^2",
            lambda: "tan(x) sec(x)",
            lambda: f"asin({b}x)",
        ),
    )


GENERATORS: dict[str, Callable[[Rng, int], str]] = {
    "power": _power,
    "product": _product,
    "quotient": _quotient,
    "chain": _chain,
    "exp_log": _exp_log,
    "trig": _trig,
}


def validate(seed: int, rule: str, level: int, count: int) -> None:
    """Raise ValueError unless the arguments are a valid problem set request.

    >>> validate(1, "chain", 2, 5)
    >>> validate(1, "integrals", 2, 5)
    Traceback (most recent call last):
    ...
    ValueError: unknown rule 'integrals'
    """
    if rule not in PRACTICE_RULES:
        raise ValueError(f"unknown rule {rule!r}")
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer from 0 to {MAX_SEED}, got {seed!r}")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count must be an integer from 1 to {MAX_COUNT}, got {count!r}")


def generate_problems(seed: int, rule: str, level: int, count: int) -> list[dict]:
    """``count`` problems ``{"index", "rule", "level", "function"}``; ``function`` is parser input in x.

    For ``"mixed"``, each problem's ``rule`` is the one drawn for it. No two problems of a set are equal.

    >>> problems = generate_problems(123, "mixed", 2, 3)
    >>> [(p["rule"], p["function"]) for p in problems]
    [('quotient', 'ln(x)/x'), ('exp_log', 'e^(4x)'), ('exp_log', 'x - ln(x)')]
    """
    validate(seed, rule, level, count)
    problems: list[dict] = []
    seen: list[str] = []
    for index in range(count):
        for attempt in range(_MAX_ATTEMPTS):
            rng = random.Random(f"{seed}/{rule}/{level}/{index}/{attempt}")
            chosen = rng.choice(PRACTICE_RULES[:-1]) if rule == "mixed" else rule
            function = GENERATORS[chosen](rng, level)
            if function not in seen:
                break
        seen.append(function)
        problems.append({"index": index, "rule": chosen, "level": level, "function": function})
    return problems


def practice_problems(seed: int, rule: str, level: int, count: int) -> list[PracticeProblem]:
    """:func:`generate_problems` with what SymPy adds: each problem's ``derivative`` (parser input: the
    expected answer for ``calc_core.answers.check_answer``), ``function_latex`` and ``derivative_latex``.

    Plain data only: run it as the worker task ``practice_problems``.

    >>> problem = practice_problems(7, "power", 1, 1)[0]
    >>> problem["function"], problem["derivative"], problem["derivative_latex"]
    ('6x^4 + 3x', '3 + 24*x^3', '24 x^{3} + 3')
    """
    problems: list[PracticeProblem] = []
    for problem in generate_problems(seed, rule, level, count):
        function = parse_expression(problem["function"], (VARIABLE,))
        derivative = sympy.diff(evaluated(function), sympy.Symbol(VARIABLE))
        problems.append(
            {
                **problem,
                "derivative": format_expression(derivative),
                "function_latex": expression_latex(function),
                "derivative_latex": expression_latex(derivative),
            }
        )
    return problems
