"""The 404 and 403 pages follow the GOV.UK patterns, and a refusal is logged in one line."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.urls import reverse

from vawg.accounts import roles


def test_an_unknown_address_is_the_page_not_found_page(signed_in, world):
    page = signed_in.get("/no-such-page/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "<title>Page not found – VAWG Tracker</title>" in html
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert "If you typed the web address, check it is correct." in html
    assert f'<a class="govuk-link" href="{reverse("home")}">Go to the home page</a>' in html


def test_a_missing_object_does_not_leak_its_message(signed_in, world):
    page = signed_in.get(reverse("metric", args=["no-such-metric"]))
    assert page.status_code == 404
    assert "Page not found" in page.content.decode()
    assert "no-such-metric" not in page.content.decode().split("<main", 1)[1]


def test_a_refusal_is_a_page_and_one_log_line_without_a_traceback(client, world, caplog):
    partner = get_user_model().objects.create_user(username="partner-jo", password="x" * 20)
    roles.assign_role(partner, roles.PARTNER)
    client.force_login(partner)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        page = client.get(reverse("report-paper") + "?board=secret")
    assert page.status_code == 403
    html = page.content.decode()
    assert "You do not have permission to see this page" in html
    assert f'href="{reverse("home")}">Go to the home page</a>' in html

    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == f"forbidden: {reverse('report-paper')} (user id {partner.pk})"
    assert record.exc_info is None and record.exc_text is None
    assert "partner-jo" not in caplog.text and "secret" not in caplog.text
    assert "Traceback" not in caplog.text
