"""File-name detection and the dataset definitions, checked against real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from realdata import OUTCOMES_2019_2020, OUTCOMES_2024, STOP_2024, STREET_2024
from vawg.analytics.police_uk import (
    DATASETS,
    OUTCOMES,
    STOP_AND_SEARCH,
    STREET,
    UnrecognisedFileNameError,
    detect,
)


@pytest.mark.parametrize(
    ("name", "dataset", "force", "month"),
    [
        ("2024-01-cambridgeshire-street.csv", "street", "cambridgeshire", "2024-01"),
        ("2019-12-cambridgeshire-outcomes.csv.gz", "outcomes", "cambridgeshire", "2019-12"),
        (
            "2024-03-avon-and-somerset-stop-and-search.csv",
            "stop_and_search",
            "avon-and-somerset",
            "2024-03",
        ),
        ("2024-03-btp-street.CSV", "street", "btp", "2024-03"),
    ],
)
def test_detect_reads_dataset_force_and_month(name, dataset, force, month):
    source = detect(Path("/any/folder") / name)
    assert (source.dataset.name, source.force, source.month) == (dataset, force, month)


@pytest.mark.parametrize(
    "name",
    [
        "2024-1-cambridgeshire-street.csv",
        "2024-13-cambridgeshire-street.csv",
        "2024-01-cambridgeshire-crimes.csv",
        "2024-01-street.csv",
        "cambridgeshire-street.csv",
        "2024-01-cambridgeshire-street.xlsx",
    ],
)
def test_detect_refuses_other_names_saying_what_is_expected(name):
    with pytest.raises(UnrecognisedFileNameError) as caught:
        detect(Path(name))
    assert str(caught.value).startswith(name + ": ")


def test_parquet_columns_are_snake_case_with_force():
    assert [n for n, _ in STREET.parquet_columns] == [
        "crime_id",
        "month",
        "reported_by",
        "falls_within",
        "longitude",
        "latitude",
        "location",
        "lsoa_code",
        "lsoa_name",
        "crime_type",
        "last_outcome_category",
        "context",
        "force",
    ]
    assert dict(OUTCOMES.parquet_columns)["outcome_type"] == "VARCHAR"
    stop = dict(STOP_AND_SEARCH.parquet_columns)
    assert stop["date"] == "VARCHAR"  # kept as text
    assert stop["latitude"] == stop["longitude"] == "DOUBLE"
    assert stop["month"] == stop["force"] == "VARCHAR"


@pytest.mark.parametrize(
    ("folder", "dataset"),
    [
        (STREET_2024, STREET),
        (OUTCOMES_2024, OUTCOMES),
        (STOP_2024, STOP_AND_SEARCH),
        (OUTCOMES_2019_2020, OUTCOMES),
    ],
)
def test_every_real_file_has_exactly_the_defined_header(folder, dataset):
    if not folder.is_dir():
        pytest.skip(f"real data not found at {folder}")
    files = sorted(folder.rglob("*.csv"))
    assert files
    for path in files:
        assert detect(path).dataset is dataset
        first = path.read_text(encoding="utf-8-sig").splitlines()[0]
        assert first == dataset.header_line, path.name


def test_dataset_names_are_the_view_names():
    assert set(DATASETS) == {"street", "outcomes", "stop_and_search"}
