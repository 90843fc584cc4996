"""Audit events cannot be changed or removed through the ORM."""

from __future__ import annotations

import pytest

from vawg.audit.models import AppendOnlyError, AuditEvent
from vawg.audit.recording import record_event
from vawg.errors import VawgError

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted():
    event = record_event("view", target="perpetrator list", purpose="MAPPA")
    event.purpose = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(VawgError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["purpose"])
    assert AuditEvent.objects.get(pk=event.pk).purpose == "MAPPA"


def test_dpa_operations_cover_every_action():
    words = {
        "create": "collection",
        "change": "alteration",
        "delete": "erasure",
        "view": "consultation",
        "export": "disclosure",
    }
    for action, word in words.items():
        assert AuditEvent(action=action).dpa_operation == word
