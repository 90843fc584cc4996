"""National comparison from the Home Office police recorded crime (PRC) table.

The Home Office publishes recorded crime by police force area, offence code and
financial-year quarter. This module turns that table into what a force needs to see itself
among the others: per force and quarter, how many rapes, other sexual offences and stalking
and harassment offences were recorded, per 1,000 residents, and where that rate ranks
nationally and among a peer group.

Pure Python plus DuckDB (for writing Parquet), no Django. Everything takes plain paths and
values so the CLI, a background task, a notebook or a test can call it.

Decisions worth knowing (each one is repeated where the code makes it):

- **Forces.** The 43 territorial forces of England and Wales, slugged as data.police.uk slugs
  them (``metropolitan``, ``city-of-london``, ...). The PRC table also holds British Transport
  Police and four fraud bodies: they are known, kept in the Parquet output (so table totals
  reconcile with the published national figure) and slugged, but they have no resident
  population and are never ranked. Any other force name is refused.
- **Population** is Census 2011 usual residents (the only population in our data), summed
  from LSOAs; see :func:`force_populations` for how each LSOA gets its force. Using 2011
  residents for 2017/18 crime overstates rates where population grew; all forces share the
  bias, but not equally (fast-growing areas are flattered less).
- **Offence groups** are chosen by ``Offence_Subgroup``, and the offence codes each subgroup
  must contain are written down in :data:`OFFENCE_GROUPS` and checked row by row, so a
  renamed or re-coded offence fails loudly instead of silently dropping out of a rate.
- **Ranks**: 1 = highest rate. Ties (equal rates, compared exactly as fractions) share the
  best rank and the next rank is skipped ("competition" ranking, 1-2-2-4), the same as SQL's
  ``rank()`` so the metric queries and this module agree.
- **Peer groups** are our own proxy for HMICFRS "most similar groups" (which are not in our
  data): the 7 forces nearest in Census 2011 population density. They are stored as data in
  ``peer_groups.yaml`` beside this module and can be replaced by the official groups.
"""

from __future__ import annotations

import csv
import gzip
import math
import os
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import duckdb
import yaml

from vawg.errors import InputFileError, VawgError

__all__ = [
    "FORCES",
    "FORCE_SLUGS",
    "NON_TERRITORIAL_PRC_NAMES",
    "OFFENCE_GROUPS",
    "PEER_GROUPS_FILE",
    "PEER_GROUP_SIZE",
    "POPULATION_PARQUET_COLUMNS",
    "PRC_COLUMNS",
    "PRC_PARQUET_COLUMNS",
    "WELSH_LA_FORCE",
    "Force",
    "ForcePopulation",
    "OffenceGroup",
    "OffenceRate",
    "PrcRow",
    "UnknownForceError",
    "competition_rank",
    "create_views",
    "force_populations",
    "load_peer_groups",
    "offence_rates",
    "peer_groups_by_density",
    "peer_groups_yaml",
    "population_to_parquet",
    "prc_force_slug",
    "prc_to_parquet",
    "quarter_end_month",
    "read_prc",
    "write_peer_groups_yaml",
]


# --------------------------------------------------------------------------------------------
# Forces
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Force:
    """One territorial police force of England and Wales.

    ``slug`` is the data.police.uk force id (the key used everywhere in the tracker),
    ``name`` the force's own name and ``prc_name`` how the Home Office PRC table names it.
    """

    slug: str
    name: str
    prc_name: str
    country: str


# Slugs as data.police.uk's /api/forces lists them (checked against a public copy of that list:
# the only spellings that are not the county name lower-cased are "metropolitan",
# "city-of-london", "avon-and-somerset", "devon-and-cornwall" and "dyfed-powys"). The PRC names
# are exactly those of prc-pfa-201718_new.csv.
FORCES: tuple[Force, ...] = (
    Force("avon-and-somerset", "Avon and Somerset Constabulary", "Avon and Somerset", "England"),
    Force("bedfordshire", "Bedfordshire Police", "Bedfordshire", "England"),
    Force("cambridgeshire", "Cambridgeshire Constabulary", "Cambridgeshire", "England"),
    Force("cheshire", "Cheshire Constabulary", "Cheshire", "England"),
    Force("city-of-london", "City of London Police", "London, City of", "England"),
    Force("cleveland", "Cleveland Police", "Cleveland", "England"),
    Force("cumbria", "Cumbria Constabulary", "Cumbria", "England"),
    Force("derbyshire", "Derbyshire Constabulary", "Derbyshire", "England"),
    Force("devon-and-cornwall", "Devon and Cornwall Police", "Devon and Cornwall", "England"),
    Force("dorset", "Dorset Police", "Dorset", "England"),
    Force("durham", "Durham Constabulary", "Durham", "England"),
    Force("dyfed-powys", "Dyfed-Powys Police", "Dyfed-Powys", "Wales"),
    Force("essex", "Essex Police", "Essex", "England"),
    Force("gloucestershire", "Gloucestershire Constabulary", "Gloucestershire", "England"),
    Force("greater-manchester", "Greater Manchester Police", "Greater Manchester", "England"),
    Force("gwent", "Gwent Police", "Gwent", "Wales"),
    Force("hampshire", "Hampshire Constabulary", "Hampshire", "England"),
    Force("hertfordshire", "Hertfordshire Constabulary", "Hertfordshire", "England"),
    Force("humberside", "Humberside Police", "Humberside", "England"),
    Force("kent", "Kent Police", "Kent", "England"),
    Force("lancashire", "Lancashire Constabulary", "Lancashire", "England"),
    Force("leicestershire", "Leicestershire Police", "Leicestershire", "England"),
    Force("lincolnshire", "Lincolnshire Police", "Lincolnshire", "England"),
    Force("merseyside", "Merseyside Police", "Merseyside", "England"),
    Force("metropolitan", "Metropolitan Police Service", "Metropolitan Police", "England"),
    Force("norfolk", "Norfolk Constabulary", "Norfolk", "England"),
    Force("north-wales", "North Wales Police", "North Wales", "Wales"),
    Force("north-yorkshire", "North Yorkshire Police", "North Yorkshire", "England"),
    Force("northamptonshire", "Northamptonshire Police", "Northamptonshire", "England"),
    Force("northumbria", "Northumbria Police", "Northumbria", "England"),
    Force("nottinghamshire", "Nottinghamshire Police", "Nottinghamshire", "England"),
    Force("south-wales", "South Wales Police", "South Wales", "Wales"),
    Force("south-yorkshire", "South Yorkshire Police", "South Yorkshire", "England"),
    Force("staffordshire", "Staffordshire Police", "Staffordshire", "England"),
    Force("suffolk", "Suffolk Constabulary", "Suffolk", "England"),
    Force("surrey", "Surrey Police", "Surrey", "England"),
    Force("sussex", "Sussex Police", "Sussex", "England"),
    Force("thames-valley", "Thames Valley Police", "Thames Valley", "England"),
    Force("warwickshire", "Warwickshire Police", "Warwickshire", "England"),
    Force("west-mercia", "West Mercia Police", "West Mercia", "England"),
    Force("west-midlands", "West Midlands Police", "West Midlands", "England"),
    Force("west-yorkshire", "West Yorkshire Police", "West Yorkshire", "England"),
    Force("wiltshire", "Wiltshire Police", "Wiltshire", "England"),
)
FORCE_SLUGS: tuple[str, ...] = tuple(f.slug for f in FORCES)

# Bodies in the PRC table that are not territorial forces: no resident population, never
# ranked, but kept in the Parquet output so its totals reconcile with the published table.
# "btp" is data.police.uk's own slug; the fraud bodies have none there, so these are ours.
NON_TERRITORIAL_PRC_NAMES: Mapping[str, str] = {
    "British Transport Police": "btp",
    "Action Fraud": "action-fraud",
    "CIFAS": "cifas",
    "UK Finance": "uk-finance",
    "Financial Fraud Action UK": "financial-fraud-action-uk",
}

_PRC_NAME_TO_SLUG: dict[str, str] = {f.prc_name: f.slug for f in FORCES}
_PRC_NAME_TO_SLUG.update(NON_TERRITORIAL_PRC_NAMES)

# PoliceforceLSOA.csv names forces as the PRC table does, except the City of London.
_LOOKUP_NAME_TO_SLUG: dict[str, str] = {f.prc_name: f.slug for f in FORCES}
_LOOKUP_NAME_TO_SLUG["City of London"] = "city-of-london"


class UnknownForceError(VawgError, ValueError):
    """A force name that is not one of the names the PRC table is known to use."""


def prc_force_slug(name: str) -> str:
    """The tracker's slug for a force as the Home Office PRC table names it.

    >>> prc_force_slug("London, City of")
    'city-of-london'
    >>> prc_force_slug("Metropolitan Police")
    'metropolitan'
    >>> prc_force_slug("British Transport Police")
    'btp'
    >>> prc_force_slug("Cambs")
    Traceback (most recent call last):
    ...
    vawg.analytics.home_office.UnknownForceError: unknown force name 'Cambs' ...
    """
    try:
        return _PRC_NAME_TO_SLUG[name]
    except KeyError:
        raise UnknownForceError(
            f"unknown force name {name!r} (expected a Home Office PRC force name such as "
            f"'Cambridgeshire', 'London, City of' or 'Metropolitan Police')"
        ) from None


# --------------------------------------------------------------------------------------------
# Offence groups
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OffenceGroup:
    """A set of Home Office offence codes counted together.

    ``subgroups`` are the PRC ``Offence_Subgroup`` values selected; ``codes`` are every
    ``Offence_Code`` those subgroups must consist of (checked when reading, both ways).
    """

    key: str
    title: str
    subgroups: tuple[str, ...]
    codes: frozenset[str]


# Codes as in the 2017/18 PRC table and the package author's CrimeCatMappings.csv (which agree).
# All four groups sit in data.police.uk's "Violence and sexual offences" category.
_RAPE_CODES = frozenset({"19C", "19D", "19E", "19F", "19G", "19H"})  # female/male, by age
_OTHER_SEXUAL_CODES = frozenset(
    {
        "17A",  # sexual assault on a male aged 13 and over
        "17B",  # sexual assault on a male child under 13
        "20A",  # sexual assault on a female aged 13 and over
        "20B",  # sexual assault on a female child under 13
        "21",  # sexual activity involving a child under 13
        "22A",  # causing sexual activity without consent
        "22B",  # sexual activity involving child under 16
        "23",  # incest or familial sexual offences
        "70",  # sexual activity etc with a person with a mental disorder
        "71",  # abuse of children through sexual exploitation
        "72",  # trafficking for sexual exploitation
        "73",  # abuse of position of trust of a sexual nature
        "88A",  # sexual grooming
        "88C",  # other miscellaneous sexual offences
        "88D",  # unnatural sexual offences
        "88E",  # exposure and voyeurism
    }
)
# Harassment, racially or religiously aggravated harassment, stalking, malicious
# communications: the whole Home Office subgroup. Only some of it is VAWG (no victim sex or
# domestic abuse flag here); the subgroup is kept whole so it matches published figures.
_STALKING_CODES = frozenset({"8L", "8M", "8Q", "8R"})

OFFENCE_GROUPS: Mapping[str, OffenceGroup] = {
    "rape": OffenceGroup("rape", "Rape", ("Rape offences",), _RAPE_CODES),
    "other-sexual": OffenceGroup(
        "other-sexual", "Other sexual offences", ("Other sexual offences",), _OTHER_SEXUAL_CODES
    ),
    # Rape plus other sexual offences (= the Home Office offence group "Sexual offences"):
    # what the force strategy's "serious sexual offences and rape" project is about.
    "sexual-offences": OffenceGroup(
        "sexual-offences",
        "All sexual offences",
        ("Rape offences", "Other sexual offences"),
        _RAPE_CODES | _OTHER_SEXUAL_CODES,
    ),
    "stalking-harassment": OffenceGroup(
        "stalking-harassment",
        "Stalking and harassment",
        ("Stalking and harassment",),
        _STALKING_CODES,
    ),
}


# --------------------------------------------------------------------------------------------
# Reading the PRC table
# --------------------------------------------------------------------------------------------

# Columns we use; the table's unnamed first column and Policeuk_Cat (added by the package
# author) are ignored, as is any other extra column.
PRC_COLUMNS: tuple[str, ...] = (
    "Financial_Year",
    "Financial_Quarter",
    "Force_Name",
    "Offence_Description",
    "Offence_Group",
    "Offence_Subgroup",
    "Offence_Code",
    "Number_of_Offences",
)
_FINANCIAL_YEAR = re.compile(r"(\d{4})/(\d{2})")
# Home Office counts can be negative: a quarter's figure is net of crimes cancelled or
# reclassified after an earlier quarter was published (the 2017/18 table has 36 rows of -1).
_INTEGER = re.compile(r"-?\d+")
# Last calendar month of each financial-year quarter, as (years after the start year, month).
_QUARTER_END = {1: (0, 6), 2: (0, 9), 3: (0, 12), 4: (1, 3)}


def quarter_end_month(financial_year: str, quarter: int) -> str:
    """The last calendar month of a financial-year quarter, as ``YYYY-MM``.

    Quarterly figures are filed under that month so they sit on the same time axis as the
    monthly metrics.

    >>> [quarter_end_month("2017/18", q) for q in (1, 2, 3, 4)]
    ['2017-06', '2017-09', '2017-12', '2018-03']
    """
    match = _FINANCIAL_YEAR.fullmatch(financial_year)
    if not match or quarter not in _QUARTER_END:
        raise ValueError(f"not a financial year and quarter: {financial_year!r} Q{quarter}")
    years, month = _QUARTER_END[quarter]
    return f"{int(match.group(1)) + years:04d}-{month:02d}"


@dataclass(frozen=True)
class PrcRow:
    """One validated row of the PRC table; ``line`` is its line in the file (header = 1)."""

    line: int
    force: str
    financial_year: str
    quarter: int
    month: str
    offence_code: str
    offence_description: str
    offence_group: str
    offence_subgroup: str
    offences: int


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


def read_prc(path: Path) -> list[PrcRow]:
    """Every row of a Home Office PRC force-area table, validated.

    Refuses, with file, row (line in the file, header = 1) and column named: a missing
    column, a row with too few fields, a financial year that is not ``YYYY/YY`` with
    consecutive years, a quarter outside 1-4, an unknown force name, an empty offence code or
    subgroup, and a count that is not a whole number (negative counts are allowed: see
    ``_INTEGER``).
    """
    path = Path(path)
    records = _csv_records(path)
    first = next(records, None)
    if first is None:
        raise InputFileError(path, None, "the file is empty (expected a header row)")
    _, header = first
    index = _header_index(path, header, PRC_COLUMNS)
    width = max(index.values()) + 1
    rows: list[PrcRow] = []
    for line, fields in records:
        if len(fields) < width:
            # Name the first column the short row does not reach.
            column = min((n for n in PRC_COLUMNS if index[n] >= len(fields)), key=index.get)
            raise InputFileError(
                path, column, f"no value: {len(fields)} fields, expected {len(header)}", row=line
            )
        value = {name: fields[index[name]].strip() for name in PRC_COLUMNS}
        rows.append(_prc_row(path, line, value))
    return rows


def _prc_row(path: Path, line: int, value: Mapping[str, str]) -> PrcRow:
    def refuse(column: str, expected: str) -> InputFileError:
        return InputFileError(path, column, f"{_show(value[column])} is not {expected}", row=line)

    year = value["Financial_Year"]
    match = _FINANCIAL_YEAR.fullmatch(year)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise refuse("Financial_Year", "a financial year such as 2017/18")
    quarter_text = value["Financial_Quarter"]
    if quarter_text not in ("1", "2", "3", "4"):
        raise refuse("Financial_Quarter", "a quarter 1, 2, 3 or 4")
    try:
        force = prc_force_slug(value["Force_Name"])
    except UnknownForceError as exc:
        raise InputFileError(path, "Force_Name", str(exc), row=line) from None
    for column in ("Offence_Code", "Offence_Subgroup"):
        if not value[column]:
            raise InputFileError(path, column, "is empty", row=line)
    if not _INTEGER.fullmatch(value["Number_of_Offences"]):
        raise refuse("Number_of_Offences", "a whole number of offences")
    quarter = int(quarter_text)
    return PrcRow(
        line=line,
        force=force,
        financial_year=year,
        quarter=quarter,
        month=quarter_end_month(year, quarter),
        offence_code=value["Offence_Code"],
        offence_description=value["Offence_Description"],
        offence_group=value["Offence_Group"],
        offence_subgroup=value["Offence_Subgroup"],
        offences=int(value["Number_of_Offences"]),
    )


def _check_offence_codes(path: Path, rows: Sequence[PrcRow]) -> None:
    """Refuse a row whose code and subgroup disagree with :data:`OFFENCE_GROUPS`.

    Both ways: a listed code filed under another subgroup, or a selected subgroup holding an
    unlisted code, would silently move offences in or out of a rate.
    """
    code_subgroup = {
        code: group.subgroups[0]
        for group in OFFENCE_GROUPS.values()
        if len(group.subgroups) == 1
        for code in group.codes
    }
    subgroup_codes: dict[str, frozenset[str]] = {
        group.subgroups[0]: group.codes
        for group in OFFENCE_GROUPS.values()
        if len(group.subgroups) == 1
    }
    for row in rows:
        expected = code_subgroup.get(row.offence_code)
        if expected is not None and row.offence_subgroup != expected:
            raise InputFileError(
                path,
                "Offence_Subgroup",
                f"offence code {row.offence_code} is filed under {_show(row.offence_subgroup)}"
                f", expected {expected!r}",
                row=row.line,
            )
        codes = subgroup_codes.get(row.offence_subgroup)
        if codes is not None and row.offence_code not in codes:
            raise InputFileError(
                path,
                "Offence_Code",
                f"{_show(row.offence_code)} is not a known code of {row.offence_subgroup!r} "
                f"(expected one of {', '.join(sorted(codes))})",
                row=row.line,
            )


# --------------------------------------------------------------------------------------------
# Population per force
# --------------------------------------------------------------------------------------------

# The 22 Welsh unitary authorities (2011 codes) and their police force. Wales is absent from
# PoliceforceLSOA.csv, so every W01 LSOA takes the force of its authority from this table.
WELSH_LA_FORCE: Mapping[str, tuple[str, str]] = {
    "W06000001": ("Isle of Anglesey", "north-wales"),
    "W06000002": ("Gwynedd", "north-wales"),
    "W06000003": ("Conwy", "north-wales"),
    "W06000004": ("Denbighshire", "north-wales"),
    "W06000005": ("Flintshire", "north-wales"),
    "W06000006": ("Wrexham", "north-wales"),
    "W06000008": ("Ceredigion", "dyfed-powys"),
    "W06000009": ("Pembrokeshire", "dyfed-powys"),
    "W06000010": ("Carmarthenshire", "dyfed-powys"),
    "W06000023": ("Powys", "dyfed-powys"),
    "W06000011": ("Swansea", "south-wales"),
    "W06000012": ("Neath Port Talbot", "south-wales"),
    "W06000013": ("Bridgend", "south-wales"),
    "W06000014": ("The Vale of Glamorgan", "south-wales"),
    "W06000015": ("Cardiff", "south-wales"),
    "W06000016": ("Rhondda Cynon Taf", "south-wales"),
    "W06000024": ("Merthyr Tydfil", "south-wales"),
    "W06000018": ("Caerphilly", "gwent"),
    "W06000019": ("Blaenau Gwent", "gwent"),
    "W06000020": ("Torfaen", "gwent"),
    "W06000021": ("Monmouthshire", "gwent"),
    "W06000022": ("Newport", "gwent"),
}

# English districts (2011 codes) where PoliceforceLSOA.csv gives no force to *any* LSOA, so
# the force cannot be derived from the district's other LSOAs. Each is wholly inside one force
# area (police force areas are built from whole local authorities).
ENGLISH_LA_FORCE_FALLBACK: Mapping[str, tuple[str, str]] = {
    "E06000048": ("Northumberland", "northumbria"),
    "E08000020": ("Gateshead", "northumbria"),
    "E07000163": ("Craven", "north-yorkshire"),
    "E07000164": ("Hambleton", "north-yorkshire"),
    "E07000165": ("Harrogate", "north-yorkshire"),
    "E07000166": ("Richmondshire", "north-yorkshire"),
    "E07000167": ("Ryedale", "north-yorkshire"),
    "E07000168": ("Scarborough", "north-yorkshire"),
    "E07000169": ("Selby", "north-yorkshire"),
    "E07000151": ("Daventry", "northamptonshire"),
    "E07000155": ("South Northamptonshire", "northamptonshire"),
    "E07000172": ("Broxtowe", "nottinghamshire"),
    "E07000173": ("Gedling", "nottinghamshire"),
    "E07000176": ("Rushcliffe", "nottinghamshire"),
    "E07000221": ("Stratford-on-Avon", "warwickshire"),
    "E07000222": ("Warwick", "warwickshire"),
    "E07000234": ("Bromsgrove", "west-mercia"),
    "E07000235": ("Malvern Hills", "west-mercia"),
    "E07000236": ("Redditch", "west-mercia"),
    "E07000237": ("Worcester", "west-mercia"),
    "E07000238": ("Wychavon", "west-mercia"),
    "E07000239": ("Wyre Forest", "west-mercia"),
    "E07000097": ("East Hertfordshire", "hertfordshire"),
    "E07000100": ("St Albans", "hertfordshire"),
    "E07000101": ("Stevenage", "hertfordshire"),
    "E07000104": ("Welwyn Hatfield", "hertfordshire"),
    "E07000200": ("Babergh", "suffolk"),
    "E07000201": ("Forest Heath", "suffolk"),
    "E07000203": ("Mid Suffolk", "suffolk"),
    "E07000204": ("St Edmundsbury", "suffolk"),
    "E07000084": ("Basingstoke and Deane", "hampshire"),
    "E07000089": ("Hart", "hampshire"),
    "E07000092": ("Rushmoor", "hampshire"),
    "E07000107": ("Dartford", "kent"),
    "E07000109": ("Gravesham", "kent"),
    "E07000040": ("East Devon", "devon-and-cornwall"),
    "E07000042": ("Mid Devon", "devon-and-cornwall"),
    "E07000043": ("North Devon", "devon-and-cornwall"),
    "E07000044": ("South Hams", "devon-and-cornwall"),
    "E07000045": ("Teignbridge", "devon-and-cornwall"),
    "E07000046": ("Torridge", "devon-and-cornwall"),
    "E07000047": ("West Devon", "devon-and-cornwall"),
    "E07000048": ("Christchurch", "dorset"),
    "E07000049": ("East Dorset", "dorset"),
    "E07000050": ("North Dorset", "dorset"),
    "E07000051": ("Purbeck", "dorset"),
    "E07000052": ("West Dorset", "dorset"),
    "E07000053": ("Weymouth and Portland", "dorset"),
    "E07000187": ("Mendip", "avon-and-somerset"),
    "E07000188": ("Sedgemoor", "avon-and-somerset"),
    "E07000189": ("South Somerset", "avon-and-somerset"),
    "E07000190": ("Taunton Deane", "avon-and-somerset"),
    "E07000191": ("West Somerset", "avon-and-somerset"),
}

# London: the City of London local authority is the City of London Police's area; the other
# 32 boroughs (E09) are the Metropolitan Police's. Applied by authority, ahead of the lookup.
_CITY_OF_LONDON_LA = "E09000001"
_LONDON_LA_PREFIX = "E09"

_CENSUS_COLUMNS = ("Local authority code", "Local authority name", "LSOA Code", "Persons")
_LOOKUP_COLUMNS = ("Local authority code", "LSOA Code", "Police_force")
# Census figures are printed with thousands separators ("1,563").
_CENSUS_NUMBER = re.compile(r"\d{1,3}(,\d{3})*|\d+")


@dataclass(frozen=True)
class ForcePopulation:
    """Census 2011 usual residents per force, and how each LSOA got its force.

    ``assigned_by`` counts LSOAs per rule: ``london-la`` (City of London / Metropolitan by
    authority), ``lookup`` (PoliceforceLSOA.csv), ``la-derived`` (unanimous force of the
    other LSOAs of the same authority), ``la-fallback`` (:data:`ENGLISH_LA_FORCE_FALLBACK`),
    ``wales-la`` (:data:`WELSH_LA_FORCE`). ``unassigned`` lists LSOAs no rule placed (none in
    the shipped files); ``conflicts`` lists LSOAs where the lookup disagrees with the London
    rule. ``total`` is every LSOA's residents in the census file, assigned or not.
    """

    population: Mapping[str, int]
    hectares: Mapping[str, int]
    total: int
    assigned_by: Mapping[str, int]
    unassigned: tuple[str, ...]
    conflicts: tuple[str, ...]

    @property
    def density(self) -> dict[str, float]:
        """Residents per hectare, per force."""
        return {f: self.population[f] / self.hectares[f] for f in self.population}


@dataclass(frozen=True)
class _CensusLsoa:
    la_code: str
    residents: int
    hectares: int


def _census_number(path: Path, line: int, column: str, text: str) -> int:
    if not _CENSUS_NUMBER.fullmatch(text):
        raise InputFileError(path, column, f"{_show(text)} is not a whole number", row=line)
    return int(text.replace(",", ""))


def _read_census(path: Path) -> dict[str, _CensusLsoa]:
    """LSOA code → authority, residents and area from the Census 2011 LSOA table.

    The file has three columns headed ``Persons``: all usual residents, household residents
    and communal-establishment residents (the first is their sum). We take the first.
    """
    records = _csv_records(path)
    first = next(records, None)
    if first is None:
        raise InputFileError(path, None, "the file is empty (expected a header row)")
    index = _header_index(path, first[1], (*_CENSUS_COLUMNS, "Hectares"))
    width = max(index.values()) + 1
    lsoas: dict[str, _CensusLsoa] = {}
    for line, fields in records:
        if len(fields) < width:
            raise InputFileError(path, None, f"{len(fields)} fields, expected {width}", row=line)
        code = fields[index["LSOA Code"]].strip()
        if not code.startswith(("E01", "W01")):
            raise InputFileError(
                path, "LSOA Code", f"{_show(code)} is not an LSOA code (E01/W01)", row=line
            )
        if code in lsoas:
            raise InputFileError(path, "LSOA Code", f"{code} appears twice", row=line)
        lsoas[code] = _CensusLsoa(
            la_code=fields[index["Local authority code"]].strip(),
            residents=_census_number(path, line, "Persons", fields[index["Persons"]].strip()),
            hectares=_census_number(path, line, "Hectares", fields[index["Hectares"]].strip()),
        )
    return lsoas


def _read_lookup(path: Path) -> dict[str, tuple[str, str]]:
    """LSOA code → (authority code, force slug or "") from PoliceforceLSOA.csv."""
    records = _csv_records(path)
    first = next(records, None)
    if first is None:
        raise InputFileError(path, None, "the file is empty (expected a header row)")
    index = _header_index(path, first[1], _LOOKUP_COLUMNS)
    width = max(index.values()) + 1
    lookup: dict[str, tuple[str, str]] = {}
    for line, fields in records:
        if len(fields) < width:
            raise InputFileError(path, None, f"{len(fields)} fields, expected {width}", row=line)
        name = fields[index["Police_force"]].strip()
        slug = ""
        if name:
            slug = _LOOKUP_NAME_TO_SLUG.get(name, "")
            if not slug:
                raise InputFileError(
                    path, "Police_force", f"unknown force name {_show(name)}", row=line
                )
        lookup[fields[index["LSOA Code"]].strip()] = (
            fields[index["Local authority code"]].strip(),
            slug,
        )
    return lookup


def force_populations(census_csv: Path, lookup_csv: Path) -> ForcePopulation:
    """Census 2011 usual residents (and area) of each of the 43 forces, summed from LSOAs.

    Each LSOA of the census file gets a force by the first rule that applies:

    1. London (E09 authorities): City of London authority → ``city-of-london``, every other
       borough → ``metropolitan``;
    2. Wales (W01 LSOAs): the authority's force from :data:`WELSH_LA_FORCE`;
    3. England: the force PoliceforceLSOA.csv gives the LSOA;
    4. otherwise the force of the other LSOAs of the same authority, if they all agree;
    5. otherwise :data:`ENGLISH_LA_FORCE_FALLBACK` by authority.

    LSOAs that no rule places are reported in ``unassigned`` rather than guessed.
    """
    census_csv, lookup_csv = Path(census_csv), Path(lookup_csv)
    census = _read_census(census_csv)
    lookup = _read_lookup(lookup_csv)

    la_forces: dict[str, set[str]] = defaultdict(set)
    for la_code, slug in lookup.values():
        if slug:
            la_forces[la_code].add(slug)

    population: Counter[str] = Counter()
    hectares: Counter[str] = Counter()
    assigned_by: Counter[str] = Counter()
    unassigned: list[str] = []
    conflicts: list[str] = []
    for code, lsoa in sorted(census.items()):
        listed = lookup.get(code, ("", ""))[1]
        rule, force = _assign(code, lsoa.la_code, listed, la_forces)
        if force is None:
            unassigned.append(code)
            continue
        if rule == "london-la" and listed and listed != force:
            conflicts.append(code)
        assigned_by[rule] += 1
        population[force] += lsoa.residents
        hectares[force] += lsoa.hectares

    missing = [slug for slug in FORCE_SLUGS if slug not in population]
    if missing:
        raise InputFileError(
            census_csv, None, f"no LSOA was assigned to {', '.join(missing)}: check the lookups"
        )
    return ForcePopulation(
        population={slug: population[slug] for slug in FORCE_SLUGS},
        hectares={slug: hectares[slug] for slug in FORCE_SLUGS},
        total=sum(lsoa.residents for lsoa in census.values()),
        assigned_by=dict(assigned_by),
        unassigned=tuple(unassigned),
        conflicts=tuple(conflicts),
    )


def _assign(
    code: str, la_code: str, listed: str, la_forces: Mapping[str, set[str]]
) -> tuple[str, str | None]:
    """(rule, force) for one LSOA; see :func:`force_populations` for the order of rules."""
    if la_code.startswith(_LONDON_LA_PREFIX):
        return "london-la", "city-of-london" if la_code == _CITY_OF_LONDON_LA else "metropolitan"
    if code.startswith("W01"):
        welsh = WELSH_LA_FORCE.get(la_code)
        return "wales-la", welsh[1] if welsh else None
    if listed:
        return "lookup", listed
    derived = la_forces.get(la_code, set())
    if len(derived) == 1:
        return "la-derived", next(iter(derived))
    if not derived and la_code in ENGLISH_LA_FORCE_FALLBACK:
        return "la-fallback", ENGLISH_LA_FORCE_FALLBACK[la_code][1]
    # An authority split between forces in the lookup: no safe guess for this LSOA.
    return "none", None


# --------------------------------------------------------------------------------------------
# Ranks and peer groups
# --------------------------------------------------------------------------------------------


def competition_rank(values: Mapping[str, Fraction | int | float]) -> dict[str, int]:
    """Rank keys by value, highest first; ties share the best rank and the next is skipped.

    This is SQL's ``rank() OVER (ORDER BY value DESC)``.

    >>> competition_rank({"a": 3, "b": 5, "c": 3, "d": 1})
    {'b': 1, 'a': 2, 'c': 2, 'd': 4}
    """
    ordered = sorted(values, key=lambda key: (-values[key], key))
    ranks: dict[str, int] = {}
    for position, key in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        if previous is not None and values[previous] == values[key]:
            ranks[key] = ranks[previous]
        else:
            ranks[key] = position
    return ranks


PEER_GROUPS_FILE = Path(__file__).resolve().parent / "peer_groups.yaml"
PEER_GROUP_SIZE = 7
# The rule name written in peer_groups.yaml when the groups are ours; a file with any other
# rule (for example the official HMICFRS groups typed in) is used as is, never recomputed.
DENSITY_RULE = "nearest-population-density"


def peer_groups_by_density(
    density: Mapping[str, float], size: int = PEER_GROUP_SIZE
) -> dict[str, tuple[str, ...]]:
    """Each force's ``size`` nearest forces in population density (our proxy for HMICFRS MSGs).

    Distance is the absolute difference of the natural logarithms of residents per hectare,
    so "twice as dense" is equally far at any density; ties are broken by slug. Groups are
    not symmetric: B can be among A's peers without A being among B's.

    >>> groups = peer_groups_by_density({"a": 1.0, "b": 2.0, "c": 8.0, "d": 2.5}, size=2)
    >>> groups["a"], groups["c"]
    (('b', 'd'), ('d', 'b'))
    """
    logs = {force: math.log(value) for force, value in density.items()}
    return {
        force: tuple(
            sorted(
                (other for other in logs if other != force),
                key=lambda other: (abs(logs[other] - logs[force]), other),
            )[:size]
        )
        for force in logs
    }


def peer_groups_yaml(population: ForcePopulation, size: int = PEER_GROUP_SIZE) -> str:
    """The text of ``peer_groups.yaml`` computed by the density rule (comments included)."""
    density = population.density
    groups = peer_groups_by_density(density, size)
    lines = [
        '# Peer groups for national comparison: OUR PROXY, NOT the HMICFRS "most similar',
        "# groups\" (MSGs), which are not in our data. Each force's peers are the "
        f"{size} other forces",
        "# nearest in Census 2011 population density (usual residents per hectare, distance",
        "# = difference of natural logarithms, ties by slug). Density stands in for the",
        "# socio-demographic factors MSGs use; it ignores deprivation, age structure and the",
        "# night-time economy. City of London's residential density says little about its",
        "# daytime population. Groups are not symmetric.",
        "#",
        "# Generated by vawg.analytics.home_office.write_peer_groups_yaml(); to use the",
        "# official MSGs instead, replace `groups`, set `rule` to something else (for example",
        "# hmicfrs-msg) and keep the same shape: 43 forces, each a list of peer slugs.",
        f"rule: {DENSITY_RULE}",
        f"size: {size}",
        "source: Census 2011 usual residents and area by LSOA (ONS, OGL v3.0)",
        "groups:",
    ]
    for force in FORCE_SLUGS:
        lines.append(f"  {force}:  # {density[force]:.2f} residents per hectare")
        lines.extend(f"    - {peer}" for peer in groups[force])
    return "\n".join(lines) + "\n"


def write_peer_groups_yaml(
    census_csv: Path, lookup_csv: Path, out: Path = PEER_GROUPS_FILE
) -> dict[str, tuple[str, ...]]:
    """Recompute the density peer groups from the census files and write them to ``out``."""
    population = force_populations(census_csv, lookup_csv)
    text = peer_groups_yaml(population)
    out.write_text(text, encoding="utf-8")
    return load_peer_groups(out)


def load_peer_groups(path: Path = PEER_GROUPS_FILE) -> dict[str, tuple[str, ...]]:
    """Force slug → peer slugs from a peer-group file, checked.

    Every one of the 43 forces must have a non-empty list of distinct known peers, not
    including itself.
    """
    path = Path(path)
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputFileError(path, None, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict):
        raise InputFileError(path, None, "expected a mapping with key groups")
    groups: dict[str, tuple[str, ...]] = {}
    known = set(FORCE_SLUGS)
    for force, peers in data["groups"].items():
        if force not in known:
            raise InputFileError(path, None, f"groups: unknown force {force!r}")
        if not isinstance(peers, list) or not peers:
            raise InputFileError(path, None, f"groups: {force}: expected a list of forces")
        bad = [p for p in peers if p not in known or p == force]
        if bad or len(set(peers)) != len(peers):
            raise InputFileError(
                path, None, f"groups: {force}: peers must be distinct other forces, got {peers}"
            )
        groups[force] = tuple(peers)
    missing = sorted(known - set(groups))
    if missing:
        raise InputFileError(path, None, f"groups: no peers for {', '.join(missing)}")
    return groups


# --------------------------------------------------------------------------------------------
# Rates and ranks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OffenceRate:
    """One force's count, rate and ranks for one offence group and one period.

    ``quarter`` is None for the whole financial year; ``period`` is then the financial year
    ("2017/18"), otherwise the quarter's last month ("2017-06"). ``national_rank`` is among
    the ``forces_ranked`` (43) territorial forces, ``peer_rank`` among the force and its
    peers (``peer_group_size`` forces including itself); 1 = highest rate, ties shared.
    """

    force: str
    offence: str
    financial_year: str
    quarter: int | None
    period: str
    count: int
    population: int
    rate_per_1000: float
    national_rank: int
    forces_ranked: int
    peer_rank: int
    peer_group_size: int


def offence_rates(
    prc_csv: Path,
    population: Mapping[str, int],
    peer_groups: Mapping[str, Sequence[str]] | None = None,
) -> list[OffenceRate]:
    """Counts, rates per 1,000 residents and ranks for every :data:`OFFENCE_GROUPS` group.

    One row per territorial force, offence group and period, the periods being each quarter
    present in the file and each whole financial year. ``population`` maps each of the 43
    force slugs to its residents (see :func:`force_populations`); ``peer_groups`` defaults to
    the shipped ``peer_groups.yaml``. Non-territorial bodies in the file are ignored. Every
    force must have rows in every quarter present, or a missing quarter would read as zero.
    """
    prc_csv = Path(prc_csv)
    missing = [slug for slug in FORCE_SLUGS if not population.get(slug)]
    if missing:
        raise ValueError(f"no population for {', '.join(missing)}")
    peers = load_peer_groups() if peer_groups is None else peer_groups
    rows = read_prc(prc_csv)
    _check_offence_codes(prc_csv, rows)

    territorial = set(FORCE_SLUGS)
    # counts[(year, quarter)][offence][force]; quarter None = whole year
    counts: dict[tuple[str, int | None], dict[str, Counter[str]]] = defaultdict(
        lambda: {key: Counter() for key in OFFENCE_GROUPS}
    )
    present: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in rows:
        if row.force not in territorial:
            continue
        present[(row.financial_year, row.quarter)].add(row.force)
        for key, group in OFFENCE_GROUPS.items():
            if row.offence_subgroup in group.subgroups:
                counts[(row.financial_year, row.quarter)][key][row.force] += row.offences
                counts[(row.financial_year, None)][key][row.force] += row.offences
    for (year, quarter), forces in sorted(present.items()):
        absent = sorted(territorial - forces)
        if absent:
            raise InputFileError(
                prc_csv, "Force_Name", f"no rows for {', '.join(absent)} in {year} Q{quarter}"
            )

    result: list[OffenceRate] = []
    for (year, quarter), by_offence in sorted(counts.items(), key=_period_order):
        period = year if quarter is None else quarter_end_month(year, quarter)
        for key in OFFENCE_GROUPS:
            result.extend(
                _rank_period(key, year, quarter, period, by_offence[key], population, peers)
            )
    return result


def _period_order(item: tuple[tuple[str, int | None], Any]) -> tuple[str, int]:
    (year, quarter), _ = item
    return year, 5 if quarter is None else quarter


def _rank_period(
    offence: str,
    year: str,
    quarter: int | None,
    period: str,
    counts: Mapping[str, int],
    population: Mapping[str, int],
    peers: Mapping[str, Sequence[str]],
) -> list[OffenceRate]:
    # Exact fractions, so two forces with the same rate tie exactly (floats could split them).
    rates = {f: Fraction(counts.get(f, 0), population[f]) for f in FORCE_SLUGS}
    national = competition_rank(rates)
    rows = []
    for force in FORCE_SLUGS:
        group = (force, *peers[force])
        peer_rank = competition_rank({f: rates[f] for f in group})[force]
        rows.append(
            OffenceRate(
                force=force,
                offence=offence,
                financial_year=year,
                quarter=quarter,
                period=period,
                count=counts.get(force, 0),
                population=population[force],
                rate_per_1000=float(rates[force] * 1000),
                national_rank=national[force],
                forces_ranked=len(rates),
                peer_rank=peer_rank,
                peer_group_size=len(group),
            )
        )
    return rows


# --------------------------------------------------------------------------------------------
# Parquet output for the analytics store
# --------------------------------------------------------------------------------------------

# Column order and types of the `prc` dataset (and DuckDB view of the same name).
PRC_PARQUET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("force", "VARCHAR"),
    ("financial_year", "VARCHAR"),
    ("quarter", "INTEGER"),
    ("month", "VARCHAR"),
    ("offence_code", "VARCHAR"),
    ("offence_description", "VARCHAR"),
    ("offence_group", "VARCHAR"),
    ("offence_subgroup", "VARCHAR"),
    ("offences", "INTEGER"),
)
POPULATION_PARQUET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("force", "VARCHAR"),
    ("population", "BIGINT"),
)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _write_parquet(
    rows: Sequence[Sequence[object]], columns: Sequence[tuple[str, str]], out: Path
) -> None:
    """Write rows to ``out`` as zstd Parquet, atomically (a temporary name, then a rename).

    The rows go through a temporary CSV that DuckDB reads with an explicit schema: the
    project ships no Arrow or pandas, and this is much faster than row-by-row inserts.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".prc-") as staging:
        staged = Path(staging) / "rows.csv"
        with staged.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([name for name, _ in columns])
            writer.writerows(rows)
        schema = ", ".join(f"{_literal(name)}: {_literal(sql)}" for name, sql in columns)
        names = ", ".join(name for name, _ in columns)
        # SQL assembled from fixed column definitions and escaped paths: DuckDB takes no
        # parameters in COPY targets.
        source = (
            f"read_csv({_literal(str(staged))}, header = true, columns = {{{schema}}}, "
            "quote = '\"', escape = '\"', strict_mode = true)"
        )
        query = f"SELECT {names} FROM {source}"  # noqa: S608 - see comment above
        con = duckdb.connect(":memory:")
        try:
            con.execute(
                f"COPY ({query}) TO {_literal(str(tmp))} (FORMAT parquet, COMPRESSION zstd)"
            )
        finally:
            con.close()
    os.replace(tmp, out)


def prc_to_parquet(prc_csv: Path, out: Path) -> int:
    """Validate a Home Office PRC force-area table and write it to ``out`` as tidy Parquet.

    Columns: ``force`` (slug; BTP and the fraud bodies included under their own slugs),
    ``financial_year`` ("2017/18"), ``quarter`` (1-4), ``month`` (the quarter's last month,
    "YYYY-MM"), ``offence_code``, ``offence_description``, ``offence_group``,
    ``offence_subgroup``, ``offences`` (int; can be negative). One row per input row: the
    table has four rows per force and quarter under the merged homicide code
    ``1/4.1/4.10/4.2``, so sum, never assume one row per code. Nothing is written if any
    row is refused (:func:`read_prc` lists the checks). Returns the number of rows written.
    """
    prc_csv = Path(prc_csv)
    rows = read_prc(prc_csv)
    _check_offence_codes(prc_csv, rows)
    # Sorted so the same input always gives the same file.
    rows.sort(key=lambda r: (r.force, r.month, r.offence_code, r.line))
    _write_parquet(
        [
            (
                r.force,
                r.financial_year,
                r.quarter,
                r.month,
                r.offence_code,
                r.offence_description,
                r.offence_group,
                r.offence_subgroup,
                r.offences,
            )
            for r in rows
        ],
        PRC_PARQUET_COLUMNS,
        out,
    )
    return len(rows)


def population_to_parquet(census_csv: Path, lookup_csv: Path, out: Path) -> int:
    """Write the 43 forces' Census 2011 usual residents to ``out`` (columns force, population).

    Refuses (nothing written) when any LSOA could not be given a force, since its residents
    would silently be missing from a force's denominator. Returns the number of rows (43).
    """
    result = force_populations(census_csv, lookup_csv)
    if result.unassigned:
        shown = ", ".join(result.unassigned[:5])
        raise InputFileError(
            Path(census_csv),
            "LSOA Code",
            f"{len(result.unassigned)} LSOAs have no police force (first: {shown})",
        )
    _write_parquet(
        [(force, result.population[force]) for force in FORCE_SLUGS],
        POPULATION_PARQUET_COLUMNS,
        out,
    )
    return len(FORCE_SLUGS)


def create_views(
    con: duckdb.DuckDBPyConnection,
    prc_files: Sequence[Path] = (),
    population_files: Sequence[Path] = (),
) -> None:
    """Create the views ``prc`` and ``force_population`` on ``con`` over the given Parquet files.

    With no files a view is still created, empty but with the same columns, so the
    ``national`` metric queries run (and return no rows) before anything has been imported.
    """
    for name, files, columns in (
        ("prc", prc_files, PRC_PARQUET_COLUMNS),
        ("force_population", population_files, POPULATION_PARQUET_COLUMNS),
    ):
        names = ", ".join(column for column, _ in columns)
        if files:
            listed = ", ".join(_literal(str(p)) for p in files)
            source = f"read_parquet([{listed}], hive_partitioning = false)"
            body = f"SELECT {names} FROM {source}"  # noqa: S608 - fixed names, escaped paths
        else:
            typed = ", ".join(f"CAST(NULL AS {sql}) AS {column}" for column, sql in columns)
            body = f"SELECT {typed} WHERE false"
        con.execute(f"CREATE VIEW {name} AS {body}")
