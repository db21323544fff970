"""The autograd bridge: the code matches the chain-rule page's graph, gradients and question."""

from __future__ import annotations

import math

from calc_core.parser import parse_expression
from calc_core.service import computational_graph_of
from ui.autograd_bridge import GRAPH_QUESTION, autograd_code, graph_answer_key, torch_expression
from ui.views.chain import common as chain_common
from ui.views.chain import graph as chain_graph

VARIABLES = ("x", "y", "z")


def report_for(text: str, point: dict[str, float]):
    expr = parse_expression(text, VARIABLES)
    return expr, computational_graph_of(expr, VARIABLES, point)


def test_the_question_and_its_inputs_are_the_chain_rule_pages():
    _, report = report_for("x*y + sin(x)", {"x": 1.0, "y": 2.0})
    assert GRAPH_QUESTION == chain_common.GRAPH_QUESTION
    assert graph_answer_key(report) == chain_graph._graph_inputs(report)


def test_the_code_carries_the_backward_pass_numbers():
    expr, report = report_for("x*y + sin(x)", {"x": 1.0, "y": 2.0})
    code = autograd_code(expr, report)
    # ∂f/∂x = y + cos x = 2 + cos 1, ∂f/∂y = x = 1, at (1, 2); f = 2 + sin 1
    assert f"tensor({2 + math.cos(1):.4f}, dtype=torch.float64)" in code
    assert "print(y.grad)  # tensor(1., dtype=torch.float64)" in code
    assert f"f = {2 + math.sin(1):.6g}" in code
    assert "f = x*y + torch.sin(x)" in code
    assert code.count("requires_grad=True") == 2


def test_functions_come_from_torch_and_constants_from_math():
    x = parse_expression("exp(x)*sqrt(y) + pi*log(z)", VARIABLES)
    text = torch_expression(x)
    assert "torch.exp(x)" in text and "torch.sqrt(y)" in text and "torch.log(z)" in text
    assert "math.pi" in text and "math.exp" not in text
