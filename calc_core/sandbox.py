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
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import json
import logging
import math
import os
import pickle
import queue
import select
import subprocess
import sys
import threading
import time
import types
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from calc_core.errors import ExpressionError
from calc_core.worker import (
    DEFAULT_MEMORY_MB,
    FRAME_HEADER,
    MAX_REPLY_BYTES,
    MEMORY_ENV,
    PARENT_ENV,
    decode_body,
    encode_frame,
    is_plain_data,
)

DEFAULT_TIMEOUT = 3.0
DEFAULT_WORKERS = 2
DEFAULT_CACHE_ENTRIES = 1024
DEFAULT_CACHE_BYTES = 64 * 1024 * 1024
# How much longer than a task's timeout a caller waits for a free worker: a killed worker's replacement
# needs a start-up (about 1 s here: importing SymPy and numpy; more on a small shared machine).
START_ALLOWANCE = 5.0
# A timed-out worker that had less than this share of the limit on a CPU was starved by a loaded machine,
# not stopped by its input: the input gets no verdict (a class of 30 must not see cos(x) refused for good).
BUSY_CPU_SHARE = 0.5
# A worker that dies under a request is replaced and the request tried again on the new one; an input is
# told that its calculation stopped only after this many deaths in a row (one could be anyone's doing).
DEATHS_BEFORE_GIVING_UP = 2
# A worker that dies before it is ready (killed while importing: the same outside causes) is replaced
# silently; only this many failed starts in a row tell the callers that workers cannot start.
START_FAILURES_BEFORE_GIVING_UP = 3
# A worker that has not finished its imports after this long is broken.
START_TIMEOUT = 60.0
WORKERS_ENV = "CALC_WORKERS"
STATS_ENV = "CALC_SANDBOX_STATS"  # a path: the cache's counters are written there when the process exits
PROJECT_ROOT = Path(__file__).resolve().parent.parent
_THREAD_LIMITS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

log = logging.getLogger(__name__)


class CacheStats(NamedTuple):
    """Counters of a result cache: ``shared`` counts callers that waited for the same key's computation."""

    hits: int
    misses: int
    shared: int
    entries: int
    bytes: int


class _Deadline(Exception):
    """The worker did not answer in time."""


class _WorkerDied(Exception):
    """The worker's pipe closed: it exited or was killed."""

    pid: int | None = None


class _NoWorker(Exception):
    """No worker can take the request; ``outcome`` is the answer to give instead."""

    def __init__(self, outcome: _Outcome):
        super().__init__(outcome)
        self.outcome = outcome


@dataclass(frozen=True)
class _StartFailed:
    reason: str


_CLOSED = object()  # put in the idle queue when the pool closes, to wake every waiting caller


class _IdleQueue:
    """Idle workers, handed to waiting callers first come, first served.

    With a plain queue.Queue, the thread that gives a worker back can take it again before a waiting
    thread wakes up: with more sessions than workers, one session could wait until its deadline.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._items: collections.deque = collections.deque()
        self._waiters: collections.deque[_Waiter] = collections.deque()

    def put(self, item) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().hand(item)
            else:
                self._items.append(item)

    def get(self, timeout: float):
        """The next item, or queue.Empty after ``timeout`` seconds."""
        with self._lock:
            if self._items:
                return self._items.popleft()
            waiter = _Waiter()
            self._waiters.append(waiter)
        if not waiter.ready.wait(timeout):
            with self._lock:
                if not waiter.ready.is_set():  # else it was handed an item just now
                    self._waiters.remove(waiter)
                    raise queue.Empty
        return waiter.item

    def get_nowait(self):
        with self._lock:
            if not self._items:
                raise queue.Empty
            return self._items.popleft()

    def qsize(self) -> int:
        with self._lock:
            return len(self._items)


class _Waiter:
    def __init__(self):
        self.ready = threading.Event()
        self.item = None

    def hand(self, item) -> None:
        self.item = item
        self.ready.set()


def process_cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a live process, in seconds (Linux /proc); None if it cannot be read.

    >>> process_cpu_seconds(os.getpid()) >= 0
    True
    >>> process_cpu_seconds(-1) is None
    True
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()  # the name before ")" may hold spaces
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


# --- one worker process -------------------------------------------------------------------------------


class _Worker:
    """One ``python -m calc_core.worker`` process and its two pipes; used by one thread at a time."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.pid = process.pid

    @classmethod
    def start(cls, memory_mb: int) -> _Worker:
        env = {**os.environ, **_THREAD_LIMITS, MEMORY_ENV: str(memory_mb), PARENT_ENV: str(os.getpid())}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
        env["MALLOC_ARENA_MAX"] = "2"  # fewer 64 MB arena reservations counting against RLIMIT_AS
        process = subprocess.Popen(
            [sys.executable, "-m", "calc_core.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=PROJECT_ROOT,
            env=env,
            bufsize=0,
        )
        return cls(process)

    def alive(self) -> bool:
        return self.process.poll() is None

    def cpu_seconds(self) -> float | None:
        """The CPU time the worker has used so far (user + system), from /proc; None where unknown."""
        return process_cpu_seconds(self.pid)

    def send(self, frame: bytes) -> None:
        try:
            view = memoryview(frame)
            while view:
                view = view[os.write(self.process.stdin.fileno(), view) :]
        except OSError as error:  # BrokenPipeError: it died while idle
            raise _WorkerDied from error

    def receive(self, deadline: float) -> bytes:
        """The body of the next frame, or _Deadline / _WorkerDied."""
        (size,) = FRAME_HEADER.unpack(self._read_exact(FRAME_HEADER.size, deadline))
        if size > MAX_REPLY_BYTES:
            raise _WorkerDied(f"frame of {size} bytes")
        return self._read_exact(size, deadline)

    def _read_exact(self, size: int, deadline: float) -> bytes:
        # poll, not select: a busy server may hold more than FD_SETSIZE (1024) descriptors.
        fd = self.process.stdout.fileno()
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        data = bytearray()
        while len(data) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not poller.poll(math.ceil(remaining * 1000)):
                raise _Deadline
            chunk = os.read(fd, min(size - len(data), 1 << 20))
            if not chunk:
                raise _WorkerDied
            data += chunk
        return bytes(data)

    def kill(self) -> None:
        """SIGKILL, reap (no zombie left behind) and close the pipes."""
        self.signal_kill()
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()

    def signal_kill(self) -> None:
        """SIGKILL and reap, without touching the pipes (another thread may be reading them)."""
        with contextlib.suppress(OSError):
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.warning("sandbox worker %s did not die after SIGKILL", self.pid)


# --- the result cache ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    """How one request ended, as the reply's pickle: each use unpickles a copy nobody else can mutate."""

    body: bytes
    cacheable: bool = True

    @classmethod
    def error(cls, code: str, cacheable: bool = True, **params) -> _Outcome:
        body = encode_frame(("error", ExpressionError(code, **params).to_dict()))[FRAME_HEADER.size :]
        return cls(body, cacheable)

    def __len__(self) -> int:
        return len(self.body)

    def result(self):
        """The task's result, or raise its ExpressionError."""
        status, payload = decode_body(self.body)
        if status == "ok":
            return payload
        raise ExpressionError.from_dict(payload)

    def answers(self, timeout: float) -> bool:
        """Whether this (cached) outcome answers a request with this timeout.

        A timeout after 1 s says nothing about what 3 s would give; anything else holds for any limit.
        """
        status, payload = decode_body(self.body)
        if status == "error" and payload["code"] == "timeout":
            return float(payload["params"]["seconds"]) >= timeout
        return True


class _Flight:
    """A computation in progress that other callers of the same key wait for."""

    def __init__(self):
        self.done = threading.Event()
        self.value = None  # still None once done: the leader failed, compute again


class ResultCache:
    """A thread-safe LRU, bounded in entries and in bytes (``len`` of a value), with single-flight computing.

    >>> cache = ResultCache(max_entries=2)
    >>> cache.get_or_compute("k", lambda: b"reply")
    b'reply'
    >>> cache.get_or_compute("k", lambda: b"other")
    b'reply'
    >>> cache.stats()
    CacheStats(hits=1, misses=1, shared=0, entries=1, bytes=5)
    """

    def __init__(self, max_entries: int = DEFAULT_CACHE_ENTRIES, max_bytes: int = DEFAULT_CACHE_BYTES):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: collections.OrderedDict = collections.OrderedDict()
        self._bytes = 0
        self._in_flight: dict[object, _Flight] = {}
        self._lock = threading.Lock()
        self._hits = self._misses = self._shared = 0

    def get_or_compute(self, key, compute, usable=lambda value: True):
        """The cached value for ``key`` if ``usable(value)``, else ``compute()``'s.

        A caller that finds the same key being computed waits for that computation instead of starting
        its own. A value with a false ``cacheable`` attribute is returned but not kept.
        """
        while True:
            with self._lock:
                value = self._entries.get(key)
                if value is not None and usable(value):
                    self._entries.move_to_end(key)
                    self._hits += 1
                    return value
                flight = self._in_flight.get(key)
                leader = flight is None
                if leader:
                    flight = self._in_flight[key] = _Flight()
                    self._misses += 1
                else:
                    self._shared += 1
            if leader:
                return self._lead(key, flight, compute)
            flight.done.wait()
            if flight.value is not None:
                return flight.value

    def _lead(self, key, flight: _Flight, compute):
        try:
            flight.value = compute()
        finally:
            with self._lock:
                del self._in_flight[key]
                if flight.value is not None and getattr(flight.value, "cacheable", True):
                    self._store(key, flight.value)
            flight.done.set()
        return flight.value

    def _store(self, key, value) -> None:
        if len(value) > self.max_bytes:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old)
        self._entries[key] = value
        self._bytes += len(value)
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted)

    def stats(self) -> CacheStats:
        """Counters and size, for benchmarks and tests."""
        with self._lock:
            return CacheStats(self._hits, self._misses, self._shared, len(self._entries), self._bytes)

    def clear(self) -> None:
        """Forget every entry and reset the counters (computations in flight finish normally)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._hits = self._misses = self._shared = 0


# --- the pool -------------------------------------------------------------------------------------------


class WorkerPool:
    """``size`` worker processes, started in the background at once, and the cache of their results.

    ``timeout``: the default time limit of a task, in seconds. ``memory_mb``: each worker's address-space
    limit. A caller waits at most its task's timeout plus ``start_allowance`` seconds for a free worker.

    >>> with WorkerPool(size=1, timeout=10) as pool:
    ...     pool.run_task("describe_expression", "x^2 + x^2", ("x",))["latex_evaluated"]
    '2 x^{2}'
    """

    def __init__(
        self,
        size: int = DEFAULT_WORKERS,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
        cache_entries: int = DEFAULT_CACHE_ENTRIES,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        start_allowance: float = START_ALLOWANCE,
    ):
        if size < 1 or timeout <= 0 or memory_mb < 1 or start_allowance < 0:
            raise ValueError("a pool needs size >= 1, timeout > 0, memory_mb >= 1 and start_allowance >= 0")
        self.size = size
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.start_allowance = start_allowance
        self.cache = ResultCache(cache_entries, cache_bytes)
        self._idle = _IdleQueue()
        self._workers: set[_Worker] = set()
        self._busy: set[int] = set()  # pids of the workers running a request now
        self._lock = threading.Lock()
        self._closed = False
        self._failed_starts = 0  # in a row
        self._ready = threading.Semaphore(0)
        # Every Popen happens on this one long-lived thread: on Linux a worker asks the kernel to kill it when
        # the thread that started it ends, and a session's thread would end too soon.
        self._spawn_requests: queue.Queue = queue.Queue()
        threading.Thread(target=self._spawn_loop, name="sandbox-spawner", daemon=True).start()
        # One worker at a time: each start is half a second of imports on a CPU that the server itself needs
        # to import SymPy for its first reader; the next worker starts when the one before is ready.
        self._starts_waiting = size - 1
        self._spawn_requests.put(True)
        _live_pools.add(self)

    # --- public --------------------------------------------------------------------------------------

    def run_task(self, task: str, *args, timeout: float | None = None, cache: bool = True):
        """Run ``TASKS[task](*args)`` in a worker: its plain-data result, or raise its ExpressionError."""
        limit = self.timeout if timeout is None else float(timeout)
        _check_arguments(task, args)
        if not cache:
            return self._compute(task, args, limit).result()
        outcome = self.cache.get_or_compute(
            (task, args), lambda: self._compute(task, args, limit), lambda cached: cached.answers(limit)
        )
        return outcome.result()

    def wait_ready(self, timeout: float = START_TIMEOUT) -> bool:
        """Block until every worker of the first start-up has finished its imports (or timeout)."""
        deadline = time.monotonic() + timeout
        for _ in range(self.size):
            if not self._ready.acquire(timeout=max(0.0, deadline - time.monotonic())):
                return False
        for _ in range(self.size):
            self._ready.release()
        return True

    def idle_count(self) -> int:
        """How many started workers are waiting for work (approximate: other threads may take one now)."""
        return self._idle.qsize()

    def worker_pids(self) -> list[int]:
        """The process ids of the live workers (started or starting)."""
        with self._lock:
            return sorted(worker.pid for worker in self._workers)

    def busy_worker_pids(self) -> list[int]:
        """The process ids of the workers running a request now."""
        with self._lock:
            return sorted(self._busy)

    def close(self) -> None:
        """Kill every worker and reap it; callers waiting for a worker get RuntimeError."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        self._spawn_requests.put(False)
        for worker in workers:
            worker.signal_kill()
        self._dispose_idle_workers()
        self._idle.put(_CLOSED)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _dispose_idle_workers(self) -> None:
        while True:
            try:
                item = self._idle.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, _Worker):
                item.kill()

    # --- one request ---------------------------------------------------------------------------------

    def _compute(self, task: str, args: tuple, limit: float) -> _Outcome:
        """Run the request on a worker, and say how it ended.

        A worker that dies while the input is within its limits (a time-out is caught here, and a memory
        limit ends in the worker's own ``memory_limit`` answer) was killed from outside: a crash elsewhere,
        the kernel's out-of-memory killer, an operator. The request is retried once on a fresh worker,
        with its full time limit, and the caller never knows; only an input whose worker dies
        ``DEATHS_BEFORE_GIVING_UP`` times in a row gets ``worker_failed``.
        """
        for attempt in range(1, DEATHS_BEFORE_GIVING_UP + 1):
            try:
                return self._compute_once(task, args, limit)
            except _WorkerDied as death:
                log.warning("sandbox worker %s died running %s (attempt %d)", death.pid, task, attempt)
        return _Outcome.error("worker_failed", cacheable=False, reason="died")

    def _compute_once(self, task: str, args: tuple, limit: float) -> _Outcome:
        """One try on one worker; raises _WorkerDied (with the worker's pid) if the worker died on it."""
        try:
            worker = self._take_worker(time.monotonic() + limit + self.start_allowance, limit)
        except _NoWorker as refusal:
            return refusal.outcome
        try:
            worker.send(encode_frame((task, args)))
            body = worker.receive(time.monotonic() + limit)
        except _Deadline:
            cpu_seconds = worker.cpu_seconds()  # before the kill: the kernel forgets a reaped process
            self._replace(worker)
            if cpu_seconds is not None and cpu_seconds < BUSY_CPU_SHARE * limit:
                return _Outcome.error("busy", cacheable=False, seconds=_tidy(limit))
            return _Outcome.error("timeout", seconds=_tidy(limit))
        except _WorkerDied as death:
            self._replace(worker)
            death.pid = worker.pid
            raise
        except BaseException:
            self._replace(worker)  # interrupted mid-request: its state is unknown
            raise
        return self._settle(worker, task, args, body)

    def _settle(self, worker: _Worker, task: str, args: tuple, body: bytes) -> _Outcome:
        status, payload = decode_body(body)
        if status == "error" and payload["code"] == "memory_limit":
            self._replace(worker)  # a fresh heap for the next task
        else:
            self._give_back(worker)
        if status == "crash":
            log.warning("sandbox task %s%r crashed: %s", task, args, payload)
            return _Outcome.error("worker_failed", reason="crash")
        return _Outcome(body)

    def _take_worker(self, deadline: float, limit: float) -> _Worker:
        """An idle live worker; _NoWorker if none is free before the deadline or they cannot start."""
        while True:
            try:
                item = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                busy = _Outcome.error("busy", cacheable=False, seconds=_tidy(limit))
                raise _NoWorker(busy) from None
            if item is _CLOSED:
                self._idle.put(_CLOSED)
                raise RuntimeError("the sandbox pool is closed")
            if isinstance(item, _StartFailed):
                self._spawn_requests.put(True)
                raise _NoWorker(_Outcome.error("worker_failed", cacheable=False, reason="start_failed"))
            if item.alive():
                with self._lock:
                    self._busy.add(item.pid)
                return item
            self._replace(item)  # died while idle (killed from outside): not this request's fault

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.discard(worker.pid)
            closed = self._closed
        if closed:
            worker.kill()
        else:
            self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.discard(worker.pid)
            self._workers.discard(worker)
        worker.kill()
        self._spawn_requests.put(True)

    # --- starting workers ----------------------------------------------------------------------------

    def _spawn_loop(self) -> None:
        while self._spawn_requests.get():
            try:
                worker = _Worker.start(self.memory_mb)
            except OSError as error:
                log.warning("cannot start a sandbox worker: %s", error)
                self._idle.put(_StartFailed(str(error)))
                continue
            with self._lock:
                if self._closed:
                    worker.kill()
                    return
                self._workers.add(worker)
            threading.Thread(target=self._await_ready, args=(worker,), daemon=True).start()

    def _await_ready(self, worker: _Worker) -> None:
        ready = _says_ready(worker)
        with self._lock:
            closed = self._closed
            if ready:
                self._failed_starts = 0
            else:
                self._workers.discard(worker)
                self._failed_starts += 1
                give_up = self._failed_starts >= START_FAILURES_BEFORE_GIVING_UP
                if give_up:
                    self._failed_starts = 0
        if ready and not closed:
            self._idle.put(worker)
        else:
            worker.kill()
            if not closed:
                log.warning("sandbox worker %s failed to start", worker.pid)
                if give_up:
                    self._idle.put(_StartFailed("no ready message"))  # the caller asks for a new start
                else:
                    self._spawn_requests.put(True)  # unseen: the next start is likely to work
        self._start_next_waiting()
        self._ready.release()

    def _start_next_waiting(self) -> None:
        with self._lock:
            if self._starts_waiting == 0 or self._closed:
                return
            self._starts_waiting -= 1
        self._spawn_requests.put(True)


def _says_ready(worker: _Worker) -> bool:
    try:
        status, pid = decode_body(worker.receive(time.monotonic() + START_TIMEOUT))
    except (_Deadline, _WorkerDied, pickle.UnpicklingError, ValueError, TypeError):
        return False
    return status == "ready" and pid == worker.pid


def _check_arguments(task: str, args: tuple) -> None:
    if not isinstance(task, str) or not is_plain_data(args):
        raise TypeError("a task's name is a str and its arguments plain data (str, numbers, tuples)")
    hash(args)  # the cache key: lists and dicts are refused here, with a TypeError


def _tidy(seconds: float) -> float | int:
    return int(seconds) if float(seconds).is_integer() else round(seconds, 2)


# --- the process-wide pool ------------------------------------------------------------------------------

_live_pools: weakref.WeakSet[WorkerPool] = weakref.WeakSet()


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
    for pool in list(_live_pools):
        pool.close()
