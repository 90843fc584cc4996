"""Loading packs into the database: complete, repeatable, and never overwriting a user's work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vawg.cli import main
from vawg.strategy.loader import DEFAULT_FRAMEWORK, DEMO_RESPONSES, load_packs
from vawg.strategy.models import (
    Action,
    Aim,
    ImprovementProject,
    Milestone,
    Phase,
    Pillar,
    Response,
    Status,
    Update,
)


@pytest.mark.django_db
def test_packs_load_with_the_expected_shape():
    summary = load_packs(responses_path=DEMO_RESPONSES)
    assert summary.actions == 34
    counts = {p.number: p.actions.count() for p in Pillar.objects.all()}
    assert counts == {1: 14, 2: 12, 3: 8}
    assert Aim.objects.count() == 6
    assert Phase.objects.count() == 3
    assert set(ImprovementProject.objects.values_list("code", flat=True)) == {
        "kaizen",
        "artemis",
        "boyd",
        "eleos",
    }
    assert Response.objects.count() == 34
    assert Update.objects.count() == 34
    # Every action is linked to at least one aim; 3.1 concerns all four projects.
    assert not Action.objects.filter(aims=None).exists()
    assert Action.objects.get(code="nfd21-3.1").projects.count() == 4
    assert "160" in Update.objects.get(response__action__code="nfd21-1.11").text


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_keeps_user_edits():
    load_packs(responses_path=DEMO_RESPONSES)
    response = Response.objects.get(action__code="nfd21-2.4")
    response.status = Status.COMPLETE
    response.owner_role = "Detective Superintendent, Safeguarding"
    response.save()
    milestone = Milestone.objects.order_by("pk").first()
    milestone.status = Status.COMPLETE
    milestone.save()

    summary = load_packs(responses_path=DEMO_RESPONSES)

    assert (summary.responses_created, summary.updates_created) == (0, 0)
    assert Update.objects.count() == 34
    response.refresh_from_db()
    milestone.refresh_from_db()
    assert response.status == Status.COMPLETE
    assert response.owner_role == "Detective Superintendent, Safeguarding"
    assert milestone.status == Status.COMPLETE


@pytest.mark.django_db
def test_loading_the_same_packs_again_writes_nothing_to_the_audit_trail():
    from vawg.audit.models import AuditEvent

    load_packs(responses_path=DEMO_RESPONSES)
    before = AuditEvent.objects.count()
    assert before > 0  # the first load is recorded
    load_packs(responses_path=DEMO_RESPONSES)
    added = AuditEvent.objects.order_by("pk")[before:]
    assert [(e.model, e.object_repr, e.changes) for e in added] == []
    # The links are still all there.
    assert Action.objects.get(code="nfd21-3.1").projects.count() == 4
    assert not Action.objects.filter(aims=None).exists()


@pytest.mark.django_db
def test_load_packs_command_refuses_a_broken_pack_and_writes_nothing(tmp_path: Path):
    broken = tmp_path / "npcc-vawg-2021.yaml"
    shutil.copy(DEFAULT_FRAMEWORK, broken)
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("id: nfd21-1.2\n", "id: nfd21-1.1\n", 1), encoding="utf-8")

    result = CliRunner().invoke(main, ["load-packs", "--framework", str(broken)])

    assert result.exit_code == 1
    assert "npcc-vawg-2021.yaml" in result.output
    assert "nfd21-1.1" in result.output
    assert Action.objects.count() == 0


@pytest.mark.django_db
def test_load_packs_command_check_only():
    result = CliRunner().invoke(main, ["load-packs", "--check"])
    assert result.exit_code == 0, result.output
    assert "34 actions in 3 pillars" in result.output
    assert Action.objects.count() == 0
