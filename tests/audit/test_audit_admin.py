"""The admin shows the trail read-only and exports the filtered events as safe CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from vawg.audit.models import AuditEvent
from vawg.audit.recording import record_event
from vawg.strategy.models import Force

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def _sign_in(client, user) -> None:
    """Sign in as if the second factor had been passed (the accounts tests cover that step)."""
    client.force_login(user)
    session = client.session
    session["vawg_two_factor_verified"] = True
    session.save()


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("dpo", password=PASSWORD)
    _sign_in(client, user)
    return client


def _csv(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


def test_list_and_detail_show_but_nothing_can_be_added_changed_or_deleted(admin_client):
    event = record_event("view", target="perpetrator list", purpose="MAPPA review")
    changelist = reverse("admin:audit_auditevent_changelist")
    listing = admin_client.get(changelist)
    assert listing.status_code == 200
    assert b"Export these events as CSV" in listing.content
    assert admin_client.get(changelist, {"action__exact": "view"}).status_code == 200
    detail = reverse("admin:audit_auditevent_change", args=[event.pk])
    page = admin_client.get(detail)
    assert page.status_code == 200
    assert b"MAPPA review" in page.content
    assert admin_client.post(detail, {"purpose": "rewritten"}).status_code == 403
    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).purpose == "MAPPA review"


def test_export_follows_the_filters_and_is_itself_recorded(admin_client):
    Force.objects.create(slug="kent", name="Kent Police")
    record_event("view", target="perpetrator list", purpose="MAPPA review")
    url = reverse("admin:audit_auditevent_export")

    response = admin_client.get(url, {"action__exact": "view"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert [r["action"] for r in rows] == ["view"]
    assert rows[0]["dpa_operation"] == "consultation"
    assert rows[0]["purpose"] == "MAPPA review"
    (export,) = AuditEvent.objects.filter(action="export")
    assert export.actor.username == "dpo"
    assert export.changes["rows"] == 1
    assert export.changes["filters"] == {"action__exact": "view"}


def test_export_cells_cannot_become_formulas(admin_client):
    for text in ("=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "\tx", "plain"):
        record_event("view", target=text, purpose=text)
    url = reverse("admin:audit_auditevent_export")
    rows = _csv(admin_client.get(url, {"action__exact": "view"}))
    reprs = sorted(r["object_repr"] for r in rows)
    assert reprs == sorted(["'=HYPERLINK(1)", "'+1", "'-1", "'@SUM(A1)", "'\tx", "plain"])
    assert all(r["purpose"] == r["object_repr"] for r in rows)


def test_export_needs_its_own_permission(client):
    viewer = User.objects.create_user("viewer", password=PASSWORD, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    _sign_in(client, viewer)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_export")).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()
