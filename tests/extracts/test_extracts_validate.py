"""Validation of extract files: every bad input names file, row (header = row 1) and column."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from vawg.errors import InputFileError
from vawg.extracts import (
    TEMPLATES,
    ExtractFileError,
    detect_template,
    get_template,
    to_parquet,
    validate_file,
)

INCIDENTS_HEADER = (
    "incident_id,reported_on,month,crime_recorded,arrest_made,repeat_victim,dash_risk\n"
)
GOOD_INCIDENT = "GEN-DAI-000001,2022-03-14,2022-03,yes,no,yes,medium\n"
ORDERS_HEADER = (
    "order_id,order_type,applied_on,granted,granted_on,breached,breach_on,breach_actioned_on\n"
)


def write(tmp_path: Path, name: str, text: str, *, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def refused(path: Path, template: str | None = None) -> ExtractFileError:
    with pytest.raises(ExtractFileError) as caught:
        validate_file(path, template)
    return caught.value


def assert_place(error: InputFileError, name: str, row: int | None, column: str | None) -> None:
    assert error.path.name == name
    assert error.row == row
    assert error.column == column
    where = ", ".join(
        [name]
        + ([f"row {row}"] if row is not None else [])
        + ([f"column {column}"] if column else [])
    )
    assert str(error).startswith(where + ": ")


# --- good input ----------------------------------------------------------------------------


def test_good_csv_gives_typed_rows_with_month(tmp_path: Path):
    path = write(tmp_path, "da-incidents.csv", INCIDENTS_HEADER + GOOD_INCIDENT)
    [row] = validate_file(path)
    assert row == {
        "incident_id": "GEN-DAI-000001",
        "reported_on": date(2022, 3, 14),
        "month": "2022-03",
        "crime_recorded": True,
        "arrest_made": False,
        "repeat_victim": True,
        "dash_risk": "medium",
    }


def test_bom_crlf_any_column_order_case_and_spaces_are_accepted(tmp_path: Path):
    text = (
        "\ufeffmonth,incident_id,reported_on,crime_recorded,arrest_made,repeat_victim,"
        "dash_risk\r\n"
        "2022-03, GEN-DAI-000001 ,2022-03-14,YES,No,yes,High\r\n"
        "\r\n"
        ",,,,,,\r\n"
    )
    [row] = validate_file(write(tmp_path, "2022-03-da-incidents.csv", text))
    assert row["incident_id"] == "GEN-DAI-000001"
    assert row["crime_recorded"] is True and row["arrest_made"] is False
    assert row["dash_risk"] == "high"


def test_header_only_file_has_no_rows(tmp_path: Path):
    assert validate_file(write(tmp_path, "da-incidents.csv", INCIDENTS_HEADER)) == []


def test_month_is_derived_from_the_template_date(tmp_path: Path):
    text = ORDERS_HEADER + "GEN-PO-000001,SPO,2021-10-04,yes,2021-11-01,no,,\n"
    [row] = validate_file(write(tmp_path, "protective-orders.csv", text))
    assert row["month"] == "2021-10"
    assert row["granted_on"] == date(2021, 11, 1)
    assert row["breach_on"] is None


def test_datetime_columns(tmp_path: Path):
    text = (
        "episode_id,person_ref,reported_at,found_at,age,risk\n"
        "GEN-ME-000001,GEN-P-000123,2022-03-05 21:40,2022-03-06T00:20:00,15,medium\n"
        "GEN-ME-000002,P-000124,2022-03-31 23:00,,40,high\n"
    )
    rows = validate_file(write(tmp_path, "missing-episodes.csv", text))
    assert rows[0]["found_at"] == datetime(2022, 3, 6, 0, 20)
    assert rows[0]["month"] == "2022-03"
    assert rows[1]["found_at"] is None


def test_example_row_of_every_template_is_valid(tmp_path: Path):
    for slug, template in TEMPLATES.items():
        text = (
            ",".join(template.headers)
            + "\n"
            + ",".join(f'"{c.example}"' for c in template.columns)
            + "\n"
        )
        assert len(validate_file(write(tmp_path, f"{slug}.csv", text))) == 1, slug


# --- the header ----------------------------------------------------------------------------


def test_missing_column(tmp_path: Path):
    text = INCIDENTS_HEADER.replace(",dash_risk", "") + "GEN-DAI-1,2022-03-14,2022-03,y,n,y\n"
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 1, "dash_risk")
    assert "missing column 'dash_risk'" in str(error)


def test_wrong_header_name(tmp_path: Path):
    text = INCIDENTS_HEADER.replace("incident_id", "Incident ID") + GOOD_INCIDENT
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 1, "incident_id")
    assert "found unexpected 'Incident ID'" in str(error)


def test_extra_column(tmp_path: Path):
    text = INCIDENTS_HEADER.rstrip("\n") + ",victim_name\n" + GOOD_INCIDENT.rstrip() + ",x\n"
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 1, "victim_name")
    assert "unexpected column 'victim_name'" in str(error)


def test_repeated_column(tmp_path: Path):
    text = INCIDENTS_HEADER.rstrip("\n") + ",month\n"
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 1, "month")


def test_empty_file(tmp_path: Path):
    error = refused(write(tmp_path, "da-incidents.csv", ""))
    assert_place(error, "da-incidents.csv", None, None)
    assert "the file is empty" in str(error)


# --- values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "column", "problem"),
    [
        (
            "GEN-DAI-1,14/03/2022,2022-03,yes,no,yes,medium",
            "reported_on",
            "'14/03/2022' is not a date written YYYY-MM-DD",
        ),
        (
            "GEN-DAI-1,2022-02-30,2022-02,yes,no,yes,medium",
            "reported_on",
            "'2022-02-30' is not a real date",
        ),
        ("GEN-DAI-1,2202-03-14,2202-03,yes,no,yes,medium", "reported_on", "year outside"),
        (
            "GEN-DAI-1,2022-03-14,2022/03,yes,no,yes,medium",
            "month",
            "'2022/03' is not a month written YYYY-MM",
        ),
        (
            "GEN-DAI-1,2022-03-14,2022-02,yes,no,yes,medium",
            "month",
            "2022-02 is not the month of reported_on (2022-03-14)",
        ),
        ("GEN-DAI-1,2022-03-14,2022-03,Y,no,yes,medium", "crime_recorded", "'Y' is not yes or no"),
        (
            "GEN-DAI-1,2022-03-14,2022-03,yes,no,yes,very high",
            "dash_risk",
            "'very high' is not one of: standard, medium, high",
        ),
        (
            "GEN-DAI-1,2022-03-14,2022-03,yes,,yes,medium",
            "arrest_made",
            "empty, but a value is required",
        ),
        (
            "Jane Smith,2022-03-14,2022-03,yes,no,yes,medium",
            "incident_id",
            "'Jane Smith' is not a record reference",
        ),
    ],
)
def test_bad_value_names_row_and_column(tmp_path: Path, line: str, column: str, problem: str):
    text = INCIDENTS_HEADER + GOOD_INCIDENT + line + "\n"
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 3, column)
    assert problem in str(error)


def test_integer_range_and_type(tmp_path: Path):
    header = "crime_id,recorded_on,month,offence_group,outcome_code,finalised_on,"
    header += "prosecution_possible\n"
    good = "GEN-DAC-1,2022-03-01,2022-03,other,1,2022-03-20,yes\n"
    for bad, problem in (("24", "above the maximum"), ("1.5", "not a whole number")):
        line = good.replace(",1,", f",{bad},").replace("GEN-DAC-1", "GEN-DAC-2")
        error = refused(write(tmp_path, "da-crimes.csv", header + good + line))
        assert_place(error, "da-crimes.csv", 3, "outcome_code")
        assert problem in str(error)


def test_person_ref_must_be_pseudonymous(tmp_path: Path):
    text = (
        "episode_id,person_ref,reported_at,found_at,age,risk\n"
        "GEN-ME-000001,John Doe,2022-03-05 21:40,,15,medium\n"
    )
    error = refused(write(tmp_path, "missing-episodes.csv", text))
    assert_place(error, "missing-episodes.csv", 2, "person_ref")
    assert "pseudonymous person reference" in str(error)


def test_bad_datetime(tmp_path: Path):
    text = (
        "episode_id,person_ref,reported_at,found_at,age,risk\n"
        "GEN-ME-000001,P-000001,2022-03-05,,15,medium\n"
    )
    error = refused(write(tmp_path, "missing-episodes.csv", text))
    assert_place(error, "missing-episodes.csv", 2, "reported_at")
    assert "YYYY-MM-DD HH:MM" in str(error)


# --- rows ----------------------------------------------------------------------------------


def test_truncated_last_row(tmp_path: Path):
    text = INCIDENTS_HEADER + GOOD_INCIDENT + "GEN-DAI-000002,2022-03-15,2022-03,ye"
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 3, "arrest_made")
    assert "stops after 4 of 7 values" in str(error)
    assert "looks cut off" in str(error)


def test_short_row_in_the_middle(tmp_path: Path):
    text = INCIDENTS_HEADER + "GEN-DAI-000002,2022-03-15\n" + GOOD_INCIDENT
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 2, "month")
    assert "cut off" not in str(error)


def test_row_with_extra_values(tmp_path: Path):
    text = INCIDENTS_HEADER + GOOD_INCIDENT.rstrip() + ",surplus\n"
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 2, "dash_risk")
    assert "8 fields, expected 7: 1 more value after column 'dash_risk', the last one" in str(error)


def test_complete_last_row_without_a_final_line_break_is_refused(tmp_path: Path):
    text = INCIDENTS_HEADER + GOOD_INCIDENT + "GEN-DAI-000002,2022-03-15,2022-03,yes,no,yes,med"
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 3, "dash_risk")
    assert "ends without a line break after this row, so it looks cut off" in str(error)


def test_stray_carriage_return_names_row_and_column(tmp_path: Path):
    text = INCIDENTS_HEADER + "GEN-DAI-000002,2022-03-15,2022\r-03,yes,no,yes,medium\n"
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 2, "month")
    assert "a carriage return (CR) inside a value that is not in quotes" in str(error)


def test_crlf_line_endings_are_read(tmp_path: Path):
    text = INCIDENTS_HEADER.replace("\n", "\r\n") + GOOD_INCIDENT.replace("\n", "\r\n")
    [row] = validate_file(write(tmp_path, "da-incidents.csv", text))
    assert row["incident_id"] == "GEN-DAI-000001"


def test_cr_cr_lf_line_endings_are_refused_at_the_header(tmp_path: Path):
    text = (INCIDENTS_HEADER + GOOD_INCIDENT).replace("\n", "\r\r\n")
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 1, None)
    assert "the line ends with CR CR LF" in str(error)


def test_quoted_value_spanning_lines_reports_the_row_it_starts(tmp_path: Path):
    text = (
        INCIDENTS_HEADER
        + '"GEN-DAI-1",2022-03-14,2022-03,yes,no,yes,"medium\nrisk"\n'
        + "GEN-DAI-2,2022-03-14,2022-03,yes,no,maybe,medium\n"
    )
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 2, "dash_risk")
    assert error.problems[1].row == 4  # the next record starts on physical line 4


def test_duplicate_key(tmp_path: Path):
    text = INCIDENTS_HEADER + GOOD_INCIDENT + GOOD_INCIDENT
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 3, "incident_id")
    assert "repeats row 2" in str(error)


def test_composite_key(tmp_path: Path):
    header = "month,unit,team_type,role,establishment,pip2_accredited,abe_trained,scaidp_trained\n"
    line = "2022-03,RIT,rape and serious sexual offences,investigator,40,30,28,0\n"
    other_role = line.replace("investigator", "supervisor")
    assert len(validate_file(write(tmp_path, "specialist-staff.csv", header + line + other_role)))
    error = refused(write(tmp_path, "specialist-staff.csv", header + line + line))
    assert_place(error, "specialist-staff.csv", 3, "role")


def test_every_problem_is_counted(tmp_path: Path):
    bad = "GEN-DAI-{n},2022-03-14,2022-03,maybe,no,yes,medium\n"
    text = INCIDENTS_HEADER + "".join(bad.format(n=n) for n in range(5))
    error = refused(write(tmp_path, "da-incidents.csv", text))
    assert_place(error, "da-incidents.csv", 2, "crime_recorded")
    assert "(and 4 more problems in the file)" in str(error)
    assert [p.row for p in error.problems] == [2, 3, 4, 5, 6]


def test_not_utf8(tmp_path: Path):
    text = INCIDENTS_HEADER + GOOD_INCIDENT + "GEN-DAI-2,2022-03-14,2022-03,yes,no,yes,\xe9\n"
    error = refused(write(tmp_path, "da-incidents.csv", text, encoding="latin-1"))
    assert_place(error, "da-incidents.csv", 3, None)
    assert "not UTF-8" in str(error)


# --- rules across columns ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "column", "problem"),
    [
        (
            "GEN-PO-1,DVPO,2022-03-01,yes,,no,,",
            "granted_on",
            "empty, but required when granted is yes",
        ),
        (
            "GEN-PO-1,DVPO,2022-03-01,no,2022-03-02,,,",
            "granted_on",
            "must be empty unless granted is yes (found 2022-03-02)",
        ),
        (
            "GEN-PO-1,DVPO,2022-03-05,yes,2022-03-01,no,,",
            "granted_on",
            "2022-03-01 is before applied_on (2022-03-05)",
        ),
        (
            "GEN-PO-1,DVPO,2022-03-01,yes,2022-03-02,yes,,",
            "breach_on",
            "required when breached is yes",
        ),
        (
            "GEN-PO-1,DVPO,2022-03-01,yes,2022-03-02,no,,2022-03-04",
            "breach_actioned_on",
            "must be empty unless breached is yes",
        ),
        ("GEN-PO-1,SPO,2022-03-01,,,no,,", "breached", "must be empty unless granted is yes"),
    ],
)
def test_order_rules(tmp_path: Path, line: str, column: str, problem: str):
    error = refused(write(tmp_path, "protective-orders.csv", ORDERS_HEADER + line + "\n"))
    assert_place(error, "protective-orders.csv", 2, column)
    assert problem in str(error)


@pytest.mark.parametrize(
    ("values", "column", "problem"),
    [
        (
            "18,2022-03-20,yes",
            "prosecution_possible",
            "yes disagrees with outcome_code 18: expected no",
        ),
        ("1,2022-03-20,", "prosecution_possible", "expected yes"),
        ("0,,no", "prosecution_possible", "expected empty"),
        ("1,,yes", "finalised_on", "required when outcome_code is 1 to 23"),
        (",2022-03-20,", "finalised_on", "must be empty unless outcome_code is 1 to 23"),
    ],
)
def test_prosecution_possible_follows_the_outcome(
    tmp_path: Path, values: str, column: str, problem: str
):
    header = "crime_id,recorded_on,month,offence_group,outcome_code,finalised_on,"
    header += "prosecution_possible\n"
    text = header + f"GEN-DAC-1,2022-03-01,2022-03,other,{values}\n"
    error = refused(write(tmp_path, "da-crimes.csv", text))
    assert_place(error, "da-crimes.csv", 2, column)
    assert problem in str(error)


# --- XLSX ----------------------------------------------------------------------------------


def xlsx(tmp_path: Path, name: str, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("About").append(["ignored"])
    path = tmp_path / name
    workbook.save(path)
    return path


def test_xlsx_native_cells_are_accepted(tmp_path: Path):
    headers = INCIDENTS_HEADER.strip().split(",")
    path = xlsx(
        tmp_path,
        "da-incidents.xlsx",
        [
            headers,
            ["GEN-DAI-1", datetime(2022, 3, 14), datetime(2022, 3, 1), True, False, "yes"],
            [None] * 7,
        ],
    )
    [row] = validate_file(path)
    assert row["reported_on"] == date(2022, 3, 14)
    assert row["month"] == "2022-03"
    assert row["crime_recorded"] is True
    assert row["dash_risk"] is None  # the trailing empty cell


def test_xlsx_bad_cell_names_spreadsheet_row(tmp_path: Path):
    headers = INCIDENTS_HEADER.strip().split(",")
    good = ["GEN-DAI-1", "2022-03-14", "2022-03", "yes", "no", "yes", "high"]
    bad = ["GEN-DAI-2", datetime(2022, 3, 14, 10, 30), "2022-03", "yes", "no", "yes", "high"]
    path = xlsx(tmp_path, "da-incidents.xlsx", [headers, good, good[:0] + [None] * 7, bad])
    error = refused(path)
    assert_place(error, "da-incidents.xlsx", 4, "reported_on")
    assert "has a time of day" in str(error)


def test_xlsx_missing_header_column(tmp_path: Path):
    headers = INCIDENTS_HEADER.strip().split(",")[:-1]
    error = refused(xlsx(tmp_path, "da-incidents.xlsx", [headers]))
    assert_place(error, "da-incidents.xlsx", 1, "dash_risk")


def test_xlsx_numbers(tmp_path: Path):
    header = [
        "month",
        "unit",
        "team_type",
        "role",
        "establishment",
        "pip2_accredited",
        "abe_trained",
        "scaidp_trained",
    ]
    line = [
        datetime(2022, 3, 1),
        "RIT",
        "rape and serious sexual offences",
        "investigator",
        40.0,
        30,
        28,
        0,
    ]
    [row] = validate_file(xlsx(tmp_path, "specialist-staff.xlsx", [header, line]))
    assert row["establishment"] == 40 and row["month"] == "2022-03"
    line[5] = 30.5
    error = refused(xlsx(tmp_path, "specialist-staff.xlsx", [header, line]))
    assert_place(error, "specialist-staff.xlsx", 2, "pip2_accredited")


def test_not_a_workbook(tmp_path: Path):
    error = refused(write(tmp_path, "da-incidents.xlsx", "not a zip"))
    assert_place(error, "da-incidents.xlsx", None, None)


# --- names, Parquet ------------------------------------------------------------------------


def test_detect_template():
    assert detect_template("da-crimes.csv").slug == "da-crimes"
    assert detect_template("2022-03_finalised_crimes.xlsx").slug == "finalised-crimes"
    assert get_template("clares_law").dataset == "clares_law"
    with pytest.raises(InputFileError, match="does not say which template"):
        detect_template("crimes.csv")


def test_to_parquet_types_month_and_force(tmp_path: Path):
    text = ORDERS_HEADER + "GEN-PO-1,SPO,2021-10-04,yes,2021-11-01,no,,\n"
    rows = validate_file(write(tmp_path, "protective-orders.csv", text))
    path = tmp_path / "out" / "orders.parquet"
    assert to_parquet(rows, "protective-orders", path, force="demo-force") == 1
    con = duckdb.connect()
    described = con.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    columns = [(name, kind) for name, kind, *_ in described]
    assert columns == list(TEMPLATES["protective-orders"].parquet_columns())
    assert con.sql(f"SELECT force, month, granted FROM read_parquet('{path}')").fetchall() == [
        ("demo-force", "2021-10", True)
    ]
    assert not list(path.parent.glob(".*.tmp"))


def test_to_parquet_empty(tmp_path: Path):
    path = tmp_path / "empty.parquet"
    assert to_parquet([], "da-incidents", path) == 0
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall() == [(0,)]
