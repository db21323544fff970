"""A long page in parts: only the part on screen runs, and its id lives in the link (``?part=descent``).

A part runs only when chosen, so a rerun of the gradient or chain-rule page does the work of one part
instead of all of them, and a teacher's link can open exactly the part to project. A link written before
the page had parts still opens the right one: a part is also chosen by the URL names it owns (``?lay=``
belongs to the identity lab).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from ui.errors import code_span
from ui.i18n import t

PART_URL_KEY = "part"
_WIDGET_KEY = "part_control"


@dataclass(frozen=True)
class Part:
    """One part of a page: its id in the URL, its title's catalog key, and the URL names it owns."""

    id: str
    title_key: str
    url_keys: tuple[str, ...] = ()


def choose_part(parts: Sequence[Part]) -> Part:
    """The part to show: ``?part=``, else the first part owning a URL name in the link, else the first.

    Draws the switch between the parts. A ``?part=`` that names no part is said and dropped.
    """
    by_id = {part.id: part for part in parts}
    raw = st.query_params.get(PART_URL_KEY)
    current = by_id.get(raw) or _owner_of_link(parts) or parts[0]
    st.session_state[_WIDGET_KEY] = current.id
    st.segmented_control(
        t("sections.label"),
        list(by_id),
        format_func=lambda part_id: t(by_id[part_id].title_key),
        key=_WIDGET_KEY,
        required=True,
        on_change=_switch_to,
        help=t("sections.help"),
    )
    if raw is not None and raw not in by_id:
        st.warning(t("sections.unknown", given=code_span(raw[:40])), icon=":material/link:")
        del st.query_params[PART_URL_KEY]
    return current


def next_part_button(parts: Sequence[Part], current: Part) -> None:
    """A button to the part after ``current``, for the reader who goes through the page in order."""
    ids = [part.id for part in parts]
    position = ids.index(current.id)
    if position + 1 == len(parts):
        return
    following = parts[position + 1]
    st.button(
        t("sections.next", title=t(following.title_key)),
        icon=":material/arrow_forward:",
        on_click=go_to,
        args=(following.id,),
        key=f"part_next_{following.id}",
    )


def _owner_of_link(parts: Sequence[Part]) -> Part | None:
    return next((part for part in parts if any(key in st.query_params for key in part.url_keys)), None)


def _switch_to() -> None:
    go_to(st.session_state[_WIDGET_KEY])


def go_to(part_id: str) -> None:
    """Show ``part_id`` from the next run on (for a button's callback)."""
    # Written even for the first part: an explicit ?part= keeps the link from being read as another part
    # that owns one of the names still in it.
    st.query_params[PART_URL_KEY] = part_id
