"""What every generated extract shares: calendar months, seeded random helpers (quotas,
seasonal counts, ramps), record numbering and CSV writing."""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from vawg.extracts.templates import TEMPLATES

Record = dict[str, Any]


# --- months ------------------------------------------------------------------------------


def _parse_month(text: str) -> tuple[int, int]:
    year, month = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} is not a month written YYYY-MM")
    return year, month


def _month_range(start: str, end: str) -> list[str]:
    (y, m), last = _parse_month(start), _parse_month(end)
    if (y, m) > last:
        raise ValueError(f"start {start} is after end {end}")
    months = []
    while (y, m) <= last:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _first_day(month: str) -> date:
    year, number = _parse_month(month)
    return date(year, number, 1)


def _last_day(month: str) -> date:
    year, number = _parse_month(month)
    following = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    return following - timedelta(days=1)


def _index(month: str) -> int:
    """Months since January 2000: lets rules compare and interpolate calendar months."""
    year, number = _parse_month(month)
    return (year - 2000) * 12 + number - 1


def _random_day(rng: random.Random, month: str) -> date:
    first = _first_day(month)
    return first + timedelta(days=rng.randrange((_last_day(month) - first).days + 1))


def _ramp(month: str, start: str, end: str, low: float, high: float) -> float:
    """Linear from ``low`` at ``start`` to ``high`` at ``end``, flat outside."""
    position = (_index(month) - _index(start)) / (_index(end) - _index(start))
    return low + (high - low) * min(1.0, max(0.0, position))


# Seasonal factors for demand (January to December): summer and the festive period peak.
_SEASON = (0.95, 0.88, 0.97, 0.98, 1.03, 1.05, 1.08, 1.06, 0.99, 1.0, 0.96, 1.02)


def _monthly_count(rng: random.Random, month: str, base: float, noise: float = 0.03) -> int:
    season = _SEASON[_parse_month(month)[1] - 1]
    return max(0, round(base * season * (1 + rng.gauss(0, noise))))


def _quota(total: int, shares: dict[Any, float]) -> list[Any]:
    """``total`` labels split by ``shares`` with largest remainders: exact, not sampled."""
    weight = sum(shares.values())
    exact = {k: total * v / weight for k, v in shares.items()}
    counts = {k: math.floor(v) for k, v in exact.items()}
    left = total - sum(counts.values())
    for key in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[:left]:
        counts[key] += 1
    return [k for k, n in counts.items() for _ in range(n)]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _number_ids(records: list[Record], field: str, prefix: str, sort_key: str) -> None:
    records.sort(key=lambda r: (r[sort_key], r.get("_order", 0)))
    for number, record in enumerate(records, start=1):
        record[field] = f"GEN-{prefix}-{number:06d}"


# --- writing -----------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _write(path: Path, slug: str, records: Sequence[Record]) -> None:
    headers = TEMPLATES[slug].headers
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(headers)
        for record in records:
            writer.writerow([_cell(record[name]) for name in headers])
