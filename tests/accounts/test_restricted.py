"""Restricted pages: offender managers only, with a second factor, after stating a purpose;
every view and export is in the audit trail with who, when, what and that purpose."""

from __future__ import annotations

import logging
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from vawg.accounts import restricted as restricted_module
from vawg.accounts.access import RESTRICTED, access
from vawg.accounts.middleware import VERIFIED_KEY
from vawg.accounts.restricted import PURPOSES_KEY, record_key, restricted
from vawg.accounts.testing import sign_in
from vawg.audit.models import AuditEvent

from .test_access_matrix import ROLES

URL = "/offenders/"
PURPOSE = "Preparing the MARAC review of case 24/1187"


def _state(client, purpose=PURPOSE):
    return client.post(URL, {"vawg_restricted_purpose_form": "1", "purpose": purpose})


def _views() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__in=["view", "export"]).order_by("id"))


def test_the_url_is_the_offender_management_page():
    assert reverse("offenders") == URL


def test_an_offender_manager_states_a_purpose_then_sees_the_page_and_it_is_logged(
    client, users, as_role
):
    as_role("offender_manager")
    ask = client.get(URL)
    assert ask.status_code == 200
    page = ask.content.decode()
    assert "Why do you need this information?" in page
    assert "Restricted: offender management index" in page
    assert "Offender management</h1>" not in page  # nothing shown before the purpose
    assert _views() == []

    stated = _state(client)
    assert stated.status_code == 302
    assert stated["Location"] == URL
    assert _views() == []  # stating a purpose is not a view

    shown = client.get(URL)
    assert shown.status_code == 200
    assert "Offender management</h1>" in shown.content.decode()
    assert PURPOSE in shown.content.decode()
    (event,) = _views()
    assert event.action == "view"
    assert event.dpa_operation == "consultation"
    assert event.actor == users["offender_manager"]
    assert event.actor_label == "offender-manager"
    assert event.object_repr == "offender management index"
    assert event.purpose == PURPOSE
    assert event.ip == "127.0.0.1"


def test_every_view_is_logged_and_the_purpose_is_asked_again_after_a_while(
    client, users, as_role, monkeypatch, settings
):
    settings.VAWG_RESTRICTED_PURPOSE_SECONDS = 600
    as_role("offender_manager")
    _state(client)
    client.get(URL)
    client.get(URL)
    assert [e.purpose for e in _views()] == [PURPOSE, PURPOSE]

    later = time.time() + 601
    monkeypatch.setattr(restricted_module.time, "time", lambda: later)
    again = client.get(URL)
    assert "Why do you need this information?" in again.content.decode()
    assert len(_views()) == 2
    _state(client, "Checking the list before the team briefing")
    client.get(URL)
    assert _views()[-1].purpose == "Checking the list before the team briefing"


@pytest.mark.parametrize(
    ("purpose", "message"),
    [
        ("", "Enter why you need to see this information"),
        ("   ", "Enter why you need to see this information"),
        ("because", "Say in a few more words why"),
        ("x" * 501, "500 characters or fewer"),
    ],
)
def test_a_missing_or_thin_purpose_is_refused(client, users, as_role, purpose, message):
    as_role("offender_manager")
    page = _state(client, purpose)
    assert page.status_code == 200
    text = page.content.decode()
    assert message in text
    assert "govuk-error-summary" in text
    assert "Why do you need this information?" in client.get(URL).content.decode()
    assert _views() == []


@pytest.mark.parametrize("who", [r for r in ROLES if r != "offender_manager"])
def test_other_roles_are_refused_by_direct_url(client, users, as_role, who):
    as_role(who)
    assert client.get(URL).status_code == 403
    assert _state(client).status_code == 403
    assert _views() == []


def test_nobody_signed_in_is_sent_to_sign_in(client, db):
    page = client.get(URL)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))


def test_without_a_second_factor_the_session_ends_before_anything_is_shown(client, users):
    sign_in(client, users["offender_manager"], second_factor=False)
    page = client.get(URL)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert _views() == []


def _request(user, path="/restricted-thing/", *, verified=True, purpose=PURPOSE, record="thing"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request.session[VERIFIED_KEY] = verified
    if purpose:
        request.session[PURPOSES_KEY] = {
            record_key(record): {"purpose": purpose, "at": time.time()}
        }
    return request


@restricted("thing")
def _thing(request):
    return HttpResponse("the record")


def test_the_decorator_itself_refuses_a_session_without_a_second_factor(users):
    with pytest.raises(PermissionDenied):
        _thing(_request(users["offender_manager"], verified=False))
    assert _views() == []


def test_an_export_is_logged_as_an_export(users):
    response = _thing(_request(users["offender_manager"], "/restricted-thing/?export=csv"))
    assert response.status_code == 200
    (event,) = _views()
    assert (event.action, event.dpa_operation) == ("export", "disclosure")
    assert (event.object_repr, event.purpose) == ("thing", PURPOSE)


def test_a_refused_or_missing_record_is_not_logged_as_seen(users):
    @restricted("thing")
    def missing(request):
        return HttpResponse("no such record", status=404)

    assert missing(_request(users["offender_manager"])).status_code == 404
    assert _views() == []


def test_a_purpose_covers_one_record_only(users):
    from vawg.strategy.models import Force

    first = Force.objects.get()  # the world's force stands in for a restricted record
    second = Force.objects.create(slug="kent", name="Kent Police")

    @restricted(lambda request, pk: Force.objects.get(pk=pk))
    def record_page(request, pk):
        return HttpResponse("a record")

    request = _request(users["offender_manager"], record=first)
    assert record_page(request, first.pk).content == b"a record"
    # The same session, another record: asked again.
    asked = record_page(request, second.pk)
    assert b"Why do you need this information?" in asked.content
    (event,) = _views()
    assert (event.app_label, event.model, event.object_pk) == ("strategy", "force", str(first.pk))


def test_the_purpose_never_goes_to_the_application_log(client, users, as_role, caplog):
    caplog.set_level(logging.DEBUG)
    as_role("offender_manager")
    _state(client)
    client.get(URL)
    assert PURPOSE not in caplog.text
    assert "MARAC" not in caplog.text


def test_access_will_not_take_the_restricted_rule():
    with pytest.raises(TypeError, match="restricted"):
        access(RESTRICTED)


def test_the_middleware_refuses_a_restricted_rule_without_the_purpose_and_log(rf, users):
    from vawg.accounts.middleware import SIGNED_IN_AT_KEY, AccessPolicyMiddleware

    def sneaky(request):
        return HttpResponse("restricted, unlogged")

    sneaky.vawg_access = RESTRICTED
    request = rf.get("/somewhere/")
    request.user = users["offender_manager"]
    request.session = {SIGNED_IN_AT_KEY: time.time(), VERIFIED_KEY: True}
    request.resolver_match = None
    middleware = AccessPolicyMiddleware(lambda r: HttpResponse())
    with pytest.raises(PermissionDenied):
        middleware.process_view(request, sneaky, (), {})
    assert middleware.process_view(request, _thing, (), {}) is None
