"""The bridge to D2L 2.5: the computational graph's gradient as PyTorch's autograd would report it.

The page shows the code a student would write in D2L's next section (``f.backward()``, then ``x.grad``) for
the expression on the chain-rule page, with the numbers this app's backward pass computed written in as
comments.
PyTorch is not needed: nothing here imports or runs it. The code is printed from the parsed expression
(SymPy's Python code printer, no evaluation), and is shown with st.code, never as HTML.
"""

from __future__ import annotations

import re

import streamlit as st
from sympy.printing.pycode import pycode

from ui import reveal
from ui.i18n import t

# math.sin(x) -> torch.sin(x); a call on a plain number stays in math (torch.log(2) would need a tensor).
_MATH_CALL = re.compile(r"\bmath\.(\w+)\((?![\d.]+\))")
# The chain-rule page's question for the graph's gradients (ui/views/chain/common.py, GRAPH_QUESTION).
GRAPH_QUESTION = "chain_rule/graph"


def torch_expression(expr) -> str:
    """The expression as PyTorch code: SymPy's Python printer, with math's functions taken from torch.

    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> torch_expression(x * y + sympy.sin(x))
    'x*y + torch.sin(x)'
    >>> torch_expression(sympy.log(x, 2))
    'torch.log(x)/math.log(2)'
    """
    return _MATH_CALL.sub(r"torch.\1(", pycode(expr))


def torch_number(value: float) -> str:
    """A float64 scalar as PyTorch prints it: four decimals, or a whole number with a bare point.

    >>> torch_number(2.5403023058681398), torch_number(1.0)
    ('tensor(2.5403, dtype=torch.float64)', 'tensor(1., dtype=torch.float64)')
    >>> torch_number(-0.5)
    'tensor(-0.5000, dtype=torch.float64)'
    """
    text = f"{value:.0f}." if float(value).is_integer() else f"{value:.4f}"
    return f"tensor({text}, dtype=torch.float64)"


def autograd_code(
    expr, report: dict, forward: str = "the forward pass: f = {value}", backward: str = "the backward pass"
) -> str:
    """The PyTorch code for ``expr`` at the report's point, with the report's gradients as the printed output.

    ``forward`` and ``backward`` are the two comments (a template with ``{value}``, and a text), translated.

    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> report = {
    ...     "variables": ["x", "y"],
    ...     "point": [1.0, 2.0],
    ...     "values": [2.84],
    ...     "partials": [{"variable": "x", "adjoint": 2.5403}, {"variable": "y", "adjoint": 1.0}],
    ... }
    >>> print(autograd_code(x * y + sympy.sin(x), report))
    import math
    import torch
    <BLANKLINE>
    x = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    f = x*y + torch.sin(x)  # the forward pass: f = 2.84
    f.backward()  # the backward pass
    print(x.grad)  # tensor(2.5403, dtype=torch.float64)
    print(y.grad)  # tensor(1., dtype=torch.float64)
    """
    lines = ["import math", "import torch", ""]
    for variable, value in zip(report["variables"], report["point"], strict=True):
        lines.append(f"{variable} = torch.tensor({float(value)!r}, dtype=torch.float64, requires_grad=True)")
    value = f"{report['values'][-1]:.6g}"
    lines.append(f"f = {torch_expression(expr)}  # {forward.format(value=value)}")
    lines.append(f"f.backward()  # {backward}")
    for partial in report["partials"]:
        lines.append(f"print({partial['variable']}.grad)  # {torch_number(partial['adjoint'])}")
    return "\n".join(lines)


def graph_answer_key(report: dict) -> tuple:
    """What the graph's gradients depend on, as the chain-rule page keys its question: nodes and point."""
    return tuple(node["definition_latex"] for node in report["nodes"]), tuple(report["point"])


def autograd_bridge(expr, report: dict) -> None:
    """The code, under a heading; nothing without gradients, and nothing while predict mode hides them."""
    if report.get("undefined_at") is not None or not report.get("partials"):
        return
    if not reveal.is_shown(GRAPH_QUESTION, graph_answer_key(report)):
        return
    st.markdown(f"### {t('chain_rule.autograd_title')}\n\n{t('chain_rule.autograd_body')}")
    forward, backward = t("chain_rule.autograd_forward"), t("chain_rule.autograd_backward")
    # The catalogue writes {{value}}, so t() leaves {value} for autograd_code to fill in.
    st.code(autograd_code(expr, report, forward, backward), language="python")
    st.caption(t("chain_rule.autograd_caption"))
