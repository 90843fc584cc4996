"""The force system extract templates, written as data.

No open source holds what a force's own systems know about domestic abuse, protective orders,
referrals, missing-person episodes or specialist training. The tracker therefore defines one
import template per kind of extract: the columns, their types and rules, and the cross-column
rules a row must meet. :mod:`vawg.extracts.validate` checks a file against a template,
``make_template_files`` writes the empty CSV/XLSX templates and the documentation pages from
these definitions, and the metric catalogue queries the Parquet written from them (one view per
template, named :attr:`Template.dataset`).

Data protection is designed in: no column takes a name or free-text narrative. People appear
only as pseudonymous references (``P-000123``), and only where a metric needs to recognise the
same person twice (repeat missing episodes).

Every row gains a ``month`` (``YYYY-MM``): the template's own ``month`` column where it has one
(checked against the row's date where both exist), otherwise the month of the column named by
:attr:`Template.month_from`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "COLUMN_TYPES",
    "OUTCOME_CODES",
    "PROSECUTION_IMPOSSIBLE_CODES",
    "TEMPLATES",
    "Column",
    "Conditional",
    "DerivedFlag",
    "NotBefore",
    "Rule",
    "Template",
    "get_template",
]

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


Rule = Conditional | NotBefore | DerivedFlag


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

    @property
    def dataset(self) -> str:
        """The import dataset and DuckDB view name: the slug with ``-`` as ``_``."""
        return self.slug.replace("-", "_")

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
        the template has none, then ``force`` (added by the import)."""
        columns = [(c.name, c.sql_type) for c in self.columns]
        if "month" not in self.headers:
            columns.append(("month", "VARCHAR"))
        if force:
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


DA_INCIDENTS = Template(
    slug="da-incidents",
    title="Domestic abuse incidents",
    purpose=(
        "Every domestic abuse incident reported to the force, whether or not a crime was "
        "recorded, with the first response to it: the base of the domestic abuse measures of "
        "Project Kaizen."
    ),
    one_row="One domestic abuse incident (a call for service or report), counted once.",
    columns=(
        _id("incident_id", "incident", "INC-2022-004512"),
        Column("reported_on", "date", "The day the incident was reported.", "2022-03-14"),
        Column(
            "month",
            "month",
            "The reporting month; must be the month of reported_on.",
            "2022-03",
        ),
        _yes_no("crime_recorded", "Whether a domestic abuse crime was recorded.", "yes"),
        _yes_no(
            "arrest_made",
            "Whether a suspect was arrested for the incident (any arrest linked to it).",
            "no",
        ),
        _yes_no(
            "repeat_victim",
            "Whether the victim was the victim of another domestic abuse incident reported in "
            "the 12 months before this one (local definition; there is no national one).",
            "yes",
        ),
        Column(
            "dash_risk",
            "choice",
            "The risk grade of the DASH (or DARA) risk assessment; empty when none was completed.",
            "medium",
            required=False,
            choices=_RISK,
        ),
    ),
    key=("incident_id",),
    month_from="reported_on",
    month_rule="the month column, which must equal the month of reported_on",
    notes=(
        "An incident with several victims is one row; record the highest DASH grade.",
        "Arrests per 100 crimes follow the ONS/HMICFRS domestic abuse arrest rate; here both "
        "counts come from this extract (arrest_made over crime_recorded).",
    ),
)

DA_CRIMES = Template(
    slug="da-crimes",
    title="Domestic abuse crimes",
    purpose=(
        "Every crime carrying the Home Office domestic abuse flag, with its outcome once "
        "finalised, for volumes, outcome shares and the prosecution-possible rate."
    ),
    one_row="One recorded crime flagged as domestic abuse related.",
    columns=(
        _id("crime_id", "crime", "CR-22-018845"),
        Column("recorded_on", "date", "The day the crime was recorded.", "2022-03-15"),
        Column(
            "month",
            "month",
            "The recording month; must be the month of recorded_on.",
            "2022-03",
        ),
        Column(
            "offence_group",
            "choice",
            "The offence group of the principal offence.",
            "violence with injury",
            choices=(
                "violence with injury",
                "violence without injury",
                "stalking and harassment",
                "controlling or coercive behaviour",
                "sexual offences",
                "criminal damage and arson",
                "other",
            ),
        ),
        Column(
            "outcome_code",
            "integer",
            "The Home Office outcome type (0 means not yet assigned); empty while open.",
            "1",
            required=False,
            minimum=min(OUTCOME_CODES),
            maximum=max(OUTCOME_CODES),
        ),
        Column(
            "finalised_on",
            "date",
            "The day the outcome was assigned; empty while open.",
            "2022-03-29",
            required=False,
        ),
        _yes_no(
            "prosecution_possible",
            "Local definition: yes when the outcome leaves a prosecution possible, that is any "
            "outcome except 5, 11, 12, 13, 17, 18, 19 and 20 (prevented by something outside "
            "police control); no for those; empty while open.",
            "yes",
            required=False,
        ),
    ),
    key=("crime_id",),
    month_from="recorded_on",
    month_rule="the month column, which must equal the month of recorded_on",
    rules=(
        Conditional("finalised_on", when="outcome_code", when_in=FINAL_OUTCOME_CODES),
        NotBefore("finalised_on", earlier="recorded_on"),
        DerivedFlag(
            "prosecution_possible",
            source="outcome_code",
            no_codes=PROSECUTION_IMPOSSIBLE_CODES,
            empty_codes=(0,),
        ),
    ),
    notes=(
        "The prosecution-possible rate is outcome 1 (charged/summonsed) divided by crimes "
        "finalised with prosecution_possible = yes, by month of finalised_on. It is a local "
        "measure, not a Home Office statistic.",
    ),
)

PROTECTIVE_ORDERS = Template(
    slug="protective-orders",
    title="Protective and preventative orders",
    purpose=(
        "Every application for a protective or preventative order the force makes (or "
        "notice it authorises), its result and any breach, for order use, grant rates, "
        "breaches and the Taskforce return of orders applied for and issued."
    ),
    one_row=(
        "One application for one order. A DVPN is one row (applied_on = day authorisation "
        "was sought, granted = whether it was authorised and served); the DVPO that follows "
        "is another row. An interim order is its own row."
    ),
    columns=(
        _id("order_id", "application", "ORD-22-00311"),
        Column(
            "order_type",
            "choice",
            "DVPN domestic violence protection notice; DVPO order; SPO stalking protection "
            "order; interim SPO; SHPO sexual harm prevention order (police application); SRO "
            "sexual risk order.",
            "DVPN",
            choices=("DVPN", "DVPO", "SPO", "interim SPO", "SHPO", "SRO"),
        ),
        Column("applied_on", "date", "The day the application was made.", "2022-03-02"),
        _yes_no(
            "granted",
            "Whether the order was granted (the notice authorised); empty while undecided.",
            "yes",
            required=False,
        ),
        Column(
            "granted_on",
            "date",
            "The day it was granted; only when granted.",
            "2022-03-02",
            required=False,
        ),
        _yes_no(
            "breached",
            "Whether a breach has been recorded; filled when granted, empty otherwise.",
            "yes",
            required=False,
        ),
        Column(
            "breach_on",
            "date",
            "The day of the first recorded breach; only when breached.",
            "2022-03-20",
            required=False,
        ),
        Column(
            "breach_actioned_on",
            "date",
            "The day of the first enforcement action on that breach (arrest, charge or "
            "summons); empty while none.",
            "2022-03-21",
            required=False,
        ),
    ),
    key=("order_id",),
    month_from="applied_on",
    month_rule="the month of applied_on",
    rules=(
        Conditional("granted_on", when="granted", when_in=(True,)),
        Conditional("breached", when="granted", when_in=(True,)),
        Conditional("breach_on", when="breached", when_in=(True,)),
        Conditional("breach_actioned_on", when="breached", when_in=(True,), required=False),
        NotBefore("granted_on", earlier="applied_on"),
        NotBefore("breach_on", earlier="granted_on"),
        NotBefore("breach_actioned_on", earlier="breach_on"),
    ),
)

CLARES_LAW = Template(
    slug="clares-law",
    title="Domestic Violence Disclosure Scheme (Clare's Law)",
    purpose=(
        "Every Clare's Law application under either route, and whether and when a disclosure "
        "was made, counted separately for right to ask and right to know."
    ),
    one_row="One application (right to ask) or one proactive consideration (right to know).",
    columns=(
        _id("application_id", "application", "DVDS-22-0147"),
        Column(
            "route",
            "choice",
            "right-to-ask: a member of the public applied; right-to-know: the police started it.",
            "right-to-ask",
            choices=("right-to-ask", "right-to-know"),
        ),
        Column(
            "applied_on", "date", "The day the application was received or started.", "2022-03-03"
        ),
        Column(
            "decided_on",
            "date",
            "The day the disclosure decision was made; empty while pending.",
            "2022-03-24",
            required=False,
        ),
        _yes_no(
            "disclosed",
            "Whether information was disclosed; filled once decided, empty while pending.",
            "no",
            required=False,
        ),
    ),
    key=("application_id",),
    month_from="applied_on",
    month_rule="the month of applied_on",
    rules=(
        Conditional("disclosed", when="decided_on"),
        NotBefore("decided_on", earlier="applied_on"),
    ),
    notes=(
        "An application ends without disclosure when there is nothing to disclose: a low "
        "disclosure share is not in itself a failure.",
    ),
)

MARAC_REFERRALS = Template(
    slug="marac-referrals",
    title="MARAC referrals",
    purpose=(
        "Every referral the force makes to a multi-agency risk assessment conference, for "
        "volumes and the repeat rate SafeLives benchmarks."
    ),
    one_row="One referral of one victim to MARAC.",
    columns=(
        _id("referral_id", "referral", "MAR-22-0412"),
        Column("referred_on", "date", "The day the referral was made.", "2022-03-09"),
        _yes_no(
            "repeat",
            "SafeLives definition: yes when there was a further incident within 12 months of "
            "the victim's last referral to MARAC.",
            "no",
        ),
        Column(
            "risk",
            "choice",
            "The risk grade at referral.",
            "high",
            choices=_RISK,
        ),
        Column(
            "criterion",
            "choice",
            "The SafeLives referral criterion relied on; may be empty.",
            "visible high risk",
            required=False,
            choices=(
                "visible high risk",
                "professional judgement",
                "potential escalation",
                "repeat",
            ),
        ),
    ),
    key=("referral_id",),
    month_from="referred_on",
    month_rule="the month of referred_on",
    notes=("SafeLives expects roughly 28% to 40% of MARAC cases to be repeats.",),
)

MISSING_EPISODES = Template(
    slug="missing-episodes",
    title="Missing person episodes",
    purpose=(
        "Every episode of a person reported missing, with when they were found, for how long "
        "people (children above all) are missing and who goes missing again."
    ),
    one_row="One missing episode of one person, from report to being found.",
    columns=(
        _id("episode_id", "episode", "MFH-22-01876"),
        Column(
            "person_ref",
            "text",
            "The pseudonymous reference of the missing person, the same for every episode of "
            "that person.",
            "P-004211",
            pattern=_PERSON_REF,
            pattern_hint=_PERSON_REF_HINT,
        ),
        Column(
            "reported_at", "datetime", "When the person was reported missing.", "2022-03-05 21:40"
        ),
        Column(
            "found_at",
            "datetime",
            "When the person was found (or returned); empty while still missing.",
            "2022-03-06 00:20",
            required=False,
        ),
        Column(
            "age", "integer", "Age in years when reported missing.", "15", minimum=0, maximum=120
        ),
        Column(
            "risk",
            "choice",
            "The risk grade at the time of the report (APP on missing persons).",
            "medium",
            choices=("no apparent risk", "low", "medium", "high"),
        ),
    ),
    key=("episode_id",),
    month_from="reported_at",
    month_rule="the month of reported_at",
    rules=(NotBefore("found_at", earlier="reported_at"),),
    notes=(
        "Minutes missing = found_at - reported_at. Found within 24 hours means at most "
        "1,440 minutes; an episode still open counts as not found within 24 hours.",
        "A juvenile is a person aged under 18 when reported missing.",
    ),
)

FINALISED_CRIMES = Template(
    slug="finalised-crimes",
    title="Finalised VAWG crimes",
    purpose=(
        "Every violence against women and girls crime given a final outcome, by offence "
        "group, for charge rates, outcome shares (14, 15, 16), time to outcome and child "
        "sexual abuse and exploitation."
    ),
    one_row="One crime, on the day it was finalised with a Home Office outcome.",
    columns=(
        _id("crime_id", "crime", "CR-21-044102"),
        Column("recorded_on", "date", "The day the crime was recorded.", "2021-11-02"),
        Column("finalised_on", "date", "The day the outcome was assigned.", "2022-03-18"),
        Column(
            "offence_group",
            "choice",
            "The first group that applies, in this order: rape; other sexual offences; "
            "domestic abuse; stalking and harassment; honour-based abuse; other VAWG.",
            "rape",
            choices=(
                "rape",
                "other sexual offences",
                "domestic abuse",
                "stalking and harassment",
                "honour-based abuse",
                "other VAWG",
            ),
        ),
        Column(
            "outcome_code",
            "integer",
            "The Home Office outcome type assigned (1 to 23).",
            "15",
            minimum=min(FINAL_OUTCOME_CODES),
            maximum=max(FINAL_OUTCOME_CODES),
        ),
        _yes_no("child_victim", "Whether the victim was under 18 at the offence.", "no"),
        _yes_no(
            "cse_flagged",
            "Whether the crime carries the force's child sexual exploitation flag.",
            "no",
        ),
    ),
    key=("crime_id",),
    month_from="finalised_on",
    month_rule="the month of finalised_on",
    rules=(NotBefore("finalised_on", earlier="recorded_on"),),
    notes=(
        "Rates here are on the Home Office's second basis: outcomes of investigations closed "
        "in the month, whatever month the crime was recorded in.",
    ),
)

SPECIALIST_STAFF = Template(
    slug="specialist-staff",
    title="Specialist-trained staff",
    purpose=(
        "Monthly establishment and specialist accreditation of the units that investigate "
        "VAWG, for the skills-gap measures (PIP2, ABE, SCAIDP) against establishment."
    ),
    one_row="One unit and role in one month (a snapshot at the end of the month).",
    columns=(
        Column("month", "month", "The month of the snapshot.", "2022-03"),
        Column(
            "unit",
            "text",
            "The unit, as the force names it (for example CAISU, RIT, PPU).",
            "RIT",
            pattern=r"[A-Za-z0-9][A-Za-z0-9 ()&/.-]{0,59}",
            pattern_hint="a unit name: letters, digits, spaces and ( ) & / . - only, up to 60",
        ),
        Column(
            "team_type",
            "choice",
            "What the unit does, in words common to every force, so metrics need no local "
            "unit names.",
            "rape and serious sexual offences",
            choices=(
                "child abuse investigation",
                "rape and serious sexual offences",
                "public protection",
                "domestic abuse",
                "safeguarding hub",
                "other",
            ),
        ),
        Column(
            "role",
            "choice",
            "The role group.",
            "investigator",
            choices=("investigator", "supervisor", "staff investigator", "other"),
        ),
        Column(
            "establishment",
            "integer",
            "Funded posts (full-time equivalent, rounded).",
            "40",
            minimum=0,
        ),
        Column(
            "pip2_accredited",
            "integer",
            "Staff in post accredited to PIP level 2.",
            "31",
            minimum=0,
        ),
        Column(
            "abe_trained", "integer", "Staff in post trained to interview by ABE.", "28", minimum=0
        ),
        Column(
            "scaidp_trained",
            "integer",
            "Staff in post who completed the specialist child abuse investigator programme.",
            "0",
            minimum=0,
        ),
    ),
    key=("month", "unit", "role"),
    month_from=None,
    month_rule="the month column",
    notes=(
        "Shares are trained staff over establishment, so vacancies lower them: that is "
        "intended, a vacant post is a skills gap too.",
    ),
)

VICTIM_FEEDBACK = Template(
    slug="victim-feedback",
    title="Victim feedback questionnaire",
    purpose=(
        "Answers to the victim feedback questionnaire, for satisfaction, confidence to report "
        "again and being treated with respect."
    ),
    one_row="One completed questionnaire.",
    columns=(
        _id("response_id", "response", "VF-22-00087"),
        Column("month", "month", "The month the questionnaire was completed.", "2022-03"),
        Column(
            "service_area",
            "choice",
            "The service the respondent received.",
            "rape and serious sexual offences",
            choices=(
                "domestic abuse",
                "rape and serious sexual offences",
                "stalking and harassment",
                "child abuse",
                "other VAWG",
            ),
        ),
        _yes_no("satisfied", "Satisfied with the service overall.", "yes"),
        _yes_no("would_report_again", "Would report to the police again.", "yes"),
        Column(
            "treated_with_respect",
            "integer",
            "Agreement with being treated with respect: 1 strongly disagree to 5 strongly agree.",
            "4",
            minimum=1,
            maximum=5,
        ),
    ),
    key=("response_id",),
    month_from=None,
    month_rule="the month column",
    notes=("No free-text answers are imported: they may name people.",),
)

PARTNER_REFERRALS = Template(
    slug="partner-referrals",
    title="Referrals to partner agencies",
    purpose=(
        "Every referral the force makes to a partner agency, above all the DA Alliance, for "
        "the volume and mix of safeguarding referrals."
    ),
    one_row="One referral of one person to one partner agency.",
    columns=(
        _id("referral_id", "referral", "REF-22-09931"),
        Column("referred_on", "date", "The day the referral was made.", "2022-03-11"),
        Column(
            "partner",
            "choice",
            "The partner referred to (a force adapts this list to its partnership).",
            "DA Alliance",
            choices=(
                "DA Alliance",
                "IDVA service",
                "ISVA service",
                "children's social care",
                "adult social care",
                "perpetrator programme",
                "housing",
                "other",
            ),
        ),
        Column(
            "referral_type",
            "choice",
            "What the referral asks for.",
            "victim support",
            choices=(
                "victim support",
                "safeguarding",
                "perpetrator intervention",
                "information sharing",
            ),
        ),
    ),
    key=("referral_id",),
    month_from="referred_on",
    month_rule="the month of referred_on",
)

TEMPLATES: Mapping[str, Template] = {
    t.slug: t
    for t in (
        DA_INCIDENTS,
        DA_CRIMES,
        PROTECTIVE_ORDERS,
        CLARES_LAW,
        MARAC_REFERRALS,
        MISSING_EPISODES,
        FINALISED_CRIMES,
        SPECIALIST_STAFF,
        VICTIM_FEEDBACK,
        PARTNER_REFERRALS,
    )
}


def get_template(name: str | Template) -> Template:
    """The template of a slug (``da-incidents``) or dataset name (``da_incidents``).

    >>> get_template("da_incidents").slug
    'da-incidents'
    """
    if isinstance(name, Template):
        return name
    slug = name.replace("_", "-")
    try:
        return TEMPLATES[slug]
    except KeyError:
        raise KeyError(
            f"no extract template {name!r}; expected one of {', '.join(TEMPLATES)}"
        ) from None
