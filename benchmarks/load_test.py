"""Load test by hand: many readers on one real ``streamlit run`` server, typing functions and points.

    .venv/bin/python benchmarks/load_test.py                          # 30 sessions for 180 s
    .venv/bin/python benchmarks/load_test.py --sessions 3 --duration 20
    .venv/bin/python benchmarks/load_test.py --json benchmarks/results/load-$(date +%F).json
    CALC_WORKERS=3 .venv/bin/python benchmarks/load_test.py          # the server inherits the environment

What it does:

1. starts ``streamlit run streamlit_app.py --server.headless true`` on a free port of 127.0.0.1 and waits
   for ``/_stcore/health``;
2. samples the server's memory every 0.5 s from /proc: the resident set (RSS) and the proportional set size
   (PSS: a page shared by k processes counts 1/k in each) of the Streamlit process and of all its
   descendants (the sandbox's ``python -m calc_core.worker`` processes);
3. memory per session: one session opens every page of ``ui.navigation.PAGES`` once, then the memory is read;
   the other sessions connect and do the same, and it is read again: (mem_N - mem_1) / (N - 1);
4. the load, for ``--duration`` seconds, in one of two ``--scenario``s:
   - ``independent``: every session changes a function or a point on its page, or goes to another page,
     then pauses 2-6 s (``--think``, the mean), as a student would. A tenth of the functions and points are
     hostile (huge powers, deep brackets, ``__import__``, NUL bytes, 1000 characters, emoji), half of the
     others were never typed before (cache misses);
   - ``teacher``: the class follows the projector. Every ``--round-seconds`` the teacher shows another page
     and function; each student opens it in a new tab, then keeps choosing one of three points there;
5. stops the server and prints a markdown table: p50 and p95 latency, errors, server CPU per rerun (user +
   system of the server and all its children, reaped ones included), peak PSS, PSS before and after the
   load. It exits with 1 if there was any error or the peak PSS reached ``--memory-limit-mb`` (690 MB: the
   least memory Streamlit Community Cloud lists for an app).

Each session speaks Streamlit's websocket protocol like a browser does (benchmarks/load_client.py). The
latency of an input is the time from sending the rerun to receiving ``script_finished``. An error is an
exception element, a script that did not finish successfully, a timeout or a lost connection, a hostile
input shown without the app's own message (st.error for a function, st.warning for a point), or an input
that changed nothing on the page. The client runs on the same machine and takes some CPU from the server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.Alert_pb2 import Alert  # noqa: E402

from benchmarks.inputs import ONE_VARIABLE  # noqa: E402
from benchmarks.load_client import AppSession, RunOutcome, WidgetValue  # noqa: E402
from calc_core.sandbox import STATS_ENV  # noqa: E402
from ui.navigation import PAGES  # noqa: E402

MEMORY_LIMIT_MB = 690  # Community Cloud's documented minimum per app (690 MB to 2.7 GB)
SAMPLE_SECONDS = 0.5
SETTLE_SECONDS = 3.0
PAGE_CHANGE_SHARE = 0.1  # of all changes: going to another page through the menu
FRESH_FUNCTION_SHARE = 0.5  # of function changes: a function nobody typed before (a cache miss)
HOSTILE_SHARE = 0.1  # of every session's function (and point) changes, as the capacity issue has it

# --- what readers type ----------------------------------------------------------------------------------
# None of the lists holds a page's default (3x^2 - 4x, x0 = 1, p = 1, 1 or 1, 0.5, seed 1, sin(u), x^2):
# every change must change what the page shows. (ONE_VARIABLE, shared with run.py: benchmarks/inputs.py.)

TWO_VARIABLES = (
    "x1^2 + x2^2",
    "sin(x1)*cos(x2)",
    "exp(-(x1^2 + x2^2))",
    "x1*x2",
    "x^2 - y^2",
    "ln(1 + x^2 + y^2)",
    "x1^3 - 3x1*x2^2",
)
OUTER = ("exp(u)", "u^3", "ln(u)", "sqrt(u)", "cos(u)^2", "1/(1 + u^2)", "tanh(u)")
INNER = ("3x + 1", "sin(x)", "exp(x)", "x^3 - x", "x^2 + 1", "2x")
X0_VALUES = (-2.0, -1.5, -0.5, 0.0, 0.5, 2.0, 2.5, 3.0, 3.14159, 7.5)
POINTS = ("1, 2", "0.5, -1", "-2, 1.5", "0, 0", "3, -2", "-0.5, 0.25", "2, 2")


@dataclass(frozen=True)
class Hostile:
    text: str
    must_refuse: bool = True  # False: the app may compute it (within its time limit) or refuse it


HOSTILE_FUNCTIONS = (
    Hostile("x^99999^9"),
    Hostile("9**9**9"),
    Hostile("(((((((x)))))))" * 60),
    Hostile("(" * 300 + "x" + ")" * 300),
    Hostile("__import__('os')"),
    Hostile("(1).__class__.__bases__[0].__subclasses__()"),
    Hostile("lambda: 0"),
    Hostile("x" * 1000),
    Hostile("1" * 1000),
    Hostile("sin(x)\x00"),
    Hostile("\x00" * 20),
    Hostile("𝑥² + 😀"),
    Hostile("x\U0001f600" * 300),
    Hostile("\u202ex\u202d + 1"),
    Hostile("exp(exp(exp(exp(x))))", must_refuse=False),
    Hostile("sin(sin(3+exp(exp(exp(3)))))", must_refuse=False),
)
HOSTILE_POINTS = (
    Hostile("1e999, 2"),
    Hostile("nan, nan"),
    Hostile("1e9, 1"),
    Hostile("__import__('os')"),
    Hostile("1," * 500),
    Hostile("\x00, 1"),
)


def fresh_one_variable(rng: random.Random) -> str:
    return f"{rng.randint(2, 99)}x^{rng.randint(2, 6)} + sin({rng.randint(2, 9)}x)"


def fresh_two_variables(rng: random.Random) -> str:
    return f"{rng.randint(2, 99)}x1^2 + {rng.randint(2, 9)}x2^2 + {rng.randint(2, 9)}x1*x2"


def fresh_outer(rng: random.Random) -> str:
    return f"{rng.randint(2, 99)}u^{rng.randint(2, 5)}"


def fresh_inner(rng: random.Random) -> str:
    return f"{rng.randint(2, 99)}x^2 + {rng.randint(2, 9)}x"


def fresh_seed(rng: random.Random) -> int:
    return rng.randint(2, 9999)


@dataclass(frozen=True)
class Knob:
    """One input on a page that a reader changes: its widget key and the values a reader gives it."""

    key: str
    kind: str  # "function" or "point"
    choices: tuple = ()
    fresh: Callable[[random.Random], WidgetValue] | None = None
    hostile: tuple[Hostile, ...] = ()

    @property
    def refusal_format(self) -> int:
        """The alert the app must show when it refuses a value: st.error (function), st.warning (point)."""
        return Alert.ERROR if self.kind == "function" else Alert.WARNING


F_OF_X = Knob("f", "function", ONE_VARIABLE, fresh_one_variable, HOSTILE_FUNCTIONS)
F_OF_X1_X2 = Knob("f", "function", TWO_VARIABLES, fresh_two_variables, HOSTILE_FUNCTIONS)
POINT_X0 = Knob("x0", "point", X0_VALUES)
POINT_P = Knob("p", "point", POINTS, hostile=HOSTILE_POINTS)

PAGE_KNOBS: dict[str, tuple[Knob, ...]] = {
    "": (F_OF_X,),
    "limits": (F_OF_X, POINT_X0),
    "rules": (F_OF_X, POINT_X0),
    "sketch": (F_OF_X,),
    "partials": (F_OF_X1_X2, POINT_P),
    "gradient": (F_OF_X1_X2, POINT_P),
    "chain_rule": (
        Knob("f", "function", OUTER, fresh_outer, HOSTILE_FUNCTIONS),
        Knob("g", "function", INNER, fresh_inner, HOSTILE_FUNCTIONS),
        POINT_X0,
    ),
    "exercises": (Knob("seed", "point", fresh=fresh_seed),),
}
PAGE_PATHS = [spec.url_path for spec in PAGES]

# --- a class following the teacher ------------------------------------------------------------------------
# Every round the teacher projects one page and function; each student asks for it again and again with a
# point of their own among three. Everyone asks for the same few things: the caches must answer.
SCENARIOS = ("independent", "teacher")
TEACHER_X0 = (0.5, 1.0, 2.0)
TEACHER_P = ("0.5, 0.5", "1, 2", "2, 1")


@dataclass(frozen=True)
class Round:
    """What the teacher shows for a while: a page, its functions, and the point students choose from."""

    page: str
    functions: dict
    point_key: str = "x0"
    points: tuple = TEACHER_X0

    def link(self, rng: random.Random) -> dict[str, WidgetValue]:
        return self.functions | {self.point_key: rng.choice(self.points)}


TEACHER_ROUNDS = (
    Round("limits", {"f": "sin(x)"}),
    Round("rules", {"f": "x^3 - 2x"}),
    Round("limits", {"f": "exp(-x^2/2)"}),
    Round("rules", {"f": "ln(x^2 + 1)"}),
    Round("partials", {"f": "x1^2 + x2^2"}, "p", TEACHER_P),
    Round("gradient", {"f": "sin(x1)*cos(x2)"}, "p", TEACHER_P),
    Round("chain_rule", {"f": "exp(u)", "g": "3x + 1"}),
)


def teacher_round(elapsed: float, round_seconds: float) -> Round:
    """The round on the projector ``elapsed`` seconds into the load; after the last, the first again.

    >>> teacher_round(0, 30).page, teacher_round(31, 30).page, teacher_round(30 * 7, 30).page
    ('limits', 'rules', 'limits')
    """
    return TEACHER_ROUNDS[int(elapsed // round_seconds) % len(TEACHER_ROUNDS)]


@dataclass(frozen=True)
class Change:
    """One thing a reader does: go to a page, or give a widget a new value."""

    kind: str  # "page", "function", "point", or "link" (a page with a query string: the teacher's)
    page: str  # URL path of the page it happens on ("" is home)
    key: str = ""
    value: WidgetValue = ""  # for a link, its query string
    hostile: bool = False
    must_refuse: bool = False
    refusal_format: int = Alert.ERROR
    link: dict = field(default_factory=dict, compare=False)  # a link's parameters


def pick_value(
    knob: Knob, page: str, rng: random.Random, hostile: bool, current: WidgetValue | None
) -> Change:
    """A new value for ``knob`` on ``page``: hostile if asked (and the knob has some), else fresh or typical;
    never ``current``, the value the box holds now."""
    if hostile and knob.hostile:
        pick = rng.choice([h for h in knob.hostile if h.text != current] or knob.hostile)
        return Change(knob.kind, page, knob.key, pick.text, True, pick.must_refuse, knob.refusal_format)
    typical = [value for value in knob.choices if value != current]
    if knob.fresh is not None and (not typical or rng.random() < FRESH_FUNCTION_SHARE):
        value = knob.fresh(rng)
        while value == current:
            value = knob.fresh(rng)
    else:
        value = rng.choice(typical)
    return Change(knob.kind, page, knob.key, value, refusal_format=knob.refusal_format)


def next_change(page: str, rng: random.Random, hostile_session: bool, last_values: dict) -> Change:
    """What a reader on ``page`` does next."""
    if rng.random() < PAGE_CHANGE_SHARE:
        return Change("page", rng.choice([path for path in PAGE_PATHS if path != page]))
    knob = rng.choice(PAGE_KNOBS[page])
    hostile = hostile_session and rng.random() < HOSTILE_SHARE
    return pick_value(knob, page, rng, hostile, last_values.get(knob.key))


def problems_in(
    change: Change, outcome: RunOutcome, previous: RunOutcome | None, page_hash: str
) -> list[str]:
    """What went wrong in the run that followed ``change``; an empty list when all is well."""
    problems = [f"exception element: {text}" for text in outcome.exceptions]
    if not outcome.finished_ok:
        problems.append(f"script_finished status {outcome.status}")
    if outcome.unknown_refs:
        problems.append(f"{outcome.unknown_refs} ref_hash message(s) not in the client's cache")
    if change.kind == "link":
        if outcome.refused_with(Alert.ERROR) or outcome.refused_with(Alert.WARNING):
            problems.append(f"the teacher's link was refused: {outcome.refusals[0][1]!r}")
        if page_hash and outcome.page_script_hash != page_hash:
            problems.append(f"asked for page {change.page!r}, the server showed {outcome.page_script_hash!r}")
    elif change.kind == "page":
        if page_hash and outcome.page_script_hash != page_hash:
            problems.append(f"asked for page {change.page!r}, the server showed {outcome.page_script_hash!r}")
    elif change.must_refuse:
        if not outcome.refused_with(change.refusal_format):
            problems.append("hostile input shown without the app's error message")
    elif changed_nothing(outcome, previous):
        problems.append("the new value changed nothing on the page")
    return problems


def changed_nothing(outcome: RunOutcome, previous: RunOutcome | None) -> bool:
    """The page drew exactly what it drew before. Not judged after a refused function: then a page may
    rightly ignore a new point (no function, nothing to evaluate at it)."""
    if previous is None or previous.refused_with(Alert.ERROR):
        return False
    return outcome.content_digest == previous.content_digest


def newly_refused(outcome: RunOutcome, previous: RunOutcome | None) -> bool:
    """The run showed an st.error that the run before did not (so it is about the value just typed)."""
    return outcome.refused_with(Alert.ERROR) and not (
        previous is not None and previous.refused_with(Alert.ERROR)
    )


# --- memory, from /proc ---------------------------------------------------------------------------------


def parse_status_kb(status_text: str, name: str = "VmRSS") -> int | None:
    """A ``kB`` field of /proc/<pid>/status, such as VmRSS; None when the field is missing (a zombie).

    >>> parse_status_kb("Name:\\tpython\\nVmRSS:\\t  123456 kB\\n")
    123456
    """
    for line in status_text.splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return None


def parse_parent_pid(stat_text: str) -> int:
    """The parent's pid from /proc/<pid>/stat (the command name may hold spaces and brackets).

    >>> parse_parent_pid("42 (python -m (x)) S 7 42 42 0")
    7
    """
    return int(stat_text[stat_text.rindex(")") + 2 :].split()[1])


def pss_kb(pid: int) -> int:
    """Proportional set size: a page shared by k processes counts 1/k in each, so a sum over the server
    and its forked workers counts shared libraries once (RSS would count them in every process)."""
    try:
        return parse_status_kb(Path(f"/proc/{pid}/smaps_rollup").read_text(), "Pss") or 0
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0


def rss_kb(pid: int) -> int:
    try:
        return parse_status_kb(Path(f"/proc/{pid}/status").read_text()) or 0
    except (FileNotFoundError, ProcessLookupError):
        return 0


def descendants(root: int) -> list[int]:
    """Every process below ``root`` (children, their children, …), from a scan of /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = parse_parent_pid((entry / "stat").read_text())
            except (FileNotFoundError, ProcessLookupError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], list(children.get(root, []))
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def cpu_seconds(pid: int, with_reaped_children: bool = False) -> float:
    """CPU time (user + system) of a process from /proc/<pid>/stat; 0 for a process that is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    ticks = [int(value) for value in fields[11:15]]  # utime, stime, cutime, cstime
    return sum(ticks if with_reaped_children else ticks[:2]) / os.sysconf("SC_CLK_TCK")


def servers_cpu_seconds(roots: tuple[int, ...], main_only: bool = False) -> float:
    """CPU seconds of the servers ``roots`` (with their workers unless ``main_only``); NaN without any.
    A replica stopped during the load takes its CPU with it: its share is then missing."""
    if not roots:
        return math.nan
    return sum(cpu_seconds(root) if main_only else tree_cpu_seconds(root) for root in roots)


def tree_cpu_seconds(root: int) -> float:
    """CPU time of the server: its own, its reaped children's (killed workers) and its live children's."""
    return cpu_seconds(root, with_reaped_children=True) + sum(cpu_seconds(pid) for pid in descendants(root))


@dataclass(frozen=True)
class MemorySample:
    seconds: float  # since the sampler started
    main_mb: float  # RSS of the Streamlit process
    total_mb: float  # RSS of the server and its workers
    processes: int
    pss_mb: float = math.nan  # proportional set size of the server and its workers


def sample_memory(roots: tuple[int, ...], started: float) -> MemorySample:
    """The memory of the servers ``roots`` (one, or a cluster's replicas) and their descendants; NaN when
    there is no server to read (``--url`` without ``--server-pid``)."""
    elapsed = round(time.monotonic() - started, 2)
    if not roots:
        return MemorySample(elapsed, math.nan, math.nan, 0, math.nan)
    children = {root: descendants(root) for root in roots}
    main = sum(rss_kb(root) for root in roots)
    total = main + sum(rss_kb(pid) for pids in children.values() for pid in pids)
    pss = sum(pss_kb(pid) for root, pids in children.items() for pid in [root, *pids])
    processes = sum(1 + len(pids) for pids in children.values())
    return MemorySample(elapsed, main / 1024, total / 1024, processes, pss / 1024)


class MemorySampler(threading.Thread):
    """The server's memory every SAMPLE_SECONDS, in a thread of its own: busy clients cannot delay it."""

    def __init__(self, root_pids: tuple[int, ...]):
        super().__init__(daemon=True, name="memory-sampler")
        self.root_pids = root_pids
        self.samples: list[MemorySample] = []
        self._clock_start = time.monotonic()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.samples.append(sample_memory(self.root_pids, self._clock_start))
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)

    def recent_total_mb(self, seconds: float = 2.0) -> float:
        """The mean total over the last ``seconds``: one reading of a memory that has settled."""
        now = self.samples[-1].seconds
        return statistics.fmean(s.total_mb for s in self.samples if s.seconds >= now - seconds)

    def peak(self) -> MemorySample:
        return max(self.samples, key=lambda s: s.total_mb)

    def peak_main_mb(self) -> float:
        return max(s.main_mb for s in self.samples)

    def peak_pss_mb(self) -> float:
        return max(s.pss_mb for s in self.samples)

    def recent_pss_mb(self, seconds: float = 2.0) -> float:
        now = self.samples[-1].seconds
        return statistics.fmean(s.pss_mb for s in self.samples if s.seconds >= now - seconds)


# --- the server -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(
    port: int, log_path: Path, app_root: Path = ROOT, stats_path: Path | None = None
) -> subprocess.Popen:
    """``streamlit run`` in ``app_root``, in a process group of its own: stopping it stops its workers too.
    With ``stats_path``, the server writes its sandbox cache's counters there when it exits."""
    command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    environment = dict(os.environ)
    if stats_path is not None:
        stats_path.unlink(missing_ok=True)
        environment[STATS_ENV] = str(stats_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        return subprocess.Popen(
            command,
            cwd=app_root,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def read_sandbox_stats(path: Path) -> dict:
    """The counters the server wrote at exit (``calc_core.sandbox.write_cache_stats``); {} if none."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def wait_until_healthy(server: subprocess.Popen, base_url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no answer from {base_url}/_stcore/health within {timeout:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM to the server's process group, SIGKILL if it is still there after 15 s."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


# --- statistics -----------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile, interpolated between the two nearest ranks (numpy's default); NaN for no values.

    >>> percentile([1, 2, 3, 4], 50), percentile([10], 95), percentile([0, 10], 95)
    (2.5, 10.0, 9.5)
    """
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Recorder:
    """Every measured change and every problem, from all sessions."""

    latencies: list[tuple[str, str, float, str]] = field(default_factory=list)  # (page, kind, s, input)
    problems: list[dict] = field(default_factory=list)
    refused_typical: list[dict] = field(default_factory=list)  # ordinary input the app refused (a note)
    hostile_outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    warm_up_runs: int = 0
    measured_reruns: int = 0  # every rerun sent during the load, answered or not: CPU per rerun divides by it
    link_contents: dict[tuple, str] = field(default_factory=dict)  # (language, page, link) -> content digest

    def problem(self, session: int, change: Change, what: str, replica: str = "") -> None:
        value = change.value if change.kind != "page" else ""
        self.problems.append(
            {"session": session, "page": change.page or "home", "kind": change.kind, "key": change.key}
            | {"input": repr(value)[:120], "what": what, "replica": replica}
        )

    def same_link_same_page(self, language: str, change: Change, outcome: RunOutcome) -> bool:
        """Whether a link opened in a new tab drew what it drew in every other new tab in this language
        (a session's history changes details such as a widget's value field: only first runs compare)."""
        if not outcome.new_tab:
            return True
        first = self.link_contents.setdefault((language, change.page, change.value), outcome.content_digest)
        return first == outcome.content_digest

    def outcome(
        self, change: Change, outcome: RunOutcome, previous: RunOutcome | None, measured: bool
    ) -> None:
        if measured:
            self.latencies.append(
                (change.page or "home", change.kind, outcome.seconds, repr(change.value)[:80])
            )
        else:
            self.warm_up_runs += 1
        if change.hostile:
            verdict = "refused" if outcome.refused_with(change.refusal_format) else "computed"
            counts = self.hostile_outcomes.setdefault(repr(change.value)[:60], {})
            counts[verdict] = counts.get(verdict, 0) + 1
        elif change.kind == "function" and newly_refused(outcome, previous):
            self.refused_typical.append(
                {
                    "page": change.page or "home",
                    "input": change.value,
                    "message": outcome.refusals[0][1][:160],
                }
            )


# --- one reader -----------------------------------------------------------------------------------------


class Reader:
    """A student in one browser tab: opens pages, types functions and points, waits a little, goes on."""

    def __init__(self, index: int, base_url: str, recorder: Recorder, args: argparse.Namespace):
        self.index = index
        self.language = "en" if index % 2 == 0 else "zh"
        self.hostile = True  # any student may type hostile input, HOSTILE_SHARE of the time
        self.rng = random.Random(args.seed * 1000 + index)
        self.scenario = args.scenario
        self.round_seconds = args.round_seconds
        self.think = args.think
        self.timeout = args.timeout
        self.base_url = base_url
        self.recorder = recorder
        self.session = AppSession(base_url, self.language, args.timeout)
        self.affinity_cookie = args.affinity_cookie
        self.replicas: list[str] = []  # behind a load balancer: the replicas this reader was served by
        self.last_values: dict[str, WidgetValue] = {}  # session state keys are shared by all pages
        self.previous: RunOutcome | None = None
        self.measuring = False
        self.connected = False  # False for good once a reconnection has failed

    async def connect(self) -> None:
        await self.session.connect()
        self.connected = True
        self.note_replica()

    def note_replica(self) -> None:
        replica = self.session.cookies.get(self.affinity_cookie, "")
        if replica and (not self.replicas or self.replicas[-1] != replica):
            self.replicas.append(replica)

    @property
    def replica(self) -> str:
        return self.replicas[-1] if self.replicas else ""

    async def visit_every_page(self) -> None:
        """Every page once, from a different first page for each reader: the load begins spread out."""
        start = self.index % len(PAGE_PATHS)
        for path in PAGE_PATHS[start:] + PAGE_PATHS[:start]:
            if self.connected:
                await self.apply(Change("page", path))

    async def play_until(self, deadline: float) -> None:
        self.measuring = True
        started = time.monotonic()
        while self.connected and time.monotonic() < deadline:
            if self.scenario == "teacher":
                change = self.teachers_link(time.monotonic() - started)
            else:
                change = next_change(self.session.page, self.rng, self.hostile, self.last_values)
            await self.apply(change)
            await asyncio.sleep(self.think * self.rng.uniform(0.5, 1.5))

    def teachers_link(self, elapsed: float) -> Change:
        """The link on the projector now, with a point of this student's choosing."""
        projected = teacher_round(elapsed, self.round_seconds)
        params = projected.link(self.rng)
        return Change("link", projected.page, value=urlencode(params), link=params)

    async def close(self) -> None:
        await self.session.close()

    async def apply(self, change: Change) -> None:
        if self.measuring:
            self.recorder.measured_reruns += 1
        try:
            outcome = await self._send(change)
            self.note_replica()  # a link may have opened a new tab: the balancer may have said where
        except (TimeoutError, websockets.ConnectionClosed, OSError, KeyError) as err:
            self.recorder.problem(self.index, change, f"{type(err).__name__}: {err}"[:300], self.replica)
            await self._reconnect()
            return
        self.recorder.outcome(change, outcome, self.previous, self.measuring)
        page_hash = self.session.page_hashes.get(change.page, "")
        for what in problems_in(change, outcome, self.previous, page_hash):
            self.recorder.problem(self.index, change, what, self.replica)
        if change.kind == "link" and not self.recorder.same_link_same_page(self.language, change, outcome):
            what = "the same link drew a different page than for others"
            self.recorder.problem(self.index, change, what, self.replica)
        self.previous = outcome
        if change.key:
            self.last_values[change.key] = change.value

    async def _send(self, change: Change) -> RunOutcome:
        if change.kind == "page":
            return await self.session.open_page(change.page)
        if change.kind == "link":
            return await self.session.follow_link(change.page, change.link)
        return await self.session.set_widget(change.key, change.value)

    async def _reconnect(self) -> None:
        """A new tab on the same page after a timeout or a lost connection (the old session is gone)."""
        page = self.session.page
        await self.session.close()
        # The same browser: its cookies go along (a balancer sends it back to its replica if that is up).
        self.session = AppSession(self.base_url, self.language, self.timeout, self.session.cookies)
        self.previous, self.last_values = None, {}
        try:
            await self.session.connect()
            self.note_replica()
            self.previous = await self.session.open_page(page)
        except (TimeoutError, websockets.ConnectionClosed, OSError) as err:
            what = f"reconnect failed: {err}"[:300]
            self.recorder.problem(self.index, Change("page", page), what, self.replica)
            self.connected = False


# --- the run ---------------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    sessions: int
    duration_s: float
    think_s: float
    calc_workers: str
    scenario: str = "independent"
    input_changes: int = 0
    reruns: int = 0  # every rerun sent during the load (input_changes: those answered)
    peak_pss_mb: float = math.nan
    pss_before_load_mb: float = math.nan  # settled, with every session connected
    pss_after_load_mb: float = math.nan  # settled again after the load: a leak shows as a rise
    errors: int = 0
    peak_total_mb: float = 0.0
    peak_main_mb: float = 0.0
    peak_processes: int = 0
    median_ms: float = math.nan
    p95_ms: float = math.nan
    max_ms: float = math.nan
    memory_one_session_mb: float = 0.0
    memory_all_sessions_mb: float = 0.0
    memory_per_session_mb: float = math.nan
    per_page: list[dict] = field(default_factory=list)
    slowest: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    refused_typical: list[dict] = field(default_factory=list)
    hostile_outcomes: dict = field(default_factory=dict)
    server_cpu_s: float = math.nan
    main_cpu_s: float = math.nan
    client_cpu_s: float = math.nan
    load_average: float = math.nan
    server_log_tracebacks: int = 0
    server_log: str = ""
    sandbox: dict = field(default_factory=dict)  # the sandbox cache's counters over the whole run
    url: str = ""  # the server or balancer the sessions used; empty: a server started by this script
    replicas: list[list[str]] = field(default_factory=list)  # behind a balancer: per session, its replicas
    stopped_replica: str = ""  # the replica stopped during the load (--stop-replica)
    servers: int = 1  # how many server processes the memory is summed over (a cluster's replicas)
    pss_by_minute: list[float] = field(default_factory=list)  # the peak PSS of each minute of the run


@dataclass
class Measured:
    """What run_sessions saw besides each change: settled memory, and the CPU used during the load."""

    recorder: Recorder = field(default_factory=Recorder)
    memory_one_mb: float = math.nan
    memory_all_mb: float = math.nan
    server_cpu_s: float = math.nan
    main_cpu_s: float = math.nan  # the Streamlit process alone (the rest: the sandbox's workers)
    client_cpu_s: float = math.nan
    load_average: float = math.nan  # the machine's, over the last minute of the load
    pss_before_mb: float = math.nan
    pss_after_mb: float = math.nan
    replicas: list[list[str]] = field(default_factory=list)  # per session, the replicas that served it


async def run_sessions(args: argparse.Namespace, base_url: str, sampler: MemorySampler) -> Measured:
    """Memory per session (one reader, then all of them), then the load."""
    measured = Measured()
    readers = [Reader(i, base_url, measured.recorder, args) for i in range(args.sessions)]
    try:
        await readers[0].connect()
        await readers[0].visit_every_page()
        measured.memory_one_mb = await settled_memory(sampler)
        await asyncio.gather(*(reader.connect() for reader in readers[1:]))
        await asyncio.gather(*(reader.visit_every_page() for reader in readers[1:]))
        measured.memory_all_mb = await settled_memory(sampler)
        measured.pss_before_mb = sampler.recent_pss_mb()
        roots = sampler.root_pids
        server_cpu, main_cpu = servers_cpu_seconds(roots), servers_cpu_seconds(roots, main_only=True)
        client_cpu = sum(os.times()[:2])
        deadline = time.monotonic() + args.duration
        profiler = start_profiler(args.py_spy, roots[0], args.duration) if roots else None
        fault = asyncio.create_task(stop_replica_later(args)) if args.stop_replica else None
        await asyncio.gather(*(reader.play_until(deadline) for reader in readers))
        finish_profiler(profiler)
        if fault is not None:
            await fault
        measured.server_cpu_s = servers_cpu_seconds(roots) - server_cpu
        measured.main_cpu_s = servers_cpu_seconds(roots, main_only=True) - main_cpu
        if not all(Path(f"/proc/{root}").exists() for root in roots):  # a stopped replica took its CPU along
            measured.server_cpu_s = measured.main_cpu_s = math.nan
        measured.replicas = [reader.replicas for reader in readers]
        measured.client_cpu_s = sum(os.times()[:2]) - client_cpu
        measured.load_average = os.getloadavg()[0]
        await settled_memory(sampler)
        measured.pss_after_mb = sampler.recent_pss_mb()
    finally:
        await asyncio.gather(*(reader.close() for reader in readers), return_exceptions=True)
    return measured


def start_profiler(output: Path | None, pid: int, seconds: float) -> subprocess.Popen | None:
    """py-spy sampling the Streamlit process during the load while it holds the GIL (its CPU, not its
    waits), into ``output`` in py-spy's raw format (a stack and its count per line; flamegraph tools read
    it). py-spy is on PyPI, not a requirement."""
    if output is None:
        return None
    output.parent.mkdir(parents=True, exist_ok=True)
    command = ["py-spy", "record", "--pid", str(pid), "--duration", str(math.ceil(seconds))]
    command += ["--rate", "100", "--gil", "--format", "raw", "--output", str(output)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def finish_profiler(profiler: subprocess.Popen | None) -> None:
    if profiler is not None:
        profiler.wait(timeout=60)


async def settled_memory(sampler: MemorySampler) -> float:
    await asyncio.sleep(SETTLE_SECONDS)
    return sampler.recent_total_mb()


def latency_rows(latencies: list[tuple[str, str, float, str]]) -> list[dict]:
    by_page: dict[str, list[float]] = {}
    for page, _, seconds, _ in latencies:
        by_page.setdefault(page, []).append(seconds * 1000)
    return [
        {"page": page, "changes": len(ms), "median_ms": statistics.median(ms), "p95_ms": percentile(ms, 95)}
        | {"max_ms": max(ms)}
        for page, ms in sorted(by_page.items())
    ]


def summarise(args, measured: Measured, sampler: MemorySampler, log_path: Path) -> LoadResult:
    recorder, memory_one, memory_all = measured.recorder, measured.memory_one_mb, measured.memory_all_mb
    all_ms = [seconds * 1000 for _, _, seconds, _ in recorder.latencies]
    slowest = sorted(recorder.latencies, key=lambda item: -item[2])[:10]
    peak = sampler.peak()
    log_text = log_path.read_text(errors="replace") if log_path.exists() else ""
    return LoadResult(
        sessions=args.sessions,
        duration_s=args.duration,
        think_s=args.think,
        calc_workers=os.environ.get("CALC_WORKERS", "2 (default)"),
        scenario=args.scenario,
        input_changes=len(all_ms),
        reruns=recorder.measured_reruns,
        peak_pss_mb=sampler.peak_pss_mb(),
        pss_before_load_mb=measured.pss_before_mb,
        pss_after_load_mb=measured.pss_after_mb,
        errors=len(recorder.problems),
        peak_total_mb=peak.total_mb,
        peak_main_mb=sampler.peak_main_mb(),
        peak_processes=max(s.processes for s in sampler.samples),
        median_ms=statistics.median(all_ms) if all_ms else math.nan,
        p95_ms=percentile(all_ms, 95),
        max_ms=max(all_ms, default=math.nan),
        memory_one_session_mb=memory_one,
        memory_all_sessions_mb=memory_all,
        memory_per_session_mb=(memory_all - memory_one) / (args.sessions - 1)
        if args.sessions > 1
        else math.nan,
        per_page=latency_rows(recorder.latencies),
        slowest=[{"page": p, "kind": k, "ms": round(s * 1000), "input": i} for p, k, s, i in slowest],
        problems=recorder.problems,
        refused_typical=recorder.refused_typical,
        hostile_outcomes=recorder.hostile_outcomes,
        server_cpu_s=measured.server_cpu_s,
        main_cpu_s=measured.main_cpu_s,
        client_cpu_s=measured.client_cpu_s,
        load_average=measured.load_average,
        server_log_tracebacks=log_text.count("Traceback"),
        server_log=str(log_path),
    )


async def stop_replica_later(args: argparse.Namespace) -> None:
    """``--stop-replica NAME``: SIGTERM that replica (its process group: the sandbox workers too) at
    ``--stop-at`` seconds into the load, as a crashed or drained machine would leave a class."""
    await asyncio.sleep(args.stop_at)
    pid = args.replica_pids[args.stop_replica]
    print(f"load_test: stopping replica {args.stop_replica} (pid {pid}) at {args.stop_at:g} s", flush=True)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)


def read_cluster_state(path: Path) -> tuple[str, dict[str, int]]:
    """The balancer's URL and each replica's pid, from ``deploy/local-cluster --state PATH``'s JSON.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
    ...     _ = file.write('{"url": "http://127.0.0.1:8080", "replicas": [{"name": "r1", "pid": 7}]}')
    ...     file.flush()
    ...     read_cluster_state(Path(file.name))
    ('http://127.0.0.1:8080', {'r1': 7})
    """
    state = json.loads(path.read_text())
    return state["url"], {replica["name"]: replica["pid"] for replica in state["replicas"]}


def run_against(args: argparse.Namespace) -> LoadResult:
    """The load on a server or balancer that is already running (``--url`` or ``--cluster-state``); CPU
    and memory are those of ``--server-pid``s / the cluster's replicas, and unknown without them."""
    sampler = MemorySampler(tuple(args.server_pid))
    sampler.start()
    try:
        measured = asyncio.run(run_sessions(args, args.url.rstrip("/"), sampler))
    finally:
        sampler.stop()
    result = summarise(args, measured, sampler, Path(os.devnull))  # the servers' logs are not ours to read
    result.server_log = ""
    result.url, result.replicas, result.stopped_replica = args.url, measured.replicas, args.stop_replica or ""
    result.servers = max(1, len(args.server_pid))
    result.pss_by_minute = peak_by_minute(sampler.samples)
    return result


def run(args: argparse.Namespace) -> LoadResult:
    if args.url:
        return run_against(args)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    stats_path = args.server_log.with_name("sandbox_stats.json")
    server = start_server(port, args.server_log, args.app_root, stats_path)
    sampler = MemorySampler((server.pid,))
    try:
        wait_until_healthy(server, base_url)
        sampler.start()
        measured = asyncio.run(run_sessions(args, base_url, sampler))
    finally:
        stop_server(server)
        if sampler.is_alive():
            sampler.stop()
    result = summarise(args, measured, sampler, args.server_log)
    result.sandbox = read_sandbox_stats(stats_path)
    result.replicas = measured.replicas
    result.pss_by_minute = peak_by_minute(sampler.samples)
    return result


def peak_by_minute(samples: list[MemorySample]) -> list[float]:
    """The peak PSS of each whole minute since sampling started: a leak climbs, bounded caches level off.

    >>> peak_by_minute(
    ...     [MemorySample(s, 0, 0, 1, mb) for s, mb in [(0, 10.0), (30, 12.0), (61, 11.0), (90, 9.0)]]
    ... )
    [12.0, 11.0]
    """
    peaks: dict[int, float] = {}
    for sample in samples:
        minute = int(sample.seconds // 60)
        peaks[minute] = max(peaks.get(minute, 0.0), sample.pss_mb)
    return [round(peaks[minute], 1) for minute in sorted(peaks)]


# --- the report -----------------------------------------------------------------------------------------


def markdown_report(result: LoadResult, memory_limit_mb: float) -> str:
    verdict = "ok" if passed(result, memory_limit_mb) else "FAIL"
    lines = [
        "| scenario | sessions | think s | reruns | errors | p50 ms | p95 ms | server CPU per rerun ms "
        "| peak PSS MB | PSS before → after load MB | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
        f"| {result.scenario} | {result.sessions} | {result.think_s:g} | {result.reruns} | {result.errors} "
        f"| {result.median_ms:.0f} | {result.p95_ms:.0f} "
        f"| {cpu_per_rerun_ms(result.server_cpu_s, result):.1f} | {result.peak_pss_mb:.0f} "
        f"| {result.pss_before_load_mb:.0f} → {result.pss_after_load_mb:.0f} | {verdict} |",
        "",
        f"Duration {result.duration_s:g} s; {result.input_changes} reruns answered. Peak RSS of the server "
        f"{result.peak_total_mb:.0f} MB (main process {result.peak_main_mb:.0f} MB); memory per added "
        f"session {result.memory_per_session_mb:.1f} MB (RSS).",
        "",
        f"Peak memory: {result.peak_total_mb:.0f} MB in {result.peak_processes} processes (limit "
        f"{memory_limit_mb:g} MB); main process alone at most {result.peak_main_mb:.0f} MB. Settled memory "
        f"with 1 session {result.memory_one_session_mb:.0f} MB, with {result.sessions} sessions "
        f"{result.memory_all_sessions_mb:.0f} MB (each session opened every page once). "
        f"CALC_WORKERS={result.calc_workers}, think time {result.think_s:g} s. Slowest change "
        f"{result.max_ms:.0f} ms.",
        "",
        f"CPU during the load: the server {result.server_cpu_s:.0f} s "
        f"({result.server_cpu_s / result.duration_s:.2f} cores on average; the Streamlit process alone "
        f"{result.main_cpu_s:.0f} s, at most one core for Python code under the GIL), this client "
        f"{result.client_cpu_s:.0f} s; the machine has {os.cpu_count()} cores and a load average of "
        f"{result.load_average:.1f} at the end. Server CPU per rerun: "
        f"{cpu_per_rerun_ms(result.server_cpu_s, result):.1f} ms, in the Streamlit process "
        f"{cpu_per_rerun_ms(result.main_cpu_s, result):.1f} ms.",
        "",
        "| page | changes | median ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {row['page']} | {row['changes']} | {row['median_ms']:.0f} | {row['p95_ms']:.0f} "
            f"| {row['max_ms']:.0f} |"
            for row in result.per_page
        ),
    ]
    return "\n".join(lines + notes(result))


def cpu_per_rerun_ms(cpu_seconds_used: float, result: LoadResult) -> float:
    """CPU per rerun sent during the load: what one more click costs the server, however busy the machine."""
    return cpu_seconds_used * 1000 / result.reruns if result.reruns else math.nan


def passed(result: LoadResult, memory_limit_mb: float) -> bool:
    """No error, and the peak memory per server under the limit (where it was measured: not for a remote
    server). With a replica stopped on purpose, its sessions may each lose their connection once; every
    one of them must reconnect, and nobody else may notice."""
    memory_ok = not result.peak_pss_mb / result.servers >= memory_limit_mb
    if result.stopped_replica:
        of_stopped, of_others, reconnect_failed = split_problems(result)
        on_it = sum(1 for replicas in result.replicas if replicas and replicas[0] == result.stopped_replica)
        return memory_ok and of_others == 0 and reconnect_failed == 0 and of_stopped <= on_it
    return memory_ok and result.errors == 0


def notes(result: LoadResult) -> list[str]:
    lines = [
        *balancer_note(result),
        *sandbox_note(result.sandbox),
        "",
        "Peak PSS by minute of the run, MB: " + ", ".join(f"{mb:.0f}" for mb in result.pss_by_minute),
        "",
        "Slowest changes: "
        + "; ".join(f"{s['ms']} ms {s['page']} {s['kind']} {s['input']}" for s in result.slowest[:5]),
    ]
    lines += ["", "Hostile input, what the app did: " + hostile_summary(result.hostile_outcomes)]
    if result.refused_typical:
        lines.append(f"Ordinary functions refused with an error message: {len(result.refused_typical)}, e.g.")
        lines += [f"- {item}" for item in result.refused_typical[:5]]
    if result.server_log_tracebacks:
        lines.append(f"Tracebacks in the server log ({result.server_log}): {result.server_log_tracebacks}")
    if result.problems:
        lines.append(f"Errors ({len(result.problems)}), the first 30:")
        lines += [f"- {problem}" for problem in result.problems[:30]]
    return lines


def balancer_note(result: LoadResult) -> list[str]:
    """Behind a load balancer: how the sessions were spread over the replicas, and what a stopped replica
    cost: the errors of its sessions (each loses its connection once, then reconnects) and of the others."""
    first = [replicas[0] for replicas in result.replicas if replicas]
    if not first:
        return []
    spread = ", ".join(f"{name} {first.count(name)}" for name in sorted(set(first)))
    moved = sum(1 for replicas in result.replicas if len(replicas) > 1)
    lines = ["", f"Sessions by replica at the start: {spread}; sessions that changed replica: {moved}."]
    if result.stopped_replica:
        errors_of_stopped, errors_of_others, reconnect_failed = split_problems(result)
        on_it = first.count(result.stopped_replica)
        lines.append(
            f"Replica {result.stopped_replica} stopped during the load: {on_it} sessions on it, "
            f"{errors_of_stopped} errors among them (a lost connection each, then a new session on another "
            f"replica), {reconnect_failed} failed reconnections; errors in the other sessions: "
            f"{errors_of_others}."
        )
    return lines


def split_problems(result: LoadResult) -> tuple[int, int, int]:
    """Errors of the sessions that were on the stopped replica, errors of the others, failed reconnections.

    >>> result = LoadResult(2, 1, 1, "2", replicas=[["r1", "r2"], ["r2"]], stopped_replica="r1")
    >>> result.problems = [{"session": 0, "what": "ConnectionClosedError"}, {"session": 1, "what": "x"}]
    >>> split_problems(result)
    (1, 1, 0)
    """
    on_stopped = {i for i, replicas in enumerate(result.replicas) if result.stopped_replica in replicas}
    of_stopped = sum(1 for problem in result.problems if problem["session"] in on_stopped)
    failed = sum(1 for problem in result.problems if problem["what"].startswith("reconnect failed"))
    return of_stopped, len(result.problems) - of_stopped, failed


def sandbox_note(stats: dict) -> list[str]:
    """One sentence on the sandbox's cache over the run (memory phase included): how much was computed."""
    if not stats:
        return []
    return [
        "",
        f"Sandbox over the whole run: {stats['misses']} computations in a worker, {stats['hits']} answers "
        f"from the cache, {stats['shared']} waits for another session's computation of the same input "
        f"(single flight); {stats['entries']} entries, {stats['bytes'] / 1e6:.1f} MB.",
    ]


def hostile_summary(outcomes: dict[str, dict[str, int]]) -> str:
    if not outcomes:
        return "none typed."
    return "; ".join(
        f"{text} " + ", ".join(f"{verdict} {count}" for verdict, count in sorted(counts.items()))
        for text, counts in sorted(outcomes.items())
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30, help="concurrent sessions (default 30)")
    parser.add_argument("--duration", type=float, default=180.0, help="seconds of load (default 180)")
    parser.add_argument(
        "--scenario",
        choices=SCENARIOS,
        default="independent",
        help="independent: each student on a page, function (10% hostile) and point of their own; "
        "teacher: the whole class on the teacher's page and function, a point of three (default independent)",
    )
    parser.add_argument(
        "--round-seconds",
        type=float,
        default=30.0,
        help="teacher: how long each page is projected (default 30)",
    )
    parser.add_argument(
        "--think", type=float, default=4.0, help="mean pause between changes, s: 2-6 s (default 4)"
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="longest wait for one run, s (default 60)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the readers' choices")
    parser.add_argument("--memory-limit-mb", type=float, default=MEMORY_LIMIT_MB)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--py-spy",
        type=Path,
        metavar="PATH",
        help="profile the server during the load with py-spy (pip install py-spy), raw stacks to PATH",
    )
    parser.add_argument(
        "--app-root",
        type=Path,
        default=ROOT,
        help="serve the app from this copy of the repository (a git worktree, say); default: this one",
    )
    parser.add_argument(
        "--server-log", type=Path, default=ROOT / "benchmarks" / "results" / "load_test_server.log"
    )
    parser.add_argument(
        "--url",
        help="load a server or load balancer that is already running (http://host:port) instead of starting "
        "one; CPU and memory then come from --server-pid",
    )
    parser.add_argument(
        "--server-pid",
        type=int,
        action="append",
        default=[],
        help="with --url: a server process (with its workers) to measure; repeat for each replica",
    )
    parser.add_argument(
        "--cluster-state",
        type=Path,
        help="the JSON of deploy/local-cluster --state: its balancer's URL and every replica's pid",
    )
    parser.add_argument(
        "--affinity-cookie",
        default="SRV",
        help="the load balancer's cookie naming a replica, to report who served whom (default SRV)",
    )
    parser.add_argument(
        "--stop-replica", metavar="NAME", help="with --cluster-state: stop this replica during the load"
    )
    parser.add_argument(
        "--stop-at", type=float, default=30.0, help="seconds into the load to stop it (default 30)"
    )
    args = parser.parse_args(argv)
    args.replica_pids = {}
    if args.cluster_state:
        args.url, args.replica_pids = read_cluster_state(args.cluster_state)
        args.server_pid = args.server_pid or list(args.replica_pids.values())
    if args.stop_replica and args.stop_replica not in args.replica_pids:
        parser.error(f"--stop-replica needs --cluster-state with a replica named {args.stop_replica!r}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.sessions < 1:
        raise SystemExit("--sessions must be at least 1")
    result = run(args)
    print(markdown_report(result, args.memory_limit_mb))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(asdict(result), indent=2, ensure_ascii=False, default=str))
    return 0 if passed(result, args.memory_limit_mb) else 1


if __name__ == "__main__":
    sys.exit(main())
