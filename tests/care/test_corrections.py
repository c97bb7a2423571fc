"""Corrections of care records: a corrected weight re-runs the evaluation and the lists
follow; a voided dose is due again; voided encounters stop counting; doses from the KIA book;
who may correct; what the history keeps."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.accounts.models import AuditEvent
from ilp.care.models import (
    CareSummary,
    DoseSource,
    Encounter,
    ImmunizationRecord,
    Observation,
    Screening,
    Task,
    TaskStatus,
)
from ilp.care.services import corrections as C
from ilp.care.services import encounter_record
from ilp.care.services.summary import summaries_refresh
from ilp.care.worklists import compute_worklist
from ilp.care.worklists.engine import load_persons
from ilp.care.worklists.special import compute_special_lists
from ilp.core.corrections import EditConflict, Reason
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

TYPO = Reason("typo", "5,2 seharusnya 9,2")
WEIGHED = date(2025, 7, 2)  # Rina (born 2 May 2024) is 14 months old


def _weigh(district, weight, *, actor=None, confirm=True):
    return encounter_record(
        actor=actor or district.kader_ampel_timur,
        person=district.rina,
        on=WEIGHED,
        package="child",
        place_kind="posyandu",
        facility=district.pos_ampel_timur_f,
        values={"weight": weight, "height": 75.0, "measured": "lying"},
        confirm_unusual=confirm,
    ).encounter


def _gizi(district, on=WEIGHED):
    persons = load_persons(district.pos_ampel_timur_f, on)
    lists = compute_special_lists(
        district.pos_ampel_timur_f, on=on, persons=persons, which=("gizi",)
    )
    return [(i.person.id, i.code) for i in lists["gizi"]]


def _wflh(encounter):
    return next(r["class_code"] for r in encounter.results["items"] if r["code"] == "wflh")


# ---------------------------------------------------------------- a corrected weight


def test_a_corrected_weight_re_runs_the_evaluation_and_the_lists_follow(district):
    enc = _weigh(district, 5.2)  # typed 5,2 for 9,2
    assert _wflh(enc) == "gizi_buruk"
    assert _gizi(district) == [(district.rina.pk, "gizi_buruk")]
    refer = Task.objects.get(source_encounter=enc, kind="refer")
    assert refer.status == TaskStatus.OPEN

    result = C.encounter_correct(
        actor=district.kader_ampel_timur,
        encounter=enc,
        changes={"weight": 9.2},
        version=1,
        reason=TYPO,
    )

    enc.refresh_from_db()
    assert result.changed
    assert _wflh(enc) == "gizi_baik"
    assert enc.values["weight"] == 9.2 and enc.version == 2
    assert not enc.flagged
    assert [a["message"] for a in enc.alerts if a["level"] == "danger"] == []
    assert _gizi(district) == []
    refer.refresh_from_db()
    assert refer.status == TaskStatus.CANCELLED
    weight = Observation.objects.get(encounter=enc, code="weight")
    assert weight.value == 9.2
    # The old value stays in the history, with who, when and why.
    rows = list(weight.history.order_by("history_date", "history_id"))
    assert [(h.value, h.history_change_reason) for h in rows] == [(5.2, "created"), (9.2, "typo")]
    assert rows[1].history_user_id == district.kader_ampel_timur.pk
    assert rows[1].history_note == "5,2 seharusnya 9,2"
    assert [_wflh_of(h) for h in enc.history.order_by("history_date", "history_id")] == [
        "gizi_buruk",
        "gizi_baik",
    ]
    wflh_screening = Screening.objects.active().get(encounter=enc, instrument="wflh")
    assert wflh_screening.result_code == "gizi_baik"
    event = AuditEvent.objects.get(action="update", object_type="encounter")
    assert event.detail == {"fields": ["weight"], "reason": "typo"}


def _wflh_of(history_row):
    return next(r["class_code"] for r in history_row.results["items"] if r["code"] == "wflh")


def test_a_correction_is_checked_like_recording(district):
    enc = _weigh(district, 9.1)
    with pytest.raises(ValidationFailed) as exc:
        C.encounter_correct(
            actor=district.kader_ampel_timur,
            encounter=enc,
            changes={"weight": 0.1},
            version=1,
            reason=TYPO,
        )
    assert exc.value.fields == {
        "weight": ["Berat badan 0,1 kg tidak mungkin; isi antara 0,3 dan 250 kg."]
    }
    with pytest.raises(ValidationFailed) as exc:
        C.encounter_correct(
            actor=district.kader_ampel_timur,
            encounter=enc,
            changes={"weight": 20.0},
            version=1,
            reason=TYPO,
        )
    assert exc.value.code == "needs_confirmation"
    with pytest.raises(ValidationFailed) as exc:
        C.encounter_correct(
            actor=district.kader_ampel_timur,
            encounter=enc,
            changes={"sbp": 120},
            version=1,
            reason=TYPO,
        )
    assert exc.value.fields == {"sbp": ["Nilai ini tidak tercatat pada pelayanan ini."]}
    enc.refresh_from_db()
    assert (enc.version, enc.values["weight"]) == (1, 9.1)
    assert not enc.history.exists()


def test_a_height_not_measured_is_voided_and_the_results_drop_it(district):
    enc = _weigh(district, 9.1)
    C.encounter_correct(
        actor=district.bidan_ampel,
        encounter=enc,
        changes={"height": None},
        version=1,
        reason=Reason("not_done", "tidak diukur"),
    )
    enc.refresh_from_db()
    codes = {r["code"] for r in enc.results["items"]}
    assert "wfa" in codes and "wflh" not in codes and "lhfa" not in codes
    height = Observation.objects.get(encounter=enc, code="height")
    assert (height.void_reason, height.voided_by_id) == ("not_done", district.bidan_ampel.pk)
    assert list(
        Observation.objects.active().filter(encounter=enc).values_list("code", flat=True)
    ) == ["weight"]
    # The length-based classifications leave the special lists' screenings too.
    assert "wflh" not in set(
        Screening.objects.active().filter(encounter=enc).values_list("instrument", flat=True)
    )
    gone = Screening.objects.get(encounter=enc, instrument="wflh")
    assert (gone.void_reason, gone.voided_by_id) == ("not_done", district.bidan_ampel.pk)


@pytest.mark.parametrize("who", ["kader_ampel_barat", "kader_cemara", "tpcb", "camat_barat"])
def test_only_the_author_or_a_supervisor_corrects_an_encounter(district, who):
    enc = _weigh(district, 5.2)
    with pytest.raises(PermissionDenied):
        C.encounter_correct(
            actor=getattr(district, who),
            encounter=enc,
            changes={"weight": 9.2},
            version=1,
            reason=TYPO,
        )
    enc.refresh_from_db()
    assert (enc.version, _wflh(enc)) == (1, "gizi_buruk")
    assert Observation.objects.get(encounter=enc, code="weight").value == 5.2


def test_another_kader_of_the_same_posyandu_may_not_but_the_pustu_may(district):
    from ilp.accounts.models import User

    colleague = User.objects.create_user(
        username="kader2", role="kader", facility=district.pos_ampel_timur_f
    )
    enc = _weigh(district, 5.2)
    with pytest.raises(PermissionDenied):
        C.encounter_correct(
            actor=colleague, encounter=enc, changes={"weight": 9.2}, version=1, reason=TYPO
        )
    for supervisor in (district.bidan_ampel, district.pkm_barat, district.dinkes):
        enc.refresh_from_db()
        C.encounter_correct(
            actor=supervisor,
            encounter=enc,
            changes={"weight": 9.2 if enc.values["weight"] != 9.2 else 9.3},
            version=enc.version,
            reason=TYPO,
        )
    enc.refresh_from_db()
    assert enc.version == 4


def test_two_correctors_of_one_encounter_conflict(district):
    enc = _weigh(district, 5.2)
    stale = Encounter.objects.get(pk=enc.pk)
    C.encounter_correct(
        actor=district.bidan_ampel, encounter=enc, changes={"weight": 9.2}, version=1, reason=TYPO
    )
    with pytest.raises(EditConflict) as exc:
        C.encounter_correct(
            actor=district.pkm_barat,
            encounter=stale,
            changes={"weight": 9.4},
            version=1,
            reason=TYPO,
        )
    assert exc.value.version == 2
    assert {c.field for c in exc.value.changes} >= {"results", "values"}
    assert Observation.objects.get(encounter=enc, code="weight").value == 9.2


# ---------------------------------------------------------------- voiding encounters


def test_a_voided_encounter_stops_counting(district):
    enc = _weigh(district, 5.2)
    summary = CareSummary.objects.get(person=district.rina)
    assert summary.last_weighed == WEIGHED
    C.encounter_void(
        actor=district.kader_ampel_timur,
        encounter=enc,
        version=1,
        reason=Reason("wrong_person", "ini anak tetangga"),
    )
    enc.refresh_from_db()
    assert enc.void_reason == "wrong_person"
    assert not Observation.objects.active().filter(encounter=enc).exists()
    assert not Screening.objects.active().filter(encounter=enc).exists()
    assert not Task.objects.filter(source_encounter=enc, status=TaskStatus.OPEN).exists()
    summary.refresh_from_db()
    assert summary.last_weighed is None
    assert _gizi(district) == []
    items = compute_worklist(district.pos_ampel_timur_f, on=WEIGHED, kinds=["timbang"])
    assert [(i.person.id, i.item) for i in items if i.person.id == district.rina.pk] == [
        (district.rina.pk, "timbang")
    ]
    with pytest.raises(Conflict):
        C.encounter_void(actor=district.kader_ampel_timur, encounter=enc, version=2, reason=TYPO)


# ---------------------------------------------------------------- doses


def _dose_encounter(district, code, on, lot="B123"):
    return encounter_record(
        actor=district.kader_ampel_timur,
        person=district.rina,
        on=on,
        package="immunization",
        place_kind="posyandu",
        facility=district.pos_ampel_timur_f,
        values={},
        immunizations=[{"dose_code": code, "lot_number": lot, "expiry_date": "2027-01-01"}],
    ).encounter


def _imm_items(district, on):
    items = compute_worklist(district.pos_ampel_timur_f, on=on, kinds=["imunisasi"])
    return {i.item for i in items if i.person.id == district.rina.pk}


def test_void_a_dose_and_it_is_due_again_on_the_list(district):
    for code, on in (
        ("HB0", date(2024, 5, 2)),
        ("BCG", date(2024, 6, 2)),
        ("OPV1", date(2024, 6, 2)),
    ):
        ImmunizationRecord.objects.create(person=district.rina, date=on, dose_code=code)
    summaries_refresh([district.rina.pk])
    _dose_encounter(district, "DPT-HB-Hib 1", date(2024, 7, 2))
    assert "imunisasi:DPT-HB-Hib 1" not in _imm_items(district, date(2024, 7, 20))
    dose = ImmunizationRecord.objects.get(person=district.rina, dose_code="DPT-HB-Hib 1")

    C.dose_void(actor=district.kader_ampel_timur, dose=dose, version=1, reason=Reason("not_done"))

    assert "imunisasi:DPT-HB-Hib 1" in _imm_items(district, date(2024, 7, 20))
    dose.refresh_from_db()
    assert (dose.void_reason, dose.voided_by_id) == ("not_done", district.kader_ampel_timur.pk)
    assert [h.voided_at is None for h in dose.history.order_by("history_date")] == [True, False]


def test_another_kader_cannot_void_a_dose(district):
    enc = _dose_encounter(district, "HB0", date(2024, 5, 2))
    dose = enc.immunizations.get()
    with pytest.raises(PermissionDenied):
        C.dose_void(actor=district.kader_ampel_barat, dose=dose, version=1, reason=TYPO)
    dose.refresh_from_db()
    assert dose.voided_at is None


def test_correct_a_dose_code(district):
    ImmunizationRecord.objects.create(person=district.rina, date=date(2024, 5, 2), dose_code="HB0")
    enc = _dose_encounter(district, "OPV1", date(2024, 7, 2))
    dose = enc.immunizations.get()
    C.dose_correct(
        actor=district.bidan_ampel,
        dose=dose,
        dose_code="BCG",
        given_on=None,
        lot_number="B123",
        expiry_date=date(2027, 1, 1),
        version=1,
        reason=TYPO,
    )
    dose.refresh_from_db()
    assert (dose.dose_code, dose.date, dose.valid, dose.version) == (
        "BCG",
        date(2024, 7, 2),
        True,
        2,
    )
    assert "imunisasi:BCG" not in _imm_items(district, date(2024, 7, 20))
    assert "imunisasi:OPV1" in _imm_items(district, date(2024, 7, 20))


def test_a_dose_from_the_kia_book_needs_no_batch_and_follows_the_schedule(district):
    rina = district.rina
    dose = C.dose_record_from_book(
        actor=district.kader_ampel_timur, person=rina, dose_code="HB0", given_on=date(2024, 5, 3)
    )
    assert (dose.source, dose.lot_number, dose.encounter_id, dose.valid) == (
        DoseSource.KIA_BOOK,
        "",
        None,
        True,
    )
    assert "imunisasi:HB0" not in _imm_items(district, date(2024, 5, 10))
    # Given too early (DPT-HB-Hib 1 before 6 weeks): stored as not valid only once confirmed.
    with pytest.raises(ValidationFailed) as exc:
        C.dose_record_from_book(
            actor=district.kader_ampel_timur,
            person=rina,
            dose_code="DPT-HB-Hib 1",
            given_on=date(2024, 5, 20),
        )
    assert exc.value.code == "needs_confirmation"
    early = C.dose_record_from_book(
        actor=district.kader_ampel_timur,
        person=rina,
        dose_code="DPT-HB-Hib 1",
        given_on=date(2024, 5, 20),
        confirm_invalid=True,
    )
    assert not early.valid
    assert early.invalid_reason_code == "immunization_dose.reason.given_below_min_age"
    assert "imunisasi:DPT-HB-Hib 1" in _imm_items(district, date(2024, 7, 20))
    # Nonsense is refused on its field.
    with pytest.raises(ValidationFailed) as exc:
        C.dose_record_from_book(
            actor=district.kader_ampel_timur,
            person=rina,
            dose_code="HB0",
            given_on=date(2024, 5, 9),
        )
    assert exc.value.fields == {"dose_code": ["Dosis HB0 sudah tercatat pada 03-05-2024."]}
    with pytest.raises(ValidationFailed) as exc:
        C.dose_record_from_book(
            actor=district.kader_ampel_timur,
            person=rina,
            dose_code="BCG",
            given_on=date(2024, 1, 1),
        )
    assert exc.value.fields == {"date": ["Tanggal pemberian sebelum tanggal lahir."]}
    with pytest.raises(ValidationFailed) as exc:
        C.dose_record_from_book(
            actor=district.kader_ampel_timur,
            person=rina,
            dose_code="HPV",
            given_on=date(2024, 6, 1),
        )
    assert exc.value.fields == {"dose_code": ["Jenis/dosis vaksin tidak dikenal."]}
    with pytest.raises(PermissionDenied):
        C.dose_record_from_book(
            actor=district.kader_cemara, person=rina, dose_code="BCG", given_on=date(2024, 6, 1)
        )
