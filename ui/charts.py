"""Every chart on the page goes through here: built once per distinct input, served from a shared, bounded
cache, drawn with st.vega_lite_chart, and offered for download (its data as CSV, the picture as SVG and PNG).

Why a "prepared" spec. Building a spec and its data costs milliseconds, and st.vega_lite_chart converts every
dataset of a spec to Arrow on every run unless it is bytes already (Streamlit 1.67,
``vega_charts._marshall_chart_data``): about 15 ms per chart per rerun. So the spec is cached once per input
with its datasets already in Arrow IPC bytes, by Streamlit's own converter: the browser gets exactly what it
would have got, and a rerun only serialises the small rest of the spec. Arrow has no JSON arrays, so a dataset
with a list-valued field (a multi-line label; the secant's readout joins its lines instead) stays JSON, inline
where it is used, with every non-finite float made None (JSON has no NaN; the browser would refuse the whole
spec). The cache is an st.cache_resource, shared read-only by every session: st.vega_lite_chart copies a spec
before it takes the data out of it, and :meth:`Prepared.with_params` makes a new one.

A builder returns a Vega-Lite spec: a plain dict, an object with ``to_dict()`` (``viz.vega_lite.VegaLite``,
``viz.chain_charts.InlineChart``; an Altair chart would do too, but building one costs tens to hundreds of
milliseconds, so ``viz`` writes its specs as dicts), or None when there is nothing to draw.

Downloads cost nothing until someone clicks: st.download_button takes a callable, run on the click (in a
thread of its own, outside the script run), and ``on_click="ignore"`` saves the rerun. The data comes back
from the prepared spec itself (Arrow bytes → rows), so a download has exactly the chart's data, no more: in
predict mode a hidden answer stays hidden. SVG and PNG come from vl-convert (the Vega project's converter,
no browser needed) with the data inline, so the files are self-contained; text in Noto Sans CJK (Debian's
fonts-noto-cjk, also on Community Cloud through packages.txt) so Chinese labels have glyphs. Conversions are
cached per chart and format.

Server-drawn figures (matplotlib) and Graphviz charts get the same control through :func:`figure_downloads`
and :func:`dot_download`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from ui.arrow_tables import table_from_rows
from ui.i18n import t
from viz import palette

CHART_CACHE_ENTRIES = 512  # prepared specs, all pages and sessions together
DOWNLOAD_CACHE_ENTRIES = 64  # converted files (SVG, PNG, CSV)
DARK_THEME_TEXT = "#FAFAFA"  # Streamlit's own text colour in its dark theme
PNG_SCALE = 2.0  # twice the on-screen size: sharp on a slide
# Text in exported pictures. A list, as in CSS: an SVG opened elsewhere takes the first font it has; the
# converter finds Noto Sans CJK SC (Latin and Chinese in one face) on the server.
EXPORT_FONT = ", ".join(
    [
        '"Source Sans Pro"',
        '"Noto Sans CJK SC"',
        '"Noto Sans SC"',
        '"PingFang SC"',
        '"Microsoft YaHei"',
        "sans-serif",
    ]
)
# As the app draws charts (Streamlit's theme): the palette of .streamlit/config.toml, axis and legend titles
# in normal weight. Known gap: Noto Sans CJK has no subscript digits, so in a PNG a label such as "x₁" (Latin
# and subscripts only) is drawn in the fallback face, DejaVu Serif; an SVG uses the reader's fonts.
EXPORT_CONFIG = {
    "font": EXPORT_FONT,
    "range": {"category": list(palette.CURVE_COLORS)},
    "axis": {"titleFontWeight": "normal"},
    "legend": {"titleFontWeight": "normal"},
    "header": {"titleFontWeight": "normal"},
}
_ALTAIR_DATASET = re.compile(r"data-[0-9a-f]{16,}")  # Altair names a dataset by its hash: no help to a reader
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9()^+.,=_-]+")
MAX_NAME_LENGTH = 80

MIME = {
    "csv": "text/csv",
    "svg": "image/svg+xml",
    "png": "image/png",
    "dot": "text/vnd.graphviz",
}


# --- preparing a spec -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Prepared:
    """A chart ready for st.vega_lite_chart. Shared by every session: never change ``spec`` in place.

    ``key`` names the builder and its arguments (and any later changes): the downloads' cache entries and
    widget keys hang on it.
    """

    key: str
    spec: dict

    def with_params(self, **values) -> Prepared:
        """A copy whose Vega-Lite params named in ``values`` start at those values (a per-reader start)."""
        params = [
            {**param, "value": values[param["name"]]} if param.get("name") in values else param
            for param in self.spec.get("params", [])
        ]
        changes = ",".join(f"{name}={value!r}" for name, value in sorted(values.items()))
        return Prepared(_digest(f"{self.key}|{changes}"), {**self.spec, "params": params})


def prepare(build: Callable, *args) -> Prepared | None:
    """``build(*args)`` as a :class:`Prepared` chart (None if the builder returned None), built once.

    ``args`` must be hashable plain data that fully determine the chart (the language, projector mode, ...).
    """
    return _prepared(build, f"{build.__module__}.{build.__qualname__}", args)


@st.cache_resource(max_entries=CHART_CACHE_ENTRIES, show_spinner=False)
def _prepared(_build: Callable, build_name: str, args: tuple) -> Prepared | None:
    chart = _build(*args)
    if chart is None:
        return None
    return Prepared(_digest(f"{build_name}{args!r}"), prepare_spec(spec_of(chart)))


def spec_of(chart) -> dict:
    """The Vega-Lite spec of what a builder returned, as a new dict (the caller may change it)."""
    if hasattr(chart, "to_dict"):
        try:
            # The builders' own tests validate their specs; validating again here costs 50-100 ms.
            return chart.to_dict(validate=False)
        except TypeError:  # a to_dict() without options
            return chart.to_dict()
    return dict(chart)


def prepare_spec(spec: dict) -> dict:
    """``spec`` with its datasets in Arrow IPC bytes, as st.vega_lite_chart sends them; a dataset with a
    list-valued field inline (JSON) where it is used, non-finite floats made None. Changes ``spec``."""
    if not spec.get("datasets"):
        return spec
    datasets = spec.pop("datasets")
    inline = {name: json_safe(rows) for name, rows in datasets.items() if _has_lists(rows)}
    if inline:
        _inline_named_data(spec, inline)
    spec["datasets"] = {name: arrow_bytes(rows) for name, rows in datasets.items() if name not in inline}
    return spec


def arrow_bytes(rows: list[dict]) -> bytes:
    """The rows as an Arrow IPC stream, as st.vega_lite_chart sends a dataset: one column per key (in the
    order keys first appear), NaN as null as Streamlit's own converter makes it.

    Built without pandas (``ui.arrow_tables``): Streamlit's converter goes through a pandas DataFrame, which
    costs a few milliseconds per chart and, on a server's first run, 300 ms to import pandas. A column of
    mixed kinds (text and numbers) goes through Streamlit's converter.

    >>> arrow_rows(arrow_bytes([{"x": 1, "y": float("nan")}, {"x": 2.5, "y": 3.0, "label": "f"}]))
    [{'x': 1.0, 'y': None, 'label': None}, {'x': 2.5, 'y': 3.0, 'label': 'f'}]
    """
    from streamlit import dataframe_util

    table = table_from_rows(rows)
    if table is None:
        return dataframe_util.convert_anything_to_arrow_bytes(rows)
    return dataframe_util.convert_arrow_table_to_arrow_bytes(table)


def json_safe(value):
    """``value`` with every non-finite float replaced by None: JSON has no NaN or Infinity.

    >>> json_safe({"a": [1.0, float("nan"), float("-inf")], "b": "x"})
    {'a': [1.0, None, None], 'b': 'x'}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


def _has_lists(rows) -> bool:
    return any(isinstance(value, list) for row in rows if isinstance(row, dict) for value in row.values())


def _inline_named_data(node, inline: dict) -> None:
    """Replace each ``"data": {"name": n}`` with n in ``inline`` by the rows themselves."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "data" and isinstance(value, dict) and value.get("name") in inline:
                node[key] = {"values": inline[value["name"]]}
            else:
                _inline_named_data(value, inline)
    elif isinstance(node, list):
        for item in node:
            _inline_named_data(item, inline)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


# --- drawing --------------------------------------------------------------------------------------------


def show_chart(
    build: Callable,
    *args,
    name: str | Sequence[str],
    width: str = "stretch",
    alt: str | None = None,
) -> Prepared | None:
    """Draw ``build(*args)`` (see :func:`prepare`) with its download control under it; returns the chart.

    ``name``: what the downloaded files are called (page, chart, function, ...), e.g. ``("rules",
    "tangent", "x^3", "1")``; ``width``: ``"stretch"`` (the column's width) or ``"content"`` (the spec's
    own, for concatenated charts whose axes would overflow a stretched width).
    """
    chart = prepare(build, *args)
    if chart is not None:
        draw(chart, name=name, width=width, alt=alt)
    return chart


def draw(
    chart: Prepared, *, name: str | Sequence[str], width: str = "stretch", alt: str | None = None
) -> None:
    """Draw a prepared chart and its download control."""
    st.vega_lite_chart(themed(chart.spec, st.context.theme.type), width=width, alt=alt)
    chart_downloads(chart, name)


def themed(spec: dict, theme_type: str | None) -> dict:
    """``spec`` with text marks readable on the theme's background.

    Streamlit's chart theme colours axes and legends but leaves a text mark (a readout such as "∇f = (2, 4)")
    at Vega's default black, which a dark background swallows. The cached spec is shared: a copy is changed.

    >>> themed({"mark": "text"}, "dark")["config"]["text"]["color"]
    '#FAFAFA'
    >>> spec = {"mark": "text"}
    >>> themed(spec, "light") is spec
    True
    """
    if theme_type != "dark":
        return spec
    config = spec.get("config", {})
    return {**spec, "config": {**config, "text": {**config.get("text", {}), "color": DARK_THEME_TEXT}}}


def chart_downloads(chart: Prepared, name: str | Sequence[str]) -> None:
    """The download control of a Vega-Lite chart: its data (CSV), SVG and PNG, each made on the click."""
    spec = chart.spec
    download_menu(
        chart.key,
        file_stem(name),
        {
            "csv": lambda: _converted(chart.key, "csv", spec),
            "svg": lambda: _converted(chart.key, "svg", spec),
            "png": lambda: _converted(chart.key, "png", spec),
        },
    )


def figure_downloads(
    key: str,
    name: str | Sequence[str],
    *,
    png: Callable[[], bytes],
    svg: Callable[[], bytes | str],
    rows: Callable[[], Mapping[str, Sequence[Mapping]]] | None = None,
) -> None:
    """The download control of a server-drawn figure: each callable runs on the click (cache what it makes);
    ``rows`` gives the plotted data as named tables of rows (see :func:`csv_bytes`), where there is some."""
    files: dict[str, Callable[[], bytes | str]] = {}
    if rows is not None:
        files["csv"] = lambda: csv_bytes(rows())
    files |= {"svg": svg, "png": png}
    download_menu(_digest(f"figure|{key}"), file_stem(name), files)


def dot_download(dot: str, name: str | Sequence[str]) -> None:
    """The download control of a Graphviz chart: its DOT source, the text Graphviz draws from."""
    download_menu(_digest(f"dot|{dot}"), file_stem(name), {"dot": lambda: dot})


def download_menu(control: str, stem: str, files: Mapping[str, Callable[[], bytes | str]]) -> None:
    """A row of small download buttons under the chart, one per file, each with what it holds as its tooltip.

    A row rather than a popover: Streamlit puts a popover's content at the end of the page, so a keyboard
    user would Tab through the whole page to reach it; these buttons come right after their chart. Widget
    keys are ``download-<control>-<format>``: unique per chart on a page, and a test counts the controls.
    """
    with st.container(horizontal=True, gap="small"):
        for fmt, make in files.items():
            st.download_button(
                t(f"charts.{fmt}"),
                make,
                file_name=f"{stem}.{fmt}",
                mime=MIME[fmt],
                key=f"download-{control}-{fmt}",
                help=t(f"charts.{fmt}_help"),
                on_click="ignore",
                type="tertiary",
                icon=":material/download:",
            )


def file_stem(name: str | Sequence[str]) -> str:
    """A file name (without extension) safe on every system: ASCII letters, digits and ``()^+.,=_-``; no
    spaces, and no ``*`` (``3*x^2`` is ``3x^2``).

    >>> file_stem(("rules", "tangent", "x^3 - 1/x", "1"))
    'rules-tangent-x^3-1_x-1'
    >>> file_stem("gradient-descent-x1*x2")
    'gradient-descent-x1x2'
    """
    parts = [name] if isinstance(name, str) else list(name)
    cleaned = []
    for part in parts:
        text = _UNSAFE_NAME.sub("_", str(part).replace(" ", "").replace("*", "")).strip("_.")
        if text:
            cleaned.append(text)
    return "-".join(cleaned)[:MAX_NAME_LENGTH].rstrip("-_.") or "chart"


# --- converting ------------------------------------------------------------------------------------------


@st.cache_data(max_entries=DOWNLOAD_CACHE_ENTRIES, show_spinner=False)
def _converted(key: str, fmt: str, _spec: dict) -> bytes | str:
    """The file ``fmt`` of the prepared chart ``key``; ``_spec`` is not hashed: the key names it."""
    if fmt == "csv":
        return csv_bytes(chart_tables(_spec))
    if fmt == "svg":
        return chart_svg(_spec)
    if fmt == "png":
        return chart_png(_spec)
    raise ValueError(f"unknown format {fmt!r}")


def arrow_rows(data: bytes) -> list[dict]:
    """The rows of an Arrow IPC stream (what :func:`prepare_spec` made), with NaN and nulls as None."""
    import pyarrow as pa

    return json_safe(pa.ipc.open_stream(data).read_all().to_pylist())


def plain_spec(spec: dict) -> dict:
    """A prepared spec with its data as JSON again: self-contained, for a converter."""
    datasets = spec.get("datasets")
    if not datasets:
        return dict(spec)
    return {
        **spec,
        "datasets": {
            name: arrow_rows(rows) if isinstance(rows, bytes) else json_safe(rows)
            for name, rows in datasets.items()
        },
    }


def chart_tables(spec: dict) -> dict[str, list[dict]]:
    """Every table of rows a chart draws: its named datasets, then inline ``data.values``, by name.

    Altair's hash names become ``data-1``, ``data-2``, ..., as do inline tables, in order.
    """
    tables: dict[str, list[dict]] = {}
    count = 0

    def unnamed() -> str:
        nonlocal count
        count += 1
        return f"data-{count}"

    for name, rows in (spec.get("datasets") or {}).items():
        rows = arrow_rows(rows) if isinstance(rows, bytes) else json_safe(rows)
        tables[unnamed() if _ALTAIR_DATASET.fullmatch(str(name)) else str(name)] = rows
    seen: set[int] = set()
    for values in _inline_values(spec):
        if id(values) not in seen and isinstance(values, list) and values:
            seen.add(id(values))
            tables[unnamed()] = json_safe(values)
    return tables


def _inline_values(node) -> Iterable[list]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "datasets":
                continue
            if key == "data" and isinstance(value, dict) and "values" in value:
                yield value["values"]
            else:
                yield from _inline_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from _inline_values(item)


def csv_bytes(tables: Mapping[str, Sequence[Mapping]]) -> bytes:
    """The tables as one CSV: the columns of all of them (in order of appearance), and a first column
    ``series`` naming each row's table when there are several. UTF-8 with a byte-order mark, so that a
    spreadsheet reads Chinese labels right; non-finite numbers and missing values are empty cells, a list
    (a multi-line label) its items joined by `` | ``.

    >>> csv_bytes({"grid": [{"x": 0.5, "f": float("nan")}, {"x": 1.0, "f": 2.0}]}).decode("utf-8-sig")
    'x,f\\r\\n0.5,\\r\\n1.0,2.0\\r\\n'
    """
    several = sum(1 for rows in tables.values() if rows) > 1
    columns: dict[str, None] = {"series": None} if several else {}
    for rows in tables.values():
        for row in rows:
            columns.update(dict.fromkeys(str(name) for name in row))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(columns))
    for name, rows in tables.items():
        for row in rows:
            cells = {str(column): _cell(value) for column, value in row.items()}
            if several:
                cells["series"] = name
            writer.writerow([cells.get(column, "") for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value) -> str | float | int:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, list | tuple):
        return " | ".join(str(_cell(item)) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def chart_svg(spec: dict) -> str:
    """The chart as an SVG document, its data inline, drawn by vl-convert."""
    import vl_convert

    return vl_convert.vegalite_to_svg(plain_spec(spec), config=EXPORT_CONFIG, allowed_base_urls=[])


def chart_png(spec: dict, scale: float = PNG_SCALE) -> bytes:
    """The chart as PNG bytes, ``scale`` times its size on screen, drawn by vl-convert."""
    import vl_convert

    return vl_convert.vegalite_to_png(
        plain_spec(spec), scale=scale, config=EXPORT_CONFIG, allowed_base_urls=[]
    )
