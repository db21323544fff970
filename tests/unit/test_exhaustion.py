"""The method of exhaustion: polygon areas, Archimedes' table and the 1/n² convergence."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc_core.exhaustion import (
    ARCHIMEDES_LOWER,
    ARCHIMEDES_SIDES,
    ARCHIMEDES_UPPER,
    INSCRIBED_ERROR_CONSTANT,
    archimedes_bounds,
    archimedes_doubling,
    archimedes_rows,
    circumscribed_area,
    circumscribed_half_perimeter,
    default_error_ns,
    exhaustion_error_table,
    inscribed_area,
    inscribed_half_perimeter,
    mixed_fraction,
    polygon_vertices,
)


def test_archimedes_fractions_are_exact():
    assert ARCHIMEDES_LOWER == 3 + Fraction(10, 71) == Fraction(223, 71)
    assert ARCHIMEDES_UPPER == 3 + Fraction(1, 7) == Fraction(22, 7)
    assert (mixed_fraction(ARCHIMEDES_LOWER), mixed_fraction(ARCHIMEDES_UPPER)) == ("3 10/71", "3 1/7")


def test_96_gon_values_to_five_places():
    row = archimedes_rows()[-1]
    assert row.sides == 96
    assert f"{row.inscribed_half_perimeter:.5f}" == "3.14103"
    assert f"{row.circumscribed_half_perimeter:.5f}" == "3.14271"
    assert f"{row.inscribed_area:.5f}" == "3.13935"
    assert f"{row.circumscribed_area:.5f}" == "3.14271"


def test_3_13935_is_the_inscribed_area_not_the_inscribed_half_perimeter():
    # The inscribed 96-gon's area equals the inscribed 48-gon's half-perimeter: 48·sin(π/48).
    assert float(inscribed_area(96)) == pytest.approx(48 * math.sin(math.pi / 48), rel=1e-15)
    assert f"{48 * math.sin(math.pi / 48):.5f}" == "3.13935"
    assert f"{96 * math.sin(math.pi / 96):.5f}" == "3.14103"


def test_the_chain_around_pi_for_96_sides():
    # Comparisons of a float with a Fraction are exact in Python.
    area_96 = float(inscribed_area(96))
    inner_96 = float(inscribed_half_perimeter(96))
    outer_96 = float(circumscribed_half_perimeter(96))
    assert area_96 < ARCHIMEDES_LOWER < inner_96 < math.pi < outer_96 < ARCHIMEDES_UPPER
    # So "3 10/71 < 96·sin(π/96)" is TRUE: Archimedes rounded his square roots the safe way, and his
    # bounds are a little wider than the 96-gon's exact values.
    lower_below_inner = 96 * math.sin(math.pi / 96) > ARCHIMEDES_LOWER
    assert lower_below_inner is True
    assert 96 * math.tan(math.pi / 96) < ARCHIMEDES_UPPER
    # And his lower bound is above the inscribed 96-gon's area, 3.13935.
    assert area_96 < ARCHIMEDES_LOWER


def test_archimedes_bounds_are_listed_in_increasing_order():
    bounds = archimedes_bounds()
    values = [item["value"] for item in bounds]
    assert values == sorted(values)
    assert [item["key"] for item in bounds] == [
        "inscribed_area_96",
        "archimedes_lower",
        "inscribed_half_perimeter_96",
        "pi",
        "circumscribed_half_perimeter_96",
        "archimedes_upper",
    ]
    assert {item["key"]: item["fraction"] for item in bounds if item["fraction"]} == {
        "archimedes_lower": "223/71",
        "archimedes_upper": "22/7",
    }
    json.dumps(bounds, allow_nan=False)


def test_archimedes_rows_are_6_to_96_sides_around_pi():
    rows = archimedes_rows()
    assert [row.sides for row in rows] == list(ARCHIMEDES_SIDES) == [6, 12, 24, 48, 96]
    for row in rows:
        assert row.inscribed_area < row.inscribed_half_perimeter < row.pi < row.circumscribed_half_perimeter
        assert row.pi == math.pi
        assert set(row.to_dict()) >= {"sides", "inscribed_half_perimeter", "circumscribed_half_perimeter"}
    assert rows[0].inscribed_half_perimeter == pytest.approx(3.0, abs=1e-15)  # the hexagon: 3
    assert rows[0].circumscribed_half_perimeter == pytest.approx(2 * math.sqrt(3), rel=1e-15)


def test_archimedes_doubling_reaches_the_same_values_without_pi():
    for (n, inner, outer), row in zip(archimedes_doubling(4), archimedes_rows(), strict=True):
        assert n == row.sides
        assert inner == pytest.approx(row.inscribed_half_perimeter, rel=1e-14)
        assert outer == pytest.approx(row.circumscribed_half_perimeter, rel=1e-14)


def test_simple_polygons():
    assert float(inscribed_area(4)) == pytest.approx(2.0, rel=1e-15)
    assert float(circumscribed_area(4)) == pytest.approx(4.0, rel=1e-15)
    assert float(inscribed_area(6)) == pytest.approx(3 * math.sqrt(3) / 2, rel=1e-15)
    assert float(circumscribed_area(6)) == pytest.approx(2 * math.sqrt(3), rel=1e-15)
    assert float(inscribed_area(12)) == pytest.approx(3.0, rel=1e-15)


@given(st.integers(3, 100_000))
def test_the_circle_lies_between_the_polygons(n):
    assert inscribed_area(n) < inscribed_half_perimeter(n) < math.pi < circumscribed_area(n)


def test_more_sides_squeeze_closer():
    ns = np.arange(3, 2001)
    assert np.all(np.diff(inscribed_area(ns)) > 0)
    assert np.all(np.diff(circumscribed_area(ns)) < 0)


@pytest.mark.parametrize("n", [2, 0, -5, 3.5])
def test_a_polygon_needs_three_whole_sides(n):
    with pytest.raises(ValueError):
        inscribed_area(n)


def test_vertices_are_on_the_circle_and_the_outer_sides_touch_it():
    x, y = polygon_vertices(7)
    np.testing.assert_allclose(np.hypot(x, y), 1.0)
    ox, oy = polygon_vertices(7, circumscribed=True)
    midpoints = np.hypot((ox + np.roll(ox, -1)) / 2, (oy + np.roll(oy, -1)) / 2)
    np.testing.assert_allclose(midpoints, 1.0)
    # The outer polygon's sides touch the circle at the inner polygon's vertices.
    np.testing.assert_allclose((ox + np.roll(ox, -1)) / 2, np.roll(x, -1), atol=1e-15)


def test_error_falls_like_one_over_n_squared():
    table = exhaustion_error_table()
    assert -2.1 < table.loglog_slope("inscribed") < -1.9
    assert -2.1 < table.loglog_slope("circumscribed") < -1.9
    assert np.all(table.inscribed_error > 0) and np.all(table.circumscribed_error > 0)


def test_the_error_constants_are_the_leading_terms():
    table = exhaustion_error_table([1000, 10_000])
    np.testing.assert_allclose(table.inscribed_error * table.n**2, INSCRIBED_ERROR_CONSTANT, rtol=1e-4)
    np.testing.assert_allclose(table.circumscribed_error * table.n**2, math.pi**3 / 3, rtol=1e-4)


def test_error_table_records_and_default_ns():
    ns = default_error_ns()
    assert ns[0] == 3 and ns[-1] == 1000 and set(ARCHIMEDES_SIDES) <= set(ns.tolist())
    assert np.all(np.diff(ns) > 0)
    records = exhaustion_error_table([6, 96]).records()
    assert [r["n"] for r in records] == [6, 96]
    assert records[1]["inscribed_error"] == pytest.approx(math.pi - 3.1393502030468667, abs=1e-15)
    json.dumps(records, allow_nan=False)
