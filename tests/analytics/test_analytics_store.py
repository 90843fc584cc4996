"""The Parquet store: writing a validated file, views over files, orphan removal."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from realdata import STREET_2024, need
from vawg.analytics.police_uk import DATASETS, detect
from vawg.analytics.store import open_views, parquet_relpath, remove_orphans, write_parquet
from vawg.analytics.validate import file_sha256, load_csv


@pytest.fixture
def street_2024() -> Path:
    """The folder of the twelve 2024 Cambridgeshire street files."""
    return need(STREET_2024)


def write_all(files: list[Path], root: Path) -> list[Path]:
    con = duckdb.connect()
    written = []
    for path in files:
        source = detect(path)
        load_csv(con, source, "t")
        relpath = parquet_relpath(source.dataset.name, source.force, source.month, "0" * 64)
        dest = root / relpath
        write_parquet(con, "t", source, dest)
        written.append(dest)
    con.close()
    return written


def test_street_year_through_parquet_matches_the_csv(street_2024, tmp_path):
    files = sorted(street_2024.glob("*.csv"))
    expected = Counter()
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                expected[(row["Month"], row["Crime type"])] += 1

    con = open_views({"street": write_all(files, tmp_path)})
    found = dict(
        ((month, crime_type), n)
        for month, crime_type, n in con.execute(
            "SELECT month, crime_type, count(*) FROM street GROUP BY ALL"
        ).fetchall()
    )
    assert found == dict(expected)
    assert sum(expected.values()) == 83_021
    vso = con.execute(
        "SELECT force, month, count(*) FILTER (WHERE crime_type = 'Violence and sexual offences')"
        " AS n FROM street GROUP BY ALL ORDER BY month"
    ).fetchall()
    assert {force for force, _, _ in vso} == {"cambridgeshire"}
    assert sum(n for _, _, n in vso) == 28_570
    assert min(n for _, _, n in vso) == 2_156
    assert max(n for _, _, n in vso) == 2_738


def test_types_and_empty_values(street_2024, tmp_path):
    con = open_views(
        {"street": write_all([street_2024 / "2024-01-cambridgeshire-street.csv"], tmp_path)}
    )
    types = dict((name, kind) for name, kind, *_ in con.execute("DESCRIBE street").fetchall())
    assert types["longitude"] == types["latitude"] == "DOUBLE"
    assert types["month"] == types["force"] == "VARCHAR"
    # Empty fields are NULL, not '': anti-social behaviour has no crime id, Context is empty.
    assert con.execute("SELECT count(*) FROM street WHERE context IS NOT NULL").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM street WHERE crime_id = ''").fetchone() == (0,)


def test_empty_datasets_get_empty_views_with_the_right_columns():
    con = open_views({})
    for name, dataset in DATASETS.items():
        described = con.execute(f"DESCRIBE {name}").fetchall()
        assert [(n, t) for n, t, *_ in described] == list(dataset.parquet_columns)
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone() == (0,)
    rows = con.execute(
        "SELECT force, month, count(*) FILTER (WHERE crime_type = 'Violence and sexual offences')"
        " FROM street GROUP BY ALL"
    ).fetchall()
    assert rows == []


def test_unknown_dataset_is_refused():
    with pytest.raises(ValueError, match="unknown datasets"):
        open_views({"crimes": []})


def test_remove_orphans_keeps_only_live_files(tmp_path):
    live = parquet_relpath("street", "kent", "2024-01", "a" * 64)
    dead = parquet_relpath("street", "kent", "2024-01", "b" * 64)
    other = parquet_relpath("outcomes", "kent", "2024-02", "c" * 64)
    for relpath in (live, dead, other):
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_bytes(b"x")
    (tmp_path / ".staging" / "run").mkdir(parents=True)
    (tmp_path / ".staging" / "run" / "half.parquet").write_bytes(b"x")
    (tmp_path / "README.txt").write_text("not in a dataset folder: left alone")

    removed = remove_orphans(tmp_path, {live.as_posix()})

    assert sorted(p.name for p in removed) == [
        "bbbbbbbbbbbbbbbb.parquet",
        "cccccccccccccccc.parquet",
        "half.parquet",
    ]
    assert (tmp_path / live).exists()
    assert not (tmp_path / "outcomes" / "force=kent").exists()  # emptied folders go too
    assert not (tmp_path / ".staging").exists()
    assert (tmp_path / "README.txt").exists()


def test_sha256_is_the_plain_file_hash(street_2024):
    import hashlib

    path = street_2024 / "2024-01-cambridgeshire-street.csv"
    assert file_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()
