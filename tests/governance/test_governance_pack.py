"""The governance pack: validation errors name file and item; loading is idempotent."""

from __future__ import annotations

import re

import pytest
from governance_testdata import (
    PACK,
    gov_world_fixture,  # noqa: F401 - fixtures used by name
)

from vawg.errors import VawgError
from vawg.governance.models import Board
from vawg.governance.pack import PackError, read_governance_pack
from vawg.governance.services import DEFAULT_GOVERNANCE_PACK, load_governance_pack
from vawg.strategy.loader import load_packs


def write(tmp_path, text, name="bad-governance.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "cadence: monthly on the 2nd Tuesday",
            "cadence: monthly on the 5th Tuesday",
            "bad-governance.yaml: board vpg: cadence: 'monthly on the 5th Tuesday': a month "
            "does not always have a 5th Tuesday",
        ),
        (
            "reports_to: fpb",
            "reports_to: fbp",
            "bad-governance.yaml: board vpg: reports_to 'fbp' is not a board of this pack",
        ),
        (
            "reports_to: fpb",
            "reports_to: vpg",
            "bad-governance.yaml: board vpg: reports_to names the board itself",
        ),
        (
            "kind: national-return",
            "kind: national-returns",
            "bad-governance.yaml: board taskforce: kind 'national-returns' is not one of:",
        ),
        (
            "papers_due_days_before: 5",
            "papers_due_days_before: -5",
            "bad-governance.yaml: board vpg: papers_due_days_before must be a whole number of "
            "days from 0 to 90, found -5",
        ),
        (
            "  chair_role: Assistant Chief Constable\n",
            "  chair_role: Assistant Chief Constable\n    chiar: typo\n",
            "bad-governance.yaml: board fpb: unknown key 'chiar'",
        ),
        (
            "  - id: fpb\n",
            "  - id: vpg\n",
            "bad-governance.yaml: board vpg: id is used by another board in this pack",
        ),
        (
            "  - id: fpb\n",
            "  - name: x\n",
            "bad-governance.yaml: boards item 2: missing required key 'id'",
        ),
        (
            "projects: [kaizen]",
            "projects: [kaizen, kaizen]",
            "bad-governance.yaml: board vpg: scrutinises.projects lists 'kaizen' twice",
        ),
        (
            "kind: governance",
            "kind: strategy",
            "bad-governance.yaml: pack: kind must be 'governance', found 'strategy'",
        ),
        (
            # A vertical tab would otherwise vanish as white space when the text is tidied.
            "chair_role: Assistant Chief Constable",
            'chair_role: "Assistant Chief\\vConstable"',
            "bad-governance.yaml: board fpb: chair_role must be text without control or text "
            "direction characters, found a control character (U+000B) at character 16",
        ),
    ],
)
def test_validation_errors_name_the_file_and_the_item(tmp_path, old, new, expected):
    assert old in PACK
    path = write(tmp_path, PACK.replace(old, new, 1))
    with pytest.raises(PackError) as info:
        read_governance_pack(path)
    assert str(info.value).startswith(expected)
    assert isinstance(info.value, VawgError)


def test_a_reporting_loop_is_refused(tmp_path):
    text = PACK.replace(
        "    chair_role: Assistant Chief Constable\n",
        "    chair_role: Assistant Chief Constable\n    reports_to: vpg\n",
    )
    with pytest.raises(
        PackError,
        match=re.escape("board vpg: reporting lines go round in a loop: vpg -> fpb -> vpg"),
    ):
        read_governance_pack(write(tmp_path, text))


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(PackError, match=r"^nowhere\.yaml: file: not found$"):
        read_governance_pack(tmp_path / "nowhere.yaml")
    with pytest.raises(PackError, match=r"^bad-governance\.yaml: file: not valid YAML"):
        read_governance_pack(write(tmp_path, "boards: [\n"))


def test_a_missing_required_key_is_named(tmp_path):
    text = PACK.replace("    papers_due_days_before: 7\n", "")
    with pytest.raises(
        PackError,
        match=r"^bad-governance\.yaml: board fpb: missing required key 'papers_due_days_before'$",
    ):
        read_governance_pack(write(tmp_path, text))


def test_unknown_project_is_refused_at_load_and_nothing_is_written(gov_world, tmp_path):
    Board.objects.all().delete()
    path = write(tmp_path, PACK.replace("projects: [kaizen]", "projects: [kaizan]"))
    with pytest.raises(
        PackError,
        match=r"^bad-governance\.yaml: board vpg: scrutinises project "
        "'kaizan', which testshire's strategy does not have",
    ):
        load_governance_pack(path)
    assert Board.objects.count() == 0


def test_force_must_be_loaded_first(db, tmp_path):
    with pytest.raises(PackError, match="pack: force 'testshire' is not loaded"):
        load_governance_pack(write(tmp_path, PACK))


def test_loading_twice_changes_nothing_and_a_new_version_updates_in_place(gov_world, tmp_path):
    before = {b.code: (b.pk, b.name, b.cadence) for b in Board.objects.all()}
    summary = load_governance_pack(gov_world.pack_path)
    assert (summary.created, summary.updated, summary.retired) == (0, 3, 0)
    assert {b.code: (b.pk, b.name, b.cadence) for b in Board.objects.all()} == before

    # A new edition renames FPB, moves its day, and drops the VPG.
    text = PACK.replace("version: 1", "version: 2").replace(
        "cadence: monthly on the last Thursday", "cadence: monthly on the last Wednesday"
    )
    vpg_block = text[text.index("  - id: vpg") : text.index("  - id: fpb")]
    path = write(tmp_path, text.replace(vpg_block, ""), "v2.yaml")
    summary = load_governance_pack(path)
    assert (summary.created, summary.updated, summary.retired) == (0, 2, 1)
    fpb = Board.objects.get(code="fpb")
    assert fpb.pk == before["fpb"][0]
    assert fpb.cadence == "monthly on the last Wednesday"
    assert Board.objects.get(code="vpg").active is False


def test_the_shipped_pack_loads_against_the_shipped_strategy(db):
    load_packs()
    summary = load_governance_pack()
    assert summary.created == 9
    boards = {b.code: b for b in Board.objects.select_related("reports_to")}
    assert set(boards) == {
        "vpg",
        "fpb",
        "bcb",
        "bam",
        "dasv-board",
        "rape-scrutiny-panel",
        "victim-feedback-panel",
        "perpetrator-panel",
        "vawg-taskforce-return",
    }
    assert boards["vpg"].reports_to.code == "fpb"
    assert boards["vpg"].chair_role == "Head of Protecting Vulnerable People"
    assert boards["vpg"].cadence == "monthly on the 2nd Tuesday"
    assert boards["fpb"].reports_to.code == "bcb"
    assert boards["bam"].reports_to.code == "vawg-taskforce-return"
    assert boards["perpetrator-panel"].cadence == "every 2 weeks from 2022-01-06"
    assert boards["dasv-board"].cadence.startswith("quarterly")
    assert sorted(p.code for p in boards["vpg"].projects.all()) == [
        "artemis",
        "boyd",
        "eleos",
        "kaizen",
    ]
    assert boards["vawg-taskforce-return"].pillars.count() == 3
    assert load_governance_pack(DEFAULT_GOVERNANCE_PACK).created == 0
