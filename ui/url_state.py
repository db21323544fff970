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


def guard_url_seeded_numbers() -> None:
    """Make every URL-bound integer number box treat an infinite link value (``?k=inf``) as unusable.

    Streamlit seeds a bound ``st.number_input`` from the link before the page's code sees the widget: it reads
    ``float("inf")`` and, for an integer box, calls ``int()`` on it, which raises OverflowError, an error
    its URL seeding does not catch (it catches ValueError, so ``nan`` or ``abc`` already fall back to the
    default). Editing ``st.query_params`` first does not help: the seed comes from a snapshot of the link
    taken before the script runs. So the one place every URL-seeded number box goes through is the box's
    own URL reader, and this makes it reject an infinite value the way Streamlit rejects any other
    unusable one: the box starts at its default and the parameter leaves the link, while the page, which
    reads ``st.query_params`` before drawing the box, still sees the value and says it used the default.

    Called once by the entry script before any page runs; calling it again changes nothing.
    """
    from streamlit.elements.widgets.number_input import NumberInputSerde

    if getattr(NumberInputSerde.deserialize, "_refuses_infinity", False):
        return
    original = NumberInputSerde.deserialize

    def deserialize(self, ui_value):
        if isinstance(ui_value, float) and math.isinf(ui_value):
            return self.value  # the default, as for a value out of range
        return original(self, ui_value)

    deserialize._refuses_infinity = True
    NumberInputSerde.deserialize = deserialize
