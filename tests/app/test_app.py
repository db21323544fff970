"""The whole app through AppTest, from the entry script, so settings and navigation run as in a browser."""

from __future__ import annotations

import pytest

from tests.app.helpers import (
    CJK,
    HOSTILE_INPUTS,
    assert_no_exception,
    expected_refusal,
    headings,
    hostile_case,
    literal_fragment,
    run_app,
)
from ui import navigation
from ui.i18n import LANGUAGES, translate
from ui.navigation import PAGES, PageSpec

# --- every page, both languages ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.key)
def test_every_page_runs_in_both_languages(page, language):
    at = run_app(page, lang=language)
    assert_no_exception(at)
    texts = headings(at)
    assert texts, "a page starts with a title"
    assert bool(CJK.search(texts[0])) == (language == "zh"), texts[0]
    assert at.query_params["lang"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_title_and_overview(language):
    at = run_app(lang=language)
    assert at.title[0].value == translate(language, "home.title")
    assert translate(language, "home.exhaustion_title") in headings(at)
    assert translate(language, "home.summary_title") in headings(at)
    page_text = " ".join(element.value for element in at.markdown)
    assert "zh.d2l.ai/chapter_preliminaries/calculus.html" in page_text
    assert "https://d2l.ai/chapter_preliminaries/calculus.html" in page_text


def test_home_shows_a_card_for_every_other_page(monkeypatch):
    """Later issues append pages; each gets a card that links to it and keeps the reader's settings."""
    extra = PageSpec(
        key="extra",
        script="app_pages/home.py",
        url_path="extra",
        icon=":material/school:",
        title_key="nav.home",
        summary_key="nav.home_summary",
    )
    monkeypatch.setattr(navigation, "PAGES", [*PAGES, extra])
    at = run_app(lang="zh", present="1")
    assert_no_exception(at)
    links = at.get("page_link")
    assert len(links) == len(PAGES)  # the extra page, but not home itself
    assert links[-1].proto.label == translate("zh", "nav.home")
    assert links[-1].proto.query_string == "lang=zh&present=1"
    assert translate("zh", "nav.home_summary") in [caption.value for caption in at.caption]


def test_home_without_other_pages_still_shows_what_the_lesson_covers(monkeypatch):
    monkeypatch.setattr(navigation, "PAGES", [spec for spec in PAGES if spec.key == "home"])
    at = run_app(lang="en")
    assert not at.get("page_link")
    assert translate("en", "home.covers_title") in headings(at)
    assert translate("en", "home.pages_title") not in headings(at)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.key)
def test_language_survives_a_page_switch_that_drops_the_query_string(page):
    """Streamlit's navigation menu clears the query string; the session remembers the language."""
    at = run_app(lang="zh")
    at.query_params.clear()
    at.switch_page(page.script).run()
    assert_no_exception(at)
    assert CJK.search(headings(at)[0])
    assert at.query_params["lang"] == "zh"


# --- language resolution ------------------------------------------------------------------------------


def test_chinese_from_the_url():
    at = run_app(lang="zh")
    assert at.title[0].value == translate("zh", "home.title")
    assert at.segmented_control(key="language_switch").value == "zh"


@pytest.mark.parametrize("bad", ["xx", "", "ZH-cn", "<script>"])
def test_unknown_language_in_the_url_falls_back_to_english_and_fixes_the_url(bad):
    at = run_app(lang=bad)
    assert_no_exception(at)
    assert at.title[0].value == translate("en", "home.title")
    assert at.query_params["lang"] == "en"


def test_unknown_language_falls_back_to_the_browser_locale():
    at = run_app(lang="xx", context={"locale": "zh-CN"})
    assert at.title[0].value == translate("zh", "home.title")


def test_browser_locale_without_a_url_choice():
    assert run_app(context={"locale": "zh-TW"}).title[0].value == translate("zh", "home.title")
    assert run_app(context={"locale": "de-DE"}).title[0].value == translate("en", "home.title")


def test_the_url_wins_over_the_browser_locale():
    assert run_app(lang="en", context={"locale": "zh-CN"}).title[0].value == translate("en", "home.title")


def test_language_switch_changes_the_page_and_the_url():
    at = run_app(lang="en")
    at.segmented_control(key="language_switch").set_value("zh").run()
    assert_no_exception(at)
    assert at.title[0].value == translate("zh", "home.title")
    assert at.query_params["lang"] == "zh"


# --- projector mode ------------------------------------------------------------------------------------


def test_projector_mode_from_the_url():
    at = run_app(present="1")
    assert_no_exception(at)
    assert at.toggle(key="projector_switch").value is True
    assert any("font-size" in element.value for element in at.html)
    assert at.query_params["present"] == "1"


def test_projector_mode_is_off_by_default():
    at = run_app()
    assert at.toggle(key="projector_switch").value is False
    assert not any("font-size" in element.value for element in at.html)
    assert "present" not in at.query_params


def test_projector_switch_keeps_the_url_in_step():
    at = run_app(lang="en")
    at.toggle(key="projector_switch").set_value(True).run()
    assert at.query_params["present"] == "1"
    at.toggle(key="projector_switch").set_value(False).run()
    assert "present" not in at.query_params
    assert at.query_params["lang"] == "en"


def test_projector_controls_stay_in_the_sidebar():
    """With the page menu on top, the sidebar still holds the settings, so they stay reachable."""
    at = run_app(present="1")
    assert [widget.key for widget in at.sidebar.toggle] == ["projector_switch", "predict_switch"]
    assert [widget.key for widget in at.sidebar.segmented_control] == ["language_switch"]


# --- the function box --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_good_function_from_the_url_shows_its_latex(language):
    at = run_app(lang=language, f="3x^2-4x")
    assert_no_exception(at)
    assert not at.error
    assert at.text_input(key="f").value == "3x^2-4x"
    assert any("3 x^{2} - 4 x" in element.value for element in at.latex)


def test_the_default_function_is_shown_without_a_url():
    at = run_app()
    assert at.text_input(key="f").value == "3x^2 - 4x"
    assert any("3 x^{2} - 4 x" in element.value for element in at.latex)


def test_an_empty_function_asks_for_one():
    at = run_app(lang="en", f="")
    assert_no_exception(at)
    assert not at.error
    assert literal_fragment("en", "error.empty") in at.info[0].value


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", list(HOSTILE_INPUTS), ids=lambda text: repr(text[:24]))
def test_hostile_input_in_the_url_is_refused_with_its_message(template, language, tmp_path):
    text, marker = hostile_case(template, tmp_path)
    err = expected_refusal(text, template)

    at = run_app(lang=language, f=text, timeout=10)

    assert_no_exception(at)
    assert not marker.exists()
    assert len(at.error) == 1
    alert = at.error[0]
    assert literal_fragment(language, f"error.{err.code}") in alert.value
    assert not any(char in alert.value for char in "\x00\u202e\u2066\u2069")
    if err.position is not None:
        assert translate(language, "error.where", position=err.position + 1) in [c.value for c in at.caption]
        pointer = at.code[-1].value
        assert pointer.splitlines()[-1].strip() == "^"
        assert not any(char in pointer for char in "\x00\u202e\u2066\u2069")


def test_a_suggestion_is_offered_for_a_near_miss():
    at = run_app(lang="en", f="sinx")
    assert translate("en", "error.did_you_mean", suggestion="`sin(x)`") in at.error[0].value
