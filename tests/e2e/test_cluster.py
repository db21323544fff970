"""The app as a cluster: three replicas behind HAProxy (deploy/local-cluster), driven by a real browser.

Streamlit keeps a session's state and media files (st.image, downloads) in the memory of the replica that
serves the session's websocket, so the balancer's cookie must keep a browser on one replica. Checked here:
every page in both languages loads clean through the balancer with every image drawn, a download arrives,
a media file exists on the browser's replica only, a reload stays on its replica, and a replica stopped
in the middle of a lesson costs its students a reconnection and nobody else anything.

One cluster for the module (starting three servers is the expensive part). Needs Debian's haproxy: without
it the tests skip, except with CI set, where they fail (as the browser tests do without Chromium).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.e2e.conftest import (
    APP_RUN_TIMEOUT_MS,
    ARTIFACTS,
    PROJECT_ROOT,
    VIEWPORT,
    _free_port,
    _stop_process_group,
    _unavailable,
    wait_for_app_run,
)
from ui.navigation import PAGES

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

REPLICAS = 3
LANGS = ("en", "zh")
CLUSTER_START_TIMEOUT_S = 180
LOGS = ARTIFACTS / "cluster"
EXCEPTION = '[data-testid="stException"]'
APP = '[data-testid="stApp"]'
PARTIALS = next(spec for spec in PAGES if spec.key == "partials")  # a server-drawn surface: a media file


@dataclass
class Cluster:
    url: str
    cookie: str
    pids: dict[str, int]  # replica name -> pid of its streamlit process
    process: subprocess.Popen


def find_haproxy() -> str | None:
    return shutil.which("haproxy") or next(
        (path for path in ("/usr/sbin/haproxy",) if os.access(path, os.X_OK)), None
    )


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    if find_haproxy() is None:
        _unavailable("no haproxy found (apt-get install haproxy)")
    LOGS.mkdir(parents=True, exist_ok=True)
    state = LOGS / "state.json"
    state.unlink(missing_ok=True)
    port = _free_port()
    command = [sys.executable, "deploy/local-cluster", str(REPLICAS), str(port)]
    command += ["--state", str(state), "--logs", str(LOGS)]
    with (LOGS / "local-cluster.log").open("w") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + CLUSTER_START_TIMEOUT_S
        while not state.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                log_text = (LOGS / "local-cluster.log").read_text(errors="replace")
                pytest.fail(f"deploy/local-cluster did not get ready:\n{log_text}", pytrace=False)
            time.sleep(0.3)
        data = json.loads(state.read_text())
        pids = {replica["name"]: replica["pid"] for replica in data["replicas"]}
        yield Cluster(data["url"], data["cookie"], pids, process)
    finally:
        process.send_signal(signal.SIGTERM)  # it stops HAProxy and every replica, then exits
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            _stop_process_group(process)


@pytest.fixture
def new_context(browser, cluster):
    """Fresh browser contexts (each its own cookie jar: a new student), closed after the test."""
    contexts = []

    def make():
        context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, accept_downloads=True)
        context.set_default_timeout(APP_RUN_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()


def open_page(context, url: str):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app_run(page)
    return page, errors


def replica_of(context, cluster: Cluster) -> str:
    values = [c["value"] for c in context.cookies() if c["name"] == cluster.cookie]
    assert len(values) == 1, f"the balancer set no {cluster.cookie} cookie: {context.cookies()}"
    return values[0]


def assert_clean(page, errors: list[str], where: str) -> None:
    shown = page.locator(EXCEPTION)
    assert not shown.count(), f"{where}: the app shows an exception: {shown.all_inner_texts()}"
    assert not errors, f"{where}: uncaught JavaScript errors: {errors}"
    assert page.locator('[data-testid="stMain"] h1').count(), f"{where}: no heading"


def images(page) -> list[dict]:
    """Every <img> of the page once it has loaded or failed (each scrolled into view: some load lazily)."""
    page.evaluate("() => document.querySelectorAll('img').forEach(img => img.scrollIntoView())")
    page.wait_for_function("() => Array.from(document.querySelectorAll('img')).every(img => img.complete)")
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('img'), img => ({src: img.src, width: img.naturalWidth}))"
    )


def url_of(cluster: Cluster, url_path: str, **params: str) -> str:
    return f"{cluster.url}/{url_path}?{urlencode(params)}"


def fetch_status(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_loads_clean_with_its_images_through_the_balancer(cluster, new_context, lang):
    served_by = set()
    for spec in PAGES:
        context = new_context()  # a new student each time: the balancer spreads them over the replicas
        page, errors = open_page(context, url_of(cluster, spec.url_path, lang=lang))
        where = f"{spec.key} ({lang}) on {replica_of(context, cluster)}"
        assert_clean(page, errors, where)
        broken = [image["src"][:120] for image in images(page) if image["width"] == 0]
        assert not broken, f"{where}: images that did not load: {broken}"
        served_by.add(replica_of(context, cluster))
        context.close()
    assert len(served_by) > 1, f"every student went to the same replica: {served_by}"


def test_a_media_file_lives_on_the_browsers_replica_only_and_downloads_arrive(cluster, new_context):
    context = new_context()
    # A function no other test draws: media files are named by their content, so another replica that drew
    # the same picture for another student would hold a file of the same name.
    function = "x1^3 + 7x2^2 - x1*x2"
    page, errors = open_page(context, url_of(cluster, PARTIALS.url_path, lang="en", f=function))
    assert_clean(page, errors, "partials")
    mine = replica_of(context, cluster)
    media = [image["src"] for image in images(page) if "/media/" in image["src"]]
    assert media, "the partials page shows no server-drawn image"
    statuses = {name: fetch_status(media[0], f"{cluster.cookie}={name}") for name in cluster.pids}
    # Why the cookie is essential: the file exists in the memory of one replica, the browser's.
    assert statuses == {name: 200 if name == mine else 404 for name in cluster.pids}, statuses

    # The download is made on the click, by the replica holding the session, and fetched from its memory.
    buttons = page.get_by_test_id("stDownloadButton").filter(has_text="PNG")
    assert buttons.count(), "no PNG download on the partials page"
    with page.expect_download() as caught:
        buttons.first.get_by_role("button").first.click()
    content = Path(caught.value.path()).read_bytes()
    assert caught.value.suggested_filename.endswith(".png"), caught.value.suggested_filename
    assert content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) > 1000, content[:40]
    assert replica_of(context, cluster) == mine


def test_a_reload_stays_on_its_replica(cluster, new_context):
    context = new_context()
    page, errors = open_page(context, url_of(cluster, PARTIALS.url_path, lang="zh", f="x1*x2 + x2^2"))
    before = replica_of(context, cluster)
    for _ in range(3):
        page.reload(wait_until="domcontentloaded")
        wait_for_app_run(page)
        assert replica_of(context, cluster) == before
    assert_clean(page, errors, "partials after reloads")
    assert all(image["width"] > 0 for image in images(page))


def watch_connection(page) -> None:
    """Record every connection state the page goes through from now on."""
    page.evaluate(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            window.__states = [app.getAttribute('data-test-connection-state')];
            new MutationObserver(() => window.__states.push(app.getAttribute('data-test-connection-state')))
                .observe(app, {attributes: true, attributeFilter: ['data-test-connection-state']});
        }"""
    )


def test_a_stopped_replicas_students_reconnect_to_another_and_nobody_else_notices(cluster, new_context):
    """Runs last: it stops a replica of the module's cluster."""
    student = new_context()
    function = "x1^2*x2 + sin(x2)"
    page, errors = open_page(student, url_of(cluster, PARTIALS.url_path, lang="en", f=function))
    lost = replica_of(student, cluster)
    others = []
    for _ in range(2 * REPLICAS):  # students on the other replicas
        context = new_context()
        other_page, other_errors = open_page(context, url_of(cluster, PARTIALS.url_path, lang="zh"))
        if replica_of(context, cluster) != lost:
            watch_connection(other_page)
            others.append((context, other_page, other_errors))
    assert others, "no student landed on another replica"
    watch_connection(page)

    os.killpg(cluster.pids[lost], signal.SIGTERM)  # the replica stops, as a crashed or drained machine would

    page.wait_for_function("() => window.__states.some(state => state !== 'CONNECTED')")
    wait_for_app_run(page)
    assert replica_of(student, cluster) not in (lost, ""), "the student is still sent to the stopped replica"
    assert_clean(page, errors, "partials after the replica stopped")
    # The page came back from its URL: the same function, drawn again by the new replica.
    assert page.get_by_role("textbox").first.input_value() == function
    assert all(image["width"] > 0 for image in images(page))
    for _context, other_page, other_errors in others:
        states = other_page.evaluate("() => window.__states")
        assert set(states) == {"CONNECTED"}, f"a student of another replica saw {states}"
        assert_clean(other_page, other_errors, "a student of another replica")
