"""The action page's forms: add an update, change the response, refuse a stale change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from vawg.accounts.models import ProjectAssignment
from vawg.accounts.roles import PROJECT_LEAD, assign_role
from vawg.strategy.models import Response, ResponseChange, Update
from vawg.strategy.responses import today_in_london

CODE = "nfd21-1.1"


def update_post(client, **fields):
    today = today_in_london()
    data = {
        "as_at-day": str(today.day),
        "as_at-month": str(today.month),
        "as_at-year": str(today.year),
        "text": "Terms of reference agreed with the professional standards department.",
        "author_role": "Head of Professional Standards",
    }
    data.update(fields)
    return client.post(reverse("action-add-update", args=[CODE]), data)


def test_valid_update_creates_exactly_one_update_and_redirects_with_a_banner(
    signed_in, world, user
):
    before = Update.objects.count()
    response = update_post(
        signed_in, **{"as_at-day": "3", "as_at-month": "2", "as_at-year": "2025"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("action", args=[CODE]) + "#updates"
    assert Update.objects.count() == before + 1
    update = Update.objects.latest("id")
    assert update.text == "Terms of reference agreed with the professional standards department."
    assert update.author == user
    assert update.author_role == "Head of Professional Standards"
    assert update.as_at == dt.date(2025, 2, 3)
    assert update.response == world.responses["1.1"]
    page = signed_in.get(response["Location"]).content.decode()
    assert "govuk-notification-banner--success" in page
    assert "Your update has been added." in page


@pytest.mark.parametrize(
    ("fields", "message", "anchor"),
    [
        ({"text": "   "}, "Enter the update", "#text"),
        (
            {"as_at-day": "31", "as_at-month": "2", "as_at-year": "2024"},
            "Date of the update must be a real date",
            "#as_at-day",
        ),
        (
            {"as_at-day": "1", "as_at-month": "1", "as_at-year": "2999"},
            "Date of the update must be today or in the past",
            "#as_at-day",
        ),
        (
            {"as_at-day": "1", "as_at-month": "1", "as_at-year": "1066"},
            "Date of the update must be the same as or after 1 January 2000",
            "#as_at-day",
        ),
        (
            {"as_at-day": "31", "as_at-month": "12", "as_at-year": "1999"},
            "Date of the update must be the same as or after 1 January 2000",
            "#as_at-day",
        ),
        (
            {"as_at-day": "", "as_at-month": "", "as_at-year": ""},
            "Enter date of the update",
            "#as_at-day",
        ),
        (
            {"as_at-day": "12", "as_at-month": "", "as_at-year": "2024"},
            "Date of the update must include a month",
            "#as_at-month",
        ),
        (
            {"as_at-day": "12", "as_at-month": "13", "as_at-year": "2024"},
            "Date of the update must be a real date",
            "#as_at-month",
        ),
        ({"author_role": ""}, "Enter your role", "#author_role"),
    ],
)
def test_invalid_update_shows_the_error_summary_and_creates_nothing(
    signed_in, world, fields, message, anchor
):
    before = Update.objects.count()
    response = update_post(signed_in, **fields)
    html = response.content.decode()
    assert response.status_code == 200
    assert Update.objects.count() == before
    assert "govuk-error-summary" in html
    assert f'<a href="{anchor}">{message}</a>' in html
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in html
    assert "<title>Error: " in html


def test_typed_values_stay_on_screen_after_an_error(signed_in, world):
    response = update_post(
        signed_in,
        **{"as_at-day": "31", "as_at-month": "2", "as_at-year": "2024", "text": "Kept text"},
    )
    html = response.content.decode()
    assert 'name="as_at-day" type="text" inputmode="numeric" value="31"' in html
    assert ">Kept text</textarea>" in html


def test_stored_script_in_an_update_is_rendered_escaped(signed_in, world):
    Update.objects.create(
        response=world.responses["1.1"],
        as_at=dt.date(2025, 1, 1),
        text='<script>alert("x")</script> & more',
        author_role="<b>Role</b>",
    )
    for url in (reverse("action", args=[CODE]), reverse("home")):
        html = signed_in.get(url).content.decode()
        assert '<script>alert("x")</script>' not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in html
        assert "<b>Role</b>" not in html


def change_post(client, revision, **fields):
    data = {
        "revision": str(revision),
        "owner_role": "Head of Protecting Vulnerable People",
        "status": "in_progress",
        "rag": "red",
        "due-day": "31",
        "due-month": "1",
        "due-year": "2001",
    }
    data.update(fields)
    return client.post(reverse("action-change-response", args=[CODE]), data)


def test_stale_revision_is_refused_and_keeps_the_first_save(signed_in, world, user):
    stored = world.responses["1.1"]
    assert stored.revision == 1
    # Two people open the form at revision 1. The first saves.
    first = change_post(
        signed_in,
        1,
        owner_role="Detective Superintendent, Safeguarding",
        status="complete",
        rag="green",
        **{"due-day": "30", "due-month": "6", "due-year": "2025"},
    )
    assert first.status_code == 302
    stored.refresh_from_db()
    assert stored.revision == 2
    assert (stored.owner_role, stored.status, stored.rag, stored.due) == (
        "Detective Superintendent, Safeguarding",
        "complete",
        "green",
        dt.date(2025, 6, 30),
    )
    changes = ResponseChange.objects.filter(response=stored)
    assert {c.field: (c.old_value, c.new_value) for c in changes} == {
        "owner_role": (
            "Head of Protecting Vulnerable People",
            "Detective Superintendent, Safeguarding",
        ),
        "status": ("in_progress", "complete"),
        "rag": ("red", "green"),
        "due": ("2001-01-31", "2025-06-30"),
    }
    assert all(c.changed_by == user for c in changes)

    # The second, still at revision 1, is refused.
    second = change_post(signed_in, 1, owner_role="Chief Inspector, Typed Value", rag="amber")
    html = second.content.decode()
    assert second.status_code == 200
    assert "govuk-error-summary" in html
    assert "Someone else changed this response since you opened it" in html
    # The typed values stay on screen; the hidden revision is now the current one.
    assert 'value="Chief Inspector, Typed Value"' in html
    assert 'name="revision" value="2"' in html
    stored.refresh_from_db()
    assert stored.revision == 2
    assert stored.owner_role == "Detective Superintendent, Safeguarding"
    assert stored.rag == "green"
    assert ResponseChange.objects.filter(response=stored).count() == 4


def test_change_form_errors_are_shown_and_nothing_changes(signed_in, world):
    response = change_post(signed_in, 1, owner_role="", status="", **{"due-month": "14"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#owner_role">Enter the owner&#x27;s role</a>' in html
    assert '<a href="#status">Select a status</a>' in html
    assert '<a href="#due-month">Due date must be a real date</a>' in html
    stored = Response.objects.get(pk=world.responses["1.1"].pk)
    assert stored.revision == 1
    assert not ResponseChange.objects.exists()


def test_change_history_is_listed_on_the_action_page(signed_in, world):
    change_post(signed_in, 1, status="complete")
    html = signed_in.get(reverse("action", args=[CODE])).content.decode()
    history = html.split('id="changes"', 1)[1]
    assert "In progress" in history
    assert "Complete" in history
    assert "analyst" in history


def test_get_is_not_allowed_on_the_form_urls(signed_in, world):
    assert signed_in.get(reverse("action-add-update", args=[CODE])).status_code == 405
    assert signed_in.get(reverse("action-change-response", args=[CODE])).status_code == 405


def test_a_head_of_pvp_is_told_another_head_of_pvp_approves(signed_in, world):
    form = signed_in.get(reverse("action", args=[CODE])).content.decode()
    assert (
        "Your update is submitted to another Head of Protecting Vulnerable People for approval."
        in form
    )
    page = signed_in.get(update_post(signed_in)["Location"]).content.decode()
    assert (
        "Your update has been added. It waits for approval by another Head of Protecting "
        "Vulnerable People." in page
    )


def test_a_project_lead_is_told_the_head_of_pvp_approves(client, world):
    lead = get_user_model().objects.create_user(username="lead", password="x" * 16)
    assign_role(lead, PROJECT_LEAD)
    ProjectAssignment.objects.create(user=lead, project=world.project)
    client.force_login(lead)
    form = client.get(reverse("action", args=[CODE])).content.decode()
    assert (
        "Your update is submitted to the Head of Protecting Vulnerable People for approval." in form
    )
    added = update_post(client)
    assert added.status_code == 302
    page = client.get(added["Location"]).content.decode()
    assert (
        "Your update has been added. It waits for approval by the Head of Protecting "
        "Vulnerable People." in page
    )
