"""Loading validated packs into the database, safely repeatable.

Reference data (the framework, the strategy's aims, phases and projects) follows the pack:
loading a newer pack updates titles and descriptions in place, keyed by stable codes. The
force's own work (responses, milestones' progress, updates, evidence) is only ever created
from a pack, never overwritten, so a reload cannot undo what a user has changed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from vawg.strategy.models import (
    Action,
    Aim,
    Evidence,
    Force,
    Framework,
    ImprovementProject,
    Milestone,
    Phase,
    Pillar,
    Response,
    ReviewState,
    Strategy,
    Update,
)
from vawg.strategy.pack_schema import (
    FrameworkPack,
    ResponsesPack,
    StrategyPack,
    read_framework_pack,
    read_responses_pack,
    read_strategy_pack,
)

logger = logging.getLogger(__name__)

PACK_DIR = Path(__file__).resolve().parent / "packs"
DEFAULT_FRAMEWORK = PACK_DIR / "npcc-vawg-2021.yaml"
DEFAULT_STRATEGY = PACK_DIR / "cambridgeshire-strategy.yaml"
DEMO_RESPONSES = Path(__file__).resolve().parent.parent / "demo" / "responses.yaml"


@dataclass(frozen=True)
class LoadSummary:
    actions: int
    projects: int
    responses_created: int
    updates_created: int


def load_packs(
    framework_path: Path = DEFAULT_FRAMEWORK,
    strategy_path: Path = DEFAULT_STRATEGY,
    responses_path: Path | None = None,
) -> LoadSummary:
    """Validate all packs first, then write them in one transaction."""
    framework = read_framework_pack(framework_path)
    strategy = read_strategy_pack(strategy_path, framework)
    responses = read_responses_pack(responses_path, framework, strategy) if responses_path else None
    with transaction.atomic():
        actions = _store_framework(framework)
        force, projects = _store_strategy(strategy, actions)
        created, updates = _store_responses(responses, force, actions) if responses else (0, 0)
    summary = LoadSummary(len(actions), projects, created, updates)
    logger.info(
        "packs loaded: framework %s (%d actions), strategy %s, %d responses and %d updates new",
        framework.id,
        summary.actions,
        strategy.id,
        summary.responses_created,
        summary.updates_created,
    )
    return summary


def _store_framework(pack: FrameworkPack) -> dict[str, Action]:
    framework, _ = Framework.objects.update_or_create(
        code=pack.id,
        defaults={
            "version": pack.version,
            "title": pack.title,
            "publisher": pack.publisher,
            "published": pack.published,
            "source_note": pack.source_note,
        },
    )
    actions: dict[str, Action] = {}
    for pillar_pack in pack.pillars:
        pillar, _ = Pillar.objects.update_or_create(
            code=pillar_pack.id,
            defaults={
                "framework": framework,
                "number": pillar_pack.number,
                "title": pillar_pack.title,
                "summary": pillar_pack.summary,
            },
        )
        for position, action_pack in enumerate(pillar_pack.actions, start=1):
            action, _ = Action.objects.update_or_create(
                code=action_pack.id,
                defaults={
                    "pillar": pillar,
                    "number": action_pack.number,
                    "position": position,
                    "title": action_pack.title,
                    "description": action_pack.description,
                },
            )
            actions[action.code] = action
    return actions


def _store_strategy(pack: StrategyPack, actions: dict[str, Action]) -> tuple[Force, int]:
    force, _ = Force.objects.update_or_create(slug=pack.force, defaults={"name": pack.force_name})
    strategy, _ = Strategy.objects.update_or_create(
        code=pack.id,
        defaults={
            "version": pack.version,
            "force": force,
            "framework": Framework.objects.get(code=pack.framework),
            "title": pack.title,
            "approved": pack.approved,
        },
    )
    aims = {}
    for position, aim_pack in enumerate(pack.aims, start=1):
        aims[aim_pack.id], _ = Aim.objects.update_or_create(
            strategy=strategy,
            code=aim_pack.id,
            defaults={
                "position": position,
                "title": aim_pack.title,
                "description": aim_pack.description,
            },
        )
    phases = {}
    for phase_pack in pack.phases:
        phases[phase_pack.id], _ = Phase.objects.update_or_create(
            strategy=strategy,
            code=phase_pack.id,
            defaults={
                "number": phase_pack.number,
                "title": phase_pack.title,
                "description": phase_pack.description,
            },
        )
    projects = {}
    for position, project_pack in enumerate(pack.projects, start=1):
        project, _ = ImprovementProject.objects.update_or_create(
            strategy=strategy,
            code=project_pack.id,
            defaults={
                "position": position,
                "name": project_pack.name,
                "focus": project_pack.focus,
                "description": project_pack.description,
                "phase": phases[project_pack.phase],
                "lead_role": project_pack.lead_role,
            },
        )
        project.aims.set([aims[code] for code in project_pack.aims])
        for index, milestone in enumerate(project_pack.milestones, start=1):
            # Progress on a milestone is the force's to record: create, never overwrite.
            Milestone.objects.get_or_create(
                project=project,
                code=milestone.id,
                defaults={
                    "position": index,
                    "title": milestone.title,
                    "due": milestone.due,
                    "status": milestone.status,
                },
            )
        projects[project_pack.id] = project

    # .set() changes only the links that differ: clearing and re-adding wrote a removal and
    # an addition to the audit trail for every link on every `vawg init`, burying real changes.
    aim_links: dict[str, list[Action]] = {code: [] for code in aims}
    project_links: dict[str, list[Action]] = {code: [] for code in projects}
    for link in pack.links:
        action = actions[link.action]
        for code in link.aims:
            aim_links[code].append(action)
        for code in link.projects:
            project_links[code].append(action)
    for code, aim in aims.items():
        aim.actions.set(aim_links[code])
    for code, project in projects.items():
        project.actions.set(project_links[code])
    return force, len(projects)


def _store_responses(
    pack: ResponsesPack, force: Force, actions: dict[str, Action]
) -> tuple[int, int]:
    responses_created = updates_created = 0
    for response_pack in pack.responses:
        response, created = Response.objects.get_or_create(
            force=force,
            action=actions[response_pack.action],
            defaults={
                "owner_role": response_pack.owner_role,
                "status": response_pack.status,
                "rag": response_pack.rag,
                "due": response_pack.due,
            },
        )
        responses_created += created
        for evidence in response_pack.evidence:
            Evidence.objects.get_or_create(
                response=response, url=evidence.url, defaults={"title": evidence.title}
            )
        for index, update in enumerate(response_pack.updates, start=1):
            _, created = Update.objects.get_or_create(
                response=response,
                pack_key=f"{pack.id}:{index}",
                defaults={
                    "as_at": update.date,
                    "text": update.text,
                    "author_role": update.author_role,
                    "review_state": ReviewState.APPROVED,
                },
            )
            updates_created += created
    return responses_created, updates_created
