"""How each page writes a number: the one formatter (viz.format, ui.format) with each call site's options.

The expected texts were taken from the six formatters the pages had before they shared one (chain rule,
partials and gradient, limits, exercises, the limits charts' readouts, the tangent chart's readout), so that
moving them changed nothing a reader sees. Two texts changed on purpose, both in chart readouts: a positive
number with a negative exponent in the tangent chart is written 1e−05 (was 1e-05, the only readout with an
ASCII hyphen), and −∞ in the limits charts' readout is written −inf (was -inf; no readout shows it).
"""

from __future__ import annotations

import math

import pytest

from ui.format import markdown_table, name_latex, name_text, subscript
from ui.views.chain import common as chain_view
from ui.views.exercises import common as exercises_view
from ui.views.limits import common as limits_view
from ui.views.multivariate import common as multivariate_view
from viz import format as fmt
from viz import tangent_chart

NAN, INF = float("nan"), float("inf")
VALUES = (0.0, -0.0, 2.0, -0.95880001, 36.945280494653254, 1e-05, -1.5e-05, 1e-12, -1e-17, 123456.789)
VALUES += (-2.0030000000004, 1e21, NAN, INF, -INF)

# call site → the text of each of VALUES
PINNED = {
    "chain": (
        lambda v: chain_view.number(v),
        ["0", "-0", "2", "-0.9588", "36.9453", "1e-05", "-1.5e-05", "1e-12", "-1e-17", "123457", "-2.003"]
        + ["1e+21", "undefined", "undefined", "undefined"],
    ),
    "chain_latex_grouped": (
        lambda v: chain_view.number_latex(v, grouped=True),
        [
            "0",
            "-0",
            "2",
            r"\left(-0.9588\right)",
            "36.9453",
            r"1 \times 10^{-5}",
            r"\left(-1.5 \times 10^{-5}\right)",
        ]
        + [r"1 \times 10^{-12}", r"\left(-1 \times 10^{-17}\right)", "123457", r"\left(-2.003\right)"]
        + [r"1 \times 10^{21}", r"\text{undefined}", r"\text{undefined}", r"\text{undefined}"],
    ),
    "multivariate": (
        multivariate_view.number,
        ["0", "0", "2", "-0.9588", "36.95", "1e-05", "-1.5e-05", "1e-12", "-1e-17", "1.235e+05", "-2.003"]
        + ["1e+21", "—", "—", "—"],
    ),
    "limits": (
        limits_view.number,
        ["0", "0", "2", "-0.9588", "36.94528", "1e-05", "-1.5e-05", "1e-12", "-1e-17", "123456.8", "-2.003"]
        + ["1e+21", "—", "—", "—"],
    ),
    "exercises": (
        exercises_view.number,
        ["0", "−0", "2", "−0.9588", "36.9453", "1e−05", "−1.5e−05", "1e−12", "−1e−17", "123457", "−2.003"]
        + ["1e+21", "nan", "inf", "−inf"],
    ),
    "limits_chart_readout": (
        lambda v: fmt.readout(v, 3),
        ["0", "0", "2", "−0.959", "36.9", "1e−05", "−1.5e−05", "1e−12", "−1e−17", "1.23e+05", "−2", "1e+21"]
        + ["nan", "inf", "−inf"],
    ),
    "tangent_chart_readout": (
        tangent_chart.number,
        ["0", "0", "2", "−0.9588", "36.95", "1e−05", "−1.5e−05", "1e−12", "0", "1.235e+05", "−2.003", "1e+21"]
        + ["nan", "inf", "−inf"],
    ),
}


@pytest.mark.parametrize("site", PINNED)
def test_each_page_writes_numbers_as_it_did(site):
    formatter, expected = PINNED[site]
    assert [formatter(value) for value in VALUES] == expected


def test_the_options_are_independent():
    assert fmt.number(-0.0, signed_zero=True, minus=fmt.MINUS) == "−0"
    assert fmt.number(None, undefined="?") == "?"
    assert fmt.number(5e-13, zero_below=1e-12) == "0"
    assert fmt.number(2e-12, zero_below=1e-12) == "2e-12"  # just outside the threshold
    assert fmt.number(math.pi, 3) == "3.14"


def test_names_and_tables():
    assert [name_text(n) for n in ("x1", "u12", "y")] == ["x₁", "u₁₂", "y"]
    assert [name_latex(n) for n in ("x1", "u12", "y")] == ["x_{1}", "u_{12}", "y"]
    assert subscript("30") == "₃₀"
    assert markdown_table({"a|b": ["1\n2"]}).splitlines() == ["| a\\|b |", "|---|", "| 1 2 |"]
