"""Reading period,value CSVs and the ``vawg spc`` command."""

import json

import pytest
from click.testing import CliRunner

from vawg.cli.spc import spc_command
from vawg.ratings import SeriesInputError, read_series_csv
from vawg.ratings.csv_input import parse_series_csv


def write_csv(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def alternating_csv(n=15, extra=""):
    rows = [f"{2020 + i // 12}-{i % 12 + 1:02d},{10 if i % 2 == 0 else 12}" for i in range(n)]
    return "period,value\n" + "\n".join(rows) + "\n" + extra


# --- CSV ----------------------------------------------------------------------------------


def test_reads_values_gaps_and_bom(tmp_path):
    path = write_csv(tmp_path, "\ufeffPeriod, Value ,note\n2024-01,3,x\n2024-02,,\n2024-03,NA,\n")
    assert read_series_csv(path) == [("2024-01", 3.0), ("2024-02", None), ("2024-03", None)]


def test_quarters_are_canonicalised():
    assert parse_series_csv("period,value\n2024q1,1\n2024-Q2,2\n") == [
        ("2024Q1", 1.0),
        ("2024Q2", 2.0),
    ]


BAD_CSVS = [
    ("period,value\n2024-01,1\n2024-02,abc\n", "row 3, column value: 'abc' is not a number"),
    ("period,value\n2024-01,1\n2024/02,2\n", "row 3, column period: '2024/02' is not a period"),
    (
        "period,value\n2024-01,1\n2024-01,2\n",
        "row 3, column period: '2024-01' appears twice (first at row 2)",
    ),
    ("period,value\n2024-01,1\n2024Q2,2\n", "row 3, column period: '2024Q2' is quarterly"),
    ("period,value\n2024-01,inf\n", "row 2, column value: 'inf' is not a finite number"),
    (
        'period,value\n2024-01,"1,234"\n',
        "row 2, column value: '1,234' is not a number (remove the thousands separator)",
    ),
    (
        "month,count\n2024-01,1\n",
        "row 1: missing columns 'period' and 'value' (found: month, count",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_CSVS)
def test_errors_name_file_row_and_column(text, message):
    with pytest.raises(SeriesInputError) as info:
        parse_series_csv(text, "data.csv")
    assert str(info.value).startswith(f"data.csv, {message}")


def test_empty_file():
    with pytest.raises(SeriesInputError, match=r"^data\.csv: the file is empty"):
        parse_series_csv("", "data.csv")


def test_blank_lines_are_skipped_and_rows_keep_their_file_numbers():
    with pytest.raises(SeriesInputError, match="row 4, column value"):
        parse_series_csv("period,value\n2024-01,1\n\n2024-02,x\n", "d.csv")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("period,value\n2024-01,1\n2024-02,caf\xe9\n".encode("latin-1"))
    with pytest.raises(SeriesInputError, match="not UTF-8"):
        read_series_csv(path)


# --- CLI ----------------------------------------------------------------------------------


def test_cli_json(tmp_path):
    path = write_csv(tmp_path, alternating_csv())
    result = CliRunner().invoke(
        spc_command, ["--input", str(path), "--polarity", "up", "--target", "5", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d["mean"] == pytest.approx(164 / 15)
    assert d["lower_limit"] == pytest.approx(164 / 15 - 5.32)
    assert d["upper_limit"] == pytest.approx(164 / 15 + 5.32)
    assert len(d["points"]) == 15
    assert d["points"][0] == {
        "period": "2020-01",
        "value": 10.0,
        "flags": [],
        "segment": 0,
        "mean": d["mean"],
        "lower_limit": d["lower_limit"],
        "upper_limit": d["upper_limit"],
        "point_type": "common_cause",
    }
    assert d["variation"] == "common_cause"
    assert d["assurance"] == "consistently_passing"
    assert d["rag"] == "green"
    assert d["reason"].startswith("green: target 5.0 is below the lower process limit 5.61")
    assert d["rule"].startswith("Grey if there is no data")


def test_cli_rebase_screen_fix_after(tmp_path):
    rows = [f"{2020 + i // 12}-{i % 12 + 1:02d},{10 if i % 2 == 0 else 12}" for i in range(20)]
    rows += [f"{2021 + i // 12}-{i % 12 + 9:02d},{30 if i % 2 == 0 else 32}" for i in range(4)]
    path = write_csv(tmp_path, "period,value\n" + "\n".join(rows) + "\n")
    result = CliRunner().invoke(
        spc_command,
        [
            "--input", str(path), "--polarity", "down", "--screen-outliers",
            "--fix-after", "15", "--rebase", "2021-09", "--rebase", "2030-01",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert [s["start_period"] for s in d["segments"]] == ["2020-01", "2021-09", "2030-01"]
    assert d["segments"][1]["reason"] == "rebased at 2021-09 (command line)"
    assert d["segments"][0]["baseline_points"] == 15
    assert d["rag"] == "grey"


def test_cli_table(tmp_path):
    path = write_csv(tmp_path, alternating_csv(extra="2021-04,\n"))
    result = CliRunner().invoke(spc_command, ["--input", str(path), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "RAG:        amber" in result.output
    assert "2021-04  (gap)" in result.output
    assert "Rule:       Grey if" in result.output


def test_cli_bad_csv_is_a_clean_error(tmp_path):
    path = write_csv(tmp_path, "period,value\n2024-01,1\n2024-02,1\n2024-03,abc\n")
    result = CliRunner().invoke(spc_command, ["--input", str(path)])
    assert result.exit_code == 1
    assert f"{path}, row 4, column value: 'abc' is not a number" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_cli_bad_options_exit_2(tmp_path):
    path = write_csv(tmp_path, alternating_csv())
    bad_rebase = CliRunner().invoke(spc_command, ["--input", str(path), "--rebase", "April"])
    assert bad_rebase.exit_code == 2
    assert "'April' is not a period" in bad_rebase.output
    missing = CliRunner().invoke(spc_command, ["--input", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
    fix_too_small = CliRunner().invoke(spc_command, ["--input", str(path), "--fix-after", "5"])
    assert fix_too_small.exit_code == 2
    assert "fix_after_n_points" in fix_too_small.output


def test_cli_rebase_of_wrong_frequency_is_a_clean_error(tmp_path):
    path = write_csv(tmp_path, alternating_csv())
    result = CliRunner().invoke(spc_command, ["--input", str(path), "--rebase", "2020Q3"])
    assert result.exit_code == 1
    assert "does not match the monthly series" in result.output


def test_cli_rebase_takes_a_reason_after_a_colon(tmp_path):
    path = write_csv(tmp_path, alternating_csv())
    result = CliRunner().invoke(
        spc_command,
        ["--input", str(path), "--rebase", "2020-06:new recording rules: phase 2",
         "--rebase", "2020-09"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    reasons = [s["reason"] for s in json.loads(result.output)["segments"]]
    assert reasons == [None, "new recording rules: phase 2", "rebased at 2020-09 (command line)"]
    empty = CliRunner().invoke(spc_command, ["--input", str(path), "--rebase", "2020-06:"])
    assert empty.exit_code == 2
    assert "give a reason after the colon" in empty.output
