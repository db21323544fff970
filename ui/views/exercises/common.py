"""What the exercises share: numbers and symbols in a verdict, checking an answer in the worker and showing
the verdict, hints one at a time, the solution toggle."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.parser import parse_expression
from calc_core.service import (
    check_answer,
    describe_expression,
)
from ui import format as fmt
from ui.errors import show_error
from ui.expression_input import show_reading_notes
from ui.i18n import current_language, t, translate

HINT_COUNT = 3
# (what the student types, what it means): the parser reads these names as variables.
EX4_SYMBOLS = tuple(
    (f"d{top}_d{bottom}", rf"\frac{{\partial {top}}}{{\partial {bottom}}}")
    for top, bottom in (
        ("u", "x"),
        ("u", "y"),
        ("u", "z"),
        ("x", "a"),
        ("y", "a"),
        ("z", "a"),
        ("x", "b"),
        ("y", "b"),
        ("z", "b"),
    )
)


# --- small pieces -------------------------------------------------------------------------------------------


def number(value: float) -> str:
    """A value for a sentence (``ui.format.number``): 6 significant digits, a true minus sign.

    >>> number(-0.28867513459), number(4.0), number(1e-07)
    ('−0.288675', '4', '1e−07')
    """
    return fmt.number(value, minus=fmt.MINUS, undefined=None, signed_zero=True)


def variable_latex(name: str) -> str:
    """LaTeX of a variable's name: x1 → x_{1}, du_dx → ∂u/∂x.

    >>> variable_latex("x2"), variable_latex("x")
    ('x_{2}', 'x')
    """
    symbols = dict(EX4_SYMBOLS)
    if name in symbols:
        return symbols[name]
    if len(name) > 1 and name[0] == "x" and name[1:].isdigit():
        return f"x_{{{name[1:]}}}"
    return name


def point_markdown(point: list) -> str:
    """The point of a verdict as inline LaTeX, from fixed symbols and formatted numbers only.

    >>> point_markdown([["x", -1.0]])
    '$x = -1$'
    """
    return "$" + ",\\ ".join(f"{variable_latex(name)} = {value:.6g}" for name, value in point) + "$"


def checked(text: str, expected: str, variables: tuple[str, ...], **options) -> dict | None:
    """The worker's verdict, or None after showing why there is none (a time limit, a failed worker)."""
    try:
        return check_answer(text, expected, variables, **options)
    except ExpressionError as err:
        show_error(err)
        return None


def show_understood(verdict: dict, lhs: str, variables: tuple[str, ...]) -> None:
    """How the answer was read, as LaTeX printed by the worker."""
    answer_text = verdict.get("answer_text")
    if not answer_text:
        return
    try:
        latex = describe_expression(parse_expression(answer_text, variables), variables)["latex"]
    except ExpressionError as err:
        show_error(err)
        return
    st.caption(t("input.understood"))
    st.latex(f"{lhs} = {readable_symbols(latex)}")


def readable_symbols(latex: str) -> str:
    """Exercise 4's symbols as partial derivatives: SymPy prints du_dx as du_{dx}, shown as ∂u/∂x."""
    for name, symbol in EX4_SYMBOLS:
        top, bottom = name.split("_")  # "du", "dx"
        latex = latex.replace(f"{top}_{{{bottom}}}", symbol)
    return latex


def show_verdict(verdict: dict, text: str) -> None:
    """Right, right but unsimplified, wrong (where, and both values), not understood, or undecided."""
    kind = verdict["verdict"]
    if kind == "not_understood":
        if verdict.get("error"):
            show_error(ExpressionError.from_dict(verdict["error"]), text)
        else:
            st.warning(t("exercises.not_solvable"), icon=":material/edit:")
    elif kind == "right":
        st.success(t("exercises.verdict_right"), icon=":material/check_circle:")
    elif kind == "right_unsimplified":
        st.success(t("exercises.verdict_unsimplified"), icon=":material/check_circle:")
        st.latex(verdict["simplest_latex"])
    elif kind == "wrong":
        point = point_markdown(verdict["point"])
        expected = number(verdict["expected_value"])
        if verdict["answer_value"] is None:
            message = t("exercises.verdict_wrong_undefined", point=point, expected=expected)
        else:
            message = t(
                "exercises.verdict_wrong",
                point=point,
                expected=expected,
                answer=number(verdict["answer_value"]),
            )
        st.error(message, icon=":material/cancel:")
    else:
        st.info(t("exercises.verdict_unknown"), icon=":material/help:")


def answer(
    key: str,
    label: str,
    expected: str,
    variables: tuple[str, ...],
    lhs: str,
    on_change: Callable | None = None,
    args: tuple = (),
    **options,
) -> dict | None:
    """A text box for one answer, then how it was understood and the verdict; returns the verdict."""
    text = st.text_input(
        label, key=key, placeholder=t("exercises.answer_placeholder"), on_change=on_change, args=args
    )
    if not text or not text.strip():
        return None
    verdict = checked(text, expected, variables, **options)
    if verdict is None:
        return None
    if verdict["verdict"] != "not_understood":
        show_understood(verdict, lhs, variables)
        show_reading_notes(verdict.get("notes") or [])
    show_verdict(verdict, text)
    return verdict


def hints(prefix: str, items: Callable[[], list[tuple[str, str | None]]], total: int = HINT_COUNT) -> None:
    """Hints one at a time: a button shows the next; ``items()`` gives (text, LaTeX or None) for each.

    ``items`` is called only once a hint is shown, so a hint that needs the worker costs nothing before.
    """
    state = f"{prefix}_hints_shown"
    shown = min(int(st.session_state.get(state, 0)), total)
    if shown:
        for number_shown, (text, latex) in enumerate(items()[:shown], start=1):
            with st.container(border=True):
                st.markdown(f"**{t('exercises.hint_label', number=number_shown)}** {text}")
                if latex:
                    st.latex(latex)
    if shown < total:
        st.button(
            t("exercises.hint_button", number=shown + 1, total=total),
            key=f"{prefix}_hint",
            icon=":material/lightbulb:",
            on_click=_show_one_more,
            args=(state, total),
        )
    else:
        st.caption(t("exercises.hints_done"))


def _show_one_more(state: str, total: int) -> None:
    st.session_state[state] = min(int(st.session_state.get(state, 0)) + 1, total)


def fixed_hints(prefix: str) -> Callable[[], list[tuple[str, str | None]]]:
    return lambda: [(t(f"exercises.{prefix}_hint_{i}"), None) for i in range(1, HINT_COUNT + 1)]


def translator(key_template: str) -> Callable[[str], str]:
    """A format_func for options: the language is fixed now, since Streamlit (and AppTest) may call it later,
    outside this script run, where the session's language is unknown."""
    language = current_language()
    return lambda option: translate(language, key_template.format(option))


def solution_toggle(prefix: str) -> bool:
    return st.toggle(t("exercises.show_solution"), key=f"{prefix}_solution")


def steps_or_error(call: Callable[[], dict]) -> dict | None:
    try:
        return call()
    except ExpressionError as err:
        show_error(err)
        return None


def typing_help() -> None:
    """What students may type (the function box's help, shared by every answer box)."""
    with st.expander(t("input.help_title"), icon=":material/help:"):
        st.markdown(t("input.help_body"))
