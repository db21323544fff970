"""The sandboxed worker: a program of its own, ``python -m calc_core.worker``, that runs calc_core.tasks.

The parent (calc_core.sandbox) talks to it over the child's stdin and stdout with length-prefixed pickle
frames: a 4-byte big-endian length, then the pickle.

- Request: ``(task_name, args)``.
- Reply: ``("ok", result)``, ``("error", ExpressionError.to_dict())`` or ``("crash", description)``.
- Once after start-up the worker sends ``("ready", pid)``, so the parent knows the imports are done.

Results are plain data only (see :func:`is_plain_data`): unpickling a SymPy object rebuilds it with
``type(self)(*args)``, which evaluates it again, in the parent, where nothing can stop it.

The parent imports this module too (for the frame format and the plain-data rules), so it needs only the
standard library at the top; ``main`` imports the tasks (SymPy, numpy), warms them up, and only then sets
the memory limit, which therefore applies to the work on user input and not to the imports.
"""

from __future__ import annotations

import io
import os
import pickle
import resource
import signal
import struct
import sys
import threading
import time

from calc_core.errors import ExpressionError

FRAME_HEADER = struct.Struct("!I")
MEMORY_ENV = "CALC_WORKER_MEMORY_MB"
PARENT_ENV = "CALC_WORKER_PARENT_PID"
DEFAULT_MEMORY_MB = 512
# A reply larger than this is no use to a page (a formula of megabytes cannot be read) and would sit in
# the parent's cache: refuse it.
MAX_REPLY_BYTES = 16 * 1024 * 1024
_WATCHDOG_INTERVAL = 0.5
_PLAIN_SCALARS = (str, int, float, bool, type(None))
_PLAIN_CONTAINERS = (tuple, list)


def encode_frame(message: object) -> bytes:
    """One frame: the pickle of ``message`` behind its length.

    >>> frame = encode_frame(("ok", 42))
    >>> FRAME_HEADER.unpack(frame[:4])[0] == len(frame) - 4
    True
    >>> decode_body(frame[4:])
    ('ok', 42)
    """
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return FRAME_HEADER.pack(len(body)) + body


def decode_body(body: bytes) -> object:
    """Unpickle a frame's body, admitting only plain data and numpy arrays (never a SymPy object).

    >>> decode_body(pickle.dumps({"latex": "x^{2}", "values": [1.5, None]}))
    {'latex': 'x^{2}', 'values': [1.5, None]}
    >>> import fractions
    >>> decode_body(pickle.dumps(fractions.Fraction(1, 3)))
    Traceback (most recent call last):
    ...
    _pickle.UnpicklingError: refusing to unpickle fractions.Fraction
    """
    return _PlainUnpickler(io.BytesIO(body)).load()


class _PlainUnpickler(pickle.Unpickler):
    # What pickle needs to rebuild numpy arrays and scalars (numpy 1.x and 2.x module names); nothing else.
    _ALLOWED = {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "scalar"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "scalar"),
        ("numpy.core.numeric", "_frombuffer"),
        ("numpy._core.numeric", "_frombuffer"),
    }

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to unpickle {module}.{name}")


def is_plain_data(value: object) -> bool:
    """Whether ``value`` is made of str, int, float, bool, None, tuples, lists, dicts and numpy arrays.

    Exact types only: a subclass (SymPy's Integer is not one, but others could be) may pickle as anything.

    >>> is_plain_data({"latex": "x", "points": [(0.0, 1.0)], "n": 3, "gap": None})
    True
    >>> import sympy
    >>> is_plain_data({"expr": sympy.Symbol("x")})
    False
    >>> is_plain_data([sympy.Integer(2)])
    False
    """
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return True
    if kind in _PLAIN_CONTAINERS:
        return all(is_plain_data(item) for item in value)
    if kind is dict:
        return all(is_plain_data(key) and is_plain_data(item) for key, item in value.items())
    return _is_plain_numpy(value)


def _is_plain_numpy(value: object) -> bool:
    numpy = sys.modules.get("numpy")  # no numpy imported: there cannot be a numpy value either
    if numpy is None:
        return False
    if type(value) is numpy.ndarray or isinstance(value, numpy.generic):
        return not value.dtype.hasobject
    return False


def run_request(tasks: dict, request: object) -> tuple:
    """Run one request against the task table and return the reply (never raises for a task's failure).

    >>> run_request({"add": lambda a, b: a + b}, ("add", (2, 3)))
    ('ok', 5)
    >>> run_request({}, ("nope", ()))[1]["code"]
    'worker_failed'
    """
    try:
        name, args = request
        task = tasks.get(name) if isinstance(name, str) else None
        if task is None or type(args) is not tuple:
            raise ExpressionError("worker_failed", reason="unknown_task", task=str(name)[:100])
        result = task(*args)
        if not is_plain_data(result):
            raise ExpressionError("worker_failed", reason="not_plain_data", task=name)
        return ("ok", result)
    except ExpressionError as error:
        return ("error", error.to_dict())
    except MemoryError:
        return ("error", memory_limit_error().to_dict())
    except Exception as error:  # a bug or a SymPy failure on this input: the parent reports worker_failed
        return ("crash", f"{type(error).__name__}: {error}"[:1000])


def encode_reply(reply: tuple) -> bytes:
    """The frame for ``reply``; a reply too large or impossible to pickle becomes a worker_failed error.

    >>> decode_body(encode_reply(("ok", "x" * 10))[4:])
    ('ok', 'xxxxxxxxxx')
    >>> decode_body(encode_reply(("ok", "x" * (MAX_REPLY_BYTES + 1)))[4:])[1]["params"]
    {'reason': 'result_too_large'}
    """
    try:
        frame = encode_frame(reply)
    except MemoryError:
        return encode_frame(("error", memory_limit_error().to_dict()))
    except Exception as error:
        return encode_frame(("crash", f"reply not picklable: {type(error).__name__}"))
    if len(frame) > MAX_REPLY_BYTES:
        return encode_frame(("error", ExpressionError("worker_failed", reason="result_too_large").to_dict()))
    return frame


def memory_limit_error() -> ExpressionError:
    """The error for a task that ran out of this worker's memory.

    >>> memory_limit_error().code
    'memory_limit'
    """
    return ExpressionError("memory_limit", megabytes=memory_megabytes())


def memory_megabytes() -> int:
    """The worker's memory limit in MB: ``CALC_WORKER_MEMORY_MB``, else DEFAULT_MEMORY_MB.

    >>> memory_megabytes() > 0
    True
    """
    try:
        return max(1, int(os.environ.get(MEMORY_ENV, DEFAULT_MEMORY_MB)))
    except ValueError:
        return DEFAULT_MEMORY_MB


def _read_exact(stream, size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def _read_request(stream) -> object | None:
    header = _read_exact(stream, FRAME_HEADER.size)
    if header is None:
        return None
    body = _read_exact(stream, FRAME_HEADER.unpack(header)[0])
    return None if body is None else pickle.loads(body)  # from our parent, which is trusted


def _take_protocol_stdout():
    """Keep the real stdout for frames only; a stray print (Python or C level) goes to stderr instead."""
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    return protocol


def _die_with_parent() -> None:
    """Linux: have the kernel SIGKILL us when the parent goes, even while we hold the GIL in a long C call."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes  # only where prctl exists: Linux

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _start_watchdog(parent_pid: int) -> None:
    """Exit when the parent has gone (we were re-parented), in case the death signal is not available."""

    def watch():
        while True:
            if os.getppid() != parent_pid:
                os._exit(0)
            time.sleep(_WATCHDOG_INTERVAL)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main() -> None:
    """Serve requests until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the server's terminal is the parent's business
    _die_with_parent()
    parent_pid = int(os.environ.get(PARENT_ENV) or os.getppid())
    if os.getppid() != parent_pid:  # the parent died before we could ask to die with it
        os._exit(0)
    protocol_out = _take_protocol_stdout()
    requests = sys.stdin.buffer

    import numpy  # noqa: F401  -- imported before the memory limit, like everything a task needs

    # Here, not at the top: the parent imports this module for its frame format and must not pay for SymPy.
    from calc_core.tasks import TASKS, warm_up

    warm_up()
    _start_watchdog(parent_pid)  # its thread stack is mapped before the limit applies
    _limit_memory(memory_megabytes())

    protocol_out.write(encode_frame(("ready", os.getpid())))
    protocol_out.flush()
    while (request := _read_request(requests)) is not None:
        protocol_out.write(encode_reply(run_request(TASKS, request)))
        protocol_out.flush()


if __name__ == "__main__":
    main()
