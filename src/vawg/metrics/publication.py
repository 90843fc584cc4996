"""Publishing a month's ready reckoner, and finding what has been restated since.

A board reads a month once; what it read must stay readable as it was. Publishing stores
every row as shown; afterwards the page and exports show the frozen rows, and any figure that
a later import changed is listed as a restatement with both values.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from vawg.dates import long_date
from vawg.errors import VawgError
from vawg.metrics.models import ReckonerPublication
from vawg.metrics.reckoner import available_months, build_reckoner, row_as_dict
from vawg.strategy.models import Force

logger = logging.getLogger(__name__)

# The fields whose change is a restatement; rating limits follow from these.
_RESTATED_FIELDS = ("value", "numerator", "denominator", "rag")


class AlreadyPublishedError(VawgError):
    """The month has been published; a publication is never replaced."""


class NoFiguresError(VawgError):
    """The month holds no figures: publishing it would freeze an empty reckoner for good."""


@dataclass(frozen=True)
class Restatement:
    metric: str
    title: str
    field: str
    published: Any
    current: Any
    unit: str = ""  # the metric's, so both figures can be shown as the table shows them


def publish_reckoner(*, force: Force, month: str, user=None) -> ReckonerPublication:
    """Freeze ``month``'s ready reckoner for ``force`` as it stands now."""
    if month not in available_months(force):
        raise NoFiguresError(
            f"{force.name} holds no figures for {month}: import its data before publishing "
            "(a published month is never replaced)."
        )
    rows = [row_as_dict(row) for row in build_reckoner(force, month).rows]
    try:
        with transaction.atomic():
            publication = ReckonerPublication.objects.create(
                force=force, month=month, published_by=user, rows=rows
            )
    except IntegrityError as exc:
        existing = ReckonerPublication.objects.get(force=force, month=month)
        raise AlreadyPublishedError(
            f"The ready reckoner for {month} was published on "
            f"{long_date(timezone.localtime(existing.published_at).date())}; "
            "a published month is never replaced."
        ) from exc
    logger.info("reckoner published: force %s, month %s, %d rows", force.slug, month, len(rows))
    return publication


def restatements(publication: ReckonerPublication) -> list[Restatement]:
    """Figures that differ between the publication and the data held now."""
    current = {
        row["id"]: row
        for row in map(row_as_dict, build_reckoner(publication.force, publication.month).rows)
    }
    found = []
    for row in publication.rows:
        now = current.get(row["id"])
        if now is None:
            continue
        for field in _RESTATED_FIELDS:
            if not _same(row[field], now[field]):
                found.append(
                    Restatement(
                        row["id"],
                        row["title"],
                        field,
                        row[field],
                        now[field],
                        row.get("unit") or now.get("unit") or "",
                    )
                )
    return found


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b
