"""Where the real public data files are, for tests that check figures against them.

They live in the shared data folder beside the repository (``../shared/data``), on a
developer's machine and in CI alike; ``VAWG_SHARED_DATA`` points elsewhere. Tests that need
them are skipped where it is absent, and fail in CI, which must have it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The shared data folder sits beside the repository (``../shared/data``), on a developer's
# machine and in CI alike; VAWG_SHARED_DATA points elsewhere.
_BESIDE_REPO = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SHARED_DATA = Path(os.environ.get("VAWG_SHARED_DATA", _BESIDE_REPO))
CAMBS_2024 = SHARED_DATA / "police_uk_cambridgeshire_2024"
STREET_2024 = CAMBS_2024 / "2024-Total-cambridgeshire-street"
OUTCOMES_2024 = CAMBS_2024 / "2024-Total-cambridgeshire-outcomes"
STOP_2024 = CAMBS_2024 / "2024-Total-cambridgeshire-stop-and-search"
OUTCOMES_2019_2020 = SHARED_DATA / "police_uk_cambridgeshire_outcomes_2019_2020"


def need(folder: Path) -> Path:
    """``folder``, or skip the test where the real data is not present."""
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"real data not found at {folder}: CI must have ../shared/data")
        pytest.skip(f"real data not found at {folder}")
    return folder
