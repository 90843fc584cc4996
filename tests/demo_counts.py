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


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def median_minutes_missing(path: Path, month: str) -> float:
    """Median minutes from report to found of the ended episodes reported in ``month``."""
    from datetime import datetime
    from statistics import median

    return median(
        (
            datetime.fromisoformat(r["found_at"]) - datetime.fromisoformat(r["reported_at"])
        ).total_seconds()
        / 60
        for r in read_rows(path)
        if r["reported_at"].startswith(month) and r["found_at"]
    )


def orders_by_month(path: Path, order_type: str, date_column: str) -> dict[str, int]:
    """Orders of one type by the month of ``date_column`` (granted ones only for granted_on)."""
    counts: dict[str, int] = defaultdict(int)
    for row in read_rows(path):
        if row["order_type"] != order_type or not row[date_column]:
            continue
        if date_column == "granted_on" and row["granted"] != "yes":
            continue
        counts[row[date_column][:7]] += 1
    return counts
