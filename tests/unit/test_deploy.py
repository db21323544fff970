"""deploy/ and ./run: the Kubernetes manifests against the Kubernetes schema, HAProxy's configurations
checked by HAProxy itself, the container image's set-up script run here, the health check, the run script.

There is no container runtime on the test machines: the Dockerfile's work is deploy/image-setup.sh, run
here for real (idempotent: what is installed already is skipped), and the Dockerfile is checked to run it.
"""

from __future__ import annotations

import doctest
import getpass
import http.server
import importlib.machinery
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
KUBERNETES_VERSION = "1.30.0"  # the oldest release the manifests aim at (all their APIs are GA since 1.21)
HEALTH = "/_stcore/health"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def haproxy() -> str:
    found = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None
    )
    if found is None:
        if in_ci():
            pytest.fail("no haproxy (CI is set: .ci/run installs it)", pytrace=False)
        pytest.skip("no haproxy (apt-get install haproxy)")
    return found


def load_local_cluster():
    loader = importlib.machinery.SourceFileLoader("local_cluster", str(DEPLOY / "local-cluster"))
    spec = importlib.util.spec_from_loader("local_cluster", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["local_cluster"] = module  # dataclasses look their module up there
    loader.exec_module(module)
    return module


def manifests() -> dict[str, dict]:
    """Every resource of deploy/k8s, by kind."""
    resources = {}
    for path in sorted(K8S.glob("*.yaml")):
        for resource in yaml.safe_load_all(path.read_text()):
            resources[resource["kind"]] = resource
    return resources


# --- Kubernetes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(K8S.glob("*.yaml")), ids=lambda path: path.name)
def test_each_manifest_is_valid_against_the_kubernetes_schema(path):
    for resource in yaml.safe_load_all(path.read_text()):
        # strict: an unknown field (a typo in a probe, say) is an error, not silently ignored
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_the_validator_catches_a_mistake():
    deployment = manifests()["Deployment"]
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["paht"] = HEALTH
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_the_manifests_fit_together():
    resources = manifests()
    assert set(resources) == {"Deployment", "Service", "Ingress", "PodDisruptionBudget"}
    deployment, service, ingress = resources["Deployment"], resources["Service"], resources["Ingress"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    for selector in (
        deployment["spec"]["selector"]["matchLabels"],
        service["spec"]["selector"],
        resources["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"],
    ):
        assert selector.items() <= labels.items()
    assert deployment["spec"]["replicas"] >= 2
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    port_names = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert port_names == {"http": 8501}
    assert service["spec"]["ports"][0]["targetPort"] in port_names
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": HEALTH, "port": "http"}, probe
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {
        "name": service["metadata"]["name"],
        "port": {"name": service["spec"]["ports"][0]["name"]},
    }
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True


def test_the_ingress_keeps_a_browser_on_its_replica():
    annotations = manifests()["Ingress"]["metadata"]["annotations"]
    assert manifests()["Ingress"]["spec"]["ingressClassName"] == "nginx"
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert annotations["nginx.ingress.kubernetes.io/affinity-mode"] == "persistent"
    assert annotations["nginx.ingress.kubernetes.io/session-cookie-name"]
    # websockets: a quiet lesson's connection is not cut after ingress-nginx's default 60 s
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600


# --- the image -------------------------------------------------------------------------------------------


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_the_dockerfile_builds_with_the_set_up_script_as_a_non_root_user():
    steps = dockerfile_instructions(DEPLOY / "Dockerfile")
    assert steps[0] == ("FROM", "python:3.11-slim-bookworm")
    copied = " ".join(args for op, args in steps if op == "COPY")
    for needed in ("requirements.txt", "packages.txt", "deploy/image-setup.sh"):
        assert needed in copied  # the same files Community Cloud reads
    assert ("RUN", "PYTHON=python sh deploy/image-setup.sh") in steps
    users = [args for op, args in steps if op == "USER"]
    assert users == ["app"]  # image-setup.sh creates it
    assert 'useradd --create-home --uid "$app_uid"' in (DEPLOY / "image-setup.sh").read_text()
    (healthcheck,) = [args for op, args in steps if op == "HEALTHCHECK"]
    assert healthcheck.endswith('CMD ["python", "deploy/healthcheck.py"]')
    (command,) = [args for op, args in steps if op == "CMD"]
    assert '"streamlit", "run", "streamlit_app.py"' in command and '"8501"' in command
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert {".venv", ".git", "tests"} <= set(ignored)


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="image-setup.sh is for Debian")
def test_the_image_set_up_script_runs_here():
    """The image's steps on this machine: the packages present are kept, so it is quick and changes nothing
    (the user it runs as exists already). In the image it installs everything."""
    if in_ci() is False and subprocess.run(["dpkg", "-s", "fonts-noto-cjk"], capture_output=True).returncode:
        pytest.skip("fonts-noto-cjk is missing and this is no CI machine: the script would apt-get it")
    environment = dict(os.environ, PYTHON=sys.executable, APP_USER=getpass.getuser())
    done = subprocess.run(
        ["sh", str(DEPLOY / "image-setup.sh")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "packages import, matplotlib finds a CJK font" in done.stdout


def test_the_health_check_says_whether_streamlit_answers(tmp_path):
    statuses = {HEALTH: 200}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(statuses.get(self.path, 404))
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}{HEALTH}"
    try:
        check = [sys.executable, str(DEPLOY / "healthcheck.py"), url]
        assert subprocess.run(check, timeout=30).returncode == 0
        statuses[HEALTH] = 503  # Streamlit answers 503 while it is not ready
        assert subprocess.run(check, timeout=30).returncode == 1
    finally:
        server.shutdown()
        server.server_close()
    assert subprocess.run(check, timeout=30).returncode == 1  # nobody listening


# --- HAProxy: compose and the local cluster ----------------------------------------------------------


def test_compose_puts_replicas_behind_haproxy():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    app, balancer = compose["services"]["app"], compose["services"]["haproxy"]
    assert app["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert app["deploy"]["replicas"] >= 2
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in app["environment"]
    assert balancer["build"]["dockerfile"] == "deploy/haproxy.Dockerfile"
    assert "app" in balancer["depends_on"]
    haproxy_image = dockerfile_instructions(DEPLOY / "haproxy.Dockerfile")
    assert haproxy_image[0] == ("FROM", "debian:bookworm-slim")  # Debian's haproxy package, as here
    assert any(op == "RUN" and "apt-get install" in args and "haproxy" in args for op, args in haproxy_image)
    listens = re.search(r"^\s*bind :(\d+)", (DEPLOY / "haproxy.cfg").read_text(), re.M)
    assert f"{listens.group(1)}:{listens.group(1)}" in balancer["ports"]


def haproxy_check(config: Path, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [haproxy(), "-c", "-f", str(config)],
        env=dict(os.environ, **environment),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_haproxy_accepts_the_compose_configuration():
    done = haproxy_check(DEPLOY / "haproxy.cfg", HAPROXY_COOKIE_KEY="test-key")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("config", ["compose", "local"])
def test_both_configurations_keep_a_browser_on_its_replica_and_carry_websockets(config):
    text = (
        (DEPLOY / "haproxy.cfg").read_text()
        if config == "compose"
        else load_local_cluster().haproxy_config(8080, [load_local_cluster().Replica("r1", 9001)])
    )
    assert re.search(r"^\s*cookie SRV insert indirect nocache httponly", text, re.M)
    assert re.search(r"^\s*option redispatch", text, re.M)
    assert re.search(r"^\s*timeout tunnel 1h", text, re.M)
    assert re.search(r"^\s*option httpchk GET /_stcore/health", text, re.M)
    assert re.search(r"^\s*balance leastconn", text, re.M)


def test_haproxy_accepts_the_local_clusters_configuration(tmp_path):
    local_cluster = load_local_cluster()
    replicas = [local_cluster.Replica(f"r{i}", 9000 + i) for i in (1, 2, 3)]
    config = tmp_path / "haproxy.cfg"
    config.write_text(local_cluster.haproxy_config(8080, replicas))
    done = haproxy_check(config)
    assert done.returncode == 0, done.stdout + done.stderr
    servers = re.findall(r"^\s*server (r\d) 127\.0\.0\.1:(\d+) cookie (r\d) check", config.read_text(), re.M)
    assert servers == [("r1", "9001", "r1"), ("r2", "9002", "r2"), ("r3", "9003", "r3")]


def test_local_cluster_doctests_and_arguments():
    local_cluster = load_local_cluster()
    assert doctest.testmod(local_cluster).failed == 0
    assert os.access(DEPLOY / "local-cluster", os.X_OK)
    assert local_cluster.parse_args(["3", "8080"]).replicas == 3
    for wrong in (["0", "8080"], ["3", "70000"], ["three", "8080"]):
        with pytest.raises(SystemExit):
            local_cluster.parse_args(wrong)


def test_a_replica_runs_the_app_on_loopback_with_its_own_settings():
    command = load_local_cluster().replica_command("python", 9001)
    assert command[:5] == ["python", "-m", "streamlit", "run", "streamlit_app.py"]
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[command.index("--server.port") + 1] == "9001"
    assert not any("cookieSecret" in part for part in command)  # Streamlit takes it from the environment only


# --- ./run -----------------------------------------------------------------------------------------------


def test_the_run_script_installs_requirements_once_then_runs_streamlit(tmp_path):
    """With a virtual environment already there (a wrapper around this one, so nothing is downloaded):
    the first run installs requirements.txt and remembers it, the second goes straight to Streamlit."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    wrapper = venv / "bin" / "python"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    environment = dict(os.environ, VENV=str(venv), RUN_APT="0")  # a test installs no system packages
    runs = [
        subprocess.run(
            [str(ROOT / "run"), "--help"],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        for _ in range(2)
    ]
    for done in runs:
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Usage: python -m streamlit run" in done.stdout or "Usage: streamlit run" in done.stdout, (
            done.stdout
        )
    assert "installing requirements.txt" in runs[0].stdout
    assert "installing" not in runs[1].stdout
    digest = subprocess.run(["sha256sum", str(ROOT / "requirements.txt")], capture_output=True, text=True)
    assert (venv / ".requirements.sha256").read_text().strip() == digest.stdout.split()[0]


def test_the_run_script_refuses_a_python_too_old(tmp_path):
    old = tmp_path / "python3.9"
    old.write_text('#!/bin/sh\n[ "$1" = "--version" ] && echo "Python 3.9.2" && exit 0\nexit 1\n')
    old.chmod(0o755)
    done = subprocess.run(
        [str(ROOT / "run")],
        env=dict(os.environ, PYTHON=str(old), VENV=str(tmp_path / "venv"), RUN_APT="0"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Python 3.9.2 is too old" in done.stderr
    assert not (tmp_path / "venv").exists()


def test_the_run_script_names_missing_system_packages_without_apt(tmp_path):
    """A machine without packages.txt's font (a dpkg that knows nothing): with RUN_APT=0 the script names
    it and goes on; by default it would apt-get it."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "dpkg").write_text("#!/bin/sh\nexit 1\n")
    (fake_bin / "dpkg").chmod(0o755)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (venv / "bin" / "python").chmod(0o755)
    done = subprocess.run(
        [str(ROOT / "run"), "--help"],
        env=dict(os.environ, VENV=str(venv), RUN_APT="0", PATH=f"{fake_bin}{os.pathsep}{os.environ['PATH']}"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "run: missing system packages: fonts-noto-cjk (Debian: apt-get install fonts-noto-cjk)" in done.stderr
    )
    assert "streamlit run" in done.stdout
