"""The copy-link control in a real browser: what the reader changed is in the link it offers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.conftest import wait_for_app_run
from tests.e2e.test_pages import assert_no_exception, open_app, page_url, wait_for_query
from ui.i18n import translate

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


def test_the_link_has_the_function_the_reader_typed(page, page_errors, app_server):
    open_app(page, page_url(app_server.url, "rules", lang="zh", f="x^3", present="1"))
    box = page.locator(".st-key-f input")
    box.fill("cos(x)")
    box.press("Enter")
    wait_for_query(page, "f", "cos(x)")
    wait_for_app_run(page)
    page.get_by_role("button", name=translate("zh", "share.label")).click()
    link = page.locator('[data-testid="stDialog"] [data-testid="stCode"]')
    link.wait_for()
    query = parse_qs(urlsplit(link.inner_text().strip()).query)
    assert query["f"] == ["cos(x)"] and query["lang"] == ["zh"] and query["present"] == ["1"]
    assert urlsplit(link.inner_text().strip()).path == "/rules"
    assert_no_exception(page, page_errors)
