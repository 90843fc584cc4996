"""Real data.police.uk files for the import tests, and facts about them computed with csv."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from realdata import (  # noqa: F401 - re-exported for the import tests
    CAMBS_2024,
    OUTCOMES_2019_2020,
    OUTCOMES_2024,
    SHARED_DATA,
    STOP_2024,
    STREET_2024,
    need,
)


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
