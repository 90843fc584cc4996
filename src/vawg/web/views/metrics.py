"""A metric's page: definition, control chart with its data table, and each value's source."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from vawg.accounts.access import READ, access, reads_everything
from vawg.charts.control_chart import control_chart_svg
from vawg.metrics.models import Metric
from vawg.metrics.reckoner import metric_series, metric_uses_generated_data, rate_metric
from vawg.metrics.services import data_version
from vawg.ratings import RAG_RULE
from vawg.web.svg import without_inline_styles
from vawg.web.views.common import check_month_visible, current_force, visible_months

_UNIT_LABELS = {"percent": "%", "count": "count", "rate": "rate", "minutes": "minutes"}


def _chart(metric: Metric, force, month: str | None, rating) -> str:
    """The chart's SVG, drawn once per metric, force, month and data version.

    Drawing takes about a tenth of a second; the figures only change when the data do.
    """
    key = f"chart:{metric.pk}:{force.pk}:{month or 'all'}:{data_version()}"
    svg = cache.get(key)
    if svg is None:
        drawn = control_chart_svg(rating, unit_label=_UNIT_LABELS.get(metric.unit, ""))
        svg = without_inline_styles(drawn)
        cache.set(key, svg, timeout=24 * 60 * 60)
    return svg


@access(READ)
@require_GET
def metric_page(request, code: str):
    force = current_force(request)
    metric = get_object_or_404(Metric, code=code)
    month = request.GET.get("month") or None
    if not reads_everything(request.user):
        # A partner sees the series up to a published month only (by default the latest).
        published = visible_months(request, force)
        if month is None:
            if not published:
                raise PermissionDenied("No month of the ready reckoner has been published yet.")
            month = published[-1]
        check_month_visible(request, force, month)
    series = metric_series(metric, force, month)
    rating = rate_metric(metric, series)
    flags = {point.period: point for point in rating.points}
    rows = [{"observation": o, "point": flags.get(o.period)} for o in reversed(series)]
    # The SVG is drawn by our own code from numbers (no user text inside), so it is safe to
    # place inline; inline SVG needs no JavaScript and prints in papers. Its styles become
    # attributes so that the Content-Security-Policy (no inline styles) leaves it intact.
    chart = mark_safe(_chart(metric, force, month, rating))  # noqa: S308
    return render(
        request,
        "web/metric.html",
        {
            "force": force,
            "metric": metric,
            "rating": rating,
            "rows": rows,
            "chart": chart,
            "month": month,
            "rag_rule": RAG_RULE,
            "metric_generated": bool(series) and metric_uses_generated_data(metric, force),
        },
    )
