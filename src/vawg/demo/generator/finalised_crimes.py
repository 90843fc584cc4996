"""Generated finalised VAWG crimes (``finalised-crimes``), including the finalised DA crimes."""

# S311: the generator wants a seeded, reproducible pseudo-random stream; nothing here is secret.
# ruff: noqa: S311

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import timedelta

from vawg.demo.generator.common import (
    Record,
    _monthly_count,
    _number_ids,
    _quota,
    _ramp,
    _random_day,
)

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
