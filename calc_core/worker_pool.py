"""The pool of worker processes: handing idle workers to callers, limits, retries, replacements, the cache.

See :mod:`calc_core.sandbox` for the design (time and memory limits, "busy" versus "timeout", retries after
a death, what is cached); this module is its machinery. Workers start on one long-lived thread, one after
another; a request takes an idle worker (first come, first served), runs, and gives it back or replaces it.
"""

from __future__ import annotations

import collections
import logging
import queue
import threading
import time
import weakref
from dataclasses import dataclass

from calc_core.result_cache import DEFAULT_CACHE_BYTES, DEFAULT_CACHE_ENTRIES, Outcome, ResultCache
from calc_core.worker import DEFAULT_MEMORY_MB, decode_body, encode_frame, is_plain_data
from calc_core.worker_handle import START_TIMEOUT, ReplyTimeout, WorkerDied, WorkerProcess, says_ready

DEFAULT_TIMEOUT = 3.0
DEFAULT_WORKERS = 2
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

log = logging.getLogger(__name__)


class _NoWorker(Exception):
    """No worker can take the request; ``outcome`` is the answer to give instead."""

    def __init__(self, outcome: Outcome):
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
        self._workers: set[WorkerProcess] = set()
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
            if isinstance(item, WorkerProcess):
                item.kill()

    # --- one request ---------------------------------------------------------------------------------

    def _compute(self, task: str, args: tuple, limit: float) -> Outcome:
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
            except WorkerDied as death:
                log.warning("sandbox worker %s died running %s (attempt %d)", death.pid, task, attempt)
        return Outcome.error("worker_failed", cacheable=False, reason="died")

    def _compute_once(self, task: str, args: tuple, limit: float) -> Outcome:
        """One try on one worker; raises WorkerDied (with the worker's pid) if the worker died on it."""
        try:
            worker = self._take_worker(time.monotonic() + limit + self.start_allowance, limit)
        except _NoWorker as refusal:
            return refusal.outcome
        try:
            worker.send(encode_frame((task, args)))
            body = worker.receive(time.monotonic() + limit)
        except ReplyTimeout:
            cpu_seconds = worker.cpu_seconds()  # before the kill: the kernel forgets a reaped process
            self._replace(worker)
            if cpu_seconds is not None and cpu_seconds < BUSY_CPU_SHARE * limit:
                return Outcome.error("busy", cacheable=False, seconds=_tidy(limit))
            return Outcome.error("timeout", seconds=_tidy(limit))
        except WorkerDied as death:
            self._replace(worker)
            death.pid = worker.pid
            raise
        except BaseException:
            self._replace(worker)  # interrupted mid-request: its state is unknown
            raise
        return self._settle(worker, task, args, body)

    def _settle(self, worker: WorkerProcess, task: str, args: tuple, body: bytes) -> Outcome:
        status, payload = decode_body(body)
        if status == "error" and payload["code"] == "memory_limit":
            self._replace(worker)  # a fresh heap for the next task
        else:
            self._give_back(worker)
        if status == "crash":
            log.warning("sandbox task %s%r crashed: %s", task, args, payload)
            return Outcome.error("worker_failed", reason="crash")
        return Outcome(body)

    def _take_worker(self, deadline: float, limit: float) -> WorkerProcess:
        """An idle live worker; _NoWorker if none is free before the deadline or they cannot start."""
        while True:
            try:
                item = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                busy = Outcome.error("busy", cacheable=False, seconds=_tidy(limit))
                raise _NoWorker(busy) from None
            if item is _CLOSED:
                self._idle.put(_CLOSED)
                raise RuntimeError("the sandbox pool is closed")
            if isinstance(item, _StartFailed):
                self._spawn_requests.put(True)
                raise _NoWorker(Outcome.error("worker_failed", cacheable=False, reason="start_failed"))
            if item.alive():
                with self._lock:
                    self._busy.add(item.pid)
                return item
            self._replace(item)  # died while idle (killed from outside): not this request's fault

    def _give_back(self, worker: WorkerProcess) -> None:
        with self._lock:
            self._busy.discard(worker.pid)
            closed = self._closed
        if closed:
            worker.kill()
        else:
            self._idle.put(worker)

    def _replace(self, worker: WorkerProcess) -> None:
        with self._lock:
            self._busy.discard(worker.pid)
            self._workers.discard(worker)
        worker.kill()
        self._spawn_requests.put(True)

    # --- starting workers ----------------------------------------------------------------------------

    def _spawn_loop(self) -> None:
        while self._spawn_requests.get():
            try:
                worker = WorkerProcess.start(self.memory_mb)
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

    def _await_ready(self, worker: WorkerProcess) -> None:
        ready = says_ready(worker)
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


def _check_arguments(task: str, args: tuple) -> None:
    if not isinstance(task, str) or not is_plain_data(args):
        raise TypeError("a task's name is a str and its arguments plain data (str, numbers, tuples)")
    hash(args)  # the cache key: lists and dicts are refused here, with a TypeError


def _tidy(seconds: float) -> float | int:
    return int(seconds) if float(seconds).is_integer() else round(seconds, 2)


_live_pools: weakref.WeakSet[WorkerPool] = weakref.WeakSet()


def close_every_pool() -> None:
    """Close every pool still alive in this process (at exit: no worker outlives the server)."""
    for pool in list(_live_pools):
        pool.close()
