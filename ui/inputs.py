"""Number boxes, choices and switches bound to the URL (``bind="query-params"``): a value from a link goes
through the same limits as one typed in, and a link value that cannot be used is replaced by the box's value
and said, with the text that came in (cut to 40 characters, shown as code).

The one place for every URL-bound widget of the pages: :func:`url_number_box` serves the point boxes of the
limits, rules and chain-rule pages, the gradient page's learning rate, step count, matrix sizes and seed,
and the exercises page's seed; :func:`url_option_box` the chain rule's sizes and the exercises' level;
:func:`url_toggle` the rules page's f″ switch. (Infinite values never reach a number box:
``ui.url_state.guard_url_seeded_numbers``.) :func:`url_text_box` serves the URL-bound text boxes
(functions, points).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import streamlit as st

from ui.errors import code_span
from ui.i18n import t
from ui.url_state import MAX_URL_NUMBER_CHARS, seed_toggle_from_url, url_flag, url_number


def url_text_box(key: str, label: str, default: str, *, help: str, placeholder: str | None = None):
    """A text box bound to ``?{key}=`` (its widget key is its URL name), starting at ``default``; its text."""
    return st.text_input(
        label, value=default, key=key, bind="query-params", placeholder=placeholder, help=help
    )


def url_value(name: str) -> tuple[str | None, float | None]:
    """The raw URL value of ``name`` and its finite number (None when absent or not a finite number).

    >>> url_value("no_such_name_in_a_bare_run")
    (None, None)
    """
    raw = st.query_params.get(name)
    if raw is None:
        return None, None
    return raw, url_number(raw, math.inf)


def url_usable(raw: str, low: float, high: float, integer: bool = False) -> bool:
    """Whether URL text is a number a box with these limits takes as it is.

    >>> url_usable("0.5", -1, 1), url_usable("2", -1, 1), url_usable("1.5", 0, 9, integer=True)
    (True, False, False)
    """
    value = url_number(raw, math.inf)
    return value is not None and low <= value <= high and (not integer or value.is_integer())


def url_number_box(
    key: str,
    label: str,
    *,
    default: float,
    low: float,
    high: float,
    step: float,
    warning: Callable[[str, float], str],
    help: str | None = None,
    format: str | None = "%g",
    empty_is_a_value: bool = True,
):
    """An st.number_input bound to ``?{key}=``; returns its value (int when ``step`` is an int).

    ``warning(given, used)`` is the sentence shown when the link's value is no usable number: ``given`` is the
    link's text as a code span, ``used`` the box's value. With ``empty_is_a_value=False`` an empty ``?key=``
    counts as no value rather than a wrong one.
    """
    raw = st.query_params.get(key)
    value = st.number_input(
        label,
        min_value=low,
        max_value=high,
        value=default,
        step=step,
        format=format,
        key=key,
        bind="query-params",
        help=help,
    )
    checked = raw is not None and (raw != "" or empty_is_a_value)
    if checked and not url_usable(raw, low, high, integer=isinstance(step, int)):
        st.warning(warning(code_span(raw[:MAX_URL_NUMBER_CHARS]), value), icon=":material/link:")
    return value


def limited_box(
    key: str,
    label_key: str,
    *,
    default: float,
    low: float,
    high: float,
    step: float,
    help_key: str,
    ignored_key: str,
    used: Callable[[float], object] = lambda value: value,
    format: str | None = "%g",
):
    """A URL-bound number box between ``low`` and ``high`` whose catalogue texts name those limits: the
    label ``label_key``, the help ``help_key`` and the warning ``ignored_key`` (filled with ``low`` and
    ``high``; the warning also with the link's text and the value used, written by ``used``)."""
    return url_number_box(
        key,
        t(label_key),
        default=default,
        low=low,
        high=high,
        step=step,
        format=format,
        help=t(help_key, low=low, high=high),
        warning=lambda given, value: t(ignored_key, given=given, used=used(value), low=low, high=high),
    )


def whole_number_box(key: str, label_key: str, *, default: int, low: int, high: int, texts: str) -> int:
    """:func:`limited_box` for a count or a seed: steps of 1, no decimals, an int back. Its help and warning
    are the catalogue's ``{texts}_help`` and ``{texts}_ignored``."""
    value = limited_box(
        key,
        label_key,
        default=default,
        low=low,
        high=high,
        step=1,
        format=None,
        help_key=f"{texts}_help",
        ignored_key=f"{texts}_ignored",
    )
    return int(value)


def x0_box(
    page: str,
    *,
    default: float,
    bound: float,
    step: float,
    number: Callable[[float], str],
    empty_is_a_value: bool = True,
    **params,
) -> float:
    """The point x₀ of a one-variable page, bound to ``?x0=`` and within ±``bound``; its label, help and
    warning are the catalogue's ``{page}.x0_label``, ``{page}.x0_help`` and ``{page}.x0_ignored`` (filled
    with ``params``; the warning with the link's text and the value used, written by ``number``)."""
    value = url_number_box(
        "x0",
        t(f"{page}.x0_label"),
        default=default,
        low=-bound,
        high=bound,
        step=step,
        help=t(f"{page}.x0_help", **params),
        warning=lambda given, used: t(f"{page}.x0_ignored", given=given, used=number(used), **params),
        empty_is_a_value=empty_is_a_value,
    )
    return float(value)


def url_option_box(
    key: str, label: str, options, *, default, warning: Callable[[str, object], str], **kwargs
):
    """A required st.segmented_control of ``options`` (numbers), bound to ``?{key}=``; returns the choice.

    Streamlit seeds it from a link whose value is one of the options and silently drops anything else;
    ``warning(given, used)`` says so (``given``: the link's text as a code span).
    """
    raw = st.query_params.get(key)
    value = st.segmented_control(
        label, options, default=default, required=True, key=key, bind="query-params", **kwargs
    )
    if raw is not None and raw.strip() not in {str(option) for option in options}:
        st.warning(warning(code_span(raw[:MAX_URL_NUMBER_CHARS]), value), icon=":material/link:")
    return value if value in options else default


def url_toggle(key: str, label: str, *, warning: Callable[[str], str], help: str | None = None) -> bool:
    """An st.toggle bound to ``?{key}=``, read as ``1``/``0``, true/false, yes/no, on/off; anything else in
    the link leaves it off, and ``warning(given)`` says so."""
    raw = st.query_params.get(key)
    seed_toggle_from_url(key)
    on = st.toggle(label, key=key, bind="query-params", help=help)
    if raw is not None and url_flag(raw) is None:
        st.warning(warning(code_span(raw[:MAX_URL_NUMBER_CHARS])), icon=":material/link:")
    return bool(on)
