"""Generated missing person episodes (``missing-episodes``), with exact monthly medians."""

# S311: the generator wants a seeded, reproducible pseudo-random stream; nothing here is secret.
# ruff: noqa: S311

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from vawg.demo.generator.common import (
    Record,
    _first_day,
    _monthly_count,
    _number_ids,
    _pick,
    _ramp,
    _random_day,
)

# --- missing episodes --------------------------------------------------------------------


def _median_target(rng: random.Random, month: str) -> int:
    if month == "2022-03":
        return 160
    if month < "2021-04":
        return rng.randint(245, 310)
    if month <= "2022-02":
        return max(168, round(_ramp(month, "2021-04", "2022-02", 240, 172) + rng.randint(-6, 6)))
    return rng.randint(160, 185)


def _juvenile_within_target(rng: random.Random, month: str) -> float:
    if month == "2022-03":
        return 0.93
    if month < "2021-07":
        return rng.uniform(0.86, 0.89)
    if month < "2021-10":
        return rng.uniform(0.89, 0.905)
    return rng.uniform(0.91, 0.94)


def _person_pool(
    rng: random.Random, size: int, first: int, ages: tuple[int, int], on: date
) -> list[tuple[str, date]]:
    """(reference, birth date) of ``size`` generated people aged ``ages`` on ``on``."""
    pool = []
    for number in range(first, first + size):
        age_days = rng.randint(ages[0] * 365 + 1, ages[1] * 365 + 300)
        pool.append((f"GEN-P-{number:06d}", on - timedelta(days=age_days)))
    return pool


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _missing_episodes(months: Sequence[str], seed: int) -> list[Record]:
    rng = random.Random(f"{seed}-missing-episodes")
    begin = _first_day(months[0])
    children = _person_pool(rng, 450, 100001, (10, 16), begin)
    adults = _person_pool(rng, 1600, 300001, (18, 80), begin)
    # A few people go missing very often: Pareto weights make repeat episodes realistic.
    child_weights = [rng.paretovariate(1.3) for _ in children]
    adult_weights = [rng.paretovariate(2.0) for _ in adults]
    records: list[Record] = []
    for month in months:
        count = _monthly_count(rng, month, 225, noise=0.05)
        juveniles = round(count * 0.62)
        people = rng.choices(children, child_weights, k=juveniles) + rng.choices(
            adults, adult_weights, k=count - juveniles
        )
        month_records = []
        for ref, born in people:
            day = _random_day(rng, month)
            reported = datetime(
                day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59)
            )
            month_records.append(
                {"person_ref": ref, "reported_at": reported, "age": _age(born, day)}
            )
        _shape_lengths(rng, month, month_records)
        records.extend(month_records)
    _number_ids(records, "episode_id", "ME", "reported_at")
    return records


def _shape_lengths(rng: random.Random, month: str, episodes: list[Record]) -> None:
    """Set found_at and risk so the month's median and juvenile 24-hour share are exact."""
    day = 24 * 60
    median = _median_target(rng, month)
    juveniles = [e for e in episodes if e["age"] < 18]
    adults = [e for e in episodes if e["age"] >= 18]
    within = math.ceil(_juvenile_within_target(rng, month) * len(juveniles))
    rng.shuffle(juveniles)
    rng.shuffle(adults)
    adult_long = round(0.10 * len(adults))
    long = juveniles[within:] + adults[:adult_long]
    rest = juveniles[:within] + adults[adult_long:]
    rng.shuffle(rest)
    n = len(episodes)
    below = (n - 1) // 2 if n % 2 else n // 2 - 1
    middle = 1 if n % 2 else 2
    if len(long) > n - below - middle:
        raise ValueError(f"{month}: too many long episodes to keep the median")  # pragma: no cover
    for position, episode in enumerate(rest):
        if position < below:
            minutes = rng.randint(15, median - 1)
        elif position < below + middle:
            minutes = median
        else:
            minutes = round(math.exp(rng.uniform(math.log(median + 1), math.log(day))))
        episode["_minutes"] = minutes
    for episode in long:
        episode["_minutes"] = round(math.exp(rng.uniform(math.log(day + 1), math.log(7 * day))))
    for episode in episodes:
        episode["found_at"] = episode["reported_at"] + timedelta(minutes=episode.pop("_minutes"))
        episode["risk"] = _pick(
            rng, {"no apparent risk": 0.05, "low": 0.35, "medium": 0.50, "high": 0.10}
        )
