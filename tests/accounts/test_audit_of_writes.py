"""The audit trail holds the writes that bypass model signals (``update()``,
``bulk_create()``) and the models added to its registry: who, what, old and new values."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from vawg.accounts import twofactor
from vawg.accounts.models import TOTPDevice
from vawg.audit.models import AuditEvent
from vawg.audit.recording import acting_as
from vawg.governance.models import RoleAssignment
from vawg.governance.services import acknowledge_update
from vawg.imports.models import ImportJob, JobKind, JobStatus
from vawg.metrics.models import ReckonerPublication
from vawg.strategy.models import ResponseChange


def _events(**filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def test_a_response_changed_on_its_page_is_in_the_trail_with_old_and_new(
    client, world, as_role, users
):
    as_role("head_of_pvp")
    response = world.own_response
    page = client.post(
        reverse("action-change-response", args=[world.own_action.code]),
        {
            "owner_role": "Detective Superintendent",
            "status": "in_progress",
            "rag": "red",
            "due-day": "30",
            "due-month": "6",
            "due-year": "2025",
            "revision": str(response.revision),
        },
    )
    assert page.status_code == 302

    (event,) = _events(app_label="strategy", model="response", action="change")
    assert event.actor == users["head_of_pvp"]
    assert event.actor_label == "head-of-pvp"
    assert event.object_pk == str(response.pk)
    assert event.object_repr == f"cambridgeshire {world.own_action.code}"
    assert event.ip == "127.0.0.1"
    assert event.changes == {
        "owner_role": ["Head of PVP", "Detective Superintendent"],
        "status": ["not_started", "in_progress"],
        "rag": ["amber", "red"],
        "due": [None, "2025-06-30"],
        "revision": [1, 2],
    }
    # The history rows the page shows agree with the trail.
    assert ResponseChange.objects.filter(response=response).count() == 4


def test_a_save_that_changes_nothing_records_nothing(client, world, as_role):
    as_role("head_of_pvp")
    client.post(
        reverse("action-change-response", args=[world.own_action.code]),
        {
            "owner_role": "Head of PVP",
            "status": "not_started",
            "rag": "amber",
            "revision": str(world.own_response.revision),
        },
    )
    assert _events(model="response", action="change") == []


def test_a_stale_change_is_refused_and_not_recorded(client, world, as_role):
    as_role("head_of_pvp")
    client.post(
        reverse("action-change-response", args=[world.own_action.code]),
        {"owner_role": "DCI", "status": "complete", "rag": "green", "revision": "7"},
    )
    assert _events(model="response", action="change") == []


def test_regenerating_recovery_codes_is_recorded_without_the_codes(client, users, as_role):
    user = users["board_member"]
    TOTPDevice.objects.create(user=user, secret=twofactor.new_secret(), confirmed_at=timezone.now())
    as_role("board_member")
    assert client.post(reverse("two-factor")).status_code == 302
    codes = client.session[  # the page shows them once from the session
        "vawg_new_recovery_codes"
    ]
    assert len(codes) == 10

    (event,) = _events(model="user", object_pk=str(user.pk), changes__has_key="recovery_codes")
    assert event.actor == user
    assert event.object_repr == "recovery codes of board-member"
    assert event.changes == {"recovery_codes": "regenerated", "count": 10, "replaced": 0}

    # Again: the ten old codes are deleted (each recorded, hash hidden) and ten new made.
    twofactor.new_recovery_codes(user)
    last = _events(model="user", object_pk=str(user.pk), changes__has_key="recovery_codes")[-1]
    assert last.changes["replaced"] == 10
    deleted = _events(model="recoverycode", action="delete")
    assert len(deleted) == 10
    assert {e.changes["code_hash"] for e in deleted} == {"set"}
    everything = " ".join(str(e.changes) + e.object_repr for e in AuditEvent.objects.all())
    for code in codes:
        assert code not in everything
        assert twofactor._hash(code) not in everything


def test_using_a_recovery_code_is_recorded(users):
    user = users["board_member"]
    codes = twofactor.new_recovery_codes(user)
    assert twofactor.use_recovery_code(user, codes[0]) is True
    assert twofactor.use_recovery_code(user, codes[0]) is False  # spent: nothing more recorded

    used = [e for e in _events(model="user", object_pk=str(user.pk)) if "left" in e.changes]
    assert [e.changes for e in used] == [{"recovery_codes": "one used", "left": 9}]


def test_a_submitted_return_is_recorded_without_its_content(client, world, as_role, users):
    as_role("head_of_pvp")
    page = client.post(reverse("report-return-submit", args=["2024Q1"]))
    assert page.status_code == 302

    (event,) = _events(app_label="reports", model="returnsubmission")
    assert event.action == "create"
    assert event.actor == users["head_of_pvp"]
    assert event.object_repr == "cambridgeshire 2024Q1 submission 0"
    assert event.changes["quarter"] == "2024Q1"
    assert event.changes["number"] == 0
    assert event.changes["submitted_by"] == users["head_of_pvp"].pk
    assert len(event.changes["sha256"]) == 64
    assert "content" not in event.changes


def test_publishing_a_month_is_recorded_without_its_rows(client, world, as_role, users):
    as_role("administrator")
    page = client.post(reverse("reckoner-publish"), {"month": world.unpublished_month})
    assert page.status_code == 302

    publication = ReckonerPublication.objects.get(month=world.unpublished_month)
    (event,) = _events(model="reckonerpublication", object_pk=str(publication.pk))
    assert event.action == "create"
    assert event.actor == users["administrator"]
    assert event.object_repr == "cambridgeshire reckoner 2024-03"
    assert event.changes == {
        "force": world.force.pk,
        "month": "2024-03",
        "published_by": users["administrator"].pk,
    }


def test_an_acknowledgement_is_recorded_and_its_comment_is_not_copied(world, users):
    reviewer = users["board_member"]
    with acting_as(reviewer):
        acknowledge_update(update=world.approved, reviewer=reviewer, comment="Seen by DS Smith")

    (event,) = _events(model="updateacknowledgement")
    assert event.action == "create"
    assert event.actor == reviewer
    assert (
        event.object_repr == f"acknowledgement of update {world.approved.pk} by user {reviewer.pk}"
    )
    assert event.changes == {
        "update": world.approved.pk,
        "reviewer": reviewer.pk,
        "comment": "set",
    }


def test_an_owner_role_assignment_is_recorded(users):
    lead = users["project_lead"]
    with acting_as(users["administrator"]):
        assignment = RoleAssignment.objects.create(user=lead, owner_role="Detective Inspector")
        assignment.delete()

    created, deleted = _events(model="roleassignment")
    assert (created.action, deleted.action) == ("create", "delete")
    assert created.actor == users["administrator"]
    assert created.object_repr == f"user {lead.pk} as Detective Inspector"
    assert created.changes == {"user": lead.pk, "owner_role": "Detective Inspector"}


def test_an_import_job_is_recorded_and_its_messages_only_as_changed(users):
    analyst = users["analyst"]
    with acting_as(analyst):
        job = ImportJob.objects.create(
            created_by=analyst, kind=JobKind.POLICE_UK, file_names=["2024-01-street.csv"]
        )
    with acting_as("system: import worker"):
        job.status = JobStatus.FAILED
        job.finished_at = dt.datetime(2024, 4, 1, 9, 30, tzinfo=dt.UTC)
        job.message = "Row 3: 'Jane Doe' is not a date"
        job.errors = [{"problem": "'Jane Doe' is not a date"}]
        job.files_done = 1
        job.save()

    created, changed = _events(model="importjob")
    assert created.action == "create"
    assert created.actor == analyst
    assert created.object_repr == f"import job {job.pk}"
    assert created.changes["file_names"] == ["2024-01-street.csv"]
    assert created.changes["status"] == "queued"
    assert changed.actor_label == "system: import worker"
    assert changed.changes == {
        "finished_at": [None, "2024-04-01T09:30:00+00:00"],
        "status": ["queued", "failed"],
        "message": "changed",
        "errors": "changed",
    }
    assert "Jane" not in str(created.changes) + str(changed.changes)


@pytest.mark.parametrize(
    "label",
    [
        "reports.ReturnSubmission",
        "metrics.ReckonerPublication",
        "governance.Board",
        "governance.RoleAssignment",
        "governance.UpdateAcknowledgement",
        "imports.ImportJob",
    ],
)
def test_the_models_are_in_the_registry(label):
    from django.apps import apps

    from vawg.audit import registry

    app_label, _, name = label.partition(".")
    assert registry.tracked(apps.get_model(app_label, name)) is not None


def test_a_user_is_not_described_by_anything_but_the_username(users):
    # The object_repr of user events is the account name, never the person's name or email.
    user = User.objects.get(username="board-member")
    user.first_name = "Ann"
    user.save()
    (event,) = _events(
        model="user", action="change", object_pk=str(user.pk), changes__has_key="first_name"
    )
    assert event.object_repr == "board-member"
    assert event.changes == {"first_name": "changed"}
