"""Registration services: validation messages, duplicates, scope, nothing lost on refusal."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.people.models import Family, Person, Pregnancy
from ilp.people.services import (
    DuplicateSuspected,
    PersonData,
    family_register,
    person_register,
    pregnancy_close,
    pregnancy_register,
)


def member(name, sex, birth, rel, nik=""):
    return PersonData(full_name=name, sex=sex, birth_date=birth, relationship=rel, nik=nik)


def test_family_with_two_members(district):
    d = district
    fam = family_register(
        actor=d.kader_ampel_timur,
        kk_number="5271 0101 0120 0009",
        rt=d.rts[(d.ampel_timur.code, 2)],
        address="Jl. Melati 4",
        members=[
            member("Made  Wirawan", "M", date(1992, 1, 10), "head", "5271011001920007"),
            member("Ni Luh Sari", "F", date(1994, 4, 2), "spouse", "5271014204940008"),
            member("Komang Adi", "M", date(2023, 8, 1), "child"),
        ],
    )
    fam.refresh_from_db()
    assert fam.kk_number == "5271010101200009"
    assert fam.head.full_name == "Made Wirawan"
    assert fam.village == d.ampel and fam.hamlet == d.ampel_timur
    members = {p.full_name: p for p in fam.members.all()}
    assert set(members) == {"Made Wirawan", "Ni Luh Sari", "Komang Adi"}
    child = members["Komang Adi"]
    assert child.nik is None and child.local_id.startswith("ILP-")
    assert child.mother == members["Ni Luh Sari"]
    assert members["Made Wirawan"].name_key == "made wirawan"
    assert AuditEvent.objects.filter(action="create", object_type="person").count() == 3


def test_nik_disagreement_is_stored_flagged(district):
    d = district
    p = person_register(
        actor=d.bidan_ampel,
        data=PersonData(
            full_name="Lina", sex="F", birth_date=date(1999, 1, 2), nik="3171011203990001"
        ),
        rt=d.rt_ampel_timur,
    )
    # 3171.. is Jakarta (unknown to this district's places) and encodes a man born 12-03-99.
    assert p.nik_flags == ["region_unknown", "sex_mismatch", "birth_date_mismatch"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            PersonData("Ani", "F", date(2000, 1, 1), nik="12345"),
            "nik",
            "NIK harus terdiri dari 16 angka.",
        ),
        (PersonData("Ani", "F", None), "birth_date", "Tanggal lahir wajib diisi."),
        (
            PersonData("A", "F", date(2000, 1, 1)),
            "full_name",
            "Nama lengkap wajib diisi (minimal 2 huruf).",
        ),
        (
            PersonData("Ani", "X", date(2000, 1, 1)),
            "sex",
            "Jenis kelamin harus L (laki-laki) atau P (perempuan).",
        ),
        (
            PersonData("Ani", "F", date(2000, 1, 1), bpjs_number="12"),
            "bpjs_number",
            "Nomor BPJS harus 13 angka.",
        ),
    ],
)
def test_bad_person_input(district, data, field, message):
    before = Person.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        person_register(actor=district.bidan_ampel, data=data, rt=district.rt_ampel_timur)
    assert exc.value.fields[field] == [message]
    assert Person.objects.count() == before


def test_future_birth_and_age_over_120(district):
    today = timezone.localdate()
    for birth, message in [
        (today + timedelta(days=1), "Tanggal lahir tidak boleh di masa depan."),
        (
            date(today.year - 121, 1, 1),
            "Umur lebih dari 120 tahun tidak mungkin; periksa tanggal lahir.",
        ),
    ]:
        with pytest.raises(ValidationFailed) as exc:
            person_register(
                actor=district.bidan_ampel,
                data=PersonData("Ani", "F", birth),
                rt=district.rt_ampel_timur,
            )
        assert exc.value.fields["birth_date"] == [message]


def test_family_without_head_is_refused_and_nothing_saved(district):
    before = (Family.objects.count(), Person.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        family_register(
            actor=district.bidan_ampel,
            kk_number="5271010101200009",
            rt=district.rt_ampel_timur,
            members=[member("Ani", "F", date(1990, 1, 1), "spouse")],
        )
    assert exc.value.fields["members"] == [
        "KK belum punya kepala keluarga: tandai satu anggota sebagai kepala keluarga."
    ]
    assert (Family.objects.count(), Person.objects.count()) == before


def test_two_heads_refused(district):
    with pytest.raises(ValidationFailed) as exc:
        family_register(
            actor=district.bidan_ampel,
            kk_number="",
            rt=district.rt_ampel_timur,
            members=[
                member("Ani", "F", date(1990, 1, 1), "head"),
                member("Ano", "M", date(1990, 1, 1), "head"),
            ],
        )
    assert exc.value.fields["members"] == ["Satu KK harus punya tepat satu kepala keluarga."]


def test_duplicate_kk_refused(district):
    with pytest.raises(ValidationFailed) as exc:
        family_register(
            actor=district.bidan_ampel,
            kk_number=district.family_ampel.kk_number,
            rt=district.rt_ampel_timur,
            members=[member("Ani", "F", date(1990, 1, 1), "head")],
        )
    assert exc.value.fields["kk_number"] == ["Nomor KK ini sudah terdaftar."]


def test_duplicate_nik_refused(district):
    with pytest.raises(Conflict) as exc:
        person_register(
            actor=district.bidan_ampel,
            data=PersonData("Orang Lain", "M", date(1985, 3, 12), nik=district.budi.nik),
            rt=district.rt_ampel_timur,
        )
    assert exc.value.code == "duplicate_nik"
    assert exc.value.fields["nik"] == ["NIK ini sudah terdaftar untuk penduduk lain."]


def test_similar_name_same_birth_same_desa_asks_confirmation(district):
    d = district
    data = PersonData("Siti Aminnah", "F", date(1990, 7, 21))
    with pytest.raises(DuplicateSuspected) as exc:
        person_register(actor=d.bidan_ampel, data=data, rt=d.rt_ampel_barat)
    assert [p.pk for p in exc.value.candidates[""]] == [d.siti.pk]
    # Different desa, or confirmed: saved.
    p = person_register(
        actor=d.bidan_ampel, data=data, rt=d.rt_ampel_barat, confirm_not_duplicate=True
    )
    assert p.pk


def test_dissimilar_name_is_not_a_duplicate(district):
    d = district
    p = person_register(
        actor=d.bidan_ampel,
        data=PersonData("Putu Agus", "F", date(1990, 7, 21)),
        rt=d.rt_ampel_barat,
    )
    assert p.pk


def test_registration_outside_scope_is_denied(district):
    d = district
    with pytest.raises(PermissionDenied):
        person_register(
            actor=d.kader_ampel_timur,
            data=PersonData("Ani", "F", date(2000, 1, 1)),
            rt=d.rt_ampel_barat,
        )
    for persona in ("tpcb", "ppa", "camat_barat", "norole"):
        with pytest.raises(PermissionDenied):
            person_register(
                actor=getattr(d, persona),
                data=PersonData("Ani", "F", date(2000, 1, 1)),
                rt=d.rt_ampel_barat,
            )


def test_address_must_be_precise(district):
    with pytest.raises(ValidationFailed):
        person_register(
            actor=district.dinkes,
            data=PersonData("Ani", "F", date(2000, 1, 1)),
            village=district.kec_barat,
        )


def test_pregnancy_edd_by_naegele_and_one_at_a_time(district):
    d = district
    lmp = timezone.localdate() - timedelta(days=70)
    preg = pregnancy_register(actor=d.bidan_ampel, person=d.siti, lmp=lmp, gravida=2, para=1)
    assert preg.edd == lmp + timedelta(days=280)
    with pytest.raises(ValidationFailed) as exc:
        pregnancy_register(actor=d.bidan_ampel, person=d.siti, lmp=lmp)
    assert exc.value.fields["person"] == ["Ibu ini masih tercatat sedang hamil."]
    pregnancy_close(
        actor=d.bidan_ampel, pregnancy=preg, outcome="abortion", outcome_date=timezone.localdate()
    )
    assert Pregnancy.objects.get(pk=preg.pk).outcome == "abortion"


def test_pregnancy_bad_input(district):
    d = district
    with pytest.raises(ValidationFailed) as exc:
        pregnancy_register(
            actor=d.bidan_ampel, person=d.budi, lmp=timezone.localdate(), gravida=1, para=1
        )
    assert exc.value.fields["person"] == ["Kehamilan hanya dapat dicatat untuk perempuan."]
    assert exc.value.fields["gravida"] == ["G-P-A tidak konsisten: P + A harus lebih kecil dari G."]
