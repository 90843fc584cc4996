"""Submitting a return locks a snapshot; a later correction is a numbered restatement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from paper_testdata import demo_force_fixture, observe  # noqa: F401 - fixture by name

from vawg.reports.models import ImmutableSubmissionError, ReturnSubmission
from vawg.reports.returns import (
    QuarterError,
    SubmissionError,
    build_return_content,
    compare_quarters,
    diff_returns,
    return_for_export,
    submit_return,
)
from vawg.reports.returns.content import content_sha256
from vawg.reports.returns.periods import quarter_range
from vawg.strategy.models import Response, ReviewState, Update
from vawg.strategy.responses import change_response, today_in_london


def _approve(force, code: str, text: str, day=dt.date(2022, 4, 28)) -> Update:
    # 28 April: after the pack's updates of 26 April, before the 2022Q1 return was due.
    response = Response.objects.get(force=force, action__code=code)
    return Update.objects.create(
        response=response,
        as_at=day,
        text=text,
        author_role="Head of Protecting Vulnerable People",
        review_state=ReviewState.APPROVED,
    )


def test_submit_then_nothing_changed_then_restatement(demo_force):
    original = submit_return(force=demo_force, quarter="2022Q1", user=None, role="Head of PVP")
    assert original.number == 0
    assert original.reason == ""
    assert original.sha256 == content_sha256(original.content)

    with pytest.raises(SubmissionError) as refused:
        submit_return(force=demo_force, quarter="2022Q1", user=None, reason="again")
    local = timezone.localtime(original.submitted_at)
    assert str(refused.value) == (
        "Nothing was submitted: the 2022Q1 return would be the same as the original submitted "
        f"on {local.day} {local:%B %Y} at {local:%H:%M}. A return states each action as at the "
        "end of 30 April 2022 (its due date): its owner, status and RAG then, and the latest "
        "update dated on or before then and approved by then. An update approved or dated "
        "later is not part of it."
    )

    _approve(demo_force, "nfd21-2.4", "DVPN use has risen sharply.")
    observe("dvpn-granted", demo_force, "2022-03", 25.0)
    with pytest.raises(SubmissionError, match="give the reason"):
        submit_return(force=demo_force, quarter="2022Q1", user=None)

    restated = submit_return(
        force=demo_force, quarter="2022Q1", user=None, reason="March DVPN count corrected"
    )
    assert restated.number == 1
    assert restated.reason == "March DVPN count corrected"
    assert ReturnSubmission.objects.filter(force=demo_force, quarter="2022Q1").count() == 2

    changes = diff_returns(original.content, restated.content)
    fields = {(c.key, c.field): (c.old, c.new) for c in changes}
    assert fields[("2.4", "Narrative")][1] == "DVPN use has risen sharply."
    assert fields[("2.4", "Last updated")] == ("2022-04-26", "2022-04-28")
    assert fields[("dvpn-granted", "value (2022-03)")] == (24.0, 25.0)
    assert fields[("dvpn-granted", "numerator (2022-03)")] == (24.0, 25.0)
    # The raw order counts follow the same figure (from the metric, with no extract here).
    assert fields[("2022-03 DVPN", "issued")] == (24, 25)
    assert len(changes) == 5


def test_export_of_a_submitted_quarter_is_the_snapshot(demo_force):
    submission = submit_return(force=demo_force, quarter="2022Q1", user=None)
    _approve(demo_force, "nfd21-1.3", "Written after submission.")
    exported = return_for_export(demo_force, "2022Q1")
    assert exported.submission == submission
    assert exported.content == submission.content
    assert "Written after submission." not in str(exported.content)
    assert "Written after submission." in str(build_return_content(demo_force, "2022Q1"))


def test_a_submission_cannot_be_changed_or_deleted(demo_force):
    submission = submit_return(force=demo_force, quarter="2022Q1", user=None)
    submission.content = {"tampered": True}
    with pytest.raises(ImmutableSubmissionError):
        submission.save()
    with pytest.raises(ImmutableSubmissionError):
        submission.delete()
    stored = ReturnSubmission.objects.get(pk=submission.pk)
    assert stored.sha256 == content_sha256(stored.content)
    assert "tampered" not in stored.content


def test_a_reason_with_a_direction_override_is_refused(demo_force):
    submit_return(force=demo_force, quarter="2022Q1", user=None)
    _approve(demo_force, "nfd21-2.4", "DVPN use has risen sharply.")
    with pytest.raises(SubmissionError) as caught:
        submit_return(
            force=demo_force, quarter="2022Q1", user=None, reason="Corrected \u202eDVPN count"
        )
    assert str(caught.value) == (
        "The reason contains a text direction control character (U+202E) at character 11. "
        "Remove it and try again."
    )
    assert ReturnSubmission.objects.filter(force=demo_force, quarter="2022Q1").count() == 1


def test_a_quarter_not_over_cannot_be_submitted(demo_force):
    today = today_in_london()
    this_quarter = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    with pytest.raises(SubmissionError, match="has not ended"):
        submit_return(force=demo_force, quarter=this_quarter, user=None)
    assert not ReturnSubmission.objects.filter(quarter=this_quarter).exists()


@pytest.mark.parametrize("quarter", ["1900Q1", "1999Q4", "2999Q1", "9999Q1"])
def test_a_quarter_out_of_range_is_neither_submitted_nor_exported(demo_force, quarter):
    first, last = quarter_range(today_in_london())
    expected = f"There is no return for {quarter}: give a quarter from {first} to {last}"
    with pytest.raises(QuarterError) as refused:
        submit_return(force=demo_force, quarter=quarter, user=None)
    assert str(refused.value) == expected
    with pytest.raises(QuarterError, match="There is no return for"):
        return_for_export(demo_force, quarter)
    assert not ReturnSubmission.objects.filter(quarter=quarter).exists()


def test_changes_since_the_previous_quarter_are_tracker_fields_and_quarter_figures(demo_force):
    _approve(demo_force, "nfd21-1.5", "Q4 words.", day=dt.date(2021, 12, 1))
    _approve(demo_force, "nfd21-1.5", "Q1 words.", day=dt.date(2022, 4, 28))
    previous = build_return_content(demo_force, "2021Q4")
    current = build_return_content(demo_force, "2022Q1")
    changes = diff_returns(previous, current)
    fields = {(c.key, c.field): (c.old, c.new) for c in changes}
    assert fields[("1.5", "Narrative")] == ("Q4 words.", "Q1 words.")
    # Other months' figures are not changes: only the actions' tracker fields are listed.
    assert {c.section for c in changes} == {"Action"}
    assert {c.field for c in changes} <= {
        "Status",
        "RAG",
        "Owner",
        "Due date",
        "Last updated",
        "Narrative",
        "Evidence",
    }

    figures = {row.key: row for row in compare_quarters(previous, current)}
    dvpn = figures["dvpn-granted"]  # 6 + 9 + 12 against 16 + 20 + 24
    assert (dvpn.previous, dvpn.current, dvpn.change, dvpn.basis) == (
        27.0,
        60.0,
        33.0,
        "total of 3 months",
    )
    rate = figures["da-prosecution-possible-rate"]  # (158 + 163 + 171) / 3000
    assert (rate.current, rate.basis) == (16.4, "pooled over 3 months")
    assert figures["SPO applied for"].current == 9  # 3 + 3 + 3
    assert figures["SPO applied for"].previous == 5  # 1 + 2 + 2


def test_a_restatement_lists_metric_corrections_month_by_month(demo_force):
    original = build_return_content(demo_force, "2022Q1")
    observe("dvpn-granted", demo_force, "2022-02", 21.0)
    fields = {
        (c.key, c.field): (c.old, c.new)
        for c in diff_returns(original, build_return_content(demo_force, "2022Q1"))
    }
    assert fields[("dvpn-granted", "value (2022-02)")] == (20.0, 21.0)


def _action_1_3(content: dict) -> dict:
    return next(a for p in content["pillars"] for a in p["actions"] if a["number"] == "1.3")


def test_a_late_submission_sends_the_preview_not_later_work(demo_force):
    preview = build_return_content(demo_force, "2022Q1")
    # Written in May, after the 2022Q1 return was due (30 April), and an owner change made
    # now (years after the due date): neither belongs in the 2022Q1 return.
    _approve(demo_force, "nfd21-1.3", "Written for a late return.", day=dt.date(2022, 5, 6))
    response = Response.objects.get(force=demo_force, action__code="nfd21-1.3")
    change_response(
        response=response,
        expected_revision=response.revision,
        owner_role="Head of Later Work",
        status=response.status,
        rag=response.rag,
        due=response.due,
        user=None,
    )

    submission = submit_return(force=demo_force, quarter="2022Q1", user=None)

    assert submission.content == preview
    assert submission.content == build_return_content(demo_force, "2022Q1")
    sent = _action_1_3(submission.content)
    assert sent["last_updated"] == "2022-04-26"
    assert sent["owner_role"] == _action_1_3(preview)["owner_role"] != "Head of Later Work"
    assert "Written for a late return." not in str(submission.content)

    # A restatement states the same moment, so the later work is still not a change to send.
    with pytest.raises(SubmissionError, match="Nothing was submitted"):
        submit_return(force=demo_force, quarter="2022Q1", user=None, reason="late narrative")


def test_stated_at_is_now_until_the_due_date_then_its_end():
    from vawg.reports.returns import stated_at

    london = dt.timezone(dt.timedelta(hours=1))
    before = dt.datetime(2022, 4, 12, 9, 0, tzinfo=london)
    assert stated_at("2022Q1", now=before) == before
    after = dt.datetime(2022, 6, 1, 9, 0, tzinfo=london)
    assert stated_at("2022Q1", now=after) == dt.datetime(2022, 5, 1, 0, 0, tzinfo=london)


def test_values_are_rounded_to_display_precision_and_counts_stay_exact(demo_force):
    observe("missing-juveniles-found-24h", demo_force, "2022-02", 95 / 103 * 100, 95.0, 103.0)
    content = build_return_content(demo_force, "2022Q1")
    metric = next(m for m in content["metrics"] if m["code"] == "missing-juveniles-found-24h")
    february = metric["months"][1]
    assert (february["value"], february["numerator"], february["denominator"]) == (
        92.2,
        95.0,
        103.0,
    )


def test_another_forces_generated_figures_do_not_mark_this_forces(demo_force):
    from paper_testdata import BOARD, PAPER_DATE, mark_extracts_generated

    from vawg.metrics.models import Observation
    from vawg.reports.paper.build import build_paper
    from vawg.strategy.models import Force

    other = Force.objects.create(slug="othershire", name="Othershire Police")
    observe("dvpn-granted", other, "2022-03", 5.0)
    mark_extracts_generated(other)
    # This force's figures are its own (no generated source file).
    Observation.objects.filter(force=demo_force).update(source_file=None)

    content = build_return_content(demo_force, "2022Q1")
    dvpn = next(m for m in content["metrics"] if m["code"] == "dvpn-granted")
    assert dvpn["generated"] is False
    assert not any(m["generated"] for m in content["metrics"])
    paper = build_paper(demo_force, board=BOARD, as_at=PAPER_DATE).text()
    assert "generated demo data" not in paper

    other_content = build_return_content(other, "2022Q1")
    assert next(m for m in other_content["metrics"] if m["code"] == "dvpn-granted")["generated"]


def test_a_rank_is_the_quarters_last_month_not_the_sum_of_its_months(demo_force):
    for month, rank in (("2021-10", 17.0), ("2021-11", 16.0), ("2021-12", 15.0)):
        observe("national-sso-pp-rank", demo_force, month, rank, rank, 43.0)
    for month, rank in (("2022-01", 14.0), ("2022-02", 12.0), ("2022-03", 11.0)):
        observe("national-sso-pp-rank", demo_force, month, rank, rank, 43.0)
    rows = compare_quarters(
        build_return_content(demo_force, "2021Q4"), build_return_content(demo_force, "2022Q1")
    )
    rank = next(r for r in rows if r.key == "national-sso-pp-rank")
    assert (rank.previous, rank.current, rank.change) == (15.0, 11.0, -4.0)
    assert rank.basis == "March 2022 (latest month of the quarter)"
    # A count beside it is still the quarter's total.
    dvpn = next(r for r in rows if r.key == "dvpn-granted")
    assert dvpn.basis == "total of 3 months"
