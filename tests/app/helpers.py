"""What the app tests share: opening the app or one page, reading what a page shows, and hostile inputs.

Defined once here; each test module imports what it needs (``tests.app.landing`` makes a page the landing
page, as a shared link does).
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from calc_core.errors import ExpressionError
from calc_core.parser import parse_expression
from tests.app.landing import make_landing_page
from tests.conftest import PROJECT_ROOT
from ui.i18n import LANGUAGES, load_catalogue, translate
from ui.navigation import PAGES, PageSpec

ENTRY_SCRIPT = PROJECT_ROOT / "streamlit_app.py"
RUN_TIMEOUT = 30  # the first run in a process imports SymPy
PAGE_TIMEOUT = 60  # the first run of a page in a process starts the sandbox's workers and builds its charts
CJK = re.compile(r"[\u4e00-\u9fff]")

# --- opening the app ------------------------------------------------------------------------------------


def page_spec(key: str) -> PageSpec:
    return next(spec for spec in PAGES if spec.key == key)


def run_app(page=None, timeout: float = RUN_TIMEOUT, context: dict | None = None, **query_params) -> AppTest:
    """The app from its entry script, so settings and navigation run as in a browser; then ``page``."""
    at = AppTest.from_file(ENTRY_SCRIPT, default_timeout=timeout)
    at.query_params.update(query_params)
    at.context.update(context or {})
    at.run()
    if page is not None and not page.is_default:
        at.switch_page(page.script).run()
    return at


def landing(key: str):
    """An autouse fixture for a test module: page ``key`` is the landing page, so that every test opens it
    as a shared link ``/key?…`` does after a cold start (see ``tests.app.landing``)."""

    @pytest.fixture(autouse=True)
    def landing_page(monkeypatch):
        make_landing_page(monkeypatch, page_spec(key))

    return landing_page


def run_page(key: str, timeout: float = PAGE_TIMEOUT, **query_params) -> AppTest:
    """The landing page (see ``tests.app.landing``) opened by a link: it ran without error, and it is the
    page ``key`` (its title in one of the languages)."""
    at = run_app(None, timeout=timeout, **query_params)
    assert_no_exception(at)
    assert at.title[0].value in {translate(language, f"{key}.title") for language in LANGUAGES}
    return at


def assert_title_in(at: AppTest, language: str, title_key: str | None = None) -> None:
    """The page's title is in ``language`` (Chinese characters in it exactly in zh), and is ``title_key``'s
    text if that is given."""
    title = at.title[0].value
    assert bool(CJK.search(title)) == (language == "zh"), title
    if title_key is not None:
        assert title == translate(language, title_key)


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [element.value for element in at.exception]


# --- what a page shows ----------------------------------------------------------------------------------


def headings(at: AppTest) -> list[str]:
    return [element.value for element in [*at.title, *at.header, *at.subheader]]


def formulas(at: AppTest, markdown: bool = False) -> list[str]:
    """The LaTeX of every st.latex element without the $$ fences; with ``markdown``, the $$ … $$ blocks
    inside Markdown too."""
    found = [element.value.strip().strip("$").strip() for element in at.latex]
    if markdown:
        for element in at.markdown:
            found += [piece.strip() for piece in element.value.split("$$")[1::2]]
    return found


def charts(at: AppTest) -> list[dict]:
    """The Vega-Lite specs the page sent, in page order."""
    return [json.loads(element.proto.spec) for element in at.get("vega_lite_chart")]


def chart_params(at: AppTest) -> dict[str, dict]:
    return {param["name"]: param for spec in charts(at) for param in spec.get("params", [])}


def page_text(at: AppTest) -> str:
    elements = [*at.markdown, *at.caption, *at.info, *at.warning, *at.success, *at.error]
    return "\n".join(element.value for element in elements)


def warnings(at: AppTest) -> list[str]:
    return [element.value for element in at.warning]


def literal_fragment(language: str, key: str) -> str:
    """The longest run of fixed text in a template: what must appear whatever the placeholders become."""
    template = load_catalogue(language)[key]
    pieces = [literal for literal, _, _, _ in string.Formatter().parse(template)]
    return max(pieces, key=len).strip()


# --- hostile input --------------------------------------------------------------------------------------

MARKER_NAME = "hacked"
# Function texts that must be refused with a message and never run: the marker file shows if one ran.
HOSTILE_FUNCTIONS = (
    "__import__('os').system('touch {marker}')",
    "9^9^9",
    "x" * 10_000,
    "x\x00+1",
    "x\u202e+1",
    "x.__class__",
)
INVISIBLE = "\x00\u202e\u2066\u2069"
# Texts for an input box or a link, and the error codes that are a reasonable answer to each.
HOSTILE_INPUTS = {
    "__import__('os').system('touch {marker}')": {"unknown_name"},
    "().__class__.__bases__[0].__subclasses__()": {"bad_number", "unexpected_character", "unexpected_token"},
    "9^9^9": {"power_too_large"},
    "x+" * 5000 + "x": {"too_long"},
    "x" * 10_000: {"too_long"},
    "x\x00+1": {"control_character"},
    "x\u202e+1": {"control_character"},
    "\u2066x\u2069": {"control_character"},
    "lambda: 1": {"unknown_name"},
    "[x for x in ()]": {"unexpected_character"},
    "(x:=1)": {"unexpected_character"},
    "'abc'": {"unexpected_character"},
    "x.__class__": {"bad_number", "unexpected_character", "unexpected_token"},
    "sin 2x": {"function_needs_parentheses"},
    "sinx": {"unknown_name"},
    "((x": {"missing_closing_parenthesis"},
    "3x + $": {"unexpected_character"},
}


def hostile_text(template: str, marker) -> str:
    return template.format(marker=marker) if "{marker}" in template else template


def hostile_case(template: str, folder, name: str = MARKER_NAME) -> tuple[str, Path]:
    """The text of ``template`` with its marker file in ``folder`` (a test's tmp_path), and that marker."""
    marker = Path(folder) / name
    return hostile_text(template, marker), marker


def expected_refusal(text: str, template: str) -> ExpressionError:
    """The parser's refusal of ``text``, made from ``template`` of HOSTILE_INPUTS, with one of its codes."""
    err = error_code_of(text)
    assert err.code in HOSTILE_INPUTS[template], (template, err.code)
    return err


def error_code_of(text: str, variables=None) -> ExpressionError:
    """The parser's refusal of ``text`` (the test fails if it is accepted)."""
    with pytest.raises(ExpressionError) as raised:
        parse_expression(text, variables) if variables is not None else parse_expression(text)
    return raised.value
