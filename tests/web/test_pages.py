"""Every page: signed-in users see it, anonymous users are sent to sign in; real values shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from vawg.strategy.models import DeliveryRag, Response, Status, Update
from vawg.strategy.selectors import framework_with_responses, home_summary

PAGES = [
    ("home", {}),
    ("framework", {}),
    ("action", {"code": "nfd21-1.1"}),
    ("projects", {}),
    ("project", {"code": "kaizen"}),
    ("reckoner", {}),
]


def h1(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m)).strip()
        for m in re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)
    ]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_page_is_shown_to_a_signed_in_user_with_one_h1(signed_in, world, name, kwargs):
    response = signed_in.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(h1(html)) == 1
    assert 'href="#main-content"' in html
    assert "Open Government Licence v3.0" in html
    assert "GDS Transport" not in html


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_anonymous_user_is_sent_to_sign_in(client, world, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_sign_in_page_and_bad_credentials_show_the_error_summary(client, user):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "analyst", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a correct username and password" in html
    assert "<title>Error: Sign in" in html


def test_sign_in_with_good_credentials_goes_home_and_sign_out_is_a_post(
    client, user, password, world
):
    response = client.post(reverse("login"), {"username": "analyst", "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert 'action="' + reverse("logout") + '"' in home
    assert client.get(reverse("logout")).status_code == 405  # never by GET
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_home_counts_match_the_database(signed_in, world):
    html = signed_in.get(reverse("home")).content.decode()
    for status in Status:
        expected = Response.objects.filter(force=world.force, status=status).count()
        assert f'data-status="{status.value}">{expected}</td>' in html
    for rag in DeliveryRag:
        expected = Response.objects.filter(force=world.force, rag=rag).count()
        assert f'data-rag="{rag.value}">{expected}</td>' in html


def test_home_summary_counts_and_overdue_on_a_given_day(world):
    summary = home_summary(world.force, today=dt.date(2024, 6, 1))
    assert summary.total == 6
    assert {c.value: c.count for c in summary.by_status} == {
        "not_started": 1,
        "in_progress": 3,
        "complete": 1,
        "embedded": 1,
    }
    assert {c.value: c.count for c in summary.by_rag} == {"red": 1, "amber": 2, "green": 3}
    # Due long ago and not complete or embedded: exactly 1.1 and 2.1, oldest due first.
    assert [r.action.number for r in summary.overdue] == ["1.1", "2.1"]
    latest = summary.latest_updates
    assert len(latest) == 10
    assert [u.as_at for u in latest] == sorted((u.as_at for u in latest), reverse=True)
    assert latest[0].as_at == dt.date(2024, 12, 15)


def test_home_summary_on_an_earlier_day_has_fewer_overdue(world):
    summary = home_summary(world.force, today=dt.date(2002, 1, 1))
    assert [r.action.number for r in summary.overdue] == ["1.1"]


def test_home_page_lists_exactly_the_overdue_actions(signed_in, world):
    html = signed_in.get(reverse("home")).content.decode()
    overdue = html.split('id="overdue-list"', 1)[1].split("</tbody>", 1)[0]
    assert re.findall(r'data-action="([^"]+)"', overdue) == ["nfd21-1.1", "nfd21-2.1"]
    assert reverse("action", args=["nfd21-1.1"]) in overdue


def test_home_page_shows_the_ten_latest_updates_shortened(signed_in, world):
    html = signed_in.get(reverse("home")).content.decode()
    latest = html.split('id="latest-updates-list"', 1)[1].split("</tbody>", 1)[0]
    assert latest.count("<tr") == 10
    assert "Update 12 on action" in latest
    assert "Update 2 on action" not in latest  # the two oldest are left out
    assert "Update 1 on action" not in latest
    longest = max(len(u.text) for u in Update.objects.all())
    assert longest > 200
    assert "…" in latest


def test_framework_page_lists_pillars_and_actions_with_responses(signed_in, world):
    html = signed_in.get(reverse("framework")).content.decode()
    assert html.count('<caption class="govuk-table__caption govuk-table__caption--l">') == 3
    assert "Pillar 2: Relentless perpetrator pursuit" in html
    assert reverse("action", args=["nfd21-2.3"]) in html
    assert "vawg-rag--red" in html
    # last update date of action 1.1: updates 1 (Jan) and 7 (Jul) → 15 Jul 2024
    row = html.split('data-action="nfd21-1.1"', 1)[1].split("</tr>", 1)[0]
    assert "15 Jul 2024" in row
    assert "Overdue" in row


def test_framework_selector_orders_pillars_and_marks_overdue(world):
    view = framework_with_responses(world.force, today=dt.date(2024, 6, 1))
    assert [p.pillar.number for p in view.pillars] == [1, 2, 3]
    rows = {row.action.number: row for p in view.pillars for row in p.rows}
    assert rows["1.1"].overdue
    assert not rows["1.2"].overdue
    assert rows["1.1"].last_update == dt.date(2024, 7, 15)
    assert rows["3.1"].response.due is None


def test_action_page_shows_response_links_and_history(signed_in, world):
    html = signed_in.get(reverse("action", args=["nfd21-1.1"])).content.decode()
    assert h1(html) == ["1.1 Action 1.1 title"]
    assert "Head of Protecting Vulnerable People" in html
    assert 'href="https://example.org/tor"' in html
    assert 'href="javascript' not in html  # a script URL is shown, never linked
    assert reverse("project", args=["kaizen"]) in html
    # updates newest first
    assert html.index("15 July 2024") < html.index("15 January 2024")
    assert 'name="revision" value="1"' in html


def test_unknown_action_is_not_found(signed_in, world):
    assert signed_in.get(reverse("action", args=["nfd21-9.9"])).status_code == 404


def test_project_page_shows_milestones_actions_and_its_metrics(signed_in, world):
    html = signed_in.get(reverse("project", args=["kaizen"])).content.decode()
    assert h1(html) == ["Project Kaizen"]
    assert "Domestic abuse matters training delivered" in html
    assert "30 Sep 2022" in html
    assert "Perpetrator focus" in html
    assert reverse("action", args=["nfd21-2.1"]) in html
    assert 'data-metric="da-recorded"' in html
    assert "August 2024" in html
    # latest month: count 1000 + 50*7 = 1,350
    assert "1,350" in html


def test_projects_list_counts_milestones(signed_in, world):
    html = signed_in.get(reverse("projects")).content.decode()
    assert "Project Kaizen" in html
    assert "1 of 2" in html
