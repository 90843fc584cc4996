"""The Head of PVP approves submitted updates; approval leaves the text alone."""

from __future__ import annotations

from django.urls import reverse

from vawg.accounts.models import UpdateApproval
from vawg.accounts.reviews import ApprovalError, approve_update
from vawg.strategy.models import ReviewState, Update


def test_head_of_pvp_approves_a_submitted_update(client, world, users, as_role):
    as_role("head_of_pvp")
    page = client.get(reverse("action", args=[world.own_action.code])).content.decode()
    assert reverse("update-approve", args=[world.submitted.pk]) in page
    # Only submitted updates offer approval.
    assert reverse("update-approve", args=[world.approved.pk]) not in page
    assert reverse("update-approve", args=[world.draft.pk]) not in page

    text = world.submitted.text
    response = client.post(reverse("update-approve", args=[world.submitted.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#update-{world.submitted.pk}")
    world.submitted.refresh_from_db()
    assert world.submitted.review_state == ReviewState.APPROVED
    assert world.submitted.text == text
    approval = UpdateApproval.objects.get(update=world.submitted)
    assert approval.approved_by == users["head_of_pvp"]
    assert "is approved" in client.get(response["Location"]).content.decode()


def test_approval_is_refused_by_get_and_to_other_roles(client, world, as_role):
    as_role("head_of_pvp")
    assert client.get(reverse("update-approve", args=[world.submitted.pk])).status_code == 405
    for who in ("administrator", "project_lead", "board_member", "partner"):
        as_role(who)
        assert client.post(reverse("update-approve", args=[world.submitted.pk])).status_code == 403
    world.submitted.refresh_from_db()
    assert world.submitted.review_state == ReviewState.SUBMITTED


def test_drafts_approved_updates_and_own_updates_are_not_approved(world, users):
    head = users["head_of_pvp"]
    for update, message in ((world.draft, "draft"), (world.approved, "already been approved")):
        try:
            approve_update(update=update, user=head)
        except ApprovalError as error:
            assert message in str(error)
        else:
            raise AssertionError("approved")
    own = Update.objects.create(
        response=world.own_response,
        as_at=world.submitted.as_at,
        text="My own words.",
        author=head,
        author_role="Head of PVP",
    )
    try:
        approve_update(update=own, user=head)
    except ApprovalError as error:
        assert "another person" in str(error)
    else:
        raise AssertionError("approved own update")


def test_a_refused_approval_shows_why(client, world, as_role):
    as_role("head_of_pvp")
    response = client.post(reverse("update-approve", args=[world.draft.pk]), follow=True)
    page = response.content.decode()
    assert "There is a problem" in page
    assert "draft" in page
