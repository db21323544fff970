"""What the rules page draws and how it reads its inputs; the page script (app_pages/rules.py) stays a lesson.
One module per part: ``common`` (URL names, inputs, the worker's answers, the reference cards), ``d2l``
(D2L's worked example and figure), ``explorer`` (f′, the tangent and the steps for the reader's function).

Inputs, all in the URL: ``f`` (the function box), ``x0`` (the point of tangency, a number box) and ``f2``
(show f″ too, a toggle). A value from the URL that cannot be used is replaced by the default, and the
reader is told so.

Every number and formula about the reader's function comes from the sandboxed worker
(``calc_core.service``): the grid of f and f′ for the browser-side tangent (``tangent_data``), the exact
tangent and the verdict on differentiability (``tangent_line``, SymPy's one-sided limits), and the steps
(``derivative_steps_of``). The three run at once, on the worker pool. The chart is built once per input
(its spec is cached); what the reader drags (x₀) moves inside the chart, with no rerun.
"""
