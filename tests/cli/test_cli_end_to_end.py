"""The console command as a person runs it: a fresh data directory, `vawg init`, then reads.

Runs in subprocesses on the embedded SQLite default, exactly like the README's first command.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vawg.demo.setup import DEMO_POLICE_UK_DIR

VAWG = [sys.executable, "-m", "vawg.cli"]


def _run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["VAWG_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        VAWG + args, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def initialised(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("vawg-data")
    result = _run(["init"], data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


def _vso_in_december() -> tuple[int, int]:
    path = DEMO_POLICE_UK_DIR / "2024-12-cambridgeshire-street.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        vso = [
            r for r in csv.DictReader(handle) if r["Crime type"] == "Violence and sexual offences"
        ]
    unable = sum(r["Last outcome category"] == "Unable to prosecute suspect" for r in vso)
    return len(vso), unable


def test_reckoner_json_matches_the_source_file(initialised: Path):
    result = _run(
        ["reckoner", "--force", "cambridgeshire", "--month", "2024-12", "--format", "json"],
        initialised,
    )
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    vso, unable = _vso_in_december()
    assert rows["vso-recorded"]["value"] == vso
    share = rows["vso-unable-to-prosecute-share"]
    assert (share["numerator"], share["denominator"]) == (unable, vso)
    for row in rows.values():
        assert {"id", "value", "numerator", "denominator", "rag", "reason"} <= row.keys()


def test_reckoner_table_is_readable(initialised: Path):
    result = _run(
        ["reckoner", "--force", "cambridgeshire", "--month", "2024-12", "--format", "table"],
        initialised,
    )
    assert result.returncode == 0, result.stderr
    vso, _ = _vso_in_december()
    line = next(x for x in result.stdout.splitlines() if x.startswith("vso-recorded "))
    assert f"{vso:,}" in line and "grey" in line


def test_bad_month_and_unknown_force_are_refused(initialised: Path):
    bad_month = _run(["reckoner", "--force", "cambridgeshire", "--month", "2024-13"], initialised)
    assert bad_month.returncode == 2
    assert "'2024-13' is not a month in the form YYYY-MM" in bad_month.stderr
    unknown = _run(["reckoner", "--force", "atlantis", "--month", "2024-12"], initialised)
    assert unknown.returncode == 2
    assert "no force 'atlantis' (known: " in unknown.stderr
    assert "cambridgeshire" in unknown.stderr


def test_init_twice_is_safe(initialised: Path):
    again = _run(["init"], initialised)
    assert again.returncode == 0, again.stderr
    result = _run(
        ["reckoner", "--force", "cambridgeshire", "--month", "2024-12", "--format", "json"],
        initialised,
    )
    assert len(json.loads(result.stdout)) >= 4
