"""The gradient identities of D2L 2.4.3, checked numerically, in either layout.

D2L states (denominator layout, x ∈ ℝⁿ a column vector):

- ``Ax``:        A ∈ ℝ^{m×n}:  ∇ₓ Ax = Aᵀ
- ``xA``:        A ∈ ℝ^{n×m}:  ∇ₓ xᵀA = A
- ``xAx``:       A ∈ ℝ^{n×n}:  ∇ₓ xᵀAx = (A + Aᵀ)x
- ``norm2``:     ∇ₓ ‖x‖² = ∇ₓ xᵀx = 2x
- ``frobenius``: X ∈ ℝ^{m×n}:  ∇_X ‖X‖²_F = 2X

**Layouts.** For y ∈ ℝᵖ depending on x ∈ ℝⁿ, the derivative is a table of the p·n numbers ∂yⱼ/∂xᵢ. The
*denominator layout* (D2L) gives it the shape of x down and y across, n × p: ∂yⱼ/∂xᵢ in row i, column j, so
the gradient of a scalar is a column like x. The *numerator layout* (many other texts; the Jacobian that
autograd's ``jacobian`` returns) is y down and x across, p × n: the transpose. That is why ∇ₓ Ax is Aᵀ in one
and A in the other. A scalar's derivative with respect to a matrix X ∈ ℝ^{m×n} is m × n (like X) in the
denominator layout and n × m in the numerator layout.

Each check draws small integer matrices from a seeded ``numpy.random.Generator`` (readable, and the same for
the same seed), computes f, the closed form, and the derivative by central differences, arranged in the
chosen layout, and compares them.

>>> check = check_identity("Ax", m=2, n=3, layout="denominator", seed=0)
>>> check.shapes["gradient"], check.ok
((3, 2), True)
>>> check_identity("Ax", m=2, n=3, layout="numerator", seed=0).shapes["gradient"]
(2, 3)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

IDENTITIES = ("Ax", "xA", "xAx", "norm2", "frobenius")
LAYOUTS = ("denominator", "numerator")
MIN_SIZE, MAX_SIZE = 1, 6
# Entries of the random matrices and vectors: small integers, so a class can check the products by hand.
ENTRY_LOW, ENTRY_HIGH = -3, 3
FD_STEP = 1e-5
# Central differences are exact for these (at most quadratic) functions up to rounding of about
# eps·|f| / h: this tolerance is relative to the size of the closed form.
TOLERANCE = 1e-6

# LaTeX of each identity in each layout (fixed text, no user input).
FORMULAS = {
    ("Ax", "denominator"): r"\nabla_{\mathbf{x}} \mathbf{A}\mathbf{x} = \mathbf{A}^\top",
    ("Ax", "numerator"): r"\frac{\partial \mathbf{A}\mathbf{x}}{\partial \mathbf{x}} = \mathbf{A}",
    ("xA", "denominator"): r"\nabla_{\mathbf{x}} \mathbf{x}^\top\mathbf{A} = \mathbf{A}",
    ("xA", "numerator"): r"\frac{\partial \mathbf{x}^\top\mathbf{A}}{\partial \mathbf{x}} = \mathbf{A}^\top",
    ("xAx", "denominator"): r"\nabla_{\mathbf{x}} \mathbf{x}^\top\mathbf{A}\mathbf{x} = "
    r"(\mathbf{A} + \mathbf{A}^\top)\mathbf{x}",
    ("xAx", "numerator"): r"\frac{\partial \mathbf{x}^\top\mathbf{A}\mathbf{x}}{\partial \mathbf{x}} = "
    r"\mathbf{x}^\top(\mathbf{A} + \mathbf{A}^\top)",
    ("norm2", "denominator"): r"\nabla_{\mathbf{x}} \|\mathbf{x}\|^2 = \nabla_{\mathbf{x}} "
    r"\mathbf{x}^\top\mathbf{x} = 2\mathbf{x}",
    ("norm2", "numerator"): r"\frac{\partial \|\mathbf{x}\|^2}{\partial \mathbf{x}} = 2\mathbf{x}^\top",
    ("frobenius", "denominator"): r"\nabla_{\mathbf{X}} \|\mathbf{X}\|_F^2 = 2\mathbf{X}",
    ("frobenius", "numerator"): r"\frac{\partial \|\mathbf{X}\|_F^2}{\partial \mathbf{X}} = 2\mathbf{X}^\top",
}
# Which sizes each identity uses (the others are ignored): A's shape in D2L's statement.
USES = {"Ax": ("m", "n"), "xA": ("n", "m"), "xAx": ("n",), "norm2": ("n",), "frobenius": ("m", "n")}


@dataclass(frozen=True)
class IdentityCheck:
    """One identity checked on random inputs: each side, the difference, and every shape.

    ``inputs``: the arrays the function takes (``"A"`` and ``"x"``, or ``"X"``), x as an n × 1 column.
    ``value``: f at the inputs (a column, a row or a 1 × 1 scalar). ``formula``: the identity's right side
    in the chosen layout. ``numerical``: central differences arranged in the same layout.
    """

    identity: str
    layout: str
    m: int
    n: int
    seed: int
    inputs: dict[str, np.ndarray]
    value: np.ndarray
    formula: np.ndarray
    numerical: np.ndarray
    max_error: float

    @property
    def ok(self) -> bool:
        scale = max(1.0, float(np.max(np.abs(self.formula))) if self.formula.size else 1.0)
        return self.formula.shape == self.numerical.shape and self.max_error <= TOLERANCE * scale

    @property
    def shapes(self) -> dict[str, tuple[int, ...]]:
        return {
            **{name: array.shape for name, array in self.inputs.items()},
            "value": self.value.shape,
            "gradient": self.formula.shape,
        }

    @property
    def formula_latex(self) -> str:
        return FORMULAS[(self.identity, self.layout)]


def clamp_size(value: int) -> int:
    """A matrix size the lab accepts: MIN_SIZE … MAX_SIZE.

    >>> clamp_size(0), clamp_size(3), clamp_size(99)
    (1, 3, 6)
    """
    return max(MIN_SIZE, min(MAX_SIZE, int(value)))


def random_inputs(identity: str, m: int, n: int, seed: int) -> dict[str, np.ndarray]:
    """Small random integer inputs (as float64) for ``identity``, from ``numpy.random.default_rng(seed)``.

    >>> {name: a.shape for name, a in random_inputs("xA", 2, 3, 1).items()}
    {'A': (3, 2), 'x': (3, 1)}
    """
    _check(identity)
    m, n = clamp_size(m), clamp_size(n)
    rng = np.random.default_rng(seed)

    def draw(*shape: int) -> np.ndarray:
        return rng.integers(ENTRY_LOW, ENTRY_HIGH + 1, size=shape).astype(np.float64)

    if identity == "Ax":
        return {"A": draw(m, n), "x": draw(n, 1)}
    if identity == "xA":
        return {"A": draw(n, m), "x": draw(n, 1)}
    if identity == "xAx":
        return {"A": draw(n, n), "x": draw(n, 1)}
    if identity == "norm2":
        return {"x": draw(n, 1)}
    return {"X": draw(m, n)}


def function_of(
    identity: str, inputs: dict[str, np.ndarray]
) -> tuple[Callable[[np.ndarray], np.ndarray], str]:
    """f as a function of its variable's array, and the variable's name ("x" or "X").

    >>> f, name = function_of("norm2", {"x": np.array([[3.0], [4.0]])})
    >>> name, f(np.array([[3.0], [4.0]])).tolist()
    ('x', [[25.0]])
    """
    _check(identity)
    a = inputs.get("A")
    if identity == "Ax":
        return (lambda x: a @ x), "x"
    if identity == "xA":
        return (lambda x: x.T @ a), "x"
    if identity == "xAx":
        return (lambda x: x.T @ a @ x), "x"
    if identity == "norm2":
        return (lambda x: x.T @ x), "x"
    return (lambda big_x: np.array([[float(np.sum(big_x * big_x))]])), "X"


def closed_form(identity: str, inputs: dict[str, np.ndarray], layout: str = "denominator") -> np.ndarray:
    """The identity's right side in ``layout``.

    >>> a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    >>> (
    ...     closed_form("Ax", {"A": a, "x": np.ones((3, 1))}).shape,
    ...     closed_form("Ax", {"A": a}, "numerator").shape,
    ... )
    ((3, 2), (2, 3))
    """
    _check(identity, layout)
    a = inputs.get("A")
    if identity == "Ax":
        denominator = a.T
    elif identity == "xA":
        denominator = a
    elif identity == "xAx":
        denominator = (a + a.T) @ inputs["x"]
    elif identity == "norm2":
        denominator = 2 * inputs["x"]
    else:
        denominator = 2 * inputs["X"]
    return denominator if layout == "denominator" else denominator.T


def jacobian(f: Callable[[np.ndarray], np.ndarray], at: np.ndarray, h: float = FD_STEP) -> np.ndarray:
    """The numerator-layout Jacobian by central differences: row j is output j, column i is input i.

    Inputs and outputs of any shape are flattened in row-major order.

    >>> jacobian(lambda x: np.array([x[0, 0] * x[1, 0]]), np.array([[2.0], [3.0]])).round(6).tolist()
    [[3.0, 2.0]]
    """
    at = np.asarray(at, dtype=np.float64)
    flat = at.reshape(-1)
    columns = []
    for i in range(flat.size):
        up, down = flat.copy(), flat.copy()
        up[i] += h
        down[i] -= h
        difference = np.asarray(f(up.reshape(at.shape))) - np.asarray(f(down.reshape(at.shape)))
        columns.append(difference.reshape(-1) / (2 * h))
    return np.stack(columns, axis=1)


def arranged(identity: str, jac: np.ndarray, inputs: dict[str, np.ndarray], layout: str) -> np.ndarray:
    """The Jacobian ``jac`` (numerator layout, flattened) in the shape the identity's layout uses.

    >>> arranged("Ax", np.arange(6.0).reshape(2, 3), {"A": np.zeros((2, 3))}, "denominator").shape
    (3, 2)
    """
    _check(identity, layout)
    if identity == "frobenius":
        gradient = jac.reshape(inputs["X"].shape)  # one output: the derivative has X's shape
        return gradient if layout == "denominator" else gradient.T
    return jac if layout == "numerator" else jac.T


def check_identity(
    identity: str, m: int, n: int, layout: str = "denominator", seed: int = 0
) -> IdentityCheck:
    """Check ``identity`` on random inputs of the given sizes, in ``layout``.

    >>> [check_identity(name, 3, 2, layout, 7).ok for name in IDENTITIES for layout in LAYOUTS]
    [True, True, True, True, True, True, True, True, True, True]
    """
    _check(identity, layout)
    m, n = clamp_size(m), clamp_size(n)
    inputs = random_inputs(identity, m, n, seed)
    f, name = function_of(identity, inputs)
    value = f(inputs[name])
    formula = closed_form(identity, inputs, layout)
    numerical = arranged(identity, jacobian(f, inputs[name]), inputs, layout)
    error = float(np.max(np.abs(formula - numerical))) if formula.shape == numerical.shape else math.inf
    return IdentityCheck(identity, layout, m, n, int(seed), inputs, value, formula, numerical, error)


def _check(identity: str, layout: str = "denominator") -> None:
    if identity not in IDENTITIES:
        raise ValueError(f"unknown identity {identity!r}; known: {IDENTITIES}")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; known: {LAYOUTS}")


# --- exercises 2 and 3 of D2L 2.4 --------------------------------------------------------------------------


def exercise2_gradient(x: np.ndarray) -> np.ndarray:
    """∇(3x₁² + 5e^{x₂}) = [6x₁, 5e^{x₂}].

    >>> exercise2_gradient(np.array([1.0, 0.0])).tolist()
    [6.0, 5.0]
    """
    x = np.asarray(x, dtype=np.float64)
    return np.array([6 * x[0], 5 * math.exp(x[1])])


def exercise2_function(x: np.ndarray) -> float:
    x = np.asarray(x, dtype=np.float64)
    return float(3 * x[0] ** 2 + 5 * math.exp(x[1]))


def norm_gradient(x: np.ndarray) -> np.ndarray | None:
    """∇‖x‖₂ = x / ‖x‖₂, or None at x = 0, where ‖x‖₂ has no gradient (a cone's tip).

    >>> norm_gradient(np.array([3.0, 4.0])).tolist(), norm_gradient(np.zeros(3))
    ([0.6, 0.8], None)
    """
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    length = float(np.linalg.norm(x))
    if length == 0:
        return None
    return x / length


def norm_quotients_at_zero(n: int, steps: tuple[float, ...] = (0.1, 0.01, 0.001)) -> list[dict]:
    """At x = 0, the one-sided difference quotients of ‖x‖₂ along x₁: +1 from the right, −1 from the left,
    however small h is, so the limit (the partial derivative) does not exist.

    >>> [(row["right"], row["left"]) for row in norm_quotients_at_zero(3, (0.5,))]
    [(1.0, -1.0)]
    """
    rows = []
    for h in steps:
        e1 = np.zeros(max(1, int(n)))
        e1[0] = h
        right = (float(np.linalg.norm(e1)) - 0.0) / h
        left = (float(np.linalg.norm(-e1)) - 0.0) / -h
        rows.append({"h": h, "right": right, "left": left})
    return rows
