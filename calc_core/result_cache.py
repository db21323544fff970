"""The sandbox's result cache: a bounded LRU of ``Outcome`` (a reply's bytes), computed once per key.

Two callers asking for the same key at once share one computation (single flight); an outcome that is not
``cacheable`` (a busy machine, a dead worker) is answered but not kept.
"""

from __future__ import annotations

import collections
import threading
from dataclasses import dataclass
from typing import NamedTuple

from calc_core.errors import ExpressionError
from calc_core.worker import FRAME_HEADER, decode_body, encode_frame

DEFAULT_CACHE_ENTRIES = 1024
DEFAULT_CACHE_BYTES = 64 * 1024 * 1024


class CacheStats(NamedTuple):
    """Counters of a result cache: ``shared`` counts callers that waited for the same key's computation."""

    hits: int
    misses: int
    shared: int
    entries: int
    bytes: int


@dataclass(frozen=True)
class Outcome:
    """How one request ended, as the reply's pickle: each use unpickles a copy nobody else can mutate."""

    body: bytes
    cacheable: bool = True

    @classmethod
    def error(cls, code: str, cacheable: bool = True, **params) -> Outcome:
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
