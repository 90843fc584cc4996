"""The ready reckoner: every metric's figure for one month, rated by statistical process control.

Reads only. A rating is computed from the series up to and including the chosen month, so a
month's colour is what the board would have seen then (given the data held now).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vawg.imports.models import ImportedFile
from vawg.metrics.models import Metric, Observation
from vawg.ratings import Polarity, Rating, RatingSettings, rate_series
from vawg.ratings.series import parse_period
from vawg.strategy.models import Force, ImprovementProject


@dataclass(frozen=True)
class ReckonerRow:
    metric: Metric
    value: float | None
    numerator: float | None
    denominator: float | None
    previous_value: float | None
    change: float | None
    rating: Rating
    source_file: ImportedFile | None
    # The series rests on generated (invented) records: it must be marked wherever shown.
    generated: bool = False


@dataclass(frozen=True)
class Reckoner:
    force: Force
    month: str
    rows: list[ReckonerRow]
    groups: list[tuple[str, str, list[ReckonerRow]]]


# Groups that are not improvement projects come after them, national comparison first.
_TRAILING_GROUPS = ("national", "context")


def _group_order(force: Force):
    """Sort key: the strategy's improvement projects in their order, then the other groups."""
    projects = {
        code: position
        for code, position in ImprovementProject.objects.filter(strategy__force=force).values_list(
            "code", "position"
        )
    }

    def key(metric: Metric) -> tuple[int, str, int, str]:
        if metric.group in projects:
            rank = projects[metric.group]
        elif metric.group in _TRAILING_GROUPS:
            rank = 1000 + _TRAILING_GROUPS.index(metric.group)
        else:
            rank = 999
        return (rank, metric.group, metric.position, metric.code)

    return key


def rating_settings(metric: Metric, until: str | None = None) -> RatingSettings:
    """The rating settings a metric's definition asks for, as they stood at ``until``.

    Every rating of a metric (reckoner, metric page, exports, papers) comes through here, so
    a setting added to the catalogue reaches them all. A rebase after ``until`` is left out:
    the month's colour is what the board would have seen then, and a later rebase would
    otherwise leave an empty latest segment and turn the month grey.
    """
    # TODO: rebases are per metric for the whole installation; a gap or a change of
    # establishment belongs to one force's data, so a multi-force installation needs them
    # per force.
    rebase = tuple(
        (str(item["period"]), str(item["reason"]))
        for item in metric.rebase or []
        if until is None or parse_period(item["period"])[:2] <= parse_period(until)[:2]
    )
    return RatingSettings(
        polarity=Polarity(metric.polarity),
        target=metric.target,
        screen_outliers=metric.screen_outliers,
        fix_after_n_points=metric.baseline_points,
        rebase=rebase,
        min_points=metric.min_points,
    )


def available_months(force: Force) -> list[str]:
    """Months with at least one observation for the force, oldest first."""
    # NOTE: order_by() clears Meta.ordering, which would otherwise join the DISTINCT and give
    # one month per metric.
    periods = (
        Observation.objects.filter(force=force)
        .order_by()
        .values_list("period", flat=True)
        .distinct()
    )
    return sorted(periods)


def default_month(force: Force) -> str | None:
    """The month a reader most likely wants: the latest with figures for the force's projects.

    Force-wide context files often run later than a force's own extracts; opening on a month
    where every project is grey would hide the projects' work.
    """
    projects = ImprovementProject.objects.filter(strategy__force=force).values_list(
        "code", flat=True
    )
    observations = Observation.objects.filter(force=force).order_by("-period")
    latest = (
        observations.filter(metric__group__in=list(projects))
        .values_list("period", flat=True)
        .first()
    )
    return latest or observations.values_list("period", flat=True).first()


def build_reckoner(force: Force, month: str) -> Reckoner:
    """Every metric for ``force`` in ``month``: value, change on the previous month, rating."""
    observations: dict[int, list[Observation]] = {}
    for observation in (
        Observation.objects.filter(force=force, period__lte=month)
        .select_related("source_file")
        .only(
            "metric_id",
            "period",
            "value",
            "numerator",
            "denominator",
            "source_file__file_name",
        )
        .order_by("period")
    ):
        observations.setdefault(observation.metric_id, []).append(observation)

    metrics = sorted(Metric.objects.all(), key=_group_order(force))
    generated = generated_metric_ids(force)
    rows = [
        _row(metric, observations.get(metric.pk, []), month, metric.pk in generated)
        for metric in metrics
    ]
    groups: list[tuple[str, str, list[ReckonerRow]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.metric.group:
            groups.append((row.metric.group, row.metric.group_title, []))
        groups[-1][2].append(row)
    return Reckoner(force=force, month=month, rows=rows, groups=groups)


def _row(
    metric: Metric, series: list[Observation], month: str, generated: bool = False
) -> ReckonerRow:
    current = series[-1] if series and series[-1].period == month else None
    previous = _previous(series, month)
    # A month without a figure gets no colour: rating older months would pass a stale colour
    # off as this month's.
    points = [(o.period, o.value) for o in series] if current else []
    rating = rate_series(points, rating_settings(metric, until=month))
    value = current.value if current else None
    previous_value = previous.value if previous else None
    change = value - previous_value if value is not None and previous_value is not None else None
    return ReckonerRow(
        metric=metric,
        value=value,
        numerator=current.numerator if current else None,
        denominator=current.denominator if current else None,
        previous_value=previous_value,
        change=change,
        rating=rating,
        source_file=current.source_file if current else None,
        generated=generated and bool(series),
    )


def metric_series(metric: Metric, force: Force, month: str | None = None) -> list[Observation]:
    """A metric's observations for a force, oldest first, up to ``month`` if given."""
    observations = Observation.objects.filter(metric=metric, force=force).select_related(
        "source_file__run"
    )
    if month:
        observations = observations.filter(period__lte=month)
    return list(observations.order_by("period"))


def rate_metric(metric: Metric, series: list[Observation]) -> Rating:
    """The rating of a metric's whole series (as far as it goes)."""
    until = series[-1].period if series else None
    return rate_series([(o.period, o.value) for o in series], rating_settings(metric, until))


def _generated_observations(force: Force | None):
    observations = Observation.objects.filter(source_file__generated_rows__gt=0)
    return observations.filter(force=force) if force is not None else observations


def generated_metric_ids(force: Force | None = None) -> frozenset[int]:
    """Metrics with at least one figure computed from a file of generated records.

    The mark follows each observation's source file, so a force that replaces the generated
    extracts with its own loses it once the figures are recomputed from them.
    """
    # TODO: an observation names only its own month's partition as source; a figure that
    # also reads other months' partitions (e.g. crimes finalised this month, recorded
    # earlier) is not marked if only those are generated. Record every partition read.
    ids = _generated_observations(force).order_by().values_list("metric_id", flat=True)
    return frozenset(ids.distinct())


def metric_uses_generated_data(metric: Metric, force: Force | None = None) -> bool:
    """Whether the metric's figures (for one force, or for any) rest on generated records."""
    return _generated_observations(force).filter(metric=metric).exists()


def _previous(series: list[Observation], month: str) -> Observation | None:
    """The observation of the calendar month before ``month``, if there is one."""
    year, number = int(month[:4]), int(month[5:7])
    before = f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"
    return next((o for o in reversed(series) if o.period == before), None)


def row_as_dict(row: ReckonerRow) -> dict[str, Any]:
    """One reckoner row as plain data for JSON output and exports."""
    return {
        "id": row.metric.code,
        "title": row.metric.title,
        "group": row.metric.group,
        "group_title": row.metric.group_title or row.metric.group,
        "unit": row.metric.unit,
        "polarity": row.metric.polarity,
        "target": row.metric.target,
        "value": row.value,
        "numerator": row.numerator,
        "denominator": row.denominator,
        "previous_value": row.previous_value,
        "change": row.change,
        "mean": row.rating.mean,
        "lower_limit": row.rating.lower_limit,
        "upper_limit": row.rating.upper_limit,
        "variation": str(row.rating.variation),
        "assurance": str(row.rating.assurance),
        "rag": str(row.rating.rag),
        "reason": row.rating.reason,
        "source_file": row.source_file.file_name if row.source_file else None,
        "generated": row.generated,
    }
