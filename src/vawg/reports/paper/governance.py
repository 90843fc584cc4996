"""Section 6 of the paper, tracking and governance: the force's boards, who reports to whom,
and the state of the quarterly national return."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from vawg.reports.paper.content import (
    BulletList,
    Paragraph,
    Section,
    Table,
    long_date,
)
from vawg.reports.paper.context import PaperContext
from vawg.reports.paper.figures import number_words
from vawg.strategy.models import Force

# --- Section 6: governance ------------------------------------------------------------------


@dataclass(frozen=True)
class _BoardRow:
    name: str
    kind: str
    cadence: str
    chair_role: str
    reports_to: str
    next_meeting: dt.date | None
    code: str


def _boards(force: Force, as_at: dt.date) -> tuple[list[_BoardRow], str]:
    """The force's boards from the governance app, else from its pack file; and the source."""
    try:
        from vawg.governance.selectors import board_calendar
    except ImportError:  # NOTE: the governance app is optional to the paper
        return [], ""
    calendar = board_calendar(force, today=as_at, months=4)
    if calendar:
        return [
            _BoardRow(
                name=item.board.name,
                kind=item.board.get_kind_display(),
                cadence=item.board.cadence,
                chair_role=item.board.chair_role,
                reports_to=item.board.reports_to.name if item.board.reports_to else "",
                next_meeting=item.next_meeting.date if item.next_meeting else None,
                code=item.board.code,
            )
            for item in calendar
        ], "governance records"
    return _boards_from_pack(force, as_at)


def _boards_from_pack(force: Force, as_at: dt.date) -> tuple[list[_BoardRow], str]:
    from vawg.governance.calendar import next_meeting
    from vawg.governance.pack import BOARD_KINDS, read_governance_pack
    from vawg.governance.services import PACK_DIR

    for path in sorted(PACK_DIR.glob("*.yaml")):
        pack = read_governance_pack(path)
        if pack.force != force.slug:
            continue
        names = {board.id: board.name for board in pack.boards}
        return [
            _BoardRow(
                name=board.name,
                kind=BOARD_KINDS.get(board.kind, board.kind),
                cadence=board.cadence,
                chair_role=board.chair_role,
                reports_to=names.get(board.reports_to or "", ""),
                next_meeting=next_meeting(board.rule, as_at),
                code=board.id,
            )
            for board in pack.boards
        ], f"governance pack {path.name}"
    return [], ""


def _reporting_lines(boards: list[_BoardRow]) -> list[str]:
    """Each chain of accountability from a board nobody reports to, upwards.

    >>> rows = [_BoardRow("A", "", "", "", "B", None, "a"), _BoardRow("B", "", "", "", "C",
    ...     None, "b"), _BoardRow("C", "", "", "", "", None, "c")]
    >>> _reporting_lines(rows)
    ['A reports to B, which reports to C.']
    """
    by_name = {b.name: b for b in boards}
    reported_to = {b.reports_to for b in boards if b.reports_to}
    lines = []
    for board in boards:
        if board.name in reported_to or not board.reports_to:
            continue
        chain = [board.name]
        current = board
        while current.reports_to and current.reports_to not in chain:
            chain.append(current.reports_to)
            nxt = by_name.get(current.reports_to)
            if nxt is None:
                break
            current = nxt
        text = f"{chain[0]} reports to {chain[1]}"
        text += "".join(f", which reports to {name}" for name in chain[2:])
        lines.append(text + ".")
    return lines


def governance_section(context: PaperContext) -> Section:
    boards, source = _boards(context.force, context.as_at)
    if not boards:
        return Section(
            "6.",
            "Tracking and governance",
            (
                Paragraph(
                    "No governance boards are recorded for the force, so this section is empty: "
                    "load the governance pack to fill it.",
                    style="owed",
                ),
            ),
        )
    blocks: list[Any] = [
        Paragraph(
            f"{number_words(len(boards)).capitalize()} boards, panels and returns oversee "
            f"delivery (from the {source}). Each chair is named by role."
        ),
        Table(
            caption="Boards, panels and returns",
            header=("Board", "Kind", "Chair", "Meets", "Reports to", "Next after this paper"),
            rows=tuple(
                (
                    b.name,
                    b.kind,
                    b.chair_role,
                    b.cadence,
                    b.reports_to or "–",
                    long_date(b.next_meeting) if b.next_meeting else "–",
                )
                for b in boards
            ),
            widths=(1.7, 1.0, 1.6, 1.5, 1.5, 1.0),
        ),
    ]
    lines = _reporting_lines(boards)
    if lines:
        blocks.append(Paragraph("Lines of accountability:"))
        blocks.append(BulletList(tuple(lines)))
    blocks.append(_returns_paragraph(context))
    return Section("6.", "Tracking and governance", tuple(blocks))


def _returns_paragraph(context: PaperContext) -> Paragraph:
    from vawg.reports.models import ReturnSubmission
    from vawg.reports.returns.periods import quarter_end, quarter_of

    year, quarter = quarter_of(context.month)
    label = f"{year}Q{quarter}"
    if quarter_end(label) > context.as_at:
        # The paper's month may sit in a quarter not yet over: report the last complete one.
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        label = f"{year}Q{quarter}"
    latest = (
        ReturnSubmission.objects.filter(
            force=context.force, quarter=label, submitted_at__date__lte=context.as_at
        )
        .order_by("-number")
        .first()
    )
    if latest is None:
        return Paragraph(
            f"The quarterly national return for {label} had not been submitted by "
            f"{long_date(context.as_at)}. The tracker builds it from the same approved updates "
            "and metrics as this paper.",
            style="note",
        )
    kind = "original return" if latest.number == 0 else f"restatement {latest.number}"
    return Paragraph(
        f"The quarterly national return for {label} was submitted on "
        f"{long_date(latest.submitted_at.date())} ({kind}); it is held unchanged as submitted.",
        style="note",
    )
