"""Reviewers acknowledge updates: once each, never their own, never a draft."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from governance_testdata import gov_world_fixture, users_fixture  # noqa: F401 - fixtures used by name

from vawg.errors import VawgError
from vawg.governance.models import UpdateAcknowledgement
from vawg.governance.services import AcknowledgementError, acknowledge_update


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


def test_a_draft_cannot_be_acknowledged(gov_world, users):
    with pytest.raises(AcknowledgementError, match="draft"):
        acknowledge_update(update=gov_world.updates["2.1-draft"], reviewer=users["reviewer"])


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
