"""The copy-link control: the link to exactly what is on screen, ready to copy or to scan.

Every page keeps its state in the URL, so the link is the page's address plus the current query string.
"Copy link" is a button in a fragment that opens a dialog: pressing it reruns that fragment alone (not the
page), which reads the address as the browser has it then, so a change made inside another fragment is in
the link too. The dialog shows the link in st.code, whose copy button is Streamlit's own, and as a QR code
that students can scan from the projector screen.

Why not a popover that computes the link when opened (``on_change="rerun"``): such a popover reports being
closed as well, and it closes on any click outside it. Every close, a drag on a chart's slider included, ran
the whole page again; a click on another page in the navigation while it was open sent two runs, and the
second, for the old page, won. A dialog closes in the browser without a run, and while it is open nothing
else on the page can be clicked.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

import segno
import streamlit as st

from ui.i18n import t

BUTTON_KEY = "share_link"
QR_PIXELS_PER_MODULE = 6


def page_link(base_url: str | None, url_path: str, params: Mapping[str, Sequence[str]]) -> str:
    """The link to a page with its query parameters; relative (``/path?…``) when the app's URL is unknown.

    >>> page_link("http://localhost:8501/rules", "rules", {"f": ["x^2"], "x0": ["1"], "lang": ["zh"]})
    'http://localhost:8501/rules?f=x%5E2&x0=1&lang=zh'
    >>> page_link(None, "", {"present": ["1"]})
    '/?present=1'
    """
    query = urlencode([(name, value) for name, values in params.items() for value in values])
    address = base_url if base_url else "/" + url_path
    return f"{address}?{query}" if query else address


def current_link(url_path: str) -> str:
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    return page_link(st.context.url, url_path, params)


@st.fragment
def share_control(url_path: str) -> None:
    """The "Copy link" button, at the right; pressing it opens the dialog with the link (a run of this
    fragment only). The alignment is inside the fragment: a fragment's block takes the whole width."""
    with st.container(horizontal=True, horizontal_alignment="right"):
        if st.button(t("share.label"), icon=":material/link:", key=BUTTON_KEY, help=t("share.help")):
            st.dialog(t("share.label"), icon=":material/link:")(link_dialog)(url_path)


def link_dialog(url_path: str) -> None:
    """What the dialog shows: the link, ready to copy, and its QR code."""
    st.markdown(t("share.body"))
    link = current_link(url_path)
    st.code(link, language=None, wrap_lines=True)
    st.image(qr_png(link), caption=t("share.qr_caption"), width="content", alt=t("share.qr_alt"))


@st.cache_data(max_entries=64, show_spinner=False)
def qr_png(link: str) -> bytes:
    """The link as a QR code, black on white with the standard quiet zone, as PNG bytes."""
    picture = io.BytesIO()
    segno.make(link, error="m").save(picture, kind="png", scale=QR_PIXELS_PER_MODULE, border=4)
    return picture.getvalue()
