"""Generated national serious sexual offence outcomes (``national-outcomes``), every force.

No open source holds 2021-22 force-level outcome counts, so the demo invents every force's
figures. The demo force's own rows are counted from its generated ``finalised-crimes`` (rape
and other sexual offences), so its national figure and its local one agree; months before the
local extract begins are drawn at the extract's early rates. The other 42 forces take their
size from the real Home Office recorded-crime table shipped with the demo (2017/18 rape and
other sexual offences) and a steady prosecution-possible rate each, placed so that the demo
force's rolling 12-month rate ranks as the reference paper says: 22nd for the 12 months to
February 2021, 15th to December 2021 and 10th to January 2022.

A force's charges follow its rate by cumulative rounding (charges to date = round(rate x
prosecution-possible crimes to date)), so any 12-month window's charges are within one of the
rate times its base; each force's rate is kept further than that from the demo force's rates
at the target windows, which makes the ranks exact rather than likely.

The table ends two months before the extract period (published figures lag: a paper of April
2022 quotes the 12 months to January 2022) and starts twelve months before it, so the first
months of the period already have a full 12-month window.
"""

# S311: the generator wants a seeded, reproducible pseudo-random stream; nothing here is secret.
# ruff: noqa: S311

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from vawg.demo.generator.common import Record, _month_range, _monthly_count
from vawg.extracts.templates import PROSECUTION_IMPOSSIBLE_CODES

DEMO_FORCE = "cambridgeshire"
PRC_FILE = Path(__file__).resolve().parents[1] / "national" / "prc-pfa-201718_new.csv.gz"
GROUPS = ("rape", "other sexual offences")
WINDOW = 12
#: The demo force's rank (1 = highest rate) for the 12 months to each month, as the paper says.
TARGET_RANKS: Mapping[str, int] = {"2021-02": 22, "2021-12": 15, "2022-01": 10}
#: Months from a month's end to the release of its national figures.
PUBLICATION_LAG = 2

_PRC_SUBGROUPS = {"Rape offences": "rape", "Other sexual offences": "other sexual offences"}
# Shares of finalised serious sexual offences whose outcome rules a prosecution out.
_EXCLUDED_SHARE = {"rape": 0.17, "other sexual offences": 0.22}
# Of a force's charges, the share that are rapes (rape charges are rarer than other SSO ones).
_RAPE_CHARGE_SHARE = 0.22
# How far the other forces' rates spread beyond the demo force's highest and lowest targets.
_SPREAD = 0.05
_FLOOR = 0.02


@dataclass(frozen=True)
class _Counts:
    finalised: int
    prosecution_possible: int
    charged: int


def _shift(month: str, months: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def national_months(months: Sequence[str]) -> list[str]:
    """The months the national table covers for an extract period of ``months``."""
    return _month_range(_shift(months[0], -WINDOW), _shift(months[-1], -PUBLICATION_LAG))


@cache
def _monthly_volumes() -> dict[str, dict[str, float]]:
    """Force -> offence group -> recorded offences a month in 2017/18 (real Home Office data)."""
    from vawg.analytics.home_office import FORCE_SLUGS, read_prc

    totals: dict[str, dict[str, float]] = {f: dict.fromkeys(GROUPS, 0.0) for f in FORCE_SLUGS}
    for row in read_prc(PRC_FILE):
        group = _PRC_SUBGROUPS.get(row.offence_subgroup)
        if group is not None and row.force in totals:
            totals[row.force][group] += row.offences / 12
    return totals


def _own_counts(finalised_crimes: Sequence[Record]) -> dict[tuple[str, str], _Counts]:
    counts: dict[tuple[str, str], list[int]] = {}
    for crime in finalised_crimes:
        if crime["offence_group"] not in GROUPS:
            continue
        key = (crime["finalised_on"].strftime("%Y-%m"), crime["offence_group"])
        tally = counts.setdefault(key, [0, 0, 0])
        code = crime["outcome_code"]
        tally[0] += 1
        tally[1] += code not in PROSECUTION_IMPOSSIBLE_CODES
        tally[2] += code == 1
    return {key: _Counts(*tally) for key, tally in counts.items()}


def _draw_own_early(
    rng: random.Random, months: Sequence[str], own: dict[tuple[str, str], _Counts]
) -> None:
    """Fill the demo force's months before its extract at the extract's first-year rates."""
    first_year = sorted({month for month, _ in own})[:WINDOW]
    for group in GROUPS:
        held = [own[(m, group)] for m in first_year if (m, group) in own]
        finalised = sum(c.finalised for c in held) / len(held)
        possible_share = sum(c.prosecution_possible for c in held) / sum(c.finalised for c in held)
        charge_rate = sum(c.charged for c in held) / sum(c.prosecution_possible for c in held)
        for month in months:
            if (month, group) in own:
                continue
            total = _monthly_count(rng, month, finalised, noise=0.08)
            possible = round(total * possible_share)
            own[(month, group)] = _Counts(total, possible, round(possible * charge_rate))


def _rolling_rates(
    counts: Mapping[tuple[str, str], _Counts], months: Sequence[str]
) -> dict[str, float]:
    """Month -> charged / prosecution possible over the 12 months to it (full windows only)."""
    rates = {}
    for end in range(WINDOW - 1, len(months)):
        window = months[end - WINDOW + 1 : end + 1]
        charged = sum(counts[(m, g)].charged for m in window for g in GROUPS)
        possible = sum(counts[(m, g)].prosecution_possible for m in window for g in GROUPS)
        rates[months[end]] = charged / possible
    return rates


def _feasible_targets(own_rates: Mapping[str, float], targets: Mapping[str, int]) -> dict[str, int]:
    """The target ranks the table can meet: those whose window it covers, and, where the
    demo force's rate moves against its target rank (a higher rate, yet a worse rank: only in
    a short or unusual period), the later targets, which a board paper quotes."""
    kept: dict[str, int] = {}
    for month in sorted((m for m in targets if m in own_rates), reverse=True):
        consistent = all(
            (own_rates[month] - own_rates[other]) * (kept[other] - targets[month]) >= 0
            for other in kept
        )
        if consistent:
            kept[month] = targets[month]
    return kept


def _place_rates(
    rng: random.Random,
    own_rates: Mapping[str, float],
    bases: Mapping[str, float],
    targets: Mapping[str, int],
) -> tuple[dict[str, float], dict[str, dict[str, bool]]]:
    """A steady rate for each other force, and on which side of the demo force each must be
    at each target window (True = a higher rate) for the demo force to rank as ``targets``.

    The target windows sorted by the demo force's rate split the rate axis into bands; each
    band gets as many forces as the ranks require (rank 10 needs 9 forces above). ``bases``
    is each force's smallest 12-month prosecution-possible count: one charge either way moves
    its rate by 1 / base, so a force goes in a band wide enough to hold it clear of both edges
    where one is; narrow bands are filled first, from the forces big enough for them. A band
    too narrow for any force (the demo force's rate barely moving between two windows) gets
    rates just above its lower edge, and :func:`_settle` moves those forces below the upper
    edge with a weaker month.
    """
    forces = sorted(bases)
    held = sorted((own_rates[m], rank, m) for m, rank in targets.items() if m in own_rates)
    if not held:
        return {f: rng.uniform(_FLOOR, 0.15) for f in forces}, {f: {} for f in forces}
    edges = [max(_FLOOR, held[0][0] - _SPREAD)] + [r for r, _, _ in held]
    edges.append(held[-1][0] + _SPREAD)
    # Forces needed above each target's rate: rank - 1. A band between two targets holds the
    # difference; the bottom band holds the rest.
    above = [rank - 1 for _, rank, _ in held]
    sizes = [len(forces) - above[0]]
    sizes += [above[i] - above[i + 1] for i in range(len(above) - 1)]
    sizes.append(above[-1])
    if min(sizes) < 0:
        raise ValueError(f"the target ranks {dict(targets)} cannot all hold with steady rates")
    order = sorted(range(len(sizes)), key=lambda i: edges[i + 1] - edges[i])
    remaining = list(forces)
    rng.shuffle(remaining)
    rates: dict[str, float] = {}
    sides: dict[str, dict[str, bool]] = {}
    for band in order:
        low, high = edges[band], edges[band + 1]
        fitting = [f for f in remaining if 2.5 / bases[f] < high - low]
        chosen = (fitting + [f for f in remaining if f not in fitting])[: sizes[band]]
        for force in chosen:
            remaining.remove(force)
            margin = 1.25 / bases[force]
            if 2 * margin < high - low:
                rates[force] = rng.uniform(low + margin, high - margin)
            else:
                rates[force] = low + margin
            # Band i lies above the first i targets' rates and below the rest.
            sides[force] = {month: index < band for index, (_, _, month) in enumerate(held)}
    return rates, sides


def _other_counts(
    rng: random.Random, months: Sequence[str], volumes: Mapping[str, float]
) -> dict[tuple[str, str], tuple[int, int]]:
    """(finalised, prosecution possible) per month and group of one other force."""
    counts = {}
    for month in months:
        for group in GROUPS:
            total = _monthly_count(rng, month, max(volumes[group], 1.0), noise=0.08)
            possible = round(total * (1 - _EXCLUDED_SHARE[group] + rng.uniform(-0.03, 0.03)))
            counts[(month, group)] = (total, possible)
    return counts


def _charges(months: Sequence[str], possible: Mapping[str, int], rate: float) -> dict[str, int]:
    """Charges per month by cumulative rounding at ``rate``: any window is within one of it."""
    charged: dict[str, int] = {}
    possible_to_date = charged_to_date = 0
    for month in months:
        possible_to_date += possible[month]
        charged[month] = round(rate * possible_to_date) - charged_to_date
        charged_to_date += charged[month]
    return charged


def _settle(
    months: Sequence[str],
    possible: Mapping[str, int],
    charged: dict[str, int],
    sides: Mapping[str, bool],
    own_rates: Mapping[str, float],
) -> None:
    """Move a force to its side of the demo force at each target window, by changing the
    charges of the window's last month (the month a board reads about as new)."""
    for end in sorted(sides):
        window = months[months.index(end) - WINDOW + 1 : months.index(end) + 1]
        base = sum(possible[m] for m in window)
        rest = sum(charged[m] for m in window) - charged[end]
        limit = own_rates[end] * base
        if sides[end] and rest + charged[end] <= limit:
            charged[end] = math.floor(limit - rest) + 1
        elif not sides[end] and rest + charged[end] >= limit:
            charged[end] = math.ceil(limit - rest) - 1
        if not 0 <= charged[end] <= possible[end]:
            raise ValueError(f"{end}: no month of charges puts a force on its side")


def _split(
    base: Mapping[tuple[str, str], tuple[int, int]], month: str, charged: int
) -> dict[tuple[str, str], _Counts]:
    """A month's charges split between rape and other sexual offences."""
    rape_finalised, rape_possible = base[(month, "rape")]
    other_finalised, other_possible = base[(month, "other sexual offences")]
    rape = min(rape_possible, round(charged * _RAPE_CHARGE_SHARE))
    other = charged - rape
    if other > other_possible:  # a small force's month: the rapes take the excess
        rape, other = charged - other_possible, other_possible
    return {
        (month, "rape"): _Counts(rape_finalised, rape_possible, rape),
        (month, "other sexual offences"): _Counts(other_finalised, other_possible, other),
    }


def _national_outcomes(
    months: Sequence[str], seed: int, finalised_crimes: Sequence[Record]
) -> list[Record]:
    rng = random.Random(f"{seed}-national-outcomes")
    table_months = national_months(months)
    own = _own_counts(finalised_crimes)
    _draw_own_early(rng, table_months, own)
    own = {key: value for key, value in own.items() if key[0] in table_months}
    own_rates = _rolling_rates(own, table_months)

    volumes = _monthly_volumes()
    bases_by_force = {
        force: _other_counts(rng, table_months, volumes[force])
        for force in sorted(volumes)
        if force != DEMO_FORCE
    }
    possible = {
        force: {m: sum(counts[(m, g)][1] for g in GROUPS) for m in table_months}
        for force, counts in bases_by_force.items()
    }
    smallest = {
        force: min(
            sum(by_month[m] for m in table_months[i : i + WINDOW])
            # A period too short for a full window still needs a base: its whole length.
            for i in range(max(1, len(table_months) - WINDOW + 1))
        )
        for force, by_month in possible.items()
    }
    targets = _feasible_targets(own_rates, TARGET_RANKS)
    rates, sides = _place_rates(rng, own_rates, smallest, targets)
    by_force = {DEMO_FORCE: own}
    for force, counts in bases_by_force.items():
        charged = _charges(table_months, possible[force], rates[force])
        _settle(table_months, possible[force], charged, sides[force], own_rates)
        by_force[force] = {}
        for month in table_months:
            by_force[force].update(_split(counts, month, charged[month]))
    _check_ranks(by_force, table_months, targets)
    release = f"GEN-NOC-{table_months[-1]}"
    records = []
    for force in sorted(by_force):
        for month in table_months:
            for group in GROUPS:
                counts = by_force[force][(month, group)]
                records.append(
                    {
                        "release_ref": release,
                        "force": force,
                        "month": month,
                        "offence_group": group,
                        "finalised": counts.finalised,
                        "prosecution_possible": counts.prosecution_possible,
                        "charged": counts.charged,
                    }
                )
    return records


def _check_ranks(
    by_force: Mapping[str, Mapping[tuple[str, str], _Counts]],
    months: Sequence[str],
    targets: Mapping[str, int],
) -> None:
    """Refuse to write a table in which the demo force does not rank as the paper says."""
    rates = {force: _rolling_rates(counts, months) for force, counts in by_force.items()}
    for month, rank in targets.items():
        own = rates[DEMO_FORCE][month]
        got = 1 + sum(r[month] > own for r in rates.values())
        if got != rank:  # pragma: no cover - a broken placement, not a data condition
            raise ValueError(f"12 months to {month}: the demo force ranks {got}, not {rank}")
