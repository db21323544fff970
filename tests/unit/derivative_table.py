"""Hand-checked derivatives: what a student types, and the derivative worked out by hand.

Each case names the rule it is there to show (it must appear in the step tree). The expected text is parsed
with the app's own parser, then checked twice in tests/unit/test_steps.py: against the step engine, and
against ``sympy.diff`` (so that a slip in this table is caught, not trusted).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DerivativeCase:
    text: str  # as a student types it
    expected: str  # d(text)/d(var), worked out by hand
    rule: str  # a rule id the step tree must use
    var: str = "x"
    variables: tuple[str, ...] = ("x",)


XY = ("x", "y")
X1X2 = ("x1", "x2")

TABLE: tuple[DerivativeCase, ...] = (
    # constants and the variable
    DerivativeCase("7", "0", "constant"),
    DerivativeCase("pi", "0", "constant"),
    DerivativeCase("e^2", "0", "constant"),
    DerivativeCase("sin(y)*y^2", "0", "constant", variables=XY),
    DerivativeCase("x", "1", "variable"),
    # powers: positive, negative, fractional, roots
    DerivativeCase("x^2", "2x", "power"),
    DerivativeCase("x^5", "5x^4", "power"),
    DerivativeCase("x^-2", "-2x^-3", "power"),
    DerivativeCase("1/x", "-1/x^2", "power"),
    DerivativeCase("sqrt(x)", "1/(2sqrt(x))", "power"),
    DerivativeCase("√x", "1/(2sqrt(x))", "power"),
    DerivativeCase("cbrt(x)", "1/(3x^(2/3))", "power"),
    DerivativeCase("root(x, 4)", "1/(4x^(3/4))", "power"),
    DerivativeCase("x^(1/3)", "(1/3)x^(-2/3)", "power"),
    DerivativeCase("x^(3/2)", "(3/2)sqrt(x)", "power"),
    DerivativeCase("x^0.5", "0.5x^(-0.5)", "power"),
    DerivativeCase("x^pi", "pi x^(pi - 1)", "power"),
    DerivativeCase("x^y", "y x^(y - 1)", "power", variables=XY),
    DerivativeCase("x³", "3x^2", "power"),
    # exponentials
    DerivativeCase("e^x", "e^x", "exp"),
    DerivativeCase("exp(x)", "exp(x)", "exp"),
    DerivativeCase("2^x", "2^x ln(2)", "exp_base"),
    DerivativeCase("10^x", "10^x ln(10)", "exp_base"),
    DerivativeCase("(1/2)^x", "-(1/2)^x ln(2)", "exp_base"),
    DerivativeCase("y^x", "y^x ln(y)", "exp_base", variables=XY),
    # logarithms
    DerivativeCase("ln(x)", "1/x", "log"),
    DerivativeCase("log(x)", "1/x", "log"),
    DerivativeCase("log(x, 2)", "1/(x ln(2))", "log_base"),
    DerivativeCase("log(x, 10)", "1/(x ln(10))", "log_base"),
    # trigonometric functions
    DerivativeCase("sin(x)", "cos(x)", "trig"),
    DerivativeCase("cos(x)", "-sin(x)", "trig"),
    DerivativeCase("tan(x)", "sec(x)^2", "trig"),
    DerivativeCase("cot(x)", "-csc(x)^2", "trig"),
    DerivativeCase("sec(x)", "sec(x)tan(x)", "trig"),
    DerivativeCase("csc(x)", "-csc(x)cot(x)", "trig"),
    # inverse trigonometric functions
    DerivativeCase("asin(x)", "1/sqrt(1 - x^2)", "inverse_trig"),
    DerivativeCase("arcsin(x)", "1/sqrt(1 - x^2)", "inverse_trig"),
    DerivativeCase("acos(x)", "-1/sqrt(1 - x^2)", "inverse_trig"),
    DerivativeCase("atan(x)", "1/(1 + x^2)", "inverse_trig"),
    DerivativeCase("acot(x)", "-1/(1 + x^2)", "inverse_trig"),
    DerivativeCase("asec(x)", "1/(abs(x)sqrt(x^2 - 1))", "inverse_trig"),
    DerivativeCase("acsc(x)", "-1/(abs(x)sqrt(x^2 - 1))", "inverse_trig"),
    # hyperbolic functions
    DerivativeCase("sinh(x)", "cosh(x)", "hyperbolic"),
    DerivativeCase("cosh(x)", "sinh(x)", "hyperbolic"),
    DerivativeCase("tanh(x)", "sech(x)^2", "hyperbolic"),
    DerivativeCase("coth(x)", "-csch(x)^2", "hyperbolic"),
    DerivativeCase("sech(x)", "-sech(x)tanh(x)", "hyperbolic"),
    DerivativeCase("csch(x)", "-csch(x)coth(x)", "hyperbolic"),
    # inverse hyperbolic functions
    DerivativeCase("asinh(x)", "1/sqrt(x^2 + 1)", "inverse_hyperbolic"),
    DerivativeCase("acosh(x)", "1/sqrt(x^2 - 1)", "inverse_hyperbolic"),
    DerivativeCase("atanh(x)", "1/(1 - x^2)", "inverse_hyperbolic"),
    DerivativeCase("acoth(x)", "1/(1 - x^2)", "inverse_hyperbolic"),
    DerivativeCase("asech(x)", "-1/(x sqrt(1 - x^2))", "inverse_hyperbolic"),
    DerivativeCase("acsch(x)", "-1/(abs(x)sqrt(1 + x^2))", "inverse_hyperbolic"),
    # absolute value
    DerivativeCase("abs(x)", "x/abs(x)", "abs"),
    DerivativeCase("abs(x^2 - 1)", "2x(x^2 - 1)/abs(x^2 - 1)", "abs"),
    DerivativeCase("abs(sin(x))", "sin(x)cos(x)/abs(sin(x))", "abs"),
    DerivativeCase("x^2 abs(x)", "2x abs(x) + x^3/abs(x)", "abs"),
    # constant multiples
    DerivativeCase("5x", "5", "constant_multiple"),
    DerivativeCase("-x", "-1", "constant_multiple"),
    DerivativeCase("x/3", "1/3", "constant_multiple"),
    DerivativeCase("pi x^2", "2pi x", "constant_multiple"),
    DerivativeCase("5*x*3*x", "30x", "constant_multiple"),
    DerivativeCase("-(x+1)^2", "-2(x + 1)", "constant_multiple"),
    DerivativeCase("x + log(y)*x", "1 + log(y)", "constant_multiple", variables=XY),
    # sums and differences
    DerivativeCase("x + 1", "1", "sum"),
    DerivativeCase("x^2 + 3x + 2", "2x + 3", "sum"),
    DerivativeCase("3x^2 - 4x", "6x - 4", "sum"),
    DerivativeCase("f(x) = 3x² − 4x", "6x - 4", "sum"),
    DerivativeCase("x^3 - 1/x", "3x^2 + 1/x^2", "sum"),
    DerivativeCase("sin(x) - cos(x)", "cos(x) + sin(x)", "sum"),
    DerivativeCase("x^4 - 2x^3 + x - 7", "4x^3 - 6x^2 + 1", "sum"),
    DerivativeCase("cos(x)^2 + sin(x)^2", "0", "sum"),
    # products
    DerivativeCase("x sin(x)", "sin(x) + x cos(x)", "product"),
    DerivativeCase("x^2 sin(x)", "2x sin(x) + x^2 cos(x)", "product"),
    DerivativeCase("e^x cos(x)", "e^x cos(x) - e^x sin(x)", "product"),
    DerivativeCase("x e^x sin(x)", "e^x sin(x) + x e^x sin(x) + x e^x cos(x)", "product"),
    DerivativeCase("(x+1)(x-1)", "2x", "product"),
    DerivativeCase("x ln(x)", "ln(x) + 1", "product"),
    DerivativeCase("sin(x)cos(x)", "cos(x)^2 - sin(x)^2", "product"),
    DerivativeCase("(2x)(3x)", "12x", "product"),
    DerivativeCase("e^x * e^-x", "0", "product"),
    DerivativeCase("sqrt(x)*sqrt(x)", "1", "product"),
    # quotients (a division the student wrote)
    DerivativeCase("sin(x)/x", "(x cos(x) - sin(x))/x^2", "quotient"),
    DerivativeCase("(x^2+1)/(x-1)", "(x^2 - 2x - 1)/(x - 1)^2", "quotient"),
    DerivativeCase("x/(x+1)", "1/(x + 1)^2", "quotient"),
    DerivativeCase("e^x/x", "e^x(x - 1)/x^2", "quotient"),
    DerivativeCase("ln(x)/x", "(1 - ln(x))/x^2", "quotient"),
    DerivativeCase("sin(x)/cos(x)", "1/cos(x)^2", "quotient"),
    DerivativeCase("(2x+3)/(x^2+1)", "(-2x^2 - 6x + 2)/(x^2 + 1)^2", "quotient"),
    DerivativeCase("x^2/(1-x)", "(2x - x^2)/(1 - x)^2", "quotient"),
    DerivativeCase("2x/(x+1)", "2/(x + 1)^2", "quotient"),
    DerivativeCase("x^2/x", "1", "quotient"),
    DerivativeCase("3/x*sin(x)", "3(x cos(x) - sin(x))/x^2", "quotient"),
    DerivativeCase(
        "x^3 sin(x)/(x+1)", "((3x^2 sin(x) + x^3 cos(x))(x + 1) - x^3 sin(x))/(x + 1)^2", "quotient"
    ),
    DerivativeCase("x y/(x + y)", "y^2/(x + y)^2", "quotient", variables=XY),
    # the chain rule
    DerivativeCase("sin(x^2)", "2x cos(x^2)", "chain"),
    DerivativeCase("sin(cos(x^2))", "-2x sin(x^2)cos(cos(x^2))", "chain"),
    DerivativeCase("(x^2+1)^3", "6x(x^2 + 1)^2", "chain"),
    DerivativeCase("sqrt(x^2+1)", "x/sqrt(x^2 + 1)", "chain"),
    DerivativeCase("1/x^3", "-3/x^4", "chain"),
    DerivativeCase("1/(x^2+1)", "-2x/(x^2 + 1)^2", "chain"),
    DerivativeCase("(3x-1)^-2", "-6/(3x - 1)^3", "chain"),
    DerivativeCase("e^(2x)", "2e^(2x)", "chain"),
    DerivativeCase("e^(x^2)", "2x e^(x^2)", "chain"),
    DerivativeCase("e^sin(x)", "cos(x)e^sin(x)", "chain"),
    DerivativeCase("exp(-x)", "-exp(-x)", "chain"),
    DerivativeCase("2^(x^2)", "2x 2^(x^2) ln(2)", "chain"),
    DerivativeCase("ln(x^2+1)", "2x/(x^2 + 1)", "chain"),
    DerivativeCase("ln(sin(x))", "cos(x)/sin(x)", "chain"),
    DerivativeCase("log(x^2, 10)", "2/(x ln(10))", "chain"),
    DerivativeCase("cos(3x)", "-3sin(3x)", "chain"),
    DerivativeCase("tan(x^2)", "2x sec(x^2)^2", "chain"),
    DerivativeCase("sin(x)^2", "2sin(x)cos(x)", "chain"),
    DerivativeCase("sin^2(x)", "2sin(x)cos(x)", "chain"),
    DerivativeCase("sin(x^2)^3", "6x sin(x^2)^2 cos(x^2)", "chain"),
    DerivativeCase("atan(2x)", "2/(1 + 4x^2)", "chain"),
    DerivativeCase("arctan(x^2)", "2x/(1 + x^4)", "chain"),
    DerivativeCase("asin(x^2)", "2x/sqrt(1 - x^4)", "chain"),
    DerivativeCase("asec(2x)", "2/(abs(2x)sqrt(4x^2 - 1))", "chain"),
    DerivativeCase("sinh(3x)", "3cosh(3x)", "chain"),
    DerivativeCase("cosh(x^2)", "2x sinh(x^2)", "chain"),
    DerivativeCase("tanh(x)^2", "2tanh(x)sech(x)^2", "chain"),
    DerivativeCase("sin(x y)", "y cos(x y)", "chain", variables=XY),
    # logarithmic differentiation, f(x)^g(x)
    DerivativeCase("x^x", "x^x(ln(x) + 1)", "logarithmic_differentiation"),
    DerivativeCase("x^sin(x)", "x^sin(x)(cos(x)ln(x) + sin(x)/x)", "logarithmic_differentiation"),
    DerivativeCase("(x+1)^x", "(x + 1)^x(ln(x + 1) + x/(x + 1))", "logarithmic_differentiation"),
    DerivativeCase("sin(x)^x", "sin(x)^x(ln(sin(x)) + x cos(x)/sin(x))", "logarithmic_differentiation"),
    # partial derivatives: the other variables are constants
    DerivativeCase("x^2 y + y^3", "2x y", "constant_multiple", variables=XY),
    DerivativeCase("x^2 y + y^3", "x^2 + 3y^2", "power", var="y", variables=XY),
    DerivativeCase("3x1^2 + 5e^x2", "6x1", "power", var="x1", variables=X1X2),
    DerivativeCase("3x1^2 + 5e^x2", "5e^x2", "exp", var="x2", variables=X1X2),
    # the final tidying step
    DerivativeCase("e^x sin(x)", "e^x(sin(x) + cos(x))", "simplify"),
    DerivativeCase("(x^2 + 1)/(x - 1)", "(x^2 - 2x - 1)/(x - 1)^2", "simplify"),
    # no rule a student meets: a labelled fallback, still correct
    DerivativeCase("log(x, x)", "0", "fallback"),
    DerivativeCase("log(2, x)", "-ln(2)/(x ln(x)^2)", "fallback"),
)
