"""Practice problems: the same seed gives the same set everywhere; each rule and level gives its kind of
problem; the expected derivatives are right."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import sympy

from calc_core.answers import check_answer
from calc_core.parser import evaluated, parse_expression
from calc_core.practice import (
    LEVELS,
    MAX_COUNT,
    MAX_SEED,
    PRACTICE_RULES,
    generate_problems,
    practice_problems,
)
from calc_core.sandbox import run_task
from calc_core.steps import derivative_steps
from tests.conftest import PROJECT_ROOT

x = sympy.Symbol("x")
SEEDS = range(12)

# Seed 123, mixed rules, level 2: what every machine must produce (sympy 1.14 prints the derivatives).
EXPECTED_123_MIXED_2 = [
    ("quotient", "ln(x)/x", "x^(-2) + (-1)*x^(-2)*log(x)"),
    ("exp_log", "e^(4x)", "4*exp(4*x)"),
    ("exp_log", "x - ln(x)", "1 - x^(-1)"),
    ("power", "8x^5 + 9x^2 + 4x - 6", "4 + 18*x + 40*x^4"),
    ("trig", "sin(x)^2", "2*cos(x)*sin(x)"),
]
EXPECTED_2024_CHAIN_3 = ["ln(cos(x))", "sqrt(1 + sin(x)^2)", "(1 + e^(2x))^2"]


def test_one_seed_gives_this_exact_set():
    problems = practice_problems(123, "mixed", 2, 5)
    assert [(p["rule"], p["function"], p["derivative"]) for p in problems] == EXPECTED_123_MIXED_2
    assert [p["function"] for p in generate_problems(2024, "chain", 3, 3)] == EXPECTED_2024_CHAIN_3


_CHILD = """
import json, sys
from calc_core.practice import PRACTICE_RULES, generate_problems
print(json.dumps({f"{seed}/{rule}/{level}": generate_problems(seed, rule, level, 5)
                  for seed in (0, 1, 123, 999999) for rule in PRACTICE_RULES for level in (1, 2, 3)}))
"""


@pytest.mark.parametrize("hash_seed", ["0", "1", "random"])
def test_the_same_in_a_fresh_process_with_another_hash_seed(hash_seed):
    """Nothing depends on Python's salted str hash, set order or the process: a child with another
    PYTHONHASHSEED produces exactly what this process does."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    child = subprocess.run(
        [sys.executable, "-c", _CHILD], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True
    )
    theirs = json.loads(child.stdout)
    ours = {
        f"{seed}/{rule}/{level}": generate_problems(seed, rule, level, 5)
        for seed in (0, 1, 123, 999999)
        for rule in PRACTICE_RULES
        for level in (1, 2, 3)
    }
    assert theirs == ours


def test_a_problem_does_not_depend_on_the_size_of_its_set():
    assert generate_problems(5, "chain", 2, 3) == generate_problems(5, "chain", 2, 10)[:3]


def test_seeds_give_different_sets():
    sets = {tuple(p["function"] for p in generate_problems(seed, "mixed", 2, 5)) for seed in SEEDS}
    assert len(sets) == len(SEEDS)


@pytest.mark.parametrize("rule", PRACTICE_RULES)
@pytest.mark.parametrize("level", LEVELS)
def test_no_repeats_within_a_set(rule, level):
    for seed in SEEDS:
        functions = [p["function"] for p in generate_problems(seed, rule, level, 8)]
        assert len(set(functions)) == len(functions), functions


# --- each rule and level gives its kind of problem --------------------------------------------------------


def _steps(text: str):
    return derivative_steps(parse_expression(text), "x")


def _main_rule(text: str) -> str:
    """The rule the derivation starts with, past a final simplify and a constant factor."""
    step = _steps(text)
    while step.rule in ("simplify", "constant_multiple") and step.substeps:
        step = step.substeps[0]
    return step.rule


def _problems(rule: str, level: int) -> list[dict]:
    return [p for seed in SEEDS for p in generate_problems(seed, rule, level, 5)]


@pytest.mark.parametrize("rule", ["product", "quotient", "chain"])
@pytest.mark.parametrize("level", LEVELS)
def test_combining_rules_start_the_derivation(rule, level):
    for problem in _problems(rule, level):
        assert _main_rule(problem["function"]) == rule, problem


@pytest.mark.parametrize("level", LEVELS)
def test_power_problems_need_only_the_power_rule(level):
    allowed = {"power", "sum", "constant_multiple", "constant", "variable", "simplify"}
    for problem in _problems("power", level):
        assert _steps(problem["function"]).rules_used() <= allowed, problem


def test_power_levels_grow_harder():
    def exponents(text):
        expr = evaluated(parse_expression(text))
        powers = {p.exp for p in expr.atoms(sympy.Pow) if p.base == x}
        return powers | (
            {sympy.Integer(1)} if x in expr.args or any(x in a.args for a in expr.args) else set()
        )

    level_1 = [exponents(p["function"]) for p in _problems("power", 1)]
    level_2 = [p["function"] for p in _problems("power", 2)]
    level_3 = [exponents(p["function"]) for p in _problems("power", 3)]
    assert all(e.is_Integer and e > 0 for found in level_1 for e in found)
    assert all(len(evaluated(parse_expression(text)).args) >= 3 for text in level_2)  # three or more terms
    assert all(any(not (e.is_Integer and e > 0) for e in found) for found in level_3)  # roots, 1/x^n


@pytest.mark.parametrize("level", LEVELS)
def test_exp_log_problems_use_exponentials_or_logarithms(level):
    wanted = {"exp", "exp_base", "log", "log_base", "logarithmic_differentiation"}
    for problem in _problems("exp_log", level):
        assert _steps(problem["function"]).rules_used() & wanted, problem


@pytest.mark.parametrize("level", LEVELS)
def test_trig_problems_use_trigonometric_functions(level):
    for problem in _problems("trig", level):
        assert _steps(problem["function"]).rules_used() & {"trig", "inverse_trig"}, problem
    if level == 3:
        inverse = [p for p in _problems("trig", 3) if "inverse_trig" in _steps(p["function"]).rules_used()]
        assert inverse, "level 3 brings in inverse trigonometric functions"


def test_mixed_draws_from_every_rule():
    drawn = {p["rule"] for level in LEVELS for p in _problems("mixed", level)}
    assert drawn == set(PRACTICE_RULES) - {"mixed"}


def test_level_one_chain_has_a_linear_inside():
    for problem in _problems("chain", 1):
        step = _steps(problem["function"])
        chain = next(s for s in step.walk() if s.rule == "chain")
        assert sympy.degree(chain.inner, x) == 1, problem


# --- the expected derivatives ------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", PRACTICE_RULES)
@pytest.mark.parametrize("level", LEVELS)
def test_expected_derivatives_are_sympys(rule, level):
    for seed in range(4):
        for problem in practice_problems(seed, rule, level, 5):
            f = evaluated(parse_expression(problem["function"]))
            derivative = evaluated(parse_expression(problem["derivative"]))
            assert sympy.simplify(derivative - sympy.diff(f, x)) == 0, problem
            assert problem["function_latex"] and problem["derivative_latex"]


def test_the_expected_derivative_is_a_right_answer_and_the_function_is_not():
    for problem in practice_problems(3, "mixed", 3, 5):
        right = check_answer(problem["derivative"], problem["derivative"], ("x",), problem["function"])
        assert right["verdict"] == "right", problem
        wrong = check_answer(problem["function"], problem["derivative"], ("x",), problem["function"])
        assert wrong["verdict"] == "wrong", problem


def test_the_step_engine_result_is_accepted():
    """What the solution shows (the step engine's tidied result) is right against the expected answer."""
    from calc_core.parser import format_expression

    for problem in practice_problems(8, "mixed", 2, 5):
        shown = format_expression(_steps(problem["function"]).result)
        result = check_answer(shown, problem["derivative"], ("x",), problem["function"])
        assert result["verdict"] in ("right", "right_unsimplified"), (problem, shown, result)


# --- arguments and the sandbox ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "rule", "level", "count"),
    [
        (1, "integrals", 1, 5),
        (1, "power", 4, 5),
        (-1, "power", 1, 5),
        (MAX_SEED + 1, "power", 1, 5),
        (1.5, "power", 1, 5),
        (True, "power", 1, 5),
        (1, "power", 1, 0),
        (1, "power", 1, MAX_COUNT + 1),
    ],
)
def test_bad_requests_are_refused(seed, rule, level, count):
    with pytest.raises(ValueError):
        generate_problems(seed, rule, level, count)


def test_practice_problems_runs_in_the_sandbox():
    problems = run_task("practice_problems", 123, "mixed", 2, 5)
    assert [(p["rule"], p["function"], p["derivative"]) for p in problems] == EXPECTED_123_MIXED_2
