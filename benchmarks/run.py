"""Hand-run benchmarks: page rerun latency (AppTest), the sandbox round trip, parser throughput.

    .venv/bin/python benchmarks/run.py                 # every page, en and zh, 20 warm reruns each
    .venv/bin/python benchmarks/run.py --runs 50 --pages home --langs en --json benchmarks/results/now.json
    .venv/bin/python benchmarks/run.py --cold          # each page as the first after a server start

Not a test: numbers depend on the machine. benchmarks/README.md gives the targets.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "streamlit_app.py"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

# Targets from the issues (milliseconds).
TARGET_RERUN_MS = 50  # rerun with nothing new
TARGET_NEW_FUNCTION_MS = 250  # a new function, cache miss (median)
TARGET_COLD_MS = 1000  # a page's first run after a server start

from benchmarks.inputs import ONE_VARIABLE  # noqa: E402

# The home page's default, two more polynomials and products, eight functions readers type, two notations.
PARSE_INPUTS = [
    "3x^2 - 4x",
    "x^3 + 2x^2 - x + 1",
    "sin(x)*cos(x)",
    *ONE_VARIABLE[2:10],
    "abs(x) + log(x, 2)",
    "x² + 2πx",
]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {"median_ms": ms(statistics.median(ordered)), "p90_ms": ms(p90), "n": len(ordered)}


# --- pages ------------------------------------------------------------------------------------------------


def bench_page(spec, lang: str, runs: int, new_functions: int) -> dict:
    """A new session's first run of the page, warm reruns, and new functions (cache misses) if it has `f`."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ENTRY), default_timeout=120)
    at.query_params["lang"] = lang
    row: dict = {"page": spec.key, "lang": lang}
    if spec.url_path == "":
        row["first_ms"] = ms(timed(at.run))
    else:
        at.run()  # the default page; switch_page needs the pages st.navigation registered
        at.switch_page(spec.script)
        row["first_ms"] = ms(timed(at.run))
    if at.exception:
        row["error"] = "; ".join(str(e.value) for e in at.exception)[:200]
        return row

    warm = [timed(at.run) for _ in range(runs)]
    row["rerun"] = summary(warm)

    try:
        box = at.text_input(key="f")
    except KeyError:
        box = None
    if box is not None and new_functions:
        stamp = time.time_ns() % 1_000_000
        samples = []
        for i in range(new_functions):
            # Never seen before in this process, nor in the sandbox's cache: a real miss.
            at.text_input(key="f").set_value(f"x^3 - {stamp + i}x + {i + 1}")
            samples.append(timed(at.run))
        row["new_function"] = summary(samples)
    if at.exception:
        row["error"] = "; ".join(str(e.value) for e in at.exception)[:200]
    return row


def share_script_cache() -> None:
    """Compile each script once, as a real server does.

    AppTest gives every run a fresh ScriptCache, so it re-reads, re-parses (Streamlit's "magic" AST pass) and
    re-compiles the entry script and the page on each rerun: about 12 ms of a gradient rerun that a
    `streamlit run` server, whose Runtime keeps one ScriptCache for its lifetime, never pays.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def bench_pages(page_keys: list[str] | None, langs: list[str], runs: int, new_functions: int) -> list[dict]:
    from ui.navigation import PAGES

    share_script_cache()
    specs = [p for p in PAGES if page_keys is None or p.key in page_keys]
    return [bench_page(spec, lang, runs, new_functions) for spec in specs for lang in langs]


def cold_first_run(page_key: str, lang: str) -> dict:
    """The first run of one page in a new process: what the first reader after a server start waits for,
    opening a link to that page. Streamlit is imported before the clock starts (a server has it loaded);
    the app's own imports, the sandbox's start and the page's first computations are inside."""
    from streamlit.testing.v1 import AppTest

    from ui.navigation import PAGES

    spec = next(p for p in PAGES if p.key == page_key)
    at = AppTest.from_file(str(ENTRY), default_timeout=120)
    discover_components_as_a_server_start_does(at)
    at.query_params["lang"] = lang
    if spec.url_path:
        at.switch_page(spec.script)  # a deep link: this page is the first run
    cpu_before = time.process_time()
    row = {"page": page_key, "lang": lang, "first_ms": ms(timed(at.run))}
    row["first_cpu_ms"] = round((time.process_time() - cpu_before) * 1000, 1)
    if at.exception:
        row["error"] = "; ".join(str(e.value) for e in at.exception)[:200]
    return row


def discover_components_as_a_server_start_does(at) -> None:
    """Scan the installed packages for custom components before the clock starts.

    A `streamlit run` server does this once when it starts (``Runtime.__init__``), before any reader
    connects; AppTest does it inside its first ``run()``, where it would add ~170 ms (reading the metadata of
    every installed distribution) that no reader of a real server waits for. AppTest keeps the registry it
    finds in ``_bidi_component_manager`` and reuses it when set, so setting it here moves the scan out of the
    timed run and changes nothing else.
    """
    from streamlit.components.v2.component_manager import BidiComponentManager

    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    at._bidi_component_manager = manager


APP_SOURCES = ("streamlit_app.py", "app_pages", "ui", "viz", "calc_core")


def bench_cold(page_keys: list[str] | None, langs: list[str], bytecode: bool = True) -> list[dict]:
    """:func:`cold_first_run` of every page and language, each in a process of its own.

    With ``bytecode``, the app's sources are compiled to ``__pycache__`` first, as Python does on a server's
    first start wherever it may write there: this machine (and CI) sets PYTHONDONTWRITEBYTECODE=1, which
    would add the compilation of the app's own modules (100-200 ms) to every first run.
    """
    import compileall
    import subprocess

    from ui.navigation import PAGES

    if bytecode:
        for source in APP_SOURCES:
            path = ROOT / source
            compiled = (
                compileall.compile_dir(path, quiet=1)
                if path.is_dir()
                else compileall.compile_file(path, quiet=1)
            )
            if not compiled:
                raise SystemExit(f"cannot compile {path}")
    rows = []
    for spec in (p for p in PAGES if page_keys is None or p.key in page_keys):
        for lang in langs:
            child = subprocess.run(
                [sys.executable, __file__, "--cold-child", spec.key, lang],
                capture_output=True,
                text=True,
                timeout=300,
                cwd=ROOT,
            )
            last_line = (child.stdout.strip().splitlines() or ["{}"])[-1]
            try:
                rows.append(json.loads(last_line))
            except json.JSONDecodeError:
                rows.append({"page": spec.key, "lang": lang, "first_ms": None, "error": child.stderr[-200:]})
    return rows


def cold_markdown(rows: list[dict]) -> str:
    out = [
        f"| page | lang | first run after a server start (ms) | its CPU (ms) | ≤ {TARGET_COLD_MS} ms |",
        "|---|---|---:|---:|---|",
    ]
    for row in rows:
        note = f"ERROR: {row['error']}" if "error" in row else verdict(row["first_ms"], TARGET_COLD_MS)
        cpu = row.get("first_cpu_ms", "")
        out.append(f"| {row['page']} | {row['lang']} | {row['first_ms']} | {cpu} | {note} |")
    return "\n".join(out)


# --- sandbox ------------------------------------------------------------------------------------------------


def bench_sandbox(runs: int) -> dict:
    try:
        from calc_core import sandbox
    except ImportError as exc:
        return {"status": f"n/a ({exc})"}
    start = time.perf_counter()
    sandbox.warm_up(wait=True)
    ready = time.perf_counter() - start
    stamp = time.time_ns() % 1_000_000
    miss = [
        timed(lambda i=i: sandbox.run_task("describe_expression", f"x^2 + {stamp + i}x", ("x",), cache=False))
        for i in range(runs)
    ]
    sandbox.run_task("describe_expression", "x^2 + 1", ("x",))
    hit = [timed(lambda: sandbox.run_task("describe_expression", "x^2 + 1", ("x",))) for _ in range(runs)]
    return {
        "status": "ok",
        "workers_ready_ms": ms(ready),
        "round_trip": summary(miss),
        "cache_hit": summary(hit),
    }


# --- parser -------------------------------------------------------------------------------------------------


def bench_parser(seconds: float) -> dict:
    try:
        from calc_core.parser import parse_expression
    except ImportError as exc:
        return {"status": f"n/a ({exc})"}
    for text in PARSE_INPUTS:  # warm up, and fail early on an input the parser rejects
        parse_expression(text)
    count = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for text in PARSE_INPUTS:
            parse_expression(text)
        count += len(PARSE_INPUTS)
    return {"status": "ok", "expressions_per_s": round(count / elapsed), "inputs": len(PARSE_INPUTS)}


# --- report -------------------------------------------------------------------------------------------------


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return ""
    return "ok" if value <= target else "SLOW"


def markdown(result: dict) -> str:
    out = [f"Machine: {result['machine']}", ""]
    out += [
        "| page | lang | first run (ms) | rerun median (ms) | rerun p90 (ms) | "
        f"≤ {TARGET_RERUN_MS} ms | new function median (ms) | ≤ {TARGET_NEW_FUNCTION_MS} ms |",
        "|---|---|---:|---:|---:|---|---:|---|",
    ]
    for row in result["pages"]:
        if "error" in row and "rerun" not in row:
            out.append(
                f"| {row['page']} | {row['lang']} | {row['first_ms']} | ERROR: {row['error']} | | | | |"
            )
            continue
        rerun = row["rerun"]["median_ms"]
        new = row.get("new_function", {}).get("median_ms")
        out.append(
            f"| {row['page']} | {row['lang']} | {row['first_ms']} | {rerun} | {row['rerun']['p90_ms']} | "
            f"{verdict(rerun, TARGET_RERUN_MS)} | {'n/a' if new is None else new} | "
            f"{verdict(new, TARGET_NEW_FUNCTION_MS)} |"
        )
    sb = result["sandbox"]
    out += ["", "| engine | value |", "|---|---:|"]
    if sb["status"] == "ok":
        out += [
            f"| sandbox: workers ready (ms) | {sb['workers_ready_ms']} |",
            f"| sandbox: round trip, no cache, median (ms) | {sb['round_trip']['median_ms']} |",
            f"| sandbox: round trip, no cache, p90 (ms) | {sb['round_trip']['p90_ms']} |",
            f"| sandbox: cache hit, median (ms) | {sb['cache_hit']['median_ms']} |",
        ]
    else:
        out.append(f"| sandbox | {sb['status']} |")
    ps = result["parser"]
    value = ps["expressions_per_s"] if ps["status"] == "ok" else ps["status"]
    out.append(f"| parser: expressions per second | {value} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--runs", type=int, default=20, help="warm reruns per page and sandbox calls (default 20)"
    )
    ap.add_argument("--new-functions", type=int, default=5, help="new functions per page with an f box")
    ap.add_argument("--pages", help="comma-separated page keys (default: every page in ui.navigation.PAGES)")
    ap.add_argument("--langs", nargs="+", default=["en", "zh"], choices=["en", "zh"])
    ap.add_argument("--parse-seconds", type=float, default=2.0)
    ap.add_argument("--skip-pages", action="store_true", help="engine numbers only")
    ap.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    ap.add_argument("--cold", action="store_true", help="only each page's first run after a server start")
    ap.add_argument(
        "--no-bytecode",
        action="store_true",
        help="--cold without compiling the app's sources first (a start that cannot write __pycache__)",
    )
    ap.add_argument("--cold-child", nargs=2, metavar=("PAGE", "LANG"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    os.chdir(ROOT)
    # Benchmark code calls Streamlit outside a script run: quiet "missing ScriptRunContext" (a filter, since
    # Streamlit resets its loggers' levels when it reads its config).
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )
    page_keys = args.pages.split(",") if args.pages else None
    if args.cold_child:
        print(json.dumps(cold_first_run(*args.cold_child)))
        return 0
    if args.cold:
        rows = bench_cold(page_keys, args.langs, bytecode=not args.no_bytecode)
        print(cold_markdown(rows))
        return 1 if any("error" in row for row in rows) else 0
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "runs": args.runs,
        # Engines first: "workers ready" is then a real cold start of the sandbox's pool.
        "sandbox": bench_sandbox(args.runs),
        "parser": bench_parser(args.parse_seconds),
    }
    result["pages"] = (
        [] if args.skip_pages else bench_pages(page_keys, args.langs, args.runs, args.new_functions)
    )
    print(markdown(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        print(f"\nJSON: {args.json}")
    return 1 if any("error" in row for row in result["pages"]) else 0


if __name__ == "__main__":
    sys.exit(main())
