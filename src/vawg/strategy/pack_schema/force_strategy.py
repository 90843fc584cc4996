"""The force strategy pack: aims, phases, improvement projects and links to national actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from vawg.strategy.pack_schema.checks import _Checker, _describe, _item_name
from vawg.strategy.pack_schema.framework import FrameworkPack
from vawg.strategy.pack_schema.loading import _load_yaml

__all__ = [
    "MILESTONE_STATUSES",
    "PackAim",
    "PackLink",
    "PackMilestone",
    "PackPhase",
    "PackProject",
    "StrategyPack",
    "read_strategy_pack",
]

MILESTONE_STATUSES = ("not_started", "in_progress", "complete")
"""Status of a project milestone (a milestone is done or not: it is never "embedded")."""

STRATEGY_KIND = "force-strategy"


@dataclass(frozen=True)
class PackAim:
    """One strategic aim of a force strategy."""

    id: str
    title: str
    description: str


@dataclass(frozen=True)
class PackPhase:
    """One delivery phase of a force strategy."""

    id: str
    number: int
    title: str
    description: str


@dataclass(frozen=True)
class PackMilestone:
    """One milestone on an improvement project's route map."""

    id: str
    title: str
    due: dt.date | None
    status: str


@dataclass(frozen=True)
class PackProject:
    """One improvement project of a force strategy. ``phase`` and ``aims`` hold ids."""

    id: str
    name: str
    focus: str
    description: str
    phase: str
    aims: tuple[str, ...]
    lead_role: str
    milestones: tuple[PackMilestone, ...]


@dataclass(frozen=True)
class PackLink:
    """The aims and projects through which a force strategy delivers one national action."""

    action: str
    aims: tuple[str, ...]
    projects: tuple[str, ...]


@dataclass(frozen=True)
class StrategyPack:
    """A force's VAWG strategy, built on one edition of the national framework."""

    id: str
    version: int
    force: str
    force_name: str
    title: str
    framework: str
    approved: dt.date
    aims: tuple[PackAim, ...]
    phases: tuple[PackPhase, ...]
    projects: tuple[PackProject, ...]
    links: tuple[PackLink, ...]


# --- Force strategy ----------------------------------------------------------------------------


def read_strategy_pack(path: Path, framework: FrameworkPack) -> StrategyPack:
    """Read and validate a force strategy pack built on ``framework``.

    Checks, besides the shared rules: the pack names ``framework``; phases are numbered 1..n;
    each project's phase and aims exist; milestone statuses come from
    :data:`MILESTONE_STATUSES`; each link names a framework action (at most one link per
    action) with at least one aim, and its aims and projects exist.

    NOTE: a strategy need not link every action; a missing link shows as a gap in the tracker
    rather than stopping the load.

    Raises:
        PackError: the file is missing, not YAML, or breaks a rule.
    """
    path = Path(path)
    check = _Checker(path)
    data = check.mapping(
        _load_yaml(path),
        "pack",
        required=(
            "id",
            "kind",
            "version",
            "force",
            "force_name",
            "framework",
            "title",
            "approved",
            "aims",
            "phases",
            "projects",
            "links",
        ),
    )

    check.expect(data, "kind", "pack", STRATEGY_KIND)
    check.expect(data, "framework", "pack", framework.id)
    pack_id = check.slug(data, "id", "pack")
    check.claim_id(pack_id, "pack")

    aims = tuple(
        _read_aim(check, raw, _item_name("aim", raw, "id", position))
        for position, raw in enumerate(check.sequence(data, "aims", "pack", min_items=1), 1)
    )
    phases = tuple(
        _read_phase(check, raw, _item_name("phase", raw, "id", position), position)
        for position, raw in enumerate(check.sequence(data, "phases", "pack", min_items=1), 1)
    )
    aim_ids = [aim.id for aim in aims]
    phase_ids = [phase.id for phase in phases]
    projects = tuple(
        _read_project(
            check,
            raw,
            _item_name("project", raw, "id", position),
            aim_ids=aim_ids,
            phase_ids=phase_ids,
        )
        for position, raw in enumerate(check.sequence(data, "projects", "pack"), 1)
    )
    links = _read_links(
        check,
        check.sequence(data, "links", "pack"),
        framework=framework,
        aim_ids=aim_ids,
        project_ids=[project.id for project in projects],
    )

    return StrategyPack(
        id=pack_id,
        version=check.positive_int(data, "version", "pack"),
        force=check.slug(data, "force", "pack"),
        force_name=check.text(data, "force_name", "pack"),
        title=check.text(data, "title", "pack"),
        framework=framework.id,
        approved=check.date(data, "approved", "pack"),
        aims=aims,
        phases=phases,
        projects=projects,
        links=links,
    )


def _read_aim(check: _Checker, raw: object, item: str) -> PackAim:
    """Read one strategic aim."""
    data = check.mapping(raw, item, required=("id", "title", "description"))
    aim_id = check.slug(data, "id", item)
    check.claim_id(aim_id, item)
    return PackAim(
        id=aim_id,
        title=check.text(data, "title", item),
        description=check.text(data, "description", item),
    )


def _read_phase(check: _Checker, raw: object, item: str, position: int) -> PackPhase:
    """Read one phase, checking phases are numbered 1..n in order."""
    data = check.mapping(raw, item, required=("id", "number", "title", "description"))
    phase_id = check.slug(data, "id", item)
    check.claim_id(phase_id, item)
    number = check.positive_int(data, "number", item)
    if number != position:
        check.fail(
            item,
            f"phases must be numbered 1, 2, 3... in order; found {number} where "
            f"{position} was expected",
        )
    return PackPhase(
        id=phase_id,
        number=number,
        title=check.text(data, "title", item),
        description=check.text(data, "description", item),
    )


def _read_project(
    check: _Checker,
    raw: object,
    item: str,
    *,
    aim_ids: Collection[str],
    phase_ids: Collection[str],
) -> PackProject:
    """Read one improvement project and its milestones."""
    data = check.mapping(
        raw,
        item,
        required=("id", "name", "focus", "description", "phase", "aims", "lead_role"),
        optional=("milestones",),
    )
    project_id = check.slug(data, "id", item)
    check.claim_id(project_id, item)

    phase = data.get("phase")
    if phase not in phase_ids:
        check.fail(
            item,
            f"phase: {_describe(phase)} is not a phase of this strategy; "
            f"expected one of: {', '.join(phase_ids)}",
        )

    milestones = tuple(
        _read_milestone(
            check, raw_milestone, _item_name("milestone", raw_milestone, "id", position)
        )
        for position, raw_milestone in enumerate(check.sequence(data, "milestones", item), 1)
    )
    return PackProject(
        id=project_id,
        name=check.text(data, "name", item),
        focus=check.text(data, "focus", item),
        description=check.text(data, "description", item),
        phase=str(phase),
        aims=check.id_list(data, "aims", item, known=aim_ids, what="aim", min_items=1),
        lead_role=check.text(data, "lead_role", item),
        milestones=milestones,
    )


def _read_milestone(check: _Checker, raw: object, item: str) -> PackMilestone:
    """Read one route-map milestone."""
    data = check.mapping(raw, item, required=("id", "title", "status"), optional=("due",))
    milestone_id = check.slug(data, "id", item)
    check.claim_id(milestone_id, item)
    return PackMilestone(
        id=milestone_id,
        title=check.text(data, "title", item),
        due=check.optional_date(data, "due", item),
        status=check.choice(data, "status", item, MILESTONE_STATUSES),
    )


def _read_links(
    check: _Checker,
    raw_links: Sequence[object],
    *,
    framework: FrameworkPack,
    aim_ids: Collection[str],
    project_ids: Collection[str],
) -> tuple[PackLink, ...]:
    """Read the action links: one per action at most, each with resolvable ids."""
    action_ids = {action.id for action in framework.actions}
    links: dict[str, PackLink] = {}
    for position, raw in enumerate(raw_links, 1):
        item = _item_name("link", raw, "action", position)
        data = check.mapping(raw, item, required=("action", "aims"), optional=("projects",))
        action = data.get("action")
        if action not in action_ids:
            check.fail(
                item,
                f"action: {_describe(action)} is not an action of framework {framework.id}",
            )
        if action in links:
            check.fail(item, f"action {action!r} is linked twice; expected one link per action")
        links[action] = PackLink(
            action=action,
            aims=check.id_list(data, "aims", item, known=aim_ids, what="aim", min_items=1),
            projects=check.id_list(data, "projects", item, known=project_ids, what="project"),
        )
    return tuple(links.values())
