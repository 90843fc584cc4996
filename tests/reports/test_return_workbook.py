"""The quarterly return: its content, and the workbook exported safely and read back whole."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from paper_testdata import demo_force_fixture  # noqa: F401 - fixture by name

from vawg.reports.returns import build_return_content, return_for_export
from vawg.reports.returns.workbook import (
    CELL_LIMIT,
    HOW_TO_READ,
    cell_text,
    read_cell_text,
    read_return_workbook,
    return_xlsx,
)
from vawg.strategy.models import Evidence, Response, ReviewState, Update
from xlsx_xml import xml_cells

NASTY = [
    '=HYPERLINK("http://example.invalid","click")',
    "+44 1234",
    "-12% on last year",
    "@SUM(A1)",
    "\tstarts with a tab",
    "'already quoted",
    "''two quotes",
    "pasted from Word:\x0b\x01\x1f end",
    "looks like an escape _x0041_ and _x005F_",
    "line one\r\nline two\rline three\n",
    "emoji \U0001f600 and accents é",
]


def _action(content, number):
    return next(a for p in content["pillars"] for a in p["actions"] if a["number"] == number)


def test_content_holds_every_action_and_the_quarter(demo_force):
    content = build_return_content(demo_force, "2022Q1")
    assert content["quarter"] == "2022Q1"
    assert (content["period_start"], content["period_end"]) == ("2022-01-01", "2022-03-31")
    assert [len(p["actions"]) for p in content["pillars"]] == [14, 12, 8]
    # The pack's updates of 26 April 2022 were written for the quarter after it closed, before
    # the return was due (30 April): every action carries its narrative.
    actions = [a for p in content["pillars"] for a in p["actions"]]
    assert all(a["narrative"] and a["last_updated"] == "2022-04-26" for a in actions)
    assert _action(content, "1.1")["narrative"].startswith(
        "The Professional Standards Department sh"
    )
    assert _action(content, "1.1")["status"] == "Embedded (business as usual)"
    assert _action(content, "1.1")["rag"] == "Green"
    assert _action(content, "1.1")["evidence"] == [
        {
            "title": "Joint BCH staff domestic abuse charter",
            "url": "evidence://bch-staff-da-charter",
        }
    ]

    dvpn = next(m for m in content["metrics"] if m["code"] == "dvpn-granted")
    assert dvpn["generated"] is True
    assert [(m["month"], m["value"]) for m in dvpn["months"]] == [
        ("2022-01", 16.0),
        ("2022-02", 20.0),
        ("2022-03", 24.0),
    ]
    pp = next(m for m in content["metrics"] if m["code"] == "da-prosecution-possible-rate")
    assert pp["months"][2]["numerator"] == 171.0
    assert pp["months"][2]["denominator"] == 1000.0
    assert not any(m["code"] == "vso-recorded" for m in content["metrics"])

    orders = {(r["month"], r["order_type"]): r for r in content["orders"]["rows"]}
    assert orders[("2022-03", "SPO")]["applied"] == 3
    assert orders[("2022-03", "DVPN")] == {
        "month": "2022-03",
        "order_type": "DVPN",
        "applied": 24,
        "issued": 24,
    }
    assert content["orders"]["source"].startswith("order metrics")


def _with_nasty_narratives(force):
    response = Response.objects.get(force=force, action__code="nfd21-1.1")
    for index, text in enumerate(NASTY):
        other = Response.objects.filter(force=force).order_by("pk")[index + 1]
        Update.objects.create(
            response=other,
            as_at=dt.date(2022, 4, 27),  # after the pack's updates, before the return was due
            text=text,
            author_role="Head of PVP",
            review_state=ReviewState.APPROVED,
        )
    long_text = ("A long narrative \U0001f600 with a control \x0b char. " * 2500)[:90_000]
    Update.objects.create(
        response=response,
        as_at=dt.date(2022, 4, 28),
        text=long_text,
        author_role="Head of PVP",
        review_state=ReviewState.APPROVED,
    )
    Evidence.objects.create(response=response, title="=cmd|' /C calc'!A0", url="@evil")
    return long_text


def test_workbook_round_trips_field_by_field(demo_force):
    long_text = _with_nasty_narratives(demo_force)
    content = build_return_content(demo_force, "2022Q1")
    data = return_xlsx(content)
    back = read_return_workbook(io.BytesIO(data))

    assert _action(back, "1.1")["narrative"] == long_text
    for pillar, pillar_back in zip(content["pillars"], back["pillars"], strict=True):
        assert pillar_back["number"] == pillar["number"]
        assert pillar_back["title"] == pillar["title"]
        for action, action_back in zip(pillar["actions"], pillar_back["actions"], strict=True):
            for field in action:
                assert action_back[field] == action[field], (action["number"], field)
    for metric, metric_back in zip(content["metrics"], back["metrics"], strict=True):
        for field in metric:
            assert metric_back[field] == metric[field], (metric["code"], field)
    assert back["orders"] == content["orders"]
    assert back == content
    narratives = {a["narrative"] for p in back["pillars"] for a in p["actions"]}
    assert set(NASTY) <= narratives


def test_no_cell_is_a_formula_dates_are_dates_and_cells_fit(demo_force):
    _with_nasty_narratives(demo_force)
    workbook = load_workbook(io.BytesIO(return_xlsx(build_return_content(demo_force, "2022Q1"))))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    for cell in cells:
        if isinstance(cell.value, str):
            assert len(cell.value.encode("utf-16-le")) // 2 <= CELL_LIMIT

    sheet = workbook["Pillar 1"]
    header = [c.value for c in sheet[3]]
    assert header[:10] == [
        "Action id",
        "Number",
        "Title",
        "Owner role",
        "Status",
        "RAG",
        "Due",
        "Last updated",
        "Evidence",
        "Narrative",
    ]
    # 90,000 characters are 104,000 UTF-16 units as Excel counts them (each emoji is two,
    # each escaped control character seven): four cells, continuing to the right.
    assert header[10:] == [f"Narrative (continued {n})" for n in (2, 3, 4)]
    first = sheet[4]
    assert first[0].value == "nfd21-1.1"
    assert first[6].is_date and first[6].value.date() == dt.date(2022, 3, 31)  # due
    assert first[7].is_date
    assert first[7].value.date() == dt.date(2022, 4, 28)
    assert first[7].number_format == "yyyy-mm-dd"
    assert workbook["Return"]["A6"].value == "Period start"
    # A date cell (a serial number shown as a date), not text; openpyxl reads any date cell
    # back as a datetime at midnight.
    assert workbook["Return"]["B6"].is_date
    assert workbook["Return"]["B6"].number_format == "yyyy-mm-dd"
    assert workbook["Return"]["B6"].value == dt.datetime(2022, 1, 1)
    assert [c.value for c in workbook["Preventative orders"][1]] == [
        "Month",
        "Order type",
        "Applied for",
        "Issued",
    ]
    assert workbook["Metrics"]["A1"].value == "Metric id"
    assert workbook["Metrics"]["F1"].value == "2022-01 value"


def test_return_sheet_tells_the_reader_how_to_read_it_not_the_code(demo_force):
    workbook = load_workbook(io.BytesIO(return_xlsx(build_return_content(demo_force, "2022Q1"))))
    column = [cell.value for cell in workbook["Return"]["A"]]
    notes = column[column.index("How to read this file") + 1 :]
    assert notes == list(HOW_TO_READ)
    assert notes[0].startswith("There is one sheet for each pillar of the national framework")
    assert notes[-1] == (
        "Dates are date cells and figures are numbers. An empty cell means no value is held."
    )
    # The maintainers' notes (the module docstring) once leaked here: reST markup, function
    # names and talk of tests mean nothing to a board.
    for note in notes:
        for word in ("``", "safe_text", "cell_text", "read_return_workbook", "a test"):
            assert word not in note, (word, note)


FORMULA_LIKE = [t for t in NASTY if t.startswith(("=", "+", "-", "@", "\t"))]


def test_formula_like_text_is_a_string_cell_shown_without_an_apostrophe(demo_force):
    _with_nasty_narratives(demo_force)
    data = return_xlsx(build_return_content(demo_force, "2022Q1"))
    cells = xml_cells(data)
    assert not [(c.sheet, c.ref) for c in cells if c.has_formula]
    by_text = {c.text: c for c in cells if c.text is not None}
    for text in [*FORMULA_LIKE, "=cmd|' /C calc'!A0", "@evil"]:
        cell = by_text[text]  # the text itself, no apostrophe added
        assert (cell.type, cell.quote_prefix) == ("inlineStr", True), text
    assert by_text["'already quoted"].quote_prefix is False
    assert not [c.text for c in cells if c.text and c.text.startswith("'=")]
    # Ordinary text is a string cell too, without the flag.
    title = next(c for c in cells if c.sheet == "Return" and c.ref == "A1")
    assert (title.type, title.quote_prefix) == ("inlineStr", False)
    assert title.text == "Quarterly national VAWG return: Cambridgeshire Constabulary"

    sheet = load_workbook(io.BytesIO(data))["Evidence"]
    evidence = [(r[2], r[3]) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert ("=cmd|' /C calc'!A0", "@evil") in evidence


@pytest.mark.parametrize("text", NASTY)
def test_cell_text_is_reversible(text):
    assert read_cell_text(cell_text(text)) == text


def test_export_warns_of_split_and_escaped_narratives(demo_force):
    _with_nasty_narratives(demo_force)
    warnings = return_for_export(demo_force, "2022Q1").warnings
    assert any(
        w.startswith("Action 1.1: the narrative is longer than one Excel cell") for w in warnings
    )
    assert any("control characters" in w for w in warnings)
