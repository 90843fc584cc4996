"""Force extracts and national tables go through the same all-or-nothing import."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from vawg.cli import main
from vawg.demo.generator import generate
from vawg.imports.models import ImportedFile, ImportRun, ImportSource, RunStatus
from vawg.imports.services import ImportFailedError
from vawg.imports.tables import extract_file, import_tables


@pytest.fixture(scope="module")
def extracts(tmp_path_factory) -> dict[str, Path]:
    return generate(tmp_path_factory.mktemp("extracts"), start="2021-10", end="2022-03")


def _months(path: Path, column: str) -> Counter:
    with path.open(encoding="utf-8") as handle:
        return Counter(row[column][:7] for row in csv.DictReader(handle))


@pytest.mark.django_db
def test_an_extract_is_split_into_months_and_a_second_import_changes_nothing(extracts):
    path = extracts["protective-orders"]
    run = import_tables([extract_file(path, force="kent")], source_kind="force-extract")

    files = ImportedFile.objects.filter(dataset="protective_orders", force="kent")
    by_month = {f.month: f.rows for f in files}
    assert by_month == dict(_months(path, "applied_on"))
    assert run.rows_accepted == sum(by_month.values())

    again = import_tables([extract_file(path, force="kent")], source_kind="force-extract")
    assert again.status == RunStatus.UNCHANGED
    assert again.files_unchanged == len(by_month)
    assert ImportedFile.objects.filter(dataset="protective_orders").count() == len(by_month)


@pytest.mark.django_db
def test_a_bad_value_refuses_the_whole_run_naming_file_row_and_column(extracts, tmp_path):
    good = extracts["marac-referrals"]
    bad = tmp_path / "marac-referrals.csv"
    lines = good.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    fields = lines[3].rstrip("\n").split(",")
    fields[header.index("referred_on")] = "2022-02-30"
    lines[3] = ",".join(fields) + "\n"
    bad.write_text("".join(lines), encoding="utf-8")

    with pytest.raises(ImportFailedError) as refused:
        import_tables(
            [
                extract_file(extracts["partner-referrals"], force="kent"),
                extract_file(bad, force="kent"),
            ],
            source_kind=ImportSource.FORCE_EXTRACT,
        )

    assert "marac-referrals.csv, row 4, column referred_on" in str(refused.value)
    assert not ImportedFile.objects.exists()  # not even the good file
    assert ImportRun.objects.get().status == RunStatus.FAILED


@pytest.mark.django_db
def test_a_later_extract_restates_only_the_months_it_covers(extracts, tmp_path):
    first = extracts["partner-referrals"]
    import_tables([extract_file(first, force="kent")], source_kind="force-extract")
    # A later extract holding only the last two months, with one referral fewer in March.
    rows = list(csv.DictReader(first.open(encoding="utf-8")))
    later = tmp_path / "partner-referrals.csv"
    kept = [r for r in rows if r["referred_on"][:7] in {"2022-02", "2022-03"}][:-1]
    with later.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)

    import_tables([extract_file(later, force="kent")], source_kind="force-extract")

    live = {
        f.month: f for f in ImportedFile.objects.filter(dataset="partner_referrals", active=True)
    }
    assert live["2022-03"].file_name == "partner-referrals.csv"
    assert live["2022-03"].rows == sum(r["referred_on"][:7] == "2022-03" for r in kept)
    assert live["2021-10"].run_id != live["2022-03"].run_id  # older months untouched
    superseded = ImportedFile.objects.filter(dataset="partner_referrals", active=False)
    assert set(superseded.values_list("month", flat=True)) == {"2022-02", "2022-03"}


@pytest.mark.django_db
def test_import_extract_command_reports_and_refuses_unknown_templates(extracts, tmp_path):
    result = CliRunner().invoke(
        main, ["import", "extract", str(extracts["clares-law"]), "--force", "kent"]
    )
    assert result.exit_code == 0, result.output
    assert "months imported" in result.output

    stray = tmp_path / "notes.csv"
    stray.write_text("a,b\n1,2\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["import", "extract", str(stray), "--force", "kent"])
    assert refused.exit_code == 1
    assert "notes.csv" in refused.output


@pytest.mark.django_db
def test_an_unknown_force_or_template_is_refused_before_anything_is_read(extracts):
    result = CliRunner().invoke(
        main, ["import", "extract", str(extracts["clares-law"]), "--force", "cambrigdeshire"]
    )
    assert result.exit_code == 1
    assert "no force 'cambrigdeshire'" in result.output
    bogus = CliRunner().invoke(
        main,
        ["import", "extract", str(extracts["clares-law"]), "--force", "kent", "--template", "x"],
    )
    assert bogus.exit_code == 1
    assert "no extract template 'x'" in bogus.output
    assert "Traceback" not in bogus.output
    assert not ImportedFile.objects.exists()


@pytest.mark.django_db
def test_a_date_in_the_future_is_refused(extracts, tmp_path):
    rows = extracts["marac-referrals"].read_text(encoding="utf-8").splitlines(keepends=True)
    header = rows[0].rstrip("\n").split(",")
    fields = rows[30].rstrip("\n").split(",")
    fields[header.index("referred_on")] = "2031-01-01"
    rows[30] = ",".join(fields) + "\n"
    future = tmp_path / "marac-referrals.csv"
    future.write_text("".join(rows), encoding="utf-8")

    with pytest.raises(ImportFailedError, match=r"row 31, column referred_on: .* in the future"):
        import_tables([extract_file(future, force="kent")], source_kind="force-extract")
    assert not ImportedFile.objects.exists()


@pytest.mark.django_db
def test_a_header_only_extract_is_refused_not_reported_unchanged(extracts, tmp_path):
    header_only = tmp_path / "marac-referrals.csv"
    header_only.write_text(
        extracts["marac-referrals"].read_text(encoding="utf-8").splitlines(keepends=True)[0],
        encoding="utf-8",
    )
    with pytest.raises(ImportFailedError) as refused:
        import_tables([extract_file(header_only, force="kent")], source_kind="force-extract")
    assert str(refused.value).startswith(
        "marac-referrals.csv: the file holds a header but no rows, so there is nothing to import"
    )
    assert not ImportedFile.objects.exists()
    assert ImportRun.objects.get().status == RunStatus.FAILED
