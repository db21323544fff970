"""Step-by-step derivatives: the public API, the bounded simplification, and the data a page renders.

``derivative_steps(expr, var)`` reads the expression as the student typed it (parse it with
``calc_core.parser.parse_expression``) and returns a tree of :class:`Step` (the rules are in
:mod:`calc_core.step_rules`). Each Step states ``d(expr)/d(var) = result``. When tidying the final result
changes it, the tree's root is a ``simplify`` step whose only substep is the derivation.

Rendering (done by the UI, from ``Step.to_dict()``): number the steps with :func:`number_steps`, and show for
each the rule's name (a UI catalogue key per rule id), the general formula (``formula``) and the
application (``application``, built by :func:`step_latex`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import sympy
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction
from sympy.printing.latex import LatexPrinter

from calc_core.errors import ExpressionError
from calc_core.parser import evaluated, format_expression, parse_expression
from calc_core.step_rules import RULES, Step, derive, negated, split_division

__all__ = [
    "DEFAULT_SIMPLIFY_BUDGET",
    "FUNCTION_FORMULAS",
    "RULES",
    "RULE_FORMULAS",
    "Step",
    "derivative_steps",
    "expression_latex",
    "number_steps",
    "simplify_result",
    "step_formula",
    "step_latex",
    "step_to_dict",
]

# --- the general formula of each rule (language-neutral LaTeX) -----------------------------------------

FUNCTION_FORMULAS = {
    "exp": r"\frac{d}{dx} e^{x} = e^{x}",
    "log": r"\frac{d}{dx} \ln x = \frac{1}{x}",
    "abs": r"\frac{d}{dx} \left|x\right| = \frac{x}{\left|x\right|} \quad (x \neq 0)",
    "sin": r"\frac{d}{dx} \sin x = \cos x",
    "cos": r"\frac{d}{dx} \cos x = -\sin x",
    "tan": r"\frac{d}{dx} \tan x = \sec^{2} x",
    "cot": r"\frac{d}{dx} \cot x = -\csc^{2} x",
    "sec": r"\frac{d}{dx} \sec x = \sec x \tan x",
    "csc": r"\frac{d}{dx} \csc x = -\csc x \cot x",
    "asin": r"\frac{d}{dx} \arcsin x = \frac{1}{\sqrt{1 - x^{2}}}",
    "acos": r"\frac{d}{dx} \arccos x = -\frac{1}{\sqrt{1 - x^{2}}}",
    "atan": r"\frac{d}{dx} \arctan x = \frac{1}{1 + x^{2}}",
    "acot": r"\frac{d}{dx} \operatorname{arccot} x = -\frac{1}{1 + x^{2}}",
    "asec": r"\frac{d}{dx} \operatorname{arcsec} x = \frac{1}{\left|x\right| \sqrt{x^{2} - 1}}",
    "acsc": r"\frac{d}{dx} \operatorname{arccsc} x = -\frac{1}{\left|x\right| \sqrt{x^{2} - 1}}",
    "sinh": r"\frac{d}{dx} \sinh x = \cosh x",
    "cosh": r"\frac{d}{dx} \cosh x = \sinh x",
    "tanh": r"\frac{d}{dx} \tanh x = \operatorname{sech}^{2} x",
    "coth": r"\frac{d}{dx} \coth x = -\operatorname{csch}^{2} x",
    "sech": r"\frac{d}{dx} \operatorname{sech} x = -\operatorname{sech} x \tanh x",
    "csch": r"\frac{d}{dx} \operatorname{csch} x = -\operatorname{csch} x \coth x",
    "asinh": r"\frac{d}{dx} \operatorname{arsinh} x = \frac{1}{\sqrt{x^{2} + 1}}",
    "acosh": r"\frac{d}{dx} \operatorname{arcosh} x = \frac{1}{\sqrt{x^{2} - 1}}",
    "atanh": r"\frac{d}{dx} \operatorname{artanh} x = \frac{1}{1 - x^{2}}",
    "acoth": r"\frac{d}{dx} \operatorname{arcoth} x = \frac{1}{1 - x^{2}}",
    "asech": r"\frac{d}{dx} \operatorname{arsech} x = -\frac{1}{x \sqrt{1 - x^{2}}}",
    "acsch": r"\frac{d}{dx} \operatorname{arcsch} x = -\frac{1}{\left|x\right| \sqrt{1 + x^{2}}}",
}


def _family(*names: str) -> str:
    return r",\quad ".join(FUNCTION_FORMULAS[name] for name in names)


RULE_FORMULAS: dict[str, str] = {
    "constant": r"\frac{d}{dx} C = 0",
    "variable": r"\frac{d}{dx} x = 1",
    "power": r"\frac{d}{dx} x^{n} = n x^{n - 1}",
    "exp": FUNCTION_FORMULAS["exp"],
    "exp_base": r"\frac{d}{dx} a^{x} = a^{x} \ln a",
    "log": FUNCTION_FORMULAS["log"],
    "log_base": r"\frac{d}{dx} \log_{b} x = \frac{1}{x \ln b}",
    "trig": _family("sin", "cos", "tan", "cot", "sec", "csc"),
    "inverse_trig": _family("asin", "acos", "atan", "acot", "asec", "acsc"),
    "hyperbolic": _family("sinh", "cosh", "tanh", "coth", "sech", "csch"),
    "inverse_hyperbolic": _family("asinh", "acosh", "atanh", "acoth", "asech", "acsch"),
    "abs": FUNCTION_FORMULAS["abs"],
    "constant_multiple": r"\frac{d}{dx} \left[C f(x)\right] = C \frac{d}{dx} f(x)",
    "sum": r"\frac{d}{dx} \left[f(x) \pm g(x)\right] = \frac{d}{dx} f(x) \pm \frac{d}{dx} g(x)",
    "product": r"\frac{d}{dx} \left[f(x) g(x)\right] = f(x) \frac{d}{dx} \left[g(x)\right] "
    r"+ g(x) \frac{d}{dx} \left[f(x)\right]",
    "quotient": r"\frac{d}{dx} \left[\frac{f(x)}{g(x)}\right] = "
    r"\frac{g(x) \frac{d}{dx} \left[f(x)\right] - f(x) \frac{d}{dx} \left[g(x)\right]}"
    r"{\left[g(x)\right]^{2}}",
    "chain": r"\frac{dy}{dx} = \frac{dy}{du} \cdot \frac{du}{dx}, \quad y = f(u),\ u = g(x)",
    "logarithmic_differentiation": r"y = f(x)^{g(x)} \Rightarrow \ln y = g(x) \ln f(x) \Rightarrow "
    r"\frac{dy}{dx} = f(x)^{g(x)} \frac{d}{dx} \left[g(x) \ln f(x)\right]",
    "simplify": "",
    "fallback": "",
}


def step_formula(step: Step) -> str:
    r"""The general formula behind this step: the function's own line for a table rule.

    >>> x = sympy.Symbol("x")
    >>> print(step_formula(derivative_steps(sympy.cos(x), "x")))
    \frac{d}{dx} \cos x = -\sin x
    """
    return FUNCTION_FORMULAS.get(step.function or "", RULE_FORMULAS[step.rule])


# --- LaTeX that shows what the student typed -----------------------------------------------------------


def _as_typed(expr: sympy.Expr) -> bool:
    """True when SymPy would have built this node differently (``5*x*3*x``, ``3x^2 - 4x``)."""
    return expr.func(*expr.args) != expr


class _StepLatexPrinter(LatexPrinter):
    """SymPy's LaTeX, except that a typed sum keeps its order and a typed product its factors."""

    def __init__(self):
        super().__init__({"inv_trig_style": "full", "ln_notation": True})

    def _print_Add(self, expr, order=None):
        return super()._print_Add(expr, order="none" if _as_typed(expr) else order)

    def _print_Mul(self, expr):
        if not expr.is_Mul or not _as_typed(expr):  # SymPy prints 1/b through _print_Mul too
            return super()._print_Mul(expr)
        numerator, divisors = split_division(expr.args)
        if divisors:
            return rf"\frac{{{self._print_factors(numerator)}}}{{{self._print_factors(divisors)}}}"
        return self._print_factors(list(expr.args))

    def _print_factors(self, factors: list) -> str:
        if len(factors) > 1 and factors[0] == -1:
            return "- " + self._print_factors(factors[1:])
        pieces = []
        for factor in factors:
            piece = self._print(factor)
            grouped = (factor.is_Add or factor.is_Mul) and not piece.startswith(r"\frac")
            if (len(factors) > 1 and grouped) or (pieces and piece.startswith("-")):
                piece = rf"\left({piece}\right)"
            pieces.append(piece)
        tex = pieces[0]
        for previous, piece in zip(pieces, pieces[1:], strict=False):
            # "5 x \cdot 3 x", "2 \cdot \frac{1}{3}", "x \cdot x": where juxtaposition would mislead
            misleading = piece[0].isdigit() or piece.startswith(r"\frac") or piece == previous
            tex += (r" \cdot " if misleading else " ") + piece
        return tex

    def _print_Pow(self, expr):
        base, exponent = expr.args
        if exponent.is_Number and exponent.is_negative and base.is_Mul and _as_typed(base):
            # SymPy's own printer recurses forever on (x^-1*x)^-2: write 1/base^n ourselves
            positive = base if exponent == -1 else sympy.Pow(base, -exponent, evaluate=False)
            return rf"\frac{{1}}{{{self._print(positive)}}}"
        return super()._print_Pow(expr)

    def _print_log(self, expr, exp=None):
        if len(expr.args) == 1:
            return super()._print_log(expr, exp)
        argument, base = (self._print(arg) for arg in expr.args)
        power = "" if exp is None else f"^{{{exp}}}"
        return rf"\log_{{{base}}}{power}\left({argument}\right)"


def expression_latex(expr: sympy.Expr) -> str:
    r"""LaTeX of an expression, typed or evaluated, in the app's notation (ln, arcsin, log base b).

    >>> from calc_core.parser import parse_expression
    >>> print(expression_latex(parse_expression("5*x*3*x")))
    5 x \cdot 3 x
    >>> print(expression_latex(parse_expression("log(x, 2) + asin(x)")))
    \log_{2}\left(x\right) + \arcsin{\left(x \right)}
    """
    try:
        return _StepLatexPrinter().doprint(expr)
    except RecursionError:  # a typed tree SymPy's printer cannot take apart: show it evaluated
        return sympy.latex(evaluated(expr), inv_trig_style="full", ln_notation=True)


def _grouped(expr: sympy.Expr) -> str:
    """LaTeX of a factor inside a product: a sum or a leading minus in parentheses."""
    tex = expression_latex(expr)
    return rf"\left({tex}\right)" if expr.is_Add or tex.startswith("-") else tex


def _derivative_of(expr: sympy.Expr, var: str, partial: bool = False) -> str:
    d = r"\partial" if partial else "d"
    return rf"\frac{{{d}}}{{{d} {sympy.latex(sympy.Symbol(var))}}}\left({expression_latex(expr)}\right)"


# --- the application of each rule: the formula with the student's pieces in it -------------------------


def _power_application(step: Step, partial: bool) -> str:
    n = dict(step.parts)["n"]
    return rf"{_grouped(n)} {expression_latex(step.expr.base)}^{{{expression_latex(n)} - 1}}"


def _constant_multiple_application(step: Step, partial: bool) -> str:
    parts = dict(step.parts)
    derivative = _derivative_of(parts["f"], step.var, partial)
    if parts["c"] == -1:
        return "-" + derivative
    return rf"{_grouped(parts['c'])} \cdot {derivative}"


def _sum_application(step: Step, partial: bool) -> str:
    tex = ""
    for term in step.expr.args:
        negative, term = negated(term)
        if tex or negative:
            tex += (" - " if tex else "-") if negative else " + "
        tex += _derivative_of(term, step.var, partial)
    return tex


def _product_application(step: Step, partial: bool) -> str:
    factors = [expr for _, expr in step.parts]
    terms = []
    for i in range(len(factors)):
        pieces = [_grouped(f) for f in factors]
        pieces[i] = _derivative_of(factors[i], step.var, partial)
        terms.append(r" \cdot ".join(pieces))
    return " + ".join(terms)


def _quotient_application(step: Step, partial: bool) -> str:
    f, g = (dict(step.parts)[name] for name in "fg")
    df, dg = (_derivative_of(part, step.var, partial) for part in (f, g))
    top = rf"{df} \cdot {_grouped(g)} - {_grouped(f)} \cdot {dg}"
    return rf"\frac{{{top}}}{{{expression_latex(sympy.Pow(g, 2, evaluate=False))}}}"


def _chain_application(step: Step, partial: bool) -> str:
    outer = _derivative_of(step.outer, step.substitution)
    return rf"{outer} \cdot {_derivative_of(step.inner, step.var, partial)}"


def _logarithmic_application(step: Step, partial: bool) -> str:
    return rf"{_grouped(step.expr)} \cdot {_derivative_of(step.substeps[0].expr, step.var, partial)}"


def _simplify_application(step: Step, partial: bool) -> str:
    return expression_latex(step.substeps[0].result)


_APPLICATIONS: dict[str, Callable[[Step, bool], str]] = {
    "power": _power_application,
    "constant_multiple": _constant_multiple_application,
    "sum": _sum_application,
    "product": _product_application,
    "quotient": _quotient_application,
    "chain": _chain_application,
    "logarithmic_differentiation": _logarithmic_application,
    "simplify": _simplify_application,
}


def step_latex(step: Step, partial: bool = False) -> str:
    r"""The step's equation in LaTeX: the derivative, the rule's formula filled in, the result.

    ``partial=True`` writes ∂ instead of d (for partial derivatives). A chain step ends with its substitution.

    >>> x = sympy.Symbol("x")
    >>> print(step_latex(derivative_steps(x**3, "x")))
    \frac{d}{d x}\left(x^{3}\right) = 3 x^{3 - 1} = 3 x^{2}
    >>> print(step_latex(derivative_steps(sympy.exp(3 * x), "x")))
    \frac{d}{d x}\left(e^{3 x}\right) = \frac{d}{d u}\left(e^{u}\right) \cdot \frac{d}{d x}\left(3 x\right)
    = 3 e^{3 x} \qquad u = 3 x
    """
    sides = [_derivative_of(step.expr, step.var, partial)]
    application = _APPLICATIONS.get(step.rule)
    if application is not None:
        sides.append(application(step, partial))
    result = expression_latex(step.result)
    if result != sides[-1]:
        sides.append(result)
    tex = " = ".join(sides)
    if step.rule == "chain":
        tex += rf" \qquad {step.substitution} = {expression_latex(step.inner)}"
    return tex


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
    its ``to_dict()`` form.

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


def _text(expr: sympy.Expr | None) -> str | None:
    """The expression as parser input, if that text parses back to the same function; else None."""
    if expr is None:
        return None
    try:
        text = format_expression(expr)
        variables = tuple(sorted(symbol.name for symbol in expr.free_symbols))
        same = evaluated(parse_expression(text, variables)) == evaluated(expr)
    except (ExpressionError, TypeError, ValueError, AttributeError):
        return None
    return text if same else None


def _latex_or_none(expr: sympy.Expr | None) -> str | None:
    return None if expr is None else expression_latex(expr)


def step_to_dict(step: Step, partial: bool = False) -> dict:
    r"""The step tree as plain data: strings, None, lists and dicts only (it crosses a process boundary).

    Keys: ``rule``, ``var``, ``function``, ``substitution`` (ids and names); ``expr_latex``,
    ``result_latex``, ``expr_text``, ``result_text`` (text as the parser reads it, or None);
    ``formula`` and ``application`` (LaTeX); ``parts`` (a list of ``{"name", "latex"}``); ``inner_latex``,
    ``outer_latex`` (chain steps); ``undefined_where_latex`` (the derivative may not exist where this is 0);
    ``substeps`` (a list of the same dicts).

    >>> x = sympy.Symbol("x")
    >>> data = derivative_steps(sympy.Abs(x), "x").to_dict()
    >>> data["rule"], data["undefined_where_latex"], data["substeps"]
    ('abs', 'x', [])
    >>> print(data["result_latex"])
    \frac{x}{\left|{x}\right|}
    """
    return {
        "rule": step.rule,
        "var": step.var,
        "function": step.function,
        "substitution": step.substitution,
        "expr_latex": expression_latex(step.expr),
        "result_latex": expression_latex(step.result),
        "expr_text": _text(step.expr),
        "result_text": _text(step.result),
        "formula": step_formula(step),
        "application": step_latex(step, partial),
        "parts": [{"name": name, "latex": expression_latex(expr)} for name, expr in step.parts],
        "inner_latex": _latex_or_none(step.inner),
        "outer_latex": _latex_or_none(step.outer),
        "undefined_where_latex": _latex_or_none(step.undefined_where),
        "substeps": [step_to_dict(substep, partial) for substep in step.substeps],
    }
