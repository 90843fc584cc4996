"""Generated Clare's Law applications, MARAC referrals and referrals to partner agencies."""

# S311: the generator wants a seeded, reproducible pseudo-random stream; nothing here is secret.
# ruff: noqa: S311

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from vawg.demo.generator.common import (
    Record,
    _last_day,
    _monthly_count,
    _number_ids,
    _pick,
    _quota,
    _random_day,
)

# --- Clare's Law, MARAC, partner referrals -----------------------------------------------


def _clares_law(months: Sequence[str], seed: int) -> list[Record]:
    rng = random.Random(f"{seed}-clares-law")
    cut_off = _last_day(months[-1])
    records: list[Record] = []
    for month in months:
        slow = month < "2021-06"
        for route, base, disclose in (("right-to-ask", 40, 0.38), ("right-to-know", 50, 0.85)):
            for order in range(_monthly_count(rng, month, base, noise=0.1)):
                applied = _random_day(rng, month)
                decided = applied + timedelta(days=rng.randint(7, 45 if slow else 30))
                done = decided <= cut_off
                records.append(
                    {
                        "_order": order,
                        "route": route,
                        "applied_on": applied,
                        "decided_on": decided if done else None,
                        "disclosed": (rng.random() < disclose) if done else None,
                    }
                )
    _number_ids(records, "application_id", "CL", "applied_on")
    return records


def _marac(months: Sequence[str], seed: int) -> list[Record]:
    rng = random.Random(f"{seed}-marac-referrals")
    records: list[Record] = []
    for month in months:
        for order in range(_monthly_count(rng, month, 110, noise=0.06)):
            repeat = rng.random() < 0.31
            criterion = (
                "repeat"
                if repeat
                else _pick(
                    rng,
                    {
                        "visible high risk": 0.65,
                        "professional judgement": 0.25,
                        "potential escalation": 0.10,
                    },
                )
            )
            records.append(
                {
                    "_order": order,
                    "referred_on": _random_day(rng, month),
                    "repeat": repeat,
                    "risk": _pick(rng, {"high": 0.86, "medium": 0.12, "standard": 0.02}),
                    "criterion": criterion,
                }
            )
    _number_ids(records, "referral_id", "MR", "referred_on")
    return records


_OTHER_PARTNERS = {
    "IDVA service": (55, "victim support"),
    "ISVA service": (22, "victim support"),
    "children's social care": (45, "safeguarding"),
    "adult social care": (10, "safeguarding"),
    "housing": (6, "safeguarding"),
    "other": (4, "information sharing"),
}


def _partner_referrals(months: Sequence[str], seed: int) -> list[Record]:
    rng = random.Random(f"{seed}-partner-referrals")
    records: list[Record] = []
    for month in months:
        alliance = min(318, max(282, 300 + round(rng.gauss(0, 9))))
        kinds = _quota(
            alliance, {"victim support": 0.70, "safeguarding": 0.25, "information sharing": 0.05}
        )
        wanted = [("DA Alliance", kind) for kind in kinds]
        for partner, (base, kind) in _OTHER_PARTNERS.items():
            wanted += [(partner, kind)] * _monthly_count(rng, month, base, noise=0.1)
        programme = 8 if month < "2021-10" else 20  # perpetrator programmes expand
        wanted += [("perpetrator programme", "perpetrator intervention")] * _monthly_count(
            rng, month, programme, noise=0.1
        )
        for order, (partner, kind) in enumerate(wanted):
            records.append(
                {
                    "_order": order,
                    "referred_on": _random_day(rng, month),
                    "partner": partner,
                    "referral_type": kind,
                }
            )
    _number_ids(records, "referral_id", "PR", "referred_on")
    return records
