"""The lesson's pages: one PageSpec each, in lesson order. The home page links to all the others."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui.i18n import t
from ui.settings import persistent_query_params


@dataclass(frozen=True)
class PageSpec:
    key: str
    script: str  # relative to the entry script
    url_path: str  # "" for the default page, served at the app's root
    icon: str
    title_key: str
    summary_key: str

    @property
    def is_default(self) -> bool:
        return self.url_path == ""


PAGES: list[PageSpec] = [
    PageSpec(
        key="home",
        script="app_pages/home.py",
        url_path="",
        icon=":material/home:",
        title_key="nav.home",
        summary_key="nav.home_summary",
    ),
]

HOME_KEY = "home"


def build_navigation() -> list[st.Page]:
    """The st.Page objects for st.navigation, titled in the reader's language."""
    return [
        st.Page(
            spec.script,
            title=t(spec.title_key),
            icon=spec.icon,
            url_path=spec.url_path,
            default=spec.is_default,
        )
        for spec in PAGES
    ]


def lesson_pages() -> list[PageSpec]:
    """Every page but home, in lesson order."""
    return [spec for spec in PAGES if spec.key != HOME_KEY]


def page_card(spec: PageSpec) -> None:
    """A bordered card: the page's title as a link, then what it teaches."""
    with st.container(border=True):
        st.page_link(
            spec.script,
            label=t(spec.title_key),
            icon=spec.icon,
            query_params=persistent_query_params(),
        )
        st.caption(t(spec.summary_key))
