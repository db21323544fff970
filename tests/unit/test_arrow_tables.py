"""ui.arrow_tables: Arrow columns built from buffers carry the values pyarrow's own constructors would, with
NaN as null, and never import pandas."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_charts_download import datasets
from ui.arrow_tables import arrow_array, table_from_columns, table_from_rows

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COLUMNS = st.one_of(
    st.lists(st.one_of(st.floats(), st.integers(-(2**63), 2**63 - 1), st.none())),
    st.lists(st.one_of(st.booleans(), st.none())),
    st.lists(st.one_of(st.text(), st.none())),
)


def expected(values: list) -> list:
    """What the column should read back as: NaN as None, integers as floats when floats are among them."""
    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    floats = any(isinstance(v, float) for v in present)
    return [
        None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) if floats else v
        for v in values
    ]


@settings(max_examples=300, deadline=None)
@given(COLUMNS)
def test_a_column_reads_back_as_given_with_gaps_as_nulls(values):
    array = arrow_array(values)
    assert array.to_pylist() == expected(values)
    assert array.null_count == sum(value is None for value in expected(values))
    array.validate(full=True)


@settings(max_examples=100, deadline=None)
@given(datasets())
def test_rows_become_the_table_pyarrow_would_build(rows):
    table = table_from_rows(rows)
    keys = list(dict.fromkeys(key for row in rows for key in row))
    assert table.column_names == keys
    assert table.to_pylist() == [{key: expected([row.get(key)])[0] for key in keys} for row in rows]


def test_a_column_of_mixed_kinds_is_left_to_streamlit_and_a_huge_integer_is_a_float():
    assert arrow_array([1.0, "one"]) is None
    assert arrow_array([2**70, 1]).to_pylist() == [2.0**70, 1.0]
    assert table_from_columns({"a": [1, "x"]}) is None
    assert arrow_array([None, float("nan")]).type == pa.null()


def test_text_keeps_every_character():
    words = ["导数", "∂f/∂x₁", "", None, "😀"]
    assert arrow_array(words).to_pylist() == words


@pytest.mark.parametrize("rows", [[{"x": 1.0, "label": "f", "shown": True}], []])
def test_building_a_table_does_not_import_pandas(rows):
    code = (
        "import sys; from ui.arrow_tables import table_from_rows; "
        f"table_from_rows({rows!r}); "
        "import pyarrow as pa; sink = pa.BufferOutputStream(); "
        "assert 'pandas' not in sys.modules, 'pandas was imported'"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=str(__import__("pathlib").Path(__file__).parents[2])
    )
