"""Translated text: t() looks a key up in the reader's catalogue (locales/en.toml, locales/zh.toml).

The language is resolved once per run by the entry script (resolve_language) and kept in session state, so
pages only call t() and current_language().
"""

from __future__ import annotations

import functools
import string
import tomllib
from pathlib import Path

import streamlit as st

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
# Endonyms: each language is named in its own script whatever the interface language is,
# so they are data here rather than catalogue entries.
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGE_STATE_KEY = "language"
LANGUAGE_WIDGET_KEY = "language_switch"
LANGUAGE_URL_KEY = "lang"


@functools.cache
def load_catalogue(language: str) -> dict[str, str]:
    """The catalogue of one language, flattened to dotted keys: {"home.title": "..."}.

    Read once per process: after editing a .toml file, restart the server.
    """
    with open(LOCALES_DIR / f"{language}.toml", "rb") as file:
        return dict(_flatten(tomllib.load(file)))


def _flatten(table: dict, prefix: str = ""):
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            yield from _flatten(value, f"{key}.")
        else:
            yield key, value


def translate(language: str, key: str, **params) -> str:
    """The text for ``key`` in ``language`` with its {placeholders} filled; a missing key raises KeyError.

    Templates use str.format syntax, so a literal brace is written {{ or }} in the catalogue.
    """
    return load_catalogue(language)[key].format(**params)


def t(key: str, **params) -> str:
    """The text for ``key`` in the reader's language."""
    return translate(current_language(), key, **params)


def placeholders(language: str, key: str) -> set[str]:
    """The names of the {placeholders} in one template."""
    template = load_catalogue(language)[key]
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def current_language() -> str:
    language = st.session_state.get(LANGUAGE_STATE_KEY)
    return language if language in LANGUAGES else resolve_language()


def resolve_language() -> str:
    """Pick the language for this run and remember it; call once per run, before any page draws.

    Order: ?lang= in the URL, then a choice already made in this session, then the browser's locale,
    then English. The URL is set to the result on every run because Streamlit drops query parameters
    when the reader moves to another page through the navigation menu (seen in 1.67): the session
    state carries the choice across, and this puts it back into the address for sharing.
    """
    language = (
        _valid(st.query_params.get(LANGUAGE_URL_KEY))
        or _valid(st.session_state.get(LANGUAGE_STATE_KEY))
        or _language_of_locale(st.context.locale)
    )
    st.session_state[LANGUAGE_STATE_KEY] = language
    if st.query_params.get(LANGUAGE_URL_KEY) != language:
        st.query_params[LANGUAGE_URL_KEY] = language
    return language


def _valid(language: str | None) -> str | None:
    return language if language in LANGUAGES else None


def _language_of_locale(locale: str | None) -> str:
    return "zh" if (locale or "").lower().startswith("zh") else DEFAULT_LANGUAGE


def language_switch() -> None:
    """A two-way switch English / 中文; choosing sets the URL, which the next run reads first."""
    st.session_state[LANGUAGE_WIDGET_KEY] = current_language()
    st.segmented_control(
        t("settings.language"),
        LANGUAGES,
        format_func=LANGUAGE_NAMES.__getitem__,
        key=LANGUAGE_WIDGET_KEY,
        required=True,
        on_change=_on_language_switched,
    )


def _on_language_switched() -> None:
    language = st.session_state[LANGUAGE_WIDGET_KEY]
    st.session_state[LANGUAGE_STATE_KEY] = language
    st.query_params[LANGUAGE_URL_KEY] = language
