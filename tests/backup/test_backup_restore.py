"""Backup, then restore into a new empty installation in a subprocess, and compare.

The restore target follows ``target_engine``: a new SQLite file, or a PostgreSQL database
created (and dropped) by the test. Either is restored from the source database the suite
runs on, so the SQLite run also proves SQLite → PostgreSQL and the PostgreSQL run the reverse.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from factories import make_metric
from vawg.audit.models import AuditEvent
from vawg.backup.archive import (
    DATABASE,
    MANIFEST,
    BackupError,
    ChecksumError,
    RestoreRefusedError,
    create_backup,
    extract_verified,
    restore_backup,
)
from vawg.imports.models import ImportedFile, ImportRun
from vawg.metrics.models import Observation
from vawg.strategy.models import (
    Action,
    Aim,
    Evidence,
    Force,
    Framework,
    ImprovementProject,
    Milestone,
    Phase,
    Pillar,
    Response,
    ResponseChange,
    Strategy,
    Update,
)

HERE = Path(__file__).resolve().parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PARQUET_REL = "street/force=testshire/month=2024-01/0123456789abcdef.parquet"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_uploads_dir(settings, tmp_path):
    """The shared conftest moves the Parquet store; move uploads too, away from real data."""
    settings.VAWG_UPLOADS_DIR = tmp_path / "uploads"
    settings.VAWG_UPLOADS_DIR.mkdir()


def _build_world() -> dict[str, object]:
    """A small installation touching every model the backup must carry."""
    user = User.objects.create_user("analyst", password="not-a-real-password-123")
    group = Group.objects.create(name="performance analysts")
    group.permissions.add(Permission.objects.get(codename="view_auditevent"))
    user.groups.add(group)

    force = Force.objects.create(slug="testshire", name="Testshire Police")
    framework = Framework.objects.create(
        code="nfd-test", version=1, title="Framework", publisher="NPCC", published="2021-12-01"
    )
    pillar = Pillar.objects.create(framework=framework, code="p1", number=1, title="Trust")
    actions = [
        Action.objects.create(
            pillar=pillar,
            code=f"nfd-test-1.{i}",
            number=f"1.{i}",
            position=i,
            title=f"Action {i}",
            description="Unicode survives: café – “quotes” – 🙂 " * 5,
        )
        for i in (1, 2)
    ]
    strategy = Strategy.objects.create(
        code="testshire-2022",
        version=1,
        force=force,
        framework=framework,
        title="Strategy",
        approved="2022-06-01",
    )
    aim = Aim.objects.create(
        strategy=strategy, code="a1", position=1, title="Aim", description="An aim"
    )
    aim.actions.set(actions)
    phase = Phase.objects.create(
        strategy=strategy, code="foundation", number=1, title="Foundation", description="First"
    )
    project = ImprovementProject.objects.create(
        strategy=strategy,
        code="kaizen",
        position=1,
        name="Domestic abuse",
        focus="DA",
        description="A project",
        phase=phase,
        lead_role="Detective Superintendent",
    )
    project.aims.add(aim)
    project.actions.add(actions[0])
    Milestone.objects.create(
        project=project, code="m1", position=1, title="Milestone", due=dt.date(2024, 3, 31)
    )
    responses = [
        Response.objects.create(force=force, action=a, owner_role="Head of PVP", due=None)
        for a in actions
    ]
    ResponseChange.objects.create(
        response=responses[0],
        field="status",
        old_value="",
        new_value="in_progress",
        changed_by=user,
    )
    Evidence.objects.create(response=responses[0], title="Policy", url="evidence://policy.pdf")
    Update.objects.create(
        response=responses[0],
        as_at=dt.date(2024, 1, 31),
        text="Line one\nLine two, with a tab\tand an apostrophe's end.",
        author_role="Project lead",
        author=user,
    )

    run = ImportRun.objects.create(
        started_at=timezone.now(),
        finished_at=timezone.now(),
        status="succeeded",
        files_imported=1,
        rows_accepted=3,
    )
    parquet = Path(settings.VAWG_PARQUET_DIR, *PARQUET_REL.split("/"))
    parquet.parent.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT * FROM (VALUES ('testshire', '2024-01', 'Burglary'), "
            "('testshire', '2024-01', 'Violence and sexual offences'), "
            "('testshire', '2024-01', 'Other crime')) t(force, month, crime_type)) "
            f"TO '{parquet}' (FORMAT parquet)"
        )
    imported = ImportedFile.objects.create(
        run=run,
        dataset="street",
        force="testshire",
        month="2024-01",
        file_name="2024-01-testshire-street.csv",
        sha256="0123456789abcdef" * 4,
        rows=3,
        parquet_path=PARQUET_REL,
    )
    metric = make_metric(
        "vso-recorded",
        "VSO recorded",
        source="data.police.uk",
        target=0.1 + 0.2,  # a float that must survive exactly
    )
    Observation.objects.bulk_create(
        Observation(
            metric=metric,
            force=force,
            period=f"2024-{m:02d}",
            value=m / 3,
            numerator=m,
            denominator=3.0,
            source_file=imported if m == 1 else None,
        )
        for m in range(1, 13)
    )
    (Path(settings.VAWG_UPLOADS_DIR) / "evidence").mkdir()
    (Path(settings.VAWG_UPLOADS_DIR) / "evidence" / "policy.pdf").write_bytes(b"%PDF-1.4 test\n")
    return {"parquet": parquet}


# --- running the restore in another process ----------------------------------------------------


def _postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=2):
            return True
    except Exception:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> Iterator[dict[str, str]]:
    """Environment of a new, empty installation: its own data directory and database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["VAWG_DATA_DIR"] = str(tmp_path / "restored")
    if request.param == "sqlite":
        yield env
        return
    if not _postgres_available():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    import psycopg

    name = f"test_restore_{secrets.token_hex(6)}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _vawg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``vawg ARGS`` in a new process with the target's environment."""
    from vawg.cli import main

    if args[0] in main.commands:
        code = "from vawg.cli import main; main()"
    else:
        # Until the lead registers the command in vawg.cli.commands, call it directly.
        code = f"from vawg.cli.backup_commands import {args[0]}_command as c; c()"
        args = args[1:]
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _snapshot_of(env: dict[str, str]) -> dict[str, list[dict[str, object]]]:
    done = subprocess.run(
        [sys.executable, str(HERE / "snapshot_rows.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout)


def _source_snapshot() -> dict[str, list[dict[str, object]]]:
    sys.path.insert(0, str(HERE))
    try:
        from snapshot_rows import snapshot
    finally:
        sys.path.remove(str(HERE))
    return json.loads(json.dumps(snapshot(), sort_keys=True))


# --- tests ---------------------------------------------------------------------------------------


def test_restore_into_new_installation_matches_field_by_field(tmp_path, target):
    world = _build_world()
    before = _source_snapshot()
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    summary = create_backup(tmp_path / "vawg.tar.gz")
    assert summary.files == 2  # one Parquet file, one upload
    assert oct(summary.path.stat().st_mode & 0o777) == "0o600"
    assert AuditEvent.objects.filter(action="export", purpose="backup").count() == 1

    done = _vawg(target, "restore", str(summary.path))
    assert done.returncode == 0, done.stderr

    after = _snapshot_of(target)
    assert set(after) == set(before)
    # The restore adds exactly one event of its own to the restored trail.
    restored_events = after.pop("audit.AuditEvent")
    original_events = before.pop("audit.AuditEvent")
    for got, want in zip(restored_events, original_events, strict=False):
        assert got == want
    assert [e["object_repr"] for e in restored_events[len(original_events) :]] == [
        "restore of vawg.tar.gz"
    ]
    assert int(restored_events[-1]["id"]) > (last_event or 0)
    for label, rows in before.items():
        assert len(after[label]) == len(rows), label
        assert after[label] == rows, label
    assert len(before["strategy.Aim_actions"]) == 2
    assert len(before["metrics.Observation"]) == 12

    restored = Path(target["VAWG_DATA_DIR"])
    source_parquet = world["parquet"]
    assert (restored / "parquet" / PARQUET_REL).read_bytes() == source_parquet.read_bytes()
    assert (restored / "uploads" / "evidence" / "policy.pdf").read_bytes() == b"%PDF-1.4 test\n"

    # A second restore into the now non-empty installation is refused, unless replacing.
    again = _vawg(target, "restore", str(summary.path))
    assert again.returncode == 1
    assert "already holds data" in again.stderr
    assert "or pass --replace to replace everything in this one." in again.stderr
    replaced = _vawg(target, "restore", "--replace", str(summary.path))
    assert replaced.returncode == 0, replaced.stderr
    after_replace = _snapshot_of(target)
    after_replace.pop("audit.AuditEvent")
    assert after_replace == before
    # The old name still works, and says it is going.
    old_name = _vawg(target, "restore", "--force", str(summary.path))
    assert old_name.returncode == 0, old_name.stderr
    assert "Note: --force is now --replace" in old_name.stderr


def _rewrite_member(archive: Path, name: str, out: Path) -> None:
    """Copy the archive with one byte of member ``name`` changed (gzip stays valid)."""
    data = bytearray(gzip.decompress(archive.read_bytes()))
    with tarfile.open(fileobj=io.BytesIO(bytes(data))) as tar:
        member = tar.getmember(name)
    data[member.offset_data + member.size // 2] ^= 0x01
    out.write_bytes(gzip.compress(bytes(data)))


def test_a_changed_byte_is_refused_naming_the_file(tmp_path):
    _build_world()
    backup = create_backup(tmp_path / "vawg.tar.gz").path
    damaged = tmp_path / "damaged.tar.gz"
    _rewrite_member(backup, f"parquet/{PARQUET_REL}", damaged)

    with pytest.raises(ChecksumError) as caught:
        extract_verified(damaged, tmp_path / "out")
    assert caught.value.name == f"parquet/{PARQUET_REL}"
    assert f"parquet/{PARQUET_REL}" in str(caught.value)


def test_the_cli_refuses_a_damaged_archive_and_leaves_the_target_empty(tmp_path):
    _build_world()
    backup = create_backup(tmp_path / "vawg.tar.gz").path
    damaged = tmp_path / "damaged.tar.gz"
    _rewrite_member(backup, DATABASE, damaged)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["VAWG_DATA_DIR"] = str(tmp_path / "restored")

    done = _vawg(env, "restore", str(damaged))

    assert done.returncode == 1
    assert f"The backup is damaged: {DATABASE}" in done.stderr
    assert not (tmp_path / "restored" / "vawg.sqlite3").exists() or not any(
        (tmp_path / "restored" / "parquet").rglob("*.parquet")
    )
    assert not any((tmp_path / "restored").glob(".vawg-work-*"))


def test_a_damaged_gzip_stream_is_refused(tmp_path):
    _build_world()
    backup = create_backup(tmp_path / "vawg.tar.gz").path
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(bytes(data))

    with pytest.raises(ChecksumError, match="The backup is damaged"):
        extract_verified(damaged, tmp_path / "out")


def test_members_outside_the_manifest_are_refused(tmp_path):
    _build_world()
    backup = create_backup(tmp_path / "vawg.tar.gz").path
    with tarfile.open(backup) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        for member, body in members:
            tar.addfile(member, io.BytesIO(body))
        extra = tarfile.TarInfo("../outside.txt")
        extra.size = 3
        tar.addfile(extra, io.BytesIO(b"bad"))

    with pytest.raises(ChecksumError, match="not listed in the manifest"):
        extract_verified(evil, tmp_path / "out")
    assert not (tmp_path / "outside.txt").exists()


def test_manifest_describes_the_backup(tmp_path):
    _build_world()
    backup = create_backup(tmp_path / "vawg.tar.gz").path
    with tarfile.open(backup) as tar:
        first = tar.next()
        manifest = json.loads(tar.extractfile(first).read())
    assert first.name == MANIFEST
    assert manifest["format"] == "vawg-backup"
    assert manifest["format_version"] == 1
    assert manifest["database_engine"] in ("sqlite", "postgresql")
    assert "0001_initial" in manifest["migrations"]["strategy"]
    assert manifest["row_counts"]["metrics.Observation"] == 12
    assert manifest["files"][0]["path"] == DATABASE
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])


def test_restore_refuses_a_target_with_data(tmp_path):
    _build_world()
    backup = create_backup(tmp_path / "vawg.tar.gz").path
    with pytest.raises(RestoreRefusedError, match="already holds data"):
        restore_backup(backup)


def test_backup_refuses_to_overwrite_and_wrong_names(tmp_path):
    (tmp_path / "exists.tar.gz").write_bytes(b"x")
    with pytest.raises(BackupError, match="exists"):
        create_backup(tmp_path / "exists.tar.gz")
    with pytest.raises(BackupError, match=r"\.tar\.gz"):
        create_backup(tmp_path / "backup.zip")
