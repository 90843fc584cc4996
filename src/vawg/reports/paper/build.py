"""Build the board paper's content from the database: ``build_paper`` returns a ``Paper``.

Everything the paper says comes from data: the framework and strategy packs, the force's
responses as they stood at the end of the paper date (owner, status, RAG and due date replayed
from their change history, the latest update approved by then, the evidence then held: see
``vawg.strategy.history``), metric observations for the paper's month, the ready reckoner and
the governance boards. The wording is the tracker's own;
no figure is typed into a template. The renderers (``pdf``, ``docx``) only lay the content out.

The paper's month is the latest complete calendar month before the paper date (a paper dated
26 April 2022 reports March 2022), or the latest month held before it when none of its
figures has been imported yet (the paper says so). An update counts when it describes a date
on or before the paper date and was approved by the end of it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from vawg.dates import planning_span
from vawg.metrics.models import Metric, Observation, ReckonerPublication
from vawg.metrics.reckoner import available_months, build_reckoner, row_as_dict
from vawg.reports.paper.appendix import charts_appendix, reckoner_appendix
from vawg.reports.paper.content import (
    BulletList,
    Cover,
    Paper,
    Paragraph,
    Section,
    Table,
    long_date,
)
from vawg.reports.paper.context import (
    RAG_WORDS,
    ActionMetrics,
    PaperContext,
    PaperError,
    figures_month,
    is_generated,
    paper_month,
    read_action_metrics,
)
from vawg.reports.paper.figures import Point, metric_sentence, month_label, number_words
from vawg.reports.paper.governance import governance_section
from vawg.strategy.history import end_of_day, responses_as_at
from vawg.strategy.models import (
    Evidence,
    Force,
    ImprovementProject,
    Response,
    Status,
    Update,
)
from vawg.strategy.responses import today_in_london
from vawg.strategy.selectors import current_framework, current_strategy

__all__ = ["DEFAULT_FROM_ROLE", "PaperError", "build_paper", "is_generated", "paper_month"]

logger = logging.getLogger(__name__)

#: The role the paper names as its author and first contact unless told otherwise.
DEFAULT_FROM_ROLE = "Chief Constable"


# --- The paper ------------------------------------------------------------------------------


def build_paper(
    force: Force,
    *,
    board: str,
    as_at: dt.date,
    agenda_item: str = "",
    draft: bool = False,
    from_role: str = DEFAULT_FROM_ROLE,
    contact_roles: tuple[str, ...] = (),
) -> Paper:
    """The board paper for ``force`` as at ``as_at``, addressed to ``board``.

    ``draft`` adds what is still owed to that board, by the governance calendar's rule and
    its cadence (``vawg.governance.selectors.owed_updates`` as at the start of the paper
    date, so the draft and the "what's owed" page agree), with each owner role and papers
    deadline; and every action with no response at all. A board the governance records do
    not hold is owed what any board is owed, and the draft says so. ``contact_roles``
    defaults to the role that owns most responses. Roles only: the paper names no person
    unless a user typed a name into one of these arguments. ``as_at`` must be in
    ``vawg.dates.planning_span`` (from 2000 to a year after today).
    """
    problem = planning_span(today_in_london()).problem(as_at, "The date of the paper")
    if problem:
        raise PaperError(f"{problem} (given {long_date(as_at)})")
    framework = current_framework(force)
    strategy = current_strategy(force)
    if framework is None or strategy is None:
        raise PaperError(
            f"{force.name} has no framework or strategy loaded: run `vawg load-packs` first"
        )
    complete_month = paper_month(as_at)
    month = figures_month(available_months(force), complete_month)
    mapping = read_action_metrics()
    responses = _responses(force, framework, as_at)
    pillars = list(framework.pillars.prefetch_related("actions").order_by("number"))
    projects = list(
        strategy.projects.select_related("phase").prefetch_related("milestones", "aims")
    )
    owed_to_board = _owed_to_board(force, board, as_at) if draft else None
    owed = _owed(responses, pillars, owed_to_board) if owed_to_board is not None else []
    context = _context(
        force,
        as_at,
        (month, complete_month),
        draft,
        owed_to_board.by_action if owed_to_board else {},
        mapping,
    )

    sections = [
        _purpose(context, board, framework, strategy),
        _recommendation(board, draft, owed, owed_to_board),
        _national_overview(framework, strategy, pillars),
        _local_overview(strategy, projects),
        _progress(context, pillars, responses),
        governance_section(context),
    ]
    appendix = [reckoner_appendix(context), charts_appendix(context)]
    roles = contact_roles or _main_owner_role(responses)
    cover = Cover(
        force_name=force.name,
        board=board,
        date=as_at,
        agenda_item=agenda_item,
        title=(
            f"{force.name}: delivering the national framework on violence against women and girls"
        ),
        from_role=from_role,
        contact_roles=tuple(roles),
        draft=draft,
        data_note=(
            "Figures marked “generated demo data” come from invented records made for the "
            "demonstration, shaped to follow a real force's published figures; they describe "
            "no real person or case."
            if context.generated_used
            else ""
        ),
    )
    logger.info(
        "paper built: force %s, board %r, as at %s, month %s, %d actions",
        force.slug,
        board,
        as_at.isoformat(),
        month,
        sum(len(p.actions.all()) for p in pillars),
    )
    return Paper(
        cover=cover,
        sections=tuple(sections),
        appendix=tuple(appendix),
        owed=tuple(owed),
        notes=(
            (f"Its figures are for {_figures_month_words(context)}.",)
            if context.month != context.complete_month
            else ()
        ),
    )


def _context(
    force: Force,
    as_at: dt.date,
    months: tuple[str, str],
    draft: bool,
    owed: dict[int, str],
    mapping: ActionMetrics,
) -> PaperContext:
    month, complete_month = months
    metrics = {m.code: m for m in Metric.objects.all()}
    wanted = {spec.metric for specs in mapping.specs.values() for spec in specs}
    series: dict[int, list[Point]] = {}
    for observation in Observation.objects.filter(
        force=force, period__lte=month, metric__code__in=wanted
    ).order_by("period"):
        series.setdefault(observation.metric_id, []).append(
            Point(
                observation.period,
                observation.value,
                observation.numerator,
                observation.denominator,
            )
        )
    reckoner = build_reckoner(force, month)
    publication = ReckonerPublication.objects.filter(force=force, month=month).first()
    # The board reads a published month as it was published; otherwise as the data stand.
    rows = list(publication.rows) if publication else [row_as_dict(r) for r in reckoner.rows]
    return PaperContext(
        force=force,
        as_at=as_at,
        month=month,
        complete_month=complete_month,
        draft=draft,
        owed=owed,
        mapping=mapping,
        metrics=metrics,
        series=series,
        reckoner_rows=rows,
        ratings={row.metric.code: row for row in reckoner.rows},
        published_at=publication.published_at if publication else None,
    )


@dataclass(frozen=True)
class _ResponseView:
    response: Response
    update: Update | None
    evidence: tuple[Evidence, ...]
    projects: tuple[ImprovementProject, ...]


def _responses(force: Force, framework, as_at: dt.date) -> dict[int, _ResponseView]:
    """Each response as it stood at the end of the paper date (see vawg.strategy.history)."""
    responses = (
        Response.objects.filter(force=force, action__pillar__framework=framework)
        .select_related("action__pillar")
        .prefetch_related(
            Prefetch(
                "action__projects",
                queryset=ImprovementProject.objects.filter(strategy__force=force).order_by(
                    "position"
                ),
            ),
        )
    )
    return {
        action_id: _ResponseView(
            response=past.response,
            update=past.update,
            evidence=past.evidence,
            projects=tuple(past.response.action.projects.all()),
        )
        for action_id, past in responses_as_at(responses, as_at).items()
    }


@dataclass(frozen=True)
class _OwedToBoard:
    """What the governance calendar says is owed to the paper's board at the paper date."""

    board_known: bool
    by_action: dict[int, str]  # action id -> "update owed by <role> by <deadline> (...)"


def _owed_to_board(force: Force, board_name: str, as_at: dt.date) -> _OwedToBoard:
    from vawg.governance.selectors import board_named, owed_updates

    board = board_named(force, board_name)
    # The start of the paper date: an item is overdue when its deadline passed before it.
    now = end_of_day(as_at - dt.timedelta(days=1))
    by_action = {}
    for item in owed_updates(force, now=now, board=board):
        last = (
            f"last update {long_date(item.latest_update.as_at)}"
            if item.latest_update
            else "no update yet"
        )
        overdue = ", overdue" if item.overdue else ""
        by_action[item.response.action_id] = (
            f"update owed by {item.owner_role} by {long_date(item.due_by)} ({last}{overdue})"
        )
    return _OwedToBoard(board_known=board is not None, by_action=by_action)


def _owed(responses: dict[int, _ResponseView], pillars, owed: _OwedToBoard) -> list[str]:
    lines = []
    for pillar in pillars:
        for action in pillar.actions.all():
            if action.pk not in responses:
                lines.append(f"Action {action.number}: no response recorded")
            elif action.pk in owed.by_action:
                lines.append(f"Action {action.number}: {owed.by_action[action.pk]}")
    return lines


def _main_owner_role(responses: dict[int, _ResponseView]) -> tuple[str, ...]:
    counts = Counter(view.response.owner_role for view in responses.values())
    return (counts.most_common(1)[0][0],) if counts else ()


# --- Sections 1 to 4 ------------------------------------------------------------------------


def _purpose(context: PaperContext, board: str, framework, strategy) -> Section:
    blocks: list[Any] = [
        Paragraph(
            f"This paper tells the {board} how {context.force.name} is delivering the "
            f"{framework.title} through its own strategy on violence against women and girls "
            f"(VAWG), as at {long_date(context.as_at)}."
        ),
        Paragraph(
            "The VAWG Tracker produced it from the force's records: for each national action, "
            f"the latest narrative update approved by {long_date(context.as_at)}, and metric "
            f"figures for {_figures_month_words(context)}."
        ),
    ]
    return Section("1.", "Purpose", tuple(blocks))


def _figures_month_words(context: PaperContext) -> str:
    month = month_label(context.month)
    if context.month == context.complete_month:
        return f"{month}, the latest complete month"
    # Said in the paper itself, so a board reading old figures knows they are old.
    return (
        f"{month}, the latest month the tracker holds: none have been imported yet for "
        f"{month_label(context.complete_month)}, the latest complete month"
    )


def _recommendation(
    board: str, draft: bool, owed: list[str], owed_to_board: _OwedToBoard | None
) -> Section:
    blocks: list[Any] = [Paragraph(f"The {board} is asked to note this paper.")]
    if draft:
        if owed_to_board is not None and not owed_to_board.board_known:
            blocks.append(
                Paragraph(
                    f"The governance records hold no board called the {board}, so this lists "
                    "what is owed to any board.",
                    lead="Draft.",
                    style="owed",
                )
            )
        if owed:
            blocks.append(
                Paragraph(
                    f"{number_words(len(owed)).capitalize()} action"
                    f"{'s' if len(owed) != 1 else ''} still owe an update before "
                    "this paper can be final:",
                    lead="Draft.",
                    style="owed",
                )
            )
            blocks.append(BulletList(tuple(owed)))
        else:
            blocks.append(
                Paragraph(f"No action owes the {board} an update.", lead="Draft.", style="owed")
            )
    return Section("2.", "Recommendation", tuple(blocks))


def _national_overview(framework, strategy, pillars) -> Section:
    total = sum(len(pillar.actions.all()) for pillar in pillars)
    blocks: list[Any] = [
        Paragraph(
            f"The {framework.publisher} published “{framework.title}” on "
            f"{long_date(framework.published)}. It asks every force to meet {total} numbered "
            f"actions under {number_words(len(pillars))} pillars:"
        ),
        BulletList(
            tuple(
                f"Pillar {p.number}, {p.title} ({len(p.actions.all())} actions)"
                + (f": {p.summary.strip()}" if p.summary else "")
                for p in pillars
            )
        ),
        Paragraph(
            f"The force answers it through “{strategy.title}”, approved on "
            f"{long_date(strategy.approved)}. Section 5 reports progress against each action."
        ),
    ]
    return Section("3.", "National overview", tuple(blocks))


def _local_overview(strategy, projects: list[ImprovementProject]) -> Section:
    aims = list(strategy.aims.order_by("position"))
    phases = list(strategy.phases.order_by("number"))
    rows = []
    for project in projects:
        milestones = list(project.milestones.all())
        done = sum(m.status in (Status.COMPLETE, Status.EMBEDDED) for m in milestones)
        upcoming = sorted(
            (m for m in milestones if m.status not in (Status.COMPLETE, Status.EMBEDDED) and m.due),
            key=lambda m: m.due,
        )
        rows.append(
            (
                project.name,
                project.focus,
                project.lead_role,
                f"{done} of {len(milestones)} complete",
                f"{upcoming[0].title} ({long_date(upcoming[0].due)})" if upcoming else "–",
            )
        )
    subsections = [
        Section(
            "4.1",
            "Strategic aims",
            (
                Paragraph(f"The strategy has {number_words(len(aims))} aims:"),
                BulletList(tuple(f"{a.title}: {a.description.strip()}" for a in aims)),
            ),
            level=2,
        ),
        Section(
            "4.2",
            "Phases of delivery",
            (
                BulletList(
                    tuple(f"Phase {p.number}, {p.title}: {p.description.strip()}" for p in phases)
                ),
            ),
            level=2,
        ),
        Section(
            "4.3",
            "Improvement projects",
            (
                Paragraph(
                    f"{number_words(len(projects)).capitalize()} improvement projects carry the "
                    "development phase, each with a route map of milestones and a lead role:"
                ),
                BulletList(tuple(f"{p.name}: {p.focus.lower()}" for p in projects)),
                Table(
                    caption="Improvement projects and their route maps",
                    header=("Project", "Focus", "Lead role", "Milestones", "Next milestone due"),
                    rows=tuple(rows),
                    widths=(1.1, 1.4, 1.8, 1.0, 2.4),
                ),
            ),
            level=2,
        ),
    ]
    return Section("4.", "Local overview", tuple(subsections))


# --- Section 5: progress --------------------------------------------------------------------


def _progress(context: PaperContext, pillars, responses: dict[int, _ResponseView]) -> Section:
    summary_rows = []
    for pillar in pillars:
        views = [responses.get(a.pk) for a in pillar.actions.all()]
        statuses = Counter(v.response.status for v in views if v)
        rags = Counter(v.response.rag for v in views if v)
        summary_rows.append(
            (
                f"{pillar.number}. {pillar.title}",
                str(len(views)),
                str(statuses.get(Status.COMPLETE, 0) + statuses.get(Status.EMBEDDED, 0)),
                str(statuses.get(Status.IN_PROGRESS, 0)),
                str(statuses.get(Status.NOT_STARTED, 0)),
                str(rags.get("green", 0)),
                str(rags.get("amber", 0)),
                str(rags.get("red", 0)),
            )
        )
    blocks: list[Any] = [
        Paragraph(
            "Each action below shows its owner (a role), status, delivery RAG and due date, the "
            f"latest approved update as at {long_date(context.as_at)} with its date, and the "
            "figures of the metrics that measure it."
        ),
        Table(
            caption=f"Actions by status and delivery RAG, {long_date(context.as_at)}",
            header=(
                "Pillar",
                "Actions",
                "Complete or embedded",
                "In progress",
                "Not started",
                "Green",
                "Amber",
                "Red",
            ),
            rows=tuple(summary_rows),
            widths=(3.0, 0.8, 1.1, 0.9, 0.9, 0.7, 0.7, 0.6),
            numeric_columns=(1, 2, 3, 4, 5, 6, 7),
        ),
    ]
    for pillar in pillars:
        actions = [
            _action_section(context, pillar, action, responses.get(action.pk))
            for action in pillar.actions.all()
        ]
        blocks.append(
            Section(
                f"5.{pillar.number}",
                f"Pillar {pillar.number}: {pillar.title}",
                tuple(actions),
                level=2,
            )
        )
    return Section("5.", "Progress against the national framework", tuple(blocks))


def _action_section(context: PaperContext, pillar, action, view: _ResponseView | None) -> Section:
    number = f"5.{pillar.number}.{action.position}"
    title = f"Action {action.number}: {action.title}"
    if view is None:
        return Section(
            number,
            title,
            (Paragraph("The force has recorded no response to this action.", style="owed"),),
            level=3,
        )
    response = view.response
    facts = (
        f"Owner: {response.owner_role}. Status: {response.get_status_display()}. Delivery "
        f"RAG: {response.get_rag_display()}."
        + (f" Due {long_date(response.due)}." if response.due else "")
    )
    blocks: list[Any] = [Paragraph(facts, style="facts")]
    if view.update is not None:
        blocks.append(
            Paragraph(
                view.update.text.strip(),
                lead=f"Update of {long_date(view.update.as_at)}:",
            )
        )
    else:
        blocks.append(
            Paragraph(f"No approved update as at {long_date(context.as_at)}.", style="owed")
        )
    if context.draft and action.pk in context.owed:
        blocks.append(Paragraph(f"{context.owed[action.pk]}.", lead="Draft:", style="owed"))
    for spec in context.mapping.specs.get(action.code, ()):
        metric = context.metrics.get(spec.metric)
        if metric is None:
            blocks.append(
                Paragraph(
                    f"Metric {spec.metric} is not in the catalogue, so no figure is given.",
                    style="note",
                )
            )
            continue
        sentence = metric_sentence(
            spec, context.facts(metric), context.series.get(metric.pk, []), context.month
        )
        blocks.append(Paragraph(sentence, style="figure"))
    if view.projects:
        blocks.append(Paragraph(_projects_line(context, view.projects), style="note"))
    if view.evidence:
        blocks.append(
            Paragraph(
                "; ".join(e.title for e in view.evidence) + ".",
                lead="Evidence held:",
                style="note",
            )
        )
    return Section(number, title, tuple(blocks), level=3)


def _projects_line(context: PaperContext, projects: tuple[ImprovementProject, ...]) -> str:
    parts = []
    for project in projects:
        rags = Counter(r["rag"] for r in context.reckoner_rows if r["group"] == project.code)
        if not rags:
            parts.append(f"{project.name} (no metrics in the ready reckoner)")
            continue
        counts = ", ".join(
            f"{rags[key]} {RAG_WORDS[key].lower()}"
            for key in ("red", "amber", "green", "grey")
            if rags.get(key)
        )
        parts.append(f"{project.name} ({sum(rags.values())} metrics: {counts})")
    return (
        f"Measured through {', '.join(parts)} in the ready reckoner for "
        f"{month_label(context.month)} (Appendix A)."
    )
