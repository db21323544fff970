"""The container's health check: exit 0 if Streamlit answers ``/_stcore/health`` with 200, else 1.

    python deploy/healthcheck.py [URL]       # default http://127.0.0.1:8501/_stcore/health

Python's standard library only: the slim image has no curl. Used by the Dockerfile's HEALTHCHECK and by
tests/unit/test_deploy.py.
"""

from __future__ import annotations

import sys
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8501/_stcore/health"


def healthy(url: str = DEFAULT_URL, timeout: float = 4.0) -> bool:
    """Whether ``url`` answers 200 within ``timeout`` seconds.

    >>> healthy("http://127.0.0.1:1/_stcore/health", timeout=0.5)
    False
    """
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status == 200
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(0 if healthy(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_URL) else 1)
