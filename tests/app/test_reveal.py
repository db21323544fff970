"""Predict, then reveal (?predict=1): every page's key answer waits behind its question until revealed.

For each page with an answer: in predict mode the answer is absent and the question is there; Reveal shows
the page exactly as it is outside predict mode; a new function or point asks again. The flag survives a page
switch like present=1, page links keep it, and a value that is no flag is ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from tests.app.helpers import assert_no_exception, literal_fragment, run_app
from tests.app.landing import make_landing_page
from tests.app.markdown_tables import parse_markdown_table
from ui import reveal
from ui.i18n import LANGUAGES, translate
from ui.navigation import PAGES
from ui.settings import PREDICT_URL_KEY, PREDICT_WIDGET_KEY

TIMEOUT = 90  # a first run in a process starts the workers; the partials page renders a 3D surface


@dataclass(frozen=True)
class Case:
    """One page (and part) with its questions, and texts of the answer that must wait for Reveal."""

    page: str
    questions: tuple[str, ...]
    answers: tuple[str, ...]  # fragments of the page's text (markdown, formulas, tables) in English
    params: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return "-".join([self.page, *self.params.values()])


CASES = (
    Case(
        "limits",
        ("limits/derivative", "limits/roundoff"),
        (
            r"\lim_{h \to 0^{+}}",  # SymPy's one-sided limits
            translate("en", "limits.col_error"),  # the error column of D2L's table
            literal_fragment("en", "limits.verdict_differentiable"),
            literal_fragment("en", "limits.roundoff_description"),  # the error chart's conclusion
            "the tangent's slope is 2",  # the secant chart's sentence
        ),
    ),
    Case(
        "rules",
        ("rules/d2l", "rules/tangent"),
        (
            r"f'(1) = 6 \cdot 1 - 4 = 2",  # D2L's example
            "The derivative at 1 is 2",  # and the sentence before it
            "f'(x) = 6 x - 4",  # the explorer's f′(x)
            translate("en", "rules.tangent_sentence", x0="1", f_x0="−1", k="2", line="2x − 3"),
            r"y = 2 x - 3",  # the derivation's tangent line
        ),
    ),
    Case(
        "partials",
        ("partials/values",),
        (
            translate("en", "partials.value_at", var="x₁", point="(1, 1)", value="2"),
            translate("en", "partials.row_exact"),
            literal_fragment("en", "partials.slices_sentence"),
        ),
    ),
    Case(
        "gradient",
        ("gradient/vector",),
        (r"\nabla f(1, 0.5) = \begin{bmatrix} 2 \\ 4 \end{bmatrix}", "steepest ascent is along it"),
    ),
    Case(
        "chain_rule",
        ("chain_rule/one",),
        (literal_fragment("en", "chain_rule.one_agree"), translate("en", "chain_rule.nudge_title")),
    ),
    Case(
        "chain_rule",
        ("chain_rule/general",),
        (literal_fragment("en", "chain_rule.many_agree"), r"\left.\frac{\partial y}{\partial x_{1}}\right|"),
        {"part": "many"},
    ),
    Case(
        "chain_rule",
        ("chain_rule/exercise",),
        (literal_fragment("en", "chain_rule.many_agree"), r"\left.\frac{\partial u}{\partial a}\right|"),
        {"part": "exercise4"},
    ),
    Case(
        "chain_rule",
        ("chain_rule/graph",),
        (literal_fragment("en", "chain_rule.paths_agree"), translate("en", "chain_rule.col_gradient")),
        {"part": "graph"},
    ),
)


def open_page(monkeypatch, key: str, **params):
    make_landing_page(monkeypatch, next(spec for spec in PAGES if spec.key == key))
    at = run_app(None, timeout=TIMEOUT, **params)
    assert_no_exception(at)
    return at


def page_texts(at) -> list[str]:
    """Everything the main area says: Markdown, formulas, notes, and the tables' headers and cells."""
    main = at.main
    found = [
        element.value
        for element in [*main.markdown, *main.latex, *main.caption, *main.success, *main.warning, *main.info]
    ]
    for element in [*main.table, *main.dataframe]:
        frame = element.value
        found.append(" | ".join(map(str, frame.columns)))
        found += [" | ".join(map(str, row)) for row in frame.astype(str).itertuples(index=False)]
    for table in filter(None, (parse_markdown_table(element.value) for element in main.markdown)):
        found.append(" | ".join(table))
        found += [" | ".join(row) for row in zip(*table.values(), strict=True)]
    return found


def chart_specs(at) -> list[dict]:
    return [json.loads(element.proto.spec) for element in at.get("vega_lite_chart")]


def reveal_buttons(at) -> list[str]:
    return [
        button.key for button in at.main.button if (button.key or "").startswith(reveal.BUTTON_KEY_PREFIX)
    ]


def says(texts: list[str], fragment: str) -> bool:
    return any(fragment in text for text in texts)


def reveal_all(at) -> None:
    for key in reveal_buttons(at):
        at.button(key=key).click().run(timeout=TIMEOUT)
        assert_no_exception(at)


# --- every page with an answer -------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_answer_waits_for_reveal_then_the_page_is_as_without_predict_mode(monkeypatch, case):
    plain = open_page(monkeypatch, case.page, lang="en", **case.params)
    plain_texts = page_texts(plain)
    for answer in case.answers:
        assert says(plain_texts, answer), f"the test's answer text is not on the page: {answer}"
    assert reveal_buttons(plain) == []

    at = open_page(monkeypatch, case.page, lang="en", predict="1", **case.params)
    hidden = page_texts(at)
    for answer in case.answers:
        assert not says(hidden, answer), f"shown before Reveal: {answer}"
    assert reveal_buttons(at) == [reveal.BUTTON_KEY_PREFIX + question for question in case.questions]
    prompts = [text for text in hidden if "Predict first" in text]
    assert len(prompts) == len(case.questions)
    assert at.query_params[PREDICT_URL_KEY] == "1"

    reveal_all(at)
    assert reveal_buttons(at) == []
    assert page_texts(at) == plain_texts
    assert chart_specs(at) == chart_specs(plain)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_question_has_the_current_numbers_in_both_languages(monkeypatch, language):
    at = open_page(monkeypatch, "rules", lang=language, predict="1", x0="2.5")
    assert translate(language, "reveal.rules_prompt", x0="2.5") in page_texts(at)
    assert at.main.button(key="reveal_rules/tangent").label == translate(language, "reveal.button")


def test_the_tangent_chart_waits_without_its_tangent_and_f_prime(monkeypatch):
    at = open_page(monkeypatch, "rules", lang="en", predict="1")
    [spec] = chart_specs(at)
    assert len(spec["vconcat"]) == 2  # the readout and f: no panel of f′
    assert "datum.k" not in json.dumps(spec)
    assert translate("en", "reveal.chart_hidden") in page_texts(at)


# --- a new question ------------------------------------------------------------------------------------


def test_a_new_function_asks_again_and_the_old_answer_stays_revealed(monkeypatch):
    at = open_page(monkeypatch, "rules", lang="en", predict="1")
    at.button(key="reveal_rules/tangent").click().run(timeout=TIMEOUT)
    assert reveal_buttons(at) == ["reveal_rules/d2l"]
    at.text_input(key="f").set_value("x^3").run(timeout=TIMEOUT)
    assert_no_exception(at)
    assert reveal_buttons(at) == ["reveal_rules/d2l", "reveal_rules/tangent"]
    assert not says(page_texts(at), "f'(x) = 3 x^{2}")
    at.text_input(key="f").set_value("3x^2 - 4x").run(timeout=TIMEOUT)
    assert reveal_buttons(at) == ["reveal_rules/d2l"]  # revealed before, in this session


def test_a_new_point_asks_again(monkeypatch):
    at = open_page(monkeypatch, "gradient", lang="en", predict="1")
    reveal_all(at)
    assert says(page_texts(at), r"\nabla f(1, 0.5) =")
    at.text_input(key="p").set_value("2, 1").run(timeout=TIMEOUT)
    assert_no_exception(at)
    assert reveal_buttons(at) == ["reveal_gradient/vector"]
    assert not says(page_texts(at), r"\nabla f(2, 1) =")


def test_the_revealed_answers_are_a_bounded_list(monkeypatch):
    monkeypatch.setattr(reveal, "MAX_REVEALED", 1)
    at = open_page(monkeypatch, "rules", lang="en", predict="1")
    at.button(key="reveal_rules/d2l").click().run(timeout=TIMEOUT)
    at.button(key="reveal_rules/tangent").click().run(timeout=TIMEOUT)
    assert len(at.session_state[reveal.REVEALED_STATE_KEY]) == 1
    assert reveal_buttons(at) == ["reveal_rules/d2l"]  # the oldest was forgotten


# --- the flag ------------------------------------------------------------------------------------------


def test_pages_without_an_answer_to_hide_are_unchanged(monkeypatch):
    for key in ("home", "exercises"):
        plain = open_page(monkeypatch, key, lang="en")
        at = open_page(monkeypatch, key, lang="en", predict="1")
        assert reveal_buttons(at) == []
        assert page_texts(at) == page_texts(plain)


def test_predict_mode_survives_a_page_switch_that_drops_the_query_string():
    at = run_app(lang="zh", predict="1", present="1")
    assert_no_exception(at)
    at.query_params.clear()
    at.switch_page("app_pages/rules.py").run(timeout=TIMEOUT)
    assert_no_exception(at)
    assert at.query_params[PREDICT_URL_KEY] == "1"
    assert at.query_params["present"] == "1"
    assert at.query_params["lang"] == "zh"
    assert "reveal_rules/tangent" in reveal_buttons(at)
    assert translate("zh", "reveal.rules_prompt", x0="1") in page_texts(at)


def test_page_links_keep_predict_mode():
    at = run_app(lang="en", predict="1")
    assert_no_exception(at)
    links = at.get("page_link")
    assert links
    assert all("predict=1" in link.proto.query_string for link in links)


def test_the_switch_keeps_the_url_in_step():
    at = run_app(lang="en")
    assert at.sidebar.toggle(key=PREDICT_WIDGET_KEY).value is False
    at.sidebar.toggle(key=PREDICT_WIDGET_KEY).set_value(True).run()
    assert at.query_params[PREDICT_URL_KEY] == "1"
    at.sidebar.toggle(key=PREDICT_WIDGET_KEY).set_value(False).run()
    assert PREDICT_URL_KEY not in at.query_params


@pytest.mark.parametrize("bad", ["<script>alert(1)</script>", "2", "", "yes please"])
def test_a_value_that_is_no_flag_is_ignored_and_dropped(monkeypatch, bad):
    at = open_page(monkeypatch, "rules", lang="en", predict=bad)
    assert reveal_buttons(at) == []
    assert PREDICT_URL_KEY not in at.query_params
    assert at.sidebar.toggle(key=PREDICT_WIDGET_KEY).value is False
    assert not says(page_texts(at), "script")


def test_predict_zero_turns_it_off():
    at = run_app(lang="en", predict="1")
    at.query_params[PREDICT_URL_KEY] = "0"
    at.run()
    assert at.sidebar.toggle(key=PREDICT_WIDGET_KEY).value is False
    assert PREDICT_URL_KEY not in at.query_params
