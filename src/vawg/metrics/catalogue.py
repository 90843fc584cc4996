"""Reading the metric catalogue: one YAML file per group of metrics, each a definition + query.

Pure Python (no Django) so the definitions can be checked anywhere; ``services`` stores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from vawg.errors import InputFileError
from vawg.ratings import RatingSettings
from vawg.ratings.series import normalise_period

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
UNITS = ("count", "percent", "rate", "minutes")
POLARITIES = ("up", "down", "neither")
#: How a quarter's figure comes from its months (the national return): ``sum`` the months,
#: ``ratio`` (the months' numerators over their denominators) or the ``last`` month held.
QUARTER_RULES = ("sum", "ratio", "last")
#: A metric without ``quarter:`` gets its unit's rule. A rank or a rolling figure is a count
#: but not additive, so its catalogue entry says ``quarter: last``.
DEFAULT_QUARTER_RULE = {"count": "sum", "percent": "ratio", "rate": "ratio", "minutes": "last"}
_REQUIRED = ("code", "title", "unit", "polarity", "source", "dataset", "formula", "query")
_OPTIONAL = (
    "target",
    "screen_outliers",
    "min_points",
    "baseline_points",
    "rebase",
    "data_quality_note",
    "quarter",
)
_REBASE_KEYS = ("period", "reason")


@dataclass(frozen=True)
class MetricDefinition:
    code: str
    title: str
    group: str
    position: int
    unit: str
    polarity: str
    source: str
    dataset: str
    formula: str
    query: str
    target: float | None = None
    screen_outliers: bool = False
    min_points: int = 15
    baseline_points: int | None = None
    rebase: tuple[tuple[str, str], ...] = ()
    data_quality_note: str = ""
    quarter: str = "sum"


def read_catalogue_file(path: Path) -> tuple[str, str, list[MetricDefinition]]:
    """Read one catalogue file: its group code, group title and metric definitions."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputFileError(path, None, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not {"group", "title", "metrics"} <= data.keys():
        raise InputFileError(path, None, "expected keys group, title and metrics")
    group, title = str(data["group"]), str(data["title"])
    return (
        group,
        title,
        [
            _definition(path, group, position, item)
            for position, item in enumerate(data["metrics"], start=1)
        ],
    )


def _definition(path: Path, group: str, position: int, item: Any) -> MetricDefinition:
    where = f"metric {position}"
    if not isinstance(item, dict):
        raise InputFileError(path, None, f"{where}: expected a mapping")
    where = f"metric {item.get('code', position)}"
    missing = [key for key in _REQUIRED if not item.get(key)]
    if missing:
        raise InputFileError(path, None, f"{where}: missing {', '.join(missing)}")
    unknown = sorted(set(item) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise InputFileError(path, None, f"{where}: unknown keys {', '.join(unknown)}")
    if item["unit"] not in UNITS:
        raise InputFileError(path, None, f"{where}: unit must be one of {', '.join(UNITS)}")
    if item["polarity"] not in POLARITIES:
        raise InputFileError(
            path, None, f"{where}: polarity must be one of {', '.join(POLARITIES)}"
        )
    quarter = item.get("quarter", DEFAULT_QUARTER_RULE[item["unit"]])
    if quarter not in QUARTER_RULES:
        raise InputFileError(
            path, None, f"{where}: quarter must be one of {', '.join(QUARTER_RULES)}"
        )
    target = item.get("target")
    settings = _rating_settings(path, where, item)
    return MetricDefinition(
        code=str(item["code"]),
        title=str(item["title"]),
        group=group,
        position=position,
        unit=item["unit"],
        polarity=item["polarity"],
        source=str(item["source"]),
        dataset=str(item["dataset"]),
        formula=str(item["formula"]).strip(),
        query=str(item["query"]).strip(),
        target=float(target) if target is not None else None,
        screen_outliers=settings.screen_outliers,
        min_points=settings.min_points,
        baseline_points=settings.fix_after_n_points,
        rebase=settings.rebase,
        data_quality_note=str(item.get("data_quality_note", "")).strip(),
        quarter=quarter,
    )


def _rating_settings(path: Path, where: str, item: dict[str, Any]) -> RatingSettings:
    """The metric's rating settings, checked by the ratings package itself.

    Checking them here, not when a page first rates the metric, means a bad rebase stops
    ``vawg init`` with the file and metric named instead of breaking the reckoner later.
    """
    screen = item.get("screen_outliers", False)
    if not isinstance(screen, bool):
        raise InputFileError(path, None, f"{where}: screen_outliers must be true or false")
    for key in ("min_points", "baseline_points"):
        value = item.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InputFileError(path, None, f"{where}: {key} must be a whole number")
    target = item.get("target")
    if target is not None and (isinstance(target, bool) or not isinstance(target, int | float)):
        raise InputFileError(path, None, f"{where}: target must be a number")
    rebases = []
    for number, entry in enumerate(item.get("rebase") or [], start=1):
        rebases.append(_rebase(path, f"{where}: rebase {number}", entry))
    periods = [period for period, _ in rebases]
    if len(set(periods)) != len(periods):
        raise InputFileError(path, None, f"{where}: the same rebase period is given twice")
    try:
        return RatingSettings(
            polarity=item["polarity"],
            target=target,
            screen_outliers=screen,
            fix_after_n_points=item.get("baseline_points"),
            rebase=tuple(rebases),
            min_points=item.get("min_points", 15),
        )
    except ValueError as exc:
        raise InputFileError(path, None, f"{where}: {exc}") from None


def _rebase(path: Path, where: str, entry: Any) -> tuple[str, str]:
    if not isinstance(entry, dict) or set(entry) != set(_REBASE_KEYS):
        raise InputFileError(
            path, None, f"{where}: expected a mapping with period (YYYY-MM) and reason"
        )
    period, reason = entry["period"], entry["reason"]
    # YAML reads an unquoted 2024-01-01 as a date; a rebase names a month or a quarter.
    if not isinstance(period, str):
        raise InputFileError(
            path, None, f"{where}: period must be a month written YYYY-MM, not {period!r}"
        )
    if not isinstance(reason, str) or not reason.strip():
        raise InputFileError(path, None, f"{where}: the rebase at {period} needs a reason")
    try:
        return normalise_period(period), " ".join(reason.split())
    except ValueError as exc:
        raise InputFileError(path, None, f"{where}: {exc}") from None


def read_catalogue(
    directory: Path = CATALOGUE_DIR,
) -> dict[str, tuple[str, list[MetricDefinition]]]:
    """Every catalogue file in ``directory``, keyed by group code; metric codes must be unique."""
    groups: dict[str, tuple[str, list[MetricDefinition]]] = {}
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        group, title, definitions = read_catalogue_file(path)
        for definition in definitions:
            if definition.code in seen:
                raise InputFileError(
                    path,
                    None,
                    f"metric {definition.code} is also defined in {seen[definition.code].name}",
                )
            seen[definition.code] = path
        groups[group] = (title, definitions)
    return groups


@cache
def _quarter_rules() -> dict[str, str]:
    return {d.code: d.quarter for _, defs in read_catalogue().values() for d in defs}


def quarter_rule(code: str, unit: str) -> str:
    """How metric ``code``'s quarter figure is made: its catalogue entry's ``quarter``, or its
    unit's default for a code the catalogue no longer holds (an old snapshot's).

    >>> quarter_rule("national-sso-pp-rank", "count"), quarter_rule("dvpn-granted", "count")
    ('last', 'sum')
    >>> quarter_rule("gone-from-the-catalogue", "percent")
    'ratio'
    """
    return _quarter_rules().get(code) or DEFAULT_QUARTER_RULE.get(unit, "last")
