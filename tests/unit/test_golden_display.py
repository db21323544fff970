"""Golden output: what the pages display for every derivative rule and every computational-graph operation.

The rules page and the partials page show ``Step.to_dict()``'s LaTeX (the expression, the rule's formula
filled in, the result); the chain-rule page shows each graph node's definition, its numbers, each edge's
local derivative and the plain-text labels of the drawing. Those strings are pinned here, one example per
rule and per operation, in ``golden/display.json``: a sign flipped or a wrong local-derivative formula changes
what a student reads, and fails here even where the numbers stay right.

After an intended change of the display, rewrite the file and review its diff:
``.venv/bin/python -m tests.unit.test_golden_display``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from calc_core.graph import FUNCTIONS, graph_report
from calc_core.parser import parse_expression
from calc_core.steps import RULES, derivative_steps, step_to_dict

GOLDEN = Path(__file__).parent / "golden" / "display.json"

# One graph per operation (and per special form of a power): the text and the point.
GRAPH_CASES: dict[str, tuple[str, dict[str, float]]] = {
    "add": ("x - y + 2", {"x": 1.5, "y": -2.0}),
    "mul": ("3*x*y", {"x": 2.0, "y": -0.5}),
    "neg": ("-sin(x)", {"x": 1.0}),
    "pow_square": ("x^2", {"x": -3.0}),
    "pow_sqrt": ("sqrt(x)", {"x": 4.0}),
    "pow_cbrt": ("x^(1/3)", {"x": -8.0}),
    "pow_reciprocal": ("1/x", {"x": 2.0}),
    "pow_fraction": ("x^(2/3)", {"x": 8.0}),
    "pow_cube": ("x^3", {"x": 2.0}),
    "pow_negative": ("x^(-2)", {"x": 2.0}),
    "pow_irrational": ("x^pi", {"x": 2.0}),
    "expb": ("2^x", {"x": 3.0}),
    "expb_e": ("e^x", {"x": 0.0}),
    "powv": ("x^y", {"x": 2.0, "y": 3.0}),
    "logb": ("log(x, 2)", {"x": 8.0}),
    "logv": ("log(x, y)", {"x": 8.0, "y": 2.0}),
}
_POINTS = {"acosh": 2.0, "asec": 2.0, "acsc": 2.0, "acoth": 2.0}
for _name in FUNCTIONS:
    GRAPH_CASES["fn_" + _name] = (
        "ln(x)" if _name == "log" else f"{_name}(x)",
        {"x": _POINTS.get(_name, 0.5)},
    )

# One derivation per rule the engine can name (the fallback rule has no typed input that reaches it).
STEP_CASES = {
    "constant": "7",
    "variable": "x",
    "power": "x^5",
    "exp": "exp(x)",
    "exp_base": "2^x",
    "log": "ln(x)",
    "log_base": "log(x, 3)",
    "trig": "tan(x)",
    "inverse_trig": "atan(x)",
    "hyperbolic": "cosh(x)",
    "inverse_hyperbolic": "asinh(x)",
    "abs": "abs(x)",
    "constant_multiple": "-3*sin(x)",
    "sum": "x^2 - sin(x) + 4",
    "product": "x*exp(x)",
    "quotient": "sin(x)/(x^2 + 1)",
    "chain": "sin(x^2)",
    "logarithmic_differentiation": "x^x",
    "simplify": "(x^2 + 1)/(x - 1)",
}
_NODE_KEYS = ("op", "definition_latex", "numeric_latex", "local_latex", "title", "definition_text")
_STEP_KEYS = ("rule", "expr_latex", "result_latex", "application", "formula")


def graph_display(text: str, point: dict[str, float]) -> dict:
    variables = tuple(sorted(point))
    report = graph_report(parse_expression(text, variables), variables, point, symbolic=False)
    return {
        "nodes": [{key: node[key] for key in _NODE_KEYS} for node in report["nodes"]],
        "values": report["values"],
        "local": report["local"],
        "adjoints": report["adjoints"],
    }


def _displayed(step: dict) -> dict:
    return {key: step[key] for key in _STEP_KEYS} | {"substeps": [_displayed(s) for s in step["substeps"]]}


def steps_display(text: str, partial: bool) -> dict:
    return _displayed(step_to_dict(derivative_steps(parse_expression(text), "x"), partial))


def current() -> dict:
    return {
        "graph": {key: graph_display(*case) for key, case in GRAPH_CASES.items()},
        "steps": {
            f"{rule}{'_partial' if partial else ''}": steps_display(text, partial)
            for rule, text in STEP_CASES.items()
            for partial in (False, True)
        },
    }


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_the_cases_cover_every_rule_and_every_operation(golden):
    assert set(STEP_CASES) == set(RULES) - {"fallback"}
    for rule, text in STEP_CASES.items():
        assert derivative_steps(parse_expression(text), "x").rule == rule, rule
    ops = {node["op"] for case in golden["graph"].values() for node in case["nodes"]}
    assert ops >= {"add", "mul", "neg", "pow", "expb", "powv", "logb", "logv", *FUNCTIONS}


@pytest.mark.parametrize("key", sorted(GRAPH_CASES))
def test_graph_operation_display_is_unchanged(golden, key):
    shown, pinned = graph_display(*GRAPH_CASES[key]), golden["graph"][key]
    assert shown["nodes"] == pinned["nodes"]
    for name in ("values", "adjoints"):
        assert shown[name] == pytest.approx(pinned[name], rel=1e-12, nan_ok=True), name
    for row, pinned_row in zip(shown["local"], pinned["local"], strict=True):
        assert row == pytest.approx(pinned_row, rel=1e-12, nan_ok=True)


@pytest.mark.parametrize("partial", [False, True])
@pytest.mark.parametrize("rule", sorted(STEP_CASES))
def test_rule_display_is_unchanged(golden, rule, partial):
    key = f"{rule}{'_partial' if partial else ''}"
    assert steps_display(STEP_CASES[rule], partial) == golden["steps"][key]


def test_partial_notation_differs_only_in_the_d():
    for rule, text in STEP_CASES.items():
        ordinary, partial = steps_display(text, False), steps_display(text, True)
        assert partial["application"].replace(r"\partial", "d") == ordinary["application"], rule


if __name__ == "__main__":
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(
        json.dumps(current(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    sys.stdout.write(f"wrote {GOLDEN}\n")
