"""The quarterly national return: build it, export it, submit (lock) it, restate it.

``build_return_content`` makes the return from the data held now; ``submit_return`` freezes it
as a ``ReturnSubmission`` (number 0, then 1, 2 ... for restatements, each with a reason);
``return_for_export`` gives the latest submitted snapshot once a quarter is submitted, and the
live content before. The workbook layout and its re-import are in ``workbook``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from vawg.dates import long_datetime
from vawg.errors import VawgError
from vawg.reports.models import ReturnSubmission
from vawg.reports.returns.content import (
    Change,
    Comparison,
    build_return_content,
    compare_quarters,
    content_sha256,
    diff_returns,
    stated_at,
    stated_at_phrase,
    stated_at_text,
)
from vawg.reports.returns.periods import QuarterError, check_quarter, quarter_end
from vawg.reports.returns.workbook import CELL_LIMIT, encode_text
from vawg.strategy.models import Force
from vawg.strategy.responses import today_in_london
from vawg.text import find_forbidden

__all__ = [
    "Change",
    "Comparison",
    "ExportedReturn",
    "QuarterError",
    "SubmissionError",
    "build_return_content",
    "compare_quarters",
    "diff_returns",
    "latest_submission",
    "return_for_export",
    "stated_at",
    "stated_at_phrase",
    "stated_at_text",
    "submit_return",
]

logger = logging.getLogger(__name__)


class SubmissionError(VawgError):
    """A submission refused: nothing changed, no reason for a restatement, quarter not over."""


@dataclass(frozen=True)
class ExportedReturn:
    content: dict[str, Any]
    submission: ReturnSubmission | None
    warnings: list[str] = field(default_factory=list)


def latest_submission(force: Force, quarter: str) -> ReturnSubmission | None:
    """The newest submission (original or restatement) of a quarter, if any."""
    return (
        ReturnSubmission.objects.filter(force=force, quarter=quarter)
        .select_related("submitted_by", "force")
        .order_by("-number")
        .first()
    )


def return_for_export(force: Force, quarter: str) -> ExportedReturn:
    """What an export of ``quarter`` holds: the latest snapshot if submitted, else live data."""
    check_quarter(quarter, today=today_in_london())
    submission = latest_submission(force, quarter)
    content = submission.content if submission else build_return_content(force, quarter)
    return ExportedReturn(content, submission, export_warnings(content))


def export_warnings(content: dict[str, Any]) -> list[str]:
    """What a reader of the workbook should know: narratives split, characters escaped."""
    warnings = []
    for pillar in content["pillars"]:
        for action in pillar["actions"]:
            narrative = action["narrative"]
            encoded = encode_text(narrative)
            if len(encoded.encode("utf-16-le")) // 2 > CELL_LIMIT - 1:
                warnings.append(
                    f"Action {action['number']}: the narrative is longer than one Excel cell "
                    f"holds ({len(narrative):,} characters); it continues in the "
                    "'Narrative (continued)' columns."
                )
            if encoded != narrative:
                warnings.append(
                    f"Action {action['number']}: the narrative holds control characters "
                    "(e.g. pasted from Word); they are written as _xHHHH_ escapes."
                )
    return warnings


def nothing_changed_message(quarter: str, latest: ReturnSubmission, *, now) -> str:
    """Why a submission identical to ``latest`` is refused, and what a return carries: users
    expect an update they just approved to count, but one approved after the as-at moment (or
    dated after it) is not part of the quarter's return."""
    kind = "original" if latest.number == 0 else f"restatement {latest.number}"
    when = long_datetime(timezone.localtime(latest.submitted_at))
    return (
        f"Nothing was submitted: the {quarter} return would be the same as the {kind} "
        f"submitted on {when}. A return states each action as at "
        f"{stated_at_phrase(quarter, now=now)}: its owner, status and RAG then, and the latest "
        "update dated on or before then and approved by then. An update approved or dated "
        "later is not part of it."
    )


def submit_return(
    *, force: Force, quarter: str, user, role: str = "", reason: str = ""
) -> ReturnSubmission:
    """Lock ``quarter``'s return as submitted now, or record a restatement of it.

    The first submission is number 0. Submitting again stores a restatement (number + 1) only
    when the content differs from the latest submission and ``reason`` says why; identical
    content is refused ("nothing changed"). A quarter can be submitted once it has ended.
    Permission (``reports.submit_return``) is the caller's to check.
    """
    check_quarter(quarter, today=today_in_london())
    if (found := find_forbidden(reason or "")) is not None:
        raise SubmissionError(found.message("The reason"))
    if today_in_london() <= quarter_end(quarter):
        raise SubmissionError(f"{quarter} has not ended yet: submit its return after it ends")
    # What was reviewed must be what is sent: the page's preview and every submission (the
    # original and each restatement) state the actions as at the same moment, stated_at.
    now = timezone.now()
    moment = stated_at(quarter, now=now)
    content = build_return_content(force, quarter, at=moment)
    digest = content_sha256(content)
    reason = (reason or "").strip()
    try:
        with transaction.atomic():
            latest = (
                ReturnSubmission.objects.select_for_update()
                .filter(force=force, quarter=quarter)
                .order_by("-number")
                .first()
            )
            if latest is not None and latest.sha256 == digest:
                raise SubmissionError(nothing_changed_message(quarter, latest, now=now))
            if latest is not None and not reason:
                raise SubmissionError(
                    f"The {quarter} return was already submitted: give the reason for this "
                    "restatement"
                )
            submission = ReturnSubmission.objects.create(
                force=force,
                quarter=quarter,
                number=0 if latest is None else latest.number + 1,
                submitted_at=now,
                submitted_by=user if getattr(user, "pk", None) else None,
                submitted_by_role=role,
                reason=reason if latest is not None else "",
                content=content,
                sha256=digest,
            )
    except IntegrityError as exc:
        # Two submissions at once took the same number: the second is refused, not merged.
        raise SubmissionError(
            f"Someone else submitted the {quarter} return at the same moment; reload and check"
        ) from exc
    logger.info(
        "return submitted: force %s, quarter %s, number %d, sha256 %s",
        force.slug,
        quarter,
        submission.number,
        digest[:12],
    )
    return submission
