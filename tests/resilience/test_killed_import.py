"""A process killed during an import leaves the database and the Parquet store as they were,
and running the import again completes it.

Each test runs the real command (``python -m vawg.cli import police-uk``) in a subprocess with
a data directory of its own, over about seventy real data.police.uk files (the shipped demo
files, with the 2024 ones also renamed to a second force, and one month restated against an
earlier import), and kills it with SIGKILL three times in a row:

- as soon as the first Parquet file is staged (validation and staging under way);
- once half the files are staged;
- as late as possible: every staged file has been moved into place and the run is waiting to
  commit. The test holds the database so the commit cannot go through: on SQLite a write
  lock (``BEGIN IMMEDIATE``; the importer waits at its own ``BEGIN``), on PostgreSQL an
  EXCLUSIVE lock on the imported-file table (the importer has already inserted its run row
  inside its transaction and waits at ``SELECT ... FOR UPDATE``).

Then the database must hold exactly the rows it held before (no new run, no new or changed
imported file), every live Parquet file must be byte-identical and readable by DuckDB with the
recorded row count; a second run must complete the import (row counts equal to an independent
count of the CSVs with Python's csv and gzip modules, orphans of the killed run removed) and a
third run must report "unchanged".

On SQLite the subprocess has its own database file, read here with ``sqlite3``. On PostgreSQL
the subprocess shares pytest-django's test database (the test is transactional, so what the
subprocess commits is visible here and is flushed afterwards) and is told apart from other
sessions by its application name.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest
from django.conf import settings

import vawg.demo

DEMO = Path(vawg.demo.__file__).parent / "police_uk"
# A second real force: its files are Cambridgeshire's with the force's name put in the rows,
# since the importer checks "Reported by" against the force in the file name.
SECOND_FORCE = "kent"
SECOND_FORCE_NAME = b"Kent Police"
RESTATED = "2019-01-cambridgeshire-outcomes"
STEP_TIMEOUT = 90  # seconds: generous for a loaded CI machine; normal runs take a few
# Transactional: on PostgreSQL the subprocess must see the test database's tables, and this
# process must see what the subprocess commits (flushed after the test).
pytestmark = pytest.mark.django_db(transaction=True)

_NAME = re.compile(r"^(\d{4}-\d{2})-(.+)-(street|outcomes|stop-and-search)\.csv(\.gz)?$")

# (dataset, force, month, sha256, rows, parquet_path, active) of every ImportedFile row.
FileRow = tuple[str, str, str, str, int, str, bool]


# --- the data ---------------------------------------------------------------------------


def _key(path: Path) -> tuple[str, str, str]:
    month, force, suffix, _ = _NAME.match(path.name).groups()
    return suffix.replace("-", "_"), force, month


def _count_rows(path: Path) -> int:
    """Data rows of a data.police.uk CSV, counted with csv (header and blank lines excluded)."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        return sum(1 for record in reader if record)


@dataclass(frozen=True)
class KillData:
    baseline: Path  # imported first, to completion
    full: Path  # the import that is killed, then rerun
    expected: dict[tuple[str, str, str], int]  # rows per (dataset, force, month) after it


@pytest.fixture(scope="module")
def kill_data(tmp_path_factory) -> KillData:
    root = tmp_path_factory.mktemp("kill-data")
    demo = sorted(DEMO.glob("*.csv.gz"))
    assert len(demo) >= 40, f"expected the shipped demo files in {DEMO}"
    baseline = root / "baseline"
    baseline.mkdir()
    for path in demo:
        if path.name.startswith(("2019-", "2020-")):
            shutil.copyfile(path, baseline / path.name)
    full = root / "full"
    full.mkdir()
    for path in demo:
        if path.name.startswith(RESTATED):
            # A restatement of a month the baseline imported: the last 25 data rows dropped,
            # shipped uncompressed this time.
            with gzip.open(path, "rb") as fh:
                lines = fh.read().splitlines(keepends=True)
            (full / f"{RESTATED}.csv").write_bytes(b"".join(lines[:-25]))
        else:
            shutil.copyfile(path, full / path.name)
        if path.name.startswith("2024-"):
            renamed = path.name.replace("-cambridgeshire-", f"-{SECOND_FORCE}-")
            with gzip.open(path, "rb") as fh:
                text = fh.read().replace(b"Cambridgeshire Constabulary", SECOND_FORCE_NAME)
            (full / renamed).write_bytes(gzip.compress(text, mtime=0))
    expected = {_key(p): _count_rows(p) for p in sorted(full.iterdir())}
    assert len(expected) == len(list(full.iterdir())) > len(demo)
    return KillData(baseline=baseline, full=full, expected=expected)


# --- the database the subprocess writes to -------------------------------------------------


class Target:
    """Where a subprocess import keeps its data, and how the test looks at it."""

    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        self.data_dir = data_dir
        self.parquet_dir = data_dir / "parquet"
        self.env = env

    def files(self) -> set[FileRow]:
        raise NotImplementedError

    def run_statuses(self) -> list[str]:
        raise NotImplementedError

    @contextmanager
    def commit_blocked(self) -> Iterator[None]:
        raise NotImplementedError
        yield

    def after_kill(self) -> None:
        """Wait until the database has let go of the killed process."""

    def assert_waiting_to_commit(self) -> None:
        """Where the database can tell, check the import is held up inside its commit."""


class SqliteTarget(Target):
    @property
    def db(self) -> Path:
        return self.data_dir / "vawg.sqlite3"

    def _query(self, sql: str) -> list[tuple]:
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def files(self) -> set[FileRow]:
        rows = self._query(
            "SELECT dataset, force, month, sha256, rows, parquet_path, active "
            "FROM imports_importedfile"
        )
        return {(*row[:6], bool(row[6])) for row in rows}

    def run_statuses(self) -> list[str]:
        return [row[0] for row in self._query("SELECT status FROM imports_importrun ORDER BY id")]

    @contextmanager
    def commit_blocked(self) -> Iterator[None]:
        # Readers carry on (WAL), but the importer's BEGIN IMMEDIATE waits for this lock.
        con = sqlite3.connect(self.db, isolation_level=None, timeout=30)
        try:
            con.execute("BEGIN IMMEDIATE")
            yield
            con.execute("ROLLBACK")
        finally:
            con.close()


class PostgresTarget(Target):
    def __init__(self, data_dir: Path, env: dict[str, str], app_name: str, conninfo: str):
        super().__init__(data_dir, env)
        self.app_name = app_name
        self.conninfo = conninfo

    def files(self) -> set[FileRow]:
        from vawg.imports.models import ImportedFile

        return set(
            ImportedFile.objects.values_list(
                "dataset", "force", "month", "sha256", "rows", "parquet_path", "active"
            )
        )

    def run_statuses(self) -> list[str]:
        from vawg.imports.models import ImportRun

        return list(ImportRun.objects.order_by("id").values_list("status", flat=True))

    @contextmanager
    def commit_blocked(self) -> Iterator[None]:
        import psycopg

        # EXCLUSIVE still lets the importer read the table (ACCESS SHARE) but stops its
        # SELECT ... FOR UPDATE (ROW SHARE) inside the commit transaction.
        with psycopg.connect(self.conninfo) as con:
            con.execute("LOCK TABLE imports_importedfile IN EXCLUSIVE MODE")
            yield
            con.rollback()

    def assert_waiting_to_commit(self) -> None:
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True) as con:
            found = con.execute(
                "SELECT wait_event_type, state, query, xact_start IS NOT NULL "
                "FROM pg_stat_activity WHERE application_name = %s",
                [self.app_name],
            ).fetchall()
        assert len(found) == 1, found
        wait, state, query, in_transaction = found[0]
        # Its run row is inserted (uncommitted); it waits for the imported-file lock.
        assert (wait, state, in_transaction) == ("Lock", "active", True), found
        assert "FOR UPDATE" in query, query

    def after_kill(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        with psycopg.connect(self.conninfo, autocommit=True) as con:
            while time.monotonic() < deadline:
                left = con.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                    [self.app_name],
                ).fetchone()[0]
                if not left:
                    return
                time.sleep(0.05)
        pytest.fail("PostgreSQL still has a session of the killed import after 30 s")


def _base_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["VAWG_DATA_DIR"] = str(data_dir)
    env.pop("DATABASE_URL", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite database, copied for each test instead of migrating every time."""
    data_dir = tmp_path_factory.mktemp("sqlite-template")
    result = subprocess.run(
        [sys.executable, "-m", "vawg.cli", "manage", "migrate", "--noinput"],
        env=_base_env(data_dir),
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    return data_dir / "vawg.sqlite3"


@pytest.fixture
def target(request, tmp_path) -> Target:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = _base_env(data_dir)
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        template = request.getfixturevalue("sqlite_template")
        shutil.copyfile(template, data_dir / "vawg.sqlite3")
        return SqliteTarget(data_dir, env)
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(f"no subprocess set-up for {db['ENGINE']}")
    from django.db import connection

    params = connection.settings_dict
    user = quote(params.get("USER") or "")
    password = f":{quote(params['PASSWORD'])}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    name = params["NAME"]
    assert name.startswith("test_"), f"refusing to point a subprocess at {name}"
    url = f"postgres://{user}{password}@{host}:{port}/{name}"
    app_name = f"vawg-killed-import-{os.getpid()}-{tmp_path.name}"[:60]
    env["DATABASE_URL"] = url
    env["PGAPPNAME"] = app_name
    env["VAWG_DB_CONN_MAX_AGE"] = "0"
    return PostgresTarget(data_dir, env, app_name, url)


# --- running and watching the import -------------------------------------------------------


def _command(folder: Path) -> list[str]:
    return [sys.executable, "-m", "vawg.cli", "import", "police-uk", str(folder)]


def _run(target: Target, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        _command(folder), env=target.env, capture_output=True, text=True, timeout=STEP_TIMEOUT
    )


def _start(target: Target, folder: Path, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            _command(folder), env=target.env, stdout=out, stderr=subprocess.STDOUT
        )


def _wait_for(proc: subprocess.Popen, log: Path, what: str, condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        if proc.poll() is not None:
            pytest.fail(
                f"the import ended (exit {proc.returncode}) before {what}:\n"
                + log.read_text(errors="replace")
            )
        time.sleep(0.002)
    proc.kill()
    pytest.fail(f"timed out waiting for {what}")


def _files_under(root: Path) -> list[Path]:
    """Files under ``root``, tolerating a running import that adds and removes them."""
    return [Path(folder, name) for folder, _, names in os.walk(root) for name in names]


def _staged_files(parquet_dir: Path) -> list[Path]:
    return _files_under(parquet_dir / ".staging")


def _staged(parquet_dir: Path) -> int:
    return sum(1 for p in _staged_files(parquet_dir) if p.name.endswith(".parquet"))


def _store(parquet_dir: Path, *, hashed: bool = True) -> dict[str, str]:
    """relpath -> sha256 of every file under the dataset folders of the store."""
    found = {}
    for root in _subfolders(parquet_dir):
        for path in _files_under(root):
            rel = path.relative_to(parquet_dir).as_posix()
            try:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if hashed else ""
            except FileNotFoundError:
                continue  # removed by the running import meanwhile
    return found


def _subfolders(parquet_dir: Path) -> list[Path]:
    try:
        return [p for p in parquet_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except FileNotFoundError:
        return []


def _parquet_rows(paths: list[Path]) -> int:
    con = duckdb.connect(":memory:")
    try:
        listed = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
        return con.execute(f"SELECT count(*) FROM read_parquet([{listed}])").fetchone()[0]
    finally:
        con.close()


def _check_live_files(target: Target, files: set[FileRow]) -> None:
    """Every file an active row names exists, is readable by DuckDB and has its row count."""
    for dataset, force, month, _, rows, relpath, active in files:
        if not active:
            continue
        path = target.parquet_dir / relpath
        assert path.is_file(), f"live file {relpath} ({dataset} {force} {month}) is missing"
        try:
            found = _parquet_rows([path])
        except duckdb.Error as exc:  # pragma: no cover - the failure being tested for
            pytest.fail(f"live file {relpath} cannot be read by DuckDB: {exc}")
        assert found == rows, f"{relpath}: {found} rows in Parquet, {rows} recorded"


def _import_ok(target: Target, folder: Path, status: str) -> subprocess.CompletedProcess:
    result = _run(target, folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert status in result.stdout, result.stdout
    return result


# --- the test ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    files: set[FileRow]
    runs: list[str]
    store: dict[str, str]

    @property
    def live(self) -> set[str]:
        return {row[5] for row in self.files if row[6]}


def _snapshot(target: Target) -> Snapshot:
    return Snapshot(target.files(), target.run_statuses(), _store(target.parquet_dir))


def _kill_at(target: Target, folder: Path, log: Path, what: str, moment: Callable[[], bool]):
    proc = _start(target, folder, log)
    try:
        _wait_for(proc, log, what, moment)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=STEP_TIMEOUT)
    assert proc.returncode == -signal.SIGKILL, f"not killed {what}:\n{log.read_text()}"


def _assert_as_before(target: Target, before: Snapshot, when: str) -> set[str]:
    """The database and the live files are as ``before``; returns the orphans on disk."""
    target.after_kill()
    assert target.run_statuses() == before.runs, f"killed {when}: a run was recorded"
    assert target.files() == before.files, f"killed {when}: imported files changed"
    store = _store(target.parquet_dir)
    for relpath in before.live:
        assert store.get(relpath) == before.store[relpath], f"killed {when}: {relpath} changed"
    _check_live_files(target, before.files)
    orphans = set(store) - before.live
    assert not any(p.endswith(".tmp") for p in orphans), f"killed {when}: partial file in place"
    return orphans


def test_killed_import_changes_nothing_and_a_rerun_completes_it(
    target: Target, kill_data: KillData, tmp_path: Path
) -> None:
    _import_ok(target, kill_data.baseline, "Succeeded")
    before = _snapshot(target)
    assert before.live == set(before.store), "the baseline store should hold only live files"
    baseline_keys = {row[:3] for row in before.files}
    # Every file the baseline lacks, plus the restated month.
    new_files = sum(1 for key in kill_data.expected if key not in baseline_keys) + 1
    log = tmp_path / "killed-import.log"

    # 1. During validation and staging, as soon as the first Parquet file is staged.
    when = "after the first file was staged"
    _kill_at(target, kill_data.full, log, when, lambda: _staged(target.parquet_dir) > 0)
    _assert_as_before(target, before, when)

    # 2. Half way through staging (this run first removes the orphans of the first).
    when = "half way through staging"
    half = new_files // 2
    _kill_at(target, kill_data.full, log, when, lambda: _staged(target.parquet_dir) >= half)
    _assert_as_before(target, before, when)

    # 3. As late as possible: every staged file moved into place, the commit held up.
    when = "with every file moved into place and the commit pending"

    def all_published() -> bool:
        published = len(set(_store(target.parquet_dir, hashed=False)) - before.live) >= new_files
        if published:
            time.sleep(0.3)  # let it reach the blocked commit
            target.assert_waiting_to_commit()
        return published

    with target.commit_blocked():
        _kill_at(target, kill_data.full, log, when, all_published)
    orphans = _assert_as_before(target, before, when)
    assert len(orphans) >= new_files, "the files had not all been published at the kill"

    # Running the import again completes it.
    _import_ok(target, kill_data.full, "Succeeded")
    files = target.files()
    active = {row[:3]: row for row in files if row[6]}
    assert {key: row[4] for key, row in active.items()} == kill_data.expected
    _check_live_files(target, files)
    live = {row[5] for row in active.values()}
    assert _parquet_rows([target.parquet_dir / p for p in live]) == sum(kill_data.expected.values())
    # The killed runs' orphans and staging files are gone; the superseded baseline file stays
    # until the next run removes it.
    superseded = {row[5] for row in files if not row[6]}
    assert len(superseded) == 1
    assert set(_store(target.parquet_dir)) == live | superseded
    assert not _staged_files(target.parquet_dir), "staging files left by a killed run"
    assert target.run_statuses() == [*before.runs, "succeeded"]

    # A third run finds nothing to do (and removes the superseded file).
    _import_ok(target, kill_data.full, "Unchanged")
    assert target.files() == files
    assert set(_store(target.parquet_dir)) == live
    assert target.run_statuses() == [*before.runs, "succeeded", "unchanged"]
