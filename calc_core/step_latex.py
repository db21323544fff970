"""How a derivation is shown: each rule's general formula, the formula filled in, the plain data a page gets.

The step engine (:mod:`calc_core.step_rules`, :func:`calc_core.steps.derivative_steps`) builds a tree of
``Step`` objects; this module prints it, as SymPy's ``manualintegrate`` keeps its rule tree apart from the
code that prints it. :func:`step_to_dict` turns the tree into plain data (it crosses the worker's process
boundary): for each step the expression and result in LaTeX, the rule's general formula
(:data:`RULE_FORMULAS`, :data:`FUNCTION_FORMULAS`) and its application (:func:`step_latex`).
"""

from __future__ import annotations

from collections.abc import Callable

import sympy

from calc_core.errors import ExpressionError
from calc_core.parser import evaluated, format_expression, parse_expression
from calc_core.printing import expression_latex, negated
from calc_core.step_rules import Step

__all__ = [
    "FUNCTION_FORMULAS",
    "RULE_FORMULAS",
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

    >>> from calc_core.steps import derivative_steps
    >>> x = sympy.Symbol("x")
    >>> print(step_formula(derivative_steps(sympy.cos(x), "x")))
    \frac{d}{dx} \cos x = -\sin x
    """
    return FUNCTION_FORMULAS.get(step.function or "", RULE_FORMULAS[step.rule])


# --- the pieces of a filled-in formula ----------------------------------------------------------------


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

    >>> from calc_core.steps import derivative_steps
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


# --- plain data for the renderer ------------------------------------------------------------------------


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

    >>> from calc_core.steps import derivative_steps
    >>> x = sympy.Symbol("x")
    >>> data = step_to_dict(derivative_steps(sympy.Abs(x), "x"))
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
