"""Predict, then reveal (``?predict=1``): a page's key answer waits behind a question until it is revealed.

In predict mode (ui/settings.py: the switch, the URL flag) each page asks its question where the answer would
be, with the current numbers ("what is the slope of the tangent at x = 1?"), and a Reveal button; the class
guesses first. The other places on the page that would give the answer away (a sentence, a table column, a
chart's tangent or arrow) ask :func:`is_shown` and leave it out until then. Outside predict mode every
answer shows at once, exactly as before.

What has been revealed is remembered per session, per question and per input: another function or point is
a new question, and its answer is hidden again. Session state keeps only short digests of the inputs, at most
:data:`MAX_REVEALED` of them (the oldest forgotten first).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import streamlit as st

from ui.i18n import t
from ui.settings import is_predict, is_projector

REVEALED_STATE_KEY = "revealed_answers"
MAX_REVEALED = 64
BUTTON_KEY_PREFIX = "reveal_"


def answer_key(question: str, inputs: Iterable) -> str:
    """The key of one answer: the question's id and a digest of the inputs it depends on.

    >>> answer_key("rules/tangent", ("x**2", 1.0)) == answer_key("rules/tangent", ["x**2", 1.0])
    True
    >>> answer_key("rules/tangent", ("x", 1.0)) == answer_key("rules/tangent", ("x", 2.0))
    False
    """
    digest = hashlib.blake2b(repr(tuple(inputs)).encode("utf-8"), digest_size=8).hexdigest()
    return f"{question}:{digest}"


def is_shown(question: str, inputs: Iterable) -> bool:
    """Whether the answer may be shown: always outside predict mode, else once it has been revealed."""
    if not is_predict():
        return True
    return answer_key(question, inputs) in st.session_state.get(REVEALED_STATE_KEY, ())


def ask(question: str, inputs: Iterable, prompt: str) -> bool:
    """Where the answer goes: True if it may be shown; else the question and a Reveal button, and False.

    ``prompt`` is the catalogue's text filled with numbers (never text a reader typed: it is Markdown).
    Call it once per question and run (the button's key is the question's id); other places that would give
    the answer away call :func:`is_shown`. Inside a fragment, revealing reruns that fragment alone: every
    place that shows the same answer must then be inside it too.
    """
    key = answer_key(question, inputs)
    if is_shown(question, inputs):
        return True
    with st.container(border=True):
        st.markdown(prompt)
        st.button(
            t("reveal.button"),
            key=BUTTON_KEY_PREFIX + question,
            help=t("reveal.button_help"),
            type="primary",
            icon=":material/visibility:",
            on_click=reveal,
            args=(key,),
            width="stretch" if is_projector() else "content",
        )
    return False


def reveal(key: str) -> None:
    """Remember that the answer ``key`` (from :func:`answer_key`) has been revealed in this session."""
    revealed = [item for item in st.session_state.get(REVEALED_STATE_KEY, []) if item != key]
    revealed.append(key)
    st.session_state[REVEALED_STATE_KEY] = revealed[-MAX_REVEALED:]


def chart_hidden_note() -> None:
    """Under a chart drawn without its answer: what appears after Reveal."""
    st.caption(t("reveal.chart_hidden"))


def names_list(names: Iterable[str]) -> str:
    """Names joined for a prompt, with the language's list separator."""
    return t("reveal.list_separator").join(names)
