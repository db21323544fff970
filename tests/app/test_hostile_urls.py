"""Every URL name of every page, opened with hostile values: the page answers, Streamlit never raises.

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
from tests.app.helpers import run_app
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


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.key)
def test_every_url_name_of_every_page_survives_hostile_values(page, monkeypatch):
    make_landing_page(monkeypatch, page)
    by_part = url_names(page)
    every_name = set().union(*by_part.values())
    assert "f" in every_name or page.key == "exercises", every_name  # the spy sees what pages read
    failures = []
    for name in sorted(readme_names(page) - every_name):  # only in the README: its part is found by name
        for value in NUMBER_BREAKERS:
            raised = exceptions(**{name: value})
            if raised:
                failures.append((None, name, value, raised[0][:200]))
    for part, names in by_part.items():
        fixed = {} if part is None else {"part": part}
        for name in sorted(names - {"part"}):
            for value in NUMBER_BREAKERS:
                raised = exceptions(**fixed, **{name: value})
                if raised:
                    failures.append((part, name, value, raised[0][:200]))
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


def test_an_infinite_seed_on_the_exercises_page_falls_back_to_the_default(monkeypatch):
    from ui.views.exercises.practice import DEFAULT_SEED, SEED_KEY

    make_landing_page(monkeypatch, next(page for page in PAGES if page.key == "exercises"))
    at = run_app(None, timeout=TIMEOUT, **{SEED_KEY: "inf"})
    assert not at.exception, [element.value for element in at.exception]
    assert at.number_input(key=SEED_KEY).value == DEFAULT_SEED
