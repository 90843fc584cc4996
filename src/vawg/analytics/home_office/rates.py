"""Counts, rates per 1,000 residents and national and peer ranks per offence group."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vawg.analytics.home_office.forces import FORCE_SLUGS
from vawg.analytics.home_office.offences import OFFENCE_GROUPS
from vawg.analytics.home_office.peers import load_peer_groups
from vawg.analytics.home_office.prc import _check_offence_codes, quarter_end_month, read_prc
from vawg.errors import InputFileError

__all__ = [
    "OffenceRate",
    "competition_rank",
    "offence_rates",
]


def competition_rank(values: Mapping[str, Fraction | int | float]) -> dict[str, int]:
    """Rank keys by value, highest first; ties share the best rank and the next is skipped.

    This is SQL's ``rank() OVER (ORDER BY value DESC)``.

    >>> competition_rank({"a": 3, "b": 5, "c": 3, "d": 1})
    {'b': 1, 'a': 2, 'c': 2, 'd': 4}
    """
    ordered = sorted(values, key=lambda key: (-values[key], key))
    ranks: dict[str, int] = {}
    for position, key in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        if previous is not None and values[previous] == values[key]:
            ranks[key] = ranks[previous]
        else:
            ranks[key] = position
    return ranks


@dataclass(frozen=True)
class OffenceRate:
    """One force's count, rate and ranks for one offence group and one period.

    ``quarter`` is None for the whole financial year; ``period`` is then the financial year
    ("2017/18"), otherwise the quarter's last month ("2017-06"). ``national_rank`` is among
    the ``forces_ranked`` (43) territorial forces, ``peer_rank`` among the force and its
    peers (``peer_group_size`` forces including itself); 1 = highest rate, ties shared.
    """

    force: str
    offence: str
    financial_year: str
    quarter: int | None
    period: str
    count: int
    population: int
    rate_per_1000: float
    national_rank: int
    forces_ranked: int
    peer_rank: int
    peer_group_size: int


def offence_rates(
    prc_csv: Path,
    population: Mapping[str, int],
    peer_groups: Mapping[str, Sequence[str]] | None = None,
) -> list[OffenceRate]:
    """Counts, rates per 1,000 residents and ranks for every :data:`OFFENCE_GROUPS` group.

    One row per territorial force, offence group and period, the periods being each quarter
    present in the file and each whole financial year. ``population`` maps each of the 43
    force slugs to its residents (see :func:`force_populations`); ``peer_groups`` defaults to
    the shipped ``peer_groups.yaml``. Non-territorial bodies in the file are ignored. Every
    force must have rows in every quarter present, or a missing quarter would read as zero.
    """
    prc_csv = Path(prc_csv)
    missing = [slug for slug in FORCE_SLUGS if not population.get(slug)]
    if missing:
        raise ValueError(f"no population for {', '.join(missing)}")
    peers = load_peer_groups() if peer_groups is None else peer_groups
    rows = read_prc(prc_csv)
    _check_offence_codes(prc_csv, rows)

    territorial = set(FORCE_SLUGS)
    # counts[(year, quarter)][offence][force]; quarter None = whole year
    counts: dict[tuple[str, int | None], dict[str, Counter[str]]] = defaultdict(
        lambda: {key: Counter() for key in OFFENCE_GROUPS}
    )
    present: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in rows:
        if row.force not in territorial:
            continue
        present[(row.financial_year, row.quarter)].add(row.force)
        for key, group in OFFENCE_GROUPS.items():
            if row.offence_subgroup in group.subgroups:
                counts[(row.financial_year, row.quarter)][key][row.force] += row.offences
                counts[(row.financial_year, None)][key][row.force] += row.offences
    for (year, quarter), forces in sorted(present.items()):
        absent = sorted(territorial - forces)
        if absent:
            raise InputFileError(
                prc_csv, "Force_Name", f"no rows for {', '.join(absent)} in {year} Q{quarter}"
            )

    result: list[OffenceRate] = []
    for (year, quarter), by_offence in sorted(counts.items(), key=_period_order):
        period = year if quarter is None else quarter_end_month(year, quarter)
        for key in OFFENCE_GROUPS:
            result.extend(
                _rank_period(key, year, quarter, period, by_offence[key], population, peers)
            )
    return result


def _period_order(item: tuple[tuple[str, int | None], Any]) -> tuple[str, int]:
    (year, quarter), _ = item
    return year, 5 if quarter is None else quarter


def _rank_period(
    offence: str,
    year: str,
    quarter: int | None,
    period: str,
    counts: Mapping[str, int],
    population: Mapping[str, int],
    peers: Mapping[str, Sequence[str]],
) -> list[OffenceRate]:
    # Exact fractions, so two forces with the same rate tie exactly (floats could split them).
    rates = {f: Fraction(counts.get(f, 0), population[f]) for f in FORCE_SLUGS}
    national = competition_rank(rates)
    rows = []
    for force in FORCE_SLUGS:
        group = (force, *peers[force])
        peer_rank = competition_rank({f: rates[f] for f in group})[force]
        rows.append(
            OffenceRate(
                force=force,
                offence=offence,
                financial_year=year,
                quarter=quarter,
                period=period,
                count=counts.get(force, 0),
                population=population[force],
                rate_per_1000=float(rates[force] * 1000),
                national_rank=national[force],
                forces_ranked=len(rates),
                peer_rank=peer_rank,
                peer_group_size=len(group),
            )
        )
    return rows
