"""Practice: endless problems for one rule and level, from a seed in the URL, with a score for the session."""

from __future__ import annotations

import secrets

import streamlit as st

from calc_core.errors import ExpressionError
from calc_core.parser import parse_expression
from calc_core.practice import LEVELS, MAX_SEED, PRACTICE_RULES
from calc_core.service import (
    check_answer,
    derivative_steps_of,
    practice_problems,
)
from calc_core.steps import number_steps
from ui.errors import code_span, show_error
from ui.i18n import t
from ui.inputs import url_number_box, url_option_box
from ui.steps_view import rule_name, show_steps
from ui.views.exercises.common import answer, hints, solution_toggle, steps_or_error, translator

# --- practice -----------------------------------------------------------------------------------------------
SEED_KEY, RULE_KEY, LEVEL_KEY = "seed", "rule", "level"
DEFAULT_SEED, DEFAULT_RULE, DEFAULT_LEVEL = 1, "power", 1
PRACTICE_COUNT = 5
PRACTICE_VARIABLES = ("x",)
SCORE_KEY = "exercises_score"
SOLVED_KEY = "exercises_solved"
MAX_REMEMBERED = 200  # problems remembered as solved in one session (the score counts each once)


# --- practice ----------------------------------------------------------------------------------------------


def practice_controls() -> tuple[int, str, int]:
    """Rule, level and seed, all in the URL; a new random seed on request."""
    rule_column, level_column, seed_column, new_column = st.columns([3, 2, 2, 2], vertical_alignment="bottom")
    with rule_column:
        rule = rule_select()
    with level_column:
        level = url_option_box(
            LEVEL_KEY,
            t("exercises.level_label"),
            LEVELS,
            default=DEFAULT_LEVEL,
            help=t("exercises.level_help"),
            warning=lambda given, used: t("exercises.level_ignored", given=given, used=used),
        )
    with seed_column:
        seed = url_number_box(
            SEED_KEY,
            t("exercises.seed_label"),
            default=DEFAULT_SEED,
            low=0,
            high=MAX_SEED,
            step=1,
            format=None,
            help=t("exercises.seed_help"),
            warning=lambda given, used: t("exercises.seed_ignored", given=given, used=used, high=MAX_SEED),
        )
    with new_column:
        st.button(
            t("exercises.new_set"), icon=":material/casino:", on_click=_new_seed, key="exercises_new_set"
        )
    level = level if level in LEVELS else DEFAULT_LEVEL
    seed = int(seed) if seed is not None else DEFAULT_SEED
    return rule, level, seed


def rule_select() -> str:
    """The rule selector; its id (not its translated label) is kept in ``?rule=`` by hand."""
    raw = st.query_params.get(RULE_KEY)
    if RULE_KEY not in st.session_state:
        st.session_state[RULE_KEY] = raw if raw in PRACTICE_RULES else DEFAULT_RULE
        if raw is not None and raw not in PRACTICE_RULES:
            st.warning(
                t(
                    "exercises.rule_ignored",
                    given=code_span(raw[:40]),
                    used=t(f"exercises.rule_{DEFAULT_RULE}"),
                ),
                icon=":material/link:",
            )
    rule = st.selectbox(
        t("exercises.rule_label"),
        PRACTICE_RULES,
        key=RULE_KEY,
        format_func=translator("exercises.rule_{}"),
    )
    if rule == DEFAULT_RULE:
        if RULE_KEY in st.query_params:
            del st.query_params[RULE_KEY]
    elif st.query_params.get(RULE_KEY) != rule:
        st.query_params[RULE_KEY] = rule
    return rule


def _new_seed() -> None:
    st.session_state[SEED_KEY] = 1 + secrets.randbelow(MAX_SEED)


def show_score() -> None:
    score = st.session_state.get(SCORE_KEY, {"checked": 0, "right": 0})
    left, right = st.columns([4, 1], vertical_alignment="center")
    with left:
        st.markdown(t("exercises.score", right=score["right"], checked=score["checked"]))
    with right:
        st.button(t("exercises.reset_score"), key="exercises_reset_score", on_click=_reset_score)


def _reset_score() -> None:
    st.session_state[SCORE_KEY] = {"checked": 0, "right": 0}
    st.session_state[SOLVED_KEY] = []


def _count_answer(key: str, problem_id: str, expected: str, domain: str) -> None:
    """On a new answer: one more checked, and one more right the first time this problem is solved."""
    text = st.session_state.get(key) or ""
    if not text.strip():
        return
    try:
        verdict = check_answer(text, expected, PRACTICE_VARIABLES, domain_text=domain)
    except ExpressionError:
        return
    if verdict["verdict"] not in ("right", "right_unsimplified", "wrong"):
        return
    score = dict(st.session_state.get(SCORE_KEY, {"checked": 0, "right": 0}))
    solved = list(st.session_state.get(SOLVED_KEY, []))
    score["checked"] += 1
    if verdict["verdict"] != "wrong" and problem_id not in solved:
        score["right"] += 1
        solved = [*solved, problem_id][-MAX_REMEMBERED:]
    st.session_state[SCORE_KEY] = score
    st.session_state[SOLVED_KEY] = solved


@st.fragment
def practice() -> None:
    st.header(t("exercises.practice_title"))
    st.markdown(t("exercises.practice_intro"))
    rule, level, seed = practice_controls()
    st.caption(t("exercises.share", seed=seed, rule=code_span(rule), level=level))
    show_score()
    try:
        problems = practice_problems(seed, rule, level, PRACTICE_COUNT)
    except ExpressionError as err:
        show_error(err)
        return
    for problem in problems:
        practice_problem(problem, f"{seed}_{rule}_{level}_{problem['index']}")


def practice_problem(problem: dict, problem_id: str) -> None:
    with st.container(border=True):
        st.markdown(t("exercises.problem_title", number=problem["index"] + 1))
        st.latex(rf"f(x) = {problem['function_latex']}")
        key = f"practice_{problem_id}"
        answer(
            key,
            t("exercises.practice_label"),
            problem["derivative"],
            PRACTICE_VARIABLES,
            "f'(x)",
            on_change=_count_answer,
            args=(key, problem_id, problem["derivative"], problem["function"]),
            domain_text=problem["function"],
        )
        hints(f"practice_{problem_id}", lambda: practice_hints(problem))
        if solution_toggle(f"practice_{problem_id}"):
            data = problem_steps(problem)
            if data is not None:
                show_steps(data)
            st.latex(rf"f'(x) = {problem['derivative_latex']}")


def problem_steps(problem: dict) -> dict | None:
    return steps_or_error(
        lambda: derivative_steps_of(parse_expression(problem["function"]), PRACTICE_VARIABLES, "x")
    )


def practice_hints(problem: dict) -> list[tuple[str, str | None]]:
    """Three hints from the step engine: the first rule and its formula, the rules inside, the first step."""
    data = problem_steps(problem)
    if data is None:
        return []
    top = data["substeps"][0] if data["rule"] == "simplify" and data["substeps"] else data
    inside = []  # every rule below the first one, in reading order, once each
    for _, step in number_steps(top)[1:]:
        name = rule_name(step["rule"])
        if name not in inside:
            inside.append(name)
    second = (
        t("exercises.practice_hint_inside", rules=t("exercises.list_separator").join(inside))
        if inside
        else t("exercises.practice_hint_nothing_inside")
    )
    return [
        (t("exercises.practice_hint_rule", rule=rule_name(top["rule"])), top.get("formula") or None),
        (second, None),
        (t("exercises.practice_hint_first_step"), top["application"]),
    ]
