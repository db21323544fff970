"""A computational graph as Graphviz DOT text, at one step of the forward-then-backward walk-through.

Pure: the report of ``calc_core.graph.graph_report`` (plain data) and a step in, a DOT string out, which
``st.graphviz_chart`` draws in the browser (no graphviz package needed). Inputs on the left, the output on
the right (micrograd's layout). Each node shows its name and operation, then its value once the forward pass
has reached it and its gradient (∂f/∂node) once the backward pass has; each edge shows its local derivative
∂(head)/∂(tail) once the backward pass has used it.

Colours (Okabe–Ito) are never the only signal: a node's state is also written in it (a value row, a gradient
row), and the current step has a thick frame. Every cell has a fixed size, so the layout does not move from
one step to the next. Words come from ``words`` (the page passes translated ones); every text is escaped for
DOT's HTML-like labels, although it comes from validated expressions and numbers.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

from calc_core.graph import adjoint_known, format_number, value_known, walkthrough_focus
from viz import palette

WORDS = {"value": "value", "grad": "grad", "output": "f"}

PENDING_FILL = "#FFFFFF"
VALUE_FILL = palette.SKY_BLUE  # the forward pass has written the value
GRADIENT_FILL = palette.YELLOW  # the backward pass has written the gradient too
CURRENT = palette.VERMILLION  # the node (and its edges) of the current step
LINE = "#4D4D4D"
PENDING_TEXT = "#767676"  # grey with 4.5:1 contrast on white
TEXT = palette.BLACK
BACKGROUND = "#FFFFFF"  # Graphviz charts ignore the app's theme: a white card reads in the dark theme too


@dataclass(frozen=True)
class DotStyle:
    font_size: int
    edge_font_size: int
    pen_width: float
    current_pen_width: float
    cell_width: int  # points: the fixed width of a node's text rows
    edge_cell_width: int


NORMAL = DotStyle(
    font_size=14, edge_font_size=13, pen_width=1.3, current_pen_width=3.5, cell_width=96, edge_cell_width=50
)
PROJECTOR = DotStyle(
    font_size=22, edge_font_size=20, pen_width=2.2, current_pen_width=5.5, cell_width=150, edge_cell_width=78
)


def dot_style(projector: bool = False) -> DotStyle:
    return PROJECTOR if projector else NORMAL


def _text(value: str) -> str:
    """Text for an HTML-like label: &, <, > and quotes escaped, so no text can close the label."""
    return html.escape(str(value), quote=True)


def _cell(content: str, width: int, height: int) -> str:
    return f'<tr><td width="{width}" height="{height}" fixedsize="true">{content}</td></tr>'


def _node_label(rows: list[str], style: DotStyle) -> str:
    height = round(style.font_size * 1.45)
    cells = "".join(_cell(row, style.cell_width, height) for row in rows)
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{cells}</table>>'


def _edge_label(text: str, style: DotStyle) -> str:
    height = round(style.edge_font_size * 1.4)
    cell = _cell(_text(text) if text else " ", style.edge_cell_width, height)
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="0">{cell}</table>>'


def _title_row(node: dict) -> str:
    """x (an input), 3 (a constant), or v₂ = sin(x) (an operation, by the names of its inputs)."""
    if node["kind"] != "op":
        return f"<b>{_text(node['title'])}</b>"
    return f"<b>{_text(node['title'])}</b> = {_text(node['definition_text'])}"


def _state_row(word: str, value: str | None) -> str:
    """ "value 0.8415" once known; before that "value ?" in grey, so the node keeps its size."""
    if value is None:
        return f'<font color="{PENDING_TEXT}">{_text(word)} ?</font>'
    return f"{_text(word)} {_text(value)}"


# Left to right (inputs left, output right) while the graph is at most this many operations deep; deeper
# graphs run top to bottom, since a page has room downwards but not sideways.
MAX_DEPTH_LEFT_TO_RIGHT = 4


def depth(nodes) -> int:
    """The number of operations on the longest path from an input to the output."""
    rank = [0] * len(nodes)
    for node in nodes:
        rank[node["id"]] = 1 + max((rank[i] for i in node["inputs"]), default=-1)
    return rank[-1] if nodes else 0


def direction(nodes) -> str:
    """``LR`` for a shallow graph, ``TB`` for a deep one; the same at every step of the walk-through."""
    return "LR" if depth(nodes) <= MAX_DEPTH_LEFT_TO_RIGHT else "TB"


def graph_dot(
    report: Mapping, step: int, *, words: Mapping[str, str] | None = None, projector: bool = False
) -> str:
    """DOT for the graph of ``report`` (``calc_core.graph.graph_report``) at walk-through ``step`` (0 … 2n).

    >>> from calc_core.graph import graph_report
    >>> from calc_core.parser import parse_expression
    >>> report = graph_report(parse_expression("x*y + sin(x)", ("x", "y")), ("x", "y"), {"x": 0.0, "y": 2.0})
    >>> dot = graph_dot(report, 0)
    >>> dot.startswith("digraph"), dot.count(" -> "), "value 2" in dot
    (True, 5, False)
    >>> "value 2" in graph_dot(report, 2), "grad 3" in graph_dot(report, 9), "grad 3" in graph_dot(report, 10)
    (True, False, True)
    """
    words = {**WORDS, **(words or {})}
    style = dot_style(projector)
    nodes = report["nodes"]
    count = len(nodes)
    output = count - 1
    phase, focus = walkthrough_focus(count, step)
    lines = [
        "digraph computational_graph {",
        f'  graph [rankdir={direction(nodes)}, bgcolor="{BACKGROUND}", pad="0.25", nodesep="0.3", '
        f'ranksep="0.45", fontname="Helvetica"];',
        f'  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize={style.font_size}, '
        f'fontcolor="{TEXT}", color="{LINE}", penwidth={style.pen_width}, margin="0.08,0.04"];',
        f'  edge [fontname="Helvetica", fontsize={style.edge_font_size}, fontcolor="{TEXT}", color="{LINE}", '
        f"penwidth={style.pen_width}, arrowsize={0.9 if projector else 0.7}];",
    ]
    for node in nodes:
        lines.append(_node_line(node, report, step, focus, output, words, style))
    for node in nodes:
        for k, source in enumerate(node["inputs"]):
            lines.append(_edge_line(node["id"], k, source, report, step, phase, focus, style))
    lines.append("}")
    return "\n".join(lines)


def _node_line(node, report, step, focus, output, words, style) -> str:
    node_id = node["id"]
    count = len(report["nodes"])
    has_value = value_known(node_id, step)
    has_adjoint = adjoint_known(node_id, count, step) and report["undefined_at"] is None
    rows = [
        *([f"<b>{_text(words['output'])}</b>"] if node_id == output else []),
        _title_row(node),
        _state_row(words["value"], format_number(report["values"][node_id]) if has_value else None),
        _state_row(words["grad"], format_number(report["adjoints"][node_id]) if has_adjoint else None),
    ]
    fill = GRADIENT_FILL if has_adjoint else VALUE_FILL if has_value else PENDING_FILL
    attributes = [f"label={_node_label(rows, style)}", f'fillcolor="{fill}"']
    if node["kind"] == "input":
        attributes.append('shape=ellipse, style="filled", margin="0,0"')
    elif node["kind"] == "const":
        attributes.append('style="rounded,filled,dashed"')
    if node_id == output:
        attributes.append("peripheries=2")
    if node_id == focus:
        attributes.append(f'color="{CURRENT}", penwidth={style.current_pen_width}')
    return f"  n{node_id} [{', '.join(attributes)}];"


def _edge_line(target, k, source, report, step, phase, focus, style) -> str:
    count = len(report["nodes"])
    known = adjoint_known(source, count, step) and report["undefined_at"] is None
    label = format_number(report["local"][target][k]) if known else ""
    attributes = [f"label={_edge_label(label, style)}"]
    current = (phase == "forward" and target == focus) or (phase == "backward" and source == focus)
    if current:
        attributes.append(f'color="{CURRENT}", penwidth={style.current_pen_width * 0.75}')
    return f"  n{source} -> n{target} [{', '.join(attributes)}];"
