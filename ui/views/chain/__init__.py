"""What the chain rule page draws and how it reads its inputs; the page script (app_pages/chain_rule.py) stays
a lesson. One module per part of the page: ``one`` (one variable), ``many`` (many variables and exercise 4),
``graph`` (the computational graph); ``common`` holds what they share.

URL names (each widget's key is its URL name):

- one variable: ``f`` (the outer function, in u, or in x read as u), ``g`` (the inner one, in x; in v when
  there is a third level), ``h`` (optional third level, in x), ``x0`` (the point);
- many variables: ``y`` (in u1 … um), ``u1`` ``u2`` ``u3`` (in x1 … xn), ``m`` and ``nx`` (how many u's and
  x's), ``x1`` ``x2`` ``x3`` (the point);
- exercise 4: ``eu`` (u in x, y, z), ``ex`` ``ey`` ``ez`` (in a, b), ``ea`` ``eb`` (the point);
- the computational graph: ``expr`` (in x, y, z), ``gx`` ``gy`` ``gz`` (the point), ``step`` (the
  walk-through, 0 … 2 × nodes).

A value from the URL goes through the same parser as one typed in; a number that cannot be used is replaced
by the default or clamped, and the reader is told so. Every SymPy result comes from the sandboxed worker
(``calc_core.service``) as plain data; the LaTeX shown is the worker's, or fixed formulas filled with the
app's own names (x, u₁, v₃) and numbers. Text a reader typed is never rendered as Markdown or HTML.
"""
