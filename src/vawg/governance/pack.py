"""Read and validate a governance pack: a force's boards and panels, as versioned YAML.

Like the strategy packs, a governance pack has stable ids and is refused whole, with a
:class:`~vawg.strategy.pack_schema.PackError` naming the file, the item and what was expected,
at the first problem. This module imports no Django: which improvement projects and pillars
exist is checked when the pack is loaded into the database (``services``).

A pack looks like this::

    id: cambridgeshire-governance
    kind: governance
    version: 1
    force: cambridgeshire
    source_note: Where the facts come from.
    boards:
      - id: vpg
        name: Vulnerability Performance Group
        kind: internal-board
        cadence: monthly on the 2nd Tuesday
        chair_role: Head of Protecting Vulnerable People
        reports_to: fpb            # another board's id, or null
        papers_due_days_before: 5  # updates are owed this many days before each meeting
        scrutinises:
          projects: [kaizen, artemis]
          pillars: [nfd21-p2]
        note: Optional words on where the facts come from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml

from vawg.governance.calendar import CadenceError, CadenceRule, parse_cadence
from vawg.strategy.pack_schema import PackError
from vawg.text import find_forbidden

__all__ = [
    "BOARD_KINDS",
    "GovernancePack",
    "PackBoard",
    "PackError",
    "read_governance_pack",
]

PACK_KIND = "governance"

BOARD_KINDS = {
    "internal-board": "Internal board",
    "partnership-board": "Partnership board",
    "scrutiny-panel": "Scrutiny panel",
    "national-return": "National return",
}
"""The kinds of governance body, with the words pages show for them."""

MAX_PAPERS_DAYS = 90
"""Longest lead time for papers, in days: beyond this it is a typo, not a practice."""

_ID_RE = re.compile(r"^[a-z0-9]+(?:[.\-_][a-z0-9]+)*$")
_TOP_KEYS = {"id", "kind", "version", "force", "source_note", "boards"}
_TOP_REQUIRED = {"id", "kind", "version", "force", "boards"}
_BOARD_KEYS = {
    "id",
    "name",
    "kind",
    "cadence",
    "chair_role",
    "reports_to",
    "papers_due_days_before",
    "scrutinises",
    "note",
}
_BOARD_REQUIRED = {"id", "name", "kind", "cadence", "chair_role", "papers_due_days_before"}
_SCRUTINY_KEYS = {"projects", "pillars"}


@dataclass(frozen=True)
class PackBoard:
    """One board, panel or national return as the pack describes it."""

    id: str
    name: str
    kind: str
    cadence: str
    rule: CadenceRule
    chair_role: str
    reports_to: str | None
    papers_due_days_before: int
    projects: tuple[str, ...]
    pillars: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class GovernancePack:
    """A force's governance bodies, in the order the pack lists them."""

    path: Path
    id: str
    version: int
    force: str
    source_note: str
    boards: tuple[PackBoard, ...]


class _Reader:
    """Holds the file name so every error can say where it is."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, item: str, message: str) -> NoReturn:
        raise PackError(self.path, item, message)

    def keys(self, item: str, data: Any, allowed: set[str], required: set[str]) -> None:
        if not isinstance(data, Mapping):
            self.fail(item, f"expected a mapping of keys, found {type(data).__name__}")
        unknown = sorted(set(map(str, data)) - allowed)
        if unknown:
            # Refused rather than ignored, so a misspelt key cannot pass silently.
            self.fail(item, f"unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")
        missing = sorted(required - set(data))
        if missing:
            self.fail(item, f"missing required key {missing[0]!r}")

    def text(self, item: str, data: Mapping, key: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(item, f"{key} must be non-empty text, found {value!r}")
        # Checked first: split() would silently drop a vertical tab or form feed as white space.
        if (found := find_forbidden(value)) is not None:
            self.fail(
                item,
                f"{key} must be text without control or text direction characters, "
                f"found {found.describe()}",
            )
        return " ".join(value.split())

    def ident(self, item: str, value: Any, what: str) -> str:
        if not isinstance(value, str) or not _ID_RE.match(value):
            self.fail(item, f"{what} {value!r} is not an id (lower-case letters, digits, '-', '.')")
        return value

    def id_list(self, item: str, data: Mapping, key: str) -> tuple[str, ...]:
        values = data.get(key) or []
        if not isinstance(values, list):
            self.fail(item, f"scrutinises.{key} must be a list of ids, found {values!r}")
        ids = tuple(self.ident(item, value, f"scrutinises.{key} entry") for value in values)
        seen: set[str] = set()
        for value in ids:
            if value in seen:
                self.fail(item, f"scrutinises.{key} lists {value!r} twice")
            seen.add(value)
        return ids


def read_governance_pack(path: Path | str) -> GovernancePack:
    """Read and validate a governance pack, or raise PackError naming file and item."""
    path = Path(path)
    reader = _Reader(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        reader.fail("file", "not found")
    except yaml.YAMLError as error:
        reader.fail("file", f"not valid YAML: {error}")
    reader.keys("pack", raw, _TOP_KEYS, _TOP_REQUIRED)
    pack_id = reader.ident("pack", raw["id"], "id")
    if raw["kind"] != PACK_KIND:
        reader.fail("pack", f"kind must be {PACK_KIND!r}, found {raw['kind']!r}")
    version = raw["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        reader.fail("pack", f"version must be a whole number from 1, found {version!r}")
    force = reader.ident("pack", raw["force"], "force")
    source_note = reader.text("pack", raw, "source_note", required=False)
    if not isinstance(raw["boards"], list) or not raw["boards"]:
        reader.fail("pack", "boards must be a non-empty list")

    boards: list[PackBoard] = []
    seen: set[str] = set()
    for index, data in enumerate(raw["boards"], start=1):
        board = _read_board(reader, index, data)
        if board.id in seen:
            reader.fail(f"board {board.id}", "id is used by another board in this pack")
        seen.add(board.id)
        boards.append(board)
    _check_reporting_lines(reader, boards)
    return GovernancePack(path, pack_id, version, force, source_note, tuple(boards))


def _read_board(reader: _Reader, index: int, data: Any) -> PackBoard:
    # Until the id is known the item is named by position, which a reader can still find.
    item = f"boards item {index}"
    if isinstance(data, Mapping) and isinstance(data.get("id"), str):
        item = f"board {data['id']}"
    reader.keys(item, data, _BOARD_KEYS, _BOARD_REQUIRED)
    board_id = reader.ident(item, data["id"], "id")
    kind = data["kind"]
    if kind not in BOARD_KINDS:
        reader.fail(item, f"kind {kind!r} is not one of: {', '.join(BOARD_KINDS)}")
    cadence = reader.text(item, data, "cadence")
    try:
        rule = parse_cadence(cadence)
    except CadenceError as error:
        reader.fail(item, f"cadence: {error}")
    reports_to = data.get("reports_to")
    if reports_to is not None:
        reports_to = reader.ident(item, reports_to, "reports_to")
    days = data["papers_due_days_before"]
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_PAPERS_DAYS:
        reader.fail(
            item,
            f"papers_due_days_before must be a whole number of days from 0 to "
            f"{MAX_PAPERS_DAYS}, found {days!r}",
        )
    scrutinises = data.get("scrutinises") or {}
    reader.keys(f"{item} scrutinises", scrutinises, _SCRUTINY_KEYS, set())
    return PackBoard(
        id=board_id,
        name=reader.text(item, data, "name"),
        kind=kind,
        cadence=cadence,
        rule=rule,
        chair_role=reader.text(item, data, "chair_role"),
        reports_to=reports_to,
        papers_due_days_before=days,
        projects=reader.id_list(item, scrutinises, "projects"),
        pillars=reader.id_list(item, scrutinises, "pillars"),
        note=reader.text(item, data, "note", required=False),
    )


def _check_reporting_lines(reader: _Reader, boards: list[PackBoard]) -> None:
    """Every reports_to names another board of the pack, and no line loops back on itself."""
    by_id = {board.id: board for board in boards}
    for board in boards:
        if board.reports_to is None:
            continue
        if board.reports_to == board.id:
            reader.fail(f"board {board.id}", "reports_to names the board itself")
        if board.reports_to not in by_id:
            reader.fail(
                f"board {board.id}",
                f"reports_to {board.reports_to!r} is not a board of this pack",
            )
    for board in boards:
        chain = [board.id]
        current = board
        while current.reports_to is not None:
            if current.reports_to in chain:
                loop = " -> ".join([*chain[chain.index(current.reports_to) :], current.reports_to])
                reader.fail(f"board {board.id}", f"reporting lines go round in a loop: {loop}")
            chain.append(current.reports_to)
            current = by_id[current.reports_to]
