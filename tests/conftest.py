"""Fixtures every test folder can use. pyproject's `pythonpath = ["."]` makes `import calc_core` work."""

from __future__ import annotations

import os
from pathlib import Path

# Server-side figures only: never let matplotlib look for a display.
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# SymPy's first call in a process is slow (imports, caches): time limits per example only make tests flaky.
settings.register_profile("dev", deadline=None)
# In CI the same examples every run, so a red build can be reproduced; a little more effort than locally.
settings.register_profile(
    "ci", deadline=None, derandomize=True, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository's root folder (where streamlit_app.py lives)."""
    return PROJECT_ROOT
