"""Ready reckoner publication and exports: frozen months, restatements, PDF and XLSX."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from factories import make_metric
from vawg.cli import main
from vawg.metrics.models import Observation, ReckonerPublication
from vawg.metrics.publication import (
    AlreadyPublishedError,
    NoFiguresError,
    publish_reckoner,
    restatements,
)
from vawg.reports.reckoner_export import reckoner_document, reckoner_pdf, reckoner_xlsx
from vawg.strategy.models import Force
from xlsx_xml import xml_cells

MONTHS = [f"{2023 + (i // 12)}-{i % 12 + 1:02d}" for i in range(20)]  # 2023-01 .. 2024-08


@pytest.fixture
def force(db) -> Force:
    force = Force.objects.create(slug="testshire", name="Testshire Police")
    share = make_metric(
        "da-arrest-rate",
        "Domestic abuse arrests per 100 crimes",
        unit="percent",
        polarity="up",
        dataset="da_crimes",
        formula="arrests / crimes",
        target=30.0,
    )
    count = make_metric(
        "=cmd-injection", '=HYPERLINK("http://example.invalid")', dataset="da_crimes"
    )
    for i, month in enumerate(MONTHS):
        crimes = 200 + (i % 5) * 10
        arrests = 60 + (i % 3) * 5
        Observation.objects.create(
            metric=share,
            force=force,
            period=month,
            numerator=arrests,
            denominator=crimes,
            value=100 * arrests / crimes,
        )
        Observation.objects.create(
            metric=count, force=force, period=month, numerator=crimes, value=crimes
        )
    return force


def test_xlsx_reads_back_field_by_field(force):
    document = reckoner_document(force, "2024-08")
    workbook = load_workbook(io.BytesIO(reckoner_xlsx(document)))
    sheet = workbook["Reckoner 2024-08"]
    header = [c.value for c in sheet[4]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(5)]
    by_id = {row["Metric id"]: row for row in rows}

    share = by_id["da-arrest-rate"]
    expected = next(r for r in document.rows if r["id"] == "da-arrest-rate")
    assert share["Value"] == pytest.approx(expected["value"])
    assert share["Numerator"] == expected["numerator"]
    assert share["Denominator"] == expected["denominator"]
    assert share["RAG"] == expected["rag"]
    assert share["Reason"] == expected["reason"]
    # Text that a spreadsheet would run as a formula is kept as text, exactly as written.
    assert by_id["=cmd-injection"]["Metric"] == '=HYPERLINK("http://example.invalid")'
    assert "How each colour is decided" in workbook["RAG rule"]["A1"].value


def test_xlsx_formula_like_text_is_a_quote_prefixed_string_cell(force):
    cells = xml_cells(reckoner_xlsx(reckoner_document(force, "2024-08")))
    assert not [(c.sheet, c.ref) for c in cells if c.has_formula]
    by_text = {c.text: c for c in cells if c.text is not None}
    for text in ("=cmd-injection", '=HYPERLINK("http://example.invalid")'):
        assert (by_text[text].type, by_text[text].quote_prefix) == ("inlineStr", True)
    plain = by_text["Domestic abuse arrests per 100 crimes"]
    assert (plain.type, plain.quote_prefix) == ("inlineStr", False)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_is_one_page_and_states_every_metric(force, tmp_path):
    pdf = tmp_path / "reckoner.pdf"
    pdf.write_bytes(reckoner_pdf(reckoner_document(force, "2024-08")))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    assert pages.split() == ["Pages:", "1"]
    assert "Domestic abuse arrests per 100 crimes" in text
    assert "Project Kaizen" in text
    assert "How each colour is decided" in text


def test_published_month_is_frozen_and_a_later_change_is_a_restatement(force):
    publication = publish_reckoner(force=force, month="2024-08")
    frozen = next(r for r in publication.rows if r["id"] == "da-arrest-rate")

    # A later import restates August's arrests.
    observation = Observation.objects.get(metric__code="da-arrest-rate", period="2024-08")
    observation.numerator += 20
    observation.value = 100 * observation.numerator / observation.denominator
    observation.save()

    document = reckoner_document(force, "2024-08")
    shown = next(r for r in document.rows if r["id"] == "da-arrest-rate")
    assert shown["value"] == frozen["value"]  # the board's figure, unchanged
    assert document.published_at == publication.published_at
    changes = {(r.metric, r.field): r for r in restatements(publication)}
    assert changes[("da-arrest-rate", "numerator")].published == frozen["numerator"]
    assert changes[("da-arrest-rate", "numerator")].current == frozen["numerator"] + 20
    assert ("=cmd-injection", "value") not in changes

    with pytest.raises(AlreadyPublishedError, match="never replaced"):
        publish_reckoner(force=force, month="2024-08")


@pytest.mark.parametrize("month", ["2031-01", "1900-01", "2022-12"])
def test_a_month_without_figures_is_never_published(force, month):
    # 2022-12 lies before the test data (2023-01 ..), 2031-01 after it: nothing to freeze.
    with pytest.raises(NoFiguresError, match=f"holds no figures for {month}"):
        publish_reckoner(force=force, month=month)
    assert not ReckonerPublication.objects.exists()


def test_the_publish_command_refuses_a_month_without_figures(force):
    result = CliRunner().invoke(main, ["publish", "--force", "testshire", "--month", "2031-01"])
    assert result.exit_code == 1
    assert "Testshire Police holds no figures for 2031-01" in result.output
    assert not ReckonerPublication.objects.exists()
    result = CliRunner().invoke(main, ["publish", "--force", "testshire", "--month", "2024-08"])
    assert result.exit_code == 0, result.output
    assert ReckonerPublication.objects.get().month == "2024-08"


def _words(pdf: bytes) -> list[tuple[str, float, float]]:
    """Each word of a PDF's first page as (text, right edge, top), from pdftotext -bbox."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    pattern = r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    return [(text, float(x), float(y)) for y, x, text in re.findall(pattern, out)]


def test_pdf_numeric_headers_align_right_with_their_figures(force):
    words = _words(reckoner_pdf(reckoner_document(force, "2024-08")))
    row_top = next(y for text, _, y in words if text == "Domestic")
    cells = [x for _, x, y in words if abs(y - row_top) < 0.5]
    for header in ("Value", "Change", "Limits"):
        right = next(x for text, x, _ in words if text == header)
        # The figure under a header ends where the header ends (right-aligned, same padding).
        assert min(abs(right - x) for x in cells) < 1.0, header
