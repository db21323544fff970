"""Every URL name of every page, opened with hostile values: the page answers, Streamlit never raises, and a
value that cannot be used is said (the page's usual message, with the link's text), never dropped silently.

The names are not a hand list: each page (each part of a page in parts) is run once while a spy records
every name the code looks up in ``st.query_params`` and every name a widget binds to the URL
(``bind="query-params"``). A name added to a page is tested without touching this file.

Values, and why this set (AppTest runs cost about 0.3–1 s each, so the full product of ~60 names and 14
values would take minutes):

- each name alone gets the values that break number parsing (``inf``, ``-inf``, ``nan``, ``1e308``,
  ``1e999``), since one bad name can stop a page before the next name is read;
- every name of a part at once gets each of the other values (``-1e308``, ``1e-320``, empty, text, 3,000
  characters, control characters, a repeated key, a huge integer).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from streamlit.runtime.state.query_params import QueryParams
from streamlit.runtime.state.query_params_proxy import QueryParamsProxy

import ui.sections
from tests.app.helpers import literal_fragment, run_app
from tests.app.landing import make_landing_page
from tests.conftest import PROJECT_ROOT
from ui.navigation import PAGES

TIMEOUT = 60

# Values that break number parsing: each name gets each of them alone.
NUMBER_BREAKERS = ("inf", "-inf", "nan", "1e308", "1e999")
# Every other hostile value: all of a part's names get it at once.
OTHER_HOSTILE = (
    "-1e308",
    "1e-320",
    "",
    "text",
    "x" * 3000,
    "1\x00\x1b[2J\u202e",
    ["1", "inf"],  # ?name=1&name=inf
    "9" * 400,
)


@contextmanager
def spy() -> Iterator[dict]:
    """Record the URL names read or bound, and the parts a page offers, while the block runs."""
    seen: dict = {"names": set(), "parts": []}
    original_getitem = QueryParamsProxy.__getitem__
    original_get_all = QueryParamsProxy.get_all
    original_bind = QueryParams.bind_widget
    original_choose = ui.sections.choose_part

    def getitem(self, key):
        seen["names"].add(key)
        return original_getitem(self, key)

    def get_all(self, key):
        seen["names"].add(key)
        return original_get_all(self, key)

    def bind_widget(self, param_key, *args, **kwargs):
        seen["names"].add(param_key)
        return original_bind(self, param_key, *args, **kwargs)

    def choose_part(parts):
        seen["parts"] = [part.id for part in parts]
        return original_choose(parts)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QueryParamsProxy, "__getitem__", getitem)
        patch.setattr(QueryParamsProxy, "get_all", get_all)
        patch.setattr(QueryParams, "bind_widget", bind_widget)
        patch.setattr(ui.sections, "choose_part", choose_part)
        yield seen


def url_names(page) -> dict[str | None, set[str]]:
    """{part id (None for a page without parts): the URL names that part reads}, found by running it."""
    with spy() as seen:
        run_app(None, timeout=TIMEOUT)
    parts = list(seen["parts"])
    if not parts:
        return {None: set(seen["names"])}
    names = {}
    for part in parts:
        with spy() as seen:
            run_app(None, timeout=TIMEOUT, part=part)
        names[part] = set(seen["names"])
    return names


def readme_names(page) -> set[str]:
    """The names in the README's table row of ``page`` (``u1``–``u3`` counts as three): names that appear
    only for some values of others (``u3`` with ``m=3``) are tested too."""
    cell = f"| `/{page.url_path}` |"
    row = next(line for line in (PROJECT_ROOT / "README.md").read_text().splitlines() if cell in line)
    text = row.split("|")[3]
    for letters, low, high in re.findall(r"`([a-z]+)(\d)`–`[a-z]+(\d)`", text):
        text += "".join(f" `{letters}{i}`" for i in range(int(low), int(high) + 1))
    return set(re.findall(r"`([a-z][a-z0-9]{0,4})`", text))


def exceptions(**query_params) -> list[str]:
    at = run_app(None, timeout=TIMEOUT, **query_params)
    return [element.value for element in at.exception]


# Settings, read by the entry script on every page: a value that is no setting is dropped from the link,
# the setting keeps its default (or this session's choice), and a toast says so (ui/settings.py).
SETTINGS = {"lang", "present", "predict"}


def outcome(name: str, value: str, read: bool = True, **fixed) -> str | None:
    """What went wrong with ``?name=value``: an exception, or, for a name the page ``read``, a value it
    dropped without saying so (the link's text in no warning, error or info, nor in an error's excerpt)."""
    at = run_app(None, timeout=TIMEOUT, **fixed, **{name: value})
    if at.exception:
        return at.exception[0].value[:200]
    if name in SETTINGS:
        said = [element.value for element in at.toast]
        return None if any(f"{name}={value}" in text for text in said) else f"no toast: {said!r}"[:200]
    said = [element.value for element in [*at.warning, *at.error, *at.info, *at.code]]
    if read and not any(value in text for text in said):
        return f"not said: {said!r}"[:200]
    return None


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.key)
def test_every_url_name_of_every_page_survives_hostile_values(page, monkeypatch):
    make_landing_page(monkeypatch, page)
    by_part = url_names(page)
    every_name = set().union(*by_part.values())
    assert "f" in every_name or page.key == "exercises", every_name  # the spy sees what pages read
    failures = []
    # Only in the README: a name read for some values of others (u3 with m=3), unread here, so not said.
    for name in sorted(readme_names(page) - every_name):
        for value in NUMBER_BREAKERS:
            wrong = outcome(name, value, read=False)
            if wrong:
                failures.append((None, name, value, wrong))
    for part, names in by_part.items():
        fixed = {} if part is None else {"part": part}
        for name in sorted(names - {"part"}):
            for value in NUMBER_BREAKERS:
                wrong = outcome(name, value, **fixed)
                if wrong:
                    failures.append((part, name, value, wrong))
        for value in OTHER_HOSTILE:
            raised = exceptions(**fixed, **dict.fromkeys(names - {"part"}, value))
            if raised:
                failures.append((part, "every name", repr(value)[:40], raised[0][:200]))
    assert not failures, failures


@pytest.mark.parametrize(("name", "value"), [("k", "inf"), ("k", "-inf"), ("m", "inf"), ("seed", "-inf")])
def test_an_infinite_integer_on_the_gradient_page_falls_back_and_is_said(name, value, monkeypatch):
    make_landing_page(monkeypatch, next(page for page in PAGES if page.key == "gradient"))
    at = run_app(None, timeout=TIMEOUT, **{name: value})
    assert not at.exception, [element.value for element in at.exception]
    assert any("inf" in element.value for element in at.warning), [w.value for w in at.warning]


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e308", "text", "-5", "99999999", "2.5", ""])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_unusable_seed_on_the_exercises_page_falls_back_to_the_default_and_is_said(
    value, language, monkeypatch
):
    from ui.views.exercises.practice import DEFAULT_SEED, SEED_KEY

    make_landing_page(monkeypatch, next(page for page in PAGES if page.key == "exercises"))
    at = run_app(None, timeout=TIMEOUT, lang=language, **{SEED_KEY: value})
    assert not at.exception, [element.value for element in at.exception]
    used = at.number_input(key=SEED_KEY).value
    assert used == (2 if value == "2.5" else DEFAULT_SEED)  # Streamlit's integer box keeps 2 of 2.5
    said = [w.value for w in at.warning if literal_fragment(language, "exercises.seed_ignored") in w.value]
    assert len(said) == 1 and f"`{value or '  '}`" in said[0] and str(used) in said[0], said


@pytest.mark.parametrize(("value", "used"), [("inf", 1), ("0", 1), ("3", 3)])
def test_the_exercises_level_from_a_link_is_used_or_said(value, used, monkeypatch):
    from ui.views.exercises.practice import LEVEL_KEY

    make_landing_page(monkeypatch, next(page for page in PAGES if page.key == "exercises"))
    at = run_app(None, timeout=TIMEOUT, lang="en", **{LEVEL_KEY: value})
    assert not at.exception, [element.value for element in at.exception]
    said = [w.value for w in at.warning if literal_fragment("en", "exercises.level_ignored") in w.value]
    assert next(group for group in at.get("button_group") if group.key == LEVEL_KEY).value == used
    assert bool(said) == (value != str(used)), said


@pytest.mark.parametrize(("value", "shown"), [("yes", True), ("0", False), ("maybe", False)])
def test_the_rules_pages_switch_from_a_link_is_used_or_said(value, shown, monkeypatch):
    from ui.views.rules.common import SECOND_KEY

    make_landing_page(monkeypatch, next(page for page in PAGES if page.key == "rules"))
    at = run_app(None, timeout=TIMEOUT, lang="zh", **{SECOND_KEY: value})
    assert not at.exception, [element.value for element in at.exception]
    assert at.toggle(key=SECOND_KEY).value is shown
    said = [w.value for w in at.warning if literal_fragment("zh", "rules.second_ignored") in w.value]
    assert bool(said) == (value == "maybe"), said


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_usable_setting_is_taken_without_a_word_and_an_unusable_one_is_said(language):
    quiet = run_app(None, timeout=TIMEOUT, lang=language, present="1", predict="0")
    assert not quiet.toast and not quiet.exception
    at = run_app(None, timeout=TIMEOUT, lang="fr", present="maybe", predict="1")
    assert not at.exception
    toasts = [element.value for element in at.toast]
    assert len(toasts) == 2, toasts
    assert "`lang=fr`" in toasts[0] and "`present=maybe`" in toasts[1]
    assert at.query_params.get("lang") in ("en", "zh") and "present" not in at.query_params
