"""Generated data is marked by what was imported, not by a setting.

A force whose extracts are its own shows no mark anywhere; once an extract of generated
records (references starting GEN-) is imported, the banner, the reckoner rows, the metric
page, the reckoner PDF and its workbook all say so; importing the force's own file for the
same months takes the mark away again.
"""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from vawg.accounts.roles import HEAD_OF_PVP, assign_role
from vawg.demo.generator import generate
from vawg.imports.models import ImportedFile
from vawg.imports.selectors import holds_generated_data
from vawg.imports.services import import_police_uk
from vawg.imports.tables import extract_file, import_tables
from vawg.metrics.services import compute_observations, load_catalogue
from vawg.reports.reckoner_export import reckoner_document, reckoner_pdf
from vawg.strategy.models import Force

MONTH = "2022-03"
METRIC = "da-alliance-referrals"
BANNER = "generated demonstration records (references starting GEN-)"


@pytest.fixture(scope="module")
def referrals(tmp_path_factory) -> tuple[Path, Path]:
    """The generated partner-referrals extract, and the same records as a force's own."""
    folder = tmp_path_factory.mktemp("extracts")
    generated = generate(folder, start="2021-10", end=MONTH)["partner-referrals"]
    own = folder / "own" / "partner-referrals.csv"
    own.parent.mkdir()
    own.write_text(generated.read_text(encoding="utf-8").replace("GEN-PR-", "PR-"))
    return generated, own


def _import(path: Path) -> None:
    import_tables([extract_file(path, force="cambridgeshire")], source_kind="force-extract")
    compute_observations()


def _pdf_text(force: Force) -> str:
    pdf = reckoner_pdf(reckoner_document(force, MONTH))
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def _xlsx_generated_column(client) -> tuple[dict[str, str], str]:
    """Each metric's "Generated data" cell, and the sheet's status line."""
    response = client.get(reverse("reckoner"), {"month": MONTH, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[3]
    column = header.index("Generated data")
    return {row[1]: row[column] for row in rows[4:]}, str(rows[1][0])


@pytest.mark.django_db(transaction=True)
def test_the_mark_follows_the_imported_records(client, referrals):
    generated, own = referrals
    force = Force.objects.create(slug="cambridgeshire", name="Cambridgeshire Constabulary")
    load_catalogue()
    user = get_user_model().objects.create_user(username="head", password="x" * 20)
    assign_role(user, HEAD_OF_PVP)
    client.force_login(user)

    # The force's own records, and a month of public data: no mark anywhere.
    from vawg.demo.setup import DEMO_POLICE_UK_DIR

    import_police_uk(sorted(DEMO_POLICE_UK_DIR.glob("2024-12-*-street.csv.gz")))
    _import(own)
    with own.open(encoding="utf-8") as handle:
        march = sum(
            1
            for r in csv.DictReader(handle)
            if r["referred_on"].startswith(MONTH) and r["partner"] == "DA Alliance"
        )
    files = ImportedFile.objects.filter(dataset="partner_referrals", active=True)
    assert files.exists() and not files.filter(generated_rows__gt=0).exists()
    assert not holds_generated_data("cambridgeshire")
    page = client.get(reverse("reckoner"), {"month": MONTH}).content.decode()
    assert f">{march}<" in page  # the figure is there ...
    assert BANNER not in page and "Generated data" not in page  # ... unmarked
    metric_page = client.get(reverse("metric", args=[METRIC])).content.decode()
    assert "generated" not in metric_page.lower()
    assert "generated data" not in _pdf_text(force)
    marks, status = _xlsx_generated_column(client)
    assert marks[METRIC] == "no" and "generated" not in status

    # The generated extract for the same months restates them: marked everywhere.
    _import(generated)
    with generated.open(encoding="utf-8") as handle:
        gen_rows = [r for r in csv.DictReader(handle) if r["referred_on"].startswith(MONTH)]
    assert all(r["referral_id"].startswith("GEN-") for r in gen_rows)
    march_file = ImportedFile.objects.get(dataset="partner_referrals", month=MONTH, active=True)
    assert march_file.generated_rows == march_file.rows == len(gen_rows)
    assert holds_generated_data("cambridgeshire")
    page = client.get(reverse("reckoner"), {"month": MONTH}).content.decode()
    assert BANNER in page
    row = page[page.index(f'data-metric="{METRIC}"') :]
    assert "Generated data</strong>" in row[: row.index("</th>")]
    # A public-data metric on the same page is not marked.
    assert (
        'data-metric="vso-recorded"' not in page
        or "Generated data"
        not in (page[page.index('data-metric="vso-recorded"') :].split("</th>")[0])
    )
    metric_page = client.get(reverse("metric", args=[METRIC])).content.decode()
    assert "Generated data: these figures come from generated demonstration records" in (
        metric_page
    )
    assert f"partner-referrals.csv (import {march_file.run_id}" in metric_page
    assert "; generated data" in metric_page
    # A public-data metric's page carries the force's banner, never the metric's warning.
    public_page = client.get(reverse("metric", args=["vso-recorded"])).content.decode()
    assert BANNER in public_page
    assert "Generated data: these figures" not in public_page
    assert "; generated data" not in public_page
    text = _pdf_text(force)
    assert "Rows marked “generated data” come from generated demonstration records" in text
    assert "Referrals to the DA Alliance (generated data)" in text
    marks, status = _xlsx_generated_column(client)
    assert marks[METRIC] == "yes"
    assert "vso-recorded" not in marks or marks["vso-recorded"] == "no"
    assert "generated demonstration records" in status

    # The force's own file again: the mark goes with the generated records.
    _import(own)
    assert not holds_generated_data("cambridgeshire")
    page = client.get(reverse("reckoner"), {"month": MONTH}).content.decode()
    assert BANNER not in page and "Generated data" not in page


@pytest.mark.django_db
def test_public_data_is_never_generated(tmp_path):
    from vawg.demo.setup import DEMO_POLICE_UK_DIR

    import_police_uk(sorted(DEMO_POLICE_UK_DIR.glob("2024-12-*.csv.gz")))
    files = ImportedFile.objects.all()
    assert files.count() == 3
    assert not files.filter(generated_rows__gt=0).exists()


@pytest.mark.django_db
def test_the_upgrade_counts_generated_rows_of_files_imported_before(referrals):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("vawg.imports.migrations.0005_generated_rows")
    generated, _ = referrals
    import_tables([extract_file(generated, force="cambridgeshire")], source_kind="force-extract")
    files = ImportedFile.objects.filter(dataset="partner_referrals")
    expected = dict(files.values_list("month", "generated_rows"))
    assert all(expected.values())
    files.update(generated_rows=0)  # as every file was before the count existed
    migration.count_generated_rows(apps, None)
    assert dict(files.values_list("month", "generated_rows")) == expected
