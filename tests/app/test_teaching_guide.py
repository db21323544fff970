"""The teacher's guide (docs/teaching.md, docs/teaching.zh.md): every link opens what the lesson says.

Each app link of both guides is opened as the landing page, the way a teacher's click opens it after a
cold start: it must run without an exception or an error alert, in the link's language and in projector mode,
without a note that a value of the link was refused, and every name the link sets must be used by the page:
the widget bound to it shows the link's value, or the chart that starts from it does. The two guides stay in
step: a section for every page of ui/navigation.PAGES, the same lessons, the same links but for ``lang``.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ENTRY_SCRIPT, assert_title_in, literal_fragment
from tests.app.landing import make_landing_page
from ui.i18n import LANGUAGE_STATE_KEY, LANGUAGES, load_catalogue, translate
from ui.navigation import PAGES, PageSpec
from ui.settings import PROJECTOR_STATE_KEY
from ui.teaching import DOCS_DIR, GUIDE_FILES, guide_markdown
from ui.views.chain.graph import STEP_STATE
from viz.exhaustion_charts import N_PARAM
from viz.gradient_charts import ANGLE_PARAM

TIMEOUT = 60  # the first run in a process starts the sandbox's workers
GENERAL = "general"  # the guide's sections that belong to no page (how to use the links)
PAGE_HEADING = re.compile(r"^## .*`(?P<path>/[a-z_]*)`\s*$")
APP_LINK = re.compile(r"\[[^\]]*\]\((?P<url>/[^)\s]*)\)")
LESSON_STEP = re.compile(r"^\d+\.\s+\*\*(\d+):(\d\d)–(\d+):(\d\d)\*\*")
LESSON_MINUTES = 10
SETTINGS = ("lang", "present", "predict")
# URL names that are not the key of the widget showing them: (page, URL name) → widget key.
WIDGET_FOR = {
    ("gradient", "id"): "id_control",
    ("gradient", "lay"): "lay_control",
    ("chain_rule", "step"): STEP_STATE,
}
# URL names that set where a chart's own slider starts: (page, URL name) → Vega-Lite param.
CHART_PARAM_FOR = {("limits", "n"): N_PARAM, ("gradient", "u"): ANGLE_PARAM}
WIDGET_KINDS = (
    "text_input",
    "number_input",
    "toggle",
    "select_slider",
    "selectbox",
    "segmented_control",
    "slider",
)
# What a page says when it replaces a value from the link: the keys ending in _ignored or _clamped, and these.
REFUSAL_KEYS = (
    "partials.point_invalid",
    "partials.point_too_large",
    "partials.point_padded",
    "partials.point_truncated",
    "chain_rule.mixed_variables",
)
PAGE_BY_PATH = {f"/{spec.url_path}": spec for spec in PAGES}


# --- the guides, parsed -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    links: tuple[str, ...]
    steps: tuple[tuple[int, int], ...]  # each lesson step's start and end, in seconds


@functools.cache
def guide(language: str) -> dict[str, Section]:
    """The guide's sections by page key (GENERAL for the rest): their app links and their timed steps."""
    texts: dict[str, list[str]] = {GENERAL: []}
    current = GENERAL
    for line in (DOCS_DIR / GUIDE_FILES[language]).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = PAGE_HEADING.match(line)
            current = PAGE_BY_PATH[heading["path"]].key if heading else GENERAL
            assert current == GENERAL or current not in texts, f"two sections for {current}"
            texts.setdefault(current, [])
        texts[current].append(line)
    sections = {}
    for key, lines in texts.items():
        links = tuple(match["url"] for match in APP_LINK.finditer("\n".join(lines)))
        steps = tuple(
            (int(m[1]) * 60 + int(m[2]), int(m[3]) * 60 + int(m[4]))
            for m in map(LESSON_STEP.match, lines)
            if m is not None
        )
        sections[key] = Section(links, steps)
    return sections


def split_link(url: str) -> tuple[PageSpec, dict[str, str]]:
    parts = urlsplit(url)
    assert parts.path in PAGE_BY_PATH, f"{url}: no page at {parts.path}"
    pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    params = dict(pairs)
    assert len(params) == len(pairs), f"{url}: a name set twice"
    return PAGE_BY_PATH[parts.path], params


def without_language(url: str) -> str:
    return re.sub(r"([?&])lang=[a-z]+", r"\1lang=", url)


ALL_LINKS = sorted(
    {url for language in LANGUAGES for section in guide(language).values() for url in section.links}
)


# --- opening a link -----------------------------------------------------------------------------------------


@functools.cache
def opened(url: str) -> AppTest:
    """The app after its first run from ``url``, the linked page as the landing page; one run per link."""
    page, params = split_link(url)
    with pytest.MonkeyPatch.context() as monkeypatch:
        make_landing_page(monkeypatch, page)
        at = AppTest.from_file(ENTRY_SCRIPT, default_timeout=TIMEOUT)
        at.query_params.update(params)
        at.run()
    return at


def widget_value(at: AppTest, key: str):
    for kind in WIDGET_KINDS:
        for widget in getattr(at, kind):
            if widget.key == key:
                return widget.value
    raise LookupError(key)


def chart_param_values(at: AppTest, name: str) -> list:
    """The starting values of every Vega-Lite param called ``name`` on the page."""
    found = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for param in node.get("params", []) if isinstance(node.get("params"), list) else []:
                if isinstance(param, dict) and param.get("name") == name and "value" in param:
                    found.append(param["value"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for element in at.get("vega_lite_chart"):
        walk(json.loads(element.proto.spec))
    return found


def shows(value, wanted: str) -> bool:
    """Whether a widget's value is what the link asked for."""
    if isinstance(value, bool):
        return wanted.strip().lower() == str(value).lower()
    if isinstance(value, int | float):
        return math.isclose(float(value), float(wanted))
    return str(value) == wanted


def refusal_fragments(language: str) -> list[str]:
    keys = [key for key in load_catalogue(language) if re.search(r"_(ignored|clamped)$", key)]
    return [literal_fragment(language, key) for key in [*keys, *REFUSAL_KEYS]]


def page_texts(at: AppTest) -> list[str]:
    return [element.value for element in [*at.warning, *at.info, *at.caption, *at.markdown]]


# --- the two guides ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_a_section_with_a_lesson(language):
    sections = guide(language)
    for spec in PAGES:
        assert spec.key in sections, (
            f"{GUIDE_FILES[language]} has no section for {spec.key} (/{spec.url_path})"
        )
        assert sections[spec.key].steps, f"{GUIDE_FILES[language]}: no timed lesson for {spec.key}"
        assert sections[spec.key].links, f"{GUIDE_FILES[language]}: no link in the lesson for {spec.key}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_lesson_runs_ten_minutes_without_gaps(language):
    for key, section in guide(language).items():
        if key == GENERAL:
            continue
        starts = [start for start, _ in section.steps]
        ends = [end for _, end in section.steps]
        assert starts[0] == 0 and ends[-1] == LESSON_MINUTES * 60, (key, section.steps)
        assert starts[1:] == ends[:-1], f"{key}: each step starts where the last one ended"
        assert all(start < end for start, end in section.steps), key


def test_the_two_guides_stay_in_step():
    english, chinese = guide("en"), guide("zh")
    assert english.keys() == chinese.keys()
    for key in english:
        assert len(english[key].links) == len(chinese[key].links), f"{key}: not as many links in both guides"
        assert len(english[key].steps) == len(chinese[key].steps), f"{key}: not as many lesson steps"
        assert english[key].steps == chinese[key].steps, f"{key}: the steps' times differ"
        assert [without_language(url) for url in english[key].links] == [
            without_language(url) for url in chinese[key].links
        ], f"{key}: the links differ (other than lang)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_links_open_in_the_guides_language_in_projector_mode(language):
    for section in guide(language).values():
        for url in section.links:
            _, params = split_link(url)
            assert params.get("lang") == language, url
            assert params.get("present") == "1", url


def test_refusal_notes_are_recognisable():
    for language in LANGUAGES:
        assert all(len(fragment) >= 6 for fragment in refusal_fragments(language)), language


# --- every link, opened ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ALL_LINKS)
def test_link_opens_the_page_without_error(url):
    page, params = split_link(url)
    at = opened(url)
    assert not at.exception, [element.value for element in at.exception]
    assert not at.error, [element.value for element in at.error]
    language = params["lang"]
    assert_title_in(at, language, f"{page.key}.title")
    assert at.session_state[LANGUAGE_STATE_KEY] == language
    assert at.session_state[PROJECTOR_STATE_KEY] is True
    texts = page_texts(at)
    refused = [
        fragment for fragment in refusal_fragments(language) if any(fragment in text for text in texts)
    ]
    assert not refused, f"{url}: the page replaced a value of the link ({refused})"


@pytest.mark.parametrize("url", ALL_LINKS)
def test_every_name_in_the_link_is_used(url):
    page, params = split_link(url)
    at = opened(url)
    for name, wanted in params.items():
        if name in SETTINGS:
            continue
        chart_param = CHART_PARAM_FOR.get((page.key, name))
        if chart_param is not None:
            starts = chart_param_values(at, chart_param)
            assert starts, f"{url}: no chart starts from {name}"
            assert all(math.isclose(float(value), float(wanted) % 360) for value in starts), (
                f"{url}: the chart starts {name} at {starts}, the link says {wanted}"
            )
            continue
        try:
            value = widget_value(at, WIDGET_FOR.get((page.key, name), name))
        except LookupError:
            pytest.fail(f"{url}: the {page.key} page does not use {name}={wanted}")
        assert shows(value, wanted), f"{url}: {name} shows {value!r}, the link says {wanted!r}"


# --- the guide inside the app -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_shows_the_guide_in_the_readers_language(language):
    at = opened(f"/?present=1&lang={language}")
    title = translate(language, "home.teaching_title")
    expanders = [expander for expander in at.expander if expander.label == title]
    assert len(expanders) == 1, [expander.label for expander in at.expander]
    shown = "\n".join(element.value for element in expanders[0].markdown)
    assert shown == guide_markdown(language)
    for url in guide(language)["limits"].links:
        assert f"]({url})" in shown


def test_the_guide_in_the_app_follows_a_base_url_path():
    markdown = guide_markdown("en", "/lessons/")
    assert "](/lessons/rules?" in markdown
    assert "](/rules?" not in markdown
    assert not markdown.startswith("# ")
