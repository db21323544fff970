"""Run SymPy work on user input in worker processes that can be killed, and cache what they answer.

Some tiny inputs keep SymPy busy for minutes (``sin(sin(3+exp(exp(exp(3)))))`` evaluated) or eat all memory,
and big-integer work holds the GIL, freezing every session of the Streamlit server. So every such operation
runs in a worker process (``python -m calc_core.worker``, see calc_core.worker) with a wall-clock limit
(killed with SIGKILL when it is over) and a memory limit (RLIMIT_AS, inside the worker).

- A process-wide pool of ``CALC_WORKERS`` (default 2) workers, started in the background when the pool is
  created (``warm_up()`` at app start), one after another. Streamlit runs each session in its own thread:
  any thread may call ``run_task``; it takes an idle worker, or waits for one.
- Time limit: ``timeout`` seconds (default 3) from sending the request. Over it, the worker is killed, a
  replacement starts at once, and the caller gets ``ExpressionError("timeout", seconds=...)``; but if the
  worker had less than ``BUSY_CPU_SHARE`` of that time on a CPU, the machine was too busy to say anything
  about the input, and the caller gets ``ExpressionError("busy", seconds=...)`` instead, NOT cached.
- Waiting for a worker: at most ``timeout + START_ALLOWANCE`` seconds. A busy worker is free after at most
  ``timeout``, plus a start-up if it had to be killed, so only a flood of hostile inputs (more of them than
  workers, all the time) makes a caller wait that long; then it gets ``ExpressionError("busy",
  seconds=...)``, which is NOT cached: the input itself may be harmless.
- Cache: ``run_task`` is cached by default (``cache=False`` to opt out): a bounded LRU keyed by
  ``(task, args)``, where the callers pass the parser's normalised text, so a class typing the same function
  pays once. Failures are cached too (a timeout, a memory limit, a parse error), so a hostile input costs its
  3 s once. Two sessions asking for the same key at once share one computation (single flight). Not cached:
  a worker that died (killed from outside) and the "busy" refusals above.
- A worker that dies under a request without the input reaching its time or memory limit (a crash, the
  kernel's out-of-memory killer, an operator's ``kill``) is replaced, and the request runs again on a fresh
  worker with its full time limit, unseen by the caller. Only an input whose workers die twice in a row gets
  ``ExpressionError("worker_failed", reason="died")`` (not cached: the deaths may still be bad luck). A
  replacement killed while it starts is started again, unseen too; callers hear of it (``reason=
  "start_failed"``) only after ``START_FAILURES_BEFORE_GIVING_UP`` failed starts in a row.
- Results are plain data (checked in the worker, and the parent's unpickler admits nothing else): a SymPy
  object would be re-evaluated while being unpickled here, in the server.

Linux (and other POSIX systems with ``poll``); not Windows.

This module is the entry point: the process-wide pool and ``run_task``. The machinery is in
``worker_handle`` (one worker process and its pipes), ``result_cache`` (``ResultCache``, single flight) and
``worker_pool`` (``WorkerPool``: handing out workers, limits, retries, replacements).
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import threading
import types
from pathlib import Path

from calc_core.result_cache import (
    DEFAULT_CACHE_BYTES,
    DEFAULT_CACHE_ENTRIES,
    CacheStats,
    Outcome,
    ResultCache,
)
from calc_core.worker import DEFAULT_MEMORY_MB, FRAME_HEADER, MEMORY_ENV
from calc_core.worker_handle import PROJECT_ROOT, START_TIMEOUT, WorkerProcess, process_cpu_seconds
from calc_core.worker_pool import (
    BUSY_CPU_SHARE,
    DEATHS_BEFORE_GIVING_UP,
    DEFAULT_TIMEOUT,
    DEFAULT_WORKERS,
    START_ALLOWANCE,
    START_FAILURES_BEFORE_GIVING_UP,
    WorkerPool,
    close_every_pool,
)

WORKERS_ENV = "CALC_WORKERS"
STATS_ENV = "CALC_SANDBOX_STATS"  # a path: the cache's counters are written there when the process exits

# Re-exported: the sandbox's public names, wherever they are defined.
__all__ = [
    "BUSY_CPU_SHARE",
    "DEATHS_BEFORE_GIVING_UP",
    "DEFAULT_CACHE_BYTES",
    "DEFAULT_CACHE_ENTRIES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "FRAME_HEADER",
    "PROJECT_ROOT",
    "STATS_ENV",
    "START_ALLOWANCE",
    "START_FAILURES_BEFORE_GIVING_UP",
    "START_TIMEOUT",
    "WORKERS_ENV",
    "CacheStats",
    "Outcome",
    "ResultCache",
    "WorkerPool",
    "WorkerProcess",
    "cache_stats",
    "clear_cache",
    "get_pool",
    "process_cpu_seconds",
    "run_task",
    "shutdown",
    "warm_up",
    "write_cache_stats",
]


def _process_state() -> types.ModuleType:
    """Where the process-wide pool lives: a module of its own, which survives a re-import of this one.

    In development Streamlit re-imports the project's modules after every file change (LocalSourcesWatcher
    evicts them from sys.modules). A pool kept in this module's globals would be forgotten with its workers
    still running; kept here, the next ``get_pool`` finds it and replaces it.
    """
    state = sys.modules.get(_STATE_MODULE)
    if state is None:
        state = types.ModuleType(_STATE_MODULE, "The process-wide sandbox pool (see calc_core.sandbox).")
        state.pool = None
        state.lock = threading.Lock()
        state = sys.modules.setdefault(_STATE_MODULE, state)
    return state


_STATE_MODULE = "_calc_core_sandbox_state"


def get_pool() -> WorkerPool:
    """The process-wide pool, created on first use.

    Its size comes from ``CALC_WORKERS`` (default 2), the workers' memory limit from ``CALC_WORKER_MEMORY_MB``
    (default 512).

    >>> get_pool() is get_pool()
    True
    """
    state = _process_state()
    with state.lock:
        if not isinstance(state.pool, WorkerPool):  # none yet, or one from before a re-import of this module
            if state.pool is not None:
                state.pool.close()
            state.pool = WorkerPool(
                _env_int(WORKERS_ENV, DEFAULT_WORKERS), memory_mb=_env_int(MEMORY_ENV, DEFAULT_MEMORY_MB)
            )
        return state.pool


def warm_up(wait: bool = False) -> WorkerPool:
    """Create the process-wide pool, so its workers import SymPy before the first reader needs them.

    Returns at once unless ``wait``; the app calls it when it starts.

    >>> warm_up() is get_pool()
    True
    """
    pool = get_pool()
    if wait:
        pool.wait_ready()
    return pool


def run_task(task: str, *args, timeout: float | None = None, cache: bool = True):
    """Run ``calc_core.tasks.TASKS[task](*args)`` in the process-wide pool, cached unless ``cache=False``.

    Returns the task's plain-data result; raises its ExpressionError, or ``timeout`` (over ``timeout``
    seconds, default 3), ``memory_limit``, ``worker_failed``.

    >>> run_task("differentiate_expression", "x^3", ("x",), "x")
    {'latex': '3 x^{2}', 'text': '3*x**2'}
    >>> run_task("describe_expression", "sinx", ("x",))
    Traceback (most recent call last):
    ...
    calc_core.errors.ExpressionError: unknown_name at 1 (name='sinx', suggestion='sin(x)')
    """
    return get_pool().run_task(task, *args, timeout=timeout, cache=cache)


def cache_stats() -> CacheStats:
    """Hits, misses, shared computations and size of the process-wide pool's cache.

    >>> cache_stats().entries >= 0
    True
    """
    return get_pool().cache.stats()


def clear_cache() -> None:
    """Empty the process-wide pool's cache and reset its counters.

    >>> clear_cache()
    >>> cache_stats().hits
    0
    """
    get_pool().cache.clear()


def shutdown() -> None:
    """Kill the process-wide pool's workers; a later call creates a new pool.

    >>> shutdown()
    """
    state = _process_state()
    with state.lock:
        pool, state.pool = state.pool, None
    if pool is not None:
        pool.close()


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


def write_cache_stats(path: str | os.PathLike) -> None:
    """The process-wide pool's cache counters as JSON in ``path`` (none if no pool was created).

    ``misses`` are computations in a worker, ``shared`` callers that waited for another caller's computation
    of the same input. With ``CALC_SANDBOX_STATS`` set to a path, a process writes them there when it exits
    (``benchmarks/load_test.py`` reads them: a class asking for the same things must cause few misses).

    >>> import json, tempfile
    >>> pool = get_pool()
    >>> with tempfile.NamedTemporaryFile(suffix=".json") as file:
    ...     write_cache_stats(file.name)
    ...     sorted(json.load(open(file.name)))
    ['bytes', 'entries', 'hits', 'misses', 'shared']
    """
    pool = _process_state().pool
    if isinstance(pool, WorkerPool):
        Path(path).write_text(json.dumps(pool.cache.stats()._asdict()))


@atexit.register
def _close_all_pools() -> None:
    if os.environ.get(STATS_ENV):
        write_cache_stats(os.environ[STATS_ENV])
    close_every_pool()
