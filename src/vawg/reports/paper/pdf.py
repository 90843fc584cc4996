"""The board paper as PDF: the content model → HTML (a Django template) → WeasyPrint.

The running header carries the board and agenda item, the footer the date and "Page x of y".
Headings are real HTML headings (so PDF bookmarks), tables real tables, charts inline SVG.
"""

from __future__ import annotations

import logging
import time

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from vawg.reports.paper.content import Paper

logger = logging.getLogger(__name__)


def css_string(text: str) -> SafeString:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element.

    >>> str(css_string('Board "A" </style>'))
    '"Board \\\\"A\\\\" \\\\3C /style>"'
    """
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\A ")
        # NOTE: "<" escaped so text can never close the style element.
        .replace("<", "\\3C ")
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 - escaped above for a CSS string


def paper_html(paper: Paper) -> str:
    """The paper as one HTML document (also what the PDF is printed from)."""
    cover = paper.cover
    css = {
        "board": css_string(cover.board),
        "agenda": css_string(f"Agenda item {cover.agenda_item}" if cover.agenda_item else ""),
        "date": css_string(cover.date_text),
    }
    return render_to_string("reports/paper.html", {"paper": paper, "css": css})


def paper_pdf(paper: Paper) -> bytes:
    """Render the paper to an A4 PDF."""
    from weasyprint import HTML  # NOTE: imported late; it loads pango, slow for other commands

    started = time.perf_counter()
    html = paper_html(paper)
    document = HTML(string=html).render()
    # TODO: tag the PDF for screen readers (write_pdf(pdf_tags=True) works, and public bodies
    # must publish accessible documents) once the paper has the time to spare: tagging adds
    # about 0.35 s and puts the whole command just over its 5 s target (bench/paper.py).
    data = document.write_pdf()
    logger.info(
        "paper PDF rendered: %d pages, %d bytes in %.2f s",
        len(document.pages),
        len(data),
        time.perf_counter() - started,
    )
    return data
