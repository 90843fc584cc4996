"""Raw counts of preventative orders applied for and issued, per month and order type.

From the protective-orders extract in the analytics store when it is there (one row per
application: counted by month applied for, and by month granted for "issued"); otherwise
from the monthly observations of the order metrics (codes naming DVPN, DVPO, SPO, SHPO or
SRO). The result says which source it used.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from vawg.metrics.models import Observation
from vawg.strategy.models import Force

logger = logging.getLogger(__name__)

#: Order types in the order the return lists them (the extract template's choices).
ORDER_TYPES = ("DVPN", "DVPO", "SPO", "interim SPO", "SHPO", "SRO")

_METRIC_CODE = re.compile(r"^(interim-)?(dvpn|dvpo|spo|shpo|sro)-(applied|granted)$")

_EXTRACT_SQL = """
WITH applied AS (
    SELECT strftime(applied_on, '%Y-%m') AS month, order_type, count(*) AS n
    FROM protective_orders WHERE force = $force GROUP BY ALL
), issued AS (
    SELECT strftime(granted_on, '%Y-%m') AS month, order_type, count(*) AS n
    FROM protective_orders WHERE force = $force AND granted GROUP BY ALL
)
SELECT month, order_type, 'applied' AS kind, n FROM applied
UNION ALL
SELECT month, order_type, 'issued' AS kind, n FROM issued
"""


def preventative_orders(force: Force, months: list[str]) -> dict[str, Any]:
    """``{"source": ..., "rows": [{"month", "order_type", "applied", "issued"}]}``.

    Every month and order type appears, with 0 where none were made; ``None`` marks a count
    the source cannot give (e.g. no metric for DVPOs applied for).
    """
    counts = _from_extract(force, months)
    source = "force protective-orders extract"
    if counts is None:
        counts = _from_metrics(force, months)
        source = "order metrics (no protective-orders extract in the store)"
    rows = []
    for month in months:
        for order_type in ORDER_TYPES:
            applied, issued = counts.get((month, order_type), (None, None))
            rows.append(
                {"month": month, "order_type": order_type, "applied": applied, "issued": issued}
            )
    return {"source": source, "rows": rows}


def _from_extract(force: Force, months: list[str]) -> dict[tuple[str, str], tuple] | None:
    try:
        from vawg.analytics.store import open_views
        from vawg.imports.selectors import active_parquet_paths

        paths = active_parquet_paths("protective_orders", force.slug)
        if not paths:
            return None
        connection = open_views({"protective_orders": paths})
    except (ImportError, ValueError) as exc:
        # NOTE: older stores have no protective_orders view; the metrics still give counts.
        logger.info("protective orders from metrics: %s", exc)
        return None
    try:
        found = connection.execute(_EXTRACT_SQL, {"force": force.slug}).fetchall()
    finally:
        connection.close()
    counts: dict[tuple[str, str], list[int]] = {
        (month, order_type): [0, 0] for month in months for order_type in ORDER_TYPES
    }
    for month, order_type, kind, n in found:
        if (month, order_type) in counts:
            counts[(month, order_type)][0 if kind == "applied" else 1] = int(n)
    return {key: (value[0], value[1]) for key, value in counts.items()}


def _from_metrics(force: Force, months: list[str]) -> dict[tuple[str, str], tuple]:
    counts: dict[tuple[str, str], list[int | None]] = {}
    observations = Observation.objects.filter(
        force=force, period__in=months, metric__code__regex=_METRIC_CODE.pattern
    ).select_related("metric")
    for observation in observations:
        match = _METRIC_CODE.match(observation.metric.code)
        if match is None:
            continue
        interim, kind, what = match.groups()
        order_type = ("interim " if interim else "") + kind.upper()
        entry = counts.setdefault((observation.period, order_type), [None, None])
        entry[0 if what == "applied" else 1] = round(observation.numerator)
    return {key: (value[0], value[1]) for key, value in counts.items()}
