"""Functions of several variables: partial derivatives, the gradient, its field, and gradient descent.

Two kinds of code live here:

- **Worker tasks** (:func:`partial_derivatives`, :func:`gradient_field`, :func:`descent_path`): they take
  the student's normalised text and plain numbers, parse and differentiate with SymPy, and return plain data.
  They run inside the sandboxed worker (``calc_core.tasks`` registers them, ``calc_core.service`` calls them
  by these names); called directly, they run in your own process.
- **Plain numpy helpers** (grids, difference quotients, the directional derivative, gradient descent) that
  work on any vectorised function of several arrays, e.g. one from ``calc_core.numeric.compile_numeric``.

Which variables a student means is decided by :func:`detect_variables`: ``x1, x2, …`` (D2L's notation) or
``x, y, z``.

>>> from calc_core.numeric import compile_numeric
>>> f = compile_numeric(parse_expression("3*x1^2 + 5*exp(x2)", ("x1", "x2")), ["x1", "x2"])
>>> [round(q, 3) for q in difference_quotients(f, (1.0, 0.0), 0, (0.1, 0.001))]
[6.3, 6.003]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from calc_core.errors import ExpressionError
from calc_core.numeric import compile_numeric
from calc_core.parser import evaluated, parse_expression
from calc_core.printing import printable
from calc_core.results import DescentData, GridData, PartialEntry, Partials
from calc_core.step_latex import step_to_dict
from calc_core.steps import derivative_steps

# The variable names a student may use, in the order they are tried: D2L's x1, x2, … first, then x, y, z.
VARIABLE_FAMILIES: tuple[tuple[str, ...], ...] = (("x1", "x2", "x3", "x4"), ("x", "y", "z"))
MIN_VARIABLES = 2  # a page about partial derivatives always has at least two
# D2L's experiment, one variable at a time: h = 0.1, 0.01, …, 0.00001.
QUOTIENT_STEPS: tuple[float, ...] = tuple(10.0**-k for k in range(1, 6))
# Seconds the step engine may spend tidying each partial derivative (the worker's 3 s limit covers all).
PARTIAL_STEPS_BUDGET = 0.4
MAX_GRID_POINTS = 201
MAX_DESCENT_STEPS = 500
# Gradient descent stops when a coordinate grows beyond this: it diverges.
DIVERGENCE_LIMIT = 1e6

Vectorised = Callable[..., np.ndarray]


# --- which variables ---------------------------------------------------------------------------------


def variables_used(expr: sympy.Basic, family: Sequence[str]) -> tuple[str, ...]:
    """The variables of ``family`` the function is written in: at least two, up to the last one it uses.

    >>> variables_used(parse_expression("x1^2", ("x1", "x2", "x3")), ("x1", "x2", "x3"))
    ('x1', 'x2')
    >>> variables_used(parse_expression("x1 + x3", ("x1", "x2", "x3")), ("x1", "x2", "x3"))
    ('x1', 'x2', 'x3')
    """
    names = {symbol.name for symbol in expr.free_symbols}
    last = max((index for index, name in enumerate(family) if name in names), default=0)
    return tuple(family[: max(MIN_VARIABLES, last + 1)])


def detect_variables(
    text: str, families: Sequence[Sequence[str]] = VARIABLE_FAMILIES
) -> tuple[sympy.Expr, tuple[str, ...]]:
    """Parse ``text`` with the first family of variable names that reads it; return it and its variables.

    When no family reads the text, the error of the family that read furthest is raised (ties: the first),
    so ``x^2 + y^2 + $`` points at the ``$``, not at the ``x`` that x1, x2, … do not know.

    >>> detect_variables("3*x1^2 + 5*exp(x2)")[1]
    ('x1', 'x2')
    >>> detect_variables("x^2 - y^2")[1], detect_variables("x*y*z")[1]
    (('x', 'y'), ('x', 'y', 'z'))
    >>> detect_variables("x^2 + y^2 + $")
    Traceback (most recent call last):
    ...
    calc_core.errors.ExpressionError: unexpected_character at 13 (char='$')
    """
    errors: list[ExpressionError] = []
    for family in families:
        try:
            expr = parse_expression(text, tuple(family))
        except ExpressionError as err:
            errors.append(err)
            continue
        return expr, variables_used(expr, family)
    raise max(errors, key=lambda err: -1 if err.position is None else err.position)


# --- plain numpy helpers -----------------------------------------------------------------------------


def _at(f: Vectorised, point: Sequence[float]) -> float:
    value = float(f(*(np.array([float(v)]) for v in point))[0])
    return value if math.isfinite(value) else math.nan


def difference_quotients(
    f: Vectorised, point: Sequence[float], index: int, steps: Sequence[float] = QUOTIENT_STEPS
) -> list[float]:
    """(f(p + h·eᵢ) − f(p)) / h for each h: the partial difference quotient, moving xᵢ alone.

    NaN where f is undefined at p or at p + h·eᵢ.

    >>> g = lambda x, y: x * y
    >>> difference_quotients(g, (2.0, 3.0), 1, (0.5,))
    [2.0]
    """
    point = [float(v) for v in point]
    base = _at(f, point)
    quotients = []
    for h in steps:
        moved = list(point)
        moved[index] += h
        quotients.append((_at(f, moved) - base) / h)
    return quotients


def numerical_gradient(f: Vectorised, point: Sequence[float], h: float = 1e-6) -> np.ndarray:
    """The gradient by central differences, one variable at a time.

    >>> numerical_gradient(lambda x, y: x**2 + 3 * y, (1.0, 5.0)).round(6).tolist()
    [2.0, 3.0]
    """
    point = [float(v) for v in point]
    gradient = []
    for index in range(len(point)):
        up, down = list(point), list(point)
        up[index] += h
        down[index] -= h
        gradient.append((_at(f, up) - _at(f, down)) / (2 * h))
    return np.array(gradient)


def directional_derivative(gradient: Sequence[float], angle: float) -> float:
    """∇f·u for the unit vector u = (cos θ, sin θ), θ in radians.

    Largest, |∇f|, when u points along ∇f; zero across it (along the level curve).

    >>> directional_derivative((3.0, 4.0), math.atan2(4.0, 3.0))
    5.0
    >>> round(directional_derivative((3.0, 4.0), math.atan2(4.0, 3.0) + math.pi / 2), 12)
    0.0
    """
    return float(gradient[0] * math.cos(angle) + gradient[1] * math.sin(angle))


def steepest_angle(gradient: Sequence[float]) -> float | None:
    """The angle θ (radians) of steepest ascent; None where the gradient is 0 or undefined.

    >>> round(math.degrees(steepest_angle((0.0, 2.0))), 6)
    90.0
    >>> steepest_angle((0.0, 0.0)) is None
    True
    """
    gx, gy = (float(v) for v in gradient[:2])
    if not (math.isfinite(gx) and math.isfinite(gy)) or (gx == 0 and gy == 0):
        return None
    return math.atan2(gy, gx)


@dataclass(frozen=True)
class DescentPath:
    """The iterates x₀, x₁, … of gradient descent, the loss f(xₖ) and |∇f(xₖ)| at each, and how it ended.

    ``status``: ``"ok"`` (all steps done), ``"diverged"`` (a coordinate passed DIVERGENCE_LIMIT or the loss
    overflowed), ``"undefined"`` (f or ∇f is undefined at an iterate, or at the start).
    """

    points: np.ndarray  # shape (steps + 1, n) or fewer rows when it stopped early
    loss: np.ndarray
    gradient_norm: np.ndarray
    learning_rate: float
    status: str

    def to_dict(self) -> dict:
        return {
            "points": self.points,
            "loss": self.loss,
            "gradient_norm": self.gradient_norm,
            "learning_rate": self.learning_rate,
            "status": self.status,
        }

    @classmethod
    def from_dict(cls, data: dict) -> DescentPath:
        return cls(
            points=np.asarray(data["points"], dtype=np.float64),
            loss=np.asarray(data["loss"], dtype=np.float64),
            gradient_norm=np.asarray(data["gradient_norm"], dtype=np.float64),
            learning_rate=float(data["learning_rate"]),
            status=str(data["status"]),
        )


def gradient_descent(
    f: Vectorised,
    gradient: Sequence[Vectorised],
    start: Sequence[float],
    learning_rate: float,
    steps: int,
) -> DescentPath:
    """x_{k+1} = x_k − η ∇f(x_k), from ``start``, for ``steps`` steps (or until it diverges or hits a gap).

    ``gradient`` holds one vectorised partial derivative per variable.

    >>> path = gradient_descent(
    ...     lambda x, y: x**2 + y**2, [lambda x, y: 2 * x, lambda x, y: 2 * y], (1.0, 2.0), 0.25, 3
    ... )
    >>> path.points.tolist(), path.loss.tolist(), path.status
    ([[1.0, 2.0], [0.5, 1.0], [0.25, 0.5], [0.125, 0.25]], [5.0, 1.25, 0.3125, 0.078125], 'ok')
    >>> gradient_descent(lambda x: x**2, [lambda x: 2 * x], (1.0,), 1.5, 50).status
    'diverged'
    """
    point = np.array([float(v) for v in start])
    points, losses, norms = [], [], []
    status = "ok"
    for step in range(steps + 1):
        loss = _at(f, point)
        grad = np.array([_at(partial, point) for partial in gradient])
        points.append(point.copy())
        losses.append(loss)
        norms.append(float(np.linalg.norm(grad)) if np.all(np.isfinite(grad)) else math.nan)
        if not math.isfinite(loss) or not np.all(np.isfinite(grad)):
            status = "diverged" if np.any(np.abs(point) > DIVERGENCE_LIMIT / 10) else "undefined"
            break
        if step == steps:
            break
        with np.errstate(all="ignore"):
            point = point - learning_rate * grad
        if not np.all(np.isfinite(point)) or np.any(np.abs(point) > DIVERGENCE_LIMIT):
            status = "diverged"
            break
    return DescentPath(
        points=np.array(points).reshape(len(points), len(start)),
        loss=np.array(losses),
        gradient_norm=np.array(norms),
        learning_rate=float(learning_rate),
        status=status,
    )


# --- grids ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """f and its two partial derivatives on an n × n grid: ``f[j, i]`` is f(x[i], y[j]) (rows along y).

    NaN where undefined. ``x``, ``y``: the axes (the first and the second variable).
    """

    x: np.ndarray
    y: np.ndarray
    f: np.ndarray
    fx: np.ndarray
    fy: np.ndarray

    @property
    def step(self) -> float:
        return float(self.x[1] - self.x[0])

    def to_dict(self) -> dict:
        return {"x": self.x, "y": self.y, "f": self.f, "fx": self.fx, "fy": self.fy}

    @classmethod
    def from_dict(cls, data: dict) -> Grid:
        return cls(**{key: np.asarray(data[key], dtype=np.float64) for key in ("x", "y", "f", "fx", "fy")})


def grid_axes(window: Sequence[float], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two axes of ``n`` evenly spaced values over ``window`` = (x_min, x_max, y_min, y_max).

    >>> [axis.tolist() for axis in grid_axes((0, 1, -1, 1), 3)]
    [[0.0, 0.5, 1.0], [-1.0, 0.0, 1.0]]
    """
    x_min, x_max, y_min, y_max = (float(v) for v in window)
    if not all(map(math.isfinite, (x_min, x_max, y_min, y_max))) or x_min >= x_max or y_min >= y_max:
        raise ExpressionError("bad_range", low=min(x_min, y_min), high=max(x_max, y_max))
    if not 2 <= int(n) <= MAX_GRID_POINTS:
        raise ExpressionError("bad_range", low=2, high=MAX_GRID_POINTS)
    # Rounded, so that slider positions read 0.1 rather than 0.10000000000000009.
    return np.linspace(x_min, x_max, int(n)).round(10), np.linspace(y_min, y_max, int(n)).round(10)


def evaluate_grid(f: Vectorised, fx: Vectorised, fy: Vectorised, window: Sequence[float], n: int) -> Grid:
    """f, ∂f/∂x and ∂f/∂y on the grid over ``window``.

    >>> grid = evaluate_grid(lambda x, y: x * y, lambda x, y: y, lambda x, y: x, (0, 1, 0, 2), 3)
    >>> grid.f.tolist()
    [[0.0, 0.0, 0.0], [0.0, 0.5, 1.0], [0.0, 1.0, 2.0]]
    """
    xs, ys = grid_axes(window, n)
    gx, gy = np.meshgrid(xs, ys)
    values = [np.asarray(g(gx, gy), dtype=np.float64) for g in (f, fx, fy)]
    values = [np.where(np.isfinite(v), v, np.nan) for v in values]
    return Grid(xs, ys, *values)


def window_around(point: Sequence[float], half_width: float = 3.0, inner: float = 2.5) -> tuple[float, ...]:
    """The picture's window: [−3, 3] on each axis, unless the point is far out; then centred near it.

    >>> window_around((1.0, 2.0)), window_around((10.2, 0.0))
    ((-3.0, 3.0, -3.0, 3.0), (7.0, 13.0, -3.0, 3.0))
    """
    window: list[float] = []
    for value in point[:2]:
        centre = 0.0 if abs(value) <= inner else float(round(value))
        window.extend((centre - half_width, centre + half_width))
    return tuple(window)


# --- task bodies (run in the sandboxed worker) ------------------------------------------------------------


def _symbols(typed: sympy.Basic, variables: Sequence[str]) -> list[sympy.Symbol]:
    by_name = {symbol.name: symbol for symbol in typed.free_symbols}
    return [by_name.get(name, sympy.Symbol(name)) for name in variables]


def real_derivative(value: sympy.Expr, symbol: sympy.Symbol) -> sympy.Expr:
    """∂value/∂symbol for real variables: the pages' functions are real, and SymPy's complex-variable
    derivative of |x| (with re, im and unevaluated Derivatives) can be neither printed simply nor evaluated.

    ``sign(u)`` becomes ``u/|u|``, as the step engine writes it, undefined where u = 0.

    >>> x, y = sympy.symbols("x y")
    >>> real_derivative(sympy.Abs(x) + sympy.Abs(y), x)
    x/Abs(x)
    >>> real_derivative(x**2 * y, y)
    x**2
    """
    real = {s: sympy.Symbol(s.name, real=True) for s in value.free_symbols if isinstance(s, sympy.Symbol)}
    back = {r: s for s, r in real.items()}
    variable = real.get(symbol, sympy.Symbol(symbol.name, real=True))
    derivative = sympy.diff(value.xreplace(real), variable)
    derivative = derivative.replace(sympy.sign, lambda arg: arg / sympy.Abs(arg))
    return derivative.xreplace(back)


def _checked_point(point: Sequence[float], variables: Sequence[str]) -> list[float]:
    values = [float(v) for v in point]
    if len(values) != len(variables):
        raise ExpressionError("bad_range", low=len(variables), high=len(values))
    for value in values:
        if not math.isfinite(value):
            raise ExpressionError("bad_number", token=str(value))
    return values


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def partial_derivatives(
    text: str, variables: tuple[str, ...], point: tuple[float, ...], with_steps: bool = True
) -> Partials:
    """Every partial derivative of f: steps (∂ notation), LaTeX, text, its value at ``point``, and the
    difference quotients of the limit definition (moving that variable alone, h = 0.1 … 0.00001).

    ``f_value`` is f at the point (None where undefined); values that are undefined are None, quotients NaN.

    >>> result = partial_derivatives("3*x1^2 + 5*exp(x2)", ("x1", "x2"), (1.0, 0.0))
    >>> [p["latex"] for p in result["partials"]], [p["value"] for p in result["partials"]]
    (['6 x_{1}', '5 e^{x_{2}}'], [6.0, 5.0])
    >>> result["partials"][0]["steps"]["application"].startswith(r"\\frac{\\partial}{\\partial x_{1}}")
    True
    >>> [round(q, 5) for q in result["partials"][0]["quotients"]]
    [6.3, 6.03, 6.003, 6.0003, 6.00003]
    """
    typed = parse_expression(text, variables)
    symbols = _symbols(typed, variables)
    values = _checked_point(point, variables)
    value = evaluated(typed)
    f = compile_numeric(typed, symbols)
    partials: list[PartialEntry] = []
    for index, (name, symbol) in enumerate(zip(variables, symbols, strict=True)):
        derivative = printable(real_derivative(value, symbol))
        numeric = compile_numeric(derivative, symbols)
        entry = {
            "var": name,
            "latex": sympy.latex(derivative),
            "text": str(derivative),
            "value": _finite_or_none(_at(numeric, values)),
            "quotients": difference_quotients(f, values, index),
            "steps": None,
        }
        if with_steps:
            derivation = derivative_steps(typed, name, simplify_budget=PARTIAL_STEPS_BUDGET)
            entry["steps"] = step_to_dict(derivation, partial=True)
        partials.append(entry)
    return {
        "variables": list(variables),
        "point": values,
        "f_value": _finite_or_none(_at(f, values)),
        "steps_h": list(QUOTIENT_STEPS),
        "partials": partials,
    }


def gradient_field(text: str, variables: tuple[str, ...], window: tuple[float, ...], n: int) -> GridData:
    """f and its two partial derivatives on an n × n grid over ``window`` (``Grid.to_dict()``).

    Only for functions of two variables: that is what a picture can show.

    >>> grid = Grid.from_dict(gradient_field("x1*x2", ("x1", "x2"), (0.0, 1.0, 0.0, 1.0), 2))
    >>> grid.f.tolist(), grid.fx.tolist()
    ([[0.0, 0.0], [0.0, 1.0]], [[0.0, 0.0], [1.0, 1.0]])
    """
    if len(variables) != 2:
        raise ExpressionError("bad_range", low=2, high=len(variables))
    typed = parse_expression(text, variables)
    symbols = _symbols(typed, variables)
    value = evaluated(typed)
    f = compile_numeric(typed, symbols)
    fx, fy = (compile_numeric(printable(real_derivative(value, symbol)), symbols) for symbol in symbols)
    return evaluate_grid(f, fx, fy, window, n).to_dict()


def descent_path(
    text: str, variables: tuple[str, ...], start: tuple[float, ...], learning_rate: float, steps: int
) -> DescentData:
    """Gradient descent on f from ``start`` (``DescentPath.to_dict()``).

    >>> path = DescentPath.from_dict(descent_path("x1^2 + x2^2", ("x1", "x2"), (1.0, 2.0), 0.25, 2))
    >>> path.loss.tolist(), path.status
    ([5.0, 1.25, 0.3125], 'ok')
    """
    typed = parse_expression(text, variables)
    symbols = _symbols(typed, variables)
    values = _checked_point(start, variables)
    learning_rate = float(learning_rate)
    if not math.isfinite(learning_rate) or learning_rate <= 0:
        raise ExpressionError("bad_number", token=str(learning_rate))
    steps = max(0, min(int(steps), MAX_DESCENT_STEPS))
    value = evaluated(typed)
    f = compile_numeric(typed, symbols)
    gradient = [compile_numeric(printable(real_derivative(value, symbol)), symbols) for symbol in symbols]
    return gradient_descent(f, gradient, values, learning_rate, steps).to_dict()


# --- reading a point typed by a student (or put in a link) ---------------------------------------------

POINT_LIMIT = 100.0  # |coordinate| at most this: the pictures show a window of ±3 around the point
_POINT_SEPARATORS = str.maketrans({"，": ",", "、": ",", ";": ",", "；": ",", "（": "(", "）": ")"})


def parse_point(
    text: str, n: int, default: Sequence[float], limit: float = POINT_LIMIT
) -> tuple[tuple[float, ...], str]:
    """A point of ``n`` coordinates from text such as ``"1, 2"`` or ``"(1，2)"``, and how it was read.

    The status is ``"ok"``; ``"padded"`` (fewer numbers than variables: the rest from ``default``);
    ``"truncated"`` (more numbers: the first n are used); ``"invalid"`` (not numbers, or NaN/inf: ``default``
    is used) or ``"too_large"`` (a coordinate beyond ``limit``: ``default`` is used).

    >>> parse_point("1, 2", 2, (0, 0)), parse_point("(1，2)", 2, (0, 0))[0]
    (((1.0, 2.0), 'ok'), (1.0, 2.0))
    >>> parse_point("3", 2, (1, 1)), parse_point("1,2,3", 2, (0, 0))
    (((3.0, 1.0), 'padded'), ((1.0, 2.0), 'truncated'))
    >>> parse_point("nan, 1", 2, (1, 1)), parse_point("1e9, 1", 2, (1, 1))
    (((1.0, 1.0), 'invalid'), ((1.0, 1.0), 'too_large'))
    """
    fallback = tuple(float(v) for v in (list(default) + [1.0] * n)[:n])
    cleaned = (text or "").translate(_POINT_SEPARATORS).strip()[:200].strip("()[] ")
    pieces = [piece.strip() for piece in cleaned.split(",")] if cleaned else []
    try:
        values = [float(piece) for piece in pieces]
    except ValueError:
        return fallback, "invalid"
    if not values or not all(math.isfinite(v) for v in values):
        return fallback, "invalid"
    if any(abs(v) > limit for v in values):
        return fallback, "too_large"
    if len(values) < n:
        return tuple(values) + fallback[len(values) :], "padded"
    if len(values) > n:
        return tuple(values[:n]), "truncated"
    return tuple(values), "ok"
