"""Is a student's answer right? Compared with the expected one as a function, never as a string.

``check_answer(answer_text, expected_text, variables)`` returns a plain-data verdict:

- ``"right"``: equal as functions on the real domain that matters;
- ``"right_unsimplified"``: equal, but noticeably longer than the simplest form known (see
  :func:`is_unsimplified`): ``sin(x)^2 + cos(x)^2 + 2x`` for ``1 + 2x``;
- ``"wrong"``: with a point where they differ and both values there (``answer_value`` is None where the
  answer is undefined but the expected one is not: ``2 ln(x)`` for ``ln(x^2)`` at x = -1);
- ``"not_understood"``: the parser's error (``ExpressionError.to_dict()``) under ``error``, or, for an
  equation that cannot be solved for ``solve_for``, ``reason = "equation_not_solvable"``;
- ``"unknown"``: no real point where the expected function is defined could be found, and SymPy could not
  prove the two equal either (``reason = "no_common_points"``).

How (and why in this order):

1. **Numbers first.** Both are evaluated as real functions (``calc_core.numeric.compile_numeric``: NaN
   outside the domain) at "nice" points (0, ±1, ±2, ±1/2, …) and at seeded random points of several scales.
   Only points inside the domain count: where the expected function is defined, and where ``domain_text``
   (usually the function that was differentiated) is defined. There the answer must be defined too and
   agree to a relative 1e-6. Simplification alone calls right answers wrong (``1/(|x| sqrt(x^2 - 1))`` for
   SymPy's derivative of asec, ``sqrt(x^2)`` for ``|x|``: SymPy works with complex numbers, where they
   differ). An answer undefined at a point is judged on an interval around it: undefined at isolated
   points only (a removable hole, x = 2 in ``|x^2 - 4|/(|x - 2| |x + 2|)``) decides nothing; undefined on
   an interval where the expected function is defined is a domain difference, and wrong at once.
2. **Then a bounded symbolic difference** (expand, when the expansion's size, estimated first, is
   small; then ``calc_core.steps.simplify_result``: cheap methods within a time budget): a proof when it
   reaches 0, the verdict when no point could be checked, and a catch for a difference by a tiny constant
   that numbers cannot see. When the numbers and the proof disagree, a proven zero difference wins:
   float64 cancellation near a 7-fold root of an expanded degree-13 polynomial makes right values differ
   by more than the tolerance. Values that differ by more than 1e-3 (relative) get the expansion only,
   no simplification. So a wrong answer reaches SymPy only through these bounded steps, inside the
   sandboxed worker's wall-clock and memory limits; a domain difference never does.
3. **Simplified or not**, for a right answer: ``count_ops`` of the answer against the shortest form known.

Run it inside the sandboxed worker (task ``check_answer``, ``calc_core.service.check_answer``): the texts
are the student's, parsed here with the allow-list parser, never eval'd.
"""

from __future__ import annotations

import math
import random
import re

import numpy as np
import sympy

from calc_core.errors import ExpressionError
from calc_core.numeric import compile_numeric
from calc_core.parser import (
    PREFIX_DEFINITION,
    ascii_view,
    evaluated,
    format_expression,
    parse_expression,
    parse_with_notes,
)
from calc_core.printing import expression_latex
from calc_core.results import AnswerVerdict
from calc_core.steps import simplify_result

VERDICTS = ("right", "right_unsimplified", "wrong", "not_understood", "unknown")

# Numeric comparison: values agree when |a - e| <= ATOL + RTOL * max(|a|, |e|).
RTOL = 1e-6
ATOL = 1e-9
# Values beyond this are not compared: two right formulas may overflow at different points.
MAX_COMPARED_MAGNITUDE = 1e12
# At least this many points inside the domain, or the numbers decide nothing.
MIN_POINTS = 8
RANDOM_POINTS = 400
RANDOM_SCALES = (1.0, 3.0, 10.0)
# Readable points, tried first so that a counterexample is easy to check by hand.
NICE_VALUES = (1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, -3.0, 0.0, 1.5, -1.5, 4.0, -4.0)
MAX_GRID_VARIABLES = 2  # all combinations of nice values up to this many variables, else random nice points
NICE_POINTS = 64

# Seconds the symbolic steps may spend (each), within the worker's own wall-clock limit.
SYMBOLIC_BUDGET = 0.5
_MAX_EXPANDED_POWER = 16

# "Noticeably longer": at least this many more operations, and this many times as many.
UNSIMPLIFIED_MIN_EXTRA_OPS = 2
UNSIMPLIFIED_RATIO = 1.5


def check_answer(
    answer_text: str,
    expected_text: str,
    variables: tuple[str, ...] = ("x",),
    domain_text: str | None = None,
    solve_for: str | None = None,
    seed: int = 0,
) -> AnswerVerdict:
    """The verdict on ``answer_text`` against ``expected_text``, both parser syntax in ``variables``.

    ``domain_text``: compare only where this function is defined too (for a derivative, the function
    itself: SymPy's derivative of acosh is defined for x < -1, acosh is not). ``solve_for``: the answer
    may be an equation in this extra variable, linear in it (``y - 0 = 4(x - 1)``), solved before checking.

    >>> check_answer("4(x-1)", "4x - 4")["verdict"]
    'right'
    >>> verdict = check_answer("2ln(x)", "ln(x^2)")
    >>> verdict["verdict"], verdict["point"], verdict["expected_value"], verdict["answer_value"]
    ('wrong', [['x', -1.0]], 0.0, None)
    >>> check_answer("sin(x)^2 + cos(x)^2 + 2x", "1 + 2x")["verdict"]
    'right_unsimplified'
    >>> check_answer("4x +", "4x - 4")["error"]["code"]
    'unexpected_end'
    """
    variables = tuple(variables)
    if not variables:
        raise ValueError("check_answer needs at least one variable")
    try:
        answer, notes = parse_answer_with_notes(answer_text, variables, solve_for)
    except ExpressionError as err:
        return {"verdict": "not_understood", "error": err.to_dict(), "reason": "parse_error"}
    except _NotSolvable:
        return {"verdict": "not_understood", "error": None, "reason": "equation_not_solvable"}
    expected = parse_expression(expected_text, variables)
    domain = None if domain_text is None else parse_expression(domain_text, variables)
    # The answer as parser input (solved, if it was an equation): what a page plots. No LaTeX here: printing
    # can evaluate, and a wrong answer must never reach SymPy's evaluation (describe it in its own task).
    result = {"answer_text": _answer_text(answer, variables, solved=solve_for is not None), "notes": notes}

    numeric = compare_numerically(answer, expected, variables, domain, seed)
    if numeric["outcome"] == "differs" and numeric["reason"] == "answer_undefined":
        return {**result, "verdict": "wrong", **_witness(numeric)}  # SymPy's proofs ignore real domains

    # Values that differ a lot get the (size-checked) expansion only: cancellation is a polynomial's trouble.
    expand_only = numeric["outcome"] == "differs" and not numeric["doubtful"]
    difference = symbolic_difference(answer, expected, budget=0.0 if expand_only else SYMBOLIC_BUDGET)
    proved = difference == 0
    if numeric["outcome"] == "differs" and not proved:
        return {**result, "verdict": "wrong", **_witness(numeric)}
    if numeric["outcome"] == "no_points" and not proved:
        return {**result, "verdict": "unknown", "reason": "no_common_points", "proved": False}
    if not proved and difference.is_Number and numeric["outcome"] == "agrees":
        # Equal to 1e-6 everywhere, yet different by a constant: x^2 + 0.0000001 for x^2.
        expected_value = numeric["first_expected"]
        return {
            **result,
            "verdict": "wrong",
            "reason": "constant_difference",
            "point": numeric["first_point"],
            "expected_value": expected_value,
            "answer_value": expected_value + float(difference),
        }
    simplest = simplest_form(answer, expected)
    unsimplified = is_unsimplified(answer, simplest, expected)
    return {
        **result,
        "verdict": "right_unsimplified" if unsimplified else "right",
        "proved": proved,
        "points_checked": numeric.get("points_checked", 0),
        "simplest_latex": _latex(simplest),
    }


class _NotSolvable(Exception):
    """An equation that is not linear in the variable to solve for."""


_LEFT_SIDE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=")


def parse_answer(text: str, variables: tuple[str, ...], solve_for: str | None = None) -> sympy.Expr:
    """The answer as a (typed, unevaluated) expression in ``variables``.

    Without ``solve_for``, the parser's own rules apply (it drops ``y =`` or ``f(x) =``). With it, an
    equation ``lhs = rhs`` in ``variables`` and ``solve_for`` is solved for ``solve_for`` when it is linear
    in it; error positions stay those of the whole text.

    >>> parse_answer("4x - y = 4", ("x",), solve_for="y")
    4*x - 4
    >>> parse_answer("du_da = du_dx*dx_da", ("du_dx", "dx_da"))
    du_dx*dx_da
    """
    return parse_answer_with_notes(text, variables, solve_for)[0]


def parse_answer_with_notes(
    text: str, variables: tuple[str, ...], solve_for: str | None = None
) -> tuple[sympy.Expr, list[dict]]:
    """Like :func:`parse_answer`, with the parser's reading notes on the answer (both sides of an equation),
    for the box to say how it read 1e-3 or sin⁻¹ (``calc_core.parser.parse_with_notes``).

    >>> parse_answer_with_notes("y = 1e-3x", ("x",), solve_for="y")[1][0]["value"]
    '0.001'
    """
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    notes: list[dict] = []
    view = ascii_view(text)  # "ｙ＝４ｘ－４" from a Chinese input method has its "=" too
    if view.count("=") == 1 and not PREFIX_DEFINITION.match(view):
        left_side = _LEFT_SIDE.match(view)
        if solve_for is None and left_side:  # "du_da = ...": a name for the answer, then the answer
            return _noted(" " * left_side.end() + text[left_side.end() :], variables, notes), notes
        if solve_for is not None:
            return _solve_equation(text, variables, solve_for, notes), notes
    return _noted(text, variables, notes), notes


def _noted(text: str, variables: tuple[str, ...], notes: list[dict]) -> sympy.Expr:
    expr, found = parse_with_notes(text, variables)
    notes.extend(found)
    return expr


def _solve_equation(text: str, variables: tuple[str, ...], unknown: str, notes: list[dict]) -> sympy.Expr:
    split = ascii_view(text).index("=")
    names = (*variables, unknown)
    left = _noted(text[:split], names, notes)
    right = _noted(" " * (split + 1) + text[split + 1 :], names, notes)  # positions stay the text's
    symbol = sympy.Symbol(unknown)
    difference = evaluated(left) - evaluated(right)
    coefficient = sympy.diff(difference, symbol)
    if coefficient.has(symbol) or coefficient == 0:
        raise _NotSolvable(text)
    return -difference.subs(symbol, 0) / coefficient


# --- 1. numbers ---------------------------------------------------------------------------------------


def sample_points(variables: tuple[str, ...], seed: int = 0) -> tuple[np.ndarray, int]:
    """Points to compare at, one row each, and how many of the first rows are "nice".

    Nice points (combinations of 1, -1, 2, -2, 1/2, …) come first, so that a counterexample is easy to check
    by hand; then seeded random points at several scales, rounded to 3 significant digits (still random,
    and readable), where a domain difference of positive length shows up.

    >>> points, nice = sample_points(("x",))
    >>> points[:4, 0].tolist(), points.shape[1], nice
    ([1.0, -1.0, 2.0, -2.0], 1, 13)
    """
    rng = random.Random(seed)
    count = len(variables)
    if count <= MAX_GRID_VARIABLES:
        # Every combination of nice values, those made of the first values (1, -1, 2, ...) first.
        index = np.array(np.meshgrid(*[range(len(NICE_VALUES))] * count, indexing="ij")).reshape(count, -1).T
        order = np.lexsort((index.sum(axis=1), index.max(axis=1)))
        nice = np.array(NICE_VALUES)[index[order][:NICE_POINTS]].reshape(-1, count)
    else:
        nice = np.array([[rng.choice(NICE_VALUES) for _ in range(count)] for _ in range(NICE_POINTS)])
    scattered = np.array(
        [
            [float(f"{rng.uniform(-1.0, 1.0) * rng.choice(RANDOM_SCALES):.3g}") for _ in range(count)]
            for _ in range(RANDOM_POINTS)
        ]
    ).reshape(-1, count)
    scattered = scattered[np.argsort(np.abs(scattered).max(axis=1), kind="stable")]  # small ones first
    return np.vstack([nice, scattered]), len(nice)


def compare_numerically(
    answer: sympy.Expr,
    expected: sympy.Expr,
    variables: tuple[str, ...],
    domain: sympy.Expr | None = None,
    seed: int = 0,
) -> dict:
    """Evaluate both at :func:`sample_points`; compare where the expected one (and ``domain``) is defined.

    ``outcome`` is ``"differs"``, ``"agrees"`` or ``"no_points"`` (fewer than MIN_POINTS points to compare).

    - ``"differs"``: the answer has another value at ``point`` (``reason`` ``"differs"``), or is undefined
      at a random point (``"answer_undefined"``: a domain that differs on an interval; a nice point alone,
      such as x = 1 for (x² − 1)/(x − 1), may be an isolated hole). ``expected_value``, ``answer_value``
      (None if undefined). ``doubtful`` when rounding may be to blame (cancellation in an expanded
      ``(x + 1)^13``): defined values that differ by less than 1e-3 (relative) everywhere; a symbolic proof
      may then overrule the numbers. A domain difference is never doubtful: SymPy proves identities of
      complex functions, blind to where the real ones are undefined.
    - ``"agrees"``: ``points_checked``, and the first such point with its expected value.

    >>> x = sympy.Symbol("x")
    >>> compare_numerically(sympy.sqrt(x**2), sympy.Abs(x), ("x",))["outcome"]
    'agrees'
    >>> compare_numerically(sympy.sqrt(x**2), x, ("x",))["point"]
    [['x', -1.0]]
    """
    points, nice_count = sample_points(variables, seed)
    columns = [points[:, i] for i in range(points.shape[1])]
    expected_values = _values(expected, variables, columns, points.shape[0])
    answer_values = _values(answer, variables, columns, points.shape[0])
    inside = np.isfinite(expected_values) & (np.abs(expected_values) <= MAX_COMPARED_MAGNITUDE)
    if domain is not None:
        inside &= np.isfinite(_values(domain, variables, columns, points.shape[0]))
    defined = np.isfinite(answer_values)
    compared = inside & defined & (np.abs(np.where(defined, answer_values, 0.0)) <= MAX_COMPARED_MAGNITUDE)
    with np.errstate(all="ignore"):
        gap = np.abs(answer_values - expected_values)
        scale = np.maximum(np.abs(answer_values), np.abs(expected_values))
    differs = compared & (gap > ATOL + RTOL * scale)
    undefined = inside & ~defined
    # Undefined at an isolated point is a removable hole (x = 1 in (x² − 1)/(x − 1)), at a nice point or a
    # random one (rounded to 3 digits, random points land on 2 as well): only an interval decides.
    undefined[np.flatnonzero(undefined)] = ~isolated_holes(
        answer, expected, variables, points[undefined], domain
    )
    if differs.any() or undefined.any():
        i = int(np.flatnonzero(differs if differs.any() else undefined)[0])
        doubtful = bool(differs.any() and np.all(gap[differs] <= 1e-3 * np.maximum(scale[differs], 1.0)))
        return {
            "outcome": "differs",
            "reason": "differs" if differs[i] else "answer_undefined",
            "doubtful": doubtful,
            "point": _point(variables, points[i]),
            "expected_value": float(expected_values[i]),
            "answer_value": float(answer_values[i]) if differs[i] else None,
            "points_checked": int(compared.sum()),
        }
    checked = int(compared.sum())
    if checked < MIN_POINTS:
        return {"outcome": "no_points", "points_checked": checked}
    first = int(np.flatnonzero(compared)[0])
    return {
        "outcome": "agrees",
        "points_checked": checked,
        "first_point": _point(variables, points[first]),
        "first_expected": float(expected_values[first]),
    }


# Around a point where the answer is undefined: offsets (relative to max(1, |coordinate|)) along each axis.
HOLE_OFFSETS = (1e-3, 3.7e-3, 1.3e-2, 4.1e-2)
MAX_HOLES_CHECKED = 24  # past this many undefined points, the rest count as undefined (a domain difference)


def isolated_holes(
    answer: sympy.Expr,
    expected: sympy.Expr,
    variables: tuple[str, ...],
    points: np.ndarray,
    domain: sympy.Expr | None = None,
) -> np.ndarray:
    """For each point (a row) where the answer is undefined: is that an isolated hole?

    It is when, along some line through it (an axis or the diagonal), the answer is defined at nearby
    points on both sides (see HOLE_OFFSETS) wherever the expected function (and ``domain``) is, and there
    are such points. An answer undefined on a whole interval (``ln(x)`` against ``ln|x|`` at x = −1) has
    no isolated holes; with two variables, holes on a line ((x² − y²)/(x − y) at x = y) count as holes.

    >>> x = sympy.Symbol("x")
    >>> isolated_holes((x**2 - 4) / (x - 2), x + 2, ("x",), np.array([[2.0]])).tolist()
    [True]
    >>> isolated_holes(sympy.log(x), sympy.log(sympy.Abs(x)), ("x",), np.array([[-1.0]])).tolist()
    [False]
    """
    result = np.zeros(len(points), dtype=bool)
    if not len(points):
        return result
    checked = points[:MAX_HOLES_CHECKED]
    count = len(variables)
    steps = np.array([sign * offset for offset in HOLE_OFFSETS for sign in (1.0, -1.0)])
    # neighbours[i, j, k]: point i moved by step j along axis k, then along the diagonal
    directions = np.vstack([np.eye(count), np.ones((1, count))])
    scale = np.maximum(1.0, np.abs(checked))[:, None, None, :]
    moves = steps[None, :, None, None] * directions[None, None, :, :] * scale
    neighbours = (checked[:, None, None, :] + moves).reshape(-1, count)
    columns = [neighbours[:, i] for i in range(count)]
    total = neighbours.shape[0]
    expected_there = np.isfinite(_values(expected, variables, columns, total))
    if domain is not None:
        expected_there &= np.isfinite(_values(domain, variables, columns, total))
    answer_there = np.isfinite(_values(answer, variables, columns, total))
    shape = (len(checked), len(steps), len(directions))
    expected_there, answer_there = expected_there.reshape(shape), answer_there.reshape(shape)
    along = expected_there.any(axis=1) & np.all(answer_there | ~expected_there, axis=1)
    result[: len(checked)] = along.any(axis=1)  # a line of holes ((x² − y²)/(x − y)) is crossed by an axis
    return result


def _values(expr: sympy.Expr, variables: tuple[str, ...], columns: list, count: int) -> np.ndarray:
    return compile_numeric(expr, list(variables))(*columns)


def _point(variables: tuple[str, ...], row: np.ndarray) -> list:
    return [[name, float(value)] for name, value in zip(variables, row, strict=True)]


def _witness(numeric: dict) -> dict:
    return {key: numeric[key] for key in ("reason", "point", "expected_value", "answer_value")}


# --- 2. the symbolic difference -----------------------------------------------------------------------


def symbolic_difference(answer: sympy.Expr, expected: sympy.Expr, budget: float = SYMBOLIC_BUDGET):
    """answer − expected, reshaped within ``budget`` seconds: 0 proves them equal (as complex functions).

    >>> x = sympy.Symbol("x")
    >>> symbolic_difference((x + 1) ** 2, x**2 + 2 * x + 1)
    0
    >>> symbolic_difference(sympy.sin(x) ** 2, 1 - sympy.cos(x) ** 2)
    0
    """
    difference = evaluated(answer) - evaluated(expected)
    if difference == 0 or _has_big_power(difference) or expansion_size(difference) > MAX_EXPANDED_TERMS:
        return difference
    difference = sympy.expand(difference)
    if difference == 0 or budget <= 0:
        return difference
    return simplify_result(difference, budget)


MAX_EXPANDED_TERMS = 5000


def expansion_size(expr: sympy.Expr) -> int:
    """An upper bound on the number of terms ``sympy.expand(expr)`` can have: expand only what stays small.

    A sum adds its terms' counts, a product multiplies them, an integer power n of s terms has at most
    C(n + s − 1, s − 1) (the multinomial count); anything else is one term.

    >>> x, y = sympy.symbols("x y")
    >>> expansion_size((x + 1) ** 3 * (x + y + 1) ** 2)
    24
    """
    if expr.is_Add:
        return sum(expansion_size(term) for term in expr.args)
    if expr.is_Mul:
        return math.prod(min(expansion_size(factor), MAX_EXPANDED_TERMS + 1) for factor in expr.args)
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 1 and expr.base.is_Add:
        terms = min(expansion_size(expr.base), MAX_EXPANDED_TERMS + 1)
        return math.comb(int(expr.exp) + terms - 1, terms - 1)
    return 1


def _has_big_power(expr: sympy.Expr) -> bool:
    return any(
        p.base.is_Add and p.exp.is_Integer and abs(p.exp) > _MAX_EXPANDED_POWER for p in expr.atoms(sympy.Pow)
    )


# --- 3. simplified or not -------------------------------------------------------------------------------


def simplest_form(answer: sympy.Expr, expected: sympy.Expr, budget: float = SYMBOLIC_BUDGET) -> sympy.Expr:
    """The shortest (``count_ops``) of the expected and the answer, each tidied within ``budget``.

    >>> x = sympy.Symbol("x")
    >>> simplest_form(sympy.sin(x) ** 2 + sympy.cos(x) ** 2 + 2 * x, 1 + 2 * x)
    2*x + 1
    """
    candidates = [evaluated(expected)]
    for expr in (expected, answer):
        candidates.append(simplify_result(expr, budget))
    return min(candidates, key=sympy.count_ops)


def is_unsimplified(answer: sympy.Expr, simplest: sympy.Expr, expected: sympy.Expr | None = None) -> bool:
    """Noticeably longer than the simplest form known: the definition of "right but unsimplified".

    Operations are SymPy's ``count_ops`` of the evaluated answer (so ``3*2x - 4``, evaluated 6x − 4, is as
    short as ``6x - 4``). Unsimplified means all of:

    - at least 2 more operations than ``simplest``, and at least 1.5 times as many (so the raw quotient
      rule, 9 operations against 7, is fine);
    - more operations than the expanded ``expected``, if given: multiplying out is a simplification too,
      so ``x^2 + 2x + 1`` is fine for ``(x + 1)^2``, while ``(x + 1)^2 - x^2`` is not for ``2x + 1``.

    >>> x = sympy.Symbol("x")
    >>> is_unsimplified(sympy.sin(x) ** 2 + sympy.cos(x) ** 2 + 2 * x, 2 * x + 1)
    True
    >>> is_unsimplified(2 * (3 * x - 2), 6 * x - 4)
    False
    >>> is_unsimplified(x**2 + 2 * x + 1, (x + 1) ** 2, expected=(x + 1) ** 2)
    False
    """
    answer_ops = sympy.count_ops(evaluated(answer))
    simplest_ops = sympy.count_ops(simplest)
    longer = (
        answer_ops - simplest_ops >= UNSIMPLIFIED_MIN_EXTRA_OPS
        and answer_ops >= UNSIMPLIFIED_RATIO * simplest_ops
    )
    if not longer or expected is None:
        return longer
    expected = evaluated(expected)
    if _has_big_power(expected):
        return longer
    return answer_ops > sympy.count_ops(sympy.expand(expected))


# --- plain data ----------------------------------------------------------------------------------------


def _latex(expr: sympy.Expr) -> str:
    return expression_latex(expr)


def _answer_text(expr: sympy.Expr, variables: tuple[str, ...], solved: bool) -> str | None:
    """Parser input for the answer: the typed tree's normal text, or a solved equation's text if it parses."""
    text = format_expression(expr)
    if not solved:
        return text
    try:
        parse_expression(text, variables)
    except ExpressionError:
        return None
    return text
