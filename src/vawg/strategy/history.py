"""A force's responses as they stood at the end of a given day (or at a given moment), from
the history kept.

Papers and returns describe a date (the paper date; a return's submission), and may be built
long after it: what they state must be what was held then, not what is held now.

- **Owner, status, RAG and due date** are replayed from ``ResponseChange``: for each field,
  the ``old_value`` of its first change after the day is the value the day ended with; a
  field never changed since keeps its current value.
- **The narrative** is the latest update that describes a date on or before the day and had
  been approved by the end of it. An update approved through the sign-off (which records
  ``approval.approved_at``) counts from that moment; one loaded already approved from a pack
  has no sign-off record and counts from the date it describes, as the pack states history.
- **Evidence**: an uploaded file counts from when it was added. A link is only ever added by
  a pack, which gives it no date, so it counts as held throughout.

A day ends at midnight in England, whatever the server's time zone.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from vawg.strategy.models import Evidence, Response, ResponseChange, ReviewState, Update
from vawg.strategy.responses import CHANGEABLE_FIELDS, LONDON

__all__ = ["ResponseAsAt", "end_of_day", "replay", "responses_as_at", "responses_at"]


@dataclass(frozen=True)
class ResponseAsAt:
    """One response as at a day: ``response`` is an unsaved copy holding that day's owner,
    status, RAG and due date (its display methods work; never save it)."""

    response: Response
    update: Update | None
    evidence: tuple[Evidence, ...]


def end_of_day(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` in England, as an aware datetime.

    >>> end_of_day(dt.date(2022, 3, 31)).isoformat()
    '2022-04-01T00:00:00+01:00'
    """
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=LONDON)


def _value(field: str, text: str) -> str | dt.date | None:
    if field == "due":
        return dt.date.fromisoformat(text) if text else None
    return text


def replay(response: Response, later_changes: Iterable[ResponseChange]) -> Response:
    """A copy of ``response`` with every change in ``later_changes`` (those after the day, any
    order) undone."""
    first: dict[str, ResponseChange] = {}
    for change in sorted(later_changes, key=lambda c: (c.changed_at, c.pk)):
        first.setdefault(change.field, change)
    past = copy.copy(response)
    for field in CHANGEABLE_FIELDS:
        if field in first:
            setattr(past, field, _value(field, first[field].old_value))
    return past


def responses_as_at(responses: QuerySet[Response], day: dt.date) -> dict[int, ResponseAsAt]:
    """Every response of ``responses`` as at the end of ``day``, keyed by action id."""
    return responses_at(responses, end_of_day(day))


def responses_at(responses: QuerySet[Response], moment: dt.datetime) -> dict[int, ResponseAsAt]:
    """Every response of ``responses`` as it stood at ``moment`` (aware), keyed by action id.

    An update counts when it describes a day before ``moment`` (in England) and was approved
    before it; so ``responses_at(r, end_of_day(day))`` is ``responses_as_at(r, day)``.
    """
    # TODO: a response created after the moment still appears (Response records no creation
    # time); its first ResponseChange or the audit trail could date it.
    cutoff = moment
    day = (moment - dt.timedelta(microseconds=1)).astimezone(LONDON).date()
    approved = (
        Update.objects.filter(review_state=ReviewState.APPROVED, as_at__lte=day)
        .filter(Q(approval__isnull=True) | Q(approval__approved_at__lt=cutoff))
        .order_by("-as_at", "-created_at", "-id")
    )
    held = Evidence.objects.filter(Q(stored_name="") | Q(added_at__lt=cutoff)).order_by(
        "added_at", "id"
    )
    later = ResponseChange.objects.filter(changed_at__gte=cutoff)
    rows = responses.prefetch_related(
        Prefetch("updates", queryset=approved, to_attr="approved_by_day"),
        Prefetch("evidence", queryset=held, to_attr="evidence_by_day"),
        Prefetch("changes", queryset=later, to_attr="changes_after_day"),
    )
    return {
        r.action_id: ResponseAsAt(
            response=replay(r, r.changes_after_day),
            update=r.approved_by_day[0] if r.approved_by_day else None,
            evidence=tuple(r.evidence_by_day),
        )
        for r in rows
    }
