"""What is owed, by whom, to which board, by when; returns due; the calendar; the role mapping."""

from __future__ import annotations

import datetime as dt

from governance_testdata import DCI, LONDON, NOW, PVP, gov_world_fixture, users_fixture  # noqa: F401 - fixtures used by name

from vawg.governance.models import RoleAssignment
from vawg.governance.selectors import (
    board_calendar,
    owed_by_role,
    owed_updates,
    owner_roles,
    returns_due,
    roles_for,
    updates_for_review,
)
from vawg.strategy.models import ReviewState, Update

D = dt.date


def summary(items):
    return [
        (
            item.response.action.number,
            item.owner_role,
            item.due_by,
            [
                (o.board.code, o.previous_meeting, o.next_meeting, o.papers_due)
                for o in item.owed_to
            ],
        )
        for item in items
    ]


def test_owed_updates_at_the_reference_moment(gov_world):
    assert summary(owed_updates(gov_world.force, now=NOW)) == [
        (
            "1.1",
            PVP,
            D(2024, 11, 21),
            [
                ("fpb", D(2024, 10, 31), D(2024, 11, 28), D(2024, 11, 21)),
                ("taskforce", D(2024, 10, 31), D(2025, 1, 31), D(2025, 1, 21)),
            ],
        ),
        (
            "1.3",
            PVP,
            D(2024, 11, 21),
            [
                ("fpb", D(2024, 10, 31), D(2024, 11, 28), D(2024, 11, 21)),
                ("taskforce", D(2024, 10, 31), D(2025, 1, 31), D(2025, 1, 21)),
            ],
        ),
        ("2.1", DCI, D(2024, 12, 5), [("vpg", D(2024, 11, 12), D(2024, 12, 10), D(2024, 12, 5))]),
    ]


def test_the_latest_counted_update_is_shown_and_drafts_do_not_count(gov_world):
    items = {item.response.action.number: item for item in owed_updates(gov_world.force, now=NOW)}
    assert items["1.1"].latest_update == gov_world.updates["1.1"]
    assert items["2.1"].latest_update == gov_world.updates["2.1"]
    assert items["1.3"].latest_update is None
    assert str(items["2.1"]) == f"update owed by {DCI} before 2024-12-05"


def test_a_submitted_update_awaits_approval_and_only_approval_clears_what_was_owed(gov_world):
    new = Update.objects.create(
        response=gov_world.responses["2.1"],
        as_at=D(2024, 11, 19),
        text="New.",
        author_role=DCI,
        review_state=ReviewState.SUBMITTED,
    )
    items = {item.response.action.number: item for item in owed_updates(gov_world.force, now=NOW)}
    # Not in a board paper until approved, so still owed; the row says what is waiting.
    assert list(items) == ["1.1", "1.3", "2.1"]
    assert items["2.1"].latest_update == gov_world.updates["2.1"]
    assert items["2.1"].awaiting_approval == new
    assert items["1.1"].awaiting_approval is None
    assert items["1.3"].awaiting_approval is None

    new.review_state = ReviewState.APPROVED
    new.save(update_fields=["review_state"])
    numbers = [item.response.action.number for item in owed_updates(gov_world.force, now=NOW)]
    assert numbers == ["1.1", "1.3"]


def test_a_submitted_update_older_than_the_approved_one_is_not_awaiting(gov_world):
    Update.objects.create(
        response=gov_world.responses["1.1"],
        as_at=D(2024, 10, 1),
        text="Older, submitted late.",
        author_role=PVP,
        review_state=ReviewState.SUBMITTED,
    )
    items = {item.response.action.number: item for item in owed_updates(gov_world.force, now=NOW)}
    assert items["1.1"].latest_update == gov_world.updates["1.1"]
    assert items["1.1"].awaiting_approval is None


def test_overdue_from_london_midnight_after_the_papers_deadline(gov_world):
    def overdue(now):
        return {
            item.response.action.number: item.overdue
            for item in owed_updates(gov_world.force, now=now)
        }

    # FPB papers are due 21 November.
    assert overdue(dt.datetime(2024, 11, 21, 23, 59, tzinfo=LONDON)) == {
        "1.1": False,
        "1.3": False,
        "2.1": False,
    }
    assert overdue(dt.datetime(2024, 11, 22, 0, 0, tzinfo=LONDON)) == {
        "1.1": True,
        "1.3": True,
        "2.1": False,
    }


def test_after_the_meeting_the_next_cycle_applies(gov_world):
    # On 29 November FPB last met on the 28th; it next meets on 26 December, papers by the
    # 19th. 1.2's update of 13 November is older than that meeting, so 1.2 now owes FPB too.
    items = owed_updates(gov_world.force, now=dt.datetime(2024, 11, 29, 9, 0, tzinfo=LONDON))
    fpb = ("fpb", D(2024, 11, 28), D(2024, 12, 26), D(2024, 12, 19))
    taskforce = ("taskforce", D(2024, 10, 31), D(2025, 1, 31), D(2025, 1, 21))
    assert summary(items) == [
        ("2.1", DCI, D(2024, 12, 5), [("vpg", D(2024, 11, 12), D(2024, 12, 10), D(2024, 12, 5))]),
        ("1.1", PVP, D(2024, 12, 19), [fpb, taskforce]),
        ("1.2", DCI, D(2024, 12, 19), [fpb]),
        ("1.3", PVP, D(2024, 12, 19), [fpb, taskforce]),
    ]
    # The deadline missed on 21 November is no longer the one shown: none is overdue yet.
    assert [item.overdue for item in items] == [False, False, False, False]


def test_owed_by_role_groups_and_filters(gov_world):
    groups = owed_by_role(gov_world.force, now=NOW)
    assert [(g.owner_role, [i.response.action.number for i in g.items]) for g in groups] == [
        (DCI, ["2.1"]),
        (PVP, ["1.1", "1.3"]),
    ]
    only = owed_by_role(gov_world.force, now=NOW, owner_roles=[DCI])
    assert [(g.owner_role, len(g.items)) for g in only] == [(DCI, 1)]
    assert owed_by_role(gov_world.force, now=NOW, owner_roles=[]) == []
    assert owner_roles(gov_world.force) == [DCI, PVP]


UPCOMING = [
    ("October to December 2024", D(2025, 1, 31), D(2025, 1, 21), False),
    # Ten days before 30 April is Easter Sunday; Good Friday is a bank holiday too.
    ("January to March 2025", D(2025, 4, 30), D(2025, 4, 17), False),
    ("April to June 2025", D(2025, 7, 31), D(2025, 7, 21), False),
    ("July to September 2025", D(2025, 10, 31), D(2025, 10, 21), False),
]
# The returns of the last four quarters, never submitted: each 10 days' papers deadline falls
# on a weekend but the last (21 October 2024 is a Monday), so moves back to the Friday.
MISSED = [
    ("October to December 2023", D(2024, 1, 31), D(2024, 1, 19), True),
    ("January to March 2024", D(2024, 4, 30), D(2024, 4, 19), True),
    ("April to June 2024", D(2024, 7, 31), D(2024, 7, 19), True),
    ("July to September 2024", D(2024, 10, 31), D(2024, 10, 21), True),
]


def _rows(due):
    return [(r.quarter_label, r.due, r.papers_due, r.overdue) for r in due]


#: After the 2024Q4 return's papers deadline (21 January 2025), before it is due (31st).
LATER = dt.datetime(2025, 1, 25, 12, 0, tzinfo=LONDON)


def _quarter(due, code: str):
    return next(r for r in due if r.quarter_code == code)


def test_returns_due_each_quarter_and_missed_ones_stay_overdue(gov_world):
    assert _rows(returns_due(gov_world.force, now=NOW)) == MISSED + UPCOMING
    assert _quarter(returns_due(gov_world.force, now=LATER), "2024Q4").overdue


def test_a_submitted_return_is_neither_overdue_nor_on_the_calendar_once_past(gov_world):
    from vawg.reports.models import ReturnSubmission

    def submit(quarter: str, at: dt.datetime) -> None:
        ReturnSubmission.objects.create(
            force=gov_world.force,
            quarter=quarter,
            number=0,
            submitted_at=at,
            submitted_by_role="Head of Protecting Vulnerable People",
            content={},
            sha256="0" * 64,
        )

    submit("2024Q3", dt.datetime(2024, 10, 30, 16, 0, tzinfo=LONDON))
    submit("2024Q4", dt.datetime(2024, 11, 19, 9, 0, tzinfo=LONDON))  # early
    due = returns_due(gov_world.force, now=NOW)
    assert _rows(due) == MISSED[:3] + UPCOMING
    early = _quarter(due, "2024Q4")
    assert early.submitted and not early.overdue
    assert not any(r.submitted for r in due if r.quarter_code != "2024Q4")
    # Past its papers deadline, a return submitted early is not overdue.
    assert not _quarter(returns_due(gov_world.force, now=LATER), "2024Q4").overdue


def test_board_calendar_for_three_months_with_reporting_lines(gov_world):
    calendars = {c.board.code: c for c in board_calendar(gov_world.force, today=D(2024, 11, 20))}
    # Three months ahead: up to and including 20 February 2025.
    assert [m.date for m in calendars["vpg"].meetings] == [
        D(2024, 12, 10),
        D(2025, 1, 14),
        D(2025, 2, 11),
    ]
    assert [m.papers_due for m in calendars["vpg"].meetings] == [
        D(2024, 12, 5),
        D(2025, 1, 9),
        D(2025, 2, 6),
    ]
    assert [m.date for m in calendars["fpb"].meetings] == [
        D(2024, 11, 28),
        D(2024, 12, 26),
        D(2025, 1, 30),
    ]
    assert [m.date for m in calendars["taskforce"].meetings] == [D(2025, 1, 31)]
    assert [b.code for b in calendars["vpg"].reporting_line] == ["fpb"]
    assert calendars["fpb"].reporting_line == ()


def test_roles_for_a_user(gov_world, users):
    RoleAssignment.objects.create(user=users["author"], owner_role=PVP)
    RoleAssignment.objects.create(user=users["author"], owner_role=DCI)
    assert roles_for(users["author"]) == [DCI, PVP]
    assert roles_for(users["reviewer"]) == []


def test_updates_for_review_are_counted_updates_newest_first(gov_world):
    updates = updates_for_review(gov_world.force, since=D(2024, 11, 1))
    assert [u.pk for u in updates] == [gov_world.updates["1.2"].pk, gov_world.updates["2.1"].pk]
    mine = updates_for_review(gov_world.force, since=D(2024, 1, 1), owner_roles=[PVP])
    assert [u.pk for u in mine] == [gov_world.updates["1.1"].pk]
