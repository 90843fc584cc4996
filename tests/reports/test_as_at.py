"""Papers and returns state each response as it stood at their date, however late they are
built: owner, status, RAG and due date replayed from ResponseChange, only updates approved by
then, only evidence held then; and the return page's "changes since the previous quarter"
shows the replayed differences."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import include, path
from paper_testdata import BOARD, PAPER_DATE, demo_force_fixture  # noqa: F401 - fixture by name

from vawg.accounts import roles
from vawg.accounts.models import UpdateApproval
from vawg.accounts.reviews import approve_update
from vawg.accounts.testing import sign_in
from vawg.reports.paper.build import build_paper
from vawg.reports.paper.content import Paragraph, Section
from vawg.reports.returns import build_return_content, diff_returns
from vawg.strategy.history import end_of_day
from vawg.strategy.models import (
    DeliveryRag,
    Evidence,
    Response,
    ResponseChange,
    ReviewState,
    Status,
    Update,
)
from vawg.strategy.responses import add_update, change_response
from vawg.web.views import reports

urlpatterns = [
    path("reports/returns/<str:quarter>/", reports.return_page, name="report-return"),
    path("", include("vawg.config.urls")),
]

ACTION = "nfd21-1.1"
NOON = dt.time(12, 0)


def _at(day: dt.date) -> dt.datetime:
    return end_of_day(day) - dt.timedelta(hours=12)


def _change(response: Response, *, on: dt.date, **fields) -> Response:
    """Change ``fields`` of ``response`` and date the recorded changes ``on`` (midday)."""
    wanted = {name: getattr(response, name) for name in ("owner_role", "status", "rag", "due")}
    before = set(ResponseChange.objects.filter(response=response).values_list("pk", flat=True))
    changed = change_response(
        response=response, expected_revision=response.revision, user=None, **(wanted | fields)
    )
    ResponseChange.objects.filter(response=response).exclude(pk__in=before).update(
        changed_at=_at(on)
    )
    return changed


def _facts(paper, number: str) -> str:
    def walk(section):
        for block in section.blocks:
            if isinstance(block, Section):
                if block.title.startswith(f"Action {number}:"):
                    return block
                found = walk(block)
                if found is not None:
                    return found
        return None

    for section in paper.sections:
        found = walk(section)
        if found is not None:
            return " ".join(
                f"{b.lead} {b.text}".strip() for b in found.blocks if isinstance(b, Paragraph)
            )
    raise AssertionError(number)


@pytest.fixture
def response(demo_force) -> Response:
    return Response.objects.select_related("action").get(force=demo_force, action__code=ACTION)


def test_paper_states_owner_status_rag_and_due_as_at_its_date(demo_force, response):
    original = (response.owner_role, response.get_status_display(), response.get_rag_display())
    assert response.rag != DeliveryRag.RED and response.status != Status.IN_PROGRESS
    first = _change(
        response, on=dt.date(2022, 5, 10), status=Status.IN_PROGRESS, rag=DeliveryRag.RED
    )
    _change(first, on=dt.date(2022, 6, 10), owner_role="Head of Crime", due=dt.date(2023, 1, 31))

    at_paper = _facts(build_paper(demo_force, board=BOARD, as_at=PAPER_DATE), "1.1")
    assert (
        f"Owner: {original[0]}. Status: {original[1]}. Delivery RAG: {original[2]}. Due 31 "
        "March 2022." in at_paper
    )
    between = _facts(build_paper(demo_force, board=BOARD, as_at=dt.date(2022, 5, 31)), "1.1")
    assert (
        f"Owner: {original[0]}. Status: In progress. Delivery RAG: Red. Due 31 March 2022."
        in between
    )
    later = _facts(build_paper(demo_force, board=BOARD, as_at=dt.date(2022, 7, 1)), "1.1")
    assert "Owner: Head of Crime. Status: In progress. Delivery RAG: Red. Due 31 January 2023." in (
        later
    )
    # The change is recorded on the day it was made, so the paper of that day shows it.
    on_the_day = _facts(build_paper(demo_force, board=BOARD, as_at=dt.date(2022, 5, 10)), "1.1")
    assert "Status: In progress. Delivery RAG: Red." in on_the_day


def test_only_updates_approved_by_the_date_count(demo_force, response):
    author = get_user_model().objects.create_user(username="lead", password="x" * 16)
    head = get_user_model().objects.create_user(username="head", password="x" * 16)
    roles.assign_role(head, roles.HEAD_OF_PVP)
    update = add_update(
        response=response,
        as_at=dt.date(2022, 4, 20),
        text="WRITTEN IN APRIL, SIGNED OFF IN MAY",
        author=author,
        author_role="Head of Professional Standards",
    )
    approve_update(update=update, user=head)
    UpdateApproval.objects.filter(update=update).update(approved_at=_at(dt.date(2022, 5, 3)))

    at_paper = build_paper(demo_force, board=BOARD, as_at=PAPER_DATE)
    assert "WRITTEN IN APRIL" not in at_paper.text()
    # The pack's update (approved when loaded, so from the date it describes) is stated.
    assert "Update of 26 April 2022:" in _facts(at_paper, "1.1")
    after = build_paper(demo_force, board=BOARD, as_at=dt.date(2022, 5, 3))
    assert "WRITTEN IN APRIL, SIGNED OFF IN MAY" not in after.text()  # it describes 20 April,
    # and the pack's update of 26 April is later: the latest approved one is stated.
    assert "Update of 26 April 2022:" in _facts(after, "1.1")

    # Signed off in time, it is the latest for a paper between its date and the pack's.
    earlier = build_paper(demo_force, board=BOARD, as_at=dt.date(2022, 4, 22))
    assert "WRITTEN IN APRIL" not in earlier.text()
    UpdateApproval.objects.filter(update=update).update(approved_at=_at(dt.date(2022, 4, 21)))
    signed = build_paper(demo_force, board=BOARD, as_at=dt.date(2022, 4, 22))
    assert "Update of 20 April 2022: WRITTEN IN APRIL, SIGNED OFF IN MAY" in _facts(signed, "1.1")


def test_evidence_uploaded_after_the_date_is_not_stated(demo_force, response):
    held = [e.title for e in response.evidence.all()]
    Evidence.objects.create(
        response=response,
        title="Vetting audit uploaded in May",
        stored_name="f" * 32,
        original_name="audit.pdf",
        content_type="application/pdf",
        size=10,
    )
    Evidence.objects.filter(stored_name="f" * 32).update(added_at=_at(dt.date(2022, 5, 2)))
    at_paper = _facts(build_paper(demo_force, board=BOARD, as_at=PAPER_DATE), "1.1")
    assert "Vetting audit uploaded in May" not in at_paper
    assert all(title in at_paper for title in held)
    later = _facts(build_paper(demo_force, board=BOARD, as_at=dt.date(2022, 5, 2)), "1.1")
    assert "Vetting audit uploaded in May" in later


def test_return_is_as_at_the_quarter_end_and_shows_changes_since_the_last(demo_force, response):
    q1 = build_return_content(demo_force, "2022Q1")
    original = next(a for p in q1["pillars"] for a in p["actions"] if a["number"] == "1.1")
    _change(response, on=dt.date(2022, 5, 10), status=Status.IN_PROGRESS, rag=DeliveryRag.RED)
    _change(
        Response.objects.get(pk=response.pk),
        on=dt.date(2022, 8, 1),
        owner_role="Head of Crime",
    )
    Update.objects.create(
        response=response,
        as_at=dt.date(2022, 6, 1),
        text="JUNE NARRATIVE",
        author_role="Head of Professional Standards",
        review_state=ReviewState.APPROVED,
    )

    # Built now, the first quarter's return still says what held on 31 March.
    assert build_return_content(demo_force, "2022Q1") == q1
    q2 = build_return_content(demo_force, "2022Q2")
    changes = {
        (c.key, c.field): (c.old, c.new)
        for c in diff_returns(q1, q2)
        if c.section == "Action" and c.key == "1.1"
    }
    assert changes[("1.1", "Status")] == (original["status"], "In progress")
    assert changes[("1.1", "RAG")] == (original["rag"], "Red")
    assert changes[("1.1", "Narrative")][1] == "JUNE NARRATIVE"
    # The owner changed in August, after the second quarter ended.
    assert ("1.1", "Owner") not in changes
    q3 = build_return_content(demo_force, "2022Q3")
    assert {(c.key, c.field) for c in diff_returns(q2, q3) if c.key == "1.1"} == {("1.1", "Owner")}


@pytest.mark.urls(__name__)
def test_return_page_lists_status_and_rag_changes_since_the_previous_quarter(
    client, demo_force, response
):
    _change(response, on=dt.date(2022, 5, 10), status=Status.IN_PROGRESS, rag=DeliveryRag.RED)
    user = get_user_model().objects.create_user(username="board", password="x" * 16)
    roles.assign_role(user, roles.BOARD_MEMBER)
    page = sign_in(client, user).get("/reports/returns/2022Q2/")
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('id="since-previous"') :]
    table = table[: table.index("</table>")]
    assert "Status" in table and "In progress" in table
    assert "RAG" in table and "Red" in table
    assert "→" not in html  # no month-against-month "changes"
    figures = html[html.index('id="figures-previous"') :]
    figures = figures[: figures.index("</table>")]
    # DVPNs granted: January to March 16 + 20 + 24; the second quarter holds no figures.
    assert "Domestic violence protection notices issued" in figures
    assert ">60<" in figures and "total of 3 months" in figures
