"""The checkpoint on each topic page: the typed answer checked by the app's checker, the worked answer hidden
until asked for (in predict mode too); and the projector's first screen: the Copy link once, beside the title,
the introduction folded away; the other additions of issue 15 (autograd code, layout notes, m and n)."""

from __future__ import annotations

import pytest

from tests.app.landing import make_landing_page
from tests.app.test_app import assert_no_exception, run_app
from ui.checkpoint import CHECKPOINTS, box_key
from ui.i18n import translate
from ui.navigation import PAGES
from ui.share import BUTTON_KEY

TIMEOUT = 90
BY_KEY = {spec.key: spec for spec in PAGES}


def open_page(monkeypatch, page: str, **params):
    make_landing_page(monkeypatch, BY_KEY[page])
    at = run_app(timeout=TIMEOUT, **params)
    assert_no_exception(at)
    return at


def texts(at) -> str:
    return "\n".join(element.value for element in at.markdown)


def worked_answer(page: str, language: str = "en") -> str:
    return translate(language, CHECKPOINTS[page].answer_key)


@pytest.mark.parametrize("page", ["limits", "chain_rule"])
def test_a_right_and_a_wrong_answer(monkeypatch, page):
    at = open_page(monkeypatch, page, lang="en")
    key = box_key(page, 0)
    at.text_input(key=key).input(CHECKPOINTS[page].boxes[0].expected).run()
    assert translate("en", "checkpoint.right") in [element.value for element in at.success]
    at.text_input(key=key).input("5").run()
    assert translate("en", "checkpoint.wrong") in [element.value for element in at.error]
    assert worked_answer(page) not in texts(at)  # a verdict never shows the worked answer


def test_a_tangent_line_typed_as_an_equation_is_right(monkeypatch):
    at = open_page(monkeypatch, "rules", lang="zh")
    at.text_input(key=box_key("rules", 0)).input("y = 1 + x").run()
    assert translate("zh", "checkpoint.right") in [element.value for element in at.success]


def test_a_typo_is_said_where(monkeypatch):
    at = open_page(monkeypatch, "limits", lang="en")
    at.text_input(key=box_key("limits", 0)).input("6 +").run()
    assert at.error and translate("en", "error.unexpected_end") in at.error[0].value
    assert translate("en", "checkpoint.right") not in [element.value for element in at.success]


@pytest.mark.parametrize("params", [{}, {"predict": "1"}, {"present": "1"}])
def test_the_worked_answer_waits_for_its_button(monkeypatch, params):
    at = open_page(monkeypatch, "gradient", lang="en", **params)
    assert worked_answer("gradient") not in texts(at)
    at.button(key="checkpoint_gradient_show").click().run()
    assert_no_exception(at)
    assert worked_answer("gradient") in texts(at)


@pytest.mark.parametrize("page", ["limits", "rules", "partials", "gradient", "chain_rule"])
def test_projector_mode_puts_copy_link_beside_the_title_once(monkeypatch, page):
    at = open_page(monkeypatch, page, lang="zh", present="1")
    assert len([button for button in at.button if button.key == BUTTON_KEY]) == 1
    assert translate("zh", "lesson.introduction") in [expander.label for expander in at.expander]
    assert translate("zh", f"{page}.intro").strip() in texts(at)  # still there, folded away


def test_outside_projector_mode_the_introduction_is_open(monkeypatch):
    at = open_page(monkeypatch, "limits", lang="en")
    assert translate("en", "lesson.introduction") not in [expander.label for expander in at.expander]
    assert len([button for button in at.button if button.key == BUTTON_KEY]) == 1


def code_blocks(at) -> list[str]:
    return [element.value for element in at.code]


@pytest.mark.parametrize("predict", [False, True])
def test_the_graph_part_shows_the_autograd_code_unless_the_class_predicts(monkeypatch, predict):
    params = {"part": "graph", "lang": "en", **({"predict": "1"} if predict else {})}
    at = open_page(monkeypatch, "chain_rule", **params)
    autograd = [code for code in code_blocks(at) if "f.backward()" in code]
    if predict:
        assert autograd == []
        return
    assert len(autograd) == 1
    assert "print(x.grad)  # tensor(2.5403, dtype=torch.float64)" in autograd[0]  # y + cos x at (1, 2)


def test_the_many_variables_part_says_the_layout_and_that_partials_do_not_cancel(monkeypatch):
    at = open_page(monkeypatch, "chain_rule", part="many", lang="zh")
    assert translate("zh", "chain_rule.layout_note") in texts(at)
    assert translate("zh", "chain_rule.no_cancel_note") in texts(at)


def test_the_identity_lab_says_what_m_and_n_are(monkeypatch):
    at = open_page(monkeypatch, "gradient", id="xA", lang="zh")
    assert translate("zh", "gradient.lab_sizes_xa") in [element.value for element in at.caption]
