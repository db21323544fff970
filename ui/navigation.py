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
    PageSpec(
        key="limits",
        script="app_pages/limits.py",
        url_path="limits",
        icon=":material/show_chart:",
        title_key="limits.nav_title",
        summary_key="limits.nav_summary",
    ),
    PageSpec(
        key="rules",
        script="app_pages/rules.py",
        url_path="rules",
        icon=":material/function:",
        title_key="rules.nav_title",
        summary_key="rules.nav_summary",
    ),
    PageSpec(
        key="sketch",
        script="app_pages/sketch.py",
        url_path="sketch",
        icon=":material/draw:",
        title_key="sketch.nav_title",
        summary_key="sketch.nav_summary",
    ),
    PageSpec(
        key="partials",
        script="app_pages/partials.py",
        url_path="partials",
        icon=":material/stacked_line_chart:",
        title_key="partials.nav_title",
        summary_key="partials.nav_summary",
    ),
    PageSpec(
        key="gradient",
        script="app_pages/gradient.py",
        url_path="gradient",
        icon=":material/explore:",
        title_key="gradient.nav_title",
        summary_key="gradient.nav_summary",
    ),
    PageSpec(
        key="chain_rule",
        script="app_pages/chain_rule.py",
        url_path="chain_rule",
        icon=":material/link:",
        title_key="chain_rule.nav_title",
        summary_key="chain_rule.nav_summary",
    ),
    PageSpec(
        key="exercises",
        script="app_pages/exercises.py",
        url_path="exercises",
        icon=":material/edit_note:",
        title_key="exercises.nav_title",
        summary_key="exercises.nav_summary",
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
