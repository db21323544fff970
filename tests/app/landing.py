"""Open the app at one page, the way a shared link such as /limits?f=… does after a cold start."""

from __future__ import annotations

import dataclasses

from ui import navigation
from ui.navigation import PAGES, PageSpec


def make_landing_page(monkeypatch, page: PageSpec) -> None:
    """Make ``page`` the default page for this test.

    Through AppTest's switch_page the run before is the home page, and Streamlit drops a query parameter
    bound to a widget of another page on a page change (home binds ``f`` too): the URL would not reach the
    page under test. As the default page, its first run is its own, exactly like a direct link.
    """
    landing = dataclasses.replace(page, url_path="")
    others = [
        dataclasses.replace(spec, url_path=spec.url_path or spec.key) for spec in PAGES if spec is not page
    ]
    monkeypatch.setattr(navigation, "PAGES", [landing, *others])
