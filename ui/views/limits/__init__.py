"""What the limits page draws and how it reads its inputs, so that app_pages/limits.py reads like a lesson.
One module per part: ``common`` (inputs, the worker's answers, numbers as text, chart helpers),
``derivative`` (D2L's experiment, the secants, round-off, one-sided limits), ``exhaustion`` (the polygon and
Archimedes' bounds).

Inputs, all in the URL: ``f`` (the function box), ``x0`` (a number input), ``h`` (the smallest step of D2L's
loop, a select slider with the values 1e-1 … 1e-16) and ``n`` (the polygon's starting number of sides, read
from st.query_params: the polygon's own slider lives in the browser, inside the chart). A value from the URL
that cannot be used is replaced by the default or clamped, and the reader is told so.

Every number about the reader's function comes from the sandboxed worker (``calc_core.service``): D2L's
loop, the difference quotients, the one-sided tables, the secant's points and the sampled curve are float64
results of the worker, and SymPy's exact limits come from there too. Charts are built once per input and
language (``ui.charts`` keeps their Vega-Lite specs, shared read-only: building an Altair chart costs far
more than a rerun may; it also offers each chart's downloads), and what a student drags (h, n) moves inside
the chart, with no rerun.
"""
