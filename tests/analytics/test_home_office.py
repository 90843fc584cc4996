"""National comparison from the Home Office recorded crime table (pure: no database needed).

Expected figures are recomputed here with the csv module, independently of the code under
test, from the real files in the shared data folder; tests are skipped where it is absent.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml

from realdata import SHARED_DATA
from vawg.analytics import home_office as ho
from vawg.errors import InputFileError
from vawg.metrics.catalogue import CATALOGUE_DIR, read_catalogue_file

PRC = SHARED_DATA / "homeoffice_prc_2017_18" / "prc-pfa-201718_new.csv"
MAPPINGS = SHARED_DATA / "homeoffice_prc_2017_18" / "CrimeCatMappings.csv"
CENSUS = SHARED_DATA / "lookups_lsoa" / "census_2011_population_hh.csv"
LOOKUP = SHARED_DATA / "lookups_lsoa" / "PoliceforceLSOA.csv"

pytestmark = pytest.mark.skipif(
    not all(p.is_file() for p in (PRC, MAPPINGS, CENSUS, LOOKUP)),
    reason=f"real data not found under {SHARED_DATA}",
)


@pytest.fixture(scope="module")
def population() -> ho.ForcePopulation:
    return ho.force_populations(CENSUS, LOOKUP)


@pytest.fixture(scope="module")
def rates(population: ho.ForcePopulation) -> list[ho.OffenceRate]:
    return ho.offence_rates(PRC, population.population)


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """DuckDB views `prc` and `force_population` over this module's own Parquet output."""
    folder = tmp_path_factory.mktemp("store")
    ho.prc_to_parquet(PRC, folder / "prc.parquet")
    ho.population_to_parquet(CENSUS, LOOKUP, folder / "force_population.parquet")
    con = duckdb.connect(":memory:")
    ho.create_views(con, [folder / "prc.parquet"], [folder / "force_population.parquet"])
    yield con
    con.close()


def _prc_records() -> list[dict[str, str]]:
    with PRC.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _census_by_force() -> tuple[int, Counter[str]]:
    """Independent E&W total, plus residents of the LSOAs the lookup itself places."""
    with CENSUS.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    persons = rows[0].index("Persons")
    residents = {r[6]: int(r[persons].replace(",", "")) for r in rows[1:]}
    with LOOKUP.open(encoding="utf-8-sig", newline="") as handle:
        listed = Counter[str]()
        for row in csv.DictReader(handle):
            if row["Police_force"]:
                listed[row["Police_force"]] += residents[row["LSOA Code"]]
    return sum(residents.values()), listed


def _rate(rates: list[ho.OffenceRate], force: str, offence: str, period: str) -> ho.OffenceRate:
    (row,) = [r for r in rates if (r.force, r.offence, r.period) == (force, offence, period)]
    return row


# --- forces -----------------------------------------------------------------------------------


def test_43_territorial_forces_with_unique_slugs_and_prc_names():
    assert len(ho.FORCES) == 43
    assert len(set(ho.FORCE_SLUGS)) == 43
    assert len({f.prc_name for f in ho.FORCES}) == 43
    assert Counter(f.country for f in ho.FORCES) == {"England": 39, "Wales": 4}
    assert {"metropolitan", "city-of-london", "avon-and-somerset", "dyfed-powys"} <= set(
        ho.FORCE_SLUGS
    )


def test_every_force_name_in_the_prc_table_is_known():
    names = {r["Force_Name"] for r in _prc_records()}
    slugs = {ho.prc_force_slug(name) for name in names}
    assert set(ho.FORCE_SLUGS) <= slugs
    assert slugs - set(ho.FORCE_SLUGS) == set(ho.NON_TERRITORIAL_PRC_NAMES.values())


def test_unknown_force_name_is_refused():
    with pytest.raises(ho.UnknownForceError, match="unknown force name 'City of London'"):
        ho.prc_force_slug("City of London")  # the lookup's spelling, not the PRC table's


def test_offence_codes_agree_with_the_crime_category_mappings():
    with MAPPINGS.open(encoding="utf-8-sig", newline="") as handle:
        mapped = {row["Offence_Code"]: row["Offence_Subgroup"] for row in csv.DictReader(handle)}
    for key in ("rape", "other-sexual", "stalking-harassment"):
        group = ho.OFFENCE_GROUPS[key]
        (subgroup,) = group.subgroups
        assert {code for code, sub in mapped.items() if sub == subgroup} == group.codes


# --- population ---------------------------------------------------------------------------------


def test_every_lsoa_is_placed_and_the_43_populations_sum_to_the_file_total(population):
    total, _ = _census_by_force()
    assert total == 56_075_912  # England and Wales, Census 2011 usual residents
    assert population.unassigned == ()
    assert population.conflicts == ()
    assert set(population.population) == set(ho.FORCE_SLUGS)
    assert all(value > 0 for value in population.population.values())
    assert sum(population.population.values()) == population.total == total
    assert sum(population.assigned_by.values()) == 34_753


def test_forces_fully_listed_in_the_lookup_keep_its_population(population):
    _, listed = _census_by_force()
    assert population.population["cambridgeshire"] == listed["Cambridgeshire"] == 804_841
    assert population.population["city-of-london"] == listed["City of London"] == 7_375
    assert population.population["metropolitan"] == listed["Metropolitan Police"]


def test_wales_is_placed_by_authority(population):
    assert {force for _, force in ho.WELSH_LA_FORCE.values()} == {
        "dyfed-powys",
        "gwent",
        "north-wales",
        "south-wales",
    }
    assert len(ho.WELSH_LA_FORCE) == 22
    assert population.assigned_by["wales-la"] == 1_909


# --- rates and ranks ------------------------------------------------------------------------------


def test_cambridgeshire_totals_match_the_published_table():
    totals: Counter[str] = Counter()
    for row in _prc_records():
        if row["Force_Name"] == "Cambridgeshire":
            totals["all"] += int(row["Number_of_Offences"])
            totals[row["Offence_Subgroup"]] += int(row["Number_of_Offences"])
    assert totals["all"] == 66_194
    assert totals["Rape offences"] == 650
    assert totals["Other sexual offences"] == 1_137
    assert totals["Stalking and harassment"] == 2_431


def test_cambridgeshire_year_counts_and_rape_rate(rates, population):
    pop = population.population["cambridgeshire"]
    assert _rate(rates, "cambridgeshire", "rape", "2017/18").count == 650
    assert _rate(rates, "cambridgeshire", "other-sexual", "2017/18").count == 1_137
    assert _rate(rates, "cambridgeshire", "sexual-offences", "2017/18").count == 1_787
    assert _rate(rates, "cambridgeshire", "stalking-harassment", "2017/18").count == 2_431
    rape = _rate(rates, "cambridgeshire", "rape", "2017/18")
    assert rape.rate_per_1000 == pytest.approx(650 / pop * 1000)
    assert rape.population == pop
    quarters = [_rate(rates, "cambridgeshire", "rape", m) for m in ("2017-06", "2017-09")]
    assert [q.quarter for q in quarters] == [1, 2]


def test_rows_cover_43_forces_for_each_offence_and_period(rates):
    periods = {"2017-06", "2017-09", "2017-12", "2018-03", "2017/18"}
    assert {r.period for r in rates} == periods
    assert len(rates) == 43 * len(ho.OFFENCE_GROUPS) * len(periods)
    assert {r.forces_ranked for r in rates} == {43}


@pytest.mark.parametrize("offence", ["Rape offences", "Stalking and harassment"])
def test_national_ranks_agree_with_an_independent_sort(rates, population, offence):
    key = {"Rape offences": "rape", "Stalking and harassment": "stalking-harassment"}[offence]
    counts: Counter[str] = Counter()
    for row in _prc_records():
        if row["Offence_Subgroup"] == offence:
            counts[row["Force_Name"]] += int(row["Number_of_Offences"])
    by_slug = {f.slug: counts[f.prc_name] / population.population[f.slug] for f in ho.FORCES}
    ordered = sorted(by_slug, key=by_slug.__getitem__, reverse=True)
    for force in ho.FORCE_SLUGS:
        row = _rate(rates, force, key, "2017/18")
        expected = 1 + sum(1 for other in ordered if by_slug[other] > by_slug[force])
        assert row.national_rank == expected, force
    assert _rate(rates, ordered[0], key, "2017/18").national_rank == 1


def test_peer_rank_is_the_place_among_the_force_and_its_peers(rates):
    groups = ho.load_peer_groups()
    for force in ("cambridgeshire", "metropolitan", "dyfed-powys"):
        group = (force, *groups[force])
        rows = {f: _rate(rates, f, "rape", "2017-12") for f in group}
        mine = rows[force]
        higher = sum(1 for r in rows.values() if r.rate_per_1000 > mine.rate_per_1000)
        assert mine.peer_rank == 1 + higher
        assert mine.peer_group_size == 8


def test_ties_share_the_best_rank():
    assert ho.competition_rank({"a": 0, "b": 2, "c": 0}) == {"b": 1, "a": 2, "c": 2}


# --- peer groups ------------------------------------------------------------------------------


def test_shipped_peer_groups_are_complete_and_follow_their_stated_rule(population):
    data = yaml.safe_load(ho.PEER_GROUPS_FILE.read_text(encoding="utf-8"))
    groups = ho.load_peer_groups()
    assert set(groups) == set(ho.FORCE_SLUGS)
    assert "NOT the HMICFRS" in ho.PEER_GROUPS_FILE.read_text(encoding="utf-8")
    if data["rule"] != ho.DENSITY_RULE:
        pytest.skip("peer groups replaced by another rule; nothing to recompute")
    assert groups == ho.peer_groups_by_density(population.density, data["size"])
    assert all(len(peers) == ho.PEER_GROUP_SIZE for peers in groups.values())


def test_peer_group_file_refuses_an_unknown_force(tmp_path: Path):
    path = tmp_path / "peers.yaml"
    path.write_text("rule: x\ngroups:\n  cambs: [kent]\n")
    with pytest.raises(InputFileError, match="unknown force 'cambs'"):
        ho.load_peer_groups(path)


# --- Parquet and the metric catalogue -------------------------------------------------------------


def test_parquet_holds_every_row_with_quarter_end_months(views):
    assert views.sql("SELECT count(*), sum(offences) FROM prc").fetchall() == [
        (23_068, sum(int(r["Number_of_Offences"]) for r in _prc_records()))
    ]
    months = views.sql("SELECT DISTINCT quarter, month FROM prc ORDER BY quarter").fetchall()
    assert months == [(1, "2017-06"), (2, "2017-09"), (3, "2017-12"), (4, "2018-03")]
    cambs = views.sql(
        "SELECT sum(offences) FROM prc"
        " WHERE force = 'cambridgeshire' AND financial_year = '2017/18'"
    ).fetchall()
    assert cambs == [(66_194,)]
    assert views.sql("SELECT count(*) FROM force_population").fetchall() == [(43,)]


def test_parquet_column_types(views):
    types = {name: sql for name, sql, *_ in views.sql("DESCRIBE prc").fetchall()}
    assert types == dict(ho.PRC_PARQUET_COLUMNS)


def test_national_catalogue_parses():
    group, title, definitions = read_catalogue_file(CATALOGUE_DIR / "national.yaml")
    assert group == "national"
    assert title == "National comparison (Home Office recorded crime and outcomes)"
    # The recorded-crime comparisons, then the outcomes ranking from its own import.
    assert {d.dataset for d in definitions} == {"prc", "national_outcomes"}
    assert {"prc-rape-rate", "prc-rape-rank", "prc-sso-rank"} <= {d.code for d in definitions}
    assert {d.polarity for d in definitions if d.dataset == "prc"} == {"neither"}


def _national_metrics() -> list[str]:
    """The metrics over the Home Office recorded-crime table (the views built here)."""
    _, _, definitions = read_catalogue_file(CATALOGUE_DIR / "national.yaml")
    return [d.code for d in definitions if d.dataset == "prc"]


@pytest.mark.parametrize("code", _national_metrics())
def test_every_national_query_returns_43_forces_by_4_quarters(views, code):
    (definition,) = [
        d for d in read_catalogue_file(CATALOGUE_DIR / "national.yaml")[2] if d.code == code
    ]
    result = views.sql(definition.query)
    assert result.columns == ["force", "month", "numerator", "denominator"]
    rows = result.fetchall()
    assert len(rows) == 43 * 4
    assert {r[0] for r in rows} == set(ho.FORCE_SLUGS)
    assert {r[1] for r in rows} == {"2017-06", "2017-09", "2017-12", "2018-03"}


def test_queries_agree_with_offence_rates(views, rates):
    definitions = {d.code: d for d in read_catalogue_file(CATALOGUE_DIR / "national.yaml")[2]}
    expected = {(r.force, r.period): r for r in rates if r.offence == "rape" and r.quarter}
    rate_rows = views.sql(definitions["prc-rape-rate"].query).fetchall()
    for force, month, numerator, denominator in rate_rows:
        row = expected[(force, month)]
        assert numerator == row.count
        assert numerator / denominator == pytest.approx(row.rate_per_1000)
    for force, month, numerator, denominator in views.sql(
        definitions["prc-rape-rank"].query
    ).fetchall():
        assert (numerator, denominator) == (expected[(force, month)].national_rank, 43)
    sso = {(r.force, r.period): r for r in rates if r.offence == "sexual-offences" and r.quarter}
    for force, month, numerator, _ in views.sql(definitions["prc-sso-rank"].query).fetchall():
        assert numerator == sso[(force, month)].national_rank


# --- bad input --------------------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    return Path(shutil.copy(PRC, tmp_path / "prc-bad.csv"))


def _rewrite(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell (by physical line, header = 1) of a copy of the PRC table."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_renamed_column_is_refused_naming_file_row_and_column(tmp_path: Path):
    path = _copy(tmp_path)
    _rewrite(path, 1, "Number_of_Offences", "Offences")
    with pytest.raises(InputFileError) as caught:
        ho.prc_to_parquet(path, tmp_path / "out.parquet")
    assert str(caught.value).startswith(
        "prc-bad.csv, row 1, column Number_of_Offences: missing column Number_of_Offences"
    )
    assert not (tmp_path / "out.parquet").exists()


def test_non_numeric_count_is_refused_naming_file_row_and_column(tmp_path: Path):
    path = _copy(tmp_path)
    _rewrite(path, 1_234, "Number_of_Offences", "12a")
    with pytest.raises(InputFileError) as caught:
        ho.prc_to_parquet(path, tmp_path / "out.parquet")
    assert str(caught.value) == (
        "prc-bad.csv, row 1234, column Number_of_Offences: '12a' is not a whole number of offences"
    )
    assert (caught.value.row, caught.value.column) == (1_234, "Number_of_Offences")
    assert not (tmp_path / "out.parquet").exists()


def test_unknown_force_is_refused_naming_file_row_and_column(tmp_path: Path):
    path = _copy(tmp_path)
    _rewrite(path, 500, "Force_Name", "Cambs")
    with pytest.raises(InputFileError) as caught:
        ho.offence_rates(path, ho.force_populations(CENSUS, LOOKUP).population)
    assert str(caught.value).startswith(
        "prc-bad.csv, row 500, column Force_Name: unknown force name 'Cambs'"
    )


def test_recoded_offence_is_refused(tmp_path: Path):
    path = _copy(tmp_path)
    with path.open(encoding="utf-8", newline="") as handle:
        line = next(i for i, r in enumerate(csv.reader(handle), start=1) if r[7] == "19C")
    _rewrite(path, line, "Offence_Subgroup", "Other sexual offences")
    with pytest.raises(InputFileError, match=rf"row {line}, column Offence_Subgroup: .*19C"):
        ho.prc_to_parquet(path, tmp_path / "out.parquet")


def test_writing_twice_gives_the_same_rows(tmp_path: Path):
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    assert ho.prc_to_parquet(PRC, first) == ho.prc_to_parquet(PRC, second) == 23_068
    query = "SELECT * FROM read_parquet('{}') ORDER BY ALL"
    assert duckdb.sql(query.format(first)).fetchall() == duckdb.sql(query.format(second)).fetchall()


@pytest.mark.parametrize("code", _national_metrics())
def test_every_national_query_runs_on_empty_views(code):
    (definition,) = [
        d for d in read_catalogue_file(CATALOGUE_DIR / "national.yaml")[2] if d.code == code
    ]
    with duckdb.connect(":memory:") as con:
        ho.create_views(con)
        assert con.sql(definition.query).fetchall() == []
