"""Reads for governance: the meeting calendar, what updates are owed, returns due each quarter.

Every function takes the force and the moment ("now", an aware datetime) or London date it
answers for, so results never depend on the server's clock or time zone, and returns frozen
dataclasses with related rows already fetched. Nothing here writes.

The rule for "owed": a board scrutinises the responses to the national actions in its pillars
and those linked to its improvement projects. A response owes that board an update when its
latest approved update describes a date before the board's previous meeting (or it has
none): nothing new has been said since the board last met. Only approved updates go into a
board paper, so one submitted but not yet approved leaves the update owed (it is shown as
awaiting approval). The update is owed by the
response's owner role before the next meeting less the board's papers lead time, and is
overdue from 00:00 London time the day after that. Complete and embedded responses owe nothing.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from vawg.governance.calendar import (
    is_overdue,
    london_date,
    meetings_between,
    next_meeting,
    next_meetings,
    previous_meeting,
    quarter_label,
    quarter_reported,
    working_day_on_or_before,
)
from vawg.governance.models import Board, BoardKind, RoleAssignment, UpdateAcknowledgement
from vawg.strategy.models import Force, Response, ReviewState, Status, Update

#: Review states whose updates count as said to a board: only approved ones reach its papers.
COUNTED_STATES = (ReviewState.APPROVED,)

#: Review states listed for board members to read: approved, and submitted ones coming up.
REVIEWED_STATES = (ReviewState.SUBMITTED, ReviewState.APPROVED)

#: Statuses after which a response owes no further narrative.
DONE_STATUSES = (Status.COMPLETE, Status.EMBEDDED)

#: How far ahead the calendar page looks, in months.
CALENDAR_MONTHS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or that month's last day when it is shorter.

    >>> add_months(dt.date(2024, 11, 30), 3)
    datetime.date(2025, 2, 28)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, _stdlib_calendar.monthrange(year, month)[1]))


def _now(now: dt.datetime | None) -> dt.datetime:
    return timezone.now() if now is None else now


def _active_boards(force: Force) -> QuerySet[Board]:
    return (
        Board.objects.filter(force=force, active=True)
        .select_related("reports_to")
        .prefetch_related("projects", "pillars")
        .order_by("position")
    )


# --- Calendar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """One meeting of a board and the last day for its papers (updates owed by then).

    The papers deadline is the board's lead time before the meeting, moved back to a working
    day when it falls on a weekend or bank holiday.
    """

    board: Board
    date: dt.date
    papers_due: dt.date


def meeting_of(board: Board, date: dt.date) -> Meeting:
    """A board's meeting on ``date``, with its papers deadline."""
    papers_due = date - dt.timedelta(days=board.papers_due_days_before)
    return Meeting(board, date, working_day_on_or_before(papers_due))


@dataclass(frozen=True)
class BoardCalendar:
    """A board, the meetings it holds in the window shown, and the line it reports up."""

    board: Board
    meetings: tuple[Meeting, ...]
    reporting_line: tuple[Board, ...]

    @property
    def next_meeting(self) -> Meeting | None:
        return self.meetings[0] if self.meetings else None


def _reporting_line(board: Board, by_id: dict[int, Board]) -> tuple[Board, ...]:
    """The boards above ``board``, nearest first (the pack guarantees no loops)."""
    line: list[Board] = []
    current = by_id.get(board.reports_to_id) if board.reports_to_id else None
    while current is not None and current not in line:
        line.append(current)
        current = by_id.get(current.reports_to_id) if current.reports_to_id else None
    return tuple(line)


def board_calendar(
    force: Force, *, today: dt.date, months: int = CALENDAR_MONTHS
) -> list[BoardCalendar]:
    """Each active board with its meetings from ``today`` to ``months`` ahead, in pack order."""
    boards = list(_active_boards(force))
    by_id = {board.pk: board for board in boards}
    end = add_months(today, months)
    return [
        BoardCalendar(
            board=board,
            meetings=tuple(
                meeting_of(board, day) for day in meetings_between(board.cadence, today, end)
            ),
            reporting_line=_reporting_line(board, by_id),
        )
        for board in boards
    ]


@dataclass(frozen=True)
class ReturnDue:
    """One quarterly national return: the quarter it reports, when it is due, papers deadline,
    and whether it has been submitted (a submitted return is never overdue)."""

    board: Board
    year: int
    quarter: int
    due: dt.date
    papers_due: dt.date
    overdue: bool
    submitted: bool = False

    @property
    def quarter_label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def quarter_code(self) -> str:
        """The quarter as returns name it, e.g. ``2022Q1``."""
        return f"{self.year}Q{self.quarter}"


def _submitted_quarters(force: Force, now: dt.datetime) -> set[str]:
    # Imported here: reports builds on governance (the paper's section 6), not the reverse.
    from vawg.reports.models import ReturnSubmission

    return set(
        ReturnSubmission.objects.filter(force=force, submitted_at__lte=now).values_list(
            "quarter", flat=True
        )
    )


def returns_due(force: Force, *, now: dt.datetime | None = None, count: int = 4) -> list[ReturnDue]:
    """The national returns of each national-return board still to do, soonest first: every
    return due in the last ``count`` quarters that was never submitted (overdue), then the
    next ``count`` returns (submitted ones marked so, and not overdue).

    The due date per quarter comes from the board's cadence in the pack; each return reports
    the last calendar quarter that ended before its due date. A return counts as submitted
    once any snapshot of its quarter (the original or a restatement) was submitted by ``now``.
    """
    now = _now(now)
    today = london_date(now)
    submitted = _submitted_quarters(force, now)
    found: list[ReturnDue] = []
    for board in _active_boards(force).filter(kind=BoardKind.NATIONAL_RETURN):
        # TODO: a missed return older than ``count`` quarters drops off the calendar; the
        # governance pack could say when returns began so none is ever forgotten.
        missed: list[dt.date] = []
        before = today
        while len(missed) < count and (due := previous_meeting(board.cadence, before)):
            missed.append(due)
            before = due
        for due in [*reversed(missed), *next_meetings(board.cadence, today, count)]:
            year, quarter = quarter_reported(due)
            done = f"{year}Q{quarter}" in submitted
            if due < today and done:
                continue
            papers_due = meeting_of(board, due).papers_due
            overdue = not done and is_overdue(papers_due, now)
            found.append(ReturnDue(board, year, quarter, due, papers_due, overdue, done))
    return sorted(found, key=lambda item: (item.due, item.board.position))


# --- What is owed ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OwedTo:
    """One board a response owes an update to, and by when."""

    board: Board
    previous_meeting: dt.date | None
    next_meeting: dt.date
    papers_due: dt.date
    overdue: bool


@dataclass(frozen=True)
class OwedUpdate:
    """An update owed by a response's owner role, to one or more boards, soonest first."""

    response: Response
    latest_update: Update | None
    owed_to: tuple[OwedTo, ...]
    #: A submitted update newer than ``latest_update``: still owed until it is approved.
    awaiting_approval: Update | None = None

    @property
    def owner_role(self) -> str:
        return self.response.owner_role

    @property
    def due_by(self) -> dt.date:
        """The earliest papers deadline among the boards owed."""
        return self.owed_to[0].papers_due

    @property
    def overdue(self) -> bool:
        return any(item.overdue for item in self.owed_to)

    def __str__(self) -> str:
        return f"update owed by {self.owner_role} before {self.due_by.isoformat()}"


@dataclass(frozen=True)
class RoleOwed:
    """Everything one owner role owes, soonest first."""

    owner_role: str
    items: tuple[OwedUpdate, ...]

    @property
    def overdue_count(self) -> int:
        return sum(item.overdue for item in self.items)


def _latest_in(states: Iterable[str]) -> Subquery:
    return Subquery(
        Update.objects.filter(response=OuterRef("pk"), review_state__in=list(states))
        .order_by("-as_at", "-created_at", "-id")
        .values("pk")[:1]
    )


def _scrutinised_responses(force: Force, owner_roles: Iterable[str] | None) -> list[Response]:
    responses = (
        Response.objects.filter(force=force)
        .exclude(status__in=DONE_STATUSES)
        .select_related("action__pillar")
        .prefetch_related("action__projects")
        .annotate(
            latest_update_id=_latest_in(COUNTED_STATES),
            latest_submitted_id=_latest_in([ReviewState.SUBMITTED]),
        )
    )
    if owner_roles is not None:
        responses = responses.filter(owner_role__in=list(owner_roles))
    return list(responses)


def board_named(force: Force, name: str) -> Board | None:
    """The force's active board called ``name`` (any letter case) or with that pack id."""
    name = name.strip()
    for board in _active_boards(force):
        if board.name.casefold() == name.casefold() or board.code == name:
            return board
    return None


def owed_updates(
    force: Force,
    *,
    now: dt.datetime | None = None,
    owner_roles: Iterable[str] | None = None,
    board: Board | None = None,
) -> list[OwedUpdate]:
    """Every update owed at ``now`` (default: the present), soonest deadline first.

    ``owner_roles`` limits the list to responses those roles own; ``board`` to what is owed
    to that board (a draft paper to it lists exactly these).
    """
    now = _now(now)
    today = london_date(now)
    responses = _scrutinised_responses(force, owner_roles)
    updates = Update.objects.in_bulk(
        [
            pk
            for r in responses
            for pk in (r.latest_update_id, r.latest_submitted_id)
            if pk is not None
        ]
    )
    owed: dict[int, list[OwedTo]] = defaultdict(list)
    boards = _active_boards(force)
    if board is not None:
        boards = boards.filter(pk=board.pk)
    for scrutiny in boards:
        upcoming = next_meeting(scrutiny.cadence, today)
        if upcoming is None:
            continue
        previous = previous_meeting(scrutiny.cadence, today)
        papers_due = meeting_of(scrutiny, upcoming).papers_due
        entry = OwedTo(scrutiny, previous, upcoming, papers_due, is_overdue(papers_due, now))
        pillar_ids = {pillar.pk for pillar in scrutiny.pillars.all()}
        project_ids = {project.pk for project in scrutiny.projects.all()}
        for response in responses:
            action = response.action
            if action.pillar_id not in pillar_ids and not any(
                project.pk in project_ids for project in action.projects.all()
            ):
                continue
            latest = updates.get(response.latest_update_id)
            if latest is None or (previous is not None and latest.as_at < previous):
                owed[response.pk].append(entry)
    by_pk = {response.pk: response for response in responses}
    items = [
        OwedUpdate(
            response=by_pk[pk],
            latest_update=updates.get(by_pk[pk].latest_update_id),
            owed_to=tuple(sorted(entries, key=lambda e: (e.papers_due, e.board.position))),
            awaiting_approval=_newer(
                updates.get(by_pk[pk].latest_submitted_id),
                updates.get(by_pk[pk].latest_update_id),
            ),
        )
        for pk, entries in owed.items()
    ]
    return sorted(
        items,
        key=lambda item: (
            item.due_by,
            item.response.action.pillar.number,
            item.response.action.position,
        ),
    )


def _newer(submitted: Update | None, approved: Update | None) -> Update | None:
    """``submitted`` if it is later than ``approved`` (an older one changes nothing owed)."""
    if submitted is None or approved is None:
        return submitted

    def order(update: Update) -> tuple:
        return (update.as_at, update.created_at, update.pk)

    return submitted if order(submitted) > order(approved) else None


def owed_by_role(
    force: Force,
    *,
    now: dt.datetime | None = None,
    owner_roles: Iterable[str] | None = None,
) -> list[RoleOwed]:
    """What each owner role owes, roles in alphabetical order, each list soonest first."""
    grouped: dict[str, list[OwedUpdate]] = defaultdict(list)
    for item in owed_updates(force, now=now, owner_roles=owner_roles):
        grouped[item.owner_role].append(item)
    return [RoleOwed(role, tuple(grouped[role])) for role in sorted(grouped)]


def owner_roles(force: Force) -> list[str]:
    """Every owner role on the force's responses, alphabetically (for a role filter)."""
    return sorted(set(Response.objects.filter(force=force).values_list("owner_role", flat=True)))


def roles_for(user: AbstractBaseUser | AnonymousUser | None) -> list[str]:
    """The owner roles a user holds, alphabetically.

    TODO: owner roles ("Head of Professional Standards") are not access roles ("Board member"):
    an administrator maps users to them by hand in the admin; taking them from the people
    directory a force runs would keep the "what's owed" page right when people move.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        RoleAssignment.objects.filter(user=user)
        .order_by("owner_role")
        .values_list("owner_role", flat=True)
    )


def updates_for_review(
    force: Force,
    *,
    since: dt.date,
    owner_roles: Iterable[str] | None = None,
    limit: int = 50,
) -> list[Update]:
    """Submitted and approved updates describing ``since`` or later, newest first, with their
    acknowledgements (and reviewers) fetched."""
    updates = (
        Update.objects.filter(
            response__force=force, review_state__in=REVIEWED_STATES, as_at__gte=since
        )
        .select_related("response__action", "author")
        .prefetch_related(
            Prefetch(
                "acknowledgements",
                queryset=UpdateAcknowledgement.objects.select_related("reviewer"),
            )
        )
        .order_by("-as_at", "-created_at", "-id")
    )
    if owner_roles is not None:
        updates = updates.filter(response__owner_role__in=list(owner_roles))
    return list(updates[:limit])
