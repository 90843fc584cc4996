"""Absurd dates are refused: quarters and paper dates from 2000 to a year ahead, updates not
before 2000 nor after today; pages say so with GOV.UK errors, commands with a message."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from paper_testdata import demo_force_fixture  # noqa: F401 - fixture by name

from vawg.accounts import roles
from vawg.accounts.testing import sign_in
from vawg.cli.paper_commands import paper_command, return_command
from vawg.dates import long_date, one_year_after
from vawg.reports.models import ReturnSubmission
from vawg.reports.returns.periods import previous_quarter, quarter_range
from vawg.strategy.models import Response, Update
from vawg.strategy.responses import UpdateError, add_update, today_in_london


@pytest.fixture
def head_of_pvp(client, demo_force):
    user = get_user_model().objects.create_user(username="head-pvp", password="x" * 16)
    roles.assign_role(user, roles.HEAD_OF_PVP)
    return sign_in(client, user)


def _latest_allowed() -> dt.date:
    return one_year_after(today_in_london())


@pytest.mark.parametrize("quarter", ["1900Q1", "1999Q4", "9999Q1"])
def test_out_of_range_quarters_are_not_found(head_of_pvp, quarter):
    assert head_of_pvp.get(f"/reports/returns/{quarter}/").status_code == 404
    assert head_of_pvp.get(f"/reports/returns/{quarter}/", {"export": "xlsx"}).status_code == 404
    assert head_of_pvp.post(f"/reports/returns/{quarter}/submit/").status_code == 404
    assert not ReturnSubmission.objects.exists()


def test_the_last_quarter_in_range_is_shown(head_of_pvp):
    _, last = quarter_range(today_in_london())
    page = head_of_pvp.get(f"/reports/returns/{last}/")
    assert page.status_code == 200
    assert f"Changes since {previous_quarter(last)}".encode() in page.content


def test_the_quarter_form_says_which_quarters_there_are(head_of_pvp):
    first, last = quarter_range(today_in_london())
    page = head_of_pvp.get("/reports/returns/", {"quarter": "1900q1"})
    html = page.content.decode()
    assert page.status_code == 200
    message = f"Enter a quarter from {first} to {last}"
    assert f'<a href="#quarter">{message}</a>' in html
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in html
    assert first == "2000Q1"


def test_the_paper_form_refuses_a_date_beyond_a_year_ahead(head_of_pvp):
    page = head_of_pvp.get(
        "/reports/paper/",
        {
            "board": "Business Coordination Board",
            "as_at-day": "1",
            "as_at-month": "1",
            "as_at-year": "2099",
            "format": "pdf",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    message = f"Date of the paper must be between 1 January 2000 and {long_date(_latest_allowed())}"
    assert f'<a href="#as_at-day">{message}</a>' in html
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in html


def test_the_paper_command_refuses_a_date_before_2000(demo_force, tmp_path):
    output = tmp_path / "paper.pdf"
    result = CliRunner().invoke(
        paper_command,
        [
            *("--force", "cambridgeshire", "--board", "B"),
            *("--date", "1999-12-31", "--output", str(output)),
        ],
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: The date of the paper must be between 1 January 2000 and "
        f"{long_date(_latest_allowed())} (given 31 December 1999)\n"
    )
    assert not output.exists()


def test_the_return_commands_refuse_an_out_of_range_quarter(demo_force, tmp_path):
    first, last = quarter_range(today_in_london())
    runner = CliRunner()
    output = tmp_path / "return.xlsx"
    exported = runner.invoke(
        return_command,
        ["--force", "cambridgeshire", "--quarter", "1900Q1", "--output", str(output)],
    )
    submitted = runner.invoke(
        return_command, ["submit", "--force", "cambridgeshire", "--quarter", "1900Q1"]
    )
    for result in (exported, submitted):
        assert result.exit_code == 2
        # Click wraps the message to the terminal's width: compare the words.
        words = " ".join(result.output.split())
        assert f"There is no return for 1900Q1: give a quarter from {first} to {last}" in words
    assert not output.exists()
    assert not ReturnSubmission.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (dt.date(1066, 1, 1), "The date of the update must be the same as or after 1 January 2000"),
        (
            dt.date(1999, 12, 31),
            "The date of the update must be the same as or after 1 January 2000",
        ),
        (dt.date(2026, 12, 5), "The date of the update must be today or in the past"),
    ],
)
def test_add_update_refuses_a_date_out_of_range(demo_force, day, message):
    response = Response.objects.filter(force=demo_force).first()
    before = Update.objects.count()
    with pytest.raises(UpdateError) as refused:
        add_update(
            response=response,
            as_at=day,
            text="Written.",
            author=None,
            author_role="Head of PVP",
            today=dt.date(2026, 12, 4),
        )
    assert (refused.value.field, str(refused.value)) == ("as_at", message)
    assert Update.objects.count() == before


def test_add_update_takes_the_first_day_of_2000(demo_force):
    response = Response.objects.filter(force=demo_force).first()
    update = add_update(
        response=response,
        as_at=dt.date(2000, 1, 1),
        text="Written.",
        author=None,
        author_role="Head of PVP",
        today=dt.date(2026, 12, 4),
    )
    assert update.as_at == dt.date(2000, 1, 1)
