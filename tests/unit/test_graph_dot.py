"""The DOT text of the computational graph: what each step shows, the escaping, the layout that does not move,
and projector mode."""

from __future__ import annotations

import re

import pytest

from calc_core.graph import graph_report, walkthrough_steps
from calc_core.parser import parse_expression
from viz.graph_dot import CURRENT, GRADIENT_FILL, NORMAL, PENDING_FILL, PROJECTOR, VALUE_FILL, graph_dot

VARIABLES = ("x", "y", "z")


def report_of(text: str, point=None):
    point = point or {"x": 1.0, "y": 2.0, "z": 0.5}
    return graph_report(parse_expression(text, VARIABLES), VARIABLES, point)


@pytest.fixture(scope="module")
def report():
    return report_of("x*y + sin(x)")


def node_lines(dot: str) -> dict[int, str]:
    return {int(m.group(1)): m.group(0) for m in re.finditer(r"^  n(\d+) \[.*\];$", dot, flags=re.M)}


def edge_lines(dot: str) -> list[str]:
    return [line for line in dot.splitlines() if " -> " in line]


def test_one_line_per_node_and_per_edge(report):
    dot = graph_dot(report, 0)
    assert dot.startswith("digraph computational_graph {") and dot.rstrip().endswith("}")
    assert len(node_lines(dot)) == len(report["nodes"]) == 5
    assert len(edge_lines(dot)) == sum(len(node["inputs"]) for node in report["nodes"]) == 5
    assert "rankdir=LR" in dot


def test_the_labels_are_well_formed_html(report):
    dot = graph_dot(report, walkthrough_steps(5))
    for line in [*node_lines(dot).values(), *edge_lines(dot)]:
        label = re.search(r"label=<(.*)>(, |\])", line).group(1)
        assert label.count("<table") == label.count("</table>") == 1
        assert label.count("<tr>") == label.count("</tr>")
        assert label.count("<td") == label.count("</td>")


def test_step_zero_shows_no_numbers(report):
    dot = graph_dot(report, 0)
    assert dot.count("value ?") == 5 and dot.count("grad ?") == 5
    assert PENDING_FILL in dot and VALUE_FILL not in dot
    assert CURRENT not in dot  # nothing is current before the first step


def test_the_forward_pass_writes_one_value_per_step(report):
    for step in range(1, 6):
        dot = graph_dot(report, step)
        assert dot.count("value ?") == 5 - step
        assert "grad ?" in dot and dot.count("grad ?") == 5
        current = node_lines(dot)[step - 1]
        assert CURRENT in current and "penwidth=3.5" in current
        # the edges into the current node are highlighted, no edge has a number yet
        for line in edge_lines(dot):
            highlighted = CURRENT in line
            assert highlighted == line.split(" [")[0].endswith(f"n{step - 1}")
            assert re.search(r'fixedsize="true">[0-9−]', line) is None


def test_the_backward_pass_writes_one_gradient_per_step_and_labels_the_edges_it_uses(report):
    n = 5
    dot = graph_dot(report, n + 1)  # the output first: gradient 1
    assert dot.count("grad ?") == n - 1
    assert "grad 1" in node_lines(dot)[4]
    assert GRADIENT_FILL in node_lines(dot)[4]
    dot = graph_dot(report, 2 * n)  # the last step: x's gradient y + cos(x) = 2.540
    assert "grad ?" not in dot
    assert "grad 2.54" in node_lines(dot)[0]
    labelled = [line for line in edge_lines(dot) if re.search(r'fixedsize="true">[0-9−]', line)]
    assert len(labelled) == 5
    # x -> v1 carries ∂(x·y)/∂x = y = 2; x -> v2 carries cos(1)
    assert any(line.startswith("  n0 -> n2") and ">2</td>" in line for line in edge_lines(dot))
    assert any(line.startswith("  n0 -> n3") and ">0.5403</td>" in line for line in edge_lines(dot))


def test_the_layout_does_not_move_between_steps(report):
    """Every cell has a fixed size, whatever it holds: graphviz lays out the same boxes at every step."""
    sizes = set()
    for step in range(walkthrough_steps(5) + 1):
        dot = graph_dot(report, step)
        sizes.add(tuple(re.findall(r'width="(\d+)" height="(\d+)" fixedsize="true"', dot)))
    assert len(sizes) == 1


def test_the_output_is_marked(report):
    dot = graph_dot(report, 0, words={"output": "f"})
    assert "peripheries=2" in node_lines(dot)[4]
    assert ">f</b></td>" in node_lines(dot)[4]  # an extra first row names it f


def test_inputs_and_constants_look_different():
    dot = graph_dot(report_of("3x + 1"), 0)
    lines = node_lines(dot)
    assert "shape=ellipse" in lines[0]
    assert sum("dashed" in line for line in lines.values()) == 2


def test_the_words_are_the_callers_and_escaped():
    report = report_of("x*y")
    dot = graph_dot(report, 3, words={"value": "值", "grad": 'g<"&>'})
    assert "值 1" in dot
    assert "g&lt;&quot;&amp;&gt; ?" in dot
    assert 'g<"&>' not in dot


def test_labels_from_the_report_are_escaped():
    report = report_of("x*y")
    report["nodes"][2]["definition_text"] = '</td></tr></table>> ]; n9 -> n9 [label="'
    dot = graph_dot(report, 0)
    assert "n9 -> n9" not in "\n".join(edge_lines(dot))
    assert "&lt;/td&gt;" in dot


def test_an_undefined_point_never_shows_gradients():
    report = report_of("sqrt(x - 3)")
    assert report["undefined_at"] is not None
    dot = graph_dot(report, walkthrough_steps(len(report["nodes"])))
    assert "grad ?" in dot and "grad " not in dot.replace("grad ?", "")
    assert "value —" in dot  # the node that is not a real number


def test_projector_mode_is_larger():
    report = report_of("x*y")
    normal, projector = graph_dot(report, 2), graph_dot(report, 2, projector=True)
    assert f"fontsize={NORMAL.font_size}" in normal and f"fontsize={PROJECTOR.font_size}" in projector
    assert PROJECTOR.font_size > NORMAL.font_size and PROJECTOR.pen_width > NORMAL.pen_width
    assert PROJECTOR.cell_width > NORMAL.cell_width


def test_a_deep_graph_runs_top_to_bottom(report):
    assert "rankdir=LR" in graph_dot(report, 0)
    deep = report_of("exp(-(x^2 + y^2)/2) * sin(x*y)")
    assert "rankdir=TB" in graph_dot(deep, 0)


def test_a_step_outside_the_range_is_clamped(report):
    assert graph_dot(report, -3) == graph_dot(report, 0)
    assert graph_dot(report, 99) == graph_dot(report, walkthrough_steps(5))
