"""Generated force system extracts for the demo force. EVERY RECORD HERE IS INVENTED.

No open source holds a force's own domestic abuse, order, referral, missing-person or training
records, so the demo fills each extract template (:mod:`vawg.extracts.templates`) with
generated records. Every record reference starts ``GEN-`` (people are ``GEN-P-nnnnnn``, units
``GEN-...``) so a generated record can never be mistaken for a real one; no name appears.

The monthly totals follow the figures of the reference board paper (April 2022) at their
dates, and plausible levels elsewhere. The shaping rules, each keyed to calendar months so any
``start``/``end`` can be generated (the paper's figures appear when the range covers October
2020 to March 2022):

- **Missing episodes**: about 225 a month (summer higher), 62% juveniles (under 18) from a
  pool of repeat-missing children. Each month's median minutes missing is set exactly: 245-310
  until March 2021, falling steadily to about 172 by February 2022 (never below 168), and
  **160 in March 2022**, the lowest in over a year. Juveniles found within 24 hours (at most
  1,440 minutes): 86-89% until June 2021, about 90% in the summer of 2021, then 91-94% from
  October 2021 (**93% in March 2022**, over 90%). The shares are met by quotas, not by chance:
  each month's closed lengths are drawn below and above the median so the median is exact.
- **DVPNs**: 2-5 a month until August 2021, **3 in September 2021**, then 6, 9, 12, 16, 20
  and **24 in March 2022**: eight times September, the paper's 700% rise in six months. No
  DVPN in those two months is refused, so both applied and granted counts rise eightfold.
  Each granted DVPN is followed by a DVPO application the next day.
- **Stalking protection orders**: one each in June and August 2020, **none from October 2020
  to September 2021**, then 1, 2, 2, 3, 3, 3 applications from October 2021 to March 2022
  (**14**), plus five interim SPOs (November 2021 to March 2022).
- **Domestic abuse prosecution possible** (outcome 1 over outcomes other than 5, 11, 12, 13,
  17, 18, 19 and 20, by month of finalisation): about 9.5% until March 2021, rising through
  2021 to 14.6% in December 2021, then **15.8%, 16.3% and 17.1% in January to March 2022**
  (above 15% for three months and far above the year before). Outcome quotas per month make
  these exact up to rounding.
- **DA Alliance referrals**: 282-318 a month (**about 300**), plus smaller numbers to other
  partners.
- **Domestic abuse**: about 1,250 incidents a month with seasonality, 56% with a crime
  recorded (one crime each in ``da-crimes``), arrests in 30% of crimes rising to 37% by March
  2022, 37% repeat victims; crimes are finalised after a realistic delay and those not
  finalised by the end of the period stay open. Finalised-crime extracts (rape, other sexual
  offences, stalking and harassment, honour-based abuse, other VAWG, and the finalised DA
  crimes) use outcome quotas with rape charge rates rising from 3.5% to 6%.
- **Clare's Law** about 40 right-to-ask and 50 right-to-know a month; **MARAC** about 110
  referrals a month with 31% repeats (inside SafeLives' 28-40%); **specialist staff**
  establishment and PIP2, ABE and SCAIDP counts per unit, with the paper's 20% PPU uplift
  (November 2021) and new RIT posts (January 2022) diluting the trained shares at first;
  **victim feedback** only from February 2022, when the paper's questionnaire went live.

Records dated in the period are written; later events (finalisation, grant, decision, breach,
enforcement) after the last day of the period are left out as if the extract were taken then,
except a missing person's found time, kept so every episode has its length.

Randomness: one ``random.Random`` per extract, seeded with ``"<seed>-<slug>"``, so the same
seed gives byte-identical files and changing one extract's rules leaves the others unchanged.
The default seed is 2022, the paper's year.

Run ``python -m vawg.demo.generator OUT_DIR`` to write the files.
"""

# S311: the generator wants a seeded, reproducible pseudo-random stream; nothing here is secret.
# ruff: noqa: S311

from __future__ import annotations

import argparse
import csv
import logging
import math
import random
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from vawg.extracts.templates import PROSECUTION_IMPOSSIBLE_CODES, TEMPLATES

__all__ = ["DEFAULT_SEED", "generate", "main"]

logger = logging.getLogger(__name__)

DEFAULT_SEED = 2022
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


# --- domestic abuse ----------------------------------------------------------------------

# Local prosecution-possible rate by month of finalisation (see the module docstring).
_PP_RATE_PAPER = {
    "2021-10": 0.130,
    "2021-11": 0.138,
    "2021-12": 0.146,
    "2022-01": 0.158,
    "2022-02": 0.163,
    "2022-03": 0.171,
}


def _pp_rate(rng: random.Random, month: str) -> float:
    if month in _PP_RATE_PAPER:
        return _PP_RATE_PAPER[month]
    if month < "2021-04":
        return 0.095 + rng.uniform(-0.008, 0.008)
    if month < "2021-10":
        return _ramp(month, "2021-04", "2021-09", 0.10, 0.125)
    return 0.17 + rng.uniform(-0.01, 0.01)


# Outcomes of finalised DA crimes that are neither a charge nor excluded from the rate.
_DA_OTHER_OUTCOMES = {
    16: 0.52,
    14: 0.10,
    15: 0.22,
    3: 0.04,
    8: 0.04,
    10: 0.03,
    9: 0.01,
    22: 0.02,
    21: 0.01,
    2: 0.01,
}
# Outcomes that take a crime out of the prosecution-possible denominator, as shares of all.
_DA_EXCLUDED = {18: 0.03, 17: 0.04, 20: 0.015, 11: 0.004, 12: 0.003, 13: 0.003, 5: 0.005}
_DA_OFFENCES = {
    "violence with injury": 0.24,
    "violence without injury": 0.30,
    "stalking and harassment": 0.22,
    "controlling or coercive behaviour": 0.10,
    "sexual offences": 0.04,
    "criminal damage and arson": 0.07,
    "other": 0.03,
}


def _finalisation_delay(rng: random.Random) -> int:
    draw = rng.random()
    if draw < 0.40:
        return rng.randint(1, 30)
    if draw < 0.75:
        return rng.randint(31, 120)
    if draw < 0.95:
        return rng.randint(121, 365)
    return rng.randint(366, 700)


def _domestic_abuse(months: Sequence[str], seed: int) -> tuple[list[Record], list[Record]]:
    rng = random.Random(f"{seed}-da-incidents")
    incidents: list[Record] = []
    for month in months:
        arrest_share = 0.30 if month < "2021-06" else _ramp(month, "2021-06", "2022-03", 0.31, 0.37)
        for order in range(_monthly_count(rng, month, 1250)):
            crime = rng.random() < 0.56
            incidents.append(
                {
                    "_order": order,
                    "reported_on": _random_day(rng, month),
                    "month": month,
                    "crime_recorded": crime,
                    "arrest_made": crime and rng.random() < arrest_share,
                    "repeat_victim": rng.random() < 0.37,
                    "dash_risk": _pick(
                        rng, {"standard": 0.60, "medium": 0.28, "high": 0.10, "": 0.02}
                    )
                    or None,
                }
            )
    _number_ids(incidents, "incident_id", "DAI", "reported_on")

    rng = random.Random(f"{seed}-da-crimes")
    cut_off = _last_day(months[-1])
    crimes: list[Record] = []
    for incident in incidents:
        if not incident["crime_recorded"]:
            continue
        finalised = incident["reported_on"] + timedelta(days=_finalisation_delay(rng))
        crimes.append(
            {
                "_order": incident["_order"],
                "recorded_on": incident["reported_on"],
                "month": incident["month"],
                "offence_group": _pick(rng, _DA_OFFENCES),
                "finalised_on": finalised if finalised <= cut_off else None,
                "outcome_code": None,
                "prosecution_possible": None,
            }
        )
    _number_ids(crimes, "crime_id", "DAC", "recorded_on")
    # Outcomes by quota per month of finalisation, so the local rate is as the paper says.
    by_month: dict[str, list[Record]] = {}
    for crime in crimes:
        if crime["finalised_on"] is not None:
            by_month.setdefault(crime["finalised_on"].strftime("%Y-%m"), []).append(crime)
        elif rng.random() < 0.2:
            crime["outcome_code"] = 0  # some systems write 0 (not yet assigned) while open
    for month in sorted(by_month):
        finalised = by_month[month]
        rng.shuffle(finalised)
        excluded = _quota(round(len(finalised) * sum(_DA_EXCLUDED.values())), _DA_EXCLUDED)
        eligible = len(finalised) - len(excluded)
        charges = round(_pp_rate(rng, month) * eligible)
        others = dict(_DA_OTHER_OUTCOMES)
        if month < "2021-01":
            others.pop(22)  # diversionary outcomes come into local use in 2021
        codes = excluded + [1] * charges + _quota(eligible - charges, others)
        for crime, code in zip(finalised, codes, strict=True):
            crime["outcome_code"] = code
            crime["prosecution_possible"] = code not in PROSECUTION_IMPOSSIBLE_CODES
    return incidents, crimes


# --- finalised VAWG crimes ---------------------------------------------------------------

_OUTCOME_MIX = {
    "rape": {
        16: 0.38,
        15: 0.27,
        14: 0.10,
        18: 0.07,
        20: 0.04,
        21: 0.02,
        10: 0.02,
        9: 0.01,
        13: 0.02,
        11: 0.03,
        3: 0.01,
        8: 0.01,
    },
    "other sexual offences": {
        16: 0.30,
        15: 0.22,
        14: 0.12,
        18: 0.12,
        8: 0.04,
        3: 0.03,
        2: 0.02,
        11: 0.05,
        20: 0.04,
        21: 0.03,
        10: 0.03,
    },
    "stalking and harassment": {
        16: 0.40,
        15: 0.15,
        14: 0.10,
        18: 0.05,
        8: 0.05,
        3: 0.03,
        17: 0.03,
        10: 0.03,
        20: 0.02,
        22: 0.01,
    },
}
_OUTCOME_MIX["honour-based abuse"] = _OUTCOME_MIX["stalking and harassment"]
_OUTCOME_MIX["other VAWG"] = _OUTCOME_MIX["stalking and harassment"]
# Monthly volumes (non-domestic) and median days from recording to outcome.
_VAWG_VOLUMES = {
    "rape": (55, 150),
    "other sexual offences": (120, 80),
    "stalking and harassment": (160, 50),
    "honour-based abuse": (2, 90),
    "other VAWG": (15, 60),
}
_CHILD_VICTIM = {
    "rape": 0.35,
    "other sexual offences": 0.45,
    "stalking and harassment": 0.05,
    "honour-based abuse": 0.20,
    "other VAWG": 0.10,
}


def _charge_rate(group: str, month: str) -> float:
    if group == "rape":
        return _ramp(month, "2021-01", "2022-03", 0.035, 0.06)
    if group == "other sexual offences":
        return _ramp(month, "2021-01", "2022-03", 0.08, 0.10)
    return 0.10


def _finalised_crimes(
    months: Sequence[str], seed: int, da_crimes: Sequence[Record]
) -> list[Record]:
    rng = random.Random(f"{seed}-finalised-crimes")
    records: list[Record] = []
    for crime in da_crimes:  # the finalised DA crimes, under the precedence of groups
        if crime["finalised_on"] is None:
            continue
        group = "domestic abuse"
        if crime["offence_group"] == "sexual offences":
            group = "rape" if rng.random() < 0.3 else "other sexual offences"
        records.append(
            {
                "crime_id": crime["crime_id"],
                "recorded_on": crime["recorded_on"],
                "finalised_on": crime["finalised_on"],
                "offence_group": group,
                "outcome_code": crime["outcome_code"],
                "child_victim": rng.random() < 0.02,  # 16- and 17-year-old victims
                "cse_flagged": False,
            }
        )
    own: list[Record] = []
    for month in months:
        for group, (base, median_days) in _VAWG_VOLUMES.items():
            count = _monthly_count(rng, month, base, noise=0.08)
            mix = _OUTCOME_MIX[group]
            charges = round(_charge_rate(group, month) * count)
            codes = [1] * charges + _quota(count - charges, mix)
            rng.shuffle(codes)
            for order, code in enumerate(codes):
                finalised = _random_day(rng, month)
                delay = max(1, round(rng.lognormvariate(math.log(median_days), 0.7)))
                child = rng.random() < _CHILD_VICTIM[group]
                sexual = group in ("rape", "other sexual offences")
                own.append(
                    {
                        "_order": order,
                        "recorded_on": finalised - timedelta(days=delay),
                        "finalised_on": finalised,
                        "offence_group": group,
                        "outcome_code": code,
                        "child_victim": child,
                        "cse_flagged": child and sexual and rng.random() < 0.08,
                    }
                )
    _number_ids(own, "crime_id", "FC", "finalised_on")
    records.extend(own)
    records.sort(key=lambda r: (r["finalised_on"], r["crime_id"]))
    return records


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


def generate(
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    start: str = "2020-04",
    end: str = "2022-03",
) -> dict[str, Path]:
    """Write one generated CSV per extract template into ``out_dir``; returns slug -> path.

    Files are named ``<slug>.csv`` (so ``vawg.extracts.detect_template`` recognises them).
    The same ``seed``, ``start`` and ``end`` always give byte-identical files.
    """
    months = _month_range(start, end)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    incidents, crimes = _domestic_abuse(months, seed)
    builders: dict[str, Callable[[], list[Record]]] = {
        "da-incidents": lambda: incidents,
        "da-crimes": lambda: crimes,
        "protective-orders": lambda: _protective_orders(months, seed),
        "clares-law": lambda: _clares_law(months, seed),
        "marac-referrals": lambda: _marac(months, seed),
        "missing-episodes": lambda: _missing_episodes(months, seed),
        "finalised-crimes": lambda: _finalised_crimes(months, seed, crimes),
        "specialist-staff": lambda: _specialist_staff(months, seed),
        "victim-feedback": lambda: _victim_feedback(months, seed),
        "partner-referrals": lambda: _partner_referrals(months, seed),
    }
    paths: dict[str, Path] = {}
    for slug in TEMPLATES:
        records = builders[slug]()
        path = out_dir / f"{slug}.csv"
        _write(path, slug, records)
        paths[slug] = path
        logger.info("generated %s: %d records", path.name, len(records))
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m vawg.demo.generator OUT_DIR [--seed N] [--start YYYY-MM] [--end YYYY-MM]``."""
    parser = argparse.ArgumentParser(
        prog="python -m vawg.demo.generator",
        description="Write generated (invented) force system extracts for the demo force.",
    )
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--start", default="2020-04", help="first month, YYYY-MM")
    parser.add_argument("--end", default="2022-03", help="last month, YYYY-MM")
    args = parser.parse_args(argv)
    try:
        paths = generate(args.out_dir, seed=args.seed, start=args.start, end=args.end)
    except ValueError as exc:
        parser.error(str(exc))
    for slug, path in paths.items():
        with path.open(encoding="utf-8") as fh:
            rows = sum(1 for _ in fh) - 1
        print(f"{slug:20} {rows:7,d} rows  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
