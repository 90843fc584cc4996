"""The paper rendered: PDF read back with pdftotext, Word read back with python-docx."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from docx import Document
from paper_testdata import BOARD, PAPER_DATE, demo_force_fixture  # noqa: F401 - fixture by name

from vawg.reports.paper.build import build_paper
from vawg.reports.paper.docx import paper_docx
from vawg.reports.paper.pdf import css_string, paper_pdf
from vawg.strategy.models import Response, ReviewState, Update

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


@pytest.fixture
def paper(demo_force):
    return build_paper(demo_force, board=BOARD, as_at=PAPER_DATE, agenda_item="11.0")


@needs_poppler
def test_pdf_reads_back_with_real_values_and_page_x_of_y(paper, tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(paper_pdf(paper))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    count = len(pages)
    assert count > 5
    for number, page in enumerate(pages, start=1):
        # Every page carries the board, agenda item, date and "Page x of y".
        assert BOARD in page
        assert "Agenda item 11.0" in page
        assert "26 April 2022" in page
        assert f"Page {number} of {count}" in page
    flat = re.sub(r"\s+", " ", text)
    assert "1. Purpose" in flat
    assert "5. Progress against the national framework" in flat
    assert "5.1.11 Action 1.11:" in flat
    assert "the median time missing was 160 minutes" in flat
    assert "That is a rise of 700% on six months earlier (September 2021), when it was 3." in flat
    assert "Appendix A. Ready reckoner" in flat

    # Render pages as images (as a reviewer would look at them): every page draws.
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "2", str(path), str(tmp_path / "pg")],
        check=True,
    )
    assert len(list(tmp_path.glob("pg-*.png"))) == 2


@needs_poppler
def test_draft_pdf_is_marked_on_every_page(demo_force, tmp_path):
    paper = build_paper(demo_force, board=BOARD, as_at=PAPER_DATE, draft=True)
    path = tmp_path / "draft.pdf"
    path.write_bytes(paper_pdf(paper))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert all("DRAFT – NOT FOR CIRCULATION" in page for page in pages)


def test_docx_has_real_headings_tables_page_fields_and_charts(paper):
    document = Document(io.BytesIO(paper_docx(paper)))
    headings = {
        level: [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]
        for level in (1, 2, 3)
    }
    assert headings[1][:6] == [
        "1. Purpose",
        "2. Recommendation",
        "3. National overview",
        "4. Local overview",
        "5. Progress against the national framework",
        "6. Tracking and governance",
    ]
    assert "Appendix A. Ready reckoner" in headings[1]
    assert "5.1 Pillar 1: Build trust and confidence" in headings[2]
    actions = [h for h in headings[3] if " Action " in h]
    assert len(actions) == 34
    assert actions[10] == "5.1.11 Action 1.11: Show with evidence how involvement changes practice"

    body = "\n".join(p.text for p in document.paragraphs)
    assert "In March 2022 the median time missing was 160 minutes" in body

    tables = {tuple(c.text for c in t.rows[0].cells): t for t in document.tables}
    reckoner = tables[("Metric", "Value", "Change", "RAG", "Reason")]
    assert len(reckoner.rows) > 1
    summary = tables[
        (
            "Pillar",
            "Actions",
            "Complete or embedded",
            "In progress",
            "Not started",
            "Green",
            "Amber",
            "Red",
        )
    ]
    assert [c.text for c in summary.rows[1].cells][:2] == ["1. Build trust and confidence", "14"]
    assert sum(int(row.cells[1].text) for row in summary.rows[1:]) == 34

    footer_xml = document.sections[0].footer._element.xml
    assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml
    assert "26 April 2022" in document.sections[0].footer.paragraphs[0].text
    header = document.sections[0].header.paragraphs[0].text
    assert BOARD in header and "Agenda item 11.0" in header
    assert len(document.inline_shapes) >= 1
    assert document.core_properties.author == "Chief Constable"


def test_header_text_cannot_break_out_of_the_style_sheet():
    assert str(css_string('A "board" </style><script>')) == (
        '"A \\"board\\" \\3C /style>\\3C script>"'
    )


def test_text_pasted_from_word_renders_in_both_formats(demo_force, tmp_path):
    response = Response.objects.get(force=demo_force, action__code="nfd21-1.7")
    Update.objects.create(
        response=response,
        as_at=PAPER_DATE,
        text="First line\x0bsecond line\x01 <script>alert(1)</script> & done",
        author_role="Head of Protecting Vulnerable People",
        review_state=ReviewState.APPROVED,
    )
    paper = build_paper(demo_force, board=BOARD, as_at=PAPER_DATE)
    document = Document(io.BytesIO(paper_docx(paper)))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "First line\nsecond line <script>alert(1)</script> & done" in body

    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(paper_pdf(paper))
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert "<script>alert(1)</script> & done" in text
