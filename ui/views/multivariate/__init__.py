"""What the partials and gradient pages draw and how they read their inputs; the page scripts stay lessons.
One module per part: ``common`` (the function and the point: both pages), ``analysis`` (the worker's
answers), ``partials`` (the partials page), ``surface`` (its 3D surface), ``gradient`` (∇f, its field and
gradient descent), ``lab`` (the identity lab), ``exercises`` (D2L's exercises 2 and 3).

URL contract (every input is in the address, so a link opens exactly what the class should see):

- ``f``: the function (both pages), in x1, x2 (, x3, x4) or x, y (, z): the variables are detected.
- ``p``: the point, coordinates separated by commas, e.g. ``p=1,2`` (both pages).
- ``u``: the direction's angle in degrees, 0 … 360 (gradient page; the chart's slider starts there).
- ``s``: gradient descent's start point, ``lr``: its learning rate, ``k``: its number of steps.
- ``id``: the identity of the lab (``Ax``, ``xA``, ``xAx``, ``norm2``, ``frobenius``), ``m`` and ``n``: the
  sizes, ``lay``: the layout (``denominator`` or ``numerator``), ``seed``: the random numbers.

A value from the URL that cannot be used is replaced by the default, or clamped, and the reader is told so.

Every formula and number about the reader's function comes from the sandboxed worker (``calc_core.service``);
charts are built once per input (``ui.charts.show_chart``) and the 3D surface's PNG is cached, so a rerun
with nothing new costs little. What a student moves (the point, a slice, the direction, a descent step)
moves inside the charts, in the browser.
"""
