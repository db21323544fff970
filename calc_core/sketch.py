"""Grading a student's sketch of f′ (or of f from f′): what matters for understanding, not pixel accuracy.

The sketch arrives from the browser as numbers on a grid of knots that the server chose. It is untrusted:
:func:`validate_sketch` refuses anything that is not a list of finite, bounded numbers on exactly that grid,
with a :class:`SketchError` whose ``code`` has one translated message per code (``locales/*.toml``, table
``[sketch]``, keys ``error_<code>``).

:func:`grade_sketch` compares a sketch with the true values and judges four things:

- **sign**: over what share of the sketched window the sketch has the sign of the truth, and the stretches
  where it has not;
- **turns**: where the truth changes sign (for a sketch of f′: where f turns), and whether the sketch changes
  sign there too, within a tolerance in x;
- **peak**: whether the sketch is largest where the truth is largest;
- **shape error**: the root mean square distance between sketch and truth, over the truth's scale (0 is a
  perfect sketch, 1 is off by the whole scale).

The comparison forgives small offsets in x: a sketched value at x counts as right if the truth takes it
somewhere within ``x_tolerance`` of x. So a jump drawn a knot early or late is not punished, and a sketch
of |x|′, which jumps from −1 to 1 at 0 where the truth has no value at all, passes.

:func:`grade_reverse_sketch` grades the reverse task (given f′, sketch f through a given point): the signs,
turns and peak of the sketch's slope against f′, the shape of the sketch against f, and the point.

Everything here is pure NumPy: no SymPy, no Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

MAX_KNOTS = 401  # a grid larger than this is refused before anything is read
MIN_KNOTS = 5
MAX_ABS_VALUE = 1e6  # a sketched value beyond this is no drawing
GRID_MATCH = 1e-6  # relative to the window's width: how far a sent x may be from the server's knot
MIN_DRAWN = 2

ZERO_BAND = 0.06  # |value| ≤ ZERO_BAND · scale counts as zero when signs are compared
X_TOLERANCE = 0.04  # share of the window: the forgiveness in x (turns, jumps, the peak)
OFF_BAND = 0.2  # a knot further than this (· scale) from the truth is shaded as off
PEAK_BAND = 0.05  # share of the truth's range: values this close to its maximum count as the peak
PASS_SIGN_SHARE = 0.9
PASS_SHAPE_ERROR = 0.25
PASS_COVERAGE = 0.8
PASS_POINT_ERROR = 0.15


class SketchError(ValueError):
    """A sketch message from the browser that cannot be graded; ``code`` picks the translated message.

    >>> err = SketchError("not_finite", index=3)
    >>> err.code, err.params
    ('not_finite', {'index': 3})
    """

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


SKETCH_ERROR_CODES = frozenset(
    {"malformed", "too_long", "length", "not_a_number", "not_finite", "too_large", "unsorted", "off_grid"}
    | {"too_few"}
)


def _number(value, index: int, allow_none: bool) -> float:
    if value is None and allow_none:
        return math.nan
    # bool is an int in Python: a sketch of True/False is a malformed message, not 1 and 0.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SketchError("not_a_number", index=index)
    number = float(value) if not isinstance(value, int) or abs(value) < 10**308 else math.inf
    if not math.isfinite(number):
        raise SketchError("not_finite", index=index)
    if abs(number) > MAX_ABS_VALUE:
        raise SketchError("too_large", index=index, limit=MAX_ABS_VALUE)
    return number


def validate_sketch(message, grid: Sequence[float]) -> np.ndarray:
    """The sketched values on ``grid`` from the browser's message ``{"x": [...], "y": [...]}``.

    ``y`` holds a finite number per knot, or None (JSON null) where nothing was drawn; ``x`` must be the
    server's grid (same length, strictly increasing, each within a hair of the server's knot). Returns the
    values as float64 with NaN where nothing was drawn. Raises :class:`SketchError` for anything else:
    never another exception, whatever the message.

    >>> validate_sketch({"x": [0, 1, 2, 3, 4], "y": [1, None, 3, 4, 5]}, [0, 1, 2, 3, 4]).tolist()
    [1.0, nan, 3.0, 4.0, 5.0]
    >>> validate_sketch({"x": [0, 1, 2, 3, 4], "y": [1, "2", 3, 4, 5]}, [0, 1, 2, 3, 4])
    Traceback (most recent call last):
    ...
    calc_core.sketch.SketchError: not_a_number
    """
    grid = np.asarray(grid, dtype=np.float64)
    if not isinstance(message, dict):
        raise SketchError("malformed")
    xs, ys = message.get("x"), message.get("y")
    if not isinstance(xs, list) or not isinstance(ys, list):
        raise SketchError("malformed")
    if len(xs) > MAX_KNOTS or len(ys) > MAX_KNOTS:
        raise SketchError("too_long", limit=MAX_KNOTS)
    if len(xs) != grid.size or len(ys) != grid.size:
        raise SketchError("length", expected=int(grid.size), got=len(ys) if len(ys) != grid.size else len(xs))
    x = np.array([_number(value, i, allow_none=False) for i, value in enumerate(xs)])
    for i in range(1, x.size):
        if not x[i] > x[i - 1]:
            raise SketchError("unsorted", index=i)
    width = float(grid[-1] - grid[0]) if grid.size > 1 else 1.0
    misplaced = np.flatnonzero(np.abs(x - grid) > GRID_MATCH * max(width, 1.0))
    if misplaced.size:
        raise SketchError("off_grid", index=int(misplaced[0]))
    y = np.array([_number(value, i, allow_none=True) for i, value in enumerate(ys)])
    drawn = int(np.isfinite(y).sum())
    if drawn < MIN_DRAWN:
        raise SketchError("too_few", drawn=drawn, needed=MIN_DRAWN)
    return y


@dataclass(frozen=True)
class SignMiss:
    """A stretch [start, end] where the sketch has the wrong sign: ``expected`` is the truth's sign (±1)
    over [truth_start, truth_end], the whole stretch where the truth has that sign; ``sketched`` is the
    sketch's sign there (−1, 0 or 1)."""

    start: float
    end: float
    expected: int
    sketched: int
    truth_start: float
    truth_end: float


@dataclass(frozen=True)
class Turn:
    """Where a curve changes sign, at ``x``; ``rising`` if from negative to positive."""

    x: float
    rising: bool


@dataclass(frozen=True)
class SketchGrade:
    """The judgements on one sketch (see the module's docstring). ``off`` is per knot: True where the sketch
    has the wrong sign or is further than OFF_BAND (times the scale) from the truth (shaded on Reveal)."""

    coverage: float
    sign_share: float
    sign_misses: tuple[SignMiss, ...]
    turns: tuple[Turn, ...]
    missed_turns: tuple[Turn, ...]
    extra_turns: tuple[Turn, ...]
    peak_x: float | None
    sketch_peak_x: float | None
    peak_found: bool
    shape_error: float
    off: tuple[bool, ...] = field(repr=False)
    scale: float = 1.0

    @property
    def turns_found(self) -> bool:
        return not self.missed_turns

    @property
    def passed(self) -> bool:
        return (
            self.coverage >= PASS_COVERAGE
            and self.sign_share >= PASS_SIGN_SHARE
            and self.turns_found
            and not self.extra_turns
            and self.peak_found
            and self.shape_error <= PASS_SHAPE_ERROR
        )


def _scale(values: np.ndarray) -> float:
    finite = np.abs(values[np.isfinite(values)])
    if finite.size == 0:
        return 1.0
    scale = float(np.percentile(finite, 95))
    return scale if scale > 1e-12 else 1.0


def _signs(values: np.ndarray, band: float) -> np.ndarray:
    """−1, 0 or 1 per value (0 within ±band), and 2 for NaN (no value)."""
    signs = np.where(values > band, 1, np.where(values < -band, -1, 0))
    return np.where(np.isfinite(values), signs, 2)


def sign_changes(x: Sequence[float], values: Sequence[float], band: float, max_gap: float) -> list[Turn]:
    """Where ``values`` change sign, skipping values within ±band of zero and missing ones (NaN) between,
    as long as the stretch skipped is no wider than ``max_gap`` (a wider flat stretch is no turn).

    >>> sign_changes([-2, -1, 0, 1, 2], [-2, -1, 0, 1, 2], 0.1, 2)
    [Turn(x=0.0, rising=True)]
    >>> sign_changes([-2, -1, 0, 1, 2], [-1, -1, float("nan"), 1, 1], 0.1, 2.5)
    [Turn(x=0.0, rising=True)]
    >>> sign_changes([-2, -1, 0, 1, 2], [4, 1, 0, 1, 4], 0.1, 2.5)
    []
    """
    x = np.asarray(x, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    signs = _signs(values, band)
    turns = []
    last = None  # index of the last knot with a clear sign
    for i, sign in enumerate(signs):
        if sign not in (-1, 1):
            continue
        if last is not None and sign != signs[last] and x[i] - x[last] <= max_gap + 1e-12:
            a, b = last, i
            if b == a + 1:  # a crossing between two knots: where the line between them crosses zero
                at = x[a] - values[a] * (x[b] - x[a]) / (values[b] - values[a])
            else:
                at = (x[a] + x[b]) / 2
            turns.append(Turn(x=float(round(at, 12)), rising=bool(sign == 1)))
        last = i
    return turns


def _neighbourhood(values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per knot, the smallest and largest finite value within k knots, and whether there is one."""
    n = values.size
    lo = np.full(n, np.nan)
    hi = np.full(n, np.nan)
    for i in range(n):
        window = values[max(0, i - k) : i + k + 1]
        window = window[np.isfinite(window)]
        if window.size:
            lo[i], hi[i] = window.min(), window.max()
    return lo, hi, np.isfinite(lo)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Index runs [a, b] (inclusive) where mask is True."""
    runs, start = [], None
    for i, on in enumerate(mask):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, mask.size - 1))
    return runs


def _truth_stretch(x: np.ndarray, truth: np.ndarray, i: int, sign: int) -> tuple[float, float]:
    """The stretch around knot i where the truth has ``sign``: out to where it crosses zero (interpolated
    between knots), or to a gap, or to the window's end.

    >>> xs = np.linspace(-2, 2, 9)
    >>> _truth_stretch(xs, xs**2 - 1, 4, -1)
    (-1.0, 1.0)
    """
    same = np.isfinite(truth) & (np.sign(truth) == sign)
    a = b = i
    while a > 0 and same[a - 1]:
        a -= 1
    while b < x.size - 1 and same[b + 1]:
        b += 1

    def crossing(inside: int, outside: int) -> float:
        if not np.isfinite(truth[outside]):
            return float(x[inside])
        u, v = truth[inside], truth[outside]
        return float(x[inside] + (x[outside] - x[inside]) * u / (u - v))

    start = crossing(a, a - 1) if a > 0 else float(x[0])
    end = crossing(b, b + 1) if b < x.size - 1 else float(x[-1])
    return round(start, 12), round(end, 12)


def grade_sketch(x: Sequence[float], sketch: Sequence[float], truth: Sequence[float]) -> SketchGrade:
    """Judge ``sketch`` against ``truth``, both on the knots ``x`` (NaN: not drawn / no value).

    >>> x = np.linspace(-2, 2, 41)
    >>> grade = grade_sketch(x, 2 * x, 2 * x)
    >>> grade.sign_share, grade.shape_error, grade.turns, grade.passed
    (1.0, 0.0, (Turn(x=0.0, rising=True),), True)
    >>> flipped = grade_sketch(x, -2 * x, 2 * x)
    >>> flipped.sign_share < 0.2, flipped.passed
    (True, False)
    """
    x = np.asarray(x, dtype=np.float64)
    sketch = np.asarray(sketch, dtype=np.float64)
    truth = np.asarray(truth, dtype=np.float64)
    if not (x.ndim == sketch.ndim == truth.ndim == 1 and x.size == sketch.size == truth.size >= 2):
        raise ValueError("x, sketch and truth must be 1-d arrays of the same length (at least 2)")
    width = float(x[-1] - x[0])
    step = width / (x.size - 1)
    k = max(1, round(X_TOLERANCE * width / step))
    scale = _scale(truth)
    band = ZERO_BAND * scale

    lo, hi, known = _neighbourhood(truth, k)
    drawn = np.isfinite(sketch)
    compared = drawn & known
    coverage = float(drawn.sum() / x.size)

    truth_signs = _signs(truth, band)
    sketch_signs = _signs(sketch, band)
    agree = np.zeros(x.size, dtype=bool)
    for i in np.flatnonzero(compared):
        allowed = set(_signs(np.array([lo[i], hi[i]]), band).tolist())
        if lo[i] <= band and hi[i] >= -band:  # the truth passes through (or jumps across) zero nearby
            allowed.add(0)
            if lo[i] < -band and hi[i] > band:
                allowed |= {-1, 1}
        agree[i] = sketch_signs[i] in allowed
    n_compared = int(compared.sum())
    sign_share = float(agree[compared].sum() / n_compared) if n_compared else 0.0

    misses = []
    for a, b in _runs(compared & ~agree):
        middle = (a + b) // 2
        expected = int(truth_signs[middle]) if truth_signs[middle] in (-1, 1) else int(np.sign(lo[middle]))
        if expected == 0:
            continue
        sketched = int(np.bincount(sketch_signs[a : b + 1] + 1, minlength=3).argmax()) - 1
        t_start, t_end = _truth_stretch(x, truth, middle, expected)
        misses.append(SignMiss(float(x[a]), float(x[b]), expected, sketched, t_start, t_end))

    max_gap = 3 * k * step
    tolerance = (k + 1) * step
    on_sketch = np.where(compared, truth, np.nan)
    turns = tuple(sign_changes(x, on_sketch, band, max_gap))
    sketch_turns = sign_changes(x, np.where(compared, sketch, np.nan), band, max_gap)

    def near(turn: Turn, others) -> bool:
        return any(abs(turn.x - o.x) <= tolerance and turn.rising == o.rising for o in others)

    missed = tuple(turn for turn in turns if not near(turn, sketch_turns))
    extra = tuple(turn for turn in sketch_turns if not near(turn, turns))

    peak_x = sketch_peak_x = None
    peak_found = False
    if n_compared:
        truth_there = np.where(compared, truth, np.nan)
        top = float(np.nanmax(truth_there))
        spread = float(np.nanmax(truth_there) - np.nanmin(truth_there))
        peak_x = float(x[int(np.nanargmax(truth_there))])
        sketch_there = np.where(compared, sketch, -np.inf)
        i_sketch = int(np.argmax(sketch_there))
        sketch_peak_x = float(x[i_sketch])
        near_top = np.flatnonzero(np.isfinite(truth_there) & (truth_there >= top - PEAK_BAND * spread))
        peak_found = bool(np.min(np.abs(x[near_top] - sketch_peak_x)) <= tolerance)

    distance = np.zeros(x.size)
    distance[compared] = np.maximum.reduce(
        [lo[compared] - sketch[compared], sketch[compared] - hi[compared], np.zeros(n_compared)]
    )
    shape_error = float(np.sqrt(np.mean(distance[compared] ** 2)) / scale) if n_compared else math.inf
    off = tuple(bool(v) for v in (compared & ((distance > OFF_BAND * scale) | ~agree)))
    return SketchGrade(
        coverage=coverage,
        sign_share=sign_share,
        sign_misses=tuple(misses),
        turns=turns,
        missed_turns=missed,
        extra_turns=extra,
        peak_x=peak_x,
        sketch_peak_x=sketch_peak_x,
        peak_found=peak_found,
        shape_error=round(shape_error, 12),
        off=off,
        scale=scale,
    )


def sketch_slope(x: Sequence[float], sketch: Sequence[float]) -> np.ndarray:
    """The slope of a sketch at each knot (central differences; one-sided at the ends of a drawn stretch;
    NaN where the knot or both neighbours are not drawn).

    >>> sketch_slope([0, 1, 2, 3], [0, 1, 4, float("nan")]).tolist()
    [1.0, 2.0, 3.0, nan]
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(sketch, dtype=np.float64)
    slope = np.full(x.size, np.nan)
    for i in range(x.size):
        if not np.isfinite(y[i]):
            continue
        left = i - 1 if i > 0 and np.isfinite(y[i - 1]) else i
        right = i + 1 if i < x.size - 1 and np.isfinite(y[i + 1]) else i
        if right != left:
            slope[i] = (y[right] - y[left]) / (x[right] - x[left])
    return slope


@dataclass(frozen=True)
class ReverseGrade:
    """The reverse task: ``slope`` judges the sketch's slope against f′ (signs: where f rises and falls;
    turns: where f turns; peak: where f is steepest); ``values`` judges the sketch against f itself;
    ``point_error`` is how far the sketch misses the given point, over f's scale."""

    slope: SketchGrade
    values: SketchGrade
    point_error: float | None

    @property
    def passed(self) -> bool:
        return (
            self.slope.sign_share >= PASS_SIGN_SHARE
            and self.slope.turns_found
            and self.values.coverage >= PASS_COVERAGE
            and self.values.shape_error <= PASS_SHAPE_ERROR
            and self.point_error is not None
            and self.point_error <= PASS_POINT_ERROR
        )


def grade_reverse_sketch(
    x: Sequence[float],
    sketch: Sequence[float],
    f: Sequence[float],
    df: Sequence[float],
    point_index: int,
) -> ReverseGrade:
    """Judge a sketch of f, drawn from the graph of f′ through the point at knot ``point_index``.

    >>> x = np.linspace(-2, 2, 41)
    >>> grade = grade_reverse_sketch(x, x**2, x**2, 2 * x, 20)
    >>> grade.passed, grade.point_error, grade.slope.turns
    (True, 0.0, (Turn(x=0.0, rising=True),))
    >>> grade_reverse_sketch(x, x**2 + 1, x**2, 2 * x, 20).passed  # the right shape, not through the point
    False
    """
    x = np.asarray(x, dtype=np.float64)
    sketch = np.asarray(sketch, dtype=np.float64)
    f = np.asarray(f, dtype=np.float64)
    values = grade_sketch(x, sketch, f)
    slope = grade_sketch(x, sketch_slope(x, sketch), df)
    point_error = None
    if 0 <= point_index < x.size and np.isfinite(sketch[point_index]) and np.isfinite(f[point_index]):
        spread = float(np.nanmax(f) - np.nanmin(f)) if np.isfinite(f).any() else 0.0
        scale = max(spread, values.scale, 1e-12)
        point_error = round(float(abs(sketch[point_index] - f[point_index]) / scale), 12)
    return ReverseGrade(slope=slope, values=values, point_error=point_error)


# --- the gradient arrow -------------------------------------------------------------------------------------

PASS_ANGLE_DEGREES = 15.0
PASS_LENGTH_ERROR = 0.25


def validate_arrow(message) -> tuple[float, float]:
    """The arrow (gx, gy) from the browser's message ``{"gx": …, "gy": …}``: finite, bounded numbers.

    >>> validate_arrow({"gx": 1, "gy": -2.5})
    (1.0, -2.5)
    >>> validate_arrow({"gx": None, "gy": 1})
    Traceback (most recent call last):
    ...
    calc_core.sketch.SketchError: too_few
    """
    if not isinstance(message, dict):
        raise SketchError("malformed")
    if message.get("gx") is None or message.get("gy") is None:
        raise SketchError("too_few", drawn=0, needed=1)
    return _number(message["gx"], 0, allow_none=False), _number(message["gy"], 1, allow_none=False)


@dataclass(frozen=True)
class ArrowGrade:
    """A guessed gradient against the true one: directions in degrees counter-clockwise from the first
    axis (None for a zero vector), the angle between them (0 to 180), and the length error as a share of
    the true length (positive: too long; None when the true gradient is zero)."""

    truth_angle: float | None
    guess_angle: float | None
    angle_error: float | None
    truth_length: float
    guess_length: float
    length_error: float | None

    @property
    def passed(self) -> bool:
        if self.truth_length == 0:
            return self.guess_length == 0
        return (
            self.angle_error is not None
            and self.angle_error <= PASS_ANGLE_DEGREES
            and self.length_error is not None
            and abs(self.length_error) <= PASS_LENGTH_ERROR
        )


def _angle(x: float, y: float) -> float | None:
    return None if x == 0 and y == 0 else round(math.degrees(math.atan2(y, x)) % 360.0, 9)


def grade_arrow(guess: tuple[float, float], truth: tuple[float, float]) -> ArrowGrade:
    """Judge a guessed gradient.

    >>> grade = grade_arrow((1.0, 1.0), (2.0, 0.0))
    >>> grade.angle_error, round(grade.length_error, 3), grade.passed
    (45.0, -0.293, False)
    >>> grade_arrow((2.1, 0.1), (2.0, 0.0)).passed
    True
    """
    gx, gy = (float(v) for v in guess)
    tx, ty = (float(v) for v in truth)
    truth_length, guess_length = math.hypot(tx, ty), math.hypot(gx, gy)
    truth_angle, guess_angle = _angle(tx, ty), _angle(gx, gy)
    angle_error = None
    if truth_angle is not None and guess_angle is not None:
        difference = abs(truth_angle - guess_angle) % 360.0
        angle_error = round(min(difference, 360.0 - difference), 9)
    length_error = None if truth_length == 0 else round((guess_length - truth_length) / truth_length, 12)
    return ArrowGrade(truth_angle, guess_angle, angle_error, truth_length, guess_length, length_error)
