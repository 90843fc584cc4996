"""The audit trail as CSV, safe to open in a spreadsheet.

Each row carries the Data Protection Act 2018 s.62 word for its action (collection,
alteration, consultation, disclosure, erasure), so the file answers the law-enforcement
logging duty directly.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from vawg.audit.models import AuditEvent

COLUMNS = [
    "at",
    "actor",
    "actor_id",
    "action",
    "dpa_operation",
    "app_label",
    "model",
    "object_pk",
    "object_repr",
    "changes",
    "purpose",
    "ip",
]

# A spreadsheet treats a cell starting with one of these as a formula (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A value as CSV text that a spreadsheet shows as text, never runs as a formula.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell("-1"), safe_cell(None), safe_cell(42)
    ("'-1", '', '42')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def event_row(event: AuditEvent) -> list[str]:
    """One event as CSV cells."""
    changes = json.dumps(event.changes, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    cells = [
        event.at.isoformat(),
        event.actor_label,
        event.actor_id,
        event.action,
        event.dpa_operation,
        event.app_label,
        event.model,
        event.object_pk,
        event.object_repr,
        changes,
        event.purpose,
        event.ip,
    ]
    return [safe_cell(c) for c in cells]


class _Echo:
    """A file-like object whose write returns the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def iter_csv(events: Iterable[AuditEvent]) -> Iterator[str]:
    """CSV lines (header first) for events, produced one at a time for streaming."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for event in events:
        yield writer.writerow(event_row(event))
