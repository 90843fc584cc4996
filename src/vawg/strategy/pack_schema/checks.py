"""Typed, checked reads from parsed pack YAML, shared by the three kinds of pack."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from vawg.strategy.pack_schema.loading import PackError
from vawg.text import find_forbidden

_ID_RE = re.compile(r"^[a-z0-9]+(?:[.\-_][a-z0-9]+)*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _describe(value: object) -> str:
    """Name what was found, for 'expected X, found Y' messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the true/false value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}" if value.strip() else "empty text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class _Checker:
    """Typed reads from parsed YAML for one file; every failure is a :class:`PackError`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._id_owners: dict[str, str] = {}

    def fail(self, item: str, message: str) -> NoReturn:
        """Raise a :class:`PackError` for this file."""
        raise PackError(self.path, item, message)

    def claim_id(self, value: str, item: str) -> None:
        """Record an id, refusing one already used anywhere in this pack."""
        owner = self._id_owners.get(value)
        if owner is not None:
            self.fail(item, f"id {value!r} is already used by {owner}; ids must be unique")
        self._id_owners[value] = item

    def mapping(
        self,
        value: object,
        item: str,
        *,
        required: Collection[str],
        optional: Collection[str] = (),
    ) -> dict[str, Any]:
        """Check ``value`` is a mapping with every required key and no unknown key."""
        if not isinstance(value, dict):
            self.fail(item, f"expected a mapping of keys to values, found {_describe(value)}")

        allowed = [*required, *optional]
        unknown = [key for key in value if key not in allowed]
        if unknown:
            self.fail(
                item,
                f"unknown key {unknown[0]!r}; expected only: {', '.join(allowed)}",
            )
        missing = [key for key in required if key not in value]
        if missing:
            self.fail(item, f"missing required key {missing[0]!r}")
        return value

    def text(
        self, data: Mapping[str, Any], key: str, item: str, *, max_length: int | None = None
    ) -> str:
        """Read non-empty text, optionally no longer than ``max_length`` characters.

        Control and text direction characters (``vawg.text``) are refused, not cut.
        """
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(item, f"{key}: expected non-empty text, found {_describe(value)}")
        # Checked before stripping, which would silently drop a leading or trailing one.
        if (found := find_forbidden(value)) is not None:
            self.fail(
                item,
                f"{key}: expected text without control or text direction characters, "
                f"found {found.describe()}",
            )
        if max_length is not None and len(value) > max_length:
            self.fail(item, f"{key}: expected at most {max_length} characters, found {len(value)}")
        return value.strip()

    def slug(self, data: Mapping[str, Any], key: str, item: str) -> str:
        """Read an id: lower-case letters and digits, joined by single '.', '-' or '_'."""
        value = data.get(key)
        if not isinstance(value, str) or not _ID_RE.match(value):
            self.fail(
                item,
                f"{key}: expected an id of lower-case letters and digits joined by '.', '-' "
                f"or '_' (e.g. 'nfd21-2.3'), found {_describe(value)}",
            )
        return value

    def choice(self, data: Mapping[str, Any], key: str, item: str, choices: Sequence[str]) -> str:
        """Read one of a fixed set of values."""
        value = data.get(key)
        if value not in choices:
            self.fail(
                item, f"{key}: expected one of {', '.join(choices)}; found {_describe(value)}"
            )
        return str(value)

    def expect(self, data: Mapping[str, Any], key: str, item: str, wanted: str) -> str:
        """Read a value that must equal ``wanted`` (a kind or a reference to another pack)."""
        value = data.get(key)
        if value != wanted:
            self.fail(item, f"{key}: expected {wanted!r}, found {_describe(value)}")
        return wanted

    def positive_int(self, data: Mapping[str, Any], key: str, item: str) -> int:
        """Read a whole number of 1 or more."""
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(
                item, f"{key}: expected a whole number of 1 or more, found {_describe(value)}"
            )
        return value

    def date(self, data: Mapping[str, Any], key: str, item: str) -> dt.date:
        """Read a real calendar date written YYYY-MM-DD."""
        value = data.get(key)
        if isinstance(value, str) and _DATE_RE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(item, f"{key}: expected a real date written YYYY-MM-DD, found {_describe(value)}")

    def optional_date(self, data: Mapping[str, Any], key: str, item: str) -> dt.date | None:
        """Read a date that may be absent or null."""
        if data.get(key) is None:
            return None
        return self.date(data, key, item)

    def sequence(
        self, data: Mapping[str, Any], key: str, item: str, *, min_items: int = 0
    ) -> list[Any]:
        """Read a list (an absent optional list reads as empty)."""
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(item, f"{key}: expected a list, found {_describe(value)}")
        if len(value) < min_items:
            self.fail(item, f"{key}: expected at least {min_items} entries, found {len(value)}")
        return value

    def id_list(
        self,
        data: Mapping[str, Any],
        key: str,
        item: str,
        *,
        known: Collection[str],
        what: str,
        min_items: int = 0,
    ) -> tuple[str, ...]:
        """Read a list of ids, each naming a known ``what``, none repeated."""
        values = self.sequence(data, key, item, min_items=min_items)
        seen: list[str] = []
        for value in values:
            if not isinstance(value, str) or value not in known:
                self.fail(
                    item,
                    f"{key}: {_describe(value)} is not a known {what}; "
                    f"expected one of: {', '.join(sorted(known))}",
                )
            if value in seen:
                self.fail(item, f"{key}: {value!r} is listed twice")
            seen.append(value)
        return tuple(seen)


def _item_name(kind: str, raw: object, key: str, position: int) -> str:
    """Name a list entry by its id (or action), falling back to its position."""
    if isinstance(raw, dict):
        value = raw.get(key)
        if isinstance(value, str) and value.strip():
            return f"{kind} {value}"
    return f"{kind} #{position}"
