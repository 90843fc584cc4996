"""What the audit trail records, attributed to whom, and what it never holds."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.http import HttpResponse
from django.test import RequestFactory

from vawg.audit.middleware import AuditUserMiddleware
from vawg.audit.models import AuditEvent
from vawg.audit.recording import (
    acting_as,
    current_actor,
    log_restricted_access,
    record_bulk,
    record_event,
    recording_suspended,
)
from vawg.errors import VawgError
from vawg.metrics.models import Observation
from vawg.strategy.models import Action, Aim, Force, Framework, Pillar, Response, Strategy, Update

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def _events(**filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


@pytest.fixture
def world():
    framework = Framework.objects.create(
        code="nfd-test", version=1, title="F", publisher="NPCC", published="2021-12-01"
    )
    pillar = Pillar.objects.create(framework=framework, code="p1", number=1, title="Trust")
    action = Action.objects.create(
        pillar=pillar, code="nfd-test-1.1", number="1.1", position=1, title="A", description="D"
    )
    force = Force.objects.create(slug="testshire", name="Testshire Police")
    strategy = Strategy.objects.create(
        code="s1", version=1, force=force, framework=framework, title="S", approved="2022-01-01"
    )
    return {"action": action, "force": force, "strategy": strategy, "pillar": pillar}


def test_create_records_values_and_the_actor(world):
    with acting_as("system: vawg init"):
        force = Force.objects.create(slug="kent", name="Kent Police")

    (event,) = _events(model="force", object_pk=str(force.pk))
    assert event.action == "create"
    assert event.actor_label == "system: vawg init"
    assert event.actor is None
    assert event.app_label == "strategy"
    assert event.object_repr == "kent"
    assert event.changes == {"slug": "kent", "name": "Kent Police"}


def test_change_records_old_and_new_and_nothing_for_a_save_without_change(world):
    action = world["action"]
    action.title = "New title"
    action.save()
    action.save()  # unchanged: no second event

    (event,) = _events(action="change", model="action")
    assert event.changes == {"title": ["A", "New title"]}
    assert event.object_repr == "nfd-test-1.1"
    assert event.actor_label == "system"


def test_update_fields_limits_what_is_compared(world):
    force = world["force"]
    Force.objects.filter(pk=force.pk).update(name="Changed behind our back")
    force.slug = "testshire-2"
    force.save(update_fields=["slug"])
    (event,) = _events(action="change", model="force")
    assert event.changes == {"slug": ["testshire", "testshire-2"]}


def test_long_text_is_truncated_with_a_note(world):
    action = world["action"]
    action.description = "x" * 500
    action.save()
    (event,) = _events(action="change", model="action")
    old, new = event.changes["description"]
    assert old == "D"
    assert new.startswith("x" * 200)
    assert new.endswith("[truncated: 500 characters]")
    assert len(new) < 260


def test_sensitive_fields_are_recorded_only_as_changed(world):
    response = Response.objects.create(
        force=world["force"], action=world["action"], owner_role="Head of PVP"
    )
    update = Update.objects.create(
        response=response, as_at=dt.date(2024, 1, 31), text="Jane Doe said…", author_role="Lead"
    )
    update.text = "Corrected narrative naming John Smith"
    update.save()

    created, changed = _events(model="update")
    assert created.changes["text"] == "set"
    assert changed.changes == {"text": "changed"}
    assert created.object_repr == f"update {update.pk} on response {response.pk}"
    everything = json.dumps([created.changes, changed.changes, created.object_repr])
    assert "Jane" not in everything
    assert "John" not in everything


def test_response_is_named_by_force_and_action_code(world):
    response = Response.objects.create(
        force=world["force"], action=world["action"], owner_role="Head of PVP"
    )
    (event,) = _events(model="response")
    assert event.object_repr == "testshire nfd-test-1.1"
    assert "updated_at" not in event.changes
    assert event.object_pk == str(response.pk)


def test_delete_is_recorded(world):
    force = Force.objects.create(slug="gone", name="Gone Police")
    pk = force.pk
    force.delete()
    (event,) = _events(action="delete", model="force")
    assert event.object_pk == str(pk)
    assert event.object_repr == "gone"


def test_many_to_many_links_are_recorded_both_ways(world):
    aim = Aim.objects.create(
        strategy=world["strategy"], code="a1", position=1, title="Aim", description="d"
    )
    action = world["action"]
    aim.actions.add(action)
    aim.actions.remove(action)
    action.aims.add(aim)
    aim.actions.clear()

    changes = [e.changes for e in _events(action="change")]
    assert changes == [
        {"actions": {"added": [action.pk]}},
        {"actions": {"removed": [action.pk]}},
        {"aims": {"added": [aim.pk]}},
        {"actions": {"removed": [action.pk]}},
    ]


def test_raw_saves_and_suspended_recording_write_nothing(world):
    data = serializers.serialize("json", [world["force"]])
    AuditEvent.objects.all()  # no-op: make sure only new events count
    before = AuditEvent.objects.count()
    for obj in serializers.deserialize("json", data):
        obj.save()  # raw=True, as loaddata does
    with recording_suspended():
        Force.objects.create(slug="quiet", name="Quiet")
        assert record_event("view", target="anything", purpose="x") is None
    assert AuditEvent.objects.count() == before


def test_record_bulk_writes_one_summary_event():
    event = record_bulk(Observation, 1234, "change", "recomputed from import run 7")
    assert event.model == "observation"
    assert event.object_repr == "1234 observations"
    assert event.changes == {"count": 1234, "note": "recomputed from import run 7"}


def test_unknown_action_is_refused():
    with pytest.raises(VawgError, match="Unknown audit action"):
        record_event("erase", target="x")


def test_middleware_attributes_events_to_the_request_user():
    user = User.objects.create_user("analyst", password=PASSWORD)
    request = RequestFactory().post("/", REMOTE_ADDR="10.1.2.3")
    request.user = user

    def view(req):
        assert current_actor().label == "analyst"
        Force.objects.create(slug="viewshire", name="Viewshire Police")
        return HttpResponse("ok")

    AuditUserMiddleware(view)(request)

    (event,) = _events(model="force")
    assert event.actor == user
    assert event.actor_label == "analyst"
    assert event.ip == "10.1.2.3"
    assert current_actor().label == "system"  # reset after the request


def test_a_refused_request_is_recorded_with_path_and_method_but_no_query(client):
    from vawg.accounts import roles

    user = User.objects.create_user("board", password=PASSWORD)
    roles.assign_role(user, roles.BOARD_MEMBER)
    client.force_login(user)

    response = client.get("/offenders/", {"q": "a name someone searched for"})

    assert response.status_code == 403
    (event,) = _events(action="refused")
    assert (event.actor, event.object_repr, event.ip) == (user, "GET /offenders/", "127.0.0.1")
    assert "searched" not in json.dumps(serializers.serialize("json", [event]))
    # Anything but a 403 is not a refusal (here: no force is loaded, so the home page is 404).
    assert client.get("/").status_code == 404
    assert len(_events(action="refused")) == 1


def test_sign_in_success_and_failure_keep_no_password(client, caplog):
    caplog.set_level(logging.DEBUG)
    user = User.objects.create_user("analyst", password=PASSWORD)
    assert client.login(username="analyst", password=PASSWORD)
    request = RequestFactory().post("/login/", REMOTE_ADDR="192.0.2.7")
    assert authenticate(request, username="intruder", password="Hunter2-secret") is None

    (login,) = _events(action="login")
    assert login.actor == user
    assert login.object_repr == "analyst"
    assert authenticate(request, username="ANALYST", password="wrong-guess") is None
    # A password typed into the username box must not be kept in the clear.
    assert authenticate(request, username="Hunter2-secret", password="") is None

    intruder, known, mistyped = _events(action="login_failed")
    assert intruder.actor is None
    assert intruder.object_repr == "unknown username"
    assert intruder.ip == "192.0.2.7"
    assert known.object_repr == "ANALYST"
    assert mistyped.object_repr == "unknown username"
    assert intruder.changes["username_key"] != mistyped.changes["username_key"]
    assert len(intruder.changes["username_key"]) == 16
    stored = serializers.serialize("json", AuditEvent.objects.all())
    assert "Hunter2" not in stored
    assert PASSWORD not in stored
    assert "****" not in stored  # not even Django's masked placeholder
    # Application logs carry ids and counts only, never usernames.
    assert "intruder" not in caplog.text
    assert "analyst" not in caplog.text
    # Signing in is not a change to the account: last_login is not recorded as one.
    assert not _events(action="change", model="user")


def test_group_membership_is_recorded_and_passwords_are_not():
    user = User.objects.create_user("analyst", password=PASSWORD)
    group = Group.objects.create(name="offender managers")
    user.groups.add(group)
    user.set_password("another-long-password")
    user.save()

    created = _events(action="create", model="user")[0]
    assert created.changes["password"] == "set"
    grant, password = _events(action="change", model="user")
    assert grant.changes == {"groups": {"added": [group.pk]}}
    assert password.changes == {"password": "changed"}


def test_restricted_access_needs_a_purpose_and_records_it(world):
    user = User.objects.create_user("offender-manager", password=PASSWORD)
    with pytest.raises(VawgError, match="purpose is required"):
        log_restricted_access(user=user, action="view", obj_or_label="list", purpose="  ")
    with pytest.raises(VawgError, match="'view' or 'export'"):
        log_restricted_access(user=user, action="change", obj_or_label="list", purpose="x")

    event = log_restricted_access(
        user=user,
        action="view",
        obj_or_label=world["force"],
        purpose="MARAC preparation, case conference 12",
    )
    assert event.actor == user
    assert event.dpa_operation == "consultation"
    assert event.object_repr == "testshire"
    assert event.purpose == "MARAC preparation, case conference 12"
    export = log_restricted_access(
        user=user, action="export", obj_or_label="perpetrator list", purpose="Partner referral"
    )
    assert export.dpa_operation == "disclosure"
    assert export.object_repr == "perpetrator list"
