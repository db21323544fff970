"""The rules of differentiation: each a small function that turns an expression into a Step.

The tree of Steps is data (like SymPy's ``manualintegrate``): a Step states one equation
``d(expr)/d(var) = result``, names the rule that justifies it, and holds the substeps whose results it used.
Printing lives in :mod:`calc_core.step_latex` (``step_to_dict``). Every rule computes its result from its
substeps' results, the way a student would; SymPy's ``diff`` appears only in the labelled ``fallback`` rule.

The expression is read as the student typed it (the parser builds it with ``evaluate=False``): a Mul with a
factor ``b**-1`` after its first factor is a division the student wrote, ``Mul(-1, a)`` is ``-a``. Results
are built from the evaluated form of the typed pieces, so they are ordinary SymPy expressions; only the
quotient rule keeps the shape ``(f'g - fg')/g**2`` unevaluated, as a student writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import sympy

from calc_core.parser import evaluated
from calc_core.printing import negated, split_division

# The published rule ids, in the order a lesson meets them.
RULES = (
    "constant",
    "variable",
    "power",
    "exp",
    "exp_base",
    "log",
    "log_base",
    "trig",
    "inverse_trig",
    "hyperbolic",
    "inverse_hyperbolic",
    "abs",
    "constant_multiple",
    "sum",
    "product",
    "quotient",
    "chain",
    "logarithmic_differentiation",
    "simplify",
    "fallback",
)


@dataclass(frozen=True)
class Step:
    """One equation ``d(expr)/d(var) = result``, the rule that justifies it, and the substeps it used.

    ``parts`` names the pieces a rule's formula speaks of (``("f", …), ("g", …)`` for the quotient rule,
    ``("c", …)`` for a constant multiple, ``("n", …)`` for a power). Chain steps carry the fresh name
    ``substitution`` (``"u"``), ``inner`` (what it stands for, a function of ``var``) and ``outer``
    (a function of the fresh symbol). ``function`` is the elementary function a table rule used (``"sin"``).
    ``undefined_where``: the derivative may not exist where this expression is 0 (``x`` for ``|x|``).

    >>> x = sympy.Symbol("x")
    >>> step = derive(sympy.sin(x**2), x)
    >>> step.rule, step.substitution, step.inner, step.outer, step.result
    ('chain', 'u', x**2, sin(u), 2*x*cos(x**2))
    >>> [(s.rule, s.var) for s in step.walk()]
    [('chain', 'x'), ('trig', 'u'), ('power', 'x')]
    """

    rule: str
    expr: sympy.Expr
    var: str
    result: sympy.Expr
    substeps: tuple[Step, ...] = ()
    parts: tuple[tuple[str, sympy.Expr], ...] = ()
    function: str | None = None
    substitution: str | None = None
    inner: sympy.Expr | None = None
    outer: sympy.Expr | None = None
    undefined_where: sympy.Expr | None = None

    @property
    def symbol(self) -> sympy.Symbol:
        return sympy.Symbol(self.var)

    def walk(self) -> Iterator[Step]:
        """This step and all steps below it, parents before children."""
        yield self
        for substep in self.substeps:
            yield from substep.walk()

    def rules_used(self) -> set[str]:
        return {step.rule for step in self.walk()}


# --- the elementary functions: rule id and derivative as a function of the argument ----------------------

ELEMENTARY: dict[type, tuple[str, Callable[[sympy.Expr], sympy.Expr]]] = {
    sympy.sin: ("trig", lambda u: sympy.cos(u)),
    sympy.cos: ("trig", lambda u: -sympy.sin(u)),
    sympy.tan: ("trig", lambda u: sympy.sec(u) ** 2),
    sympy.cot: ("trig", lambda u: -(sympy.csc(u) ** 2)),
    sympy.sec: ("trig", lambda u: sympy.sec(u) * sympy.tan(u)),
    sympy.csc: ("trig", lambda u: -sympy.csc(u) * sympy.cot(u)),
    sympy.asin: ("inverse_trig", lambda u: 1 / sympy.sqrt(1 - u**2)),
    sympy.acos: ("inverse_trig", lambda u: -1 / sympy.sqrt(1 - u**2)),
    sympy.atan: ("inverse_trig", lambda u: 1 / (1 + u**2)),
    sympy.acot: ("inverse_trig", lambda u: -1 / (1 + u**2)),
    sympy.asec: ("inverse_trig", lambda u: 1 / (sympy.Abs(u) * sympy.sqrt(u**2 - 1))),
    sympy.acsc: ("inverse_trig", lambda u: -1 / (sympy.Abs(u) * sympy.sqrt(u**2 - 1))),
    sympy.sinh: ("hyperbolic", lambda u: sympy.cosh(u)),
    sympy.cosh: ("hyperbolic", lambda u: sympy.sinh(u)),
    sympy.tanh: ("hyperbolic", lambda u: sympy.sech(u) ** 2),
    sympy.coth: ("hyperbolic", lambda u: -(sympy.csch(u) ** 2)),
    sympy.sech: ("hyperbolic", lambda u: -sympy.sech(u) * sympy.tanh(u)),
    sympy.csch: ("hyperbolic", lambda u: -sympy.csch(u) * sympy.coth(u)),
    sympy.asinh: ("inverse_hyperbolic", lambda u: 1 / sympy.sqrt(u**2 + 1)),
    sympy.acosh: ("inverse_hyperbolic", lambda u: 1 / sympy.sqrt(u**2 - 1)),
    sympy.atanh: ("inverse_hyperbolic", lambda u: 1 / (1 - u**2)),
    sympy.acoth: ("inverse_hyperbolic", lambda u: 1 / (1 - u**2)),
    sympy.asech: ("inverse_hyperbolic", lambda u: -1 / (u * sympy.sqrt(1 - u**2))),
    sympy.acsch: ("inverse_hyperbolic", lambda u: -1 / (sympy.Abs(u) * sympy.sqrt(1 + u**2))),
}


# --- reading the expression as typed -----------------------------------------------------------------


def typed_product(factors: list) -> sympy.Expr:
    """The factors as one unevaluated product (a single factor stands alone, none is 1).

    >>> x = sympy.Symbol("x")
    >>> typed_product([sympy.Integer(5), x, sympy.Integer(3)]), typed_product([x]), typed_product([])
    (5*x*3, x, 1)
    """
    if not factors:
        return sympy.S.One
    return factors[0] if len(factors) == 1 else sympy.Mul(*factors, evaluate=False)


def _typed_quotient(numerator: list, divisors: list) -> sympy.Expr:
    reciprocals = [sympy.Pow(d, -1, evaluate=False) for d in divisors]
    return typed_product([*numerator, *reciprocals])


def without_re_im(expr: sympy.Expr) -> sympy.Expr:
    """Every variable is real here: SymPy's ``|2^x| = 2^re(x)`` becomes ``2^x``.

    >>> x = sympy.Symbol("x")
    >>> without_re_im(sympy.Abs(2**x) * sympy.Abs(sympy.exp(x)))
    2**x*exp(x)
    """
    if not expr.has(sympy.re, sympy.im):
        return expr
    return expr.replace(sympy.re, lambda arg: arg).replace(sympy.im, lambda arg: sympy.S.Zero)


def _product(*factors) -> sympy.Expr:
    """The evaluated product of pieces (typed pieces are evaluated first)."""
    return sympy.Mul(*(evaluated(f) for f in factors))


# --- one derivation: fresh names and the dispatch ------------------------------------------------------

_FRESH_NAMES = ("u", "v", "w", "p", "q", "r", "s", "t")


def _fresh_names(taken: set[str]) -> Iterator[str]:
    """u, v, w, … then u_1, u_2, …, skipping names the expression already uses."""
    for name in _FRESH_NAMES:
        if name not in taken:
            yield name
    index = 1
    while True:
        if f"u_{index}" not in taken:
            yield f"u_{index}"
        index += 1


class Derivation:
    """The state of one derivation: the supply of fresh names for the chain rule (never one used twice)."""

    def __init__(self, expr: sympy.Expr, var: sympy.Symbol):
        taken = {symbol.name for symbol in expr.free_symbols} | {var.name}
        self._names = _fresh_names(taken)

    def fresh_symbol(self) -> sympy.Symbol:
        return sympy.Symbol(next(self._names))

    def step(self, expr: sympy.Expr, var: sympy.Symbol) -> Step:
        """The derivation of ``expr`` by the rule that fits it; an unexpected failure falls back to diff."""
        if var not in expr.free_symbols:
            return constant_rule(self, expr, var)
        try:
            step = _choose_rule(expr, var)(self, expr, var)
        except Exception:  # a rule's bug must not cost the student the derivative
            return fallback_rule(self, expr, var)
        return replace(step, result=without_re_im(step.result))


def derive(expr: sympy.Expr, var: sympy.Symbol) -> Step:
    """The step tree of ``d(expr)/d(var)`` as typed, before any simplification.

    >>> x = sympy.Symbol("x")
    >>> step = derive(x**2 * sympy.sin(x), x)
    >>> step.rule, step.result, [s.rule for s in step.substeps]
    ('product', x**2*cos(x) + 2*x*sin(x), ['power', 'trig'])
    """
    return Derivation(expr, var).step(expr, var)


def _choose_rule(expr: sympy.Expr, var: sympy.Symbol) -> Callable:
    if expr == var:
        return variable_rule
    if expr.is_Add:
        return sum_rule
    if expr.is_Mul:
        return multiplication_rule
    if expr.is_Pow:
        return power_like_rule
    if isinstance(expr, sympy.exp):
        return exp_function_rule
    if isinstance(expr, sympy.log):
        return logarithm_rule
    if isinstance(expr, sympy.Abs):
        return abs_rule
    if type(expr) in ELEMENTARY:
        return elementary_rule
    return fallback_rule


def _direct_or_chain(derivation: Derivation, expr, var, position: int, direct: Callable) -> Step:
    """``direct`` when the argument at ``position`` is the variable itself, else the chain rule through it."""
    if expr.args[position] == var:
        return direct(expr, var)
    return chain_rule(derivation, expr, var, position)


def _with_argument(expr: sympy.Expr, position: int, argument: sympy.Expr) -> sympy.Expr:
    """``expr`` with one argument replaced, unevaluated: ``sin(x^2)`` with ``u`` at 0 is ``sin(u)``."""
    args = list(expr.args)
    args[position] = argument
    return expr.func(*args, evaluate=False)


# --- rules for the basic functions ---------------------------------------------------------------------


def constant_rule(derivation, expr, var) -> Step:
    return Step("constant", expr, var.name, sympy.S.Zero)


def variable_rule(derivation, expr, var) -> Step:
    return Step("variable", expr, var.name, sympy.S.One)


def _power(expr, var) -> Step:
    n = evaluated(expr.exp)
    return Step("power", expr, var.name, n * var ** (n - 1), parts=(("n", expr.exp),))


def _natural_exp(expr, var) -> Step:
    return Step("exp", expr, var.name, sympy.exp(var), function="exp")


def _exp_base(expr, var) -> Step:
    base = evaluated(expr.base)
    if base == 0:
        raise ValueError("0^x has no logarithm of its base")
    return Step("exp_base", expr, var.name, base**var * sympy.log(base), parts=(("a", expr.base),))


def _natural_log(expr, var) -> Step:
    return Step("log", expr, var.name, 1 / var, function="log")


def _log_base(expr, var) -> Step:
    base = expr.args[1]
    return Step("log_base", expr, var.name, 1 / (var * sympy.log(evaluated(base))), parts=(("b", base),))


def _absolute(expr, var) -> Step:
    return Step("abs", expr, var.name, var / sympy.Abs(var), function="abs", undefined_where=var)


def _elementary(expr, var) -> Step:
    rule, derivative = ELEMENTARY[type(expr)]
    return Step(rule, expr, var.name, derivative(var), function=type(expr).__name__)


def power_like_rule(derivation, expr, var) -> Step:
    """``f^n``, ``a^g``, ``e^g`` or ``f^g``, by which of base and exponent depend on the variable."""
    base, exponent = expr.args
    if var in base.free_symbols and var in exponent.free_symbols:
        return logarithmic_differentiation_rule(derivation, expr, var)
    if var in base.free_symbols:
        return _direct_or_chain(derivation, expr, var, 0, _power)
    return _direct_or_chain(derivation, expr, var, 1, _natural_exp if base == sympy.E else _exp_base)


def exp_function_rule(derivation, expr, var) -> Step:
    return _direct_or_chain(derivation, expr, var, 0, _natural_exp)


def logarithm_rule(derivation, expr, var) -> Step:
    if len(expr.args) == 2 and var in expr.args[1].free_symbols:
        return fallback_rule(derivation, expr, var)  # log base f(x): no rule a student meets
    return _direct_or_chain(derivation, expr, var, 0, _log_base if len(expr.args) == 2 else _natural_log)


def abs_rule(derivation, expr, var) -> Step:
    return _direct_or_chain(derivation, expr, var, 0, _absolute)


def elementary_rule(derivation, expr, var) -> Step:
    return _direct_or_chain(derivation, expr, var, 0, _elementary)


# --- rules for combining -------------------------------------------------------------------------------


def sum_rule(derivation, expr, var) -> Step:
    """``(f ± g)' = f' ± g'``; a typed ``-g`` contributes the substep for ``g``."""
    signed_terms = [negated(term) for term in expr.args]
    substeps = tuple(derivation.step(term, var) for _, term in signed_terms)
    derivatives = [
        -evaluated(step.result) if negative else evaluated(step.result)
        for (negative, _), step in zip(signed_terms, substeps, strict=True)
    ]
    return Step("sum", expr, var.name, sympy.Add(*derivatives), substeps)


def multiplication_rule(derivation, expr, var) -> Step:
    """A typed product: constant multiple, quotient (a division was typed) or product rule."""
    numerator, divisors = split_division(expr.args)
    constants = [f for f in numerator if var not in f.free_symbols]
    constants += [sympy.Pow(d, -1, evaluate=False) for d in divisors if var not in d.free_symbols]
    numerator = [f for f in numerator if var in f.free_symbols]
    divisors = [d for d in divisors if var in d.free_symbols]
    rest = _typed_quotient(numerator, divisors)
    if constants and evaluated(typed_product(constants)) != 1:
        return constant_multiple_rule(derivation, expr, var, typed_product(constants), rest)
    if numerator and divisors:
        return quotient_rule(derivation, expr, var, typed_product(numerator), typed_product(divisors))
    if not rest.is_Mul:
        return derivation.step(rest, var)  # e.g. 1/x: the power rule for x^-1
    return product_rule(derivation, rest, var)


def constant_multiple_rule(derivation, expr, var, constant, rest) -> Step:
    """``(c f)' = c f'``."""
    substep = derivation.step(rest, var)
    result = _product(constant, substep.result)
    return Step("constant_multiple", expr, var.name, result, (substep,), parts=(("c", constant), ("f", rest)))


def product_rule(derivation, expr, var) -> Step:
    """``(f g h)' = f' g h + f g' h + f g h'``: each factor differentiated once."""
    factors = expr.args
    substeps = tuple(derivation.step(factor, var) for factor in factors)
    terms = [_product(*factors[:i], step.result, *factors[i + 1 :]) for i, step in enumerate(substeps)]
    names = ("f", "g") if len(factors) == 2 else tuple(f"f_{i + 1}" for i in range(len(factors)))
    return Step(
        "product", expr, var.name, sympy.Add(*terms), substeps, parts=tuple(zip(names, factors, strict=True))
    )


def quotient_rule(derivation, expr, var, numerator, denominator) -> Step:
    """``(f/g)' = (f' g - f g') / g^2``, kept in that shape."""
    f_step, g_step = derivation.step(numerator, var), derivation.step(denominator, var)
    parts = (("f", numerator), ("g", denominator))
    top = _difference(_product(f_step.result, denominator), _product(numerator, g_step.result))
    bottom = evaluated(denominator) ** 2
    if top == 0:
        return Step("quotient", expr, var.name, sympy.S.Zero, (f_step, g_step), parts=parts)
    result = sympy.Mul(top, sympy.Pow(bottom, -1, evaluate=False), evaluate=False)
    return Step("quotient", expr, var.name, result, (f_step, g_step), parts=parts)


def _difference(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    """``a - b`` as a student writes it: unevaluated, without a term that is 0."""
    if b == 0 or a == 0:
        return a - b
    subtracted = -b if b.could_extract_minus_sign() else sympy.Mul(-1, b, evaluate=False)
    return sympy.Add(a, subtracted, evaluate=False)


def chain_rule(derivation, expr, var, position: int) -> Step:
    """``dy/dx = dy/du · du/dx``: ``u`` (a name never used before) stands for the argument at ``position``."""
    u = derivation.fresh_symbol()
    inner = expr.args[position]
    outer = _with_argument(expr, position, u)
    outer_step = derivation.step(outer, u)
    inner_step = derivation.step(inner, var)
    inner_value = evaluated(inner)
    result = _product(outer_step.result.xreplace({u: inner_value}), inner_step.result)
    undefined = outer_step.undefined_where
    return Step(
        "chain",
        expr,
        var.name,
        result,
        (outer_step, inner_step),
        substitution=u.name,
        inner=inner,
        outer=outer,
        undefined_where=None if undefined is None else undefined.xreplace({u: inner_value}),
    )


def logarithmic_differentiation_rule(derivation, expr, var) -> Step:
    """``y = f^g``: ``ln y = g ln f``, so ``y' = f^g (g ln f)'``."""
    base, exponent = expr.args
    logarithm = sympy.Mul(exponent, sympy.log(base, evaluate=False), evaluate=False)
    substep = derivation.step(logarithm, var)
    result = _product(expr, substep.result)
    parts = (("f", base), ("g", exponent))
    return Step("logarithmic_differentiation", expr, var.name, result, (substep,), parts=parts)


def fallback_rule(derivation, expr, var) -> Step:
    """No rule fits: SymPy computes the derivative, and the step says so."""
    try:
        result = sympy.diff(evaluated(expr), var)
    except Exception:
        result = sympy.Derivative(expr, var)
    return Step("fallback", expr, var.name, result)
