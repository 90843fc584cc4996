"""Reading the UTF-8 CSV tables (PRC, census, lookup): records, header and message helpers."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator, Sequence
from pathlib import Path

from vawg.errors import InputFileError


def _csv_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for every non-blank record of a UTF-8 CSV, header first.

    A ``.gz`` file is read through gzip, as the demo ships the tables compressed.
    """
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            for fields in reader:
                if fields:
                    yield reader.line_num, fields
    except UnicodeDecodeError as exc:
        raise InputFileError(path, None, f"not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise InputFileError(path, None, f"not readable as CSV: {exc}") from exc


def _header_index(path: Path, header: list[str], required: Sequence[str]) -> dict[str, int]:
    """Position of each required column (its first occurrence); refuses a missing one."""
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        index.setdefault(name.strip(), position)
    missing = [name for name in required if name not in index]
    if missing:
        raise InputFileError(
            path,
            missing[0],
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(the header has: {', '.join(h for h in header if h) or 'nothing'})",
            row=1,
        )
    return index


def _show(value: str) -> str:
    """A cell value quoted for a message, shortened so a bad file cannot flood the log."""
    return repr(value if len(value) <= 40 else value[:37] + "...")
