"""Browser tests: a real `streamlit run` server and a headless Chromium driven by Playwright.

The browser is the system's Chromium (Debian's package at /usr/bin/chromium), never one downloaded by
Playwright. Set E2E_CHROMIUM to use another binary. Without a browser the tests skip, except when CI is set:
there a missing browser is an error, so a broken CI machine cannot pass by skipping.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
SERVER_LOG = ARTIFACTS / "e2e-server.log"

SERVER_START_TIMEOUT_S = 60
APP_RUN_TIMEOUT_MS = 60_000  # one script run; the first includes the cold start of SymPy and the workers
VIEWPORT = {"width": 1280, "height": 900}

# As the machine's own notes say: without the background-networking flags Chromium keeps trying to reach
# hosts of its vendor, which a closed network refuses. --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail loudly in CI."""
    if _in_ci():
        pytest.fail(f"{reason} (CI is set, so browser tests may not skip)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    candidates = [os.environ.get("E2E_CHROMIUM"), "/usr/bin/chromium"]
    candidates += [shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "chrome")]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _log_tail(n: int = 60) -> str:
    try:
        lines = SERVER_LOG.read_text(errors="replace").splitlines()
    except OSError:
        return "(no server log)"
    return "\n".join(lines[-n:])


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen
    log: Path = field(default=SERVER_LOG)

    def log_tail(self, n: int = 60) -> str:
        return _log_tail(n)


def _stop_process_group(proc: subprocess.Popen) -> None:
    """SIGTERM the server's whole process group (its sandbox workers too), then SIGKILL what is left."""
    pgid = proc.pid  # start_new_session=True: the server leads its own group
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)  # anyone left in the group?
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


@pytest.fixture(scope="session")
def app_server() -> Iterator[AppServer]:
    """`streamlit run streamlit_app.py` on a free loopback port, for the whole session."""
    entry = PROJECT_ROOT / "streamlit_app.py"
    if not entry.is_file():
        pytest.fail(f"{entry} is missing", pytrace=False)
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "streamlit_app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        # Whole messages in the stException box, so a failing test's output says what went wrong.
        "--client.showErrorDetails",
        "full",
    ]
    env = dict(os.environ, PYTHONUNBUFFERED="1", MPLBACKEND="Agg")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with SERVER_LOG.open("w") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"streamlit exited with {proc.returncode} before answering:\n{_log_tail()}", pytrace=False
                )
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit did not answer /_stcore/health within {SERVER_START_TIMEOUT_S} s:\n"
                    f"{_log_tail()}",
                    pytrace=False,
                )
            time.sleep(0.25)
        yield AppServer(url=url, process=proc)
    finally:
        _stop_process_group(proc)


@pytest.fixture(scope="session")
def browser():
    """A headless system Chromium, shared by all tests (each test gets its own context)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -r requirements-dev.txt)")
    exe = find_chromium()
    if exe is None:
        _unavailable("no Chromium found (apt-get install chromium, or set E2E_CHROMIUM)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught JavaScript exceptions of the test's page."""
    return []


@pytest.fixture(scope="session")
def browser_context(browser):
    """One context for the session, so the app's JavaScript bundles come from the HTTP cache after the first
    page. Each test still opens its own tab, and each tab is its own Streamlit session."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(APP_RUN_TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context, app_server, page_errors):
    """A new tab: a fresh Streamlit session."""
    pg = browser_context.new_page()
    pg.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        yield pg
    finally:
        pg.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def wait_for_app_run(page, timeout_ms: int = APP_RUN_TIMEOUT_MS) -> None:
    """Wait until the app is connected, its script has finished, and no element is stale.

    The markers are what Streamlit 1.67's frontend sets: data-test-connection-state and
    data-test-script-state on [data-testid=stApp] ("initial" -> "running" -> "notRunning"), and
    data-stale on element containers left over from the previous run.
    """
    # A rerun that was just requested may not have started yet: give it a moment to leave "notRunning".
    page.wait_for_timeout(200)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout_ms
    )
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    # Lazily loaded widgets show a skeleton until their code arrives: a screenshot must not catch them.
    page.wait_for_function(
        """() => document.querySelectorAll('[data-stale="true"]').length === 0
              && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
              && !document.querySelector('[data-testid="stSkeleton"]')""",
        timeout=timeout_ms,
    )
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]', timeout=timeout_ms)
