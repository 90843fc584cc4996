"""The template model: column types, :class:`Column`, the cross-column rules and
:class:`Template`, with the shared code lists and column helpers the definitions use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ColumnType = Literal["text", "date", "month", "datetime", "integer", "number", "boolean", "choice"]
COLUMN_TYPES: tuple[str, ...] = (
    "text",
    "date",
    "month",
    "datetime",
    "integer",
    "number",
    "boolean",
    "choice",
)

# How each column type is stored in Parquet (DuckDB type names).
SQL_TYPES: Mapping[str, str] = {
    "text": "VARCHAR",
    "date": "DATE",
    "month": "VARCHAR",
    "datetime": "TIMESTAMP",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "choice": "VARCHAR",
}

# How each type is written in a file, for messages and documentation.
TYPE_FORMATS: Mapping[str, str] = {
    "text": "text",
    "date": "date, YYYY-MM-DD",
    "month": "month, YYYY-MM",
    "datetime": "date and time, YYYY-MM-DD HH:MM",
    "integer": "whole number",
    "number": "number",
    "boolean": "yes or no",
    "choice": "one of a list",
}

# Home Office outcome types. 0 is "not yet assigned"; 22 (April 2019) and 23 (deferred
# prosecution for children) were added after the framework began, so the top of the range is
# a constant to move when the Home Office adds a type, not a number scattered through code.
OUTCOME_CODES: tuple[int, ...] = tuple(range(24))
FINAL_OUTCOME_CODES: tuple[int, ...] = tuple(c for c in OUTCOME_CODES if c != 0)

# The local "prosecution possible" definition (not a Home Office term): outcomes where a
# prosecution was prevented by something outside police control leave the denominator.
# 5 offender died; 11-13 prosecution prevented (suspect under age, suspect too ill, victim or
# key witness dead or too ill); 17 time limit expired; 18 no suspect identified; 19 NFIB
# (fraud only); 20 transferred to another body.
PROSECUTION_IMPOSSIBLE_CODES: tuple[int, ...] = (5, 11, 12, 13, 17, 18, 19, 20)

# A record reference: no spaces, so a name cannot pass for one, and at least one digit.
_RECORD_ID = r"(?=.*[0-9])[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}"
_RECORD_ID_HINT = (
    "a record reference: letters, digits and / _ . - only, at least one digit, no spaces, "
    "at most 64 characters"
)
#: Every reference in a generated (invented) record starts with this; real systems never
#: use it, so an import can tell generated records from a force's own.
GENERATED_PREFIX = "GEN-"

# A pseudonymous person reference; generated demo people carry the GEN- prefix.
_PERSON_REF = r"(GEN-)?P-[0-9]{6,9}"
_PERSON_REF_HINT = "a pseudonymous person reference such as P-000123 (never a name)"

_RISK = ("standard", "medium", "high")


@dataclass(frozen=True)
class Column:
    """One column of a template: its name in the header row, type and rule."""

    name: str
    type: ColumnType
    description: str
    example: str
    required: bool = True
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    pattern_hint: str = ""

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type}")
        if (self.type == "choice") != bool(self.choices):
            raise ValueError(f"column {self.name}: choices go with the choice type only")
        if self.pattern is not None:
            re.compile(self.pattern)

    @property
    def sql_type(self) -> str:
        """The DuckDB type the column has in Parquet."""
        return SQL_TYPES[self.type]

    def rule(self) -> str:
        """The column's rule in words, as the documentation and the XLSX "About" sheet say."""
        parts = [TYPE_FORMATS[self.type]]
        if self.choices:
            parts = ["one of: " + ", ".join(self.choices)]
        if self.minimum is not None and self.maximum is not None:
            parts.append(f"from {_number(self.minimum)} to {_number(self.maximum)}")
        elif self.minimum is not None:
            parts.append(f"at least {_number(self.minimum)}")
        if self.pattern_hint:
            parts.append(self.pattern_hint)
        parts.append("required" if self.required else "may be empty")
        return "; ".join(parts)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# Marks a condition "the other column is filled (any value)".
FILLED: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Conditional:
    """``column`` belongs to rows where ``when`` holds one of ``when_in`` (or any value, when
    ``when_in`` is empty): there it is required (if ``required``), elsewhere it must be empty.
    """

    column: str
    when: str
    when_in: tuple[Any, ...] = FILLED
    required: bool = True

    @property
    def columns(self) -> tuple[str, str]:
        """The columns the rule reads."""
        return (self.column, self.when)

    def describe(self) -> str:
        """The rule in words."""
        condition = self._condition()
        if self.required:
            return f"{self.column} is filled when {condition}, and empty otherwise"
        return f"{self.column} may be filled only when {condition}"

    def _condition(self) -> str:
        if not self.when_in:
            return f"{self.when} is filled"
        shown = [_shown(v) for v in self.when_in]
        if len(shown) > 4 and all(isinstance(v, int) for v in self.when_in):
            return f"{self.when} is {min(self.when_in)} to {max(self.when_in)}"
        return f"{self.when} is {' or '.join(shown)}"

    def check(self, row: Mapping[str, Any]) -> tuple[str, str] | None:
        """(column, problem) if ``row`` breaks the rule, else None."""
        other = row.get(self.when)
        holds = other is not None and (not self.when_in or other in self.when_in)
        value = row.get(self.column)
        if holds and self.required and value is None:
            return self.column, f"empty, but required when {self._condition()}"
        if not holds and value is not None:
            return self.column, (
                f"must be empty unless {self._condition()} (found {_shown(value)})"
            )
        return None


@dataclass(frozen=True)
class NotBefore:
    """When both are filled, ``column`` is not earlier than ``earlier``."""

    column: str
    earlier: str

    @property
    def columns(self) -> tuple[str, str]:
        """The columns the rule reads."""
        return (self.column, self.earlier)

    def describe(self) -> str:
        """The rule in words."""
        return f"{self.column} is not before {self.earlier}"

    def check(self, row: Mapping[str, Any]) -> tuple[str, str] | None:
        """(column, problem) if ``row`` breaks the rule, else None."""
        value, earlier = row.get(self.column), row.get(self.earlier)
        if value is None or earlier is None:
            return None
        if value < earlier:
            return self.column, (f"{_shown(value)} is before {self.earlier} ({_shown(earlier)})")
        return None


@dataclass(frozen=True)
class DerivedFlag:
    """``column`` (yes/no) agrees with the code in ``source``: empty while ``source`` is empty
    or in ``empty_codes``, ``no`` for ``no_codes``, ``yes`` for every other code."""

    column: str
    source: str
    no_codes: tuple[int, ...]
    empty_codes: tuple[int, ...] = ()

    @property
    def columns(self) -> tuple[str, str]:
        """The columns the rule reads."""
        return (self.column, self.source)

    def describe(self) -> str:
        """The rule in words."""
        empty = ", ".join(str(c) for c in self.empty_codes)
        no = ", ".join(str(c) for c in self.no_codes)
        pending = f" or {empty}" if empty else ""
        return (
            f"{self.column} is empty while {self.source} is empty{pending}; no when it is "
            f"{no}; yes for any other code"
        )

    def expected(self, code: int | None) -> bool | None:
        """The flag a code implies."""
        if code is None or code in self.empty_codes:
            return None
        return code not in self.no_codes

    def check(self, row: Mapping[str, Any]) -> tuple[str, str] | None:
        """(column, problem) if ``row`` breaks the rule, else None."""
        code = row.get(self.source)
        want, got = self.expected(code), row.get(self.column)
        if want == got:
            return None
        code_text = "empty" if code is None else str(code)
        return self.column, (
            f"{_shown(got) if got is not None else 'empty'} disagrees with {self.source} "
            f"{code_text}: expected {_shown(want) if want is not None else 'empty'}"
        )


@dataclass(frozen=True)
class AtMost:
    """``column`` is not greater than ``limit`` (another column): a subset counted beside
    the whole it belongs to."""

    column: str
    limit: str

    @property
    def columns(self) -> tuple[str, str]:
        """The columns the rule reads."""
        return (self.column, self.limit)

    def describe(self) -> str:
        """The rule in words."""
        return f"{self.column} is at most {self.limit}"

    def check(self, row: Mapping[str, Any]) -> tuple[str, str] | None:
        """(column, problem) if ``row`` breaks the rule, else None."""
        value, limit = row.get(self.column), row.get(self.limit)
        if value is None or limit is None or value <= limit:
            return None
        return self.column, f"{_shown(value)} is more than {self.limit} ({_shown(limit)})"


Rule = Conditional | NotBefore | DerivedFlag | AtMost


def _shown(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if hasattr(value, "isoformat"):
        text = value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
        return text[:16]
    return str(value)


@dataclass(frozen=True)
class Template:
    """One extract template: what a row is, its columns and its rules."""

    slug: str
    title: str
    purpose: str
    one_row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    month_from: str | None
    month_rule: str
    rules: tuple[Rule, ...] = ()
    notes: tuple[str, ...] = field(default=())
    # A national table covers many forces: each row names its force in a ``force`` column,
    # which the import keeps instead of stamping every row with the importing force.
    row_force: bool = False

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"template {self.slug}: repeated column names")
        referenced = list(self.key) + ([self.month_from] if self.month_from else [])
        for rule in self.rules:
            referenced.extend(rule.columns)
        unknown = sorted({n for n in referenced if n not in names})
        if unknown:
            raise ValueError(f"template {self.slug}: unknown columns {unknown}")
        if "month" not in names and self.month_from is None:
            raise ValueError(f"template {self.slug}: needs a month column or month_from")
        if self.row_force != ("force" in names):
            raise ValueError(f"template {self.slug}: a force column goes with row_force only")

    @property
    def dataset(self) -> str:
        """The import dataset and DuckDB view name: the slug with ``-`` as ``_``."""
        return self.slug.replace("-", "_")

    @property
    def reference_columns(self) -> tuple[str, ...]:
        """The record and unit references: the text columns, each held to a pattern.

        These are where a generated record carries :data:`GENERATED_PREFIX`; free text (had a
        template any) could start with anything and is not looked at.
        """
        return tuple(c.name for c in self.columns if c.type == "text" and c.pattern)

    @property
    def headers(self) -> tuple[str, ...]:
        """The header row, in the order of the downloadable template."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def parquet_columns(self, *, force: bool = True) -> tuple[tuple[str, str], ...]:
        """(name, DuckDB type) of each Parquet column: the template's, then ``month`` where
        the template has none, then ``force`` (added by the import, or the row's own for a
        :attr:`row_force` template, which always has it and moves it last like the others)."""
        columns = [(c.name, c.sql_type) for c in self.columns if c.name != "force"]
        if "month" not in self.headers:
            columns.append(("month", "VARCHAR"))
        if force or self.row_force:
            columns.append(("force", "VARCHAR"))
        return tuple(columns)


def _id(name: str, what: str, example: str) -> Column:
    return Column(
        name,
        "text",
        f"The force system's reference for the {what}, unique in the file.",
        example,
        pattern=_RECORD_ID,
        pattern_hint=_RECORD_ID_HINT,
    )


def _yes_no(name: str, description: str, example: str, *, required: bool = True) -> Column:
    return Column(name, "boolean", description, example, required=required)
