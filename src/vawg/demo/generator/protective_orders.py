"""Generated protective and preventative orders (``protective-orders``): DVPNs, DVPOs, SPOs."""

# S311: the generator wants a seeded, reproducible pseudo-random stream; nothing here is secret.
# ruff: noqa: S311

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from vawg.demo.generator.common import (
    Record,
    _last_day,
    _number_ids,
    _random_day,
)

# --- protective orders -------------------------------------------------------------------

_DVPN_PAPER = {
    "2021-09": 3,
    "2021-10": 6,
    "2021-11": 9,
    "2021-12": 12,
    "2022-01": 16,
    "2022-02": 20,
    "2022-03": 24,
}
_SPO_PAPER = {
    "2020-06": 1,
    "2020-08": 1,
    "2021-10": 1,
    "2021-11": 2,
    "2021-12": 2,
    "2022-01": 3,
    "2022-02": 3,
    "2022-03": 3,
}
_INTERIM_SPO_PAPER = {"2021-11": 1, "2021-12": 1, "2022-01": 1, "2022-02": 1, "2022-03": 1}


def _dvpn_count(rng: random.Random, month: str) -> int:
    if month in _DVPN_PAPER:
        return _DVPN_PAPER[month]
    if month < "2021-09":
        return rng.randint(2, 5)
    return rng.randint(22, 28)


def _spo_counts(rng: random.Random, month: str) -> tuple[int, int]:
    if month <= "2022-03":
        # Before the paper's period: none (the Stalking Protection Act 2019 is in force
        # from January 2020, and the paper reports none in the twelve months to September
        # 2021).
        return _SPO_PAPER.get(month, 0), _INTERIM_SPO_PAPER.get(month, 0)
    return rng.randint(2, 3), rng.randint(0, 1)


def _breach_action_days(rng: random.Random, month: str) -> int:
    if month < "2021-10":
        return rng.choice((0, 1, 1, 2, 3, 5))
    return rng.choice((0, 0, 1, 1, 2))


def _protective_orders(months: Sequence[str], seed: int) -> list[Record]:
    rng = random.Random(f"{seed}-protective-orders")
    cut_off = _last_day(months[-1])
    orders: list[Record] = []

    def add(
        order_type: str,
        applied: date,
        *,
        grant: float,
        decide_days: tuple[int, int],
        breach: float,
        breach_days: tuple[int, int],
    ) -> Record:
        decided = applied + timedelta(days=rng.randint(*decide_days))
        granted: bool | None = None
        if decided <= cut_off:
            granted = rng.random() < grant
        record: Record = {
            "_order": len(orders),
            "order_type": order_type,
            "applied_on": applied,
            "granted": granted,
            "granted_on": decided if granted else None,
            "breached": None,
            "breach_on": None,
            "breach_actioned_on": None,
        }
        if granted:
            breach_on = decided + timedelta(days=rng.randint(*breach_days))
            record["breached"] = rng.random() < breach and breach_on <= cut_off
            if record["breached"]:
                record["breach_on"] = breach_on
                actioned = breach_on + timedelta(
                    days=_breach_action_days(rng, breach_on.strftime("%Y-%m"))
                )
                record["breach_actioned_on"] = actioned if actioned <= cut_off else None
        orders.append(record)
        return record

    for month in months:
        dvpns = _dvpn_count(rng, month)
        # No refusals in the two months the paper compares, so issued = applied there.
        refuse = 0.0 if month in ("2021-09", "2022-03") else 0.08
        for _ in range(dvpns):
            notice = add(
                "DVPN",
                _random_day(rng, month),
                grant=1 - refuse,
                decide_days=(0, 0),
                breach=0.05,
                breach_days=(0, 1),
            )
            follow_up = notice["applied_on"] + timedelta(days=1)
            if notice["granted"] and follow_up <= cut_off:
                # A DVPO must be heard within 48 hours of the notice.
                add(
                    "DVPO",
                    follow_up,
                    grant=0.88,
                    decide_days=(1, 1),
                    breach=0.18,
                    breach_days=(1, 27),
                )
        spos, interims = _spo_counts(rng, month)
        for _ in range(spos):
            add(
                "SPO",
                _random_day(rng, month),
                grant=0.9,
                decide_days=(20, 50),
                breach=0.15,
                breach_days=(5, 120),
            )
        for _ in range(interims):
            add(
                "interim SPO",
                _random_day(rng, month),
                grant=1.0,
                decide_days=(0, 1),
                breach=0.1,
                breach_days=(2, 30),
            )
        for _ in range(rng.choice((2, 3, 4, 4, 5, 6))):
            add(
                "SHPO",
                _random_day(rng, month),
                grant=0.8,
                decide_days=(30, 60),
                breach=0.12,
                breach_days=(10, 200),
            )
        if rng.random() < 0.3:
            add(
                "SRO",
                _random_day(rng, month),
                grant=0.75,
                decide_days=(20, 60),
                breach=0.1,
                breach_days=(10, 200),
            )
    _number_ids(orders, "order_id", "PO", "applied_on")
    return orders
