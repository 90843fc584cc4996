"""Test records with every required field filled, so a test names only the fields it is about."""

from __future__ import annotations

from typing import Any

from vawg.metrics.models import Metric

_METRIC_DEFAULTS: dict[str, Any] = {
    "group": "kaizen",
    "group_title": "Project Kaizen",
    "unit": "count",
    "polarity": "neither",
    "source": "Force crime system",
    "dataset": "street",
    "formula": "Count.",
    # Never run: these tests write observations themselves.
    "query": "SELECT 1",
}


def make_metric(code: str, title: str, **fields: Any) -> Metric:
    """A catalogue metric; ``fields`` override the defaults above."""
    return Metric.objects.create(code=code, title=title, **{**_METRIC_DEFAULTS, **fields})
