"""Functions of x that readers type, shared by the benchmarks (none is a page's default, 3x^2 - 4x)."""

ONE_VARIABLE = (
    "sin(x)",
    "x^3 - 2x",
    "exp(-x^2/2)",
    "ln(x^2 + 1)",
    "1/(1 + exp(-x))",
    "sqrt(x^2 + 1) - x",
    "tan(x)/x",
    "x^x",
    "(x - 1)(x + 2)(x - 3)",
    "2sin(3x + 1)^2",
    "abs(x)",
    "cos(x)*e^x",
    "x^5 - 5x^3 + 4x",
    "1/x",
    "x² + 2πx",
)
