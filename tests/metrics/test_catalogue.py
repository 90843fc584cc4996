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


REBASED = (
    GOOD
    + """    min_points: 12
    baseline_points: 18
    screen_outliers: true
    rebase:
      - period: "2024-01"
        reason: "no outcomes data held for 2021 to 2023"
      - period: 2019-06
        reason: new   recording rules
"""
)


def test_rating_settings_are_read_with_rebases_in_canonical_form(tmp_path: Path):
    path = tmp_path / "ok.yaml"
    path.write_text(REBASED)
    (_, _, [definition]) = read_catalogue_file(path)
    assert definition.min_points == 12
    assert definition.baseline_points == 18
    assert definition.screen_outliers is True
    assert definition.rebase == (
        ("2024-01", "no outcomes data held for 2021 to 2023"),
        ("2019-06", "new recording rules"),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('"2024-01"', '"2024-13"'), r"rebase 1: '2024-13' is not a period"),
        (('reason: "no outcomes data held for 2021 to 2023"', 'reason: " "'), "needs a reason"),
        (('"2024-01"', "2024-01-01"), "rebase 1: period must be a month written YYYY-MM"),
        (("2019-06", '"2024-01"'), "the same rebase period is given twice"),
        (("baseline_points: 18", "baseline_points: 10"), "fix_after_n_points must be"),
        (("screen_outliers: true", "screen_outliers: maybe"), "screen_outliers must be true"),
        (("min_points: 12", "min_points: twelve"), "min_points must be a whole number"),
        (("      - period: 2019-06\n", "      - when: 2019-06\n"), "rebase 2: expected a mapping"),
    ],
)
def test_bad_rating_settings_are_refused_naming_file_and_metric(tmp_path: Path, change, message):
    path = tmp_path / "bad.yaml"
    old, new = change
    assert old in REBASED
    path.write_text(REBASED.replace(old, new, 1))
    with pytest.raises(InputFileError, match=r"bad\.yaml: metric vso-recorded: .*" + message):
        read_catalogue_file(path)


def test_shipped_outcomes_metrics_rebase_where_the_data_stop_and_say_why():
    definitions = [d for _, ds in read_catalogue().values() for d in ds]
    outcomes = [d for d in definitions if d.dataset == "outcomes"]
    assert outcomes
    for definition in outcomes:
        assert definition.rebase == (("2024-01", "no outcomes data held for 2021 to 2023"),)
        assert definition.min_points == 12


@pytest.mark.parametrize("project", ["artemis", "boyd", "eleos", "kaizen"])
def test_each_project_catalogue_has_at_least_eight_metrics(project):
    groups = read_catalogue()
    _, definitions = groups[project]
    assert len(definitions) >= 8
