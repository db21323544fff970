"""D2L's five gradient identities checked numerically in both layouts, and exercises 2 and 3."""

from __future__ import annotations

import math

import numpy as np
import pytest

from calc_core.identities import (
    FORMULAS,
    IDENTITIES,
    LAYOUTS,
    MAX_SIZE,
    check_identity,
    clamp_size,
    closed_form,
    exercise2_function,
    exercise2_gradient,
    function_of,
    jacobian,
    norm_gradient,
    norm_quotients_at_zero,
    random_inputs,
)
from calc_core.multivariate import numerical_gradient, partial_derivatives

SHAPES = [(1, 1), (1, 4), (4, 1), (2, 3), (3, 2), (5, 5), (MAX_SIZE, 2)]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("identity", IDENTITIES)
@pytest.mark.parametrize(("m", "n"), SHAPES)
def test_every_identity_holds_for_every_shape_and_layout(identity, layout, m, n):
    for seed in (0, 1, 2):
        check = check_identity(identity, m, n, layout, seed)
        assert check.ok, (identity, layout, m, n, seed, check.max_error)
        assert check.formula.shape == check.numerical.shape
        np.testing.assert_allclose(check.numerical, check.formula, atol=1e-6)


@pytest.mark.parametrize(("m", "n"), SHAPES)
def test_the_shapes_are_those_of_d2l(m, n):
    shapes = check_identity("Ax", m, n, "denominator").shapes
    assert shapes == {"A": (m, n), "x": (n, 1), "value": (m, 1), "gradient": (n, m)}
    shapes = check_identity("xA", m, n, "denominator").shapes
    assert shapes == {"A": (n, m), "x": (n, 1), "value": (1, m), "gradient": (n, m)}
    assert check_identity("xAx", m, n, "denominator").shapes["gradient"] == (n, 1)
    assert check_identity("xAx", m, n, "numerator").shapes["gradient"] == (1, n)
    assert check_identity("norm2", m, n, "denominator").shapes == {
        "x": (n, 1),
        "value": (1, 1),
        "gradient": (n, 1),
    }
    assert check_identity("frobenius", m, n, "denominator").shapes["gradient"] == (m, n)
    assert check_identity("frobenius", m, n, "numerator").shapes["gradient"] == (n, m)


def test_the_layout_switch_gives_a_transpose_in_one_and_a_in_the_other():
    """∇ₓ Ax is Aᵀ in D2L's denominator layout and A in the numerator layout (the Jacobian)."""
    denominator = check_identity("Ax", 2, 3, "denominator", seed=5)
    numerator = check_identity("Ax", 2, 3, "numerator", seed=5)
    a = denominator.inputs["A"]
    np.testing.assert_allclose(denominator.numerical, a.T, atol=1e-8)
    np.testing.assert_allclose(numerator.numerical, a, atol=1e-8)
    assert "^\\top" in denominator.formula_latex and "^\\top" not in FORMULAS[("Ax", "numerator")]
    # and the other way round for xᵀA
    np.testing.assert_allclose(
        check_identity("xA", 2, 3, "denominator", 5).formula, random_inputs("xA", 2, 3, 5)["A"]
    )
    np.testing.assert_allclose(
        check_identity("xA", 2, 3, "numerator", 5).formula, random_inputs("xA", 2, 3, 5)["A"].T
    )


def test_the_quadratic_form_is_not_2ax_unless_a_is_symmetric():
    check = check_identity("xAx", 3, 3, "denominator", seed=3)
    a, x = check.inputs["A"], check.inputs["x"]
    assert not np.allclose(a, a.T)
    np.testing.assert_allclose(check.numerical, (a + a.T) @ x, atol=1e-6)
    assert not np.allclose(check.numerical, 2 * a @ x)


def test_the_jacobian_is_independent_of_the_formulas():
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    x = np.array([[1.0], [0.0], [-1.0]])
    np.testing.assert_allclose(jacobian(lambda v: a @ v, x), a, atol=1e-8)
    f, name = function_of("frobenius", {"X": a})
    assert name == "X" and f(a)[0, 0] == pytest.approx(91.0)
    np.testing.assert_allclose(closed_form("frobenius", {"X": a}), 2 * a)


def test_random_inputs_are_small_integers_and_seeded():
    first = random_inputs("xAx", 3, 4, seed=7)
    again = random_inputs("xAx", 3, 4, seed=7)
    other = random_inputs("xAx", 3, 4, seed=8)
    assert all(np.array_equal(first[k], again[k]) for k in first)
    assert not all(np.array_equal(first[k], other[k]) for k in first)
    for array in first.values():
        assert np.all(array == np.round(array)) and np.all(np.abs(array) <= 3)


def test_sizes_are_clamped():
    assert (clamp_size(-5), clamp_size(3), clamp_size(10**6)) == (1, 3, MAX_SIZE)
    assert check_identity("Ax", 99, 0, "denominator").shapes["A"] == (MAX_SIZE, 1)


def test_unknown_names_are_refused():
    with pytest.raises(ValueError):
        check_identity("nope", 2, 2)
    with pytest.raises(ValueError):
        check_identity("Ax", 2, 2, "sideways")


# --- exercises 2 and 3 ---------------------------------------------------------------------------------


def test_exercise_2_gradient_is_exact():
    """∇(3x₁² + 5e^{x₂}) = [6x₁, 5e^{x₂}], symbolically (the worker's task) and numerically."""
    result = partial_derivatives("3*x1^2 + 5*exp(x2)", ("x1", "x2"), (1.0, 2.0), False)
    assert [p["latex"] for p in result["partials"]] == ["6 x_{1}", "5 e^{x_{2}}"]
    rng = np.random.default_rng(0)
    for x in rng.uniform(-2, 2, size=(10, 2)):
        exact = exercise2_gradient(x)
        assert exact.tolist() == [6 * x[0], 5 * math.exp(x[1])]
        numerical = numerical_gradient(lambda a, b: 3 * a**2 + 5 * np.exp(b), x)
        np.testing.assert_allclose(numerical, exact, rtol=1e-6)
        assert exercise2_function(x) == pytest.approx(3 * x[0] ** 2 + 5 * math.exp(x[1]))


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_exercise_3_norm_gradient_is_x_over_its_norm(n):
    rng = np.random.default_rng(n)
    for _ in range(5):
        x = rng.uniform(-3, 3, size=n)
        gradient = norm_gradient(x)
        np.testing.assert_allclose(gradient, x / np.linalg.norm(x))
        assert np.linalg.norm(gradient) == pytest.approx(1.0)
        numerical = numerical_gradient(lambda *v: np.sqrt(sum(c * c for c in v)), x)
        np.testing.assert_allclose(numerical, gradient, rtol=1e-5, atol=1e-8)


def test_exercise_3_fails_at_zero():
    assert norm_gradient(np.zeros(3)) is None
    rows = norm_quotients_at_zero(3, (0.1, 1e-3, 1e-8))
    assert [(row["right"], row["left"]) for row in rows] == [(1.0, -1.0)] * 3
    symbolic = partial_derivatives("sqrt(x1^2 + x2^2 + x3^2)", ("x1", "x2", "x3"), (0.0, 0.0, 0.0), False)
    assert [p["value"] for p in symbolic["partials"]] == [None, None, None]
    away = partial_derivatives("sqrt(x1^2 + x2^2 + x3^2)", ("x1", "x2", "x3"), (1.0, 2.0, 2.0), False)
    assert [p["value"] for p in away["partials"]] == pytest.approx([1 / 3, 2 / 3, 2 / 3])
