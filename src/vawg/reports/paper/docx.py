"""The board paper as a Word document (python-docx), from the same content as the PDF.

Headings use Word's own "Heading 1/2/3" styles (so the navigation pane and a table of
contents work), tables are real Word tables, the footer carries PAGE and NUMPAGES fields
("Page x of y", filled in by Word), and each chart is a PNG drawn from the same matplotlib
figure as the PDF's SVG.
"""

from __future__ import annotations

import io
import logging
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from vawg.reports.paper.content import BulletList, Figure, Paper, Paragraph, Section, Table

logger = logging.getLogger(__name__)

RAG_SHADING = {"red": "F4CCCC", "amber": "FCE5CD", "green": "D9EAD3", "not-rated": "EEEEEE"}
_MUTED = RGBColor(0x50, 0x5A, 0x5F)
_WARNING = RGBColor(0x94, 0x25, 0x14)
_TEXT_WIDTH_CM = 17.0

# Word's manual line break (vertical tab) and page break arrive in text pasted from Word; XML
# (so .docx) cannot hold them or the other C0 controls.
_LINE_BREAKS = re.compile("[\x0b\x0c]")
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    r"""Text a Word document can hold: Word's own breaks become new lines, other controls go.

    >>> clean("a\x0bb\x01c")
    'a\nbc'
    """
    return _ILLEGAL.sub("", _LINE_BREAKS.sub("\n", text))


def paper_docx(paper: Paper) -> bytes:
    """Render the paper to a .docx file's bytes."""
    document = Document()
    _page_setup(document, paper)
    _cover(document, paper)
    for section in paper.sections:
        _section(document, section)
    _contacts(document, paper)
    for section in paper.appendix:
        _section(document, section)
    core = document.core_properties
    core.title = paper.cover.title
    core.author = paper.cover.from_role
    core.subject = f"Paper to the {paper.cover.board}, {paper.cover.date_text}"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document, paper: Paper) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)

    header = section.header.paragraphs[0]
    header.text = paper.cover.board
    if paper.cover.agenda_item:
        header.add_run(f"\tAgenda item {paper.cover.agenda_item}")
    if paper.cover.draft:
        run = header.add_run("\tDRAFT – NOT FOR CIRCULATION")
        run.bold = True
    _small(header)

    footer = section.footer.paragraphs[0]
    footer.text = f"{paper.cover.date_text}\tPage "
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    _small(footer)


def _small(paragraph) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = _MUTED


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the document out."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, placeholder, end):
        run._r.append(element)


def _cover(document, paper: Paper) -> None:
    cover = paper.cover
    rows = [("To:", cover.board), ("From:", cover.from_role), ("Date:", cover.date_text)]
    if cover.agenda_item:
        rows.append(("Agenda item:", cover.agenda_item))
    table = document.add_table(rows=0, cols=2)
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].paragraphs[0].runs[0].bold = True
        cells[0].width, cells[1].width = Cm(3.5), Cm(13.5)
    document.add_paragraph()
    document.add_heading(cover.title.upper(), level=0)
    if cover.draft:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(
            "Draft: not for circulation. It lists the updates still owed before it can be final."
        )
        run.bold = True
        run.font.color.rgb = _WARNING
    if cover.data_note:
        paragraph = document.add_paragraph(cover.data_note)
        _small(paragraph)


def _section(document, section: Section) -> None:
    if section.page_break_before:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading(section.heading, level=min(section.level, 3))
    for block in section.blocks:
        if isinstance(block, Section):
            _section(document, block)
        elif isinstance(block, Paragraph):
            _paragraph(document, block)
        elif isinstance(block, BulletList):
            for item in block.items:
                document.add_paragraph(clean(item), style="List Bullet")
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Figure):
            _figure(document, block)


def _paragraph(document, block: Paragraph) -> None:
    paragraph = document.add_paragraph()
    if block.lead:
        paragraph.add_run(block.lead + " ").bold = True
    run = paragraph.add_run(clean(block.text))
    if block.style in {"note", "facts"}:
        run.font.size = Pt(9)
        run.font.color.rgb = _MUTED
    elif block.style == "owed":
        run.font.color.rgb = _WARNING


def _table(document, block: Table) -> None:
    caption = document.add_paragraph()
    caption.add_run(block.caption).bold = True
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Cm(_TEXT_WIDTH_CM * p / 100) for p in block.width_percents]
    for index, text in enumerate(block.header):
        cell = table.rows[0].cells[index]
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, "F3F2F1")
    _repeat_header(table.rows[0])
    for row in block.rows:
        cells = table.add_row().cells
        for index, text in enumerate(row):
            cells[index].text = clean(text)
            if index in block.numeric_columns:
                cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if index == block.rag_column:
                _shade(cells[index], RAG_SHADING.get(text.lower().replace(" ", "-"), "FFFFFF"))
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            if widths:
                cell.width = widths[index]
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)
    document.add_paragraph()


def _shade(cell, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _repeat_header(row) -> None:
    """Repeat the header row at the top of each page a long table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _figure(document, block: Figure) -> None:
    if block.png:
        document.add_picture(io.BytesIO(block.png), width=Cm(16.0))
        picture = document.inline_shapes[-1]
        # Alt text for screen readers, as Word's own "Edit alt text" stores it.
        picture._inline.docPr.set("descr", block.alt)
    caption = document.add_paragraph(block.caption)
    _small(caption)


def _contacts(document, paper: Paper) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run("Contact (by role):").bold = True
    for role in paper.cover.contact_roles:
        document.add_paragraph(f"{role}, {paper.cover.force_name}", style="List Bullet")
