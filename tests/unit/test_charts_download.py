"""ui.charts: the prepared spec (data in Arrow form, list-valued data inline as JSON) and the downloads made
from it: the CSV has exactly the chart's rows, the SVG and the PNG are real pictures with the chart's labels,
non-finite numbers break nothing, and file names are safe."""

from __future__ import annotations

import csv
import io
import json
import math
import xml.etree.ElementTree as ElementTree

import altair as alt
import numpy as np
import pandas as pd
import pytest

from calc_core.multivariate import evaluate_grid
from ui import charts
from viz.d2l_plot import d2l_tangent_figure, d2l_tangent_rows, figure_to_png
from viz.gradient_charts import VegaLite
from viz.surface_plot import surface_figure, surface_rows, surface_svg
from viz.tangent_chart import tangent_spec

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ROWS = [
    {"x": 0.0, "y": 1.0, "label": "a"},
    {"x": 0.5, "y": 1.25, "label": "b"},
    {"x": 1.0, "y": 2.0, "label": "c"},
]


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for spreadsheets"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def line_chart(rows=ROWS, title="height of the curve"):
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_line(point=True)
        .encode(x=alt.X("x:Q", title="position x"), y=alt.Y("y:Q", title=title))
    )


@pytest.fixture(scope="module")
def prepared_line() -> dict:
    return charts.prepare_spec(charts.spec_of(line_chart()))


# --- the prepared spec ----------------------------------------------------------------------------------


def test_prepared_datasets_are_arrow_bytes_and_come_back_as_the_rows(prepared_line):
    [(name, data)] = prepared_line["datasets"].items()
    assert isinstance(data, bytes)
    assert charts.arrow_rows(data) == ROWS


def test_a_dataset_with_lists_is_inlined_as_json_without_non_finite_numbers():
    spec = {
        "datasets": {
            "readout": [{"h": 0.1, "text": ["slope 2.1", "h = 0.1"], "end": math.inf}],
            "curve": [{"x": 0.0, "y": math.nan}],
        },
        "layer": [
            {"data": {"name": "readout"}, "mark": "text"},
            {"data": {"name": "curve"}, "mark": "line"},
        ],
    }
    prepared = charts.prepare_spec(spec)
    assert list(prepared["datasets"]) == ["curve"] and isinstance(prepared["datasets"]["curve"], bytes)
    inline = prepared["layer"][0]["data"]["values"]
    assert inline == [{"h": 0.1, "text": ["slope 2.1", "h = 0.1"], "end": None}]
    json.dumps(prepared["layer"], allow_nan=False)  # what reaches the browser is valid JSON
    assert charts.arrow_rows(prepared["datasets"]["curve"]) == [{"x": 0.0, "y": None}]


def test_a_spec_without_datasets_is_left_as_it_is():
    spec = {"data": {"values": [{"a": 1}]}, "mark": "point"}
    assert charts.prepare_spec(dict(spec)) == spec


def test_builders_may_return_altair_charts_dicts_or_objects_with_to_dict():
    as_dict = charts.spec_of({"mark": "point"})
    assert as_dict == {"mark": "point"}
    assert charts.spec_of(VegaLite({"mark": "point"})) == {"mark": "point"}
    assert charts.spec_of(line_chart())["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_prepare_caches_by_builder_and_arguments_and_passes_none_on():
    calls = []

    def build(n):
        calls.append(n)
        return None if n < 0 else {"mark": "point", "params": [{"name": "n", "value": n}]}

    first, again, other = charts.prepare(build, 1), charts.prepare(build, 1), charts.prepare(build, 2)
    assert first is again and calls == [1, 2]
    assert first.key != other.key
    assert charts.prepare(build, -1) is None


def test_with_params_starts_a_param_elsewhere_without_touching_the_shared_spec():
    shared = charts.Prepared("k", {"mark": "point", "params": [{"name": "n", "value": 6}, {"name": "m"}]})
    mine = shared.with_params(n=12)
    assert mine.spec["params"] == [{"name": "n", "value": 12}, {"name": "m"}]
    assert shared.spec["params"][0]["value"] == 6
    assert mine.key not in (shared.key, shared.with_params(n=13).key)
    assert shared.with_params(n=12).key == mine.key


# --- CSV --------------------------------------------------------------------------------------------------


def test_csv_of_one_dataset_is_its_header_and_its_rows_exactly(prepared_line):
    table = read_csv(charts.csv_bytes(charts.chart_tables(prepared_line)))
    assert table[0] == ["x", "y", "label"]
    assert table[1:] == [["0.0", "1.0", "a"], ["0.5", "1.25", "b"], ["1.0", "2.0", "c"]]


def test_csv_of_several_datasets_names_each_row_in_a_series_column():
    spec = VegaLite(
        {
            "datasets": {
                "grid": [{"x": 1.0, "f": 2.0}, {"x": 2.0, "f": 3.0}],
                "path": [{"k": 0, "loss": 9.5}],
            },
            "layer": [{"data": {"name": "grid"}, "mark": "rect"}, {"data": {"name": "path"}, "mark": "line"}],
        }
    )
    prepared = charts.prepare_spec(charts.spec_of(spec))
    table = read_csv(charts.csv_bytes(charts.chart_tables(prepared)))
    assert table[0] == ["series", "x", "f", "k", "loss"]
    assert table[1:] == [
        ["grid", "1.0", "2.0", "", ""],
        ["grid", "2.0", "3.0", "", ""],
        ["path", "", "", "0", "9.5"],
    ]


def test_altair_hash_names_and_inline_data_get_plain_names():
    base = line_chart()
    other = alt.Chart(alt.Data(values=[{"x": 3.0, "y": 4.0}])).mark_point().encode(x="x:Q", y="y:Q")
    prepared = charts.prepare_spec(charts.spec_of(alt.layer(base, other)))
    tables = charts.chart_tables(prepared)
    assert list(tables) == ["data-1", "data-2"]
    assert [len(rows) for rows in tables.values()] == [3, 1]


def test_non_finite_values_are_empty_cells_and_lists_are_joined():
    tables = {"t": [{"x": 1.0, "y": math.nan, "z": -math.inf, "w": None, "text": ["a", "b"], "ok": True}]}
    table = read_csv(charts.csv_bytes(tables))
    assert table == [["x", "y", "z", "w", "text", "ok"], ["1.0", "", "", "", "a | b", "true"]]


def test_csv_of_the_tangent_chart_has_every_grid_row():
    xs = np.round(np.arange(-1.0, 1.0001, 0.25), 2)
    with np.errstate(divide="ignore"):
        f = np.where(xs == 0, np.nan, 1 / np.where(xs == 0, 1, xs))
    spec = tangent_spec(xs.tolist(), [None if math.isnan(v) else v for v in f], (-(f**2)).tolist(), 0.5)
    rows = spec["datasets"]
    [(name, grid)] = rows.items()
    prepared = charts.prepare_spec(charts.spec_of(spec))
    table = read_csv(charts.csv_bytes(charts.chart_tables(prepared)))
    assert table[0] == list(grid[0])
    assert len(table) - 1 == len(grid) == xs.size
    middle = table[1 + int(np.flatnonzero(xs == 0)[0])]
    assert middle[table[0].index("f")] == ""  # the pole: an empty cell


# --- pictures -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def awkward_chart() -> dict:
    """A chart with a Chinese title, a NaN, an infinity and a None in its data."""
    rows = [
        {"x": 0.0, "y": 1.0, "s": "曲线"},
        {"x": 1.0, "y": math.nan, "s": "曲线"},
        {"x": 2.0, "y": math.inf, "s": "曲线"},
        {"x": 3.0, "y": None, "s": "曲线"},
        {"x": 4.0, "y": 2.0, "s": "曲线"},
    ]
    chart = (
        alt.Chart(pd.DataFrame(rows))
        .mark_line()
        .encode(x="x:Q", y=alt.Y("y:Q", title="函数值 value"), color="s:N")
    )
    return charts.prepare_spec(charts.spec_of(chart))


def test_plain_spec_is_self_contained_json(awkward_chart):
    plain = charts.plain_spec(awkward_chart)
    text = json.dumps(plain, allow_nan=False)
    assert "datasets" in plain and all(isinstance(rows, list) for rows in plain["datasets"].values())
    assert '"url"' not in text


def test_svg_is_an_svg_document_with_the_chart_labels(awkward_chart):
    svg = charts.chart_svg(awkward_chart)
    assert svg.startswith("<svg")
    ElementTree.fromstring(svg)  # well-formed XML, fonts list included
    assert "函数值 value" in svg and "曲线" in svg


def test_png_has_the_png_signature_and_the_scale(awkward_chart):
    png = charts.chart_png(awkward_chart, scale=1.0)
    assert png.startswith(PNG_MAGIC)
    width = int.from_bytes(png[16:20], "big")
    assert width > 100
    assert int.from_bytes(charts.chart_png(awkward_chart, scale=2.0)[16:20], "big") == pytest.approx(
        2 * width, abs=2
    )


def test_converted_files_come_from_the_cache_by_key(prepared_line):
    csv_data = charts._converted("test-key", "csv", prepared_line)
    assert csv_data == charts.csv_bytes(charts.chart_tables(prepared_line))
    assert charts._converted("test-key", "csv", {}) == csv_data  # same key: the cached file
    with pytest.raises(ValueError):
        charts._converted("test-key", "gif", prepared_line)


# --- server-drawn figures ---------------------------------------------------------------------------------


def test_d2l_figure_data_is_the_plotted_lines():
    rows = d2l_tangent_rows(("f(x)", "切线 (x=1)"))
    assert len(rows) == 30
    assert rows[10] == {"x": 1.0, "f(x)": -1.0, "切线 (x=1)": -1.0}  # the point of tangency
    table = read_csv(charts.csv_bytes({"d2l": rows}))
    assert table[0] == ["x", "f(x)", "切线 (x=1)"] and len(table) == 31
    assert figure_to_png(d2l_tangent_figure(), dpi=30).startswith(PNG_MAGIC)


def test_surface_data_and_svg():
    with np.errstate(all="ignore"):
        grid = evaluate_grid(
            lambda x, y: np.log(x), lambda x, y: 1 / x, lambda x, y: 0 * y, (-1.0, 1.0, -1.0, 1.0), 5
        )
    rows = surface_rows(grid, ("x₁", "x₂"))
    assert len(rows) == 25 and list(rows[0]) == ["x₁", "x₂", "f(x₁, x₂)"]
    assert rows[0]["f(x₁, x₂)"] is None  # log of a negative number: no value, an empty cell
    table = read_csv(charts.csv_bytes({"surface": rows}))
    assert len(table) == 26 and table[1][2] == ""
    assert "<svg" in surface_svg(surface_figure(grid, (0.5, 0.0)))


# --- file names -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        (("rules", "tangent", "x^3", "1"), "rules-tangent-x^3-1"),
        (("rules", "tangent", "x^3 - 1/x", "1.5"), "rules-tangent-x^3-1_x-1.5"),
        (("chain_rule", "graph", "x*y + sin(x)", "step3"), "chain_rule-graph-xy+sin(x)-step3"),
        (("rules", "tangent", "3*x^2 - 4*x", "1"), "rules-tangent-3x^2-4x-1"),
        (("partials", "surface", "../../etc/passwd"), "partials-surface-etc_passwd"),
        (("gradient", "field", "√x · π"), "gradient-field-x"),
        (("a", "", "b"), "a-b"),
        ("", "chart"),
        (("x" * 200,), "x" * charts.MAX_NAME_LENGTH),
    ],
)
def test_file_stems_are_safe(name, stem):
    result = charts.file_stem(name)
    assert result == stem
    assert "/" not in result and "\\" not in result and " " not in result
    assert result.isascii()


# --- Arrow without pandas: the same data as Streamlit's own converter ------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from streamlit import dataframe_util  # noqa: E402

COLUMN_VALUES = {
    "number": st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.none()),
    "integer": st.one_of(st.integers(-(2**40), 2**40), st.none()),
    "text": st.one_of(st.text(max_size=8), st.none()),
    "flag": st.booleans(),
}


@st.composite
def datasets(draw) -> list[dict]:
    """Rows as the viz builders write them: each column of one kind, None and NaN for gaps, keys missing."""
    kinds = draw(
        st.dictionaries(
            st.sampled_from(["x", "y", "label", "segment", "shown"]),
            st.sampled_from(sorted(COLUMN_VALUES)),
            min_size=1,
        )
    )
    size = draw(st.integers(0, 12))
    rows = []
    for _ in range(size):
        present = draw(st.sets(st.sampled_from(sorted(kinds)), min_size=1))
        rows.append({key: draw(COLUMN_VALUES[kinds[key]]) for key in kinds if key in present})
    return rows


@settings(max_examples=200, deadline=None)
@given(datasets())
def test_arrow_bytes_carry_what_streamlits_converter_carries(rows):
    import pyarrow as pa

    def read(data: bytes) -> list[dict]:  # raw: a NaN that should have been null would not compare equal
        return pa.ipc.open_stream(data).read_all().to_pylist()

    assert read(charts.arrow_bytes(rows)) == read(dataframe_util.convert_anything_to_arrow_bytes(rows))


def test_arrow_bytes_keep_every_column_in_the_order_it_first_appears():
    import pyarrow as pa

    table = pa.ipc.open_stream(charts.arrow_bytes([{"b": 1.0}, {"a": "x", "b": 2.0}])).read_all()
    assert table.column_names == ["b", "a"]
    assert table.column("a").to_pylist() == [None, "x"]
