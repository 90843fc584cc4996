"""A partner reads the published subset: published months, approved updates, no drafts."""

from __future__ import annotations

from django.urls import reverse

from vawg.strategy.models import Evidence


def test_partner_reckoner_lists_published_months_only(client, world, as_role):
    as_role("partner")
    page = client.get(reverse("reckoner")).content.decode()
    assert "February 2024" in page
    assert "March 2024" not in page  # unpublished: neither shown nor offered
    assert reverse("reckoner-publish") not in page
    refused = client.get(f"{reverse('reckoner')}?month={world.unpublished_month}")
    assert refused.status_code == 403
    assert "The ready reckoner for March 2024 has not been published" in refused.content.decode()


def test_partner_with_nothing_published_sees_a_clear_page(client, world, as_role):
    world.force.publications.all().delete()
    as_role("partner")
    page = client.get(reverse("reckoner"))
    assert page.status_code == 200
    assert "No month of the ready reckoner has been published yet" in page.content.decode()
    assert client.get(reverse("metric", args=[world.metric.code])).status_code == 403


def test_partner_sees_approved_updates_only_and_no_history_or_evidence(client, world, as_role):
    Evidence.objects.create(
        response=world.own_response, title="Internal review", url="evidence://review.pdf"
    )
    as_role("partner")
    page = client.get(reverse("action", args=[world.own_action.code])).content.decode()
    assert "A approved update." in page
    assert "A submitted update." not in page
    assert "A draft update." not in page
    assert "Internal review" not in page
    assert "History of changes" not in page
    assert "Change the response" not in page
    home = client.get(reverse("home")).content.decode()
    assert "A approved update." in home
    assert "A submitted update." not in home and "A draft update." not in home


def test_board_member_reads_everything_but_changes_nothing(client, world, as_role):
    as_role("board_member")
    page = client.get(reverse("action", args=[world.own_action.code])).content.decode()
    assert "A submitted update." in page and "A draft update." in page
    assert "History of changes" in page
    assert "Change the response" not in page
    reckoner = client.get(f"{reverse('reckoner')}?month={world.unpublished_month}")
    assert reckoner.status_code == 200
    assert "Publish March 2024" not in reckoner.content.decode()


def test_head_of_pvp_is_offered_publishing(client, world, as_role):
    as_role("head_of_pvp")
    page = client.get(f"{reverse('reckoner')}?month={world.unpublished_month}")
    assert "Publish March 2024" in page.content.decode()
