"""Measure the sandbox by hand: round-trip latency, and whether other sessions keep answering under attack.

    .venv/bin/python benchmarks/sandbox_concurrency.py [--calls 30] [--clients 3]

Prints markdown tables:

1. latency of a trivial task: cold (a new pool: process start-up, imports, first answer), warm (a ready
   worker, no cache) and cached (the answer from the cache), median of N;
2. latency of simple calls from ``--clients`` threads (each call a new input, so no cache hit) while nothing
   else runs, while one thread burns a hostile input for the whole 3 s time limit, and while two hostile
   inputs occupy both workers of the default pool of two;
3. a class of 30 sessions submitting the same new function at the same moment: how many computations ran.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calc_core.errors import ExpressionError  # noqa: E402
from calc_core.sandbox import DEFAULT_TIMEOUT, WorkerPool  # noqa: E402

HOSTILE = [
    ("describe_expression", "sin(sin(3+exp(exp(exp(3)))))", ("x",)),
    ("simplify_expression", "(x+1)^1000*(x+2)^1000", ("x",)),
]
_fresh = itertools.count(1)


def trivial_call(pool: WorkerPool, cache: bool = False) -> float:
    """Seconds for one describe of a small polynomial never asked before."""
    text = f"x^2 + {next(_fresh)}x"
    started = time.perf_counter()
    pool.run_task("describe_expression", text, ("x",), cache=cache)
    return time.perf_counter() - started


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def round_trip(calls: int) -> list[tuple[str, str]]:
    started = time.perf_counter()
    with WorkerPool(1) as pool:
        trivial_call(pool)
        cold = time.perf_counter() - started
        warm = statistics.median(trivial_call(pool) for _ in range(calls))
        pool.run_task("describe_expression", "x^3 - x", ("x",))
        cached = []
        for _ in range(calls):
            begin = time.perf_counter()
            pool.run_task("describe_expression", "x^3 - x", ("x",))
            cached.append(time.perf_counter() - begin)
        memory = worker_memory(pool.worker_pids()[0])
    return [
        ("cold: new pool to first answer", milliseconds(cold)),
        (f"warm: ready worker, no cache (median of {calls})", milliseconds(warm)),
        (f"cached (median of {calls})", f"{statistics.median(cached) * 1000:.3f}"),
        ("idle worker: virtual size / resident (MB)", memory),
    ]


def worker_memory(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/status") as status:
            fields = dict(line.split(":", 1) for line in status)
    except OSError:
        return "n/a"
    return f"{int(fields['VmSize'].split()[0]) // 1024} / {int(fields['VmRSS'].split()[0]) // 1024}"


def under_attack(pool: WorkerPool, hostile_count: int, clients: int, duration: float) -> dict:
    """Latencies of simple calls by ``clients`` threads during ``duration`` s, with hostile inputs running."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client():
        while not stop.is_set():
            try:
                seconds = trivial_call(pool)
            except ExpressionError as error:
                with lock:
                    failures.append(error.code)
                continue
            with lock:
                latencies.append(seconds)

    def attacker(task):
        with contextlib.suppress(ExpressionError):
            pool.run_task(*task, cache=False)

    attackers = [threading.Thread(target=attacker, args=(task,)) for task in HOSTILE[:hostile_count]]
    for thread in attackers:
        thread.start()
    time.sleep(0.1)  # the hostile inputs take their workers first
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(duration)
    stop.set()
    for thread in threads + attackers:
        thread.join()
    return summary(latencies, failures)


def summary(latencies: list[float], failures: list[str]) -> dict:
    ordered = sorted(latencies)
    return {
        "calls": len(ordered),
        "median": milliseconds(statistics.median(ordered)) if ordered else "-",
        "p95": milliseconds(ordered[int(0.95 * (len(ordered) - 1))]) if ordered else "-",
        "max": milliseconds(ordered[-1]) if ordered else "-",
        "failed": ", ".join(sorted(set(failures))) or "0",
    }


def same_function_from_a_class(pool: WorkerPool, sessions: int = 30) -> dict:
    pool.cache.clear()
    start = threading.Barrier(sessions)
    text = f"x^3 - {next(_fresh)}x + 1"

    def session():
        start.wait()
        pool.run_task("describe_expression", text, ("x",))

    threads = [threading.Thread(target=session) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return pool.cache.stats()._asdict()


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30, help="calls per median (default 30)")
    parser.add_argument("--clients", type=int, default=3, help="threads making simple calls (default 3)")
    options = parser.parse_args()

    print("## Round trip of a trivial task (describe of a small polynomial)\n")
    print(table(["measure", "ms"], [list(row) for row in round_trip(options.calls)]))

    limit = f"time limit {DEFAULT_TIMEOUT} s"
    print(f"\n## Simple calls from {options.clients} threads, pool of 2 workers, {limit}\n")
    rows = []
    scenarios = [(0, "nothing else running"), (1, "1 hostile input"), (2, "2 hostile inputs")]
    with WorkerPool(2) as pool:
        pool.wait_ready()
        for hostile_count, label in scenarios:
            while pool.idle_count() < pool.size:  # replacements of the killed workers
                time.sleep(0.05)
            result = under_attack(pool, hostile_count, options.clients, DEFAULT_TIMEOUT + 0.5)
            rows.append([label, *result.values()])
        print(table(["while", "calls", "median ms", "p95 ms", "max ms", "failed"], rows))

        print("\n## 30 sessions submit the same new function at once\n")
        stats = same_function_from_a_class(pool)
        print(table(list(stats), [list(stats.values())]))


if __name__ == "__main__":
    main()
