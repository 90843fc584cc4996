"""Every project metric's SQL runs over views of the generated extracts and gives the value
computed independently here from the validated rows."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from vawg.extracts import TEMPLATES, to_parquet
from vawg.metrics.catalogue import MetricDefinition, read_catalogue

FORCE = "demo-force"
PROJECTS = ("kaizen", "artemis", "boyd", "eleos")
MONTH_RE = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
EXCLUDED = {5, 11, 12, 13, 17, 18, 19, 20}


@pytest.fixture(scope="module")
def views(
    validated: dict[str, list[dict]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    """One view per template over its Parquet file, with the force column the import adds."""
    folder = tmp_path_factory.mktemp("parquet")
    con = duckdb.connect(":memory:")
    for slug, template in TEMPLATES.items():
        path = folder / f"{template.dataset}.parquet"
        to_parquet(validated[slug], template, path, force=FORCE)
        con.execute(f"CREATE VIEW {template.dataset} AS SELECT * FROM read_parquet('{path}')")
    yield con
    con.close()


def project_metrics() -> list[MetricDefinition]:
    groups = read_catalogue()
    return [metric for group in PROJECTS for metric in groups[group][1]]


def value(con: duckdb.DuckDBPyConnection, code: str, month: str) -> tuple:
    [metric] = [m for m in project_metrics() if m.code == code]
    rows = [r for r in con.sql(metric.query).fetchall() if r[1] == month]
    assert len(rows) == 1, (code, month, rows)
    return rows[0][2:]


def test_each_project_has_at_least_eight_metrics():
    groups = read_catalogue()
    for group in PROJECTS:
        assert len(groups[group][1]) >= 8, group


@pytest.mark.parametrize("metric", project_metrics(), ids=lambda m: m.code)
def test_every_metric_runs_and_returns_force_month_numerator_denominator(
    views: duckdb.DuckDBPyConnection, metric: MetricDefinition
):
    relation = views.sql(metric.query)
    assert [c.lower() for c in relation.columns] == ["force", "month", "numerator", "denominator"]
    rows = relation.fetchall()
    assert rows, metric.code
    months = [month for _, month, *_ in rows]
    assert len(months) == len(set(months)), "one row per force and month"
    for force, month, numerator, denominator in rows:
        assert force == FORCE
        assert duckdb.sql(f"SELECT regexp_matches('{month}', '{MONTH_RE}')").fetchall() == [(True,)]
        assert numerator is not None
        if metric.unit == "count":
            assert denominator is None
        if metric.unit == "percent":
            assert denominator is not None and 0 <= numerator <= denominator
    assert "2022-03" in months or metric.code.startswith("breach-")


def test_kaizen_prosecution_possible_and_dvpn(
    views: duckdb.DuckDBPyConnection, validated: dict[str, list[dict]]
):
    finalised = [
        r
        for r in validated["da-crimes"]
        if r["finalised_on"] is not None and r["finalised_on"].strftime("%Y-%m") == "2022-02"
    ]
    possible = [r for r in finalised if r["outcome_code"] not in EXCLUDED]
    charged = [r for r in possible if r["outcome_code"] == 1]
    assert value(views, "da-prosecution-possible-rate", "2022-02") == (len(charged), len(possible))
    assert len(charged) / len(possible) > 0.15
    unsupported = [r for r in finalised if r["outcome_code"] in (14, 16)]
    assert value(views, "da-victim-not-supporting-share", "2022-02") == (
        len(unsupported),
        len(finalised),
    )
    dvpns = [
        r
        for r in validated["protective-orders"]
        if r["order_type"] == "DVPN" and r["month"] == "2022-03"
    ]
    assert value(views, "dvpn-applied", "2022-03") == (len(dvpns), None) == (24, None)
    incidents = [r for r in validated["da-incidents"] if r["month"] == "2021-07"]
    assert value(views, "da-arrest-rate", "2021-07") == (
        sum(r["arrest_made"] for r in incidents),
        sum(r["crime_recorded"] for r in incidents),
    )
    marac = [r for r in validated["marac-referrals"] if r["month"] == "2021-12"]
    assert value(views, "marac-repeat-rate", "2021-12") == (
        sum(r["repeat"] for r in marac),
        len(marac),
    )


def test_artemis_missing_time(views: duckdb.DuckDBPyConnection, validated: dict[str, list[dict]]):
    march = [r for r in validated["missing-episodes"] if r["month"] == "2022-03"]
    lengths = [
        (r["found_at"] - r["reported_at"]).total_seconds() / 60
        for r in march
        if r["found_at"] is not None
    ]
    assert value(views, "missing-median-minutes", "2022-03") == (statistics.median(lengths), None)
    assert value(views, "missing-median-minutes", "2022-03")[0] == 160
    juveniles = [r for r in march if r["age"] < 18]
    within = [
        r
        for r in juveniles
        if r["found_at"] is not None
        and (r["found_at"] - r["reported_at"]).total_seconds() <= 24 * 3600
    ]
    numerator, denominator = value(views, "missing-juveniles-found-24h", "2022-03")
    assert (numerator, denominator) == (len(within), len(juveniles))
    assert numerator / denominator > 0.9


def test_artemis_repeat_missing(views: duckdb.DuckDBPyConnection, validated: dict[str, list[dict]]):
    episodes = sorted(validated["missing-episodes"], key=lambda r: r["reported_at"])
    last_seen: dict[str, object] = {}
    repeats = total = 0
    for row in episodes:
        previous = last_seen.get(row["person_ref"])
        if row["month"] == "2022-01":
            total += 1
            repeats += previous is not None and previous >= row["reported_at"] - timedelta(days=365)
        last_seen[row["person_ref"]] = row["reported_at"]
    assert value(views, "missing-repeat-share", "2022-01") == (repeats, total)


def test_boyd_stalking_protection_orders(
    views: duckdb.DuckDBPyConnection, validated: dict[str, list[dict]]
):
    months = ["2021-10", "2021-11", "2021-12", "2022-01", "2022-02", "2022-03"]
    assert sum(value(views, "spo-applied", m)[0] for m in months) == 14
    orders = validated["protective-orders"]
    breaches = [
        r for r in orders if r["breached"] and r["breach_on"].strftime("%Y-%m") == "2022-01"
    ]
    assert value(views, "order-breaches", "2022-01") == (len(breaches), None)
    granted = [r for r in orders if r["granted"] and r["granted_on"].strftime("%Y-%m") == "2022-02"]
    assert value(views, "orders-granted", "2022-02") == (len(granted), None)


def test_eleos_rape_charge_rate_and_pip2(
    views: duckdb.DuckDBPyConnection, validated: dict[str, list[dict]]
):
    rape = [
        r
        for r in validated["finalised-crimes"]
        if r["offence_group"] == "rape" and r["month"] == "2022-03"
    ]
    assert value(views, "rape-charge-rate", "2022-03") == (
        sum(r["outcome_code"] == 1 for r in rape),
        len(rape),
    )
    days = [(r["finalised_on"] - r["recorded_on"]).days for r in rape]
    assert value(views, "rape-days-to-outcome", "2022-03") == (statistics.median(days), None)
    staff = [
        r
        for r in validated["specialist-staff"]
        if r["month"] == "2022-01"
        and r["team_type"] in ("rape and serious sexual offences", "child abuse investigation")
    ]
    assert value(views, "rasso-pip2-share", "2022-01") == (
        sum(r["pip2_accredited"] for r in staff),
        sum(r["establishment"] for r in staff),
    )
    feedback = [r for r in validated["victim-feedback"] if r["month"] == "2022-03"]
    assert value(views, "victim-satisfied", "2022-03") == (
        sum(r["satisfied"] for r in feedback),
        len(feedback),
    )


def test_targets_only_where_the_paper_gives_one():
    targets = {m.code: m.target for m in project_metrics() if m.target is not None}
    assert targets == {"da-prosecution-possible-rate": 15.0, "missing-juveniles-found-24h": 90.0}


def test_metric_datasets_are_extract_views():
    datasets = {t.dataset for t in TEMPLATES.values()}
    for metric in project_metrics():
        assert metric.dataset in datasets, metric.code


def test_template_pages_list_the_metrics(tmp_path: Path):
    from vawg.extracts.make_template_files import metrics_using

    groups = read_catalogue()
    used = {m.code for t in TEMPLATES.values() for _, m in metrics_using(t, groups)}
    assert {m.code for m in project_metrics()} <= used
