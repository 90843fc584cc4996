"""Retiring a board (dropped from a new edition of the pack) shows in the audit trail."""

from __future__ import annotations

from governance_testdata import (
    PACK,
    gov_world_fixture,  # noqa: F401 - fixtures used by name
)

from vawg.audit.models import AuditEvent
from vawg.audit.recording import acting_as
from vawg.governance.models import Board
from vawg.governance.services import load_governance_pack


def test_a_retired_board_is_recorded_as_made_inactive(gov_world, tmp_path):
    vpg = Board.objects.get(code="vpg")
    text = PACK.replace("version: 1", "version: 2")
    vpg_block = text[text.index("  - id: vpg") : text.index("  - id: fpb")]
    path = tmp_path / "v2.yaml"
    path.write_text(text.replace(vpg_block, ""), encoding="utf-8")

    with acting_as("system: vawg governance"):
        summary = load_governance_pack(path)

    assert summary.retired == 1
    (event,) = AuditEvent.objects.filter(
        model="board", object_pk=str(vpg.pk), action="change", changes__has_key="active"
    )
    assert event.app_label == "governance"
    assert event.actor_label == "system: vawg governance"
    assert event.object_repr == "testshire vpg"
    assert event.changes == {"active": [True, False]}


def test_loading_the_same_pack_again_records_no_change(gov_world):
    before = AuditEvent.objects.filter(model="board").count()
    load_governance_pack(gov_world.pack_path)
    assert AuditEvent.objects.filter(model="board").count() == before
