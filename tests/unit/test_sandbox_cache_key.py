"""The sandbox's result cache, keyed by the task and all of its arguments: two requests share a result only
when they are the same request. Tested on the pool's own ``run_task`` with the computation replaced by an
echo of the request, so that a key that forgets an argument shows as one request answered with another's
result (the workers' real answers are tested in test_sandbox.py).
"""

from __future__ import annotations

import pytest

from calc_core.sandbox import FRAME_HEADER, Outcome, ResultCache, WorkerPool
from calc_core.worker import encode_frame


@pytest.fixture(scope="module")
def echo_pool():
    pool = WorkerPool(size=1)
    computed: list[tuple] = []

    def echo(task, args, limit):
        computed.append((task, args))
        return Outcome(encode_frame(("ok", {"task": task, "args": args}))[FRAME_HEADER.size :])

    pool._compute = echo
    yield pool, computed
    pool.close()


# Pairs of requests that differ in one thing only: the task, the text, the variables, a number, the order.
DIFFERENT = [
    (("describe_expression", "x^2", ("x",)), ("evaluate_expression", "x^2", ("x",))),
    (("describe_expression", "x^2", ("x",)), ("describe_expression", "x^3", ("x",))),
    (("describe_expression", "x*y", ("x",)), ("describe_expression", "x*y", ("x", "y"))),
    (("derivative_limit", "abs(x)", ("x",), "x", 0.0), ("derivative_limit", "abs(x)", ("x",), "x", 1.0)),
    (("derivative_limit", "x", ("x",), "x", 0.5), ("derivative_limit", "x", ("x",), "x", 0.5000000001)),
    (
        ("chain_of_many", "u1", ("u1",), ("x1",), ("x1",), (1.0,)),
        ("chain_of_many", "u1", ("u1",), ("x1",), ("x1",), (2.0,)),
    ),
    (
        ("tangent_data", "x", ("x",), "x", 0.0, 1.0, 3, 0.5, False),
        ("tangent_data", "x", ("x",), "x", 0.0, 1.0, 3, 0.5, True),
    ),
    (
        ("sample_expression", "x", ("x",), "x", 0.0, 1.0, 3),
        ("sample_expression", "x", ("x",), "x", 1.0, 0.0, 3),
    ),
]


@pytest.mark.parametrize(("first", "second"), DIFFERENT)
def test_different_requests_never_share_a_result(echo_pool, first, second):
    pool, computed = echo_pool
    computed.clear()
    pool.cache.clear()
    one, other = pool.run_task(*first), pool.run_task(*second)
    assert one == {"task": first[0], "args": first[1:]}
    assert other == {"task": second[0], "args": second[1:]}
    assert computed == [(first[0], first[1:]), (second[0], second[1:])]


def test_the_same_request_is_computed_once(echo_pool):
    pool, computed = echo_pool
    computed.clear()
    pool.cache.clear()
    request = ("describe_expression", "sin(x) + 7", ("x",))
    assert pool.run_task(*request) == pool.run_task(*request)
    assert computed == [(request[0], request[1:])]


def test_the_cache_keeps_each_key_apart():
    cache = ResultCache(max_entries=8)
    assert cache.get_or_compute(("a", (1,)), lambda: b"one") == b"one"
    assert cache.get_or_compute(("a", (2,)), lambda: b"two") == b"two"
    assert cache.get_or_compute(("a", (1,)), lambda: b"other") == b"one"
