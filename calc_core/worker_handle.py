"""The Streamlit process's handle on one worker process (``python -m calc_core.worker``) and its two pipes.

Starting it with the environment it needs (thread limits, memory limit, its parent's pid), writing a request
frame, reading the reply before a deadline (``ReplyTimeout``) or finding the pipe closed (``WorkerDied``),
its CPU time so far, and killing it without leaving a zombie. Knows nothing of pools, tasks or caches.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import pickle
import select
import subprocess
import sys
import time
from pathlib import Path

from calc_core.worker import FRAME_HEADER, MAX_REPLY_BYTES, MEMORY_ENV, PARENT_ENV, decode_body

# A worker that has not finished its imports after this long is broken.
START_TIMEOUT = 60.0
PROJECT_ROOT = Path(__file__).resolve().parent.parent
_THREAD_LIMITS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

log = logging.getLogger(__name__)


class ReplyTimeout(Exception):
    """The worker did not answer in time."""


class WorkerDied(Exception):
    """The worker's pipe closed: it exited or was killed."""

    pid: int | None = None


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


class WorkerProcess:
    """One ``python -m calc_core.worker`` process and its two pipes; used by one thread at a time."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.pid = process.pid

    @classmethod
    def start(cls, memory_mb: int) -> WorkerProcess:
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
            raise WorkerDied from error

    def receive(self, deadline: float) -> bytes:
        """The body of the next frame, or ReplyTimeout / WorkerDied."""
        (size,) = FRAME_HEADER.unpack(self._read_exact(FRAME_HEADER.size, deadline))
        if size > MAX_REPLY_BYTES:
            raise WorkerDied(f"frame of {size} bytes")
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
                raise ReplyTimeout
            chunk = os.read(fd, min(size - len(data), 1 << 20))
            if not chunk:
                raise WorkerDied
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


def says_ready(worker: WorkerProcess) -> bool:
    try:
        status, pid = decode_body(worker.receive(time.monotonic() + START_TIMEOUT))
    except (ReplyTimeout, WorkerDied, pickle.UnpicklingError, ValueError, TypeError):
        return False
    return status == "ready" and pid == worker.pid
