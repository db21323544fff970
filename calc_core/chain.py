"""The chain rule: one-variable compositions y = f(u), u = g(x) (to three levels), and the many-variable rule
∂y/∂xᵢ = Σⱼ ∂y/∂uⱼ · ∂uⱼ/∂xᵢ with its Jacobians, on expressions as the student typed them.

Everything returns plain data (str, float, lists, dicts): the page receives it from the sandboxed worker
(``calc_core.tasks``), where these functions run on user input. Numbers are float64 through
``calc_core.numeric.compile_numeric`` (real values; NaN where a value is not a real number).

- :func:`split_composition` finds the outer and inner function of a composite typed whole:
  ``sin(x^2) + 1`` is f(u) = sin(u) + 1 with u = g(x) = x²; with three levels, ``exp(sin(x^2))`` is
  e^u, u = sin(v), v = x². The cut is at the outermost non-linear operation (a function, a power): what
  only scales or shifts it stays with the outer function.
- :func:`one_variable_chain`: each factor dy/du, du/dx symbolically and at a point, their product, the
  derivative of the composite computed directly (it must agree), and how a nudge Δx passes through.
- :func:`many_variable_chain`: every partial ∂y/∂uⱼ and ∂uⱼ/∂xᵢ, the sum written out term by term, its
  value at a point, the same as a product of Jacobians, and a check against the composite's own partials.

>>> from calc_core.parser import parse_expression
>>> [str(part) for part in split_composition(parse_expression("exp(sin(x^2))"), "x", 3)]
['exp(u)', 'sin(v)', 'x**2']
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import sympy

from calc_core.numeric import compile_numeric
from calc_core.parser import evaluated, format_expression, parse_expression
from calc_core.printing import expression_latex
from calc_core.results import CompositeSplit, ManyVariableChain, OneVariableChain
from calc_core.steps import simplify_result
from calc_core.task_arguments import finite

# Seconds each derivative may spend being tidied (steps.simplify_result), so that a page stays fast.
SIMPLIFY_BUDGET = 0.05
# The nudges Δx of the picture, largest first: the chain rule's estimate gets better as Δx shrinks.
NUDGES = (1.0, 0.5, 0.2, 0.1, 0.05, 0.01, 0.001)
# A one-variable composition's variables, outermost first: y = f(u), u = g(v), v = h(x).
OUTPUT = "y"
INTERMEDIATES = ("u", "v")
INPUT = "x"
# The chain-rule sum and the composite's own partials must agree to this relative tolerance.
RELATIVE_TOLERANCE = 1e-7
# Extra points (offsets from the student's point) at which the two are compared, beyond the point itself.
CHECK_OFFSETS = (0.37, -0.61, 1.13)


# --- trees as typed ------------------------------------------------------------------------------------


def rebuild(expr: sympy.Basic, replace: dict) -> sympy.Basic:
    """``expr`` with the subtrees in ``replace`` replaced, keeping the rest exactly as typed (unevaluated).

    SymPy's ``subs`` and ``xreplace`` evaluate what they rebuild (``5*x*3*x`` would become ``15*x**2``).

    >>> from calc_core.parser import parse_expression
    >>> x, u = sympy.symbols("x u")
    >>> rebuild(parse_expression("5*x*3*x"), {x: u})
    5*u*3*u
    """
    if expr in replace:
        return replace[expr]
    if not expr.args:
        return expr
    return expr.func(*(rebuild(arg, replace) for arg in expr.args), evaluate=False)


def rename(expr: sympy.Basic, old: str, new: str) -> sympy.Basic:
    """The variable ``old`` renamed ``new``, as typed: f typed in x is read as f(u)."""
    if old == new:
        return expr
    return rebuild(expr, {sympy.Symbol(old): sympy.Symbol(new)})


def on_the_reals(expr: sympy.Basic) -> sympy.Basic:
    """The evaluated expression with real variables, so that SymPy differentiates |x| as sign(x)."""
    value = evaluated(expr)
    return value.xreplace({s: sympy.Symbol(s.name, real=True) for s in value.free_symbols})


def _plain(expr: sympy.Basic) -> sympy.Basic:
    """Real variables back to plain ones (the numeric compiler and the printer only need the names)."""
    return expr.xreplace({s: sympy.Symbol(s.name) for s in expr.free_symbols})


def derivative(expr: sympy.Basic, name: str) -> sympy.Basic:
    """d(expr)/d(name) on the reals, tidied within SIMPLIFY_BUDGET.

    >>> from calc_core.parser import parse_expression
    >>> derivative(parse_expression("abs(x) + x^3"), "x")
    3*x**2 + sign(x)
    """
    real = on_the_reals(expr)
    return _plain(simplify_result(sympy.diff(real, sympy.Symbol(name, real=True)), SIMPLIFY_BUDGET))


def value_at(expr: sympy.Basic, point: dict[str, float]) -> float:
    """The value at a point (a dict of every variable the expression uses); NaN if not a real number."""
    names = sorted(point)
    try:
        function = compile_numeric(expr, names)
    except ValueError:  # something the numeric compiler does not know (SymPy's Derivative, re, …)
        return math.nan
    return float(function(*(np.array([point[n]], dtype=np.float64) for n in names))[0])


def agree_to_rounding(a: float, b: float) -> bool:
    """Two ways to the same number agree: both finite and equal to RELATIVE_TOLERANCE (or 1e-9 near 0).

    >>> (
    ...     agree_to_rounding(2.0, 2.0 + 1e-9),
    ...     agree_to_rounding(2.0, 2.001),
    ...     agree_to_rounding(1.0, float("nan")),
    ... )
    (True, False, False)
    """
    return (
        math.isfinite(a) and math.isfinite(b) and math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-9)
    )


# --- splitting a composite ---------------------------------------------------------------------------


def _is_linear_layer(node: sympy.Basic) -> bool:
    """A layer that only shifts or scales its one varying argument (the others are constants)."""
    return node.is_Add or node.is_Mul


def _spine(expr: sympy.Basic, var: sympy.Symbol) -> list[tuple[sympy.Basic, int]]:
    """The layers from the root down along which exactly one argument contains ``var``."""
    layers = []
    node = expr
    while node != var:
        varying = [i for i, arg in enumerate(node.args) if var in arg.free_symbols]
        if len(varying) != 1:
            break
        layers.append((node, varying[0]))
        node = node.args[varying[0]]
    return layers


def _cut(layers: list[tuple[sympy.Basic, int]], depth: int, symbol: sympy.Symbol) -> sympy.Basic:
    """The outer function: the layers above ``depth`` with the subtree at ``depth`` replaced by ``symbol``."""
    built = symbol
    for node, index in reversed(layers[:depth]):
        args = list(node.args)
        args[index] = built
        built = node.func(*args, evaluate=False)
    return built


def _split_once(expr: sympy.Basic, var: sympy.Symbol, symbol: sympy.Symbol):
    layers = _spine(expr, var)
    nonlinear = next((i for i, (node, _) in enumerate(layers) if not _is_linear_layer(node)), None)
    if nonlinear is None:  # only shifts and scales on the way down, or x appears more than once
        occurrences = sum(1 for node in _subtrees(expr) if node == var)
        return _split_repeated(expr, var, symbol) if occurrences > 1 else None
    node, index = layers[nonlinear]
    inner = node.args[index]
    if inner != var:
        return _cut(layers, nonlinear + 1, symbol), inner
    if nonlinear == 0:
        return None  # sin(x), x^2: one function of x, not a composition
    return _cut(layers, nonlinear, symbol), node  # 2 sin(x) + 1: f(u) = 2u + 1, u = sin(x)


def _subtrees(expr: sympy.Basic):
    yield expr
    for arg in expr.args:
        yield from _subtrees(arg)


def _split_repeated(expr: sympy.Basic, var: sympy.Symbol, symbol: sympy.Symbol):
    """An inner function that appears more than once: (x²)³ − 2x² is u³ − 2u with u = x².

    The largest subtree (not the whole, not x itself) whose every occurrence, replaced by u, leaves no x.
    """
    candidates = {
        node for node in _subtrees(expr) if node != expr and node != var and var in node.free_symbols
    }
    for inner in sorted(candidates, key=lambda node: (sympy.count_ops(node), str(node)), reverse=True):
        outer = rebuild(expr, {inner: symbol})
        if var not in outer.free_symbols:
            return outer, inner
    return None


def split_composition(expr: sympy.Basic, var: str = INPUT, levels: int = 2) -> list[sympy.Basic] | None:
    """The functions of a composite, outermost first, in u, (v,) and x; None if it is not a composition.

    With ``levels=3`` the inner function is split again when it can be; otherwise two parts come back.

    >>> from calc_core.parser import parse_expression
    >>> [str(p) for p in split_composition(parse_expression("2sin(3x + 1)^2 + 5"))]
    ['2*u**2 + 5', 'sin(3*x + 1)']
    >>> split_composition(parse_expression("x*sin(x)")) is None
    True
    """
    x = sympy.Symbol(var)
    first = _split_once(expr, x, sympy.Symbol(INTERMEDIATES[0]))
    if first is None:
        return None
    outer, inner = first
    if levels < 3:
        return [outer, inner]
    second = _split_once(inner, x, sympy.Symbol(INTERMEDIATES[1]))
    return [outer, inner] if second is None else [outer, *second]


# --- one variable ------------------------------------------------------------------------------------


def stage_names(levels: int) -> tuple[list[str], list[str]]:
    """Each function's output and argument, outermost first: (["y", "u"], ["u", "x"]) for two levels."""
    intermediates = list(INTERMEDIATES[: levels - 1])
    return [OUTPUT, *intermediates], [*intermediates, INPUT]


def compose(functions: Sequence[sympy.Basic], arguments: Sequence[str]) -> sympy.Basic:
    """f(g(h(x))) as typed, from the functions outermost first and their variables (u, v, x).

    >>> from calc_core.parser import parse_expression
    >>> compose([parse_expression("sin(u)", ("u",)), parse_expression("x^2")], ["u", "x"])
    sin(x**2)
    """
    composite = functions[-1]
    for function, argument in zip(reversed(functions[:-1]), reversed(arguments[:-1]), strict=True):
        composite = rebuild(function, {sympy.Symbol(argument): composite})
    return composite


def one_variable_chain(
    functions: Sequence[sympy.Basic], x0: float, nudges: Sequence[float] = NUDGES
) -> OneVariableChain:
    """dy/dx = dy/du · du/dx (· dv/dx) for f(u), g(x) (or f(u), g(v), h(x)), symbolically and at x0.

    ``functions``: outermost first, each in its own variable (u, v, x). Keys of the result:

    - ``outputs``, ``arguments``: the names (["y", "u"], ["u", "x"]);
    - ``functions``: per function ``latex`` (as typed), ``derivative_latex``, ``value`` (at the point),
      ``argument_value``, ``slope`` (its derivative there);
    - ``composite_latex``, ``chain_latex`` (the product of the factors with the inner functions put in),
      ``direct_latex`` (SymPy's derivative of the composite), ``x0``, ``y0``, ``product`` (of the slopes),
      ``direct_value``, ``agree``;
    - ``nudges``: per Δx the actual change of each stage (``actual``, outermost first, then Δx) and the
      chain rule's estimate (``estimate``: the product of the slopes below it, times Δx).

    >>> from calc_core.parser import parse_expression
    >>> result = one_variable_chain([parse_expression("sin(u)", ("u",)), parse_expression("x^2")], 1.0)
    >>> [f["slope"] for f in result["functions"]], round(result["product"], 6), result["agree"]
    ([0.5403023058681398, 2.0], 1.080605, True)
    """
    outputs, arguments = stage_names(len(functions))
    derivatives = [derivative(f, arg) for f, arg in zip(functions, arguments, strict=True)]
    composite = compose(functions, arguments)
    direct = derivative(composite, INPUT)

    # Values at the point, innermost first: x0 → v0 → u0 → y0.
    argument_values = {INPUT: float(x0)}
    for function, argument, output in reversed(list(zip(functions, arguments, outputs, strict=True))):
        argument_values[output] = value_at(function, {argument: argument_values[argument]})
    slopes = [value_at(d, {arg: argument_values[arg]}) for d, arg in zip(derivatives, arguments, strict=True)]
    product = math.prod(slopes)
    direct_value = value_at(direct, {INPUT: float(x0)})

    # The factors with the inner functions put in: f'(g(x)) · g'(x).
    inner_of = {
        arguments[i]: compose(functions[i + 1 :], arguments[i + 1 :]) for i in range(len(functions) - 1)
    }
    factors = [
        _plain(evaluated(d).xreplace({sympy.Symbol(arg): evaluated(inner_of[arg])})) if arg in inner_of else d
        for d, arg in zip(derivatives, arguments, strict=True)
    ]
    chain = sympy.Mul(*factors, evaluate=False)

    return {
        "outputs": outputs,
        "arguments": arguments,
        "functions": [
            {
                "latex": expression_latex(f),
                "derivative_latex": expression_latex(d),
                "value": argument_values[output],
                "argument_value": argument_values[argument],
                "slope": slope,
            }
            for f, d, output, argument, slope in zip(
                functions, derivatives, outputs, arguments, slopes, strict=True
            )
        ],
        "composite_latex": expression_latex(composite),
        "chain_latex": r" \cdot ".join(_factor_latex(f) for f in factors),
        "chain_result_latex": expression_latex(simplify_result(chain, SIMPLIFY_BUDGET)),
        "direct_latex": expression_latex(direct),
        "x0": float(x0),
        "y0": argument_values[OUTPUT],
        "product": product,
        "direct_value": direct_value,
        "agree": agree_to_rounding(product, direct_value),
        "nudges": _nudges(functions, arguments, outputs, argument_values, slopes, nudges),
    }


def _factor_latex(expr: sympy.Basic) -> str:
    tex = expression_latex(expr)
    return rf"\left({tex}\right)" if expr.is_Add or tex.startswith("-") else tex


def _nudges(functions, arguments, outputs, base_values, slopes, nudges) -> list[dict]:
    """For each Δx: each stage's actual change, and the chain rule's estimate (slopes multiplied)."""
    rows = []
    for dx in nudges:
        values = {INPUT: base_values[INPUT] + dx}
        for function, argument, output in reversed(list(zip(functions, arguments, outputs, strict=True))):
            values[output] = value_at(function, {argument: values[argument]})
        estimate, estimates = dx, {}
        for slope, output in reversed(list(zip(slopes, outputs, strict=True))):
            estimate *= slope
            estimates[output] = estimate
        rows.append(
            {
                "dx": dx,
                "actual": [values[name] - base_values[name] for name in outputs],
                "estimate": [estimates[name] for name in outputs],
            }
        )
    return rows


# --- many variables ----------------------------------------------------------------------------------


def many_variable_chain(
    outer: sympy.Basic,
    outer_variables: Sequence[str],
    inners: Sequence[sympy.Basic],
    inner_variables: Sequence[str],
    point: Sequence[float],
) -> ManyVariableChain:
    """∂y/∂xᵢ = Σⱼ ∂y/∂uⱼ · ∂uⱼ/∂xᵢ for y(u₁, …, u_m) and uⱼ(x₁, …, xₙ), symbolically and at a point.

    ``inners[j]`` is the function for ``outer_variables[j]``; ``point`` gives the ``inner_variables``'
    values. Keys of the result (j over the u's, i over the x's):

    - ``outer_latex``, ``inner_latex[j]``, ``composite_latex``;
    - ``dy_du_latex[j]``, ``du_dx_latex[j][i]`` (each in its own variables), ``sum_latex[i]`` (the sum
      with the u's put in, tidied), ``direct_latex[i]`` (the composite's own partial, by SymPy);
    - ``jacobian_outer_latex`` (1×m), ``jacobian_inner_latex`` (m×n), ``jacobian_product_latex`` (1×n);
    - at the point: ``point``, ``u_values[j]``, ``dy_du[j]``, ``du_dx[j][i]``, ``terms[i][j]``,
      ``sums[i]``, ``direct[i]``, ``agree[i]`` (the sum equals the direct partial at the point and at
      a few points nearby).

    >>> from calc_core.parser import parse_expression
    >>> us, xs = ("u1", "u2"), ("x1", "x2")
    >>> outer = parse_expression("u1^2 + u2^2", us)
    >>> inners = [parse_expression("x1*x2", xs), parse_expression("x1 + x2", xs)]
    >>> result = many_variable_chain(outer, us, inners, xs, (1.0, 2.0))
    >>> result["terms"], result["sums"], result["agree"]
    ([[8.0, 6.0], [4.0, 6.0]], [14.0, 10.0], [True, True])
    """
    us = [sympy.Symbol(name, real=True) for name in outer_variables]
    xs = [sympy.Symbol(name, real=True) for name in inner_variables]
    outer_real = on_the_reals(outer)
    inners_real = [on_the_reals(inner) for inner in inners]
    jacobian_outer = sympy.Matrix([outer_real]).jacobian(us).applyfunc(_tidy)
    jacobian_inner = sympy.Matrix(inners_real).jacobian(xs).applyfunc(_tidy)
    put_in = dict(zip(us, inners_real, strict=True))
    sums = (jacobian_outer.xreplace(put_in) * jacobian_inner).applyfunc(_tidy)
    composite = rebuild(
        outer, {sympy.Symbol(u): inner for u, inner in zip(outer_variables, inners, strict=True)}
    )
    composite_real = on_the_reals(composite)
    direct = [_tidy(sympy.diff(composite_real, x)) for x in xs]

    at_x = {name: float(value) for name, value in zip(inner_variables, point, strict=True)}
    u_values = [value_at(_plain(inner), at_x) for inner in inners_real]
    at_u = dict(zip(outer_variables, u_values, strict=True))
    dy_du = [value_at(_plain(d), at_u) for d in jacobian_outer]
    du_dx = [[value_at(_plain(jacobian_inner[j, i]), at_x) for i in range(len(xs))] for j in range(len(us))]
    terms = [[dy_du[j] * du_dx[j][i] for j in range(len(us))] for i in range(len(xs))]
    sum_values = [math.fsum(row) if all(math.isfinite(t) for t in row) else math.nan for row in terms]
    direct_values = [value_at(_plain(d), at_x) for d in direct]

    return {
        "outer_variables": list(outer_variables),
        "inner_variables": list(inner_variables),
        "outer_latex": expression_latex(outer),
        "inner_latex": [expression_latex(inner) for inner in inners],
        "composite_latex": expression_latex(composite),
        "dy_du_latex": [expression_latex(_plain(d)) for d in jacobian_outer],
        "du_dx_latex": [
            [expression_latex(_plain(jacobian_inner[j, i])) for i in range(len(xs))] for j in range(len(us))
        ],
        "sum_latex": [expression_latex(_plain(s)) for s in sums],
        "direct_latex": [expression_latex(_plain(d)) for d in direct],
        "jacobian_outer_latex": sympy.latex(_plain(jacobian_outer)),
        "jacobian_inner_latex": sympy.latex(_plain(jacobian_inner)),
        "jacobian_product_latex": sympy.latex(_plain(sums)),
        "point": [at_x[name] for name in inner_variables],
        "u_values": u_values,
        "dy_du": dy_du,
        "du_dx": du_dx,
        "terms": terms,
        "sums": sum_values,
        "direct": direct_values,
        "agree": [
            agree_to_rounding(sum_values[i], direct_values[i])
            and _agree_nearby(list(sums)[i], direct[i], at_x)
            for i in range(len(xs))
        ],
    }


def _tidy(expr: sympy.Basic) -> sympy.Basic:
    return simplify_result(expr, SIMPLIFY_BUDGET)


def _agree_nearby(a: sympy.Basic, b: sympy.Basic, point: dict[str, float]) -> bool:
    """a and b do not disagree at a few points near ``point`` (where both are defined)."""
    if a == b:
        return True
    for offset in CHECK_OFFSETS:
        shifted = {name: value + offset * (k + 1) for k, (name, value) in enumerate(point.items())}
        va, vb = value_at(_plain(a), shifted), value_at(_plain(b), shifted)
        if math.isfinite(va) and math.isfinite(vb) and not agree_to_rounding(va, vb):
            return False
    return True


# --- the worker tasks of the chain rule page ------------------------------------------------------------

CHAIN_LEVELS = (2, 3)


def split_composite(text: str, levels: int) -> CompositeSplit:
    """A composite of x split into its functions, outermost first, as parser text (``parts``; None if it
    is not a composition). See :func:`split_composition`.

    >>> split_composite("sin(x^2) + 1", 2)
    {'parts': ['sin(u) + 1', 'x^2']}
    >>> split_composite("x*sin(x)", 2)
    {'parts': None}
    """
    if levels not in CHAIN_LEVELS:
        raise ValueError(f"levels must be one of {CHAIN_LEVELS}")
    parts = split_composition(parse_expression(text, (INPUT,)), INPUT, levels)
    return {"parts": None if parts is None else [format_expression(part) for part in parts]}


def chain_of_composition(stages: tuple[tuple[str, str], ...], x0: float) -> OneVariableChain:
    """:func:`one_variable_chain` for two or three functions given as text, outermost first.

    Each stage is (text, the variable it is written in): its own variable (u, v; x for the innermost), or
    x, which is then read as its own variable (f(x) = sin(x) as the outer function means f(u) = sin(u)).

    >>> result = chain_of_composition((("sin(x)", "x"), ("x^2", "x")), 1.0)
    >>> print(result["functions"][0]["latex"], round(result["product"], 6))
    \\sin{\\left(u \\right)} 1.080605
    """
    if len(stages) not in CHAIN_LEVELS:
        raise ValueError(f"a composition has {CHAIN_LEVELS} functions")
    _, arguments = stage_names(len(stages))
    functions = []
    for (text, written_in), argument in zip(stages, arguments, strict=True):
        if written_in not in (argument, INPUT):
            raise ValueError(f"{written_in!r} is not a variable of this function")
        functions.append(rename(parse_expression(text, (written_in,)), written_in, argument))
    return one_variable_chain(functions, finite(x0))


def chain_of_many(
    outer_text: str,
    outer_variables: tuple[str, ...],
    inner_texts: tuple[str, ...],
    inner_variables: tuple[str, ...],
    point: tuple[float, ...],
) -> ManyVariableChain:
    """:func:`many_variable_chain` of text: y(u₁, …, u_m), uⱼ(x₁, …, xₙ), at a point of the x's.

    >>> chain_of_many("u1^2 + u2^2", ("u1", "u2"), ("x1*x2", "x1 + x2"), ("x1", "x2"), (1.0, 2.0))["sums"]
    [14.0, 10.0]
    """
    if len(inner_texts) != len(outer_variables) or len(point) != len(inner_variables):
        raise ValueError("one inner function per outer variable, one value per inner variable")
    outer = parse_expression(outer_text, outer_variables)
    inners = [parse_expression(text, inner_variables) for text in inner_texts]
    return many_variable_chain(outer, outer_variables, inners, inner_variables, [finite(v) for v in point])
