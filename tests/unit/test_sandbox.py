"""The sandbox: killable workers with a time and a memory limit, a cache that remembers failures, no orphans.

The hostile inputs are real ones that the parser accepts; each keeps SymPy busy for far longer than the
limits used here (measured: more than 15 s each on a 2-core machine).
"""

from __future__ import annotations

import importlib
import os
import pickle
import signal
import subprocess
import sys
import threading
import time

import pytest
import sympy

import calc_core
from calc_core import sandbox, worker, worker_pool
from calc_core.errors import ExpressionError
from calc_core.sandbox import PROJECT_ROOT, Outcome, WorkerPool
from calc_core.tasks import TASKS

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc; the app runs on Linux"
)

LIMIT = 1.0  # a short time limit keeps the tests fast
MARGIN = 5.0  # a noisy machine may be slow to kill, reap and answer
SLOW_EVALUATION = (
    "describe_expression",
    "sin(sin(3+exp(exp(exp(3)))))",
    ("x",),
)  # evaluating the sin of a huge number
SLOW_SIMPLIFY = ("simplify_expression", "(x+1)^1000*(x+2)^1000", ("x",))
MEMORY_HUNGRY = ("simplify_expression", "(x+y+1)^1000", ("x", "y"))  # grows by tens of MB a second
SIMPLE = ("describe_expression", "x^2 + x^2", ("x",))
MODERATE = ("simplify_expression", "(x+1)^100*(x+2)^100", ("x",))  # about 1 s of SymPy: killable in flight
SIMPLE_ANSWER = {"latex": "x^{2} + x^{2}", "latex_evaluated": "2 x^{2}", "free_variables": ["x"]}


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(2, timeout=LIMIT) as pool:
        assert pool.wait_ready()
        yield pool


@pytest.fixture(scope="module")
def single():
    """One worker only: whatever happens to it, the next call must be served by its replacement."""
    with WorkerPool(1, timeout=LIMIT) as pool:
        assert pool.wait_ready()
        yield pool


def wait_until(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def process_status(pid: int) -> dict[str, str]:
    """The fields of /proc/<pid>/status, or {} when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return dict(line.rstrip("\n").split(":\t", 1) for line in status if ":\t" in line)
    except FileNotFoundError:
        return {}


def is_gone(pid: int) -> bool:
    """Dead, all its threads too (a zombie that its parent can reap counts as gone)."""
    status = process_status(pid)
    return not status or (status["State"][0] in "ZX" and status["Threads"] == "1")


def kill_and_wait(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: is_gone(pid))


# --- answers ---------------------------------------------------------------------------------------------


def test_tasks_answer_with_plain_data(pool):
    assert pool.run_task(*SIMPLE) == SIMPLE_ANSWER
    assert pool.run_task("differentiate_expression", "x^3 + x*y", ("x", "y"), "y") == {
        "latex": "x",
        "text": "x",
    }
    assert pool.run_task("simplify_expression", "(x^2 - 1)/(x - 1)", ("x",)) == {
        "latex": "x + 1",
        "text": "x + 1",
    }
    curve = pool.run_task("sample_expression", "x*y", ("x", "y"), "x", 0, 2, 3, (("y", 2.0),))
    assert curve["x"] == [0.0, 1.0, 2.0] and curve["y"] == [0.0, 2.0, 4.0]


def test_an_error_from_the_parser_crosses_the_process_boundary(pool):
    with pytest.raises(ExpressionError) as caught:
        pool.run_task("describe_expression", "2 + sinx", ("x",))
    assert caught.value == ExpressionError("unknown_name", 4, name="sinx", suggestion="2 + sin(x)")


def test_huge_numbers_are_shown_rounded_instead_of_failing(pool):
    # 9^1000 five times over has 4772 digits: more than Python will turn into text (4300).
    result = pool.run_task("describe_expression", "9^1000*9^1000*9^1000*9^1000*9^1000", ())
    assert result["latex_evaluated"].endswith(r"\cdot 10^{4771}")


def test_an_unknown_task_is_refused(pool):
    with pytest.raises(ExpressionError) as caught:
        pool.run_task("os.system", "true")
    assert caught.value.code == "worker_failed"


def test_arguments_must_be_hashable_plain_data(pool):
    with pytest.raises(TypeError):
        pool.run_task("describe_expression", "x", ["x"])  # a list cannot be a cache key
    with pytest.raises(TypeError):
        pool.run_task("describe_expression", sympy.Symbol("x"), ("x",))


# --- time limit ------------------------------------------------------------------------------------------


def test_a_pathological_input_times_out_and_the_next_call_works(single):
    (old_pid,) = single.worker_pids()
    started = time.monotonic()
    with pytest.raises(ExpressionError) as caught:
        single.run_task(*SLOW_EVALUATION, cache=False)
    elapsed = time.monotonic() - started
    assert caught.value.code == "timeout"
    assert caught.value.params == {"seconds": 1}
    assert LIMIT <= elapsed < LIMIT + MARGIN
    assert is_gone(old_pid)
    assert single.run_task(*SIMPLE, cache=False) == SIMPLE_ANSWER  # served by the replacement
    assert old_pid not in single.worker_pids()


def test_a_cached_failure_is_answered_from_the_cache(pool):
    pool.cache.clear()
    with pytest.raises(ExpressionError) as first:
        pool.run_task(*SLOW_SIMPLIFY)
    assert pool.cache.stats()[:2] == (0, 1)  # hits, misses
    with pytest.raises(ExpressionError) as second:
        pool.run_task(*SLOW_SIMPLIFY)
    assert first.value.code == second.value.code == "timeout"
    assert pool.cache.stats()[:2] == (1, 1)


@pytest.mark.parametrize(
    ("cpu_seconds", "code", "cached"),
    [(0.1, "busy", False), (LIMIT, "timeout", True), (None, "timeout", True)],
    ids=["starved by a loaded machine", "used its time", "CPU time unknown"],
)
def test_a_timeout_is_the_inputs_fault_only_if_the_worker_had_the_cpu(monkeypatch, cpu_seconds, code, cached):
    monkeypatch.setattr(sandbox.WorkerProcess, "cpu_seconds", lambda worker: cpu_seconds)
    with WorkerPool(1, timeout=LIMIT) as pool:
        assert pool.wait_ready()
        with pytest.raises(ExpressionError) as caught:
            pool.run_task(*SLOW_SIMPLIFY)
        assert caught.value.code == code and caught.value.params == {"seconds": 1}
        assert pool.cache.stats().entries == (1 if cached else 0)


def test_a_workers_cpu_time_is_read_while_it_runs(single):
    (pid,) = single.worker_pids()
    assert sandbox.process_cpu_seconds(pid) > 0  # it has imported SymPy
    assert sandbox.process_cpu_seconds(2**22 + 12345) is None  # no such process


def test_a_cached_timeout_says_nothing_about_a_longer_limit():
    after_one_second = Outcome.error("timeout", seconds=1)
    assert after_one_second.answers(1.0) and after_one_second.answers(0.5)
    assert not after_one_second.answers(3.0)
    assert Outcome.error("unknown_name", name="q").answers(3.0)


def test_the_same_input_from_two_sessions_is_computed_once(pool):
    pool.cache.clear()
    task = ("simplify_expression", "(x+1)^1000*(x+3)^1000", ("x",))
    start = threading.Barrier(2)
    codes = []

    def session():
        start.wait()
        try:
            pool.run_task(*task)
        except ExpressionError as error:
            codes.append(error.code)

    threads = [threading.Thread(target=session) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = pool.cache.stats()
    assert codes == ["timeout", "timeout"]
    assert stats.misses == 1 and stats.hits + stats.shared == 1


def test_other_sessions_keep_answering_while_one_input_burns_its_time(pool):
    wait_until(lambda: pool.idle_count() == 2)
    finished = []

    def hostile():
        with pytest.raises(ExpressionError, match="timeout"):
            pool.run_task(*SLOW_EVALUATION, timeout=3, cache=False)
        finished.append("hostile")

    burner = threading.Thread(target=hostile)
    burner.start()
    wait_until(lambda: pool.idle_count() == 1)  # the hostile input has its worker
    for n in range(3, 8):
        assert (
            pool.run_task("differentiate_expression", f"x^{n}", ("x",), "x", cache=False)["text"]
            == f"{n}*x**{n - 1}"
        )
        finished.append("simple")
    burner.join()
    assert finished == ["simple"] * 5 + ["hostile"]


def test_waiting_for_a_worker_ends_in_a_busy_refusal_that_is_not_cached():
    with WorkerPool(1, timeout=LIMIT, start_allowance=0.0) as pool:
        assert pool.wait_ready()
        burner = threading.Thread(
            target=lambda: pytest.raises(ExpressionError, pool.run_task, *SLOW_SIMPLIFY)
        )
        burner.start()
        wait_until(lambda: pool.idle_count() == 0)
        with pytest.raises(ExpressionError) as caught:
            pool.run_task(*SIMPLE)
        burner.join()
        assert caught.value.code == "busy" and caught.value.params == {"seconds": 1}
        entries = pool.cache.stats().entries
        pool.start_allowance = 30.0  # now wait for the replacement of the killed worker
        assert pool.run_task(*SIMPLE) == SIMPLE_ANSWER
        assert pool.cache.stats().entries == entries + 1


# --- dead workers ----------------------------------------------------------------------------------------


def test_a_killed_idle_worker_is_replaced(single):
    wait_until(lambda: single.idle_count() == 1)
    (pid,) = single.worker_pids()
    kill_and_wait(pid)
    assert single.run_task(*SIMPLE, cache=False) == SIMPLE_ANSWER
    assert pid not in single.worker_pids()


def kill_each_worker_that_takes_the_request(pool: WorkerPool, times: int) -> list[int]:
    """Kill the worker serving the (one) request as soon as it is busy, ``times`` workers in a row, as a
    crash or the kernel's out-of-memory killer would; the pids killed."""
    killed: list[int] = []
    for _ in range(times):
        wait_until(lambda: set(pool.busy_worker_pids()) - set(killed))
        (pid,) = set(pool.busy_worker_pids()) - set(killed)
        kill_and_wait(pid)
        killed.append(pid)
    return killed


def run_in_thread(call) -> tuple[threading.Thread, list]:
    results: list = []

    def target():
        try:
            results.append(call())
        except ExpressionError as error:
            results.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, results


def test_a_worker_killed_mid_request_is_replaced_and_the_request_retried_unseen(single, caplog):
    wait_until(lambda: single.idle_count() == 1)
    thread, results = run_in_thread(lambda: single.run_task(*MODERATE, timeout=60, cache=False))
    (killed,) = kill_each_worker_that_takes_the_request(single, times=1)
    thread.join(timeout=90)
    assert not thread.is_alive()
    assert f"sandbox worker {killed} died running" in caplog.text  # the kill hit the request
    assert results == [single.run_task(*MODERATE, timeout=60, cache=False)]  # the right answer, no error
    assert killed not in single.worker_pids()


def test_a_retried_request_gets_its_full_time_limit_and_its_own_verdict(single):
    wait_until(lambda: single.idle_count() == 1)
    thread, results = run_in_thread(lambda: single.run_task(*SLOW_EVALUATION, cache=False))
    kill_each_worker_that_takes_the_request(single, times=1)
    thread.join(timeout=90)
    # The input's own verdict on the fresh worker (busy if the machine starved it), not "stopped unexpectedly"
    assert isinstance(results[0], ExpressionError) and results[0].code in ("timeout", "busy")


def test_a_worker_killed_while_it_starts_is_replaced_unseen(single, caplog):
    """Under a killer that strikes at random, some victims are replacements still importing SymPy."""
    wait_until(lambda: single.idle_count() == 1)
    (idle,) = single.worker_pids()
    kill_and_wait(idle)
    thread, results = run_in_thread(lambda: single.run_task(*SIMPLE, cache=False))
    wait_until(lambda: set(single.worker_pids()) - {idle}, seconds=30)
    (starting,) = set(single.worker_pids()) - {idle}
    kill_and_wait(starting)
    thread.join(timeout=90)
    assert f"sandbox worker {starting} failed to start" in caplog.text  # killed before it was ready
    assert results == [SIMPLE_ANSWER]


def test_an_input_whose_workers_keep_dying_gets_the_message(single):
    wait_until(lambda: single.idle_count() == 1)
    entries = single.cache.stats().entries
    thread, results = run_in_thread(lambda: single.run_task(*SLOW_EVALUATION, timeout=60))
    kill_each_worker_that_takes_the_request(single, times=sandbox.DEATHS_BEFORE_GIVING_UP)
    thread.join(timeout=90)
    assert not thread.is_alive()
    assert results[0] == ExpressionError("worker_failed", reason="died")
    assert single.cache.stats().entries == entries  # not cached: the deaths may have been bad luck
    assert single.run_task(*SIMPLE, cache=False) == SIMPLE_ANSWER


# --- memory limit ----------------------------------------------------------------------------------------


def test_a_memory_hungry_input_hits_the_memory_limit(pool):
    # The worker's own size (SymPy, numpy) differs between machines: allow 48 MB on top of it.
    baseline_mb = max(virtual_memory_mb(pid) for pid in pool.worker_pids())
    with WorkerPool(1, timeout=30, memory_mb=baseline_mb + 48) as small:
        assert small.wait_ready()
        with pytest.raises(ExpressionError) as caught:
            small.run_task(*MEMORY_HUNGRY)
        assert caught.value == ExpressionError("memory_limit", megabytes=baseline_mb + 48)
        assert small.run_task(*SIMPLE) == SIMPLE_ANSWER


def virtual_memory_mb(pid: int) -> int:
    return int(process_status(pid)["VmSize"].split()[0]) // 1024


# --- plain data only -------------------------------------------------------------------------------------


def test_a_task_returning_a_sympy_object_is_refused():
    tasks = {"leaky": lambda: {"expr": sympy.Symbol("x") + 1}, "fine": lambda: {"values": [1.0, None]}}
    status, payload = worker.run_request(tasks, ("leaky", ()))
    assert status == "error"
    assert payload["code"] == "worker_failed" and payload["params"]["reason"] == "not_plain_data"
    assert worker.run_request(tasks, ("fine", ())) == ("ok", {"values": [1.0, None]})


def test_plain_data_rules():
    import numpy

    assert worker.is_plain_data({"x": numpy.linspace(0, 1, 3), "n": numpy.int64(3), "t": ("a", 1.5, None)})
    assert not worker.is_plain_data(numpy.array([sympy.Symbol("x")], dtype=object))
    assert not worker.is_plain_data([sympy.Float(1.5)])
    assert not worker.is_plain_data({sympy.Symbol("x"): 1})


def test_the_parent_unpickles_nothing_but_plain_data():
    import numpy

    reply = worker.decode_body(pickle.dumps(("ok", {"y": numpy.arange(3.0), "top": numpy.float64(2.5)})))
    assert reply[1]["y"].tolist() == [0.0, 1.0, 2.0] and reply[1]["top"] == 2.5
    with pytest.raises(pickle.UnpicklingError):
        worker.decode_body(pickle.dumps(("ok", sympy.Symbol("x") ** 2)))


def test_every_task_returns_plain_data():
    assert worker.is_plain_data(TASKS["describe_expression"]("sqrt(x)/x", ("x",)))
    assert worker.is_plain_data(TASKS["differentiate_expression"]("sqrt(x)/x", ("x",), "x"))
    assert worker.is_plain_data(TASKS["simplify_expression"]("sqrt(x)/x", ("x",)))
    assert worker.is_plain_data(TASKS["sample_expression"]("sqrt(x)/x", ("x",), "x", -1, 1, 5))


# --- the worker program ----------------------------------------------------------------------------------


def start_worker_program(**extra_env) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **extra_env}
    return subprocess.Popen(
        [sys.executable, "-m", "calc_core.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=PROJECT_ROOT,
        env=env,
    )


def exchange(process: subprocess.Popen, request=None):
    if request is not None:
        process.stdin.write(worker.encode_frame(request))
        process.stdin.flush()
    (size,) = worker.FRAME_HEADER.unpack(process.stdout.read(worker.FRAME_HEADER.size))
    return worker.decode_body(process.stdout.read(size))


def test_the_worker_program_speaks_the_frame_protocol_and_exits_on_eof():
    process = start_worker_program()
    try:
        assert exchange(process) == ("ready", process.pid)
        assert exchange(process, SIMPLE[:1] + (SIMPLE[1:],)) == ("ok", SIMPLE_ANSWER)
        status, payload = exchange(process, ("no_such_task", ()))
        assert status == "error" and payload["code"] == "worker_failed"
        process.stdin.close()
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
        process.wait()


def test_a_stray_print_cannot_corrupt_the_protocol():
    script = (
        "from calc_core.worker import _take_protocol_stdout, encode_frame\n"
        "out = _take_protocol_stdout()\n"
        "print('stray')\n"
        "import os; os.write(1, b'stray at the C level\\n')\n"
        "out.write(encode_frame(('ok', 1))); out.flush()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, timeout=60, check=True
    )
    assert done.stdout == worker.encode_frame(("ok", 1))
    assert b"stray" in done.stderr and b"at the C level" in done.stderr


# --- no orphans ------------------------------------------------------------------------------------------


def test_closing_the_pool_kills_and_reaps_every_worker():
    pool = WorkerPool(2, timeout=LIMIT)
    assert pool.wait_ready()
    pids = pool.worker_pids()
    assert len(pids) == 2
    pool.close()
    for pid in pids:
        assert process_status(pid) == {}  # gone, and no zombie left behind
    with pytest.raises(RuntimeError):
        pool.run_task(*SIMPLE)


def test_workers_die_with_their_parent():
    script = (
        "import sys, time\n"
        "from calc_core.sandbox import WorkerPool\n"
        "pool = WorkerPool(1)\n"
        "pool.wait_ready()\n"
        "print(*pool.worker_pids(), flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        pids = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(pids) == 1 and not is_gone(pids[0])
    finally:
        parent.kill()  # SIGKILL: no atexit, nothing of the parent's own cleanup runs
        parent.wait()
    wait_until(lambda: all(is_gone(pid) for pid in pids), seconds=10)


def test_a_reimported_sandbox_replaces_the_old_process_wide_pool(monkeypatch):
    # Streamlit re-imports the project's modules after a file change; the old pool must not live on.
    monkeypatch.setenv("CALC_WORKERS", "1")
    old_pool = sandbox.get_pool()
    assert old_pool.wait_ready()
    old_pids = old_pool.worker_pids()
    # Streamlit evicts every watched module, so the sandbox's own modules too; all restored after the test.
    for name in ("sandbox", "worker_pool", "worker_handle", "result_cache"):
        monkeypatch.delitem(sys.modules, f"calc_core.{name}")
        monkeypatch.setattr(calc_core, name, getattr(calc_core, name))
    reimported = importlib.import_module("calc_core.sandbox")
    try:
        assert reimported is not sandbox
        new_pool = reimported.get_pool()
        assert new_pool is not old_pool and reimported.get_pool() is new_pool
        assert all(process_status(pid) == {} for pid in old_pids)
    finally:
        reimported.shutdown()


def test_an_expression_too_slow_to_evaluate_costs_one_time_limit_for_every_task(pool, monkeypatch):
    from calc_core import service
    from calc_core.parser import parse_expression

    monkeypatch.setattr(service, "run_task", pool.run_task)
    pool.cache.clear()
    slow = parse_expression(SLOW_EVALUATION[1], ("x",))
    asks = [
        lambda: service.describe_expression(slow, ("x",)),
        lambda: service.tangent_line(slow, ("x",), "x", 1.0),
        lambda: service.derivative_limit(slow, ("x",), "x", 0.5),
        lambda: service.sample_expression(slow, ("x",), "x", -1, 1, 5),
        lambda: service.split_composite(slow, 2),
        lambda: service.chain_of_composition([(parse_expression("exp(u)", ("u",)), "u"), (slow, "x")], 1.0),
    ]
    for ask in asks:
        with pytest.raises(ExpressionError) as caught:
            ask()
        if caught.value.code == "busy":  # not cached, by design: the counts below would not hold
            pytest.skip("the machine was too busy for a verdict on the time limit")
        assert caught.value.code == "timeout"
    stats = pool.cache.stats()
    # Two evaluations (the slow expression, once; exp(u), the chain's outer function) and no task after them
    assert stats.misses == 2
    assert stats.hits == len(asks) - 1
    # An ordinary expression passes the check and gets its answer.
    assert service.tangent_line(parse_expression("x^2"), ("x",), "x", 1.0)["line_latex"] == "2 x - 1"


def test_the_first_workers_start_one_after_another(monkeypatch):
    """Each start is half a second of imports; started together they would take the CPU from the server's
    first reader. So a worker starts only when the one before it has said it is ready."""
    events = []
    start, says_ready = sandbox.WorkerProcess.start.__func__, worker_pool.says_ready

    def recorded_start(cls, memory_mb):
        events.append("start")
        return start(cls, memory_mb)

    def recorded_ready(process):
        ready = says_ready(process)
        events.append("ready" if ready else "failed")
        return ready

    monkeypatch.setattr(sandbox.WorkerProcess, "start", classmethod(recorded_start))
    monkeypatch.setattr(worker_pool, "says_ready", recorded_ready)
    with WorkerPool(size=3, timeout=LIMIT) as pool:
        assert pool.wait_ready()
        assert len(pool.worker_pids()) == 3
    assert events == ["start", "ready"] * 3
