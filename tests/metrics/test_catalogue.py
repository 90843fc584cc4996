from pathlib import Path

import pytest

from vawg.errors import InputFileError
from vawg.metrics.catalogue import read_catalogue, read_catalogue_file

GOOD = """
group: context
title: Context
metrics:
  - code: vso-recorded
    title: VSO recorded
    unit: count
    polarity: neither
    source: data.police.uk
    dataset: street
    formula: crimes
    query: SELECT 1
"""


def test_shipped_catalogue_has_the_spine_metrics():
    groups = read_catalogue()
    codes = {d.code for _, definitions in groups.values() for d in definitions}
    assert {"vso-recorded", "vso-unable-to-prosecute-share"} <= codes
    outcome_metrics = [
        d for _, definitions in groups.values() for d in definitions if d.dataset == "outcomes"
    ]
    assert len(outcome_metrics) >= 2


def test_unknown_key_is_refused_naming_file_and_metric(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD + "    polarty: up\n")
    with pytest.raises(
        InputFileError, match=r"bad.yaml: metric vso-recorded: unknown keys polarty"
    ):
        read_catalogue_file(path)


def test_bad_polarity_is_refused(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("polarity: neither", "polarity: sideways"))
    with pytest.raises(InputFileError, match="polarity must be one of up, down, neither"):
        read_catalogue_file(path)


def test_duplicate_code_across_files_is_refused(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD.replace("group: context", "group: other"))
    with pytest.raises(InputFileError, match=r"also defined in a\.yaml"):
        read_catalogue(tmp_path)
