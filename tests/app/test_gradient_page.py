"""The gradient page in AppTest: ∇f for a typed function, the field and the direction in the browser, gradient
descent, the identity lab driven by its widgets, exercises 2 and 3, and hostile or broken links."""

from __future__ import annotations

import re

import pytest

from tests.app.helpers import (
    assert_no_exception,
    assert_title_in,
    chart_params,
    formulas,
    headings,
    landing,
    literal_fragment,
    page_text,
    warnings,
)
from tests.app.helpers import run_page as open_page
from tests.app.markdown_tables import markdown_tables
from ui.i18n import LANGUAGES, translate
from viz.gradient_charts import ANGLE_PARAM, POINT_X, POINT_Y, STEP_PARAM

landing_page = landing("gradient")  # every test opens the app at this page, as a shared link does


def run_page(**query_params):
    return open_page("gradient", **query_params)


def matrix_shape(latex: str) -> tuple[int, int]:
    """Rows × columns of the first bmatrix in ``latex``."""
    body = re.search(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", latex).group(1)
    rows = body.split(r"\\")
    return len(rows), len(rows[0].split("&"))


PART_HEADINGS = {
    "field": ("vector_title", "field_title"),
    "descent": ("descent_title",),
    "lab": ("lab_title",),
    "exercises": ("exercises_title",),
}
PART_CHARTS = {"field": 1, "descent": 1, "lab": 0, "exercises": 0}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("part", list(PART_HEADINGS))
def test_each_part_runs_alone_with_its_sections(part, language):
    at = run_page(lang=language, part=part)
    assert_title_in(at, language)
    shown = headings(at)
    for other, keys in PART_HEADINGS.items():
        for key in keys:
            assert (translate(language, f"gradient.{key}") in shown) == (other == part), key
    assert translate(language, "gradient.summary_title") in shown
    assert not at.error and not warnings(at)
    assert len(at.get("vega_lite_chart")) == PART_CHARTS[part]


def test_the_field_is_the_first_part_with_the_point_and_the_angle_in_the_browser():
    at = run_page(lang="en")
    assert translate("en", "gradient.field_title") in headings(at)
    assert set(chart_params(at)) == {POINT_X, POINT_Y, ANGLE_PARAM}


def test_the_descent_chart_steps_in_the_browser():
    at = run_page(lang="en", part="descent")
    assert set(chart_params(at)) == {STEP_PARAM}


@pytest.mark.parametrize(("link", "part"), [({"lay": "numerator"}, "lab"), ({"lr": "0.1"}, "descent")])
def test_a_link_without_part_opens_the_part_its_names_belong_to(link, part):
    at = run_page(lang="en", **link)
    first_heading = PART_HEADINGS[part][0]
    assert translate("en", f"gradient.{first_heading}") in headings(at)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_part_is_said_and_the_first_part_shown(language):
    at = run_page(lang=language, part="<script>")
    assert translate(language, "sections.unknown", given="`<script>`") in warnings(at)
    assert translate(language, "gradient.vector_title") in headings(at)
    assert "part" not in at.query_params


def test_the_next_button_opens_the_next_part_and_writes_it_to_the_url():
    at = run_page(lang="en", part="descent")
    next_label = translate("en", "sections.next", title=translate("en", "gradient.part_lab"))
    next(button for button in at.button if button.label == next_label).click().run()
    assert_no_exception(at)
    assert translate("en", "gradient.lab_title") in headings(at)
    assert at.query_params["part"] == "lab"


def test_the_switch_opens_a_part():
    at = run_page(lang="en")
    at.segmented_control(key="part_control").set_value("exercises").run()
    assert_no_exception(at)
    assert translate("en", "gradient.exercises_title") in headings(at)
    assert at.query_params["part"] == "exercises"


@pytest.mark.parametrize("language", LANGUAGES)
def test_exercise_2_from_the_url_shows_6x1_and_5e_x2(language):
    at = run_page(lang=language, f="3*x1^2+5*exp(x2)", p="1,2")
    gradient = next(text for text in formulas(at) if text.startswith(r"\nabla f(x_{1}, x_{2})"))
    assert r"\begin{bmatrix} 6 x_{1} \\ 5 e^{x_{2}} \end{bmatrix}" in gradient
    assert any(text.startswith(r"\nabla f(1, 2) = \begin{bmatrix} 6 \\ 36.9453") for text in formulas(at))
    sentence = translate(
        language,
        "gradient.figure_sentence",
        point="(1, 2)",
        gradient="(6, 36.95)",
        length="37.43",
        best="80.8",
        angle="0",
        along="6",
    )
    assert sentence in page_text(at)


@pytest.mark.parametrize("language", LANGUAGES)
def test_three_variables_get_the_symbolic_gradient_and_its_value(language):
    at = run_page(lang=language, f="x1^2 + 2*x2^2 + 3*x3^2", p="1, 1, 1")
    descent = run_page(lang=language, f="x1^2 + 2*x2^2 + 3*x3^2", p="1, 1, 1", part="descent")
    gradient = next(text for text in formulas(at) if text.startswith(r"\nabla f(x_{1}, x_{2}, x_{3})"))
    assert r"\begin{bmatrix} 2 x_{1} \\ 4 x_{2} \\ 6 x_{3} \end{bmatrix}" in gradient
    assert any(
        text.startswith(r"\nabla f(1, 1, 1) = \begin{bmatrix} 2 \\ 4 \\ 6 \end{bmatrix}")
        for text in formulas(at)
    )
    assert translate(language, "gradient.no_picture", n=3) in [info.value for info in at.info]
    assert translate(language, "gradient.descent_two_only", n=3) in [info.value for info in descent.info]
    assert not at.get("vega_lite_chart") and not descent.get("vega_lite_chart")


def test_the_direction_and_the_point_start_where_the_link_says():
    at = run_page(lang="en", p="-1, 0.5", u="90")
    params = chart_params(at)
    assert (params[POINT_X]["value"], params[POINT_Y]["value"], params[ANGLE_PARAM]["value"]) == (
        -1.0,
        0.5,
        90,
    )
    assert "In the direction θ = 90° the slope is ∇f·u = 4." in page_text(at)


@pytest.mark.parametrize("bad", ["abc", "nan", "inf", "1e999"])
def test_a_bad_angle_is_replaced_and_said(bad):
    at = run_page(lang="en", u=bad)
    assert chart_params(at)[ANGLE_PARAM]["value"] == 0
    assert any(literal_fragment("en", "gradient.angle_ignored") in text for text in warnings(at))


def test_a_zero_gradient_is_said():
    at = run_page(lang="en", f="x1^2 + x2^2", p="0, 0")
    assert literal_fragment("en", "gradient.figure_sentence_zero") in page_text(at)


# --- gradient descent ---------------------------------------------------------------------------------


def test_descent_lowers_the_loss_and_follows_the_link():
    at = run_page(lang="en", s="2, 1", lr="0.05", k="40")
    assert at.number_input(key="lr").value == 0.05 and at.number_input(key="k").value == 40
    assert chart_params(at)[STEP_PARAM]["bind"]["max"] == 40
    assert "From (2, 1) with learning rate η = 0.05, 40 steps took the loss from 8 down to " in page_text(at)


def test_a_learning_rate_too_large_diverges_and_says_so():
    at = run_page(lang="en", lr="0.3", k="100")
    assert any(literal_fragment("en", "gradient.descent_diverged") in text for text in warnings(at))


@pytest.mark.parametrize(
    ("key", "bad", "message"),
    [
        ("lr", "abc", "gradient.lr_ignored"),
        ("lr", "nan", "gradient.lr_ignored"),
        ("lr", "inf", "gradient.lr_ignored"),
        ("lr", "-1", "gradient.lr_ignored"),
        ("lr", "50", "gradient.lr_ignored"),
        ("k", "abc", "gradient.steps_ignored"),
        ("k", "2.5", "gradient.steps_ignored"),
        ("k", "1e9", "gradient.steps_ignored"),
        ("s", "nan, 1", "partials.point_invalid"),
        ("p", "inf", "partials.point_invalid"),
        ("m", "abc", "gradient.lab_size_ignored"),
        ("n", "99", "gradient.lab_size_ignored"),
        ("seed", "-3", "gradient.lab_seed_ignored"),
        ("id", "evil", "gradient.lab_choice_ignored"),
        ("lay", "sideways", "gradient.lab_choice_ignored"),
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_bad_numbers_in_the_url_are_replaced_and_said(key, bad, message, language):
    at = run_page(lang=language, **{key: bad})
    assert any(literal_fragment(language, message) in text for text in warnings(at)), warnings(at)
    part = (
        "descent" if key in {"s", "lr", "k"} else "lab" if key in {"m", "n", "seed", "id", "lay"} else "field"
    )
    assert len(at.get("vega_lite_chart")) == PART_CHARTS[part]


# --- the identity lab --------------------------------------------------------------------------------


def lab_matrices(at) -> list[str]:
    """The LaTeX of the lab's two sides (formula and finite differences), in page order."""
    shown = formulas(at)
    inputs = (r"\mathbf{A} = \begin", r"\mathbf{x} = \begin", r"\mathbf{X} = \begin")
    start = next(i for i, text in enumerate(shown) if text.startswith(inputs))
    return shown[start + 1 : start + 3]


@pytest.mark.parametrize(("m", "n"), [(2, 3), (4, 1), (5, 5), (1, 6)])
@pytest.mark.parametrize("language", LANGUAGES)
def test_identity_shapes_come_from_the_widgets(m, n, language):
    at = run_page(lang=language, part="lab")
    at.number_input(key="m").set_value(m).run()
    at.number_input(key="n").set_value(n).run()
    assert_no_exception(at)
    assert at.number_input(key="m").value == m and at.number_input(key="n").value == n
    formula, numerical = lab_matrices(at)
    assert matrix_shape(formula) == matrix_shape(numerical) == (n, m)  # ∇ₓ Ax = Aᵀ: n × m
    assert literal_fragment(language, "gradient.lab_ok") in at.success[0].value


@pytest.mark.parametrize("identity", ["Ax", "xA", "xAx", "norm2", "frobenius"])
@pytest.mark.parametrize("layout", ["denominator", "numerator"])
def test_every_identity_checks_in_both_layouts(identity, layout):
    at = run_page(lang="en", id=identity, lay=layout, m="3", n="2")
    assert at.success and not at.error
    assert literal_fragment("en", "gradient.lab_ok") in at.success[0].value
    scalar = identity in {"xAx", "norm2", "frobenius"}
    key = f"gradient.lab_shapes_{'scalar_' if scalar else ''}{layout}"
    assert literal_fragment("en", key) in page_text(at)


def test_the_layout_switch_transposes_the_gradient_of_ax():
    at = run_page(lang="en", m="2", n="3")
    denominator = lab_matrices(at)[0]
    at.segmented_control(key="lay_control").set_value("numerator").run()
    assert_no_exception(at)
    numerator = lab_matrices(at)[0]
    assert matrix_shape(denominator) == (3, 2) and matrix_shape(numerator) == (2, 3)
    assert at.query_params["lay"] == "numerator"
    assert translate("en", "gradient.layout_title") in [expander.label for expander in at.expander]


def test_new_random_numbers_change_the_seed():
    at = run_page(lang="en", part="lab")
    before = formulas(at)
    button = next(b for b in at.button if b.label == translate("en", "gradient.lab_new_numbers"))
    button.click().run()
    assert_no_exception(at)
    assert at.number_input(key="seed").value == 1
    assert formulas(at) != before


# --- exercises ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_exercises_2_and_3_are_worked(language):
    at = run_page(lang=language, part="exercises")
    shown = formulas(at)
    assert r"\nabla f(\mathbf{x}) = \begin{bmatrix} 6 x_{1} \\ 5 e^{x_{2}} \end{bmatrix}" in shown
    norm = next(text for text in shown if r"\frac{\mathbf{x}}{\|\mathbf{x}\|_2}" in text)
    assert r"\frac{x_{1}}{\sqrt{x_{1}^{2} + x_{2}^{2} + x_{3}^{2}}}" in norm
    assert literal_fragment(language, "gradient.exercise3_zero") in page_text(at)
    quotients = markdown_tables(at)[-1]
    right = quotients[translate(language, "gradient.col_right")]
    left = quotients[translate(language, "gradient.col_left")]
    assert len(right) == len(left) >= 3
    assert {float(value.replace("−", "-")) for value in right} == {1.0}
    assert {float(value.replace("−", "-")) for value in left} == {-1.0}


def test_exercise_2_button_opens_it_in_the_first_part():
    at = run_page(lang="en", part="exercises")
    button = next(b for b in at.button if b.label == translate("en", "gradient.exercise_try"))
    button.click().run()
    assert_no_exception(at)
    assert at.text_input(key="f").value == "3*x1^2 + 5*exp(x2)"
    assert at.query_params["part"] == "field"
    gradient = next(text for text in formulas(at) if text.startswith(r"\nabla f(x_{1}, x_{2})"))
    assert r"6 x_{1} \\ 5 e^{x_{2}}" in gradient
