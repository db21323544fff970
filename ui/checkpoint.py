"""One checkpoint question per topic page: a small task the student does by hand, an answer box checked by
the app's own answer checker, and the worked answer hidden until asked for.

The typed answer is checked like every answer box of the app: in the sandboxed worker
(``calc_core.service.check_answer``, parsed there with the allow-list parser and compared as a function),
never eval'd here. The worked answer stays hidden until its button is pressed, in every mode (predict mode
too): it is kept per session and per page in session state, not in the URL, so a shared link never gives it
away.

The questions are fixed data (:data:`CHECKPOINTS`); their texts are in the catalogues under ``checkpoint.``:
``<page>_question``, ``<page>_answer`` and one label per box.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.service import check_answer
from ui.errors import show_error
from ui.expression_input import show_reading_notes
from ui.i18n import t

SHOWN_STATE_KEY = "checkpoint_answers_shown"
BOX_KEY_PREFIX = "checkpoint_"


@dataclass(frozen=True)
class Box:
    """One answer box: its label's catalogue key, the expected answer (parser syntax) and its variables.

    ``solve_for``: the answer may be an equation in this extra variable (``y = x + 1``), as for a tangent
    line.
    """

    label_key: str
    expected: str
    variables: tuple[str, ...] = ("x",)
    solve_for: str | None = None


@dataclass(frozen=True)
class Checkpoint:
    page: str
    boxes: tuple[Box, ...]

    @property
    def question_key(self) -> str:
        return f"checkpoint.{self.page}_question"

    @property
    def answer_key(self) -> str:
        return f"checkpoint.{self.page}_answer"


# The numbers are worked out in the answers' texts and recomputed with SymPy in tests/unit/test_checkpoint.py.
CHECKPOINTS = {
    # f(x) = x² at x₀ = 3: ((3 + h)² − 9)/h = 6 + h → 6.
    "limits": Checkpoint("limits", (Box("checkpoint.limits_box", "6"),)),
    # The tangent of eˣ at 0: f(0) = 1, f′(0) = 1, so y = x + 1.
    "rules": Checkpoint("rules", (Box("checkpoint.rules_box", "x + 1", solve_for="y"),)),
    # f = x₁²x₂ + x₂³ at (1, 2): ∂f/∂x₁ = 2x₁x₂ = 4, ∂f/∂x₂ = x₁² + 3x₂² = 13.
    "partials": Checkpoint(
        "partials", (Box("checkpoint.partials_box_1", "4"), Box("checkpoint.partials_box_2", "13"))
    ),
    # ∇(x₁² + x₂²) at (3, 4) = (6, 8), of length 10.
    "gradient": Checkpoint(
        "gradient",
        (
            Box("checkpoint.gradient_box_1", "6"),
            Box("checkpoint.gradient_box_2", "8"),
            Box("checkpoint.gradient_box_length", "10"),
        ),
    ),
    # d/dx (2x + 1)³ = 3(2x + 1)²·2, which is 6 at x = 0.
    "chain_rule": Checkpoint("chain_rule", (Box("checkpoint.chain_rule_box", "6"),)),
}


def answer_shown(page: str) -> bool:
    return page in st.session_state.get(SHOWN_STATE_KEY, ())


def show_answer(page: str) -> None:
    """Remember that this page's worked answer was asked for (a button's callback)."""
    st.session_state[SHOWN_STATE_KEY] = sorted({*st.session_state.get(SHOWN_STATE_KEY, ()), page})


def box_key(page: str, index: int) -> str:
    return f"{BOX_KEY_PREFIX}{page}_{index}"


@st.fragment
def checkpoint(page: str) -> None:
    """The page's checkpoint: question, answer boxes with their verdicts, and the hidden worked answer.

    A fragment: typing an answer or showing the worked answer reruns this box alone.
    """
    question = CHECKPOINTS[page]
    with st.container(border=True):
        st.subheader(t("checkpoint.title"), anchor=False)
        st.markdown(t(question.question_key))
        for index, box in enumerate(question.boxes):
            answer_box(box, box_key(page, index))
        if answer_shown(page):
            st.markdown(t("checkpoint.answer_heading"))
            st.markdown(t(question.answer_key))
        else:
            st.button(
                t("checkpoint.show_answer"),
                key=f"{BOX_KEY_PREFIX}{page}_show",
                icon=":material/visibility:",
                on_click=show_answer,
                args=(page,),
                help=t("checkpoint.show_answer_help"),
            )


def answer_box(box: Box, key: str) -> dict | None:
    """A text box and, once something is typed, the checker's verdict on it."""
    text = st.text_input(t(box.label_key), key=key, placeholder=t("checkpoint.placeholder"))
    if not text or not text.strip():
        return None
    try:
        verdict = check_answer(text, box.expected, box.variables, solve_for=box.solve_for)
    except ExpressionError as err:  # the sandbox's own: a time limit, a failed worker
        show_error(err)
        return None
    show_reading_notes(verdict.get("notes") or [])
    show_verdict(verdict, text)
    return verdict


def show_verdict(verdict: dict, text: str) -> None:
    """Right, wrong, not understood (with where), or undecided; never the expected value itself."""
    kind = verdict["verdict"]
    if kind in ("right", "right_unsimplified"):
        st.success(t("checkpoint.right"), icon=":material/check_circle:")
    elif kind == "wrong":
        st.error(t("checkpoint.wrong"), icon=":material/cancel:")
    elif kind == "not_understood" and verdict.get("error"):
        show_error(ExpressionError.from_dict(verdict["error"]), text)
    elif kind == "not_understood":
        st.warning(t("checkpoint.not_solvable"), icon=":material/edit:")
    else:
        st.info(t("checkpoint.unknown"), icon=":material/help:")
