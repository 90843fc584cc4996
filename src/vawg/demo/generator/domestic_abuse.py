"""Generated domestic abuse incidents and crimes (``da-incidents``, ``da-crimes``)."""

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
    _ramp,
    _random_day,
)
from vawg.extracts.templates import PROSECUTION_IMPOSSIBLE_CODES

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
