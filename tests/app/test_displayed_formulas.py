"""What the chain-rule page *shows* must agree with itself: every formula displayed beside a number is
evaluated (``tests.latex_values``) and compared with that number, so a wrong or sign-flipped local derivative,
node definition or gradient formula fails here even where the numbers are right (and the other way round).
The local-derivative rules are also pinned as text, one per graph operation.
"""

from __future__ import annotations

import math

import pytest

from tests.app.helpers import assert_no_exception, page_spec, run_page
from tests.app.landing import make_landing_page
from tests.latex_values import value

EXPRESSIONS = (
    "sin(x)*exp(y) - log(z)/x + cos(y)^2 + sqrt(x) + tan(z) + abs(y - 3)",
    "cosh(x)*atan(y) + exp(-z) + 1/(x+y) - x^3*y + tanh(z)/sinh(x)",
)
POINT = {"x": 1.0, "y": 2.0, "z": 0.5}  # the page's default point (gx, gy, gz)
# The local derivative the page writes for each operation of EXPRESSIONS (its node's definition → rule).
LOCAL_RULES = {
    r"\sin\left(x\right)": r"\cos\left(x\right)",
    r"\cos\left(y\right)": r"-\sin\left(y\right)",
    r"\tan\left(z\right)": r"\sec^{2}\left(z\right)",
    r"e^{y}": r"e^{y}",
    r"e^{v_{4}}": r"e^{v_{4}}",
    r"\ln\left(z\right)": r"\frac{1}{z}",
    r"\frac{1}{x}": r"-\frac{1}{x^{2}}",
    r"v_{7}^{2}": r"2 v_{7}",
    r"\sqrt{x}": r"\frac{1}{2 \sqrt{x}}",
    r"\left\vert v_{11}\right\vert ": r"\frac{v_{11}}{\left\vert v_{11}\right\vert }",
    r"\cosh\left(x\right)": r"\sinh\left(x\right)",
    r"\sinh\left(x\right)": r"\cosh\left(x\right)",
    r"\arctan\left(y\right)": r"\frac{1}{1 + y^{2}}",
    r"\tanh\left(z\right)": r"1 - \tanh^{2}\left(z\right)",
    r"x^{3}": r"3 x^{2}",
    r"\frac{1}{v_{6}}": r"-\frac{1}{v_{6}^{2}}",
}


def number(text: str) -> float:
    return float(text.strip().replace("−", "-"))


def markdown_tables(at) -> dict[str, list[list[str]]]:
    """Each Markdown table on the page by its first header cell: its rows of cells."""
    tables = {}
    for element in at.markdown:
        lines = [line for line in element.value.splitlines() if line.startswith("|")]
        if len(lines) < 2 or not lines[1].startswith("|---"):
            continue
        cells = [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]
        tables.setdefault(cells[0][0], []).append(cells[2:])
    return tables


def math_of(cell: str) -> str:
    return cell.strip().removeprefix("$").removesuffix("$")


def name_of(cell: str) -> str:
    """A node's name for ``tests.latex_values``: ``$v_{3}$`` as v_3."""
    return math_of(cell).replace("_{", "_").replace("}", "")


@pytest.fixture(scope="module", params=EXPRESSIONS)
def shown(request):
    """The graph part for one expression: its tables and formulas, opened once for all the checks."""
    with pytest.MonkeyPatch.context() as patch:
        make_landing_page(patch, page_spec("chain_rule"))
        at = run_page("chain_rule", lang="en", part="graph", expr=request.param)
    assert_no_exception(at)
    tables = markdown_tables(at)
    [nodes] = tables["Node"]
    [edges] = tables["Edge"]
    values = {name_of(row[0]): number(row[2]) for row in nodes if row[0].startswith("$")}
    return {"at": at, "tables": tables, "nodes": nodes, "edges": edges, "values": values | POINT}


def test_each_node_definition_agrees_with_its_value(shown):
    for node, definition, shown_value, *_ in shown["nodes"]:
        if node.startswith("$") and math_of(definition) != math_of(node):
            expected = value(math_of(definition), shown["values"])
            assert number(shown_value) == pytest.approx(expected, rel=1e-5, abs=1e-9), (node, definition)


def test_each_local_derivative_agrees_with_its_value(shown):
    assert shown["edges"]
    for edge, rule, shown_value in shown["edges"]:
        expected = value(math_of(rule), shown["values"])
        assert number(shown_value) == pytest.approx(expected, rel=1e-5, abs=1e-9), (edge, rule)


def test_each_operation_writes_its_own_local_rule(shown):
    definitions = {name_of(row[0]): math_of(row[1]) for row in shown["nodes"] if row[0].startswith("$")}
    checked = 0
    for edge, rule, _ in shown["edges"]:
        head = edge.split(r"\partial ")[1].split("}")[0] + "}"  # v_{3}
        definition = definitions[head.replace("_{", "_").replace("}", "")]
        if definition in LOCAL_RULES:
            assert math_of(rule) == LOCAL_RULES[definition], (edge, definition)
            checked += 1
    assert checked >= 7


def test_each_gradient_written_out_agrees_with_its_sum_and_its_formula(shown):
    gradients = {name_of(row[0]): number(row[3]) for row in shown["nodes"] if row[0].startswith("$")}
    aligned = [element.value for element in shown["at"].latex if r"\begin{aligned}" in element.value]
    assert len(aligned) == len(POINT)
    for tex, variable in zip(aligned, POINT, strict=True):
        body = tex.split(r"\begin{aligned}")[1].split(r"\end{aligned}")[0]
        numbers_line, formula_line = body.split(r" \\ ")
        terms, total = numbers_line.split("&=")[1].rsplit("=", 1)
        parts = [number(part.replace(r"\left(", "").replace(r"\right)", "")) for part in terms.split(" + ")]
        assert math.fsum(parts) == pytest.approx(number(total), rel=1e-5, abs=1e-6), tex
        formula, formula_total = formula_line.split("&=")[1].rsplit("=", 1)
        assert value(formula, POINT) == pytest.approx(number(formula_total), rel=1e-5, abs=1e-6), formula
        assert number(total) == pytest.approx(gradients[variable], rel=1e-5, abs=1e-6)


def test_each_path_product_agrees_with_its_factors(shown):
    paths = shown["tables"]["Path"]
    assert len(paths) == len(POINT)
    for rows in paths:
        for _, factors, product in rows:
            expected = math.prod(number(factor) for factor in factors.split(" × "))
            assert number(product) == pytest.approx(expected, rel=2e-3, abs=1e-6), (factors, product)
