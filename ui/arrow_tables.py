"""Arrow tables from plain Python values, built without pandas.

Charts and tables reach the browser as Arrow. pyarrow's own constructors (``pa.array``, ``pa.table``) import
pandas the first time they run, to check whether they were given a pandas object: 300 ms on a server's first
run, for a library the app does not otherwise need. Arrays built from their buffers skip that check, so the
few column kinds the app sends (numbers, integers, yes/no, text, each with gaps) are built here from numpy
buffers; anything else returns None and the caller uses Streamlit's converter.

A NaN becomes a null, as Streamlit's converter makes it (through pandas); infinities stay.

>>> table = table_from_columns({"x": [1, 2.5, None], "label": ["f", None, "g"]})
>>> table.column_names, table.column("x").to_pylist(), table.column("label").to_pylist()
(['x', 'label'], [1.0, 2.5, None], ['f', None, 'g'])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def table_from_rows(rows: Sequence[Mapping]) -> pa.Table | None:
    """One column per key, in the order keys first appear; a key missing from a row is a gap there.

    >>> table_from_rows([{"b": 1.0}, {"a": "x", "b": 2.0}]).to_pylist()
    [{'b': 1.0, 'a': None}, {'b': 2.0, 'a': 'x'}]
    """
    keys = list(dict.fromkeys(key for row in rows for key in row))
    return table_from_columns({key: [row.get(key) for row in rows] for key in keys})


def table_from_columns(columns: Mapping[str, Sequence]) -> pa.Table | None:
    """The columns as an Arrow table, or None if a column mixes kinds (text and numbers, say)."""
    arrays = []
    for values in columns.values():
        array = arrow_array(list(values))
        if array is None:
            return None
        arrays.append(array)
    return pa.Table.from_arrays(arrays, names=[str(name) for name in columns])


def arrow_array(values: list) -> pa.Array | None:
    """One column: float64, int64, bool or string with nulls where a value is None (or NaN); all gaps is
    a null column, integers beyond int64 are floats. None for a mix of kinds.

    >>> arrow_array([True, None]).to_pylist(), arrow_array([3, None]).type, arrow_array([1, "a"]) is None
    ([True, None], DataType(int64), True)
    """
    present = [_is_present(value) for value in values]
    shown = [value for value, here in zip(values, present, strict=True) if here]
    kinds = {_kind(value) for value in shown}
    if not kinds:
        return pa.nulls(len(values))
    if kinds == {"int"} and all(INT64_MIN <= value <= INT64_MAX for value in shown):
        return _fixed_width(pa.int64(), np.int64, values, present)
    if kinds <= {"int", "float"}:
        return _fixed_width(pa.float64(), np.float64, values, present)
    if kinds == {"bool"}:
        return _booleans(values, present)
    if kinds == {"str"}:
        return _strings(values, present)
    return None


def _is_present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _kind(value) -> str:
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, int | np.integer):
        return "int"
    if isinstance(value, float | np.floating):
        return "float"
    return "str" if isinstance(value, str) else "other"


def _validity(present: list[bool]) -> pa.Buffer | None:
    if all(present):
        return None
    return pa.py_buffer(np.packbits(np.array(present, dtype=bool), bitorder="little"))


def _fixed_width(arrow_type, numpy_type, values: list, present: list[bool]) -> pa.Array:
    data = np.array([v if here else 0 for v, here in zip(values, present, strict=True)], dtype=numpy_type)
    return pa.Array.from_buffers(arrow_type, len(values), [_validity(present), pa.py_buffer(data)])


def _booleans(values: list, present: list[bool]) -> pa.Array:
    flags = np.array([bool(value) and here for value, here in zip(values, present, strict=True)], dtype=bool)
    bits = pa.py_buffer(np.packbits(flags, bitorder="little"))
    return pa.Array.from_buffers(pa.bool_(), len(values), [_validity(present), bits])


def _strings(values: list, present: list[bool]) -> pa.Array:
    encoded = [v.encode("utf-8") if here else b"" for v, here in zip(values, present, strict=True)]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(item) for item in encoded], out=offsets[1:])
    buffers = [_validity(present), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(pa.large_string(), len(values), buffers)
