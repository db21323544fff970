"""Reading numbers and switches that arrive in a link: anything unusable is None, never an error."""

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


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def url_flag(raw: str | None) -> bool | None:
    """A yes/no switch from URL text (``1``, ``true``, ``yes``, ``on`` and their opposites); else None.

    >>> url_flag("1"), url_flag(" TRUE "), url_flag("off"), url_flag("maybe"), url_flag(None)
    (True, True, False, None, None)
    """
    if raw is None:
        return None
    word = raw.strip().lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def seed_toggle_from_url(name: str) -> None:
    """Let a bound st.toggle keyed ``name`` read ``?name=1`` (or yes, on, 0, …), not only true/false.

    Streamlit seeds a bound toggle from the link's words true/false alone and drops anything else; a teacher
    writing a link types ``f2=1``. On the toggle's first run, the link's switch word becomes its state.
    """
    import streamlit as st

    flag = url_flag(st.query_params.get(name))
    if flag is not None and name not in st.session_state:
        st.session_state[name] = flag
