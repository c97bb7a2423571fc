"""Corrections of persons, families and pregnancies: who may, what the history keeps, what
follows (search, work lists), edit conflicts, and no hard delete anywhere."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.core.corrections import EditConflict, Reason
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.people import corrections
from ilp.people.corrections import PersonCorrection
from ilp.people.models import Family, Person, Pregnancy
from ilp.people.selectors import person_search
from ilp.people.services import PersonData, person_register, pregnancy_register

pytestmark = pytest.mark.django_db

TYPO = Reason("typo", "nama di KK: Budiman")


def _data(p: Person, **changes) -> PersonCorrection:
    values = {
        "full_name": p.full_name,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "nik": p.nik or "",
        "relationship": p.relationship,
        "bpjs_number": p.bpjs_number,
        "phone": p.phone,
        "birth_place": p.birth_place,
        "disability": p.disability,
    }
    area = changes.pop("area", p.rt or p.hamlet or p.village)
    deceased_on = changes.pop("deceased_on", p.deceased_on)
    values.update(changes)
    return PersonCorrection(
        data=PersonData(**values), area=area, address=p.address, deceased_on=deceased_on
    )


def _rename(actor, person, name, *, version=None, reason=TYPO):
    return corrections.person_correct(
        actor=actor,
        person=person,
        new=_data(person, full_name=name),
        version=person.version if version is None else version,
        reason=reason,
    )


def _registered_by(actor, district, name="Putu Ayu", birth=date(2023, 4, 1)):
    return person_register(
        actor=actor,
        data=PersonData(full_name=name, sex="F", birth_date=birth),
        rt=district.rt_ampel_timur,
        confirm_not_duplicate=True,
    )


# ---------------------------------------------------------------- what a correction keeps


def test_rename_updates_the_search_and_keeps_the_old_name_in_the_history(district):
    kader = district.kader_ampel_timur
    person = _registered_by(kader, district, name="Putu Ayuu")
    created_at = person.created_at

    changed = _rename(kader, person, "Putu Ayu Lestari")

    person.refresh_from_db()
    assert changed == ["full_name"]
    assert (person.full_name, person.name_key, person.version) == (
        "Putu Ayu Lestari",
        "putu ayu lestari",
        2,
    )
    assert [p.pk for p in person_search(kader, "putu ayu les")] == [person.pk]
    assert person_search(kader, "putu ayuu") == []
    rows = list(person.history.order_by("history_date", "history_id"))
    assert [(h.full_name, h.version, h.history_type) for h in rows] == [
        ("Putu Ayuu", 1, "+"),
        ("Putu Ayu Lestari", 2, "~"),
    ]
    baseline, change = rows
    # The baseline is the record as registered: by whom and when.
    assert (baseline.history_user_id, baseline.history_date) == (kader.pk, created_at)
    assert (change.history_user_id, change.history_change_reason, change.history_note) == (
        kader.pk,
        "typo",
        "nama di KK: Budiman",
    )
    assert timezone.now() - change.history_date < timedelta(minutes=1)
    event = AuditEvent.objects.get(action="update", object_type="person")
    assert (event.user_id, event.person_id, event.detail["fields"]) == (
        kader.pk,
        person.pk,
        ["full_name"],
    )


def test_nothing_changed_writes_nothing(district):
    person = district.budi
    assert _rename(district.bidan_ampel, person, "Budi Santoso") == []
    person.refresh_from_db()
    assert person.version == 1
    assert not person.history.exists()


def test_a_correction_checks_the_new_values_like_registration(district):
    person = district.budi
    with pytest.raises(ValidationFailed) as exc:
        corrections.person_correct(
            actor=district.bidan_ampel,
            person=person,
            new=_data(person, nik=district.siti.nik, birth_date=date(2099, 1, 1)),
            version=1,
            reason=TYPO,
        )
    assert exc.value.fields == {
        "birth_date": ["Tanggal lahir tidak boleh di masa depan."],
        "nik": ["NIK ini sudah terdaftar untuk penduduk lain."],
    }
    person.refresh_from_db()
    assert (person.version, person.birth_date) == (1, date(1985, 3, 12))


def test_other_needs_a_note(district):
    from ilp.core.corrections import reason_check

    with pytest.raises(ValidationFailed) as exc:
        reason_check("other", "  ")
    assert exc.value.fields == {"note": ["Tulis keterangan untuk alasan 'Lainnya'."]}
    with pytest.raises(ValidationFailed) as exc:
        reason_check("because", "")
    assert exc.value.fields == {"reason": ["Pilih alasan koreksi."]}


# ---------------------------------------------------------------- who may correct


@pytest.mark.parametrize(
    "who", ["kader_ampel_timur", "bidan_ampel", "pkm_barat", "dinkes"], ids=str
)
def test_the_author_and_her_supervisors_may_correct(district, who):
    person = _registered_by(district.kader_ampel_timur, district)
    _rename(getattr(district, who), person, "Putu Ayu Dewi")
    person.refresh_from_db()
    assert person.full_name == "Putu Ayu Dewi"
    assert person.history.latest().history_user_id == getattr(district, who).pk


@pytest.mark.parametrize(
    "who", ["kader_ampel_barat", "kader_cemara", "tpcb", "camat_barat", "ppa", "norole"]
)
def test_another_kader_and_read_only_roles_are_refused_and_nothing_changes(district, who):
    person = _registered_by(district.kader_ampel_timur, district)
    with pytest.raises(PermissionDenied):
        _rename(getattr(district, who), person, "Siapa Saja")
    person.refresh_from_db()
    assert (person.full_name, person.version) == ("Putu Ayu", 1)
    assert not person.history.exists()
    assert not AuditEvent.objects.filter(action="update").exists()


def test_a_kader_corrects_only_what_she_recorded(district):
    # Budi is in her dusun but was not registered by her.
    with pytest.raises(PermissionDenied) as exc:
        _rename(district.kader_ampel_timur, district.budi, "Budi Santosa")
    assert str(exc.value.message) == (
        "Hanya pencatat atau penyelianya (pustu, puskesmas, dinas kesehatan) yang boleh "
        "mengoreksi data ini."
    )
    district.budi.refresh_from_db()
    assert district.budi.full_name == "Budi Santoso"


def test_a_puskesmas_of_another_area_is_refused(district):
    person = _registered_by(district.kader_ampel_timur, district)
    timur = type(district.pkm_barat).objects.create_user(
        username="pkm_timur", role="puskesmas", facility=district.pkm_timur_f
    )
    with pytest.raises(PermissionDenied):
        _rename(timur, person, "Putu Ayu Dewi")


# ---------------------------------------------------------------- edit conflicts


def test_the_second_editor_gets_a_conflict_with_what_changed_and_nothing_is_lost(district):
    first = Person.objects.get(pk=district.budi.pk)
    second = Person.objects.get(pk=district.budi.pk)  # opened at the same version
    _rename(district.bidan_ampel, first, "Budi Santosa", version=1)

    with pytest.raises(EditConflict) as exc:
        corrections.person_correct(
            actor=district.pkm_barat,
            person=second,
            new=_data(second, phone="081111222333"),
            version=1,
            reason=TYPO,
        )
    conflict = exc.value
    assert conflict.version == 2
    assert [(c.field, c.seen, c.now, c.by) for c in conflict.changes] == [
        ("full_name", "Budi Santoso", "Budi Santosa", "bidan_ampel")
    ]
    stored = Person.objects.get(pk=district.budi.pk)
    assert (stored.full_name, stored.phone, stored.version) == ("Budi Santosa", "", 2)

    # Having seen the change, the second editor saves deliberately over version 2.
    fresh = Person.objects.get(pk=district.budi.pk)
    corrections.person_correct(
        actor=district.pkm_barat,
        person=fresh,
        new=_data(fresh, phone="081111222333"),
        version=conflict.version,
        reason=TYPO,
    )
    stored.refresh_from_db()
    assert (stored.full_name, stored.phone, stored.version) == ("Budi Santosa", "081111222333", 3)


def test_a_stale_copy_cannot_overwrite_even_with_the_right_version_number(district):
    stale = Person.objects.get(pk=district.budi.pk)
    _rename(district.bidan_ampel, Person.objects.get(pk=district.budi.pk), "Budi S.")
    # The caller read the person before the change but claims the new version.
    with pytest.raises(EditConflict):
        _rename(district.pkm_barat, stale, "Budi Santoso Tua", version=2)
    assert Person.objects.get(pk=district.budi.pk).full_name == "Budi S."


# ---------------------------------------------------------------- voiding


def test_a_duplicate_is_voided_not_deleted_and_gives_its_nik_to_the_record_kept(district):
    kader = district.kader_ampel_timur
    twice = person_register(
        actor=kader,
        data=PersonData(full_name="Budi Santoso", sex="M", birth_date=date(1985, 3, 12)),
        rt=district.rt_ampel_timur,
        confirm_not_duplicate=True,
    )
    # The NIK is on the duplicate: void it, then the record kept can carry it.
    Person.objects.filter(pk=twice.pk).update(nik="5271011203850099")
    twice.refresh_from_db()
    corrections.person_void(
        actor=kader,
        person=twice,
        version=1,
        reason=Reason("duplicate", ""),
        duplicate_of=district.budi,
    )
    twice.refresh_from_db()
    assert twice.voided_at is not None
    assert (twice.voided_by_id, twice.void_reason, twice.duplicate_of_id) == (
        kader.pk,
        "duplicate",
        district.budi.pk,
    )
    assert Person.objects.filter(pk=twice.pk).exists()
    assert [p.pk for p in person_search(kader, "budi")] == [district.budi.pk]
    corrections.person_correct(
        actor=district.bidan_ampel,
        person=district.budi,
        new=_data(district.budi, nik="5271011203850099"),
        version=1,
        reason=Reason("new_information", "KTP"),
    )
    with pytest.raises(Conflict) as exc:
        _rename(kader, twice, "Budi Dua", version=2)
    assert exc.value.code == "voided"


def test_a_voided_person_leaves_the_work_list(district):
    from ilp.care.worklists import compute_worklist

    on = date(2025, 6, 1)
    before = {i.person.id for i in compute_worklist(district.pos_ampel_timur_f, on=on)}
    assert district.rina.pk in before
    corrections.person_void(
        actor=district.bidan_ampel,
        person=district.rina,
        version=1,
        reason=Reason("other", "pindah ke luar kota sebelum terdaftar"),
    )
    after = {i.person.id for i in compute_worklist(district.pos_ampel_timur_f, on=on)}
    assert after == before - {district.rina.pk}


# ---------------------------------------------------------------- pregnancies and families


def test_pregnancy_correction_and_void(district):
    today = timezone.localdate()
    preg = pregnancy_register(
        actor=district.bidan_ampel, person=district.siti, lmp=today - timedelta(days=70)
    )
    corrections.pregnancy_correct(
        actor=district.bidan_ampel,
        pregnancy=preg,
        lmp=today - timedelta(days=77),
        edd=None,
        gravida=2,
        para=1,
        abortus=0,
        outcome="ongoing",
        outcome_date=None,
        version=1,
        reason=TYPO,
    )
    preg.refresh_from_db()
    assert (preg.lmp, preg.edd, preg.gravida, preg.version) == (
        today - timedelta(days=77),
        today - timedelta(days=77) + timedelta(days=280),
        2,
        2,
    )
    with pytest.raises(PermissionDenied):
        corrections.pregnancy_void(
            actor=district.kader_ampel_timur, pregnancy=preg, version=2, reason=TYPO
        )
    corrections.pregnancy_void(
        actor=district.pkm_barat, pregnancy=preg, version=2, reason=Reason("wrong_person")
    )
    preg.refresh_from_db()
    assert preg.void_reason == "wrong_person"
    # Voided, the woman may get her real pregnancy recorded.
    pregnancy_register(actor=district.bidan_ampel, person=district.siti, lmp=today)
    assert Pregnancy.objects.active().filter(person=district.siti).count() == 1


def test_family_kk_correction_keeps_history(district):
    family = district.family_ampel
    corrections.family_correct(
        actor=district.bidan_ampel,
        family=family,
        kk_number="5271011203150009",
        area=district.rt_ampel_timur,
        address="Jl. Kenari 2",
        version=1,
        reason=TYPO,
    )
    family.refresh_from_db()
    assert (family.kk_number, family.address, family.version) == (
        "5271011203150009",
        "Jl. Kenari 2",
        2,
    )
    # The fixture's save() of the head was kept too (any save of a stored row is), after the
    # baseline of the family as created.
    rows = family.history.order_by("history_date", "history_id")
    assert [(h.kk_number, h.head_id, h.history_change_reason) for h in rows] == [
        ("5271011203150001", None, "created"),
        ("5271011203150001", district.budi.pk, None),
        ("5271011203150009", district.budi.pk, "typo"),
    ]
    with pytest.raises(PermissionDenied):
        corrections.family_correct(
            actor=district.kader_cemara,
            family=family,
            kk_number="",
            area=district.rt_ampel_timur,
            address="",
            version=2,
            reason=TYPO,
        )
    assert Family.objects.get(pk=family.pk).kk_number == "5271011203150009"


def test_the_family_head_follows_the_relationship(district):
    budi, siti = district.budi, district.siti
    with pytest.raises(ValidationFailed) as exc:
        corrections.person_correct(
            actor=district.bidan_ampel,
            person=siti,
            new=_data(siti, relationship="head"),
            version=1,
            reason=TYPO,
        )
    assert exc.value.fields == {
        "relationship": [
            "KK ini sudah punya kepala keluarga; koreksi dulu data kepala keluarganya."
        ]
    }
    corrections.person_correct(
        actor=district.bidan_ampel,
        person=budi,
        new=_data(budi, relationship="spouse"),
        version=1,
        reason=Reason("new_information", "KK baru"),
    )
    assert Family.objects.get(pk=district.family_ampel.pk).head_id is None
    corrections.person_correct(
        actor=district.bidan_ampel,
        person=siti,
        new=_data(siti, relationship="head"),
        version=1,
        reason=Reason("new_information", "KK baru"),
    )
    assert Family.objects.get(pk=district.family_ampel.pk).head_id == siti.pk
