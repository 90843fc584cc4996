"""The board paper as plain data: one content model, rendered to PDF and to Word.

``build_paper`` (in :mod:`vawg.reports.paper.build`) reads the database and returns a
``Paper``; the renderers only lay it out. So the PDF and the Word file can never disagree
about a figure, and a test can check the words without opening either file.

A section holds an ordered list of blocks. Each block is one of ``Paragraph``,
``BulletList``, ``Table``, ``Figure`` or a nested ``Section`` (a sub-heading).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Union

from vawg.dates import long_date


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose. ``lead`` is a short bold opening (e.g. an action's RAG line)."""

    kind = "paragraph"  # lets templates tell blocks apart

    text: str
    lead: str = ""
    #: "body"; "facts" (an action's owner/status line); "figure" (a metric sentence);
    #: "note" (smaller, muted); "owed" (what a draft still lacks).
    style: str = "body"


@dataclass(frozen=True)
class BulletList:
    """A bulleted list of short items."""

    kind = "bullets"  # lets templates tell blocks apart

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row. ``rag_column`` names the column whose cells are colours."""

    kind = "table"  # lets templates tell blocks apart

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths; empty = equal
    rag_column: int | None = None
    numeric_columns: tuple[int, ...] = ()

    @property
    def width_percents(self) -> tuple[float, ...]:
        """``widths`` as percentages of the table's width (empty when not given)."""
        total = sum(self.widths)
        return tuple(round(100 * w / total, 2) for w in self.widths) if total else ()


@dataclass(frozen=True)
class Figure:
    """A chart: one drawing as SVG (PDF, pages) and as PNG (Word), with a caption.

    The PNG is drawn only when asked for (``png``): a PDF never needs it, and drawing costs
    time. The caption says what is drawn; a table with the same figures sits under it.
    """

    kind = "figure"  # lets templates tell blocks apart

    caption: str
    svg: str
    alt: str
    png_factory: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)

    @property
    def png(self) -> bytes:
        return self.png_factory() if self.png_factory is not None else b""

    @property
    def svg_data_uri(self) -> str:
        """The SVG as a data URI for an ``<img>``: WeasyPrint draws it about 3x faster than
        inline SVG, and it stays vector."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


Block = Union[Paragraph, BulletList, Table, Figure, "Section"]


@dataclass(frozen=True)
class Section:
    """A numbered heading and its blocks. ``level`` 1 is a section, 2 and 3 sub-headings."""

    kind = "section"  # lets templates tell blocks apart

    number: str
    title: str
    blocks: tuple[Block, ...] = ()
    level: int = 1
    page_break_before: bool = False

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass(frozen=True)
class Cover:
    """What sits at the top of a board paper and in its running header and footer."""

    force_name: str
    board: str
    date: dt.date
    agenda_item: str
    title: str
    from_role: str
    contact_roles: tuple[str, ...]
    draft: bool = False
    data_note: str = ""  # e.g. that generated demo data appears in the paper

    @property
    def date_text(self) -> str:
        return long_date(self.date)


@dataclass(frozen=True)
class Paper:
    cover: Cover
    sections: tuple[Section, ...]
    appendix: tuple[Section, ...] = ()
    #: Actions whose approved update is older than the draft window, for a draft paper.
    owed: tuple[str, ...] = field(default=())
    #: What the person asking for the paper should know before a board reads it.
    notes: tuple[str, ...] = field(default=())

    def all_sections(self) -> tuple[Section, ...]:
        return self.sections + self.appendix

    def text(self) -> str:
        """Every word of the paper as plain text, in reading order (for checks and search)."""
        lines = [self.cover.title, self.cover.board, self.cover.date_text]
        for section in self.all_sections():
            lines.extend(_section_text(section))
        return "\n".join(lines)


def _section_text(section: Section) -> list[str]:
    lines = [section.heading]
    for block in section.blocks:
        if isinstance(block, Section):
            lines.extend(_section_text(block))
        elif isinstance(block, Paragraph):
            lines.append(f"{block.lead} {block.text}".strip())
        elif isinstance(block, BulletList):
            lines.extend(block.items)
        elif isinstance(block, Table):
            lines.append(block.caption)
            lines.extend(" | ".join(row) for row in (block.header, *block.rows))
        elif isinstance(block, Figure):
            lines.append(block.caption)
    return lines
