"""The metric page shows a rebase and its reason, the RAG rule and the metric's own minimum."""

from __future__ import annotations

import html

from django.urls import reverse

from vawg.metrics.models import Observation
from vawg.ratings import RAG_RULE


def test_metric_page_shows_the_rebase_its_reason_and_the_rule(signed_in, world):
    metric = world.metric_count
    metric.rebase = [{"period": "2024-05", "reason": "new crime recording rules"}]
    metric.min_points = 4
    metric.save()
    page = html.unescape(signed_in.get(reverse("metric", args=[metric.code])).content.decode())
    assert "Rebased at 2024-05: new crime recording rules. From 2024-05 the mean" in page
    assert "rebased at 2024-05 (new crime recording rules)" in page  # the settings row
    # 2024-05..2024-08 are 1200, 1250, 1300, 1350: mean 1275, mean moving range 50.
    assert "latest mean 1275.00, limits 1142.00 to 1408.00" in page
    assert "since the rebase at 2024-05 (new crime recording rules)" in page  # the reason
    assert "dotted vertical line" in page
    assert f"RAG rule:</strong> {RAG_RULE}" in page
    assert "limits are drawn from 15 points" not in page


def test_caption_names_the_metrics_own_minimum(signed_in, world):
    metric = world.metric_count
    metric.min_points = 9  # the fixture holds 8 months
    metric.save()
    assert Observation.objects.filter(metric=metric).count() == 8
    page = signed_in.get(reverse("metric", args=[metric.code])).content.decode()
    assert "limits are drawn once 9 points are held." in page
    assert "grey: too few points (8 of 9 needed)" in page
