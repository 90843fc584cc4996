"""Figures counted from the generated demo extracts with the csv module alone: independent of
the generator's code and of the metric SQL, for tests that compare them with what the
tracker computed or wrote."""

from __future__ import annotations

import csv
from collections import defaultdict
from fractions import Fraction
from pathlib import Path


def _months_before(month: str, count: int) -> list[str]:
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1
    return [f"{(index - i) // 12:04d}-{(index - i) % 12 + 1:02d}" for i in range(count)]


def independent_ranks(path: Path) -> dict[tuple[str, str], int]:
    """(force, month) -> rank of the 12-month rate to the month, 1 = highest, ties sharing the
    better rank; only forces with all 12 months are ranked."""
    charged: dict[tuple[str, str], int] = defaultdict(int)
    possible: dict[tuple[str, str], int] = defaultdict(int)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["force"], row["month"])
            charged[key] += int(row["charged"])
            possible[key] += int(row["prosecution_possible"])
    forces = sorted({force for force, _ in possible})
    months = sorted({month for _, month in possible})
    ranks = {}
    for month in months:
        window = _months_before(month, 12)
        rates = {
            force: Fraction(
                sum(charged[(force, m)] for m in window), sum(possible[(force, m)] for m in window)
            )
            for force in forces
            if all((force, m) in possible for m in window)
        }
        for force, rate in rates.items():
            ranks[(force, month)] = 1 + sum(other > rate for other in rates.values())
    return ranks
