"""`ilp worklist`: posyandu listing, CSV header and rows, errors."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ilp.care.models import Encounter, Observation, Task

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("worklist", *args, stdout=out)
    return out.getvalue()


def test_lists_posyandu_codes(district):
    lines = run().splitlines()
    assert lines[0].split() == ["code", "name", "desa"]
    assert any(
        line.startswith("POS-AT") and "Posyandu Melati" in line and "Ampel" in line
        for line in lines
    )
    assert len(lines) == 5


def test_csv_header_and_rows(district):
    enc = Encounter.objects.create(
        person=district.rina,
        date=date(2024, 7, 5),
        place_kind="posyandu",
        facility=district.pos_ampel_timur_f,
        cluster="k2",
        package="child",
    )
    Observation.objects.create(
        encounter=enc, person=district.rina, date=enc.date, code="weight", value=6.0
    )
    Task.objects.create(
        person=district.budi,
        kind="follow_up",
        reason="Cek ulang",
        due_date=date(2024, 8, 1),
        facility=district.pos_ampel_timur_f,
    )
    out = run("--posyandu", "POS-AT", "--date", "2024-08-10", "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "person_id,nik,name,birth_date,item,state,since"
    budi = district.budi
    assert (
        f"{budi.local_id},5271011203850001,Budi Santoso,1985-03-12,tindak-lanjut,overdue,2024-08-01"
        in lines
    )
    # longest overdue first: the adults never screened this year (due 1 January, overdue
    # from 1 April), then Rina's BCG
    assert lines[1:3] == [
        f"{budi.local_id},5271011203850001,Budi Santoso,1985-03-12,skrining:PTM,overdue,2024-04-01",
        f"{district.siti.local_id},5271016107900002,Siti Aminah,1990-07-21,skrining:PTM,"
        "overdue,2024-04-01",
    ]
    assert (
        f"{district.rina.local_id},,Rina Lestari,2024-05-02,imunisasi:BCG,overdue,2024-07-02"
        in lines
    )
    rina = district.rina
    assert f"{rina.local_id},,Rina Lestari,2024-05-02,timbang,due,2024-08-01" in lines
    assert f"{rina.local_id},,Rina Lestari,2024-05-02,imunisasi:PCV1,overdue,2024-08-02" in lines
    assert all(line.split(",")[5] in ("due", "overdue") for line in lines[1:])


def test_table_and_xlsx(district, tmp_path):
    out = run("--posyandu", "POS-AT", "--date", "2024-08-10")
    assert out.splitlines()[0].split()[:7] == [
        "person_id",
        "nik",
        "name",
        "birth_date",
        "item",
        "state",
        "since",
    ]
    target = tmp_path / "wl.xlsx"
    call_command(
        "worklist",
        "--posyandu",
        "POS-AT",
        "--date",
        "2024-08-10",
        "--format",
        "xlsx",
        "--out",
        str(target),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    from openpyxl import load_workbook

    ws = load_workbook(target).active
    assert ws.cell(row=3, column=1).value == "Nomor ILP"
    assert ws.max_row > 3


def test_unknown_posyandu_and_bad_date(district):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("--posyandu", "NOPE", "--date", "2024-08-10")
    with pytest.raises(CommandError, match="Tanggal tidak valid"):
        run("--posyandu", "POS-AT", "--date", "2024-13-45")
    with pytest.raises(CommandError, match="xlsx"):
        run("--posyandu", "POS-AT", "--format", "xlsx")
