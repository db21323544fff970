"""Step-by-step derivatives: the public API, the bounded simplification, and the numbering a page shows.

``derivative_steps(expr, var)`` reads the expression as the student typed it (parse it with
``calc_core.parser.parse_expression``) and returns a tree of :class:`Step` (the rules are in
:mod:`calc_core.step_rules`). Each Step states ``d(expr)/d(var) = result``. When tidying the final result
changes it, the tree's root is a ``simplify`` step whose only substep is the derivation.

Rendering (done by the UI, from :func:`calc_core.step_latex.step_to_dict`'s plain data): number the steps
with :func:`number_steps`, and show for each the rule's name (a UI catalogue key per rule id), the general
formula (``formula``) and the application (``application``, built by ``calc_core.step_latex.step_latex``).
The worker task :func:`derivative_steps_of` does all of it on the student's text.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import sympy
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from calc_core.parser import evaluated, parse_expression
from calc_core.results import StepData
from calc_core.step_latex import step_to_dict
from calc_core.step_rules import RULES, Step, derive
from calc_core.task_arguments import variable_of

__all__ = [
    "DEFAULT_SIMPLIFY_BUDGET",
    "RULES",
    "STEP_SIMPLIFY_BUDGET",
    "Step",
    "derivative_steps",
    "derivative_steps_of",
    "number_steps",
    "simplify_result",
]

# --- the bounded simplification ------------------------------------------------------------------------

# Without a larger budget only the cheap reshaping runs: 50 ms is enough for it on what students type.
DEFAULT_SIMPLIFY_BUDGET = 0.05
# trigsimp and simplify only on expressions at most this big (count_ops) and this deeply nested: beyond,
# they may run for minutes (trigsimp took 9 minutes on a sum of 11 quotients of 128 operations).
HEAVY_MAX_OPS = 30
HEAVY_MAX_FUNCTION_DEPTH = 3
# No method that expands runs when a sum is raised to a power above this.
_MAX_EXPANDED_POWER = 12
# A candidate replaces the current form only if it saves at least this many operations.
_MIN_SAVING = 2


def _combined_fraction(expr: sympy.Expr) -> sympy.Expr:
    """One fraction with an expanded numerator: ``(x^2 - 2x - 1)/(x - 1)^2``."""
    numerator, denominator = sympy.fraction(sympy.together(expr))
    return sympy.expand(numerator) / denominator


def _has_big_power(expr: sympy.Expr) -> bool:
    """A sum raised to a large power, ``(x + 1)^999``: expanding it (together, simplify) takes seconds."""
    return any(
        p.base.is_Add and p.exp.is_Integer and abs(p.exp) > _MAX_EXPANDED_POWER for p in expr.atoms(sympy.Pow)
    )


def _function_depth(expr: sympy.Expr) -> int:
    """How deeply functions nest: 2 for ``sin(cos(x))``."""
    inner = max((_function_depth(arg) for arg in expr.args), default=0)
    return inner + 1 if isinstance(expr, sympy.Function) else inner


def _has_fractions(expr: sympy.Expr) -> bool:
    """Some term has a denominator and something to combine it with."""
    return (
        not _has_big_power(expr)
        and expr.has(sympy.Add)
        and any(p.exp.is_negative for p in expr.atoms(sympy.Pow))
    )


def _small_and_shallow(expr: sympy.Expr) -> bool:
    """Where trigsimp and simplify stay near their estimates (beyond, they may take minutes)."""
    return (
        sympy.count_ops(expr) <= HEAVY_MAX_OPS
        and _function_depth(expr) <= HEAVY_MAX_FUNCTION_DEPTH
        and not _has_big_power(expr)
    )


def _trigsimp_may_help(expr: sympy.Expr) -> bool:
    return expr.has(TrigonometricFunction, HyperbolicFunction) and _small_and_shallow(expr)


# (method, worth trying on this expression, estimated seconds for an expression of n operations),
# cheapest first. At the default budget only the first two ever run.
_SIMPLIFIERS: tuple[tuple[Callable, Callable, Callable[[int], float]], ...] = (
    (_combined_fraction, _has_fractions, lambda n: 0.002 + 0.00005 * n * n),
    (sympy.factor_terms, lambda expr: expr.is_Add, lambda n: 0.001 + 0.0005 * n),
    (sympy.trigsimp, _trigsimp_may_help, lambda n: 0.05 + 0.02 * n),
    (sympy.simplify, _small_and_shallow, lambda n: 0.1 + 0.03 * n),
)


def simplify_result(expr: sympy.Expr, budget_seconds: float = DEFAULT_SIMPLIFY_BUDGET) -> sympy.Expr:
    """A tidier equal form of ``expr``, within roughly ``budget_seconds``.

    The expression is evaluated first (cheap); then each method, cheapest first, runs only if its estimated
    cost (by the expression's size) fits in what is left of the budget, and its answer is kept only if it is
    clearly shorter (count_ops). Nothing interrupts a method once started: the estimates keep it in bounds,
    and the sandboxed worker's wall clock is the last guard.

    >>> x = sympy.Symbol("x")
    >>> simplify_result(sympy.exp(x) * sympy.sin(x) + sympy.exp(x) * sympy.cos(x))
    (sin(x) + cos(x))*exp(x)
    >>> simplify_result(sympy.sin(x) ** 2 + sympy.cos(x) ** 2)
    sin(x)**2 + cos(x)**2
    >>> simplify_result(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, budget_seconds=1.0)
    1
    """
    start = time.perf_counter()
    best = evaluated(expr)
    if best.is_Atom:
        return best
    best_ops = sympy.count_ops(best)
    for method, worth_trying, estimated_seconds in _SIMPLIFIERS:
        remaining = budget_seconds - (time.perf_counter() - start)
        if estimated_seconds(best_ops) > remaining or not worth_trying(best):
            continue
        candidate = method(best)
        candidate_ops = sympy.count_ops(candidate)
        if candidate_ops <= best_ops - _MIN_SAVING:
            best, best_ops = candidate, candidate_ops
    return best


# --- the public entry point ----------------------------------------------------------------------------


def derivative_steps(expr: sympy.Expr, var: str, simplify_budget: float = DEFAULT_SIMPLIFY_BUDGET) -> Step:
    """The steps of ``d(expr)/d(var)``, following ``expr`` as typed, then a ``simplify`` step if it helps.

    ``var`` is a variable's name; every other symbol is a constant (partial derivatives).

    >>> from calc_core.parser import parse_expression
    >>> step = derivative_steps(parse_expression("x + log(y)*x", ("x", "y")), "x")
    >>> step.rule, step.result
    ('sum', log(y) + 1)
    >>> step = derivative_steps(parse_expression("(x^2 + 1)/(x - 1)"), "x")
    >>> step.rule, step.result, step.substeps[0].rule
    ('simplify', (x**2 - 2*x - 1)/(x - 1)**2, 'quotient')
    """
    symbol = sympy.Symbol(var if isinstance(var, str) else var.name)
    derivation = derive(expr, symbol)
    tidy = simplify_result(derivation.result, simplify_budget)
    if tidy == evaluated(derivation.result):
        return replace(derivation, result=tidy)  # nothing simpler found: no step to show
    return Step("simplify", expr, symbol.name, tidy, (derivation,), parts=(("before", derivation.result),))


# --- numbering and plain data for the renderer ---------------------------------------------------------


def _rule_of(step: Step | dict) -> str:
    return step["rule"] if isinstance(step, dict) else step.rule


def _substeps_of(step: Step | dict) -> list:
    return list(step["substeps"] if isinstance(step, dict) else step.substeps)


def number_steps(step: Step | dict) -> list[tuple[str, Step | dict]]:
    """The steps in reading order with their numbers: "1", "1.1", "1.2", "1.2.1", …

    The derivation is numbered from "1"; a final ``simplify`` step comes last, as "2". Works on a Step or on
    its ``step_to_dict`` form.

    >>> x = sympy.Symbol("x")
    >>> [(n, s.rule) for n, s in number_steps(derivative_steps(sympy.sin(x**2), "x"))]
    [('1', 'chain'), ('1.1', 'trig'), ('1.2', 'power')]
    """
    if _rule_of(step) == "simplify":
        return [*_numbered(_substeps_of(step)[0], "1"), ("2", step)]
    return _numbered(step, "1")


def _numbered(step: Step | dict, label: str) -> list[tuple[str, Step | dict]]:
    numbered = [(label, step)]
    for index, substep in enumerate(_substeps_of(step), start=1):
        numbered.extend(_numbered(substep, f"{label}.{index}"))
    return numbered


# --- the worker task ----------------------------------------------------------------------------------

# Seconds the step engine may spend simplifying the rules page's result; the worker's own limit stays the
# last guard.
STEP_SIMPLIFY_BUDGET = 1.0


def derivative_steps_of(text: str, variables: tuple[str, ...], var: str) -> StepData:
    """The derivation of d/d(var) of the expression as typed, step by step, as plain data (``step_to_dict``).

    The worker task behind ``calc_core.service.derivative_steps_of``.

    >>> derivative_steps_of("x^2 + x", ("x",), "x")["result_latex"]
    '2 x + 1'
    """
    typed = parse_expression(text, variables)
    variable_of(typed, variables, var)
    return step_to_dict(derivative_steps(typed, var, simplify_budget=STEP_SIMPLIFY_BUDGET))
