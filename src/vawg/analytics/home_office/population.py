"""Census 2011 usual residents (and area) per force, summed from LSOAs."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from vawg.analytics.home_office.csv_input import _csv_records, _header_index, _show
from vawg.analytics.home_office.forces import (
    _CITY_OF_LONDON_LA,
    _LONDON_LA_PREFIX,
    _LOOKUP_NAME_TO_SLUG,
    ENGLISH_LA_FORCE_FALLBACK,
    FORCE_SLUGS,
    WELSH_LA_FORCE,
)
from vawg.errors import InputFileError

__all__ = [
    "ForcePopulation",
    "force_populations",
]


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
