"""The sketch page in AppTest: both languages, every exercise link, hostile f and task, what a Reveal gives.

AppTest cannot draw in the component (it is JavaScript in the browser; tests/e2e/test_sketch.py draws).
The Reveal message the browser would send is handed to the view's handler here, the same handler the page
calls with the component's trigger value, and the page's result is read as AppTest sees it.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import (
    CJK,
    assert_no_exception,
    assert_title_in,
    expected_refusal,
    headings,
    hostile_case,
    literal_fragment,
    run_app,
)
from tests.app.landing import make_landing_page
from ui.i18n import LANGUAGES, translate
from ui.navigation import PAGES
from ui.sketch_view import DEFAULT_F, DEFAULT_TASK, EXERCISES

SKETCH_PAGE = next(spec for spec in PAGES if spec.key == "sketch")
TIMEOUT = 60


@pytest.fixture(autouse=True)
def sketch_is_the_landing_page(monkeypatch):
    make_landing_page(monkeypatch, SKETCH_PAGE)


def run_sketch(**query) -> AppTest:
    at = run_app(timeout=TIMEOUT, **query)
    assert_no_exception(at)
    return at


def component_data(at: AppTest) -> dict:
    (element,) = at.get("bidi_component")
    return json.loads(element.proto.json)


def test_the_page_sits_between_rules_and_partials():
    keys = [spec.key for spec in PAGES]
    assert keys.index("rules") + 1 == keys.index("sketch") == keys.index("partials") - 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_in_both_languages(language):
    at = run_sketch(lang=language)
    assert_title_in(at, language, "sketch.title")
    data = component_data(at)
    assert data["mode"] == "curve"
    assert data["text"]["reveal"] == translate(language, "sketch.ui_reveal")
    assert data["revealed"] is None  # nothing is given away before Reveal
    assert len(data["knots"]) == 81 and data["knots"][0] == -2.0 and data["knots"][-1] == 2.0
    assert data["top"]["label"] == "f(x)"
    assert translate(language, "sketch.exercises_title") in headings(at)


def test_projector_mode_reaches_the_component():
    assert component_data(run_sketch(lang="en", present="1"))["projector"] is True
    assert component_data(run_sketch(lang="en"))["projector"] is False


def test_the_given_graph_is_f_and_the_answer_is_withheld():
    data = component_data(run_sketch(lang="en", f="x^3 - 3x"))
    x, y = data["top"]["x"], data["top"]["y"]
    assert x[0] == -2.5 and x[-1] == 2.5  # the curated window of the cubic
    i = x.index(1.0)
    assert y[i] == pytest.approx(-2.0)  # f(1) = 1 − 3
    assert "3 x^{2}" not in json.dumps(data)


def test_every_exercise_opens_its_function_and_task_and_puts_them_in_the_url():
    at = run_sketch(lang="zh", present="1")
    buttons = [button for button in at.button if button.key and button.key.startswith("sketch_exercise_")]
    assert len(buttons) == len(EXERCISES)
    for exercise in EXERCISES:
        button = at.button(key=f"sketch_exercise_{exercise.id}")
        assert CJK.search(button.label)
        button.click().run()
        assert not at.exception
        assert at.text_input(key="f").value == exercise.f
        # What the address bar gets (a value equal to the page's default is left out of it)
        assert at.query_params.get("f") == (exercise.f if exercise.f != DEFAULT_F else None)
        assert at.query_params.get("task") == (exercise.task if exercise.task != DEFAULT_TASK else None)
        assert at.query_params["lang"] == "zh" and at.query_params["present"] == "1"
        data = component_data(at)
        assert [data["knots"][0], data["knots"][-1]] == list(exercise.window)
        assert data["top"]["label"] == ("f(x)" if exercise.task == "derivative" else "f′(x)")
        assert (data["point"] is not None) == (exercise.task == "reverse")


def test_the_reverse_task_gives_a_point_on_f():
    at = run_sketch(lang="en", f="x^2 - 1", task="reverse")
    data = component_data(at)
    assert data["point"] == [0.0, -1.0]
    assert translate("en", "sketch.reverse_prompt", x0="0", y0="−1") in [m.value for m in at.markdown]


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_task_in_the_link_is_reported_and_replaced(language):
    at = run_sketch(lang=language, task="<script>")
    assert any("`<script>`" in warning.value for warning in at.warning)
    assert component_data(at)["top"]["label"] == "f(x)"


HOSTILE = ("__import__('os').system('touch {marker}')", "9^9^9", "x" * 10_000, "x\u202e+1")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", HOSTILE, ids=lambda text: repr(text[:24]))
def test_hostile_function_in_the_url_gets_its_message(template, language, tmp_path):
    text, marker = hostile_case(template, tmp_path)
    err = expected_refusal(text, template)
    at = run_sketch(lang=language, f=text)
    assert not marker.exists()
    assert any(literal_fragment(language, f"error.{err.code}") in alert.value for alert in at.error)
    assert not at.get("bidi_component")
    assert translate(language, "sketch.exercises_title") in headings(at)  # the exercises are still there


# --- what a Reveal gives -----------------------------------------------------------------------------------


def reveal_script(f: str, task: str, how: str, language: str) -> None:
    """The page's reveal path without the browser: build the problem, hand the handler a message."""
    import numpy as np
    import streamlit as st

    from calc_core.parser import parse_expression
    from ui import sketch_view as view
    from ui.i18n import LANGUAGE_STATE_KEY

    st.session_state[LANGUAGE_STATE_KEY] = language
    expr = parse_expression(f, view.VARIABLES)
    window = view.window_for(expr)
    problem = view.problem_of(expr, task, window, view.truth_of(expr, window))
    answer = problem.df_knots if task == "derivative" else problem.f_knots
    x = [float(v) for v in problem.knots]
    if how == "perfect":
        y = [None if not np.isfinite(v) else float(v) for v in answer]
        y = [0.0 if v is None else v for v in y]  # the jump of |x|′ drawn through 0
    elif how == "flipped":
        y = [0.0 if not np.isfinite(v) else -float(v) for v in answer]
    elif how == "nan":
        y = ["NaN"] + [1.0] * (len(x) - 1)
    else:
        y = [1.0] * (len(x) - 5)
    message = {"x": x, "y": y, "token": problem.token, "nonce": how}
    assert view.handle_reveal(problem, message) is True
    assert view.handle_reveal(problem, message) is False  # the same message twice: graded once
    revealed = view._revealed(problem.token)
    st.session_state["sent"] = view.component_data(problem, revealed)["revealed"]
    view.show_result(expr, problem, revealed)


def run_reveal(f: str, task: str, how: str, language: str = "en") -> AppTest:
    at = AppTest.from_function(reveal_script, args=(f, task, how, language), default_timeout=TIMEOUT)
    at.run()
    assert_no_exception(at)
    return at


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_perfect_sketch_of_abs_prime_passes(language):
    at = run_reveal("abs(x)", "derivative", "perfect", language)
    assert [s.value for s in at.success] == [translate(language, "sketch.verdict_pass")]
    text = " ".join(m.value for m in at.markdown)
    assert translate(language, "sketch.sign_share", share="100%") in text
    assert r"f'(x) = \frac{x}{\left|{x}\right|}" in at.latex[0].value  # the step engine's f′
    sent = at.session_state["sent"]
    assert not any(sent["off"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_flipped_sketch_is_told_where_in_sentences(language):
    at = run_reveal("x^3 - 3x", "derivative", "flipped", language)
    assert not at.success
    assert [w.value for w in at.warning] == [translate(language, "sketch.verdict_fail")]
    text = " ".join(m.value for m in at.markdown)
    negative, falls = translate(language, "sketch.negative"), translate(language, "sketch.falls")
    assert negative in text and falls in text and "(−1, 1)" in text
    assert sum(at.session_state["sent"]["off"]) > 40


def test_the_reverse_task_is_graded():
    at = run_reveal("x^2 - 1", "reverse", "perfect")
    assert [s.value for s in at.success] == [translate("en", "sketch.verdict_pass")]
    text = " ".join(m.value for m in at.markdown)
    assert translate("en", "sketch.point_ok", x0="0", y0="−1", error="0") in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("how, code", [("nan", "not_a_number"), ("short", "length")])
def test_a_malformed_message_gets_a_translated_error(how, code, language):
    at = run_reveal("x^2", "derivative", how, language)
    assert len(at.error) == 1
    assert literal_fragment(language, f"sketch.error_{code}") in at.error[0].value
    assert at.session_state["sent"] is None  # no overlay for a sketch that was refused


# --- the gradient page: guess ∇f first -------------------------------------------------------------------

GRADIENT_PAGE = next(spec for spec in PAGES if spec.key == "gradient")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_gradient_page_asks_for_an_arrow_before_the_field(language):
    at = run_app(GRADIENT_PAGE, timeout=TIMEOUT, lang=language)
    assert_no_exception(at)
    (element,) = at.get("bidi_component")
    data = json.loads(element.proto.json)
    assert data["mode"] == "arrow" and data["revealed"] is None
    assert len(data["point"]) == 2 and data["arrow_scale"] > 0
    assert data["map"]["nx"] * data["map"]["ny"] == len(data["map"]["values"])
    titles = headings(at)
    assert titles.index(translate(language, "sketch.arrow_title")) > titles.index(
        translate(language, "gradient.field_title")
    )  # in the field's section, before its figure (the page's only chart with the field)


def test_on_a_projector_the_field_comes_first_and_the_class_predicts_together():
    """The projector's first screen shows the field under the input (tests/e2e/test_first_screen.py); an
    arrow to guess under an answer already shown would be no guess, so projector mode leaves it out."""
    at = run_app(GRADIENT_PAGE, timeout=TIMEOUT, lang="en", present="1")
    assert_no_exception(at)
    assert not at.get("bidi_component")
    assert translate("en", "sketch.arrow_title") not in headings(at)


def arrow_script(guess, language: str) -> None:
    import streamlit as st

    from ui import gradient_arrow
    from ui.i18n import LANGUAGE_STATE_KEY

    st.session_state[LANGUAGE_STATE_KEY] = language
    message = {"gx": guess[0], "gy": guess[1], "token": "t", "nonce": "1"}
    assert gradient_arrow.handle_reveal("t", [2.0, 0.0], message) is True
    assert gradient_arrow.handle_reveal("t", [2.0, 0.0], message) is False
    revealed = st.session_state[gradient_arrow.REVEALED_KEY]["t"]
    if revealed["error"] is not None:
        st.error(gradient_arrow.sketch_error_message(revealed["error"]))
    else:
        gradient_arrow.show_grade(revealed["grade"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_arrow_reveal_gives_angle_and_length_errors(language):
    at = AppTest.from_function(arrow_script, args=((1.0, 1.0), language), default_timeout=TIMEOUT)
    at.run()
    assert_no_exception(at)
    assert [w.value for w in at.warning] == [translate(language, "sketch.arrow_fail")]
    text = " ".join(m.value for m in at.markdown)
    assert translate(language, "sketch.arrow_angle", truth="0", guess="45", error="45") in text
    # |(1, 1)| = 1.414 against 2: 29% too short.
    assert translate(language, "sketch.arrow_length_short", truth="2", guess="1.41", error="29%") in text


def test_a_hostile_arrow_gets_a_translated_error():
    at = AppTest.from_function(arrow_script, args=(("1", None), "zh"), default_timeout=TIMEOUT)
    at.run()
    assert_no_exception(at)
    assert len(at.error) == 1 and CJK.search(at.error[0].value)
