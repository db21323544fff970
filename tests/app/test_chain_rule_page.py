"""The chain rule page through AppTest, from the entry script: both languages, the URL contract (f, g, h,
x0, step, …), exercise 4 written out, the computational graph and its walk-through, and hostile text in
every input."""

from __future__ import annotations

import dataclasses

import pytest

from calc_core.errors import ExpressionError
from calc_core.parser import parse_expression
from tests.app.helpers import (
    HOSTILE_FUNCTIONS,
    assert_no_exception,
    assert_title_in,
    headings,
    hostile_case,
    literal_fragment,
    run_app,
)
from ui import navigation
from ui.i18n import LANGUAGES, translate
from ui.navigation import PAGES

PAGE = next(spec for spec in PAGES if spec.key == "chain_rule")
STEP_SLIDER = "chain_graph_step"
EXERCISE_4 = {
    letter: rf"\frac{{\partial u}}{{\partial {letter}}} = "
    rf"\frac{{\partial u}}{{\partial x}} \frac{{\partial x}}{{\partial {letter}}} + "
    rf"\frac{{\partial u}}{{\partial y}} \frac{{\partial y}}{{\partial {letter}}} + "
    rf"\frac{{\partial u}}{{\partial z}} \frac{{\partial z}}{{\partial {letter}}}"
    for letter in "ab"
}


@pytest.fixture(scope="module", autouse=True)
def chain_rule_is_the_landing_page():
    """Open the app at this page, as a shared link /chain_rule?f=… does in a browser.

    Through AppTest's switch_page the run before is the home page, and Streamlit drops a query parameter
    bound to a widget of another page on a page change (home binds ``f`` too). Making this page the default
    makes the first run its own, exactly like a direct link (as tests/app/test_limits_page.py does).
    """
    landing = dataclasses.replace(PAGE, url_path="")
    others = [dataclasses.replace(s, url_path=s.url_path or s.key) for s in PAGES if s is not PAGE]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(navigation, "PAGES", [landing, *others])
        yield


def open_page(language: str = "en", **query):
    at = run_app(None, lang=language, **query)
    assert at.title[0].value == translate(language, "chain_rule.title")
    return at


def latex_of(at) -> list[str]:
    """Each st.latex formula without the $$ lines AppTest wraps it in."""
    return [element.value.strip().removeprefix("$$").removesuffix("$$").strip() for element in at.latex]


def dot_of(at) -> str:
    charts = at.get("graphviz_chart")
    assert len(charts) == 1
    return charts[0].proto.spec


def texts_of(at, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


# --- the page in both languages ----------------------------------------------------------------------


PART_HEADINGS = {
    "one": ("one_title",),
    "many": ("many_title",),
    "exercise4": ("exercise_title",),
    "graph": ("graph_title",),
}
PART_SMALL_HEADINGS = {"one": ("factors_title", "nudge_title"), "graph": ("paths_title",)}
_opened: dict[tuple[str, str], object] = {}


def opened(language: str, part: str):
    """The page in ``language`` showing ``part``, run once for the whole module."""
    if (language, part) not in _opened:
        _opened[language, part] = open_page(language, part=part)
    return _opened[language, part]


@pytest.fixture(params=LANGUAGES)
def language(request):
    return request.param


@pytest.fixture
def page(language):
    return language, opened(language, "one")


@pytest.mark.parametrize("part", list(PART_HEADINGS))
def test_each_part_runs_alone_with_its_sections(language, part):
    at = opened(language, part)
    assert_no_exception(at)
    assert at.title[0].value == translate(language, "chain_rule.title")
    for other, keys in PART_HEADINGS.items():
        for key in keys:
            assert (translate(language, f"chain_rule.{key}") in headings(at)) == (other == part), key
    assert translate(language, "chain_rule.summary_title") in headings(at)
    markdown = "\n".join(texts_of(at, "markdown"))
    for key in PART_SMALL_HEADINGS.get(part, ()):  # smaller headings, inside Markdown
        assert f"### {translate(language, f'chain_rule.{key}')}" in markdown
    assert_title_in(at, language)
    assert not at.error and not at.warning


def test_the_one_variable_part_is_the_first():
    at = open_page()
    assert translate("en", "chain_rule.one_title") in headings(at)
    assert translate("en", "chain_rule.graph_title") not in headings(at)


@pytest.mark.parametrize(("link", "part"), [({"eu": "x*y*z"}, "exercise4"), ({"expr": "x*x"}, "graph")])
def test_a_link_without_part_opens_the_part_its_names_belong_to(link, part):
    at = open_page(**link)
    assert translate("en", f"chain_rule.{PART_HEADINGS[part][0]}") in headings(at)


def test_one_variable_is_written_out_and_checked(page):
    language, at = page
    latex = "\n".join(latex_of(at))
    assert r"\frac{dy}{du} &= f'(u) = \cos{\left(u \right)}" in latex
    assert r"\frac{du}{dx} &= g'(x) = 2 x" in latex
    assert r"2 x \cos{\left(x^{2} \right)}" in latex
    assert r"0.540302 \cdot 2 = 1.0806" in latex
    assert translate(language, "chain_rule.one_agree", value="1.0806") in texts_of(at, "success")


def test_the_nudge_picture_has_its_sentence_with_the_numbers(page):
    language, at = page
    assert len(at.get("vega_lite_chart")) == 1
    captions = texts_of(at, "caption")
    assert any("1.0806" in caption and "0.001" in caption for caption in captions)


def test_exercise_4_is_written_out_for_a_and_b_and_checked(language):
    at = opened(language, "exercise4")
    latex = latex_of(at)
    for letter, formula in EXERCISE_4.items():
        assert any(formula in tex for tex in latex), letter
    joined = "\n".join(latex)
    assert r"6 \cdot 1 + \left(-1\right) \cdot 2 + 2 \cdot 1 = 6" in joined  # ∂u/∂a at (1, 2)
    assert r"6 \cdot 1 + \left(-1\right) \cdot 1 + 2 \cdot \left(-1\right) = 3" in joined  # ∂u/∂b
    successes = texts_of(at, "success")
    for letter, value in (("a", "6"), ("b", "3")):
        expected = translate(
            language, "chain_rule.many_agree", name="$u$", variable=f"${letter}$", value=value
        )
        assert expected in successes


def test_the_general_rule_is_written_out_term_by_term_with_jacobians(language):
    at = opened(language, "many")
    latex = "\n".join(latex_of(at))
    assert (
        r"\frac{\partial y}{\partial x_{1}} = "
        r"\frac{\partial y}{\partial u_{1}} \frac{\partial u_{1}}{\partial x_{1}} + "
        r"\frac{\partial y}{\partial u_{2}} \frac{\partial u_{2}}{\partial x_{1}}" in latex
    )
    assert r"4 \cdot 2 + 6 \cdot 1 = 14" in latex
    assert r"\begin{bmatrix} 4 & 6 \end{bmatrix} \begin{bmatrix} 2 & 1 \\ 1 & 1 \end{bmatrix}" in latex


def test_the_graph_renders_with_the_sum_over_paths_checked(language):
    at = opened(language, "graph")
    dot = dot_of(at)
    assert dot.startswith("digraph") and dot.count(" -> ") == 5
    assert translate(language, "chain_rule.dot_value") + " ?" in dot
    assert at.slider(key=STEP_SLIDER).value == 0
    latex = "\n".join(latex_of(at))
    assert r"\frac{\partial f}{\partial x} &= 2 + 0.540302 = 2.5403" in latex
    assert r"y + \cos{\left(x \right)} = 2.5403" in latex
    point = translate(language, "chain_rule.list_separator").join(["x = 1", "y = 2"])
    expected = translate(language, "chain_rule.paths_agree", variable="$x$", value="2.5403", point=point)
    assert expected in texts_of(at, "success")


# --- the URL contract ---------------------------------------------------------------------------------


def test_f_g_and_x0_from_the_url():
    at = open_page(f="cos(u)", g="3x", x0="0.5")
    assert_no_exception(at)
    assert at.text_input(key="f").value == "cos(u)"
    assert at.number_input(key="x0").value == 0.5
    latex = "\n".join(latex_of(at))
    assert r"- 3 \sin{\left(3 x \right)}" in latex


def test_an_outer_function_typed_in_x_is_read_as_a_function_of_u():
    at = open_page(f="exp(x)", g="x^2")
    assert_no_exception(at)
    assert not at.error and not at.warning
    assert any(r"y = f(u) = e^{u}" in latex for latex in latex_of(at))


def test_mixing_u_and_x_in_f_is_explained():
    at = open_page(f="u + x")
    assert_no_exception(at)
    assert literal_fragment("en", "chain_rule.mixed_variables") in at.warning[0].value


def test_three_levels_from_the_url():
    at = open_page(f="exp(u)", g="sin(v)", h="x^2", x0="0.5")
    assert_no_exception(at)
    assert at.text_input(key="g").label == translate("en", "chain_rule.g_label_three")
    latex = "\n".join(latex_of(at))
    assert r"\frac{dv}{dx} &= h'(x) = 2 x" in latex
    assert r"y = f(g(h(x)))" in latex


def test_the_step_from_the_url_opens_the_walkthrough_there():
    at = open_page(step="7")
    assert_no_exception(at)
    assert at.slider(key=STEP_SLIDER).value == 7
    dot = dot_of(at)
    assert dot.count("grad ?") == 3  # steps 6 and 7 gave the output and v2 their gradients
    assert at.query_params["step"] == "7"


def test_stepping_moves_the_graph_and_the_url():
    at = open_page(part="graph")
    at.button(key="chain_rule_step_next").click().run()
    assert at.slider(key=STEP_SLIDER).value == 1
    assert at.query_params["step"] == "1"
    assert "value 1" in dot_of(at)
    at.button(key="chain_rule_step_last").click().run()
    assert at.slider(key=STEP_SLIDER).value == 10
    assert "grad ?" not in dot_of(at)
    at.button(key="chain_rule_step_previous").click().run()
    assert at.slider(key=STEP_SLIDER).value == 9
    at.button(key="chain_rule_step_first").click().run()
    assert at.slider(key=STEP_SLIDER).value == 0
    assert "step" not in at.query_params
    at.slider(key=STEP_SLIDER).set_value(4).run()
    assert at.query_params["step"] == "4"
    assert_no_exception(at)


def test_a_new_expression_starts_the_walkthrough_again():
    at = open_page(step="5")
    at.text_input(key="expr").set_value("x*x").run()
    assert_no_exception(at)
    assert at.slider(key=STEP_SLIDER).value == 0
    assert dot_of(at).count(" -> ") == 2


@pytest.mark.parametrize(
    ("raw", "key", "used"),
    [
        ("abc", "chain_rule.step_ignored", 0),
        ("999", "chain_rule.step_clamped", 10),
        ("-3", "chain_rule.step_clamped", 0),
    ],
)
def test_a_bad_step_in_the_url_is_explained(raw, key, used):
    at = open_page(step=raw)
    assert_no_exception(at)
    assert at.slider(key=STEP_SLIDER).value == used
    assert literal_fragment("en", key) in at.warning[0].value


@pytest.mark.parametrize("raw", ["abc", "1e999", "nan", "__import__('os')", "9^9^9", "x" * 10_000])
@pytest.mark.parametrize("key", ["x0", "x1", "x2", "ea", "eb", "gx", "gy"])
def test_a_bad_number_in_the_url_is_explained_and_replaced(key, raw):
    at = open_page(**{key: raw})
    assert_no_exception(at)
    assert at.number_input(key=key).value is not None
    warnings = texts_of(at, "warning")
    assert any(literal_fragment("en", "chain_rule.number_ignored") in warning for warning in warnings)
    assert all(len(warning) < 400 for warning in warnings)  # the given value is shown cut short


@pytest.mark.parametrize("raw", ["7", "abc", "0"])
def test_a_bad_size_in_the_url_is_explained(raw):
    at = open_page(m=raw)
    assert_no_exception(at)
    assert at.segmented_control(key="m").value == 2
    assert literal_fragment("en", "chain_rule.size_ignored") in at.warning[0].value


def test_three_intermediate_and_three_input_variables():
    at = open_page(m="3", nx="3", y="u1*u2*u3", u3="x3^2")
    assert_no_exception(at)
    assert not at.error
    latex = "\n".join(latex_of(at))
    assert r"\frac{\partial y}{\partial u_{3}} \frac{\partial u_{3}}{\partial x_{3}}" in latex


# --- the split button -------------------------------------------------------------------------------------


def test_a_composite_is_split_into_the_boxes_and_the_url():
    at = open_page()
    at.text_input(key="chain_composite").set_value("ln(cos(x^2))")
    at.segmented_control(key="chain_levels").set_value(3)
    at.button(key="chain_split").click().run()
    assert_no_exception(at)
    assert [at.text_input(key=key).value for key in "fgh"] == ["log(u)", "cos(v)", "x^2"]
    assert at.query_params["h"] == "x^2"
    assert translate("en", "chain_rule.split_done") in texts_of(at, "success")


def test_what_is_no_composition_is_said_so():
    at = open_page()
    at.text_input(key="chain_composite").set_value("x*sin(x)")
    at.button(key="chain_split").click().run()
    assert_no_exception(at)
    assert literal_fragment("en", "chain_rule.split_none") in at.info[0].value


# --- hostile text in every input --------------------------------------------------------------------------

MARKER = "chain_rule_hacked"
HOSTILE = HOSTILE_FUNCTIONS
# Each text box, and the variables the page parses it with (with the URL's other values at their defaults).
BOXES = {
    "f": ("u", "x"),
    "g": ("x",),
    "h": ("x",),
    "y": ("u1", "u2"),
    "u1": ("x1", "x2"),
    "u2": ("x1", "x2"),
    "eu": ("x", "y", "z"),
    "ex": ("a", "b"),
    "ey": ("a", "b"),
    "ez": ("a", "b"),
    "expr": ("x", "y", "z"),
}


def expected_error(text: str, variables: tuple[str, ...]) -> ExpressionError:
    with pytest.raises(ExpressionError) as raised:
        parse_expression(text, variables)
    return raised.value


def assert_refused(at, language: str, text: str, variables, marker) -> None:
    assert_no_exception(at)
    assert not marker.exists(), "the input was executed"
    err = expected_error(text, variables)
    fragment = literal_fragment(language, f"error.{err.code}")
    assert any(fragment in alert for alert in texts_of(at, "error")), (err.code, texts_of(at, "error"))
    for alert in texts_of(at, "error") + texts_of(at, "code"):
        assert not any(char in alert for char in "\x00\u202e"), "an invisible character reached the page"


CASES = [(language, key, text) for language in ("en",) for key in BOXES for text in HOSTILE]
CASES += [("zh", key, HOSTILE[0]) for key in BOXES] + [("zh", "expr", text) for text in HOSTILE[1:]]


@pytest.mark.parametrize(("language", "key", "template"), CASES, ids=lambda v: repr(v)[:20])
def test_hostile_text_in_every_box_is_refused_with_its_message(language, key, template, tmp_path):
    text, marker = hostile_case(template, tmp_path, MARKER)
    at = open_page(language, **{key: text})
    assert_refused(at, language, text, BOXES[key], marker)


@pytest.mark.parametrize("template", HOSTILE, ids=lambda v: repr(v)[:20])
def test_hostile_text_in_the_composite_box_is_refused(template, tmp_path):
    text, marker = hostile_case(template, tmp_path, MARKER)
    at = open_page()
    at.text_input(key="chain_composite").set_value(text)
    at.button(key="chain_split").click().run()
    assert_refused(at, "en", text, ("x",), marker)


def test_projector_mode_draws_larger():
    at = open_page(present="1", part="graph")
    assert_no_exception(at)
    assert "fontsize=22" in dot_of(at)


def test_a_symbolic_check_that_fails_still_shows_the_graph(monkeypatch):
    """SymPy may time out on a hostile but valid expression: the graph and the backward pass stay."""
    from ui.views.chain import graph as chain_graph

    def too_slow(*args, **kwargs):
        raise ExpressionError("timeout", seconds=3)

    monkeypatch.setattr(chain_graph, "graph_partials_of", too_slow)
    at = open_page(part="graph")
    assert_no_exception(at)
    assert dot_of(at).startswith("digraph")
    assert literal_fragment("en", "error.timeout") in at.error[0].value
    assert any(r"\frac{\partial f}{\partial x} &= 2 + 0.540302 = 2.5403" in tex for tex in latex_of(at))
