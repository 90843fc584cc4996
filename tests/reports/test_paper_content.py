"""The board paper's content: every action, figures from data, approved updates only, drafts."""

from __future__ import annotations

import datetime as dt

import pytest
from paper_testdata import BOARD, PAPER_DATE, demo_force_fixture, observe  # noqa: F401 - fixture by name

from vawg.reports.paper.build import build_paper, paper_month
from vawg.reports.paper.content import Paragraph, Section, long_date
from vawg.reports.paper.figures import FigureSpec, MetricFacts, Point, metric_sentence
from vawg.strategy.models import Response, ReviewState, Status, Update


def _actions(paper) -> list[Section]:
    progress = next(s for s in paper.sections if s.title.startswith("Progress"))
    return [
        action
        for pillar in progress.blocks
        if isinstance(pillar, Section)
        for action in pillar.blocks
    ]


def _action(paper, number: str) -> Section:
    return next(s for s in _actions(paper) if s.title.startswith(f"Action {number}:"))


def _texts(section: Section) -> list[str]:
    return [f"{b.lead} {b.text}".strip() for b in section.blocks if isinstance(b, Paragraph)]


@pytest.fixture
def paper(demo_force):
    return build_paper(demo_force, board=BOARD, as_at=PAPER_DATE, agenda_item="11.0")


def test_paper_has_the_board_paper_sections_and_every_action(paper):
    headings = [s.heading for s in paper.sections]
    assert headings == [
        "1. Purpose",
        "2. Recommendation",
        "3. National overview",
        "4. Local overview",
        "5. Progress against the national framework",
        "6. Tracking and governance",
    ]
    assert [s.heading for s in paper.appendix] == [
        "Appendix A. Ready reckoner",
        "Appendix B. Control charts of red and amber metrics",
    ]
    numbers = [s.title.split(":")[0] for s in _actions(paper)]
    assert len(numbers) == 34
    assert numbers[:3] == ["Action 1.1", "Action 1.2", "Action 1.3"]
    assert numbers[-1] == "Action 3.8"
    assert _action(paper, "1.11").number == "5.1.11"
    assert paper.cover.board == BOARD
    assert paper.cover.agenda_item == "11.0"
    assert paper.cover.date_text == "26 April 2022"
    # Roles, never names: the contact is the role that owns most responses.
    assert paper.cover.contact_roles == ("Head of Protecting Vulnerable People",)


def test_paper_month_is_the_latest_complete_month():
    assert paper_month(dt.date(2022, 4, 26)) == "2022-03"
    assert paper_month(dt.date(2022, 4, 1)) == "2022-03"
    assert paper_month(dt.date(2023, 1, 31)) == "2022-12"


def test_reference_figures_are_written_from_the_data(paper):
    text = paper.text()
    assert (
        "In March 2022 the median time missing was 160 minutes, the lowest of the 24 months held "
        "(force missing-person extract, generated demo data)." in text
    )
    assert "the share of missing juveniles found within 24 hours was 93.0%" in text
    assert (
        "In March 2022 the number of domestic violence protection notices issued was 24 "
        "(force protective-orders extract, generated demo data). That is a rise of 700% on six "
        "months earlier (September 2021), when it was 3." in text
    )
    assert (
        "In the six months to March 2022 the total was 14, against none in the twelve months "
        "before." in text
    )
    assert (
        "Over the last three months it was 15.8% in January 2022, 16.3% in February 2022 and "
        "17.1% in March 2022, each at or above the 15% target." in text
    )
    # The outcome rank, from the national outcomes comparison: lagged, so said to be the
    # latest held, with its move on the month before and on a year before.
    assert (
        "In the 12 months to January 2022 the force's prosecution-possible outcome rate for all "
        "serious sexual offences was the 10th highest nationally (43 forces ranked), the latest "
        "figure held (national outcomes comparison, generated demo data). That is up five "
        "places on the 12 months to December 2021, when it was 15th. For the 12 months to "
        "February 2021 it was 22nd." in text
    )
    # The recorded-crime rank, said for what it is.
    assert (
        "In the quarter to March 2022 the force's rate of recorded sexual offences per 1,000 "
        "residents was the 35th highest nationally (Home Office police recorded crime" in text
    )
    assert "not its prosecution-possible outcome rate" in text


def test_figures_sit_under_their_actions(paper):
    assert any("160 minutes" in t for t in _texts(_action(paper, "1.11")))
    assert any("rise of 700%" in t for t in _texts(_action(paper, "2.4")))
    assert any("total was 14" in t for t in _texts(_action(paper, "2.3")))
    assert any("10th highest nationally" in t for t in _texts(_action(paper, "2.11")))
    # An action linked to a project points at the project's ready-reckoner colours.
    assert any(
        t.startswith("Measured through Project Kaizen (") for t in _texts(_action(paper, "2.4"))
    )


def test_action_shows_owner_status_rag_and_dated_update(paper):
    texts = _texts(_action(paper, "1.1"))
    assert texts[0] == (
        "Owner: Head of Professional Standards. Status: Embedded (business as usual). Delivery "
        "RAG: Green. Due 31 March 2022."
    )
    assert texts[1].startswith("Update of 26 April 2022: The Professional Standards Department")


def test_only_approved_updates_as_at_the_paper_date(demo_force):
    response = Response.objects.get(force=demo_force, action__code="nfd21-1.2")
    Update.objects.create(
        response=response,
        as_at=dt.date(2022, 4, 25),
        text="SUBMITTED BUT NOT APPROVED",
        author_role="Head of Professional Standards",
        review_state=ReviewState.SUBMITTED,
    )
    Update.objects.create(
        response=response,
        as_at=dt.date(2022, 5, 10),
        text="APPROVED AFTER THE PAPER DATE",
        author_role="Head of Professional Standards",
        review_state=ReviewState.APPROVED,
    )
    paper = build_paper(demo_force, board=BOARD, as_at=PAPER_DATE)
    text = paper.text()
    assert "SUBMITTED BUT NOT APPROVED" not in text
    assert "APPROVED AFTER THE PAPER DATE" not in text
    assert _texts(_action(paper, "1.2"))[1].startswith("Update of 26 April 2022:")

    earlier = build_paper(demo_force, board=BOARD, as_at=dt.date(2022, 4, 1))
    assert "No approved update as at 1 April 2022." in _texts(_action(earlier, "1.2"))


def test_draft_lists_what_is_owed_by_owner_role(demo_force):
    # 25 October 2022 is a Business Coordination Board (quarterly, 4th Tuesday): its previous
    # meeting was 26 July, after every April update, so each response still in hand owes one,
    # by the papers deadline 14 days before the meeting (11 October, passed: overdue).
    in_hand = Response.objects.filter(force=demo_force).exclude(
        status__in=(Status.COMPLETE, Status.EMBEDDED)
    )
    draft = build_paper(demo_force, board=BOARD, as_at=dt.date(2022, 10, 25), draft=True)
    assert draft.cover.draft
    assert len(draft.owed) == in_hand.count() > 0
    response = in_hand.select_related("action").order_by("pk").first()
    expected = (
        f"update owed by {response.owner_role} by 11 October 2022 (last update 26 April 2022, "
        "overdue)"
    )
    assert f"Action {response.action.number}: {expected}" in draft.owed
    texts = _texts(_action(draft, response.action.number))
    assert f"Draft: {expected}." in texts
    # A complete or embedded response owes nothing, whatever the date of its last update.
    done = Response.objects.filter(force=demo_force, status=Status.EMBEDDED).first()
    assert not any(line.startswith(f"Action {done.action.number}:") for line in draft.owed)

    final = build_paper(demo_force, board=BOARD, as_at=dt.date(2022, 10, 25))
    assert final.owed == ()
    assert "owed" not in " ".join(_texts(_action(final, response.action.number)))

    fresh = build_paper(demo_force, board=BOARD, as_at=PAPER_DATE, draft=True)
    assert fresh.owed == ()


def test_draft_and_the_whats_owed_page_agree_for_the_board(demo_force):
    from vawg.governance.selectors import board_named, owed_updates
    from vawg.strategy.history import end_of_day

    day = dt.date(2022, 5, 20)
    start = end_of_day(day - dt.timedelta(days=1))
    monthly = "Force Performance Board"  # last Thursdays: it met on 28 April, after April's
    draft = build_paper(demo_force, board=monthly, as_at=day, draft=True)
    page = owed_updates(demo_force, now=start, board=board_named(demo_force, monthly))
    assert page
    assert sorted(draft.owed) == sorted(
        f"Action {item.response.action.number}: update owed by {item.owner_role} by "
        f"{long_date(item.due_by)} (last update {long_date(item.latest_update.as_at)}"
        f"{', overdue' if item.overdue else ''})"
        for item in page
    )
    # The quarterly board last met on 26 April, the day of the updates: nothing is owed to it.
    assert build_paper(demo_force, board=BOARD, as_at=day, draft=True).owed == ()
    assert owed_updates(demo_force, now=start, board=board_named(demo_force, BOARD)) == []
    unknown = build_paper(demo_force, board="Some Other Board", as_at=day, draft=True)
    assert "no board called the Some Other Board" in unknown.text()
    assert len(unknown.owed) == len(owed_updates(demo_force, now=start))


def test_public_data_is_not_marked_generated(demo_force):
    paper = build_paper(demo_force, board=BOARD, as_at=PAPER_DATE)
    reckoner = paper.appendix[0]
    context_table = next(
        b for b in reckoner.blocks if getattr(b, "caption", "").startswith("Force context")
    )
    assert "generated" not in context_table.caption
    assert context_table.rows[0][0] == "Violence and sexual offences recorded"
    assert context_table.rows[0][1] == "923"
    assert "generated demo data" in paper.cover.data_note


def test_governance_section_comes_from_the_boards(paper):
    governance = paper.sections[5]
    table = next(
        b for b in governance.blocks if getattr(b, "caption", "") == "Boards, panels and returns"
    )
    names = [row[0] for row in table.rows]
    assert names[:3] == [
        "Vulnerability Performance Group",
        "Force Performance Board",
        "Business Coordination Board",
    ]
    assert (
        "Vulnerability Performance Group reports to Force Performance Board, which reports to "
        "Business Coordination Board." in governance.blocks[3].items
    )
    assert "The quarterly national return for 2022Q1 had not been submitted" in paper.text()


def test_charts_of_red_and_amber_metrics(paper):
    charts = paper.appendix[1]
    figures = [b for b in charts.blocks if b.kind == "figure"]
    assert figures, "the demo month has red or amber metrics"
    assert all(f.svg.startswith("<svg") for f in figures)
    assert figures[0].png.startswith(b"\x89PNG")


FACTS = dict(title="X", polarity="up", target=None, source="test extract")


@pytest.mark.parametrize(
    ("unit", "value", "expected"),
    [
        ("count", 24.0, "In March 2022 the number of orders was 24 (test extract)."),
        ("percent", 93.04, "In March 2022 the share was 93.0% (test extract)."),
        ("minutes", 160.0, "In March 2022 the median was 160 minutes (test extract)."),
        ("rate", 2.345, "In March 2022 the rate was 2.35 (test extract)."),
    ],
)
def test_sentence_template_by_unit(unit, value, expected):
    phrase = {"count": "orders", "percent": "the share", "minutes": "the median"}.get(
        unit, "the rate"
    )
    facts = MetricFacts(code="m", unit=unit, **FACTS)
    sentence = metric_sentence(
        FigureSpec("m", phrase=phrase), facts, [Point("2022-03", value)], "2022-03"
    )
    assert sentence == expected


def test_sentence_says_when_a_figure_is_old_or_missing():
    facts = MetricFacts(code="m", unit="count", **FACTS)
    spec = FigureSpec("m", phrase="orders")
    assert metric_sentence(spec, facts, [Point("2021-12", 5.0)], "2022-03") == (
        "In December 2021 the number of orders was 5, the latest figure held (test extract)."
    )
    assert metric_sentence(spec, facts, [], "2022-03") == (
        "No figure is held for orders up to March 2022 (test extract)."
    )
    assert metric_sentence(spec, facts, [Point("2022-04", 5.0)], "2022-03") == (
        "No figure is held for orders up to March 2022 (test extract)."
    )


def test_change_from_zero_and_missing_months(demo_force):
    facts = MetricFacts(code="m", unit="count", **FACTS)
    spec = FigureSpec("m", phrase="orders", change_months=6)
    series = [Point("2021-09", 0.0), Point("2022-03", 4.0)]
    assert metric_sentence(spec, facts, series, "2022-03").endswith(
        "There were none six months earlier (September 2021)."
    )
    assert metric_sentence(spec, facts, series[1:], "2022-03").endswith(
        "No figure is held for September 2021 to compare with."
    )


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        (9.0, "That is down one place on the 12 months to December 2021, when it was 9th."),
        (10.0, "That is the same place as for the 12 months to December 2021."),
        (None, "No figure is held for the 12 months to December 2021 to compare with."),
    ],
)
def test_rank_moves_are_written_in_places(before, expected):
    facts = MetricFacts(code="m", unit="count", **FACTS)
    spec = FigureSpec("m", phrase="the rate", ordinal=True, rolling_months=12, change_months=1)
    series = [Point("2022-01", 10.0, 10.0, 41.0)]
    if before is not None:
        series.insert(0, Point("2021-12", before))
    sentence = metric_sentence(spec, facts, series, "2022-01")
    assert sentence.startswith(
        "In the 12 months to January 2022 the rate was the 10th highest nationally "
        "(41 forces ranked) (test extract)."
    )
    assert sentence.endswith(expected)
