"""The teacher's guide (docs/teaching.md, docs/teaching.zh.md), shown inside the app in the reader's language.

The guide's links are app addresses such as ``/rules?f=…&present=1&lang=en``, relative to where the app runs,
so they work in the app as they are (Streamlit opens Markdown links in a new tab). An app served under
``server.baseUrlPath`` gets that prefix in front of each of them.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import streamlit as st

from ui.i18n import current_language, t

DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"
GUIDE_FILES = {"en": "teaching.md", "zh": "teaching.zh.md"}
_APP_LINK = re.compile(r"\]\(/")
_HEADING = re.compile(r"^(#{1,4}) ", flags=re.MULTILINE)
HEADING_SHIFT = 2  # the guide's ## sections become ####: inside an expander, under the home page's headings


@functools.cache
def guide_markdown(language: str, base_url_path: str = "") -> str | None:
    """The guide in ``language`` as Markdown for st.markdown, or None if the file is not there.

    Read once per process. The title line is dropped (the expander's label says what this is), headings move
    down by HEADING_SHIFT levels, and app links get ``base_url_path`` in front.

    >>> text = guide_markdown("en")
    >>> text.startswith("# "), "](/rules?" in text, "\\n#### " in text
    (False, True, True)
    """
    try:
        text = (DOCS_DIR / GUIDE_FILES[language]).read_text(encoding="utf-8")
    except (KeyError, OSError):
        return None
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    body = _HEADING.sub(lambda match: "#" * (len(match.group(1)) + HEADING_SHIFT) + " ", "\n".join(lines))
    prefix = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    return _APP_LINK.sub(f"]({prefix}/", body).strip()


def teaching_guide() -> None:
    """The guide in a closed expander; nothing if the app was deployed without docs/."""
    markdown = guide_markdown(current_language(), st.get_option("server.baseUrlPath") or "")
    if markdown is None:
        return
    with st.expander(t("home.teaching_title"), icon=":material/school:"):
        st.caption(t("home.teaching_caption"))
        st.markdown(markdown)
