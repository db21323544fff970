"""Sample a function of one variable for a plot: gaps where it is undefined, breaks at poles, robust y-limits.

A plot library joins consecutive points with straight lines, so a pole (tan x at pi/2) would be drawn as a
near-vertical line from +huge to -huge. Each sampled point therefore carries the id of the continuous piece it
belongs to (``segment``); a chart draws one path per piece. The visible y-window comes from percentiles of the
values, so that the values next to a pole do not squash the rest of the curve flat.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sympy

from calc_core.errors import ExpressionError
from calc_core.numeric import compile_numeric

MIN_POINTS = 2
MAX_POINTS = 20001
DEFAULT_POINTS = 801

# The window covers the 2nd to 98th percentile of the finite values, and stretches to the true minimum or
# maximum unless that lies further out than half the percentile range (an outlier tail, as next to a pole).
_LOW_PERCENTILE, _HIGH_PERCENTILE = 2.0, 98.0
_TAIL_ALLOWANCE = 0.5
_MARGIN = 0.05
# A peak beyond the window that is this many times further out than a neighbour is an even pole such as 1/x^2
# (next to a pole, the closest sample is at least 3 times further out than the next one).
_SPIKE_RATIO = 2.0
# A step against both neighbouring steps and this many times larger than them is a jump across an odd pole,
# even when both of its ends are still inside the window.
_ZIGZAG_RATIO = 1.5


@dataclass(frozen=True, eq=False)
class SampledCurve:
    """Samples of y = f(x): NaN in ``y`` is a gap; ``segment`` numbers the continuous pieces (-1 at gaps).

    ``y_limits`` is a robust (low, high) window for the y-axis, or None when nothing is defined.

    >>> curve = SampledCurve(x=[0, 1, 2], y=[1.0, float("nan"), 3.0], segment=[0, -1, 1], y_limits=(0.0, 4.0))
    >>> curve.segment_count
    2
    >>> SampledCurve.from_dict(curve.to_dict()) == curve
    True
    """

    x: np.ndarray
    y: np.ndarray
    segment: np.ndarray
    y_limits: tuple[float, float] | None

    def __post_init__(self):
        x = _frozen_array(self.x, np.float64)
        y = _frozen_array(self.y, np.float64)
        segment = _frozen_array(self.segment, np.int64)
        if not x.ndim == 1 or not x.shape == y.shape == segment.shape:
            raise ValueError(
                f"x, y, segment must be 1-d of one length: {x.shape}, {y.shape}, {segment.shape}"
            )
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "segment", segment)
        if self.y_limits is not None:
            low, high = self.y_limits
            object.__setattr__(self, "y_limits", (float(low), float(high)))

    @property
    def segment_count(self) -> int:
        """How many continuous pieces the curve has."""
        return int(self.segment.max()) + 1 if self.segment.size else 0

    def to_dict(self) -> dict:
        """Plain, JSON-safe data (NaN becomes None) to cross a process boundary or sit in a cache."""
        return {
            "x": self.x.tolist(),
            "y": [None if math.isnan(v) else v for v in self.y.tolist()],
            "segment": self.segment.tolist(),
            "y_limits": None if self.y_limits is None else list(self.y_limits),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> SampledCurve:
        y = [np.nan if v is None else v for v in data["y"]]
        limits = data.get("y_limits")
        limits = None if limits is None else tuple(limits)
        return cls(x=data["x"], y=y, segment=data["segment"], y_limits=limits)

    def __eq__(self, other):
        if not isinstance(other, SampledCurve):
            return NotImplemented
        return (
            np.array_equal(self.x, other.x)
            and np.array_equal(self.y, other.y, equal_nan=True)
            and np.array_equal(self.segment, other.segment)
            and self.y_limits == other.y_limits
        )

    __hash__ = None


def _frozen_array(values, dtype) -> np.ndarray:
    array = np.array(values, dtype=dtype)
    array.setflags(write=False)
    return array


def sample_function(
    expr: sympy.Expr,
    var: sympy.Symbol | str,
    x_min: float,
    x_max: float,
    n: int = DEFAULT_POINTS,
    variables: Mapping[sympy.Symbol | str, float] | None = None,
) -> SampledCurve:
    """Sample ``expr`` at ``n`` evenly spaced values of ``var`` from ``x_min`` to ``x_max`` (both included).

    ``variables`` fixes any other variables, e.g. ``{"y": 1.0}`` for the slice y = 1 of f(x, y).
    Raises ``ExpressionError("bad_range")`` unless x_min < x_max are finite and 2 <= n <= 20001.

    >>> x = sympy.Symbol("x")
    >>> curve = sample_function(1 / x, x, -1, 1, n=5)
    >>> curve.y.tolist()
    [-1.0, -2.0, nan, 2.0, 1.0]
    >>> curve.segment.tolist()
    [0, 0, -1, 1, 1]
    >>> sample_function(x**2, "x", 0, 2, n=3, variables={}).y.tolist()
    [0.0, 1.0, 4.0]
    """
    xs = _grid(x_min, x_max, n)
    return curve_of_values(xs, _evaluate(expr, var, xs, variables))


def curve_of_values(xs: np.ndarray, ys: np.ndarray) -> SampledCurve:
    """Values already computed on a grid, as a curve: NaN are gaps, poles split it, limits are robust.

    >>> curve_of_values(np.array([0.0, 1.0, 2.0]), np.array([1.0, np.nan, 3.0])).segment.tolist()
    [0, -1, 1]
    """
    limits = robust_limits(ys)
    return SampledCurve(x=xs, y=ys, segment=_segments(ys, limits), y_limits=limits)


def evaluate_at(
    expr: sympy.Expr,
    var: sympy.Symbol | str,
    x0: float,
    variables: Mapping[sympy.Symbol | str, float] | None = None,
) -> float | None:
    """The real value of ``expr`` at ``var = x0``, or None where it is undefined, complex or infinite.

    >>> x = sympy.Symbol("x")
    >>> evaluate_at(x**3 - 1, x, 2)
    7.0
    >>> evaluate_at(sympy.log(x), "x", -1) is None
    True
    """
    value = float(_evaluate(expr, var, np.array([float(x0)]), variables)[0])
    return value if math.isfinite(value) else None


def robust_limits(values: np.ndarray) -> tuple[float, float] | None:
    """A y-window for ``values`` that ignores outlier tails (values near poles); None if none is finite.

    >>> robust_limits(np.array([1.0, 2.0, 3.0]))
    (0.9, 3.1)
    >>> robust_limits(np.array([0.0, 0.0])), robust_limits(np.array([5.0, 5.0]))
    ((-1.0, 1.0), (2.5, 7.5))
    >>> robust_limits(np.array([np.nan])) is None
    True
    """
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return None
    low, high = (float(v) for v in np.percentile(finite, [_LOW_PERCENTILE, _HIGH_PERCENTILE]))
    low_tail, high_tail = float(finite.min()), float(finite.max())
    if _flat(low_tail, high_tail):
        return _window_around(float(np.median(finite)))
    spread = high - low
    # Tails count as outliers only when there is a spread to compare them with: x + |x| on [-100, 1] is
    # flat on 99% of the range, and its rise must still be seen.
    if _flat(low, high) or low - low_tail <= _TAIL_ALLOWANCE * spread:
        low = low_tail
    if _flat(low, high) or high_tail - high <= _TAIL_ALLOWANCE * spread:
        high = high_tail
    margin = _MARGIN * (high - low)
    window = (low - margin, high + margin)
    return window if all(map(math.isfinite, window)) else _finite_window(finite)


def _flat(low: float, high: float) -> bool:
    """Whether values from ``low`` to ``high`` are one constant, up to rounding."""
    return high - low <= 1e-9 * max(1.0, abs(low), abs(high))


def _finite_window(finite: np.ndarray) -> tuple[float, float] | None:
    """For values so near the float limit that a margin overflows: the middle half, without margin."""
    low, high = (float(v) for v in np.percentile(finite, [25.0, 75.0]))
    return (low, high) if low < high and math.isfinite(high - low) else None


def _window_around(value: float) -> tuple[float, float]:
    """A symmetric window for a constant: +-1 for small values, +-half the value for large ones."""
    half_height = max(1.0, abs(value) / 2)
    return (value - half_height, value + half_height)


def _grid(x_min, x_max, n) -> np.ndarray:
    try:
        low, high, count = float(x_min), float(x_max), operator.index(n)
    except (TypeError, ValueError) as error:
        raise ExpressionError("bad_range", low=x_min, high=x_max) from error
    if not (math.isfinite(low) and math.isfinite(high) and low < high and math.isfinite(high - low)):
        raise ExpressionError("bad_range", low=x_min, high=x_max)
    if not MIN_POINTS <= count <= MAX_POINTS:
        raise ExpressionError("bad_range", low=x_min, high=x_max, points=count)
    xs = np.linspace(low, high, count)
    if not np.all(np.diff(xs) > 0):  # a range so narrow that neighbouring floats coincide
        raise ExpressionError("bad_range", low=x_min, high=x_max, points=count)
    return xs


def _evaluate(expr, var, xs: np.ndarray, variables) -> np.ndarray:
    fixed = {str(name): float(value) for name, value in (variables or {}).items()}
    if str(var) in fixed:
        raise ValueError(f"{var} is the sampled variable; it cannot also be fixed")
    function = compile_numeric(expr, [str(var), *fixed])
    return function(xs, *(np.float64(v) for v in fixed.values()))


def _segments(ys: np.ndarray, limits: tuple[float, float] | None) -> np.ndarray:
    """Number the continuous pieces: a new piece starts after every gap and every pole."""
    finite = np.isfinite(ys)
    joined = finite[:-1] & finite[1:]
    if limits is not None:
        joined &= ~_pole_between(ys, limits)
    starts = finite.copy()
    starts[1:] &= ~joined
    segment = np.cumsum(starts) - 1
    segment[~finite] = -1
    return segment


def _pole_between(ys: np.ndarray, limits: tuple[float, float]) -> np.ndarray:
    """For each pair of neighbouring samples, whether a pole lies between them (False next to a NaN)."""
    with np.errstate(all="ignore"):
        odd = _crosses_window(ys, limits) | _reverses_sharply(ys, limits)
        # A peak right beside an odd pole's jump is that pole's near side, not an even pole of its own.
        explained = np.zeros_like(odd)
        explained[1:] |= odd[:-1]
        explained[:-1] |= odd[1:]
        return odd | (_even_pole(ys, limits) & ~explained)


def _crosses_window(ys: np.ndarray, limits: tuple[float, float]) -> np.ndarray:
    """One end above the window, the other below: drawn, it would be a vertical line across the plot."""
    low, high = limits
    above, below = ys > high, ys < low
    return (above[:-1] & below[1:]) | (below[:-1] & above[1:])


def _reverses_sharply(ys: np.ndarray, limits: tuple[float, float]) -> np.ndarray:
    """A big step against the direction of both neighbouring steps: an odd pole between samples (tan x).

    A smooth curve sampled finely never turns twice in a row, so this does not cut a continuous function.
    """
    low, high = limits
    height = high - low
    steps = np.diff(ys)
    previous = np.concatenate([[np.nan], steps[:-1]])
    following = np.concatenate([steps[1:], [np.nan]])
    direction = np.sign(steps)
    reverses = (direction * np.sign(previous) < 0) & (direction * np.sign(following) < 0)
    size = np.abs(steps)
    dwarfs = size > _ZIGZAG_RATIO * np.fmax(np.abs(previous), np.abs(following))
    leaves_window = (ys[:-1] > high) | (ys[:-1] < low) | (ys[1:] > high) | (ys[1:] < low)
    return reverses & (size > height / 4) & (dwarfs | leaves_window)


def _even_pole(ys: np.ndarray, limits: tuple[float, float]) -> np.ndarray:
    """Beside a sharp peak far beyond an edge, on its taller side: an even pole between samples (1/x^2).

    A peak more than ``_SPIKE_RATIO`` times further out than a neighbour is narrower than the sampling step:
    at this resolution it cannot be told from a pole, and it is drawn the same way.
    """
    low, high = limits
    distance = np.abs(ys - (low + high) / 2)
    before, peak, after = ys[:-2], ys[1:-1], ys[2:]
    is_peak = ((peak > high) & (peak >= before) & (peak >= after)) | (
        (peak < low) & (peak <= before) & (peak <= after)
    )
    sharp = distance[1:-1] > _SPIKE_RATIO * np.fmin(distance[:-2], distance[2:])
    pole_after = distance[2:] >= distance[:-2]
    peaks = np.flatnonzero(is_peak & sharp)  # index k means sample k + 1, between pairs k and k + 1
    poles = np.zeros(ys.size - 1, dtype=bool)
    poles[peaks + pole_after[peaks]] = True
    return poles
