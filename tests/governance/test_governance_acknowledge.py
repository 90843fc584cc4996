"""Reviewers acknowledge updates: once each, never their own, only approved ones."""

from __future__ import annotations

import html as htmllib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from governance_testdata import NOW, gov_world_fixture, users_fixture  # noqa: F401 - fixtures used by name

from vawg.errors import VawgError
from vawg.governance import views
from vawg.governance.models import UpdateAcknowledgement
from vawg.governance.services import AcknowledgementError, acknowledge_update
from vawg.strategy.models import ReviewState


@pytest.fixture
def update(gov_world, users):
    update = gov_world.updates["2.1"]
    update.author = users["author"]
    update.save(update_fields=["author"])
    return update


def test_a_reviewer_acknowledges_once_and_again_changes_nothing(update, users):
    first, created = acknowledge_update(
        update=update, reviewer=users["reviewer"], comment="  Read; good progress.  "
    )
    assert created is True
    assert first.comment == "Read; good progress."
    again, created = acknowledge_update(
        update=update, reviewer=users["reviewer"], comment="A different comment"
    )
    assert created is False
    assert again.pk == first.pk
    assert again.comment == "Read; good progress."
    assert again.acknowledged_at == first.acknowledged_at
    assert UpdateAcknowledgement.objects.filter(update=update).count() == 1


def test_each_reviewer_has_their_own_acknowledgement(update, users):
    acknowledge_update(update=update, reviewer=users["reviewer"])
    acknowledge_update(update=update, reviewer=users["second"])
    assert sorted(
        UpdateAcknowledgement.objects.filter(update=update).values_list(
            "reviewer__username", flat=True
        )
    ) == ["reviewer", "second"]


def test_an_author_cannot_acknowledge_their_own_update(update, users):
    with pytest.raises(VawgError, match="You cannot acknowledge your own update"):
        acknowledge_update(update=update, reviewer=users["author"])
    assert not UpdateAcknowledgement.objects.exists()


NOT_APPROVED = (
    "This update has not been approved yet. Only approved updates go to the boards, so it can "
    "be acknowledged once it is approved."
)


@pytest.mark.parametrize("state", [ReviewState.DRAFT, ReviewState.SUBMITTED])
def test_only_an_approved_update_can_be_acknowledged(gov_world, users, state):
    update = gov_world.updates["2.1-draft"]
    update.review_state = state
    update.save(update_fields=["review_state"])
    with pytest.raises(AcknowledgementError) as caught:
        acknowledge_update(update=update, reviewer=users["reviewer"])
    assert str(caught.value) == NOT_APPROVED
    assert not UpdateAcknowledgement.objects.exists()


def test_a_submitted_update_is_refused_on_the_page_with_the_message(gov_world, users, monkeypatch):
    monkeypatch.setattr(views, "_now", lambda: NOW)
    update = gov_world.updates["2.1-draft"]
    update.review_state = ReviewState.SUBMITTED
    update.save(update_fields=["review_state"])
    client = Client()
    client.force_login(users["reviewer"])
    page = client.get(reverse("governance-owed")).content.decode()
    card = page[page.index(f'id="update-{update.pk}"') :]
    card = card[: card.index("</form>") if "</form>" in card else len(card)]
    # Listed so board members see what is coming, but with no button to acknowledge it.
    assert "Awaiting approval: it can be acknowledged once it is approved." in card
    assert reverse("governance-acknowledge", kwargs={"pk": update.pk}) not in card
    refused = client.post(reverse("governance-acknowledge", kwargs={"pk": update.pk}))
    assert refused.status_code == 400
    assert htmllib.escape(NOT_APPROVED, quote=True) in refused.content.decode()
    assert not UpdateAcknowledgement.objects.exists()


def test_an_update_without_an_author_can_be_acknowledged(gov_world, users):
    # Updates created by a pack have no author; any reviewer may acknowledge them.
    _, created = acknowledge_update(update=gov_world.updates["1.2"], reviewer=users["reviewer"])
    assert created


def test_anonymous_and_over_long_comments_are_refused(update, users):
    with pytest.raises(AcknowledgementError, match="signed-in"):
        acknowledge_update(update=update, reviewer=AnonymousUser())
    with pytest.raises(AcknowledgementError, match="2000 characters or fewer"):
        acknowledge_update(update=update, reviewer=users["reviewer"], comment="x" * 2001)
    assert not UpdateAcknowledgement.objects.exists()


def test_a_comment_with_a_control_character_is_refused_not_cut(update, users):
    with pytest.raises(AcknowledgementError) as caught:
        acknowledge_update(update=update, reviewer=users["reviewer"], comment="Seen\x0b")
    assert str(caught.value) == (
        "The comment contains a control character (U+000B) at character 5. Remove it and try again."
    )
    assert not UpdateAcknowledgement.objects.exists()
