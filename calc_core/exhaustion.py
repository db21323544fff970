"""The method of exhaustion: regular polygons squeezing the unit circle, and Archimedes' bounds on π.

An inscribed regular n-gon splits into n triangles from the centre, each with two sides of length 1 and
the angle 2π/n between them, so its area is (n/2)·sin(2π/n). The circumscribed n-gon splits into n
triangles of height 1 and base 2·tan(π/n): area n·tan(π/n). The circle's area π lies between them.

Archimedes (Measurement of a Circle) worked with perimeters instead: the half-perimeters n·sin(π/n)
(inscribed) and n·tan(π/n) (circumscribed) bound the half-circumference π. Starting from the hexagon he
doubled the sides four times, to 96, rounding every square root in the safe direction, and proved
3 10/71 < π < 3 1/7. His bounds are a little wider than the true 96-gon values:

    area of inscribed 96-gon     3.13935  (= half-perimeter of the 48-gon)
    3 10/71                      3.14084  (Archimedes' lower bound)
    96·sin(π/96)                 3.14103  (inscribed 96-gon's half-perimeter)
    π                            3.14159
    96·tan(π/96)                 3.14271  (circumscribed 96-gon: half-perimeter = area)
    3 1/7                        3.14285  (Archimedes' upper bound)

The errors shrink like 1/n²: π − (n/2)·sin(2π/n) ≈ (2π³/3)/n² and n·tan(π/n) − π ≈ (π³/3)/n².
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction

import numpy as np

ARCHIMEDES_SIDES = (6, 12, 24, 48, 96)
ARCHIMEDES_LOWER = Fraction(223, 71)  # 3 10/71
ARCHIMEDES_UPPER = Fraction(22, 7)  # 3 1/7
# The leading terms of the errors, for the reference lines: error ≈ constant / n².
INSCRIBED_ERROR_CONSTANT = 2 * math.pi**3 / 3
CIRCUMSCRIBED_ERROR_CONSTANT = math.pi**3 / 3
# The reference line drawn beside the errors: 40/n², slope −2 on log axes, above both errors
# (a line through the inscribed error's own leading term would hide it).
REFERENCE_CONSTANT = 40.0


def _sides(n) -> np.ndarray:
    sides = np.asarray(n)
    if not np.issubdtype(sides.dtype, np.integer) or np.any(sides < 3):
        raise ValueError("a polygon needs a whole number of sides, at least 3")
    return sides.astype(np.float64)


def inscribed_area(n):
    """Area (n/2)·sin(2π/n) of the regular n-gon inscribed in the unit circle (n triangles from the centre).

    >>> round(float(inscribed_area(6)), 6), round(float(inscribed_area(96)), 5)
    (2.598076, 3.13935)
    """
    n = _sides(n)
    return n / 2 * np.sin(2 * np.pi / n)


def circumscribed_area(n):
    """Area n·tan(π/n) of the regular n-gon circumscribed about the unit circle.

    >>> round(float(circumscribed_area(4)), 12), round(float(circumscribed_area(96)), 5)
    (4.0, 3.14271)
    """
    n = _sides(n)
    return n * np.tan(np.pi / n)


def inscribed_half_perimeter(n):
    """Half the perimeter n·sin(π/n) of the inscribed n-gon: Archimedes' lower bound for π.

    >>> round(float(inscribed_half_perimeter(6)), 12), round(float(inscribed_half_perimeter(96)), 5)
    (3.0, 3.14103)
    """
    n = _sides(n)
    return n * np.sin(np.pi / n)


def circumscribed_half_perimeter(n):
    """Half the perimeter n·tan(π/n) of the circumscribed n-gon (for the unit circle equal to its area).

    >>> round(float(circumscribed_half_perimeter(96)), 5)
    3.14271
    """
    return circumscribed_area(n)


def polygon_vertices(n: int, circumscribed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The n vertices, counter-clockwise from angle 0 (inscribed) or π/n (circumscribed, radius 1/cos(π/n)).

    The circumscribed polygon's sides touch the circle at the inscribed polygon's vertices.

    >>> x, y = polygon_vertices(4)
    >>> np.round(x, 12).tolist(), np.round(y, 12).tolist()
    ([1.0, 0.0, -1.0, -0.0], [0.0, 1.0, 0.0, -1.0])
    """
    count = int(_sides(int(n)))
    angles = 2 * np.pi * np.arange(count) / count
    if not circumscribed:
        return np.cos(angles), np.sin(angles)
    radius = 1 / np.cos(np.pi / count)
    return radius * np.cos(angles + np.pi / count), radius * np.sin(angles + np.pi / count)


@dataclass(frozen=True)
class ArchimedesRow:
    """One line of Archimedes' table for a unit circle (radius 1, so the half-circumference is π)."""

    sides: int
    inscribed_half_perimeter: float  # n·sin(π/n) < π
    circumscribed_half_perimeter: float  # n·tan(π/n) > π
    inscribed_area: float  # (n/2)·sin(2π/n) < π
    circumscribed_area: float  # n·tan(π/n) > π
    pi: float = math.pi

    def to_dict(self) -> dict:
        """The row as plain data."""
        return asdict(self)


def archimedes_rows(sides: Iterable[int] = ARCHIMEDES_SIDES) -> list[ArchimedesRow]:
    """The exact polygon values for 6, 12, 24, 48, 96 sides (or ``sides``) beside today's π.

    >>> row = archimedes_rows()[-1]
    >>> f"{row.inscribed_half_perimeter:.5f} {row.circumscribed_half_perimeter:.5f} {row.inscribed_area:.5f}"
    '3.14103 3.14271 3.13935'
    """
    rows = []
    for n in sides:
        rows.append(
            ArchimedesRow(
                sides=int(n),
                inscribed_half_perimeter=float(inscribed_half_perimeter(int(n))),
                circumscribed_half_perimeter=float(circumscribed_half_perimeter(int(n))),
                inscribed_area=float(inscribed_area(int(n))),
                circumscribed_area=float(circumscribed_area(int(n))),
            )
        )
    return rows


def archimedes_doubling(steps: int = 4) -> list[tuple[int, float, float]]:
    """Archimedes' recurrence from the hexagon: (n, inscribed, circumscribed half-perimeters) per doubling.

    With a = n·sin(π/n) and b = n·tan(π/n), doubling the sides gives b' = 2ab/(a + b) (harmonic mean) and
    then a' = sqrt(a·b') (geometric mean). No π is used: only the hexagon (a = 3, b = 2·sqrt(3)) and
    square roots; Archimedes replaced each root by a fraction, rounded the safe way.

    >>> [(n, round(a, 5), round(b, 5)) for n, a, b in archimedes_doubling(1)]
    [(6, 3.0, 3.4641), (12, 3.10583, 3.21539)]
    """
    n, inner, outer = 6, 3.0, 2 * math.sqrt(3)
    rows = [(n, inner, outer)]
    for _ in range(steps):
        outer = 2 * inner * outer / (inner + outer)
        inner = math.sqrt(inner * outer)
        n *= 2
        rows.append((n, inner, outer))
    return rows


def archimedes_bounds() -> list[dict]:
    """The chain of numbers around π for the 96-gon and Archimedes' fractions, in increasing order.

    Each item is ``{"key", "value", "fraction"}`` (fraction as "numerator/denominator" for Archimedes'
    bounds, else None); the keys are for the page's translations. The order is checked, not assumed.

    >>> [item["key"] for item in archimedes_bounds()]  # doctest: +NORMALIZE_WHITESPACE
    ['inscribed_area_96', 'archimedes_lower', 'inscribed_half_perimeter_96', 'pi',
     'circumscribed_half_perimeter_96', 'archimedes_upper']
    """
    items = [
        ("inscribed_area_96", float(inscribed_area(96)), None),
        ("archimedes_lower", float(ARCHIMEDES_LOWER), ARCHIMEDES_LOWER),
        ("inscribed_half_perimeter_96", float(inscribed_half_perimeter(96)), None),
        ("pi", math.pi, None),
        ("circumscribed_half_perimeter_96", float(circumscribed_half_perimeter(96)), None),
        ("archimedes_upper", float(ARCHIMEDES_UPPER), ARCHIMEDES_UPPER),
    ]
    items.sort(key=lambda item: item[1])
    return [
        {"key": key, "value": value, "fraction": None if fraction is None else str(fraction)}
        for key, value, fraction in items
    ]


def mixed_fraction(value: Fraction) -> str:
    """A fraction as Archimedes wrote it, whole part first.

    >>> mixed_fraction(ARCHIMEDES_LOWER), mixed_fraction(ARCHIMEDES_UPPER)
    ('3 10/71', '3 1/7')
    """
    whole, rest = divmod(value.numerator, value.denominator)
    return f"{whole} {rest}/{value.denominator}" if rest else str(whole)


@dataclass(frozen=True, eq=False)
class ExhaustionErrors:
    """Errors of the polygon areas against π for each n, and a 1/n² reference line."""

    n: np.ndarray
    inscribed_area: np.ndarray
    circumscribed_area: np.ndarray
    inscribed_error: np.ndarray  # π − inscribed area
    circumscribed_error: np.ndarray  # circumscribed area − π
    reference: np.ndarray  # REFERENCE_CONSTANT / n² = 40/n², a line of slope −2 on log axes

    def loglog_slope(self, which: str = "inscribed") -> float:
        """Least-squares slope of log(error) against log(n): close to −2.

        >>> round(exhaustion_error_table(range(10, 1001)).loglog_slope(), 2)
        -2.0
        """
        errors = self.inscribed_error if which == "inscribed" else self.circumscribed_error
        keep = errors > 0
        return float(np.polyfit(np.log(self.n[keep]), np.log(errors[keep]), 1)[0])

    def records(self) -> list[dict]:
        """Rows (n, inscribed_error, circumscribed_error, reference) as plain data."""
        return [
            {"n": int(n), "inscribed_error": float(a), "circumscribed_error": float(b), "reference": float(r)}
            for n, a, b, r in zip(
                self.n, self.inscribed_error, self.circumscribed_error, self.reference, strict=True
            )
        ]


def exhaustion_error_table(ns: Sequence[int] | Iterable[int] = None) -> ExhaustionErrors:
    """π minus the inscribed area, the circumscribed area minus π, for each n (default 3 … 1000, log-spaced).

    >>> table = exhaustion_error_table([6, 96])
    >>> [round(e, 5) for e in table.inscribed_error.tolist()]
    [0.54352, 0.00224]
    """
    if ns is None:
        ns = default_error_ns()
    n = np.asarray(list(ns), dtype=np.int64)
    inner, outer = inscribed_area(n), circumscribed_area(n)
    sides = n.astype(np.float64)
    return ExhaustionErrors(
        n=n,
        inscribed_area=inner,
        circumscribed_area=outer,
        inscribed_error=np.pi - inner,
        circumscribed_error=outer - np.pi,
        reference=REFERENCE_CONSTANT / sides**2,
    )


def default_error_ns(n_max: int = 1000, per_decade: int = 12) -> np.ndarray:
    """Whole numbers of sides from 3 to ``n_max``, about evenly spaced on a log axis, plus Archimedes' sides.

    >>> default_error_ns(100, 4).tolist()
    [3, 5, 6, 10, 12, 17, 24, 31, 48, 56, 96, 100]
    """
    count = max(2, round(math.log10(n_max / 3) * per_decade) + 1)
    ns = np.unique(np.round(np.geomspace(3, n_max, count)).astype(np.int64))
    return np.union1d(ns, [n for n in ARCHIMEDES_SIDES if n <= n_max])
