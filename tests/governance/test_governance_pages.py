"""Governance pages: shown to signed-in users with real values; anonymous users sent to sign in;
acknowledging an update is a CSRF-protected POST that redirects back with a banner."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from governance_testdata import DCI, NOW, PVP, gov_world_fixture, users_fixture  # noqa: F401 - fixtures used by name

from vawg.governance import views
from vawg.governance.models import RoleAssignment, UpdateAcknowledgement
from vawg.strategy.models import ReviewState, Update

PAGES = ["governance", "governance-owed", "governance-owed-mine"]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(views, "_now", lambda: NOW)


@pytest.fixture
def signed_in(client, users):
    client.force_login(users["reviewer"])
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize("name", PAGES)
def test_pages_are_shown_to_signed_in_users(signed_in, gov_world, name):
    response = signed_in.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Testshire Police" in html


@pytest.mark.parametrize("name", [*PAGES, "governance-acknowledge"])
def test_anonymous_users_are_sent_to_sign_in(client, gov_world, name):
    kwargs = {"pk": gov_world.updates["1.1"].pk} if name == "governance-acknowledge" else {}
    url = reverse(name, kwargs=kwargs)
    response = client.get(url) if name != "governance-acknowledge" else client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_calendar_shows_boards_chairs_reporting_lines_and_dates(signed_in, gov_world):
    page = text(signed_in.get(reverse("governance")))
    assert (
        "Vulnerability Performance Group Internal board, monthly on the 2nd Tuesday "
        "Head of Protecting Vulnerable People Force Performance Board "
        "Tue 10 Dec 2024 Tue 14 Jan 2025 Tue 11 Feb 2025 "
        "Thu 5 Dec 2024 Thu 9 Jan 2025 Thu 6 Feb 2025"
    ) in page
    assert "Vulnerability Performance Group reports to Force Performance Board" in page
    assert (
        "October to December 2024 Quarterly return to the national VAWG Taskforce "
        "Tue 21 Jan 2025 Fri 31 Jan 2025"
    ) in page


def test_owed_page_lists_what_each_role_owes(signed_in, gov_world):
    page = text(signed_in.get(reverse("governance-owed")))
    assert "3 updates owed on 20 November 2024, 0 overdue." in page
    assert (
        f"{DCI} Updates owed by {DCI} Action Owed to Update owed before Latest update "
        "2.1 Action 2.1 Vulnerability Performance Group: papers by 5 Dec 2024 for the meeting "
        "on 10 Dec 2024 5 Dec 2024 5 Nov 2024"
    ) in page
    assert "1.3 Action 1.3" in page
    assert "None yet" in page


def test_a_submitted_update_shows_as_awaiting_approval_and_is_still_owed(
    signed_in, gov_world, users
):
    waiting = Update.objects.create(
        response=gov_world.responses["2.1"],
        as_at=NOW.date(),
        text="Submitted, not approved.",
        author_role=DCI,
        review_state=ReviewState.SUBMITTED,
    )
    for name in ("governance-owed", "governance-owed-mine"):
        if name == "governance-owed-mine":
            RoleAssignment.objects.create(user=users["reviewer"], owner_role=DCI)
        page = text(signed_in.get(reverse(name)))
        assert (
            "2.1 Action 2.1 Vulnerability Performance Group: papers by 5 Dec 2024 for the meeting "
            "on 10 Dec 2024 5 Dec 2024 5 Nov 2024 Awaiting approval update of 20 Nov 2024: "
            "still owed until it is approved"
        ) in page
    html = signed_in.get(reverse("governance-owed")).content.decode()
    assert html.count(f'data-awaiting="{waiting.pk}"') == 1


def test_owed_page_filters_by_role(signed_in, gov_world):
    page = text(signed_in.get(reverse("governance-owed"), {"role": DCI}))
    assert "1 update owed on 20 November 2024, 0 overdue." in page
    assert "2.1 Action 2.1" in page
    assert "1.1 Action 1.1" not in page


def test_my_page_shows_only_my_roles(signed_in, gov_world, users):
    page = text(signed_in.get(reverse("governance-owed-mine")))
    assert "You do not hold any owner role yet" in page
    assert "updates owed" not in page and "Nothing is owed" not in page
    RoleAssignment.objects.create(user=users["reviewer"], owner_role=PVP)
    page = text(signed_in.get(reverse("governance-owed-mine")))
    assert f"Updates owed by your roles: {PVP}." in page
    assert "2 updates owed on 20 November 2024, 0 overdue." in page
    assert "2.1 Action 2.1" not in page


def test_acknowledging_redirects_back_with_a_banner(signed_in, gov_world, users):
    update = gov_world.updates["2.1"]
    url = reverse("governance-acknowledge", kwargs={"pk": update.pk})
    back = reverse("governance-owed") + "?role=" + DCI.replace(" ", "+").replace(",", "%2C")
    response = signed_in.post(url, {"comment": "Read, thank you.", "next": back})
    assert response.status_code == 302
    assert response["Location"] == f"{back}#update-{update.pk}"
    ack = UpdateAcknowledgement.objects.get(update=update)
    assert (ack.reviewer, ack.comment) == (users["reviewer"], "Read, thank you.")

    page = signed_in.get(response["Location"])
    html = page.content.decode()
    assert "govuk-notification-banner" in html
    assert "You acknowledged the update of 5 November 2024 on action 2.1." in html
    assert "reviewer, " in text(page) and ": Read, thank you." in text(page)
    assert "Acknowledged by you" in html

    again = signed_in.post(url, {"next": back})
    assert again.status_code == 302
    assert "You had already acknowledged" in signed_in.get(again["Location"]).content.decode()
    assert UpdateAcknowledgement.objects.filter(update=update).count() == 1


def test_acknowledging_your_own_update_shows_the_error(client, gov_world, users):
    update = gov_world.updates["2.1"]
    update.author = users["author"]
    update.save(update_fields=["author"])
    client.force_login(users["author"])
    page = client.get(reverse("governance-owed")).content.decode()
    assert "This is your own update" in page
    response = client.post(
        reverse("governance-acknowledge", kwargs={"pk": update.pk}),
        {"next": reverse("governance-owed")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'<a href="#update-{update.pk}">You cannot acknowledge your own update.</a>' in html
    assert "<title>Error: " in html
    assert not UpdateAcknowledgement.objects.exists()


def test_acknowledge_needs_post_and_a_csrf_token_and_ignores_foreign_next(gov_world, users):
    update = gov_world.updates["2.1"]
    url = reverse("governance-acknowledge", kwargs={"pk": update.pk})
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["reviewer"])
    assert strict.get(url).status_code == 405
    assert strict.post(url).status_code == 403
    assert not UpdateAcknowledgement.objects.exists()

    lenient = Client()
    lenient.force_login(users["reviewer"])
    response = lenient.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == f"{reverse('governance-owed')}#update-{update.pk}"
    assert lenient.post(reverse("governance-acknowledge", kwargs={"pk": 99999})).status_code == 404


def test_a_long_update_is_an_excerpt_with_a_link_to_the_whole(signed_in, gov_world):
    sentence = "The panel reviewed every outcome 16 case closed this month. "
    long_text = (sentence * 170).strip()  # 10,200 characters
    response = gov_world.responses["2.1"]
    update = Update.objects.create(
        response=response,
        as_at=NOW.date(),
        text=long_text,
        author_role=DCI,
        review_state=ReviewState.SUBMITTED,
    )
    html = signed_in.get(reverse("governance-owed")).content.decode()
    card = html[html.index(f'id="update-{update.pk}"') :]
    card = card[: card.index("Acknowledged by")]
    shown = re.search(r'vawg-narrative">(.*?) <a class="govuk-link"', card, re.S).group(1)
    # Cut after the last word that ends within 300 characters, ended with an ellipsis
    # (instead of the full stop: 299 characters and "…").
    assert shown == sentence * 4 + "The panel reviewed every outcome 16 case closed this month…"
    assert len(shown) == 299
    assert long_text not in html
    link = f'href="{reverse("action", args=[response.action.code])}#update-{update.pk}"'
    assert f'<a class="govuk-link" {link}>Read the whole update' in card


def test_a_short_update_is_shown_whole_without_a_link(signed_in, gov_world):
    html = signed_in.get(reverse("governance-owed")).content.decode()
    update = gov_world.updates["2.1"]
    card = html[html.index(f'id="update-{update.pk}"') :]
    card = card[: card.index("Acknowledged by")]
    assert f'vawg-narrative">{update.text}</dd>' in card
    assert "Read the whole update" not in card
