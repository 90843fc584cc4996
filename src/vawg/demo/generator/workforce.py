"""Generated specialist staff snapshots and victim feedback questionnaires."""

# S311: the generator wants a seeded, reproducible pseudo-random stream; nothing here is secret.
# ruff: noqa: S311

from __future__ import annotations

import random
from collections.abc import Sequence

from vawg.demo.generator.common import (
    Record,
    _index,
    _monthly_count,
    _number_ids,
    _pick,
)

# --- specialist staff and victim feedback ------------------------------------------------

# (unit, team type, role, establishment, uplift month, uplifted establishment,
#  PIP2 share, ABE share, SCAIDP share) at the start.
_UNITS = (
    ("GEN-CAISU", "child abuse investigation", "investigator", 42, None, 42, 0.70, 0.75, 0.45),
    ("GEN-CAISU", "child abuse investigation", "supervisor", 8, None, 8, 0.90, 0.60, 0.50),
    (
        "GEN-RIT",
        "rape and serious sexual offences",
        "investigator",
        38,
        "2022-01",
        44,
        0.68,
        0.80,
        0.0,
    ),
    ("GEN-RIT", "rape and serious sexual offences", "supervisor", 7, "2022-01", 8, 0.90, 0.70, 0.0),
    ("GEN-PPU", "public protection", "investigator", 30, "2021-11", 36, 0.60, 0.10, 0.0),
    ("GEN-PPU", "public protection", "supervisor", 6, "2021-11", 7, 0.85, 0.10, 0.0),
)


def _trained(
    rng: random.Random,
    base: int,
    establishment: int,
    share: float,
    growth: float,
    step: int,
    catch_up: float,
) -> int:
    """Trained staff: the starting share of the original posts growing by ``growth`` a month,
    plus training of new posts (``catch_up``), never above the establishment."""
    if share == 0:
        return 0
    value = base * (share + growth * step) + catch_up + rng.choice((-1, 0, 0, 1))
    return max(0, min(establishment, round(value)))


def _specialist_staff(months: Sequence[str], seed: int) -> list[Record]:
    rng = random.Random(f"{seed}-specialist-staff")
    records: list[Record] = []
    for step, month in enumerate(months):
        for unit, team, role, base, uplift, raised, pip2, abe, scaidp in _UNITS:
            grown = uplift is not None and month >= uplift
            establishment = raised if grown else base
            # New posts arrive untrained; training then adds about one person a month.
            catch_up = (_index(month) - _index(uplift)) * 0.8 if grown and uplift else 0.0
            shares = {
                "pip2_accredited": (pip2, 0.004),
                "abe_trained": (abe, 0.003),
                "scaidp_trained": (scaidp, 0.006),
            }
            record: Record = {
                "month": month,
                "unit": unit,
                "team_type": team,
                "role": role,
                "establishment": establishment,
            }
            for name, (share, growth) in shares.items():
                record[name] = _trained(rng, base, establishment, share, growth, step, catch_up)
            records.append(record)
    return records


_FEEDBACK_START = "2022-02"  # the paper's victim questionnaire went live in February 2022
_SERVICE_AREAS = {
    "domestic abuse": 0.50,
    "rape and serious sexual offences": 0.20,
    "stalking and harassment": 0.15,
    "child abuse": 0.05,
    "other VAWG": 0.10,
}


def _victim_feedback(months: Sequence[str], seed: int) -> list[Record]:
    rng = random.Random(f"{seed}-victim-feedback")
    records: list[Record] = []
    for month in months:
        if month < _FEEDBACK_START:
            continue
        count = 60 if month == _FEEDBACK_START else _monthly_count(rng, month, 85, noise=0.1)
        for order in range(count):
            satisfied = rng.random() < 0.74
            again = rng.random() < (0.92 if satisfied else 0.55)
            respect = rng.choices(
                (1, 2, 3, 4, 5), (1, 2, 8, 40, 49) if satisfied else (12, 20, 30, 25, 13)
            )[0]
            records.append(
                {
                    "_order": order,
                    "month": month,
                    "service_area": _pick(rng, _SERVICE_AREAS),
                    "satisfied": satisfied,
                    "would_report_again": again,
                    "treated_with_respect": respect,
                }
            )
    _number_ids(records, "response_id", "VF", "month")
    return records
