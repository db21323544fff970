"""The checkpoint questions: each expected answer recomputed with SymPy, written in both catalogues' worked
answers, and accepted by the app's own answer checker (a wrong answer is not)."""

from __future__ import annotations

import pytest
import sympy

from calc_core.answers import check_answer
from calc_core.parser import parse_expression
from ui.checkpoint import CHECKPOINTS
from ui.i18n import LANGUAGES, load_catalogue

x, h, x1, x2 = sympy.symbols("x h x1 x2")


def recomputed() -> dict[str, list[sympy.Expr]]:
    """Each checkpoint's answers, worked out here from the question, not copied from ui/checkpoint.py."""
    partials_f = x1**2 * x2 + x2**3
    bowl = x1**2 + x2**2
    gradient = [sympy.diff(bowl, v).subs({x1: 3, x2: 4}) for v in (x1, x2)]
    tangent_slope = sympy.diff(sympy.exp(x), x).subs(x, 0)
    return {
        "limits": [sympy.limit(((3 + h) ** 2 - 9) / h, h, 0)],
        "rules": [sympy.exp(0) + tangent_slope * (x - 0)],
        "partials": [sympy.diff(partials_f, v).subs({x1: 1, x2: 2}) for v in (x1, x2)],
        "gradient": [*gradient, sympy.sqrt(sum(g**2 for g in gradient))],
        "chain_rule": [sympy.diff((2 * x + 1) ** 3, x).subs(x, 0)],
    }


def test_every_topic_page_has_a_checkpoint():
    assert set(CHECKPOINTS) == {"limits", "rules", "partials", "gradient", "chain_rule"}
    assert set(recomputed()) == set(CHECKPOINTS)


@pytest.mark.parametrize("page", sorted(CHECKPOINTS))
def test_expected_answers_are_the_computed_ones(page):
    boxes = CHECKPOINTS[page].boxes
    computed = recomputed()[page]
    assert len(boxes) == len(computed)
    for box, value in zip(boxes, computed, strict=True):
        assert sympy.simplify(parse_expression(box.expected, box.variables) - value) == 0


@pytest.mark.parametrize("page", sorted(CHECKPOINTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogues_have_the_texts_and_the_worked_answer_states_the_numbers(page, language):
    catalogue = load_catalogue(language)
    question = CHECKPOINTS[page]
    for box in question.boxes:
        assert catalogue[box.label_key].strip()
    assert catalogue[question.question_key].strip()
    assert set(bold_answers(page)) <= set(bold_parts(catalogue[question.answer_key]))


def bold_answers(page: str) -> list[str]:
    """How the worked answer writes the computed results, in bold: numbers, a vector, a line."""
    values = recomputed()[page]
    if page == "rules":
        return [f"y = {sympy.sstr(values[0])}"]
    if page == "gradient":
        return [f"({values[0]}, {values[1]})", str(values[2])]
    return [str(value) for value in values]


def bold_parts(markdown: str) -> list[str]:
    return markdown.split("**")[1::2]


# (box, typed answer): each right, in the forms a student may type.
RIGHT_FORMS = {
    "limits": [(0, "6"), (0, "12/2")],
    "rules": [(0, "y = x + 1"), (0, "1 + x"), (0, "y - 1 = 1(x - 0)")],
    "partials": [(0, "4"), (1, "13")],
    "gradient": [(0, "6"), (1, "8"), (2, "sqrt(36 + 64)")],
    "chain_rule": [(0, "6"), (0, "3*1^2*2")],
}
WRONG_FORMS = {
    "limits": "6.1",  # the quotient at h = 0.1, not the limit
    "rules": "y = x",  # the slope right, the point missed
    "partials": "12",  # 2x₁x₂ at (2, 3) instead of (1, 2)
    "gradient": "14",  # 6 + 8: the components added, not the length
    "chain_rule": "5",  # 3 + 2: the factors added
}


@pytest.mark.parametrize("page", sorted(CHECKPOINTS))
def test_the_answer_checker_accepts_right_forms_and_rejects_a_wrong_one(page):
    boxes = CHECKPOINTS[page].boxes
    for index, text in RIGHT_FORMS[page]:
        box = boxes[index]
        verdict = check_answer(text, box.expected, box.variables, solve_for=box.solve_for)
        assert verdict["verdict"] in ("right", "right_unsimplified"), (page, text, verdict)
    last = boxes[-1]
    verdict = check_answer(WRONG_FORMS[page], last.expected, last.variables, solve_for=last.solve_for)
    assert verdict["verdict"] == "wrong"
