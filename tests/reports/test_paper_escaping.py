"""Text typed into an update is printed as text in the board paper, never run or evaluated."""

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
from vawg.reports.paper.pdf import paper_html, paper_pdf
from vawg.strategy.models import Response, ReviewState, Update

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("x")'
TEXT = f"{SCRIPT} {FORMULA} end of update"


@pytest.fixture
def paper(demo_force):
    response = Response.objects.get(force=demo_force, action__code="nfd21-1.7")
    Update.objects.create(
        response=response,
        as_at=PAPER_DATE,
        text=TEXT,
        author_role="Head of Protecting Vulnerable People",
        review_state=ReviewState.APPROVED,
    )
    return build_paper(demo_force, board=BOARD, as_at=PAPER_DATE)


def test_update_with_markup_and_a_formula_prints_as_text(paper, tmp_path):
    html = paper_html(paper)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SCRIPT not in html
    assert "=HYPERLINK(&quot;x&quot;)" in html

    document = Document(io.BytesIO(paper_docx(paper)))
    [paragraph] = [p for p in document.paragraphs if SCRIPT in p.text]
    assert paragraph.text.endswith(TEXT)
    xml = paragraph._p.xml
    # Plain runs only: no field (a formula Word would evaluate) and no hyperlink element.
    assert "w:fldSimple" not in xml and "w:instrText" not in xml and "w:hyperlink" not in xml
    assert "&lt;script&gt;" in xml

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(paper_pdf(paper))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    assert SCRIPT in flat
    assert FORMULA in flat
