"""What the paper's section builders share: the paper's month, the metric mapping, the
figures and ratings already read, and whether generated demo data was used."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vawg.errors import VawgError
from vawg.metrics.models import Metric
from vawg.metrics.reckoner import ReckonerRow
from vawg.reports.paper.figures import FigureSpec, MetricFacts, Point
from vawg.strategy.models import Force

ACTION_METRICS_FILE = Path(__file__).resolve().parent / "action_metrics.yaml"

#: Datasets whose figures are quarterly, filed under the quarter's last month.
QUARTERLY_DATASETS = frozenset({"prc"})

RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "grey": "Not rated"}


class PaperError(VawgError):
    """A paper that cannot be built (no framework, no strategy): the message says what to load."""


# --- Inputs ---------------------------------------------------------------------------------


def paper_month(as_at: dt.date) -> str:
    """The latest complete month before the paper date.

    >>> paper_month(dt.date(2022, 4, 26)), paper_month(dt.date(2022, 1, 3))
    ('2022-03', '2021-12')
    """
    first = as_at.replace(day=1) - dt.timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


def figures_month(held: list[str], complete: str) -> str:
    """The month whose figures the paper reports: ``complete``, or the latest held before it.

    A paper dated after the last import would otherwise report an empty month with every
    metric "not rated"; the paper says which month it used instead (see ``_purpose``).

    >>> figures_month(["2024-11", "2024-12"], "2026-11"), figures_month(["2022-03"], "2022-03")
    ('2024-12', '2022-03')
    >>> figures_month(["2024-12"], "2022-03"), figures_month([], "2022-03")
    ('2022-03', '2022-03')
    """
    earlier = [m for m in held if m <= complete]
    return max(earlier) if earlier else complete


def is_generated(metric: Metric, force: Force | None = None) -> bool:
    """Whether a metric's figures are generated demo data.

    Decided by the data, not by a setting: an import records how many of each file's rows
    are generated records (references starting ``GEN-``), so a metric is generated exactly
    while one of its figures was computed from such a file, for ``force`` or (when None) for
    any force. Papers and returns pass their force: another force's generated extract must
    not mark this force's figures. Public data never is.
    """
    from vawg.metrics.reckoner import metric_uses_generated_data

    return metric_uses_generated_data(metric, force)


@dataclass(frozen=True)
class ActionMetrics:
    """The parsed ``action_metrics.yaml``: per action code, its figure specs; source labels."""

    specs: dict[str, tuple[FigureSpec, ...]]
    sources: dict[str, str]


def read_action_metrics(path: Path = ACTION_METRICS_FILE) -> ActionMetrics:
    """Read the action-to-metric mapping; an unknown key is an error naming the entry."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    allowed = set(FigureSpec.__dataclass_fields__)
    specs: dict[str, tuple[FigureSpec, ...]] = {}
    for action_code, entries in (data.get("actions") or {}).items():
        parsed = []
        for entry in entries:
            unknown = set(entry) - allowed
            if unknown or "metric" not in entry:
                raise PaperError(
                    f"{path.name}, action {action_code}: each entry needs 'metric' and may "
                    f"only use {', '.join(sorted(allowed))} (found {', '.join(sorted(entry))})"
                )
            parsed.append(FigureSpec(**entry))
        specs[str(action_code)] = tuple(parsed)
    sources = {str(k): str(v).strip() for k, v in (data.get("sources") or {}).items()}
    return ActionMetrics(specs=specs, sources=sources)


@dataclass
class PaperContext:
    """What the section builders share."""

    force: Force
    as_at: dt.date
    month: str
    #: The latest complete month before the paper date; ``month`` is earlier when no figures
    #: have been imported for it yet.
    complete_month: str
    draft: bool
    #: In a draft, action id -> what it owes the paper's board (from the governance calendar).
    owed: dict[int, str]
    mapping: ActionMetrics
    metrics: dict[str, Metric]
    series: dict[int, list[Point]]
    reckoner_rows: list[dict[str, Any]]
    ratings: dict[str, ReckonerRow]
    published_at: dt.datetime | None
    generated_used: bool = False

    def facts(self, metric: Metric) -> MetricFacts:
        generated = is_generated(metric, self.force)
        self.generated_used |= generated
        return MetricFacts(
            code=metric.code,
            title=metric.title,
            unit=metric.unit,
            polarity=metric.polarity,
            target=metric.target,
            source=self.mapping.sources.get(metric.source, metric.source),
            generated=generated,
            quarterly=metric.dataset in QUARTERLY_DATASETS,
        )
