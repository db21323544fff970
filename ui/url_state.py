"""Reading numbers that arrive in a link: anything that is not a usable number is None, never an error."""

from __future__ import annotations

import math

MAX_URL_NUMBER_CHARS = 40


def url_number(raw: str, limit: float) -> float | None:
    """A finite number no larger than ``limit`` in size, from URL text; None for anything else.

    >>> url_number("0.5", 10), url_number("1e999", 10), url_number("nan", 10), url_number("abc", 10)
    (0.5, None, None, None)
    """
    try:
        value = float(raw.strip()[:MAX_URL_NUMBER_CHARS])
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) <= limit else None
