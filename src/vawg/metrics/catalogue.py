"""Reading the metric catalogue: one YAML file per group of metrics, each a definition + query.

Pure Python (no Django) so the definitions can be checked anywhere; ``services`` stores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vawg.errors import InputFileError

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
UNITS = ("count", "percent", "rate", "minutes")
POLARITIES = ("up", "down", "neither")
_REQUIRED = ("code", "title", "unit", "polarity", "source", "dataset", "formula", "query")
_OPTIONAL = ("target", "screen_outliers", "min_points", "data_quality_note")


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
    data_quality_note: str = ""


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
    target = item.get("target")
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
        screen_outliers=bool(item.get("screen_outliers", False)),
        min_points=int(item.get("min_points", 15)),
        data_quality_note=str(item.get("data_quality_note", "")).strip(),
    )


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
