"""Writes for governance: loading the boards pack and acknowledging updates.

Every function here is the one way its change happens, whatever calls it (a page, the CLI, a
test), so the rules (validation, idempotence, who may acknowledge what) live in one place.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from vawg.errors import VawgError
from vawg.governance.models import Board, UpdateAcknowledgement
from vawg.governance.pack import GovernancePack, PackError, read_governance_pack
from vawg.strategy.models import Force, ImprovementProject, Pillar, ReviewState, Update
from vawg.strategy.selectors import current_strategy
from vawg.text import find_forbidden

logger = logging.getLogger(__name__)

PACK_DIR = Path(__file__).resolve().parent / "packs"
DEFAULT_GOVERNANCE_PACK = PACK_DIR / "cambridgeshire-governance.yaml"

MAX_COMMENT = 2000
"""Longest acknowledgement comment, in characters."""


@dataclass(frozen=True)
class GovernanceLoadSummary:
    """What loading a governance pack changed."""

    force: str
    created: int
    updated: int
    retired: int


def load_governance_pack(path: Path | str = DEFAULT_GOVERNANCE_PACK) -> GovernanceLoadSummary:
    """Validate a governance pack, then write its boards in one transaction.

    Boards are matched by (force, stable id) and updated in place, so loading the same pack
    twice changes nothing. A board the pack no longer lists is marked inactive, not deleted.
    The force and its strategy must already be loaded: the pack's project and pillar ids are
    checked against them and a PackError names the board that refers to a missing one.
    """
    pack = read_governance_pack(path)
    force = Force.objects.filter(slug=pack.force).first()
    if force is None:
        raise PackError(
            pack.path, "pack", f"force {pack.force!r} is not loaded; load its strategy pack first"
        )
    projects, pillars = _resolve_scrutiny(pack, force)
    created = updated = 0
    with transaction.atomic():
        boards: dict[str, Board] = {}
        for position, item in enumerate(pack.boards, start=1):
            board, was_created = Board.objects.update_or_create(
                force=force,
                code=item.id,
                defaults={
                    "position": position,
                    "name": item.name,
                    "kind": item.kind,
                    "cadence": item.cadence,
                    "chair_role": item.chair_role,
                    "papers_due_days_before": item.papers_due_days_before,
                    "note": item.note,
                    "active": True,
                    # reports_to is set in a second pass, once every board of the pack exists.
                },
            )
            board.projects.set([projects[code] for code in item.projects])
            board.pillars.set([pillars[code] for code in item.pillars])
            boards[item.id] = board
            created += was_created
            updated += not was_created
        for item in pack.boards:
            board = boards[item.id]
            target = boards[item.reports_to] if item.reports_to is not None else None
            # Saved only when it differs, so reloading the same pack leaves no trail events.
            if board.reports_to_id != (target.pk if target else None):
                board.reports_to = target
                board.save(update_fields=["reports_to"])
        # One save per board rather than update(): update() sends no signals, and a board
        # dropped from the governance calendar must show in the audit trail.
        retired = 0
        for board in Board.objects.filter(force=force, active=True).exclude(code__in=boards):
            board.active = False
            board.save(update_fields=["active"])
            retired += 1
    logger.info(
        "governance pack %s v%d loaded for %s: %d boards new, %d updated, %d retired",
        pack.id,
        pack.version,
        force.slug,
        created,
        updated,
        retired,
    )
    return GovernanceLoadSummary(force.slug, created, updated, retired)


def _resolve_scrutiny(
    pack: GovernancePack, force: Force
) -> tuple[dict[str, ImprovementProject], dict[str, Pillar]]:
    strategy = current_strategy(force)
    projects = {project.code: project for project in strategy.projects.all()} if strategy else {}
    pillars = (
        {pillar.code: pillar for pillar in strategy.framework.pillars.all()} if strategy else {}
    )
    for item in pack.boards:
        for code in item.projects:
            if code not in projects:
                raise PackError(
                    pack.path,
                    f"board {item.id}",
                    f"scrutinises project {code!r}, which {force.slug}'s strategy does not "
                    f"have (known: {', '.join(sorted(projects)) or 'none'})",
                )
        for code in item.pillars:
            if code not in pillars:
                raise PackError(
                    pack.path,
                    f"board {item.id}",
                    f"scrutinises pillar {code!r}, which {force.slug}'s framework does not "
                    f"have (known: {', '.join(sorted(pillars)) or 'none'})",
                )
    return projects, pillars


class AcknowledgementError(VawgError):
    """An acknowledgement the rules do not allow; the message says why."""


def acknowledge_update(
    *, update: Update, reviewer, comment: str = ""
) -> tuple[UpdateAcknowledgement, bool]:
    """Record that ``reviewer`` has read and accepted ``update``; return it and whether it is new.

    Idempotent: acknowledging again returns the first acknowledgement unchanged (its time and
    comment stand, as the record of when the review happened). Refused with
    AcknowledgementError for a reviewer's own update, one not approved, or an over-long comment.

    Who may review is decided where the request arrives: the acknowledge page is open only to
    readers of the whole tracker (``vawg.accounts.access``), so partners cannot acknowledge.
    """
    # TODO: limit reviewers to those the governance data names for a board that scrutinises
    # the update's action (its chair_role, held through RoleAssignment), not any reader.
    if reviewer is None or not getattr(reviewer, "is_authenticated", False):
        raise AcknowledgementError("Only a signed-in reviewer can acknowledge an update.")
    if update.author_id is not None and update.author_id == reviewer.pk:
        # Review means a second pair of eyes: an author acknowledging their own words adds none.
        raise AcknowledgementError("You cannot acknowledge your own update.")
    if update.review_state != ReviewState.APPROVED:
        # Only approved updates go into a board paper: acknowledging text that may yet be
        # sent back would record a review of words the board never receives.
        raise AcknowledgementError(
            "This update has not been approved yet. Only approved updates go to the boards, "
            "so it can be acknowledged once it is approved."
        )
    if (found := find_forbidden(comment or "")) is not None:
        raise AcknowledgementError(found.message("The comment"))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise AcknowledgementError(
            f"The comment must be {MAX_COMMENT} characters or fewer (it has {len(comment)})."
        )
    with transaction.atomic():
        acknowledgement, created = UpdateAcknowledgement.objects.get_or_create(
            update=update, reviewer=reviewer, defaults={"comment": comment}
        )
    if created:
        logger.info("update %d acknowledged by user %d", update.pk, reviewer.pk)
    return acknowledgement, created
