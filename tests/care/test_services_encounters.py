"""encounter_record: permissions, validation, confirmation, idempotency, what is stored."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.care.models import Encounter, ImmunizationRecord, Observation, Screening, Task
from ilp.care.services import encounter_record
from ilp.care.views.results import alert_lines, decorate
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.core.texts import Text
from tests.care import born_days_before, resident

ON = date(2025, 3, 10)


def _record(district, person=None, *, actor=None, values=None, **kwargs):
    kwargs.setdefault("package", "child")
    kwargs.setdefault("place_kind", "posyandu")
    kwargs.setdefault("facility", district.pos_ampel_timur_f)
    return encounter_record(
        actor=actor or district.kader_ampel_timur,
        person=person or district.rina,
        on=kwargs.pop("on", ON),
        values=values
        if values is not None
        else {"weight": 8.6, "height": 72.0, "measured": "lying"},
        **kwargs,
    )


def _nothing_saved():
    return (Encounter.objects.count(), Observation.objects.count(), Task.objects.count()) == (
        0,
        0,
        0,
    )


def test_it_stores_encounter_observations_screenings_and_audit(district):
    result = _record(district)
    enc = result.encounter
    assert result.created is True
    enc.refresh_from_db()
    assert (enc.package, enc.cluster, enc.place_kind, enc.flagged) == (
        "child",
        "k2",
        "posyandu",
        False,
    )
    obs = {o.code: (o.value, o.value_text, o.unit, o.loinc) for o in enc.observations.all()}
    assert obs["weight"] == (8.6, "", "kg", "29463-7")
    assert obs["height"] == (72.0, "", "cm", "8306-3")  # lying → length LOINC
    assert obs["measured"] == (None, "lying", "", "")
    assert obs["bmi"][2:] == ("kg/m2", "39156-5")
    assert set(Screening.objects.filter(encounter=enc).values_list("instrument", flat=True)) >= {
        "wfa",
        "lhfa",
        "wflh",
        "bfa",
    }
    assert [i["code"] for i in enc.results["items"]][:4] == ["wfa", "lhfa", "wflh", "bfa"]
    assert (
        AuditEvent.objects.filter(
            action="create",
            object_type="encounter",
            object_uuid=enc.uuid,
            person_id=district.rina.pk,
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"weight": 0}, "weight", "Berat badan 0 kg tidak mungkin; isi antara 0,3 dan 250 kg."),
        ({"weight": 300}, "weight", "Berat badan 300 kg tidak mungkin; isi antara 0,3 dan 250 kg."),
        ({"weight": "sembilan"}, "weight", "Berat badan harus berupa angka."),
        (
            {"weight": 9, "tinggi": 3},
            "tinggi",
            "Isian ini tidak dikenal untuk layanan yang dipilih.",
        ),
    ],
)
def test_impossible_values_are_refused_and_nothing_saved(district, values, field, message):
    with pytest.raises(ValidationFailed) as exc:
        _record(district, values=values)
    assert exc.value.code == "invalid"
    assert exc.value.fields == {field: [message]}
    assert _nothing_saved()


def test_systolic_lower_than_diastolic_is_refused(district):
    with pytest.raises(ValidationFailed) as exc:
        _record(district, district.budi, package="adult", values={"sbp": 80, "dbp": 120})
    assert exc.value.fields == {
        "dbp": ["Diastolik (120) harus lebih rendah dari sistolik (80); periksa apakah tertukar."]
    }
    assert _nothing_saved()


def test_dates_before_birth_or_in_the_future_are_refused(district):
    with pytest.raises(ValidationFailed) as exc:
        _record(district, on=date(2024, 4, 1))
    assert exc.value.fields == {"on": ["Tanggal pemeriksaan sebelum tanggal lahir (2 Mei 2024)."]}
    with pytest.raises(ValidationFailed) as exc:
        _record(district, on=timezone.localdate() + timedelta(days=2))
    assert exc.value.fields == {"on": ["Tanggal pemeriksaan tidak boleh di masa depan."]}
    assert _nothing_saved()


def test_length_lower_than_last_visit_beyond_tolerance_is_refused(district):
    _record(
        district, on=date(2025, 2, 10), values={"weight": 8.3, "height": 72.0, "measured": "lying"}
    )
    # 1.5 cm lower is measurement error; 1.6 cm is not.
    ok = _record(district, values={"weight": 8.6, "height": 70.5, "measured": "lying"})
    assert ok.created
    with pytest.raises(ValidationFailed) as exc:
        _record(
            district,
            on=date(2025, 3, 11),
            values={"weight": 8.6, "height": 68.8, "measured": "lying"},
        )
    assert exc.value.fields == {
        "height": [
            "Panjang/tinggi 68,8 cm lebih rendah 1,7 cm dari pengukuran 10 Maret 2025 (70,5 cm); "
            "selisih lebih dari 1,5 cm tidak mungkin, ukur ulang."
        ]
    }
    assert Encounter.objects.count() == 2


def test_unusual_value_needs_confirmation_then_is_flagged(district):
    girl = resident(district, "Anak Ringan", "F", born_days_before(ON, 955))
    with pytest.raises(ValidationFailed) as exc:
        _record(district, girl, values={"weight": 4.0})
    assert exc.value.code == "needs_confirmation"
    assert list(exc.value.fields) == ["weight"]
    assert _nothing_saved()
    result = _record(district, girl, values={"weight": 4.0}, confirm_unusual=True)
    enc = result.encounter
    assert enc.flagged is True
    assert enc.observations.get(code="weight").flagged is True


def test_big_weight_jump_needs_confirmation(district):
    _record(district, on=date(2025, 2, 10), values={"weight": 8.3})
    with pytest.raises(ValidationFailed) as exc:
        _record(district, values={"weight": 10.5})
    assert exc.value.code == "needs_confirmation"
    assert exc.value.fields == {
        "weight": [
            "Berat badan berubah +2,2 kg dalam 28 hari (sebelumnya 8,3 kg); timbang ulang atau "
            "konfirmasi."
        ]
    }


def test_same_client_id_is_stored_once(district):
    cid = uuid.uuid4()
    first = _record(district, client_id=cid)
    second = _record(district, client_id=cid, values={"weight": 9.9})
    assert (first.created, second.created) == (True, False)
    assert second.encounter.pk == first.encounter.pk
    assert second.evaluation.results == first.encounter.results["items"]
    assert Encounter.objects.count() == 1
    assert Observation.objects.filter(code="weight").get().value == 8.6


def test_client_id_race_returns_the_stored_encounter(district, monkeypatch):
    cid = uuid.uuid4()
    first = _record(district, client_id=cid)
    from ilp.care.services import encounters

    # Simulate the other request committing between our lookup and our insert.
    monkeypatch.setattr(encounters, "_existing", lambda client_id, person, *rest: None)
    calls = []

    def existing_after_failure(client_id, person, *rest):
        calls.append(client_id)
        return Encounter.objects.get(client_id=client_id)

    original_save = Encounter.save

    def save(self, *args, **kwargs):
        if self.pk is None and self.client_id == cid:
            monkeypatch.setattr(encounters, "_existing", existing_after_failure)
            raise IntegrityError("UNIQUE constraint failed: care_encounter.client_id")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Encounter, "save", save)
    again = _record(district, client_id=cid)
    assert (again.created, again.encounter.pk, calls) == (False, first.encounter.pk, [cid])
    assert Encounter.objects.count() == 1


@pytest.mark.parametrize("persona", ["camat_barat", "ppa", "norole", "tpcb"])
def test_roles_without_recording_rights_are_denied(district, persona):
    with pytest.raises(PermissionDenied):
        _record(district, actor=getattr(district, persona))
    assert _nothing_saved()


def test_kader_cannot_record_outside_their_dusun(district):
    with pytest.raises(PermissionDenied) as exc:
        _record(
            district,
            district.ahmad,
            actor=district.kader_ampel_timur,
            package="elderly",
            values={"sbp": 120, "dbp": 80},
        )
    assert str(exc.value) == "Penduduk ini di luar wilayah kerja Anda."
    # ... nor at another posyandu.
    with pytest.raises(PermissionDenied) as exc:
        _record(district, actor=district.kader_ampel_timur, facility=district.pos_ampel_barat_f)
    assert str(exc.value) == "Anda tidak bertugas di fasilitas ini."
    assert _nothing_saved()


def test_bidan_records_at_a_posyandu_below_her_pustu(district):
    result = _record(district, actor=district.bidan_ampel)
    assert result.created
    with pytest.raises(ValidationFailed) as exc:
        _record(
            district,
            actor=district.bidan_ampel,
            place_kind="puskesmas",
            facility=district.pustu_ampel_f,
        )
    assert exc.value.fields == {
        "place_kind": ["Tempat pelayanan tidak sesuai dengan jenis fasilitas."]
    }


def test_gizi_buruk_opens_one_referral_task(district):
    girl = resident(district, "Anak Seratus Dua Belas", "F", born_days_before(ON, 90))
    values = {"weight": 4.5, "height": 60.4, "measured": "lying"}
    enc = _record(district, girl, values=values).encounter
    task = Task.objects.get(person=girl)
    assert (task.kind, task.due_date, task.source_encounter_id, task.reason) == (
        "refer",
        ON,
        enc.pk,
        Text("care.alert.severe_wasting"),
    )
    assert (task.reason_code, task.reason_params, str(task.reason)) == (
        "care.alert.severe_wasting",
        {},
        "Gizi buruk",
    )
    assert alert_lines(enc.alerts)[0] == {
        "level": "danger",
        "message": "Gizi buruk",
        "action": "Rujuk ke puskesmas",
    }
    # The same finding next day does not open a second open task.
    _record(district, girl, values=values, on=ON + timedelta(days=1))
    assert Task.objects.filter(person=girl).count() == 1


def test_two_t_opens_a_home_visit(district):
    rina = district.rina  # 8 months in January 2025
    _record(district, on=date(2025, 1, 6), values={"weight": 8.0})
    _record(district, on=date(2025, 2, 6), values={"weight": 8.1})
    enc = _record(district, on=date(2025, 3, 6), values={"weight": 8.2}).encounter
    trend = next(r for r in decorate(enc.results) if r["code"] == "weight_trend")
    assert (trend["class_code"], trend["class_label"]) == (
        "2T",
        "Tidak naik 2 bulan berturut-turut (2T)",
    )
    task = Task.objects.get(person=rina, kind="home_visit")
    assert task.due_date == date(2025, 3, 13)


def test_immunization_doses_lot_and_expiry(district):
    baby = resident(district, "Bayi Imunisasi", "M", date(2024, 12, 1))
    doses = [
        {"dose_code": "DPT-HB-Hib 1", "lot_number": "B123", "expiry_date": "2024-12-31"},
        {"dose_code": "PCV1", "lot_number": "", "expiry_date": "2026-01-01"},
    ]
    with pytest.raises(ValidationFailed) as exc:
        _record(district, baby, package="immunization", values={}, immunizations=doses)
    assert exc.value.fields == {
        "doses.0.expiry_date": [
            "Vaksin sudah kedaluwarsa pada 31 Des. 2024, sebelum tanggal imunisasi; "
            "jangan diberikan."
        ],
        "doses.1.lot_number": ["Nomor batch vaksin wajib diisi."],
    }
    assert ImmunizationRecord.objects.count() == 0
    doses[0]["expiry_date"] = "2026-01-01"
    doses[1]["lot_number"] = "P9"
    enc = _record(
        district, baby, package="immunization", values={}, immunizations=doses, on=date(2025, 2, 1)
    ).encounter
    rows = {r.dose_code: (r.valid, r.lot_number) for r in enc.immunizations.all()}
    # Born 1 Dec 2024: on 1 Feb 2025 the child is 2 months old, above the 6-week minimum.
    assert rows == {"DPT-HB-Hib 1": (True, "B123"), "PCV1": (True, "P9")}
    with pytest.raises(ValidationFailed) as exc:
        _record(
            district,
            baby,
            package="immunization",
            values={},
            immunizations=[{"dose_code": "PCV1", "lot_number": "P9", "expiry_date": "2026-01-01"}],
        )
    recorded = "Dosis PCV1 sudah tercatat pada 1 Feb. 2025."
    assert exc.value.fields == {"doses.0.dose_code": [recorded]}


def test_too_early_dose_is_stored_invalid_only_after_confirmation(district):
    baby = resident(district, "Bayi Dini", "F", date(2025, 2, 1))
    dose = {"dose_code": "DPT-HB-Hib 1", "lot_number": "B1", "expiry_date": "2026-01-01"}
    reason = "DPT-HB-Hib 1 terlalu dini: umur minimal 42 hari (15 Maret 2025)"
    with pytest.raises(ValidationFailed) as exc:
        _record(district, baby, package="immunization", values={}, immunizations=[dose])
    assert exc.value.code == "needs_confirmation"
    assert exc.value.fields == {"doses.0.dose_code": [reason]}
    assert not ImmunizationRecord.objects.filter(person=baby).exists()
    enc = _record(
        district,
        baby,
        package="immunization",
        values={},
        immunizations=[dose],
        confirm_unusual=True,
    ).encounter
    row = enc.immunizations.get()
    # Stored as the schedule's reason code with its parameters, phrased when shown.
    assert (row.valid, row.invalid_reason_code) == (
        False,
        "immunization_check.reason.below_min_age",
    )
    assert row.invalid_reason_params == {
        "dose": "DPT-HB-Hib 1",
        "min_age": {
            "text": {
                "code": "care.spaced.1",
                "params": {"0": {"text": {"code": "care.period.D", "params": {"n": 42}}}},
            }
        },
        "min_date": {"date": "2025-03-15"},
    }
    assert str(row.invalid_reason) == reason
