"""A project lead changes the responses of their own projects only; forms follow the rights."""

from __future__ import annotations

from django.urls import reverse

from vawg.accounts.models import ProjectAssignment
from vawg.strategy.models import ReviewState, Update


def _add_update(client, action):
    return client.post(
        reverse("action-add-update", args=[action.code]),
        {
            "as_at-day": "1",
            "as_at-month": "2",
            "as_at-year": "2024",
            "text": "Stalking clinic now weekly.",
            "author_role": "Project lead",
        },
    )


def test_lead_adds_a_submitted_update_to_their_project_but_not_to_another(
    client, world, users, as_role
):
    as_role("project_lead")
    assert _add_update(client, world.own_action).status_code == 302
    update = Update.objects.get(text="Stalking clinic now weekly.")
    assert update.review_state == ReviewState.SUBMITTED
    assert update.author == users["project_lead"]

    before = Update.objects.count()
    refused = _add_update(client, world.other_action)
    assert refused.status_code == 403
    assert "your own projects" in refused.content.decode()
    assert Update.objects.count() == before


def test_lead_sees_the_forms_on_their_project_only(client, world, as_role):
    as_role("project_lead")
    own = client.get(reverse("action", args=[world.own_action.code])).content.decode()
    other = client.get(reverse("action", args=[world.other_action.code])).content.decode()
    assert 'id="add-update"' in own and 'id="change-response"' in own
    assert 'id="add-update"' not in other and 'id="change-response"' not in other


def test_assignment_decides_and_is_the_only_thing_that_does(client, world, users, as_role):
    as_role("project_lead")
    ProjectAssignment.objects.filter(user=users["project_lead"]).delete()
    assert _add_update(client, world.own_action).status_code == 403
    ProjectAssignment.objects.create(user=users["project_lead"], project=world.other_project)
    assert _add_update(client, world.other_action).status_code == 302


def test_readers_see_no_forms(client, world, as_role):
    for who in ("analyst", "board_member", "offender_manager", "partner"):
        as_role(who)
        page = client.get(reverse("action", args=[world.own_action.code])).content.decode()
        assert 'id="add-update"' not in page, who
        assert "Change the response" not in page, who
        assert "/approve/" not in page, who


def test_analyst_cannot_change_a_response(client, world, as_role):
    as_role("analyst")
    response = client.post(
        reverse("action-change-response", args=[world.own_action.code]),
        {"owner_role": "x", "status": "complete", "rag": "green", "revision": "1"},
    )
    assert response.status_code == 403
    world.own_response.refresh_from_db()
    assert world.own_response.status != "complete"
    assert world.own_response.revision == 1


def test_the_project_page_tells_the_lead_what_they_may_change(client, world, as_role):
    as_role("project_lead")
    own = client.get(reverse("project", args=[world.own_project.code])).content.decode()
    other = client.get(reverse("project", args=[world.other_project.code])).content.decode()
    assert 'id="may-change"' in own
    assert 'id="may-change"' not in other
