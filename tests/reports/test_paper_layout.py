"""The paper PDF's layout: no heading or table caption is left at the foot of a page with
what it introduces on the next, and a long run of text with no spaces wraps within the page."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

from vawg.reports.paper.content import Cover, Paper, Paragraph, Section, Table
from vawg.reports.paper.pdf import paper_pdf

COVER = Cover(
    force_name="Testshire Police",
    board="Business Coordination Board",
    date=dt.date(2022, 4, 26),
    agenda_item="",
    title="Violence against women and girls",
    from_role="Chief Constable",
    contact_roles=(),
)


def _pages(lines: int) -> list[str]:
    """The text of each page of a paper whose filler paragraph has ``lines`` lines, followed by
    a subsection whose heading and table caption come just before its table."""
    filler = Paragraph("\n".join(f"Filler line {i}." for i in range(lines)))
    table = Table(
        caption="CAPTIONMARK", header=("Metric", "Value"), rows=(("FIRSTROW", "1"), ("B", "2"))
    )
    section = Section("1.", "Summary", (filler, Section("1.1", "HEADINGMARK", (table,), level=2)))
    pdf = paper_pdf(Paper(cover=COVER, sections=(section,)))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return text.stdout.decode().split("\f")


def test_a_heading_and_caption_stay_with_the_first_rows_of_their_table():
    # Lines chosen so the subsection moves down across the foot of the first page: at some
    # of them the heading and caption fit on page 1 but the first row does not.
    pages_seen = set()
    for lines in range(34, 46):
        pages = _pages(lines)

        def page_of(mark: str, pages: list[str] = pages) -> int:
            return next(i for i, page in enumerate(pages) if mark in page)

        heading = page_of("HEADINGMARK")
        assert heading == page_of("CAPTIONMARK") == page_of("FIRSTROW"), lines
        pages_seen.add(heading)
    assert pages_seen == {0, 1}  # the range did cross the page foot


def test_a_long_run_with_no_spaces_wraps_within_the_page():
    run = "LONGRUN" + "x" * 2993
    section = Section("1.", "Summary", (Paragraph(run, lead="Update of 27 April 2022:"),))
    pdf = paper_pdf(Paper(cover=COVER, sections=(section,)))
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    # A4 with 20 mm margins: text ends by 595 - 57 points.
    assert max(right_edges) < width - 56
    assert boxes.count("xxxxxxxx") > 30  # the run was cut into many lines
