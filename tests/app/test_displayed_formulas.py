"""What a page *shows* must agree with itself (the chain-rule page's graph, the gradient's norm, the rules
page's tangent): every formula displayed beside a number is evaluated (``tests.latex_values``) and compared
with that number, so a wrong or sign-flipped local derivative, node definition, gradient formula or tangent
fails here even where the numbers are right (and the other way round). The chain-rule graph's local
derivatives are also pinned as text, one per operation.
"""

from __future__ import annotations

import math

import pytest

from calc_core.errors import ExpressionError
from tests.app.helpers import assert_no_exception, page_spec, run_page
from tests.app.landing import make_landing_page
from tests.app.markdown_tables import parse_markdown_table
from tests.latex_values import value
from ui.views.rules import common as rules_common

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


def tables_by_first_header(at) -> dict[str, list[list[list[str]]]]:
    """Each Markdown table on the page as rows of cells, grouped by its first header (Node, Edge, Path); a
    table may follow a sentence in the same Markdown element (the sum over paths does)."""
    tables: dict[str, list[list[list[str]]]] = {}
    for element in at.markdown:
        lines = "\n".join(line for line in element.value.splitlines() if line.startswith("|"))
        columns = parse_markdown_table(lines)
        if columns is not None:
            rows = [list(cells) for cells in zip(*columns.values(), strict=True)]
            tables.setdefault(next(iter(columns)), []).append(rows)
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
    tables = tables_by_first_header(at)
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


@pytest.mark.parametrize(("f", "point"), [("x1^2 + 4x2^2", "1, 0.5"), ("x*y - 3*z^2", "-1, 2, 0.5")])
def test_the_gradient_page_writes_a_norm_that_agrees_with_its_vector(f, point):
    """∇f at the point as a column, and ‖∇f‖ beside it: the norm shown is the length of the vector shown."""
    with pytest.MonkeyPatch.context() as patch:
        make_landing_page(patch, page_spec("gradient"))
        at = run_page("gradient", lang="en", f=f, p=point)
    [tex] = [e.value for e in at.latex if r"\|\nabla f(" in e.value and r"\begin{bmatrix}" in e.value]
    column = tex.split(r"\begin{bmatrix}")[1].split(r"\end{bmatrix}")[0]
    components = [number(entry) for entry in column.split(r"\\")]
    assert len(components) == len(point.split(","))
    norm = number(tex.rsplit("=", 1)[1].strip().strip("$").strip())
    assert norm == pytest.approx(math.hypot(*components), rel=1e-5)
    assert norm > max(abs(c) for c in components)  # more than one component: the sum of squares counts


def rules_derivation(at) -> tuple[str, str, str, str]:
    """The explorer's derivation as shown: f(x₀), k·x₀ (as written), b, and the line's right-hand side."""
    formulas = [
        p.strip() for e in at.markdown for p in e.value.split("$$")[1::2] if r"\Rightarrow\quad b =" in p
    ]
    [intercept] = formulas[-1:]  # D2L's own derivation comes first; the explorer's is the last
    left, b = intercept.split(r"\quad\Rightarrow\quad b =")
    f_x0, product = left.split(" = ", 1)
    product = product.strip().removesuffix("+ b")
    blocks = [p.strip() for e in at.markdown for p in e.value.split("$$")[1::2]]
    [line] = [block.removeprefix("y = ") for block in blocks if block.startswith("y = ")][-1:]
    return f_x0, product, b.strip(), line


@pytest.mark.parametrize("exact", [True, False], ids=["exact", "numeric"])
@pytest.mark.parametrize(
    ("f", "x0"), [("x^3 - 2x", "-1.25"), ("sin(x) + 2", "0.75"), ("exp(x) - x^2", "1.5")]
)
def test_the_rules_explorer_derives_a_tangent_that_agrees_with_itself(f, x0, exact, monkeypatch):
    """f(x₀) = k·x₀ + b with the numbers shown, and the line shown passes through (x₀, f(x₀)): a sign
    flipped anywhere in the derivation fails. Without the exact tangent (the worker timed out) the page
    derives it from float64 numbers: checked the same way."""
    if not exact:

        def too_slow(*args, **kwargs):
            raise ExpressionError("timeout", seconds=3)

        monkeypatch.setattr(rules_common, "tangent_line", too_slow)
        x0 = x0 + "1"  # another input: the page caches its answers
    make_landing_page(monkeypatch, page_spec("rules"))
    at = run_page("rules", lang="en", f=f, x0=x0)
    f_x0, product, b, line = rules_derivation(at)
    f_value, k_x0, b_value = value(f_x0, {}), value(product.replace(r"\cdot", " "), {}), value(b, {})
    shown_digits = 2e-6 * (abs(f_value) + abs(k_x0) + abs(b_value))  # the numeric path shows 7 digits
    assert f_value == pytest.approx(k_x0 + b_value, abs=shown_digits), (f_x0, product, b)
    assert value(line, {"x": float(x0)}) == pytest.approx(f_value, abs=shown_digits), line


@pytest.mark.parametrize(
    "query", [{}, {"h": "x+1", "x0": "0.5"}, {"f": "exp(u) - u^3", "g": "cos(x)", "x0": "-2"}], ids=str
)
def test_the_one_variable_factors_agree_with_their_formulas_and_their_product(query):
    """Each factor's value in the table is its formula (f'(u) = …, shown above it) at the point the table
    names, and dy/dx at x₀ is the product of exactly those values."""
    with pytest.MonkeyPatch.context() as patch:
        make_landing_page(patch, page_spec("chain_rule"))
        at = run_page("chain_rule", lang="en", part="one", **query)
    [factors] = tables_by_first_header(at)["Factor"]
    [aligned] = [e.value for e in at.latex if r"\begin{aligned}" in e.value and "f'(u)" in e.value]
    rules = {
        line.split("&=")[0].strip(): line.split("=")[-1].strip()
        for line in aligned.split(r"\begin{aligned}")[1].split(r"\end{aligned}")[0].split(r" \\ ")[:-1]
    }
    for factor, where, shown_value in factors:
        name = math_of(factor).split(" = ")[0]  # \frac{dy}{du}
        variable, at_value = math_of(where).split(" = ")
        expected = value(rules[name], {variable: number(at_value)})
        assert number(shown_value) == pytest.approx(expected, rel=1e-5, abs=1e-9), (factor, where)
    [gathered] = [e.value for e in at.latex if r"\right|_{x =" in e.value]
    product_line = gathered.split(r"\\")[-1].split(r"\end{gathered}")[0]
    *_, written, product = product_line.split(" = ")
    written_factors = [
        number(part.replace(r"\left(", "").replace(r"\right)", "")) for part in written.split(r"\cdot")
    ]
    assert written_factors == [number(row[2]) for row in factors]
    assert number(product) == pytest.approx(math.prod(written_factors), rel=1e-5)
