"""Kohort registers: rows for pregnancies, infants and balita; Excel export; scoping."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest

from ilp.care.exports import write_kohort_xlsx
from ilp.care.kohort import columns, kohort_balita, kohort_bayi, kohort_for_user, kohort_ibu
from ilp.care.models import Encounter, ImmunizationRecord, Observation, Screening, Supply
from ilp.core.exceptions import NotFound
from ilp.people.models import Pregnancy

pytestmark = pytest.mark.django_db


def enc(person, on, facility, package, **kw):
    return Encounter.objects.create(
        person=person,
        date=on,
        place_kind="pustu",
        facility=facility,
        cluster="k2",
        package=package,
        **kw,
    )


def test_kohort_ibu_row(district):
    f = district.pustu_ampel_f
    preg = Pregnancy.objects.create(
        person=district.siti,
        lmp=date(2024, 6, 1),
        edd=date(2025, 3, 8),
        gravida=2,
        para=1,
        outcome="live_birth",
        outcome_date=date(2025, 3, 5),
    )
    e1 = enc(district.siti, date(2024, 7, 20), f, "anc", pregnancy=preg, visit_number=1)
    Screening.objects.create(
        encounter=e1,
        person=district.siti,
        date=e1.date,
        instrument="kspr",
        score=6,
        result_code="krt",
    )
    Observation.objects.create(
        encounter=e1, person=district.siti, date=e1.date, code="hb", value=10.5
    )
    enc(district.siti, date(2024, 9, 20), f, "anc", pregnancy=preg)
    enc(district.siti, date(2025, 3, 6), f, "postpartum", pregnancy=preg, visit_number=1)
    ImmunizationRecord.objects.create(
        person=district.siti, date=date(2024, 7, 20), dose_code="Td T2"
    )
    rows = kohort_ibu(f, year=2024)
    assert len(rows) == 1
    r = rows[0]
    assert r["name"] == "Siti Aminah" and r["gpa"] == "G2P1A0"
    assert (r["k1"], r["k2"], r["k3"]) == (date(2024, 7, 20), date(2024, 9, 20), None)
    assert (r["kspr"], r["hb"], r["td"]) == ("KRT", 10.5, "T2")
    assert r["delivery"] == date(2025, 3, 5) and r["kf1"] == date(2025, 3, 6)
    assert {k for k, _ in columns("ibu")} <= set(r)
    # other years and other areas: not listed
    assert kohort_ibu(f, year=2026) == []
    assert kohort_ibu(district.pustu_batu_f, year=2024) == []


def test_kohort_bayi_row(district):
    f = district.pos_ampel_timur_f
    rina = district.rina  # born 2024-05-02
    e = enc(rina, date(2024, 5, 3), f, "newborn", visit_number=1)
    ImmunizationRecord.objects.create(person=rina, date=date(2024, 5, 2), dose_code="HB0")
    ImmunizationRecord.objects.create(person=rina, date=date(2024, 6, 10), dose_code="BCG")
    Observation.objects.create(
        encounter=e, person=rina, date=date(2024, 5, 3), code="weight", value=3.1
    )
    e2 = enc(rina, date(2024, 7, 5), f, "child")
    Observation.objects.create(encounter=e2, person=rina, date=e2.date, code="weight", value=5.6)
    rows = kohort_bayi(f, on=date(2024, 8, 10))
    assert [r["name"] for r in rows] == ["Rina Lestari"]
    r = rows[0]
    assert r["kn1"] == date(2024, 5, 3) and r["kn2"] is None
    assert r["imm:HB0"] == date(2024, 5, 2) and r["imm:BCG"] == date(2024, 6, 10)
    assert r["imm:MR1"] is None
    assert (r["bb0"], r["bb2"], r["bb1"]) == (3.1, 5.6, None)
    # a year later she is no infant any more
    assert kohort_bayi(f, on=date(2025, 5, 2)) == []


def test_kohort_balita_row(district):
    f = district.pos_ampel_timur_f
    rina = district.rina
    for month, kg in ((1, 8.0), (2, 8.3), (3, 8.5)):
        e = enc(rina, date(2025, month, 6), f, "child")
        Observation.objects.create(encounter=e, person=rina, date=e.date, code="weight", value=kg)
    Supply.objects.create(encounter=e, person=rina, date=date(2025, 2, 6), item="vita_red")
    rows = kohort_balita(f, on=date(2025, 8, 31))
    assert len(rows) == 1
    r = rows[0]
    assert (r["bb_01"], r["bb_02"], r["bb_03"], r["bb_04"]) == (8.0, 8.3, 8.5, None)
    assert r["vita_feb"] == date(2025, 2, 6) and r["vita_aug"] is None
    assert r["age_months"] == 15
    assert "imm:MR2" in r
    assert kohort_balita(f, on=date(2025, 4, 30)) == []  # under 12 months


def test_kohort_excel_and_scope(district):
    rows = kohort_for_user(district.kader_ampel_timur, "POS-AT", "bayi", on=date(2024, 8, 10))
    buf = BytesIO()
    write_kohort_xlsx("bayi", rows, buf)
    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(buf.getvalue())).active
    assert ws.cell(row=1, column=1).value == "Kohort Bayi"
    assert ws.cell(row=3, column=2).value == "Nomor ILP"
    assert ws.cell(row=4, column=4).value == "Rina Lestari"
    with pytest.raises(NotFound):
        kohort_for_user(district.kader_cemara, "POS-AT", "bayi", on=date(2024, 8, 10))


def test_kohort_bayi_names_a_mother_only_inside_the_readers_area(district):
    """An infant's mother living in another dusun is not named to the infant's kader (issue 9:
    indirect paths), but the puskesmas, whose area holds both, sees her name; the mother named
    is in the audit event of the register."""
    from ilp.accounts.models import AuditEvent

    rina = district.rina
    rina.mother = district.ahmad  # lives in Ampel Barat (another posyandu's dusun)
    rina.save(update_fields=["mother"])
    kader_rows = kohort_for_user(district.kader_ampel_timur, "POS-AT", "bayi", on=date(2024, 8, 10))
    assert [r["mother"] for r in kader_rows] == ["di luar wilayah Anda"]
    event = AuditEvent.objects.filter(object_type="kohort_bayi").latest("pk")
    assert event.person_ids == [rina.pk]

    pkm_rows = kohort_for_user(district.pkm_barat, "POS-AT", "bayi", on=date(2024, 8, 10))
    assert [r["mother"] for r in pkm_rows] == ["Ahmad Fauzi"]
    event = AuditEvent.objects.filter(object_type="kohort_bayi").latest("pk")
    assert sorted(event.person_ids) == sorted([rina.pk, district.ahmad.pk])
