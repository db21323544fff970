"""Grading sketches (calc_core.sketch): a good sketch passes, a wrong one fails, hostile input is refused."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc_core.sketch import (
    MAX_KNOTS,
    SketchError,
    grade_arrow,
    grade_reverse_sketch,
    grade_sketch,
    sign_changes,
    validate_arrow,
    validate_sketch,
)

X = np.linspace(-2.5, 2.5, 81)
CUBIC_PRIME = 3 * X**2 - 3  # f = x³ − 3x


def message(y, x=X) -> dict:
    return {"x": [float(v) for v in x], "y": [None if v is None else v for v in y]}


# --- grading -------------------------------------------------------------------------------------------


def test_a_perfect_sketch_scores_perfect():
    grade = grade_sketch(X, CUBIC_PRIME, CUBIC_PRIME)
    assert grade.sign_share == 1.0
    assert grade.shape_error == 0.0
    assert [round(turn.x, 6) for turn in grade.turns] == [-1.0, 1.0]
    assert grade.missed_turns == () and grade.extra_turns == ()
    assert grade.peak_found
    assert not any(grade.off)
    assert grade.passed


def test_a_sign_flipped_sketch_fails_the_sign_test():
    grade = grade_sketch(X, -CUBIC_PRIME, CUBIC_PRIME)
    assert grade.sign_share < 0.2
    assert not grade.passed
    # Each stretch of the wrong sign is reported with the truth's sign and the truth's own stretch.
    expected = [miss.expected for miss in grade.sign_misses]
    assert expected == [1, -1, 1]
    middle = grade.sign_misses[1]
    assert middle.sketched == 1 and middle.truth_start < 0 < middle.truth_end
    assert sum(grade.off) > 60


def test_the_sign_miss_names_the_stretch_of_the_sketch():
    """f′ = 3x² − 3 is negative on (−1, 1); a sketch positive on (0.2, 1) is told so."""
    sketch = CUBIC_PRIME.copy()
    wrong = (X > 0.2) & (X < 1)
    sketch[wrong] = 1.5
    grade = grade_sketch(X, sketch, CUBIC_PRIME)
    assert len(grade.sign_misses) == 1
    miss = grade.sign_misses[0]
    assert miss.expected == -1 and miss.sketched == 1
    assert 0.2 <= miss.start < 0.4 and 0.8 < miss.end < 1.0
    assert -1.0 <= miss.truth_start < -0.7 and 0.7 < miss.truth_end <= 1.0
    assert not grade.passed


def test_abs_with_a_jump_at_zero_passes():
    """|x|′ is −1, then +1, with no value at 0 (the worker gives a gap): a sketch that jumps passes."""
    x = np.linspace(-2, 2, 81)
    truth = np.sign(x)
    truth[40] = np.nan
    for jump_at in (-0.05, 0.0, 0.05):  # drawn a knot early or late
        sketch = np.where(x < jump_at, -1.0, 1.0)
        sketch[np.isclose(x, jump_at)] = 0.0  # the vertical stroke of the jump
        grade = grade_sketch(x, sketch, truth)
        assert grade.passed, grade
        assert len(grade.turns) == 1 and grade.turns[0].rising
    # A smooth sketch through 0 (a line) misses the jump's shape: it fails.
    assert not grade_sketch(x, x, truth).passed


def test_a_sketch_turning_in_the_wrong_place_misses_the_turn():
    grade = grade_sketch(X, 3 * (X - 1.6) * (X + 1), CUBIC_PRIME)  # the tolerance is 0.25 here
    assert [round(turn.x) for turn in grade.missed_turns] == [1]


def test_a_sketch_with_an_extra_turn_is_told():
    """f = x³: f′ = 3x² touches zero at 0 and keeps its sign; a sketch dipping below zero invents turns."""
    truth = 3 * X**2
    sketch = 3 * X**2 - 2
    grade = grade_sketch(X, sketch, truth)
    assert grade.turns == ()
    assert len(grade.extra_turns) == 2
    assert not grade.passed


def test_the_peak_is_judged():
    x = np.linspace(-6, 6, 81)
    truth = np.cos(x)
    assert grade_sketch(x, truth, truth).peak_found
    shifted = np.cos(x - 1.5)
    assert not grade_sketch(x, shifted, truth).peak_found


def test_partial_sketches_are_graded_on_what_was_drawn():
    sketch = CUBIC_PRIME.copy()
    sketch[60:] = np.nan
    grade = grade_sketch(X, sketch, CUBIC_PRIME)
    assert grade.coverage == pytest.approx(60 / 81)
    assert grade.sign_share == 1.0
    assert not grade.passed  # too little of the window


def test_reverse_task():
    x = np.linspace(-2, 2, 81)
    f, df = x**2 - 1, 2 * x
    assert grade_reverse_sketch(x, f, f, df, 40).passed
    upside_down = grade_reverse_sketch(x, 1 - x**2 - 2, f, df, 40)
    assert upside_down.slope.sign_share < 0.2
    assert not upside_down.passed
    missed_point = grade_reverse_sketch(x, f + 2, f, df, 40)
    assert missed_point.point_error > 0.15 and not missed_point.passed
    undrawn = f.copy()
    undrawn[40] = np.nan
    assert grade_reverse_sketch(x, undrawn, f, df, 40).point_error is None


def test_sign_changes_skip_short_gaps_only():
    x = np.linspace(0, 10, 11)
    values = np.array([-1, -1, 0, 0, 0, 0, 0, 0, 0, 1, 1], dtype=float)
    assert sign_changes(x, values, 0.1, 3) == []  # a wide flat stretch: no turn
    assert len(sign_changes(x, values, 0.1, 8)) == 1


# --- properties ------------------------------------------------------------------------------------------

finite = st.floats(min_value=-100, max_value=100, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=5, max_size=60))
def test_a_sketch_equal_to_the_truth_is_always_perfect(values):
    truth = np.asarray(values)
    x = np.linspace(-1, 1, truth.size)
    grade = grade_sketch(x, truth, truth)
    assert grade.sign_share == 1.0
    assert grade.shape_error == 0.0
    assert grade.missed_turns == () and grade.extra_turns == ()
    assert grade.peak_found


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=5, max_size=60), st.lists(finite, min_size=5, max_size=60))
def test_grades_are_bounded_numbers(sketch_values, truth_values):
    n = min(len(sketch_values), len(truth_values))
    x = np.linspace(0, 1, n)
    grade = grade_sketch(x, np.asarray(sketch_values[:n]), np.asarray(truth_values[:n]))
    assert 0.0 <= grade.sign_share <= 1.0
    assert math.isfinite(grade.shape_error) and grade.shape_error >= 0
    assert len(grade.off) == n


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=0.1, max_value=1e4))
def test_grading_does_not_depend_on_the_units(scale):
    """Sketch and truth both scaled: the same judgements (the shape error is relative to the scale)."""
    sketch = CUBIC_PRIME + 0.8 * np.sin(3 * X)
    plain = grade_sketch(X, sketch, CUBIC_PRIME)
    scaled = grade_sketch(X, scale * sketch, scale * CUBIC_PRIME)
    assert scaled.sign_share == pytest.approx(plain.sign_share)
    assert scaled.shape_error == pytest.approx(plain.shape_error, rel=1e-6)
    assert scaled.passed == plain.passed


@settings(max_examples=80, deadline=None)
@given(
    st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=5),
        st.dictionaries(st.text(max_size=3), st.one_of(st.none(), st.lists(finite, max_size=5))),
        st.fixed_dictionaries(
            {
                "x": st.lists(st.one_of(finite, st.none(), st.text(max_size=2), st.booleans()), max_size=90),
                "y": st.lists(st.one_of(finite, st.none(), st.text(max_size=2), st.booleans()), max_size=90),
            }
        ),
    )
)
def test_any_message_is_either_a_sketch_or_a_sketch_error(payload):
    try:
        y = validate_sketch(payload, X)
    except SketchError as err:
        assert err.code
        return
    assert y.shape == X.shape


# --- hostile input ---------------------------------------------------------------------------------------


def test_a_valid_message_is_read():
    y = validate_sketch(message([1.0] * 40 + [None] * 41), X)
    assert np.isnan(y[40:]).all() and (y[:40] == 1.0).all()


@pytest.mark.parametrize(
    "payload, code",
    [
        (None, "malformed"),
        ([1, 2, 3], "malformed"),
        ({"x": "abc", "y": []}, "malformed"),
        ({"y": [1.0] * 81}, "malformed"),
        (message([1.0] * 80, X[:80]), "length"),
        (message([1.0] * 10, X[:10]), "length"),
        (message([1.0] * (MAX_KNOTS + 1), np.arange(MAX_KNOTS + 1.0)), "too_long"),
        (message([float("nan")] + [1.0] * 80), "not_finite"),
        (message([float("inf")] + [1.0] * 80), "not_finite"),
        (message([10**400] + [1.0] * 80), "not_finite"),
        (message([1e300] + [1.0] * 80), "too_large"),
        (message(["1"] + [1.0] * 80), "not_a_number"),
        (message([True] + [1.0] * 80), "not_a_number"),
        (message([1.0] * 81, X[::-1]), "unsorted"),
        (message([1.0] * 81, np.r_[X[:40], X[39], X[41:]]), "unsorted"),
        (message([1.0] * 81, X + 0.01), "off_grid"),
        (message([None] * 81), "too_few"),
        (message([1.0] + [None] * 80), "too_few"),
    ],
)
def test_hostile_messages_are_refused_with_a_code(payload, code):
    with pytest.raises(SketchError) as raised:
        validate_sketch(payload, X)
    assert raised.value.code == code


def test_the_error_codes_have_messages_in_both_languages():
    from calc_core.sketch import SKETCH_ERROR_CODES
    from ui.i18n import LANGUAGES, load_catalogue

    for language in LANGUAGES:
        catalogue = load_catalogue(language)
        assert {f"sketch.error_{code}" for code in SKETCH_ERROR_CODES} <= set(catalogue)


# --- the gradient arrow ------------------------------------------------------------------------------------


def test_a_perfect_arrow_passes_and_a_reversed_one_fails():
    perfect = grade_arrow((3.0, 4.0), (3.0, 4.0))
    assert perfect.angle_error == 0.0 and perfect.length_error == 0.0 and perfect.passed
    reversed_ = grade_arrow((-3.0, -4.0), (3.0, 4.0))
    assert reversed_.angle_error == pytest.approx(180.0) and not reversed_.passed
    too_long = grade_arrow((6.0, 8.0), (3.0, 4.0))
    assert too_long.angle_error == 0.0 and too_long.length_error == pytest.approx(1.0) and not too_long.passed


def test_angles_wrap_around():
    grade = grade_arrow((1.0, -0.1), (1.0, 0.1))  # 354° against 6°: 11° apart, not 349°
    assert grade.angle_error == pytest.approx(2 * math.degrees(math.atan(0.1)))
    assert grade.passed


def test_a_zero_gradient():
    assert grade_arrow((0.0, 0.0), (0.0, 0.0)).passed
    flat = grade_arrow((1.0, 0.0), (0.0, 0.0))
    assert flat.truth_angle is None and flat.length_error is None and not flat.passed


@pytest.mark.parametrize(
    "payload, code",
    [
        (None, "malformed"),
        ({"gx": None, "gy": 1.0}, "too_few"),
        ({"gx": "1", "gy": 1.0}, "not_a_number"),
        ({"gx": float("nan"), "gy": 1.0}, "not_finite"),
        ({"gx": 1.0, "gy": 1e300}, "too_large"),
    ],
)
def test_hostile_arrows_are_refused(payload, code):
    with pytest.raises(SketchError) as raised:
        validate_arrow(payload)
    assert raised.value.code == code


@settings(max_examples=60, deadline=None)
@given(finite, finite, finite, finite)
def test_arrow_grades_are_bounded(gx, gy, tx, ty):
    grade = grade_arrow((gx, gy), (tx, ty))
    assert grade.angle_error is None or 0 <= grade.angle_error <= 180
    assert grade_arrow((tx, ty), (tx, ty)).passed
