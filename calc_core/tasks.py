"""What the sandboxed worker may run: ``TASKS``, from a name to a function of plain arguments. Nothing else.

One name per operation, from the page down: ``calc_core.service.chain_of_composition`` (SymPy objects in,
called by the UI) runs the task ``"chain_of_composition"`` in the worker, which is
``calc_core.chain.chain_of_composition`` (the student's text in, plain data out), which does the maths
(``calc_core.chain.one_variable_chain``). Each task lives in its topic module beside the maths it runs.

Every task takes the student's text (normalised by the parser's ``format_expression``) and parses it in the
worker, so that nothing SymPy builds from user input ever runs in the Streamlit server. Every task returns
plain data (str, numbers, lists, dicts; shapes in ``calc_core.results``): a SymPy object would be
re-evaluated when unpickled. Call them through ``calc_core.sandbox.run_task``; calling one directly runs it
in your own process:

>>> TASKS["describe_expression"]("5*x*3*x", ("x",))["latex_evaluated"]
'15 x^{2}'
"""

from __future__ import annotations

from collections.abc import Callable

from calc_core.answers import check_answer
from calc_core.chain import chain_of_composition, chain_of_many, split_composite
from calc_core.derivative_limits import derivative_limit, limit_tables
from calc_core.expressions import (
    describe_expression,
    differentiate_expression,
    evaluate_expression,
    sample_expression,
    simplify_expression,
)
from calc_core.graph import computational_graph_of, graph_partials_of
from calc_core.multivariate import descent_path, gradient_field, partial_derivatives
from calc_core.practice import practice_problems
from calc_core.steps import derivative_steps_of
from calc_core.tangent import tangent_data, tangent_line

TASKS: dict[str, Callable] = {
    task.__name__: task
    for task in (
        # one expression
        evaluate_expression,
        describe_expression,
        differentiate_expression,
        simplify_expression,
        sample_expression,
        derivative_steps_of,
        # the limits page
        derivative_limit,
        limit_tables,
        # the rules page
        tangent_data,
        tangent_line,
        # the partials and gradient pages
        partial_derivatives,
        gradient_field,
        descent_path,
        # the chain rule page
        split_composite,
        chain_of_composition,
        chain_of_many,
        computational_graph_of,
        graph_partials_of,
        # the exercises page
        check_answer,
        practice_problems,
    )
}


def warm_up() -> None:
    """Run a few tasks once, so the worker pays for SymPy's first latex, diff and simplify (most of a second)
    before it is ready rather than in a reader's first request. The worker calls this before its memory
    limit applies.

    >>> warm_up()
    """
    describe_expression("x^2 + 1/x", ("x",))
    differentiate_expression("sin(x)*x", ("x",), "x")
    simplify_expression("x/x", ("x",))
    sample_expression("x", ("x",), "x", 0, 1, 3)
