"""import_police_uk end to end on the real Cambridgeshire files and broken copies of them."""

from __future__ import annotations

import gzip
import logging
import shutil
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from imports_testdata import (
    OUTCOMES_2019_2020,
    OUTCOMES_2024,
    STOP_2024,
    STREET_2024,
    count_by,
    csv_files,
    edited_copy,
    need,
)

from vawg.analytics.police_uk import DATASETS
from vawg.analytics.store import open_views
from vawg.cli.import_command import import_group
from vawg.demo.setup import DEMO_POLICE_UK_DIR
from vawg.imports import selectors
from vawg.imports.models import ImportedFile, ImportRun, RunStatus
from vawg.imports.services import ImportFailedError, import_police_uk
from vawg.metrics.models import Observation
from vawg.metrics.services import load_catalogue

pytestmark = pytest.mark.django_db(transaction=True)


def views():
    return open_views(
        {
            name: selectors.active_parquet_paths(name)
            for name in ("street", "outcomes", "stop_and_search")
        }
    )


def parquet_files(settings) -> set[Path]:
    return {p for p in Path(settings.VAWG_PARQUET_DIR).rglob("*.parquet")}


def test_import_2024_street_and_outcomes(settings):
    street, outcomes = csv_files(STREET_2024), csv_files(OUTCOMES_2024)
    seen: list[Path] = []

    run = import_police_uk([STREET_2024, OUTCOMES_2024], progress=seen.append)

    expected_street = count_by(street, "Month", "Crime type")
    expected_outcomes = count_by(outcomes)[()]
    assert sum(expected_street.values()) == 83_021
    assert expected_outcomes == 68_619
    assert (run.status, run.files_imported, run.files_unchanged) == (RunStatus.SUCCEEDED, 24, 0)
    assert run.rows_accepted == 83_021 + 68_619
    assert run.rows_rejected == 0
    assert sorted(seen) == sorted(street + outcomes)

    con = views()
    assert con.execute("SELECT count(*) FROM street").fetchone() == (83_021,)
    assert con.execute("SELECT count(*) FROM outcomes").fetchone() == (68_619,)
    vso = dict(
        con.execute(
            "SELECT month, count(*) FILTER (WHERE crime_type = 'Violence and sexual offences')"
            " FROM street GROUP BY ALL"
        ).fetchall()
    )
    expected_vso = {
        m: n for (m, t), n in expected_street.items() if t == "Violence and sexual offences"
    }
    assert vso == expected_vso
    assert sum(vso.values()) == 28_570
    assert (min(vso.values()), max(vso.values())) == (2_156, 2_738)

    january = selectors.source_file_for("street", "cambridgeshire", "2024-01")
    assert january is not None
    assert january.file_name == "2024-01-cambridgeshire-street.csv"
    assert january.rows == count_by([STREET_2024 / january.file_name])[()]
    assert january.parquet_path.startswith("street/force=cambridgeshire/month=2024-01/")
    assert selectors.forces() == ["cambridgeshire"]
    assert len(selectors.active_files("outcomes", "cambridgeshire")) == 12
    assert selectors.active_files("street", "kent") == []


def test_import_outcomes_2019_2020_from_month_folders():
    files = csv_files(OUTCOMES_2019_2020)
    run = import_police_uk([OUTCOMES_2019_2020])
    assert run.files_imported == len(files) == 24
    assert run.rows_accepted == count_by(files)[()] == 131_640
    months = views().execute("SELECT count(DISTINCT month), min(month), max(month) FROM outcomes")
    assert months.fetchone() == (24, "2019-01", "2020-12")


def test_stop_and_search_has_month_and_force_columns():
    need(STOP_2024)
    run = import_police_uk([STOP_2024])
    expected = count_by(csv_files(STOP_2024))[()]
    assert run.rows_accepted == expected
    con = views()
    assert con.execute(
        "SELECT count(*), count(DISTINCT month), min(force) FROM stop_and_search"
    ).fetchone() == (expected, 12, "cambridgeshire")


def test_reimport_is_unchanged_and_adds_nothing(settings):
    need(STREET_2024)
    import_police_uk([STREET_2024])
    before = (ImportedFile.objects.count(), parquet_files(settings))

    again = import_police_uk([STREET_2024])

    assert again.status == RunStatus.UNCHANGED
    assert (again.files_imported, again.files_unchanged, again.rows_accepted) == (0, 12, 0)
    assert (ImportedFile.objects.count(), parquet_files(settings)) == before
    assert views().execute("SELECT count(*) FROM street").fetchone() == (83_021,)


def test_wrong_header_refuses_the_whole_run(tmp_path, settings):
    need(STREET_2024)
    good = tmp_path / "good"
    shutil.copytree(STREET_2024, good)
    (good / "2024-06-cambridgeshire-street.csv").unlink()

    def rename(lines):
        lines[0] = lines[0].replace(b"LSOA code", b"LSOA")
        return lines

    bad = edited_copy(STREET_2024 / "2024-06-cambridgeshire-street.csv", tmp_path / "bad", rename)

    with pytest.raises(ImportFailedError) as caught:
        import_police_uk([good, bad])

    message = str(caught.value)
    assert message.startswith(
        "2024-06-cambridgeshire-street.csv, row 1, column LSOA code: missing column 'LSOA code'"
    )
    assert ImportedFile.objects.count() == 0
    assert parquet_files(settings) == set()
    failed = ImportRun.objects.get()
    assert failed.status == RunStatus.FAILED
    assert failed == caught.value.run
    assert "2024-06-cambridgeshire-street.csv, row 1, column LSOA code" in failed.message
    assert (failed.files_imported, failed.rows_accepted) == (0, 0)


def test_bad_month_on_row_7_fails_and_keeps_earlier_data(tmp_path):
    need(STREET_2024)
    import_police_uk([STREET_2024 / "2024-01-cambridgeshire-street.csv"])

    def bad_month(lines):
        lines[6] = lines[6].replace(b",2024-02,", b",2024/01,")
        return lines

    bad = edited_copy(STREET_2024 / "2024-02-cambridgeshire-street.csv", tmp_path, bad_month)
    with pytest.raises(ImportFailedError) as caught:
        import_police_uk([bad])

    (error,) = caught.value.errors
    assert (error.path.name, error.row, error.column) == (bad.name, 7, "Month")
    assert "'2024/01'" in str(error)
    assert caught.value.run.rows_rejected == 1
    # The earlier import is untouched.
    assert [f.month for f in selectors.active_files("street")] == ["2024-01"]


def test_header_only_month_is_refused_and_the_good_month_stays(tmp_path, caplog):
    december = need(STREET_2024) / "2024-12-cambridgeshire-street.csv"
    import_police_uk([december])
    header_only = edited_copy(december, tmp_path, lambda lines: lines[:1])

    with pytest.raises(ImportFailedError) as caught:
        import_police_uk([header_only])

    (error,) = caught.value.errors
    assert str(error).startswith(
        "2024-12-cambridgeshire-street.csv: the file holds a header but no rows; a "
        "data.police.uk month file always has rows"
    )
    (live,) = selectors.active_files("street")
    assert (live.month, live.rows) == ("2024-12", count_by([december])[()])


def test_another_forces_rows_under_a_force_name_are_refused(tmp_path):
    december = need(STREET_2024) / "2024-12-cambridgeshire-street.csv"
    kent = tmp_path / "2024-12-kent-street.csv"
    shutil.copyfile(december, kent)

    with pytest.raises(ImportFailedError) as caught:
        import_police_uk([kent])

    (error,) = caught.value.errors
    assert (error.path.name, error.row, error.column) == (kent.name, 2, "Reported by")
    assert "expected 'Kent Police'" in str(error)
    assert "found 'Cambridgeshire Constabulary'" in str(error)
    assert caught.value.run.rows_rejected == count_by([december])[()]
    assert not ImportedFile.objects.exists()


def test_one_rejected_row_is_logged_in_the_singular(tmp_path, caplog):
    def bad_month(lines):
        lines[6] = lines[6].replace(b",2024-02,", b",2024/01,")
        return lines

    bad = edited_copy(need(STREET_2024) / "2024-02-cambridgeshire-street.csv", tmp_path, bad_month)
    with caplog.at_level(logging.INFO, logger="vawg.imports"), pytest.raises(ImportFailedError):
        import_police_uk([bad])
    assert "1 row rejected" in caplog.text
    assert "1 rows" not in caplog.text


def test_truncated_file_names_file_and_row(tmp_path, settings):
    need(OUTCOMES_2024)
    src = OUTCOMES_2024 / "2024-03-cambridgeshire-outcomes.csv"
    data = src.read_bytes()
    cut = tmp_path / src.name
    cut.write_bytes(data[: len(data) // 2])
    row = cut.read_bytes().count(b"\n") + 1

    with pytest.raises(ImportFailedError) as caught:
        import_police_uk([OUTCOMES_2024 / "2024-02-cambridgeshire-outcomes.csv", cut])

    last_line = data[: len(data) // 2].rsplit(b"\n", 1)[1]
    column = DATASETS["outcomes"].headers[last_line.count(b",")]
    assert str(caught.value).startswith(
        f"{src.name}, row {row}, column {column}: the file ends in the middle of a row"
    )
    assert ImportedFile.objects.count() == 0
    assert parquet_files(settings) == set()


def snapshot(settings) -> tuple:
    """Everything an import may change: live files, Parquet files, runs that worked, values."""
    return (
        sorted(ImportedFile.objects.values_list("dataset", "month", "sha256", "active")),
        sorted(parquet_files(settings)),
        ImportRun.objects.exclude(status=RunStatus.FAILED).count(),
        sorted(Observation.objects.values_list("metric__code", "period", "numerator")),
    )


@pytest.mark.parametrize(
    ("cut_name", "gz_bytes"),
    [
        ("2019-03-cambridgeshire-outcomes.csv", False),
        ("2019-03-cambridgeshire-outcomes.csv.gz", True),
    ],
)
def test_cut_shipped_file_imports_nothing(tmp_path, settings, cut_name, gz_bytes):
    load_catalogue()
    first = CliRunner().invoke(
        import_group,
        ["police-uk", str(DEMO_POLICE_UK_DIR / "2019-01-cambridgeshire-outcomes.csv.gz")],
    )
    assert first.exit_code == 0, first.output
    before = snapshot(settings)
    assert before[3], "the first import computed observations"

    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(DEMO_POLICE_UK_DIR / "2019-02-cambridgeshire-outcomes.csv.gz", folder)
    shipped = DEMO_POLICE_UK_DIR / "2019-03-cambridgeshire-outcomes.csv.gz"
    if gz_bytes:
        # The compressed bytes cut: what an interrupted download of the .gz leaves.
        compressed = shipped.read_bytes()
        (folder / cut_name).write_bytes(compressed[: len(compressed) * 2 // 3])
        readable = zlib.decompressobj(wbits=31).decompress(compressed[: len(compressed) * 2 // 3])
    else:
        text = gzip.decompress(shipped.read_bytes())
        readable = text[: len(text) - 7]  # inside the last row's Outcome type
        (folder / cut_name).write_bytes(readable)
    row = readable.count(b"\n") + 1
    column = DATASETS["outcomes"].headers[readable.rsplit(b"\n", 1)[1].count(b",")]

    result = CliRunner().invoke(import_group, ["police-uk", str(folder)])

    assert result.exit_code == 1
    assert f"{cut_name}, row {row}, column {column}: " in result.stderr
    assert "Nothing was imported" in result.stderr
    assert snapshot(settings) == before


def test_unknown_file_name_is_refused(tmp_path):
    stray = tmp_path / "cambridgeshire-crimes-2024.csv"
    stray.write_text("a,b\n")
    with pytest.raises(
        ImportFailedError, match=r"cambridgeshire-crimes-2024\.csv: not a data\.police"
    ):
        import_police_uk([tmp_path])
    assert ImportRun.objects.get().status == RunStatus.FAILED


def test_missing_path_is_refused(tmp_path):
    with pytest.raises(ImportFailedError, match="no such file or folder"):
        import_police_uk([tmp_path / "nowhere"])


def test_restated_month_supersedes_the_old_file(tmp_path, settings, caplog):
    need(STREET_2024)
    original = STREET_2024 / "2024-04-cambridgeshire-street.csv"
    first = import_police_uk([original])
    old = ImportedFile.objects.get()

    restated = edited_copy(original, tmp_path, lambda lines: lines[:-10])  # 10 rows withdrawn
    with caplog.at_level(logging.INFO, logger="vawg.imports"):
        second = import_police_uk([restated])

    assert (second.status, second.files_imported) == (RunStatus.SUCCEEDED, 1)
    old.refresh_from_db()
    new = selectors.source_file_for("street", "cambridgeshire", "2024-04")
    assert new is not None and new.run == second and old.run == first
    assert (old.active, old.superseded_by) == (False, new)
    assert new.rows == old.rows - 10
    assert views().execute("SELECT count(*) FROM street").fetchone() == (new.rows,)
    assert "restatement" in caplog.text
    # The old Parquet file is an orphan now, removed by the next run.
    assert (Path(settings.VAWG_PARQUET_DIR) / old.parquet_path).exists()
    import_police_uk([restated])
    assert not (Path(settings.VAWG_PARQUET_DIR) / old.parquet_path).exists()
    assert (Path(settings.VAWG_PARQUET_DIR) / new.parquet_path).exists()


def test_orphans_from_a_killed_import_are_removed(settings):
    need(STREET_2024)
    import_police_uk([STREET_2024 / "2024-01-cambridgeshire-street.csv"])
    root = Path(settings.VAWG_PARQUET_DIR)
    live = root / ImportedFile.objects.get().parquet_path
    # What a run killed after moving files into place but before its commit leaves behind.
    orphan = root / "street/force=cambridgeshire/month=2024-02/0123456789abcdef.parquet"
    orphan.parent.mkdir(parents=True)
    shutil.copy(live, orphan)
    staging = root / ".staging" / "dead-run"
    staging.mkdir(parents=True)
    (staging / "x.parquet").write_bytes(b"partial")

    run = import_police_uk([STREET_2024 / "2024-01-cambridgeshire-street.csv"])

    assert run.status == RunStatus.UNCHANGED
    assert not orphan.exists()
    assert not staging.exists()
    assert live.exists()


def test_two_different_files_for_one_month_in_a_run_are_refused(tmp_path):
    need(STREET_2024)
    original = STREET_2024 / "2024-05-cambridgeshire-street.csv"
    other = edited_copy(original, tmp_path, lambda lines: lines[:-1])
    with pytest.raises(ImportFailedError, match="in the same import is also street data"):
        import_police_uk([original, other])
    assert ImportedFile.objects.count() == 0


def test_logs_per_file_without_row_contents(caplog, tmp_path):
    need(STREET_2024)

    def bad_month(lines):
        lines[6] = lines[6].replace(b",2024-02,", b",2024/02,")
        return lines

    good = STREET_2024 / "2024-01-cambridgeshire-street.csv"
    with caplog.at_level(logging.INFO, logger="vawg.imports"):
        import_police_uk([good])
    assert f"{good.name}: {count_by([good])[()]} rows accepted, 0 rows rejected" in caplog.text
    assert "Violence" not in caplog.text and "On or near" not in caplog.text

    caplog.clear()
    bad = edited_copy(STREET_2024 / "2024-02-cambridgeshire-street.csv", tmp_path, bad_month)
    with caplog.at_level(logging.INFO, logger="vawg.imports"), pytest.raises(ImportFailedError):
        import_police_uk([bad])
    assert "refused at row" in caplog.text and "import failed" in caplog.text
    assert "On or near" not in caplog.text


def test_a_second_import_at_the_same_time_is_refused(settings):
    need(STREET_2024)
    from vawg.imports.services import _import_lock

    with (
        _import_lock(Path(settings.VAWG_PARQUET_DIR)),
        pytest.raises(ImportFailedError, match="another import is running"),
    ):
        import_police_uk([STREET_2024])
    assert ImportedFile.objects.count() == 0


def test_database_failure_mid_commit_leaves_nothing(settings, monkeypatch):
    need(STREET_2024)
    real_save = ImportedFile.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(ImportedFile, "save", failing_save)
    with pytest.raises(RuntimeError, match="database went away"):
        import_police_uk([STREET_2024])

    assert ImportedFile.objects.count() == 0
    assert parquet_files(settings) == set()
    failed = ImportRun.objects.get()
    assert failed.status == RunStatus.FAILED
    assert "database went away" in failed.message
