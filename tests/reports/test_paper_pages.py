"""The paper and return pages, and the ``vawg paper`` / ``vawg return`` commands."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.urls import include, path
from docx import Document
from openpyxl import load_workbook
from paper_testdata import demo_force_fixture  # noqa: F401 - fixture by name

from vawg.accounts import roles
from vawg.accounts.testing import sign_in
from vawg.cli.paper_commands import paper_command, return_command
from vawg.reports.models import ReturnSubmission
from vawg.web.views import reports

# This module is its own URLconf until the lead adds these lines to vawg.web.urls.
urlpatterns = [
    path("reports/paper/", reports.paper, name="report-paper"),
    path("reports/returns/", reports.returns, name="report-returns"),
    path("reports/returns/<str:quarter>/", reports.return_page, name="report-return"),
    path(
        "reports/returns/<str:quarter>/submit/",
        reports.return_submit,
        name="report-return-submit",
    ),
    path("", include("vawg.config.urls")),
]

pytestmark = pytest.mark.urls(__name__)

PAPER_QUERY = {
    "board": "Business Coordination Board",
    "as_at-day": "26",
    "as_at-month": "4",
    "as_at-year": "2022",
    "agenda_item": "11.0",
}


@pytest.fixture
def analyst(client, demo_force):
    user = get_user_model().objects.create_user(username="analyst", password="x" * 16)
    roles.assign_role(user, roles.BOARD_MEMBER)
    return sign_in(client, user)


@pytest.fixture
def head_of_pvp(client, demo_force):
    user = get_user_model().objects.create_user(username="head-pvp", password="x" * 16)
    roles.assign_role(user, roles.HEAD_OF_PVP)
    return sign_in(client, user)


def test_paper_page_shows_the_form(analyst):
    response = analyst.get("/reports/paper/")
    assert response.status_code == 200
    assert b'name="board"' in response.content
    assert b'name="as_at-day"' in response.content


def test_paper_page_returns_the_word_paper(analyst):
    response = analyst.get("/reports/paper/", {**PAPER_QUERY, "format": "docx", "draft": "on"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="vawg-paper-cambridgeshire-2022-04-26-draft.docx"'
    )
    assert response["Cache-Control"] == "private, no-store"
    document = Document(io.BytesIO(response.content))
    assert "DRAFT" in document.sections[0].header.paragraphs[0].text
    titles = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert titles[0] == "1. Purpose"


def test_paper_page_shows_errors_for_a_bad_date(analyst):
    response = analyst.get("/reports/paper/", {**PAPER_QUERY, "as_at-month": "13", "format": "pdf"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Date of the paper must be a real date" in response.content


def test_return_page_and_export(analyst):
    response = analyst.get("/reports/returns/2022Q1/")
    assert response.status_code == 200
    assert b"Not submitted yet" in response.content
    assert b"Changes since 2021Q4" in response.content
    # Only the head of PVP sees the submit button.
    assert b"Submit the 2022Q1 return" not in response.content

    export = analyst.get("/reports/returns/2022Q1/", {"export": "xlsx"})
    assert export["Cache-Control"] == "private, no-store"
    workbook = load_workbook(io.BytesIO(export.content))
    assert workbook.sheetnames == [
        "Return",
        "Pillar 1",
        "Pillar 2",
        "Pillar 3",
        "Evidence",
        "Metrics",
        "Preventative orders",
    ]


def test_only_the_head_of_pvp_may_submit(analyst, demo_force):
    response = analyst.post("/reports/returns/2022Q1/submit/")
    assert response.status_code == 403
    assert not ReturnSubmission.objects.exists()


def test_head_of_pvp_submits_and_restating_needs_a_change(head_of_pvp, demo_force):
    page = head_of_pvp.get("/reports/returns/2022Q1/")
    assert b"Submit the 2022Q1 return" in page.content

    response = head_of_pvp.post("/reports/returns/2022Q1/submit/")
    assert response.status_code == 302
    submission = ReturnSubmission.objects.get()
    assert (submission.number, submission.submitted_by.username) == (0, "head-pvp")

    again = head_of_pvp.post("/reports/returns/2022Q1/submit/", {"reason": "no change really"})
    assert again.status_code == 400
    assert b"would be the same as the original submitted on" in again.content
    assert ReturnSubmission.objects.count() == 1

    page = head_of_pvp.get("/reports/returns/2022Q1/")
    assert b"Submitted: the original return" in page.content
    assert b"Reason for the restatement" in page.content


def test_paper_command_writes_a_pdf(demo_force, tmp_path):
    output = tmp_path / "paper.pdf"
    result = CliRunner().invoke(
        paper_command,
        [
            "--force",
            "cambridgeshire",
            "--board",
            "Business Coordination Board",
            "--date",
            "2022-04-26",
            "--format",
            "pdf",
            "--output",
            str(output),
            "--agenda-item",
            "11.0",
        ],
    )
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(b"%PDF")


def test_paper_command_refuses_a_bad_date(demo_force, tmp_path):
    result = CliRunner().invoke(
        paper_command,
        [
            "--force",
            "cambridgeshire",
            "--board",
            "B",
            "--date",
            "26/04/2022",
            "--output",
            str(tmp_path / "x.pdf"),
        ],
    )
    assert result.exit_code == 2
    assert "is not a date in the form YYYY-MM-DD" in result.output


def test_return_commands_export_and_submit(demo_force, tmp_path):
    runner = CliRunner()
    output = tmp_path / "return.xlsx"
    args = ["--force", "cambridgeshire", "--quarter", "2022Q1"]
    result = runner.invoke(return_command, [*args, "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "not submitted" in result.output
    assert load_workbook(output)["Pillar 1"]["A4"].value == "nfd21-1.1"

    result = runner.invoke(return_command, ["submit", *args])
    assert result.exit_code == 0, result.output
    assert "(original return)" in result.output
    result = runner.invoke(return_command, ["submit", *args, "--reason", "none"])
    assert result.exit_code == 1
    assert "Nothing was submitted: the 2022Q1 return" in result.output

    result = runner.invoke(
        return_command,
        ["--force", "cambridgeshire", "--quarter", "2022Q5", "--output", str(output)],
    )
    assert result.exit_code == 2
    assert "is not a quarter written like 2022Q1" in result.output


def test_the_papers_and_returns_tab_leads_to_the_returns(analyst):
    home = analyst.get("/").content.decode()
    assert '<a class="govuk-service-navigation__link" href="/reports/paper/"' in home
    paper = analyst.get("/reports/paper/").content.decode()
    link = '<a class="govuk-link" href="/reports/returns/">Quarterly national returns</a>'
    assert link in paper
    returns = analyst.get("/reports/returns/")
    assert returns.status_code == 200
    assert (
        '<a class="govuk-link" href="/reports/paper/">Board paper</a>' in returns.content.decode()
    )


def _cells(response) -> set:
    workbook = load_workbook(io.BytesIO(response.content))
    return {cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row}


def test_every_submitted_snapshot_is_downloadable(head_of_pvp, demo_force):
    from paper_testdata import observe

    head_of_pvp.post("/reports/returns/2022Q1/submit/")
    observe("dvpn-granted", demo_force, "2022-03", 31.0)
    head_of_pvp.post("/reports/returns/2022Q1/submit/", {"reason": "March DVPN corrected"})
    assert ReturnSubmission.objects.count() == 2
    page = head_of_pvp.get("/reports/returns/2022Q1/").content.decode()
    assert 'href="?export=xlsx&amp;snapshot=0"' in page
    assert 'href="?export=xlsx&amp;snapshot=1"' in page

    original = head_of_pvp.get("/reports/returns/2022Q1/", {"export": "xlsx", "snapshot": "0"})
    assert original.status_code == 200
    assert original["Cache-Control"] == "private, no-store"
    assert original["Content-Disposition"] == (
        'attachment; filename="vawg-return-cambridgeshire-2022Q1-snapshot-0.xlsx"'
    )
    restated = head_of_pvp.get("/reports/returns/2022Q1/", {"export": "xlsx", "snapshot": "1"})
    assert "Submitted return, snapshot 0" in _cells(original)
    assert "Submitted return, snapshot 1" in _cells(restated)
    assert 31.0 in _cells(restated) and 31.0 not in _cells(original)
    for wrong in ("2", "-1", "x"):
        missing = head_of_pvp.get("/reports/returns/2022Q1/", {"export": "xlsx", "snapshot": wrong})
        assert missing.status_code == 404
