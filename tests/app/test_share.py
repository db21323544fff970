"""The copy-link control: on every page, in both languages, holding the link to exactly what is shown.

A widget changed by the reader reaches the link through the browser's address bar, which AppTest has not:
tests/e2e/test_share_link.py checks that in a real browser."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.app.helpers import assert_no_exception, run_app
from tests.app.landing import make_landing_page
from ui.i18n import LANGUAGES, translate
from ui.navigation import PAGES
from ui.share import BUTTON_KEY, qr_png

APP_URL = "http://classroom.example:8501"


def links_shown(at) -> list[str]:
    return [code.value for code in at.get("code") if code.value.startswith(("http", "/"))]


def open_link_dialog(at):
    at.button(key=BUTTON_KEY).click().run()
    assert_no_exception(at)
    links = links_shown(at)
    assert len(links) == 1, links
    assert at.get("image"), "the QR code of the link"
    return links[0]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.key)
def test_every_page_has_the_control_in_its_language(spec, language):
    at = run_app(spec, lang=language)
    assert_no_exception(at)
    assert at.button(key=BUTTON_KEY).label == translate(language, "share.label")
    assert not links_shown(at), "the link is computed only when the button is pressed"


@pytest.mark.parametrize(
    ("page_key", "params"),
    [
        ("rules", {"f": "x^3 - 1/x", "x0": "1.5", "lang": "zh", "present": "1"}),
        ("gradient", {"f": "3*x1^2+5*exp(x2)", "p": "1, 2", "part": "field", "lang": "en"}),
        ("limits", {"f": "sin(x)/x & #frag", "lang": "en"}),  # characters that must be escaped in a link
    ],
)
def test_the_link_holds_every_setting_of_the_page(monkeypatch, page_key, params):
    spec = next(spec for spec in PAGES if spec.key == page_key)
    make_landing_page(monkeypatch, spec)
    at = run_app(None, context={"url": APP_URL}, **params)
    link = open_link_dialog(at)
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == APP_URL
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    for name, value in params.items():
        assert query[name] == value, (name, link)


def test_without_the_app_url_the_link_is_relative_to_the_page():
    at = run_app(next(spec for spec in PAGES if spec.key == "limits"), lang="en")
    link = open_link_dialog(at)
    assert link.startswith("/limits?") and "lang=en" in link


def test_the_qr_code_is_a_png_that_changes_with_the_link():
    first, second = qr_png("http://a.example/rules?f=x"), qr_png("http://a.example/rules?f=x%5E2")
    assert first.startswith(b"\x89PNG\r\n\x1a\n") and second.startswith(b"\x89PNG")
    assert first != second
