"""The exercises page through AppTest: D2L's four exercises, answer checking, hints, practice from the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from calc_core.practice import practice_problems
from tests.app.helpers import PAGE_TIMEOUT, assert_title_in, page_spec, run_app
from tests.app.helpers import assert_no_exception as assert_fine
from ui.i18n import LANGUAGES, translate
from ui.views.exercises import d2l, practice

PAGE = page_spec("exercises")


def open_page(timeout: float = PAGE_TIMEOUT, **query_params) -> AppTest:
    at = run_app(PAGE, timeout=timeout, **query_params)
    assert_fine(at)
    return at


def markdown_text(at: AppTest) -> str:
    return "\n".join(element.value for element in at.markdown)


def fixed_part(language: str, key: str) -> str:
    """The longest run of a template without placeholders: what must appear whatever fills them."""
    template = translate(language, key, **{name: "\0" for name in _placeholders(language, key)})
    return max(template.split("\0"), key=len).strip()


def _placeholders(language: str, key: str) -> set[str]:
    from ui.i18n import placeholders

    return placeholders(language, key)


def type_answer(at: AppTest, key: str, text: str) -> AppTest:
    at.text_input(key=key).input(text).run()
    assert_fine(at)
    return at


def successes(at: AppTest) -> list[str]:
    return [element.value for element in at.success]


def errors(at: AppTest) -> list[str]:
    return [element.value for element in at.error]


# --- the page in both languages -----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_exercise_task_is_shown(language):
    at = open_page(lang=language)
    assert at.title[0].value == translate(language, "exercises.title")
    headers = [element.value for element in at.header]
    for number in range(1, 5):
        assert translate(language, f"exercises.ex{number}_title") in headers
        assert translate(language, f"exercises.ex{number}_task") in markdown_text(at)
    assert translate(language, "exercises.practice_title") in headers
    assert_title_in(at, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_projector_mode(language):
    at = open_page(lang=language, present="1")
    assert at.query_params["present"] == "1"
    assert len(at.get("vega_lite_chart")) >= 1


# --- exercise 1 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("answer", ["4x-4", "y=4(x-1)", "y - 0 = 4(x - 1)", "4x - y = 4"])
def test_exercise_1_right_answers(language, answer):
    at = type_answer(open_page(lang=language), "ex1_answer", answer)
    assert successes(at) == [translate(language, "exercises.verdict_right")]
    assert not errors(at)


@pytest.mark.parametrize("language", LANGUAGES)
def test_exercise_1_wrong_answer_gives_a_point(language):
    at = type_answer(open_page(lang=language), "ex1_answer", "4x")
    [message] = errors(at)
    assert fixed_part(language, "exercises.verdict_wrong") in message
    assert "$x = 1$" in message  # f(1) = 0 on the tangent, 4 on this line
    assert "4" in message


def test_exercise_1_draws_f_with_a_gap_at_the_pole():
    """The chart's data for f: two pieces, none of them crossing x = 0 (a gap, not a vertical line)."""
    at = open_page(lang="en")
    assert at.get("vega_lite_chart")
    chart = d2l.tangent_chart((("f", d2l.EX1_F),), "point", False).to_dict()
    import pandas as pd

    layer = chart["layer"][0]
    frame = pd.DataFrame(chart["datasets"][layer["data"]["name"]])
    assert frame["segment"].nunique() == 2
    for _, piece in frame.groupby("segment"):
        assert (piece["x"] < 0).all() or (piece["x"] > 0).all()


def test_exercise_1_wrong_line_is_drawn_and_the_tangent_after_the_solution():
    at = type_answer(open_page(lang="en"), "ex1_answer", "2x")
    spec_text = str(at.get("vega_lite_chart")[0].proto.spec)
    assert translate("en", "exercises.chart_your_line") in spec_text
    assert translate("en", "exercises.chart_tangent") not in spec_text
    at.toggle(key="ex1_solution").set_value(True).run()
    assert_fine(at)
    spec_text = str(at.get("vega_lite_chart")[0].proto.spec)
    assert translate("en", "exercises.chart_tangent") in spec_text
    assert any("4x - 4" in element.value for element in at.latex)


# --- hints, one at a time ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_hints_appear_one_at_a_time(language):
    at = open_page(lang=language)
    hint = [translate(language, f"exercises.ex1_hint_{i}") for i in (1, 2, 3)]
    assert not any(h in markdown_text(at) for h in hint)
    at.button(key="ex1_hint").click().run()
    assert hint[0] in markdown_text(at) and hint[1] not in markdown_text(at)
    at.button(key="ex1_hint").click().run()
    assert hint[1] in markdown_text(at) and hint[2] not in markdown_text(at)
    at.button(key="ex1_hint").click().run()
    assert hint[2] in markdown_text(at)
    assert translate(language, "exercises.hints_done") in [c.value for c in at.caption]
    assert not [b for b in at.button if b.key == "ex1_hint"]


# --- exercises 2, 3 and 4 ----------------------------------------------------------------------------------


# Exercises with two answer boxes: both right answers, then a wrong one in the second box, and what its
# message must hold (exercise 4's names the partial derivatives).
TWO_ANSWERS = {
    "exercise_2_components": (
        {"ex2_answer_1": "6x1", "ex2_answer_2": "5e^x2"},
        "5e^x2 + 6x1",
        "",
    ),
    "exercise_4_chain_rule": (
        {
            "ex4_answer_a": "du_dx*dx_da + du_dy*dy_da + du_dz*dz_da",
            "ex4_answer_b": "du_db = dx_db du_dx + dy_db du_dy + dz_db du_dz",
        },
        "du_dx*dx_da + du_dy*dy_da + du_dz*dz_da",
        r"\frac{\partial u}{\partial x}",
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("exercise", list(TWO_ANSWERS))
def test_an_exercise_with_two_answers(exercise, language):
    answers, wrong, in_message = TWO_ANSWERS[exercise]
    at = open_page(lang=language)
    for key, answer in answers.items():
        type_answer(at, key, answer)
    assert successes(at) == [translate(language, "exercises.verdict_right")] * 2
    type_answer(at, list(answers)[1], wrong)
    [message] = errors(at)
    assert in_message in message


def test_exercise_3_for_n_3_and_the_zero_question():
    at = open_page(lang="en")
    at.segmented_control(key="ex3_n").set_value(3).run()
    assert_fine(at)
    for i in (1, 2, 3):
        type_answer(at, f"ex3_answer_3_{i}", f"x{i}/sqrt(x1^2 + x2^2 + x3^2)")
    assert successes(at) == [translate("en", "exercises.verdict_right")] * 3
    at.radio(key="ex3_zero").set_value("zero").run()
    assert translate("en", "exercises.ex3_zero_wrong") in errors(at)
    at.radio(key="ex3_zero").set_value("undefined").run()
    assert translate("en", "exercises.ex3_zero_right") in successes(at)


def test_solutions_show_the_engine_steps():
    at = open_page(lang="zh")
    for prefix in ("ex1", "ex2", "ex3", "ex4"):
        at.toggle(key=f"{prefix}_solution").set_value(True).run()
        assert_fine(at)
    assert len(at.latex) > 10
    assert translate("zh", "steps.power") in markdown_text(at)


# --- hostile answers ---------------------------------------------------------------------------------------

HOSTILE = {
    "__import__('os').system('touch {marker}')": "unknown_name",
    "9^9^9": "power_too_large",
    "{v}" * 10_000: "too_long",
    "{v}\x00+1": "control_character",
    "{v}\u202e+1": "control_character",
}
BOXES = {"ex1_answer": "x", "ex4_answer_a": "du_dx"}  # each box with one of its variables


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("text", list(HOSTILE), ids=["import", "power-tower", "10000-chars", "nul", "bidi"])
@pytest.mark.parametrize("box", list(BOXES))
def test_hostile_answers_are_not_understood(language, text, box, tmp_path):
    marker = tmp_path / "MARKER"
    typed = text.replace("{marker}", str(marker)).replace("{v}", BOXES[box])
    at = type_answer(open_page(lang=language), box, typed)
    assert not marker.exists()
    assert not successes(at)
    [message] = errors(at)
    assert fixed_part(language, f"error.{HOSTILE[text]}") in message


# --- practice ----------------------------------------------------------------------------------------------


def practice_latex(at: AppTest) -> list[str]:
    """The practice problems' formulas (every "f(x) = …" but exercise 1's)."""
    formulas = [element.value.strip("$\n") for element in at.latex]
    return [f for f in formulas if f.startswith("f(x) =") and f != d2l.EX1_FUNCTION_LATEX]


def test_a_seed_in_the_url_gives_the_same_problems_in_two_fresh_sessions():
    first = open_page(lang="en", seed="123", rule="chain", level="2")
    second = open_page(lang="zh", seed="123", rule="chain", level="2")
    expected = [rf"f(x) = {p['function_latex']}" for p in practice_problems(123, "chain", 2, 5)]
    assert practice_latex(first) == practice_latex(second) == expected
    assert first.number_input(key="seed").value == 123
    assert first.selectbox(key="rule").value == "chain"
    assert first.query_params["rule"] == "chain"
    other = open_page(lang="en", seed="124", rule="chain", level="2")
    assert practice_latex(other) != expected


def test_a_new_set_draws_a_new_seed_into_the_url():
    at = open_page(lang="en")
    before = practice_latex(at)
    at.button(key="exercises_new_set").click().run()
    assert_fine(at)
    seed = at.number_input(key="seed").value
    assert practice_latex(at) != before
    assert at.query_params["seed"] == str(seed)


def test_an_unknown_rule_in_the_url_is_reported():
    at = open_page(lang="en", rule="integrals")
    assert at.selectbox(key="rule").value == practice.DEFAULT_RULE
    assert any("integrals" in warning.value for warning in at.warning)


@pytest.mark.parametrize("language", LANGUAGES)
def test_practice_answers_are_checked_and_scored(language):
    at = open_page(lang=language, seed="7", rule="product", level="1")
    problems = practice_problems(7, "product", 1, 5)
    key = "practice_7_product_1_{}"
    type_answer(at, key.format(0), problems[0]["derivative"])
    assert successes(at) == [translate(language, "exercises.verdict_right")]
    type_answer(at, key.format(1), problems[1]["function"])  # the function itself: wrong
    assert len(errors(at)) == 1
    score = translate(language, "exercises.score", right=1, checked=2)
    assert score in markdown_text(at)
    at.button(key="exercises_reset_score").click().run()
    assert translate(language, "exercises.score", right=0, checked=0) in markdown_text(at)


def test_practice_hints_come_from_the_step_engine():
    at = open_page(lang="en", seed="7", rule="product", level="1")
    prefix = "practice_7_product_1_0"
    at.button(key=f"{prefix}_hint").click().run()
    assert translate(
        "en", "exercises.practice_hint_rule", rule=translate("en", "steps.product")
    ) in markdown_text(at)
    at.button(key=f"{prefix}_hint").click().run()
    assert fixed_part("en", "exercises.practice_hint_inside") in markdown_text(at)
    at.toggle(key=f"{prefix}_solution").set_value(True).run()
    assert_fine(at)
