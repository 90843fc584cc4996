"""The national framework pack: its pillars and numbered actions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vawg.strategy.pack_schema.checks import _Checker, _describe, _item_name
from vawg.strategy.pack_schema.loading import _load_yaml

__all__ = [
    "FrameworkPack",
    "PackAction",
    "PackPillar",
    "read_framework_pack",
]

FRAMEWORK_KIND = "framework"

MAX_ACTION_TITLE = 80
"""Longest action title, in characters: titles appear in tables and chart labels."""

_ACTION_NUMBER_RE = re.compile(r"^([1-9]\d*)\.([1-9]\d*)$")


@dataclass(frozen=True)
class PackAction:
    """One numbered action of the national framework, e.g. ``2.3``."""

    id: str
    number: str
    title: str
    description: str
    pillar_id: str


@dataclass(frozen=True)
class PackPillar:
    """One pillar of the national framework and its actions in number order."""

    id: str
    number: int
    title: str
    summary: str
    actions: tuple[PackAction, ...]


@dataclass(frozen=True)
class FrameworkPack:
    """One edition of the national framework."""

    id: str
    version: int
    title: str
    publisher: str
    published: dt.date
    source_note: str
    pillars: tuple[PackPillar, ...]

    @property
    def actions(self) -> tuple[PackAction, ...]:
        """Every action of every pillar, in pillar then number order."""
        return tuple(action for pillar in self.pillars for action in pillar.actions)


# --- Framework ---------------------------------------------------------------------------------


def read_framework_pack(path: Path) -> FrameworkPack:
    """Read and validate a national framework pack.

    Checks, besides the shared rules: pillars numbered 1..n; each action numbered
    ``<pillar>.<n>`` with n running 1..count without gaps; each pillar holding exactly the
    number of actions that ``expected_actions`` states for it.

    Raises:
        PackError: the file is missing, not YAML, or breaks a rule.
    """
    path = Path(path)
    check = _Checker(path)
    data = check.mapping(
        _load_yaml(path),
        "pack",
        required=(
            "id",
            "kind",
            "version",
            "title",
            "publisher",
            "published",
            "source_note",
            "expected_actions",
            "pillars",
        ),
    )

    check.expect(data, "kind", "pack", FRAMEWORK_KIND)
    pack_id = check.slug(data, "id", "pack")
    check.claim_id(pack_id, "pack")
    expected = _read_expected_actions(check, data)

    pillars = tuple(
        _read_pillar(check, raw, _item_name("pillar", raw, "id", position), expected)
        for position, raw in enumerate(check.sequence(data, "pillars", "pack", min_items=1), 1)
    )
    _check_pillar_numbers(check, pillars, expected)

    return FrameworkPack(
        id=pack_id,
        version=check.positive_int(data, "version", "pack"),
        title=check.text(data, "title", "pack"),
        publisher=check.text(data, "publisher", "pack"),
        published=check.date(data, "published", "pack"),
        source_note=check.text(data, "source_note", "pack"),
        pillars=pillars,
    )


def _read_expected_actions(check: _Checker, data: Mapping[str, Any]) -> dict[int, int]:
    """Read ``expected_actions``: pillar number -> number of actions."""
    raw = data.get("expected_actions")
    if not isinstance(raw, dict) or not raw:
        check.fail(
            "pack",
            "expected_actions: expected a mapping of pillar number to action count, "
            f"e.g. {{1: 14, 2: 12}}, found {_describe(raw)}",
        )

    counts: dict[int, int] = {}
    for pillar_number, count in raw.items():
        for part in (pillar_number, count):
            if isinstance(part, bool) or not isinstance(part, int) or part < 1:
                check.fail(
                    "pack",
                    f"expected_actions: expected whole numbers of 1 or more, "
                    f"found {_describe(part)}",
                )
        counts[pillar_number] = count
    return counts


def _read_pillar(
    check: _Checker, raw: object, item: str, expected: Mapping[int, int]
) -> PackPillar:
    """Read one pillar and its actions, checking their numbering and count."""
    data = check.mapping(raw, item, required=("id", "number", "title", "summary", "actions"))
    pillar_id = check.slug(data, "id", item)
    check.claim_id(pillar_id, item)
    number = check.positive_int(data, "number", item)
    if number not in expected:
        check.fail(item, f"pillar number {number} is not listed in expected_actions")

    actions = tuple(
        _read_action(
            check, raw_action, _item_name("action", raw_action, "id", position), pillar_id, number
        )
        for position, raw_action in enumerate(check.sequence(data, "actions", item), 1)
    )

    if len(actions) != expected[number]:
        check.fail(item, f"expected {expected[number]} actions, found {len(actions)}")
    for position, action in enumerate(actions, 1):
        wanted = f"{number}.{position}"
        if action.number != wanted:
            check.fail(
                item,
                f"action numbers must run {number}.1 to {number}.{len(actions)} in order "
                f"without gaps; found {action.number!r} where {wanted!r} was expected",
            )

    return PackPillar(
        id=pillar_id,
        number=number,
        title=check.text(data, "title", item),
        summary=check.text(data, "summary", item),
        actions=actions,
    )


def _read_action(
    check: _Checker, raw: object, item: str, pillar_id: str, pillar_number: int
) -> PackAction:
    """Read one action, checking its number belongs to its pillar."""
    data = check.mapping(raw, item, required=("id", "number", "title", "description"))
    action_id = check.slug(data, "id", item)
    check.claim_id(action_id, item)

    number = data.get("number")
    if isinstance(number, float):
        check.fail(
            item,
            f'number: found the bare number {number}; write it in quotes (e.g. "1.10") '
            "so that 1.10 is not read as 1.1",
        )
    match = _ACTION_NUMBER_RE.match(number) if isinstance(number, str) else None
    if match is None:
        check.fail(
            item, f'number: expected text like "{pillar_number}.3", found {_describe(number)}'
        )
    if int(match.group(1)) != pillar_number:
        check.fail(
            item,
            f"number {number!r} does not belong to pillar {pillar_number}; "
            f"expected '{pillar_number}.<n>'",
        )

    return PackAction(
        id=action_id,
        number=number,
        title=check.text(data, "title", item, max_length=MAX_ACTION_TITLE),
        description=check.text(data, "description", item),
        pillar_id=pillar_id,
    )


def _check_pillar_numbers(
    check: _Checker, pillars: Sequence[PackPillar], expected: Mapping[int, int]
) -> None:
    """Check pillars run 1..n in order and ``expected_actions`` names no missing pillar."""
    for position, pillar in enumerate(pillars, 1):
        if pillar.number != position:
            check.fail(
                f"pillar {pillar.id}",
                f"pillars must be numbered 1 to {len(pillars)} in order; "
                f"found {pillar.number} where {position} was expected",
            )
    absent = sorted(set(expected) - {pillar.number for pillar in pillars})
    if absent:
        check.fail("pack", f"expected_actions names pillar {absent[0]}, which the pack lacks")
