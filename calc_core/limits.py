"""The derivative as a limit, computed the way a computer really computes it.

Everything here is float64 arithmetic done exactly as the formula is written, so the numbers are the ones
the machine gives, round-off included; nothing models them. The models of the error (truncation and
round-off) are separate functions, named as models, for drawing beside the measured errors.

- D2L's experiment (section 2.4.1): :func:`d2l_limit_table` and :func:`format_d2l_row`.
- Difference quotients of any function on float arrays: :func:`difference_quotients`, :func:`error_table`,
  :func:`best_h`, and the error models in :class:`ErrorTable`.
- One-sided limits and a numerical verdict on differentiability: :func:`one_sided_table`,
  :func:`differentiability_verdict`.
- The secant data the browser moves through: :func:`secant_steps`, :func:`secant_table`.
- The exact one-sided limits from SymPy, and the worker tasks of the limits page, are in
  :mod:`calc_core.derivative_limits`: this module needs no SymPy.

A "function" is any callable on float64 arrays (``compile_numeric`` gives one; ``np.sin`` is one); a callable
that only takes scalars is applied element by element. NaN or infinity in its values means "undefined there".

Verdicts (one string each, for the page's translations):

==================  ===========================================================================
differentiable      both one-sided quotients tend to the same finite number
one_sided_differ    they tend to two different finite numbers (a corner, |x| at 0)
infinite            a one-sided quotient grows without bound, f continuous (vertical tangent: cbrt at 0)
discontinuous       f jumps at x0 (the quotients grow like 1/h: a step function)   [numerical only]
undefined           f(x0) or f on one side of x0 is not a finite real number (1/x or ln x at 0)
no_limit            a one-sided quotient oscillates without a limit (x·sin(1/x) at 0)  [exact only]
unknown             SymPy could not decide                                           [exact only]
==================  ===========================================================================
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Function = Callable[[np.ndarray], np.ndarray]

EPS = float(np.finfo(np.float64).eps)  # 2.220446049250313e-16, the gap between 1 and the next float64
SCHEMES = ("forward", "backward", "central")
VERDICTS = (
    "differentiable",
    "one_sided_differ",
    "infinite",
    "discontinuous",
    "undefined",
    "no_limit",
    "unknown",
)

# h = 10^(-k/4) for k = 4 … 64: 10^-1 down to 10^-16, four steps a decade.
DEFAULT_ERROR_HS = 10.0 ** (-np.arange(4, 65) / 4)
# h = 10^-1 … 10^-8, four steps a decade: small enough to see the limit, large enough that round-off
# (about eps·|f|/h, at most a few times 1e-8 here) stays far below the verdict's tolerance.
DEFAULT_ONE_SIDED_HS = 10.0 ** (-np.arange(4, 33) / 4)


# --- D2L's experiment -------------------------------------------------------------------------------


def d2l_function(x):
    """D2L's example function f(x) = 3x² − 4x, written as D2L writes it.

    >>> d2l_function(1.0)
    -1.0
    """
    return 3 * x**2 - 4 * x


def numerical_lim(f, x, h):
    """D2L's ``numerical_lim``: the forward difference quotient (f(x + h) − f(x)) / h.

    >>> numerical_lim(d2l_function, 1, 0.1)
    2.3000000000000043
    """
    return (f(x + h) - f(x)) / h


@dataclass(frozen=True)
class LimitRow:
    """One line of D2L's experiment: the step ``h`` and the quotient ``value`` it gave."""

    h: float
    value: float


def d2l_limit_table(
    f: Callable | None = None, x: float = 1.0, h0: float = 0.1, steps: int = 5
) -> list[LimitRow]:
    """D2L's loop: h starts at ``h0``, the quotient is computed, then ``h *= 0.1``, ``steps`` times.

    ``f`` defaults to :func:`d2l_function`; it is called on plain Python floats, as in D2L (a NumPy callable
    works too). The h values are the ones the repeated multiplication really produces (0.1·0.1 is not
    exactly 0.01 in floating point), exactly as in D2L's printout.

    >>> [format_d2l_row(row) for row in d2l_limit_table(steps=2)]
    ['h=0.10000, numerical limit=2.30000', 'h=0.01000, numerical limit=2.03000']
    """
    f = d2l_function if f is None else f
    rows = []
    h = h0
    for _ in range(steps):
        rows.append(LimitRow(h=float(h), value=_as_float(numerical_lim(f, x, h))))
        h *= 0.1
    return rows


def format_d2l_row(row: LimitRow) -> str:
    """The row as D2L prints it: ``f'h={h:.5f}, numerical limit={value:.5f}'``.

    >>> format_d2l_row(LimitRow(h=1e-05, value=2.0000300000155837))
    'h=0.00001, numerical limit=2.00003'
    """
    return f"h={row.h:.5f}, numerical limit={row.value:.5f}"


# --- Difference quotients and their errors ---------------------------------------------------------


def difference_quotients(f: Function, x0: float, hs) -> dict[str, np.ndarray]:
    """The three difference quotients of ``f`` at ``x0`` for every step in ``hs``, in float64 as written.

    forward (f(x0+h) − f(x0))/h, backward (f(x0) − f(x0−h))/h, central (f(x0+h) − f(x0−h))/(2h). The h in
    the denominator is the nominal h, not the step x0+h − x0 the machine actually took: that difference is
    part of the round-off a student should see. Returns a dict with the keys ``"h"`` and :data:`SCHEMES`.
    ``f`` is called on float64 arrays, so the numbers are those of NumPy's array arithmetic (it squares an
    array as x·x, which can differ in the last bit from Python's ``x**2`` on a float; :func:`d2l_limit_table`
    calls f on Python floats, as D2L does).

    >>> q = difference_quotients(d2l_function, 1.0, [0.5, 0.25])
    >>> q["forward"].tolist(), q["backward"].tolist(), q["central"].tolist()
    ([3.5, 2.75], [0.5, 1.25], [2.0, 2.0])
    """
    x0, h = _point(x0), _steps(hs)
    with np.errstate(all="ignore"):
        f0 = evaluate(f, np.full_like(h, x0))
        f_plus = evaluate(f, x0 + h)
        f_minus = evaluate(f, x0 - h)
        return {
            "h": h,
            "forward": (f_plus - f0) / h,
            "backward": (f0 - f_minus) / h,
            "central": (f_plus - f_minus) / (2 * h),
        }


@dataclass(frozen=True, eq=False)
class ErrorTable:
    """Measured errors |estimate − exact| of the three quotients, and the error models beside them.

    ``error[scheme]`` is the true float64 error; it is exactly 0.0 where a quotient hits the exact value.
    Log axes cannot show 0: :meth:`records` keeps those points with ``error = None`` and ``exact_hit = True``
    so that a chart leaves them off its lines and marks them at the :attr:`floor` instead.

    The models (for the explanation, never to be read as measurements):
    truncation of a one-sided quotient |f''(x0)|/2 · h, of the central one |f'''(x0)|/6 · h², and round-off
    eps·|f(x0)|/h (each value of f is rounded by about eps·|f|, and dividing by h magnifies it; where
    f(x0) = 0 the scale |x0·f'(x0)| of the rounding of x0 + h is used instead, or 1).
    """

    x0: float
    exact: float
    f_x0: float
    h: np.ndarray
    estimate: dict[str, np.ndarray]
    error: dict[str, np.ndarray]
    second: float  # |f''(x0)| used by the truncation model (given, or a numerical estimate)
    third: float  # |f'''(x0)|
    models: dict[str, np.ndarray] = field(init=False)

    def __post_init__(self):
        models = {
            "truncation_one_sided": self.second / 2 * self.h,
            "truncation_central": self.third / 6 * self.h**2,
            "roundoff": EPS * self.roundoff_scale / self.h,
        }
        object.__setattr__(self, "models", models)

    @property
    def roundoff_scale(self) -> float:
        """The size that the round-off model multiplies eps by: |f(x0)|, else |x0·f'(x0)|, else 1."""
        return abs(self.f_x0) if self.f_x0 != 0 else (abs(self.x0 * self.exact) or 1.0)

    @property
    def model_best_h(self) -> dict[str, float]:
        """Where the models say truncation and round-off balance (the minimum of their sum).

        One-sided: h* = 2·sqrt(eps·|f|/|f''|); central: h* = cbrt(3·eps·|f|/|f'''|). NaN where the
        truncation model is 0 (a line has no truncation error, nor a parabola for the central quotient).
        """
        scale = self.roundoff_scale
        one_sided = 2 * math.sqrt(EPS * scale / self.second) if self.second > 0 else math.nan
        central = (3 * EPS * scale / self.third) ** (1 / 3) if self.third > 0 else math.nan
        return {"forward": one_sided, "backward": one_sided, "central": central}

    @property
    def floor(self) -> float:
        """A value below every nonzero measured error, where charts put the exact hits (error 0)."""
        errors = np.concatenate([self.error[s] for s in SCHEMES])
        positive = errors[np.isfinite(errors) & (errors > 0)]
        return float(positive.min() / 4) if positive.size else EPS

    def records(self) -> list[dict]:
        """Long-form rows (scheme, h, estimate, error, exact_hit) for a chart; NaN and 0 errors become None.

        >>> table = error_table(d2l_function, 1.0, 2.0, [0.5])
        >>> [(r["scheme"], r["error"], r["exact_hit"]) for r in table.records()]
        [('forward', 1.5, False), ('backward', 1.5, False), ('central', None, True)]
        """
        rows = []
        for scheme in SCHEMES:
            for h, estimate, error in zip(self.h, self.estimate[scheme], self.error[scheme], strict=True):
                rows.append(
                    {
                        "scheme": scheme,
                        "h": float(h),
                        "estimate": _finite_or_none(estimate),
                        "error": float(error) if np.isfinite(error) and error > 0 else None,
                        "exact_hit": bool(error == 0),
                    }
                )
        return rows


def error_table(
    f: Function,
    x0: float,
    exact: float,
    hs=None,
    *,
    second: float | None = None,
    third: float | None = None,
) -> ErrorTable:
    """|estimate − exact| of each difference quotient at each h (default 10^-1 … 10^-16, 4 steps a decade).

    ``exact`` is f'(x0) (from SymPy, or known). ``second`` and ``third`` are |f''(x0)| and |f'''(x0)| for the
    truncation models; if not given they are estimated with wide finite differences (good enough for a
    model line; pass exact values when you have them).

    >>> table = error_table(np.sin, 1.0, math.cos(1.0))
    >>> best = best_h(table)
    >>> 1e-9 <= best["forward"] <= 1e-7, 1e-6 <= best["central"] <= 1e-4
    (True, True)
    """
    quotients = difference_quotients(f, x0, DEFAULT_ERROR_HS if hs is None else hs)
    exact = float(exact)
    if not math.isfinite(exact):
        raise ValueError(f"the exact derivative must be finite, got {exact}")
    x0 = _point(x0)
    f_x0 = _as_float(evaluate(f, np.array([x0]))[0])
    if second is None or third is None:
        estimated_second, estimated_third = _estimate_higher_derivatives(f, x0)
        second = estimated_second if second is None else second
        third = estimated_third if third is None else third
    with np.errstate(all="ignore"):
        errors = {scheme: np.abs(quotients[scheme] - exact) for scheme in SCHEMES}
    return ErrorTable(
        x0=x0,
        exact=exact,
        f_x0=f_x0,
        h=quotients["h"],
        estimate={scheme: quotients[scheme] for scheme in SCHEMES},
        error=errors,
        second=_finite_abs(second),
        third=_finite_abs(third),
    )


def best_h(table: ErrorTable) -> dict[str, float]:
    """For each scheme, the h with the smallest measured error (the first one on ties; NaN if none is finite).

    An exact hit (error 0) counts as the smallest: for 3x² − 4x the central quotient is exact in real
    arithmetic, so its best h is wherever round-off happens to vanish, not near 1e-5.

    >>> best_h(error_table(d2l_function, 1.0, 2.0))["forward"]
    1e-08
    """
    best = {}
    for scheme in SCHEMES:
        errors = table.error[scheme]
        finite = np.isfinite(errors)
        best[scheme] = float(table.h[finite][np.argmin(errors[finite])]) if finite.any() else math.nan
    return best


def _estimate_higher_derivatives(f: Function, x0: float) -> tuple[float, float]:
    """|f''(x0)| and |f'''(x0)| from central differences with steps wide enough to keep round-off small.

    An estimate below the round-off noise of its own formula (about 8·eps·max|f| / step^order) is taken as
    0, so that a parabola gets no central truncation line at all rather than one made of noise.
    """
    k2 = 1e-4 * max(1.0, abs(x0))
    k3 = 1e-3 * max(1.0, abs(x0))
    offsets = np.array([-2 * k3, -k3, -k2, 0.0, k2, k3, 2 * k3])
    with np.errstate(all="ignore"):
        values = evaluate(f, x0 + offsets)
        m3, m1, n1, c, p1, q1, q3 = values
        second = abs((p1 - 2 * c + n1) / k2**2)
        third = abs((q3 - 2 * q1 + 2 * m1 - m3) / (2 * k3**3))
        size = float(np.max(np.abs(values)))
    second = 0.0 if second <= 8 * EPS * size / k2**2 else second
    third = 0.0 if third <= 8 * EPS * size / k3**3 else third
    return _finite_abs(second), _finite_abs(third)


# --- One-sided limits and differentiability ---------------------------------------------------------


@dataclass(frozen=True, eq=False)
class OneSidedTable:
    """Left and right difference quotients at ``x0``.

    left = (f(x0−h) − f(x0))/(−h), right = (f(x0+h) − f(x0))/h, for each h in ``h`` (decreasing).
    """

    x0: float
    f_x0: float
    h: np.ndarray
    left: np.ndarray
    right: np.ndarray

    def verdict(self, tol: float = 1e-4) -> str:
        """:func:`differentiability_verdict` of this table."""
        return differentiability_verdict(self.left, self.right, tol, f_x0=self.f_x0, hs=self.h)

    def records(self) -> list[dict]:
        """Rows (h, left, right) with None for undefined values, for a table on the page."""
        return [
            {"h": float(h), "left": _finite_or_none(left), "right": _finite_or_none(right)}
            for h, left, right in zip(self.h, self.left, self.right, strict=True)
        ]


def one_sided_table(f: Function, x0: float, hs=None) -> OneSidedTable:
    """The one-sided difference quotients of ``f`` at ``x0`` (default h = 10^-1 … 10^-8, 4 steps a decade).

    >>> table = one_sided_table(np.abs, 0.0, [0.1, 0.01])
    >>> table.left.tolist(), table.right.tolist(), table.verdict()
    ([-1.0, -1.0], [1.0, 1.0], 'one_sided_differ')
    """
    x0, h = _point(x0), _steps(DEFAULT_ONE_SIDED_HS if hs is None else hs)
    with np.errstate(all="ignore"):
        f0 = evaluate(f, np.full_like(h, x0))
        left = (evaluate(f, x0 - h) - f0) / (-h)
        right = (evaluate(f, x0 + h) - f0) / h
    return OneSidedTable(x0=x0, f_x0=_as_float(f0[0]) if f0.size else math.nan, h=h, left=left, right=right)


def combined_verdict(exact: str | None, numerical: str) -> str:
    """The verdict a page states: SymPy's (``exact``), unless it failed (None) or could not decide
    (``unknown``), or the numbers see a jump (SymPy calls that ``infinite``); then the numerical one.

    >>> combined_verdict("infinite", "discontinuous"), combined_verdict(None, "differentiable")
    ('discontinuous', 'differentiable')
    >>> combined_verdict("no_limit", "one_sided_differ"), combined_verdict("unknown", "infinite")
    ('no_limit', 'infinite')
    """
    if exact is None or exact == "unknown" or numerical == "discontinuous":
        return numerical
    return exact


def differentiability_verdict(left, right, tol: float = 1e-4, *, f_x0: float | None = None, hs=None) -> str:
    """Judge from one-sided quotients (h decreasing) whether f is differentiable at x0.

    Only the tail of the arrays is read (the smallest third of the h values, at least three): that is where
    the limit shows, as long as h stays above about 1e-8 so that round-off does not drown it. Rules, in order:

    - ``undefined``: ``f_x0`` is given and not finite, or a side has fewer than two finite quotients;
    - ``discontinuous`` (needs ``hs``): on some side |f(x0±h) − f(x0)| = |quotient|·h does not shrink with h;
    - ``infinite``: on some side |quotient| is above 100 and grows like h^-p with p > 0.2 over the tail
      (p is measured against ``hs``, or against the position in the array if ``hs`` is not given);
    - ``differentiable``: the last left and right quotients agree within ``tol`` (relative, for |values| > 1),
      or their gap shrinks at least like sqrt(h) (with ``hs``), so it closes in the limit;
    - otherwise ``one_sided_differ``.

    >>> differentiability_verdict([-1.0, -1.0, -1.0], [1.0, 1.0, 1.0])
    'one_sided_differ'
    >>> differentiability_verdict([2.0, 2.0, 2.0], [2.0, 2.0, 2.0], f_x0=float("inf"))
    'undefined'
    """
    left, right = np.asarray(left, dtype=np.float64), np.asarray(right, dtype=np.float64)
    if left.shape != right.shape or left.ndim != 1:
        raise ValueError("left and right must be 1-D arrays of the same length")
    if f_x0 is not None and not math.isfinite(f_x0):
        return "undefined"
    h = _steps(hs) if hs is not None else 10.0 ** -np.arange(1, left.size + 1, dtype=np.float64)
    if h.shape != left.shape:
        raise ValueError("hs must have one step per quotient")
    tail = slice(max(0, left.size - max(3, left.size // 3)), None)
    sides = [_tail(values[tail], h[tail]) for values in (left, right)]
    if any(side is None for side in sides):
        return "undefined"
    if hs is not None and any(_growth(np.abs(q) * steps, steps) < 0.1 for q, steps in sides):
        return "discontinuous"  # the increment f(x0±h) − f(x0) does not go to 0
    if any(abs(q[-1]) > 100 and _growth(np.abs(q), steps) < -0.2 for q, steps in sides):
        return "infinite"
    (q_left, h_left), (q_right, h_right) = sides
    scale = max(1.0, abs(q_left[-1]), abs(q_right[-1]))
    if abs(q_left[-1] - q_right[-1]) <= tol * scale:
        return "differentiable"
    if hs is not None:
        common, left_at, right_at = np.intersect1d(h_left, h_right, return_indices=True)
        if common.size >= 2:
            gap = np.abs(q_left[left_at] - q_right[right_at])
            if np.all(gap > 0) and _growth(gap, common) > 0.4:
                return "differentiable"
    return "one_sided_differ"


def _tail(values: np.ndarray, steps: np.ndarray):
    """The finite quotients of one side and their steps, or None if fewer than two are finite."""
    finite = np.isfinite(values)
    if finite.sum() < 2:
        return None
    return values[finite], steps[finite]


def _growth(magnitudes: np.ndarray, steps: np.ndarray) -> float:
    """The power p in magnitude ∝ h^p between the first and last of the tail (+inf if it starts at 0)."""
    first, last = magnitudes[0], magnitudes[-1]
    if first == 0 and last == 0:
        return math.inf  # constant zero: behaves like a high power of h
    if first == 0 or last == 0:
        return math.inf if last == 0 else -math.inf
    return float(math.log(last / first) / math.log(steps[-1] / steps[0]))


# --- The secant, for the browser --------------------------------------------------------------------


def secant_steps(h_max: float = 1.0, h_min: float = 1e-3, per_decade: int = 10) -> np.ndarray:
    """Steps h = 10^-k for k from −log10(h_max) to −log10(h_min) in equal steps: the secant slider's values.

    >>> secant_steps(1.0, 0.01, 2).tolist()
    [1.0, 0.31622776601683794, 0.1, 0.03162277660168379, 0.01]
    """
    k_min, k_max = -math.log10(h_max), -math.log10(h_min)
    if not (h_max > h_min > 0) or per_decade < 1:
        raise ValueError("need h_max > h_min > 0 and per_decade >= 1")
    count = round((k_max - k_min) * per_decade)
    return 10.0 ** -(k_min + np.arange(count + 1) / per_decade)


@dataclass(frozen=True, eq=False)
class SecantTable:
    """The secant through (x0, f(x0)) and (x0 + h, f(x0 + h)) for each slider step h."""

    x0: float
    f_x0: float
    h: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    slope: np.ndarray  # the forward difference quotient, NaN where f(x0 + h) is undefined


def secant_table(f: Function, x0: float, hs) -> SecantTable:
    """f(x0 + h) and the secant slope for every h (any sign), computed once for the browser to select from.

    >>> table = secant_table(d2l_function, 1.0, [1.0, 0.5])
    >>> table.f_x0, table.y1.tolist(), table.slope.tolist()
    (-1.0, [4.0, 0.75], [5.0, 3.5])
    """
    x0 = _point(x0)
    h = np.asarray(hs, dtype=np.float64)
    if h.ndim != 1 or not np.all(np.isfinite(h)) or np.any(h == 0):
        raise ValueError("hs must be a 1-D array of finite, nonzero steps")
    with np.errstate(all="ignore"):
        f0 = _as_float(evaluate(f, np.array([x0]))[0])
        y1 = evaluate(f, x0 + h)
        slope = (y1 - f0) / h
    slope[~np.isfinite(slope)] = np.nan
    return SecantTable(x0=x0, f_x0=f0, h=h, x1=x0 + h, y1=y1, slope=slope)


# --- Helpers ----------------------------------------------------------------------------------------


def evaluate(f: Function, xs: np.ndarray) -> np.ndarray:
    """``f`` at the float64 array ``xs`` as a float64 array of the same shape (scalar-only callables too).

    >>> import math
    >>> evaluate(math.sqrt, np.array([4.0, 9.0])).tolist()
    [2.0, 3.0]
    """
    xs = np.asarray(xs, dtype=np.float64)
    try:
        values = f(xs)
    except TypeError:
        values = [f(float(x)) for x in xs.reshape(-1)]
        return np.asarray(values, dtype=np.float64).reshape(xs.shape)
    return np.array(np.broadcast_to(np.asarray(values, dtype=np.float64), xs.shape))


def _steps(hs) -> np.ndarray:
    h = np.asarray(hs, dtype=np.float64)
    if h.ndim != 1 or h.size == 0 or not np.all(np.isfinite(h) & (h > 0)):
        raise ValueError("hs must be a non-empty 1-D sequence of positive finite steps")
    return h


def _point(x0) -> float:
    x0 = float(x0)
    if not math.isfinite(x0):
        raise ValueError(f"x0 must be finite, got {x0}")
    return x0


def _as_float(value) -> float:
    array = np.asarray(value, dtype=np.float64)
    if array.size != 1:
        raise ValueError(f"expected one number, got shape {array.shape}")
    return float(array.reshape(()))


def _finite_or_none(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _finite_abs(value) -> float:
    value = abs(float(value))
    return value if math.isfinite(value) else 0.0


__all__ = [
    "EPS",
    "SCHEMES",
    "VERDICTS",
    "ErrorTable",
    "LimitRow",
    "OneSidedTable",
    "SecantTable",
    "best_h",
    "d2l_function",
    "d2l_limit_table",
    "difference_quotients",
    "differentiability_verdict",
    "error_table",
    "evaluate",
    "format_d2l_row",
    "numerical_lim",
    "one_sided_table",
    "secant_steps",
    "secant_table",
]
