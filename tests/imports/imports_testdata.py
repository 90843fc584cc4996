"""Real data.police.uk files for the import tests, and facts about them computed with csv."""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import pytest

# The shared data folder sits beside the repository (``../shared/data``), on a developer's
# machine and in CI alike; VAWG_SHARED_DATA points elsewhere.
_BESIDE_REPO = Path(__file__).resolve().parents[2].parent / "shared" / "data"
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


def csv_files(folder: Path) -> list[Path]:
    return sorted(need(folder).rglob("*.csv"))


def count_by(files: list[Path], *columns: str) -> Counter:
    """Rows per value of ``columns`` (the empty tuple counts all rows), read with csv."""
    counts: Counter = Counter()
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                counts[tuple(row[c] for c in columns)] += 1
    return counts


def edited_copy(src: Path, folder: Path, edit) -> Path:
    """A copy of ``src`` (same name) in ``folder`` with ``edit(lines)`` applied to its lines."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = src.read_bytes().splitlines(keepends=True)
    dest = folder / src.name
    dest.write_bytes(b"".join(edit(lines)))
    return dest
