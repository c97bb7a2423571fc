"""Registration pages: family with members, one more member, pregnancy, field checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.people.models import Family, Person, Pregnancy

pytestmark = pytest.mark.django_db

URL = "/keluarga/baru/"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _member(i, **values):
    row = {
        "nik": "",
        "full_name": "",
        "sex": "",
        "birth_date": "",
        "relationship": "",
        "bpjs_number": "",
        "phone": "",
        "disability": "",
    }
    row.update(values)
    return {f"members-{i}-{k}": v for k, v in row.items()}


def _family_post(area, members, **extra):
    data = {
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "2",
        "members-MAX_NUM_FORMS": "30",
        "kk_number": "5271011508200007",
        "village": "",
        "area": str(area.uuid) if area is not None else "",
        "address": "Jl. Melati 5",
    }
    for i, m in enumerate(members):
        data.update(_member(i, **m))
    data.update(extra)
    return data


HEAD = {
    "nik": "5271011708880009",
    "full_name": "Made Wirawan",
    "sex": "M",
    "birth_date": "17-08-1988",
    "relationship": "head",
}
SPOUSE = {
    "nik": "5271015509920011",
    "full_name": "Ni Luh Sari",
    "sex": "F",
    "birth_date": "1992-09-15",
    "relationship": "spouse",
    "bpjs_number": "0001234567890",
    "phone": "081234567890",
}


def _nothing_saved(before_people: int, before_families: int) -> None:
    assert Person.objects.count() == before_people
    assert Family.objects.count() == before_families
    assert not AuditEvent.objects.filter(action="create").exists()


def test_form_page_offers_only_the_users_area(client_for, district):
    body = client_for(district.kader_ampel_timur).get(URL).content.decode()
    assert str(district.rt_ampel_timur.uuid) in body
    assert str(district.rt_ampel_barat.uuid) not in body
    body = client_for(district.bidan_ampel).get(URL).content.decode()
    assert str(district.rt_ampel_barat.uuid) in body
    assert str(district.rt_batu.uuid) not in body


def test_register_family_with_two_members_sets_head(client_for, district):
    client = client_for(district.bidan_ampel)
    response = client.post(URL, _family_post(district.rt_ampel_barat, [HEAD, SPOUSE]))
    family = Family.objects.get(kk_number="5271011508200007")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:family", args=[family.uuid])
    members = {p.full_name: p for p in family.members.all()}
    assert set(members) == {"Made Wirawan", "Ni Luh Sari"}
    assert family.head == members["Made Wirawan"]
    assert (family.rt, family.hamlet, family.village) == (
        district.rt_ampel_barat,
        district.ampel_barat,
        district.ampel,
    )
    assert members["Ni Luh Sari"].birth_date == date(1992, 9, 15)
    assert members["Made Wirawan"].birth_date == date(1988, 8, 17)
    assert members["Ni Luh Sari"].bpjs_number == "0001234567890"
    assert AuditEvent.objects.filter(action="create", user=district.bidan_ampel).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Keluarga dengan 2 anggota tersimpan." in page


def test_blank_extra_rows_are_ignored(client_for, district):
    client = client_for(district.bidan_ampel)
    response = client.post(URL, _family_post(district.rt_ampel_barat, [HEAD, {}, SPOUSE]))
    assert response.status_code == 302
    assert Family.objects.get(kk_number="5271011508200007").members.count() == 2


def test_removed_row_is_not_saved(client_for, district):
    client = client_for(district.bidan_ampel)
    extra = {**SPOUSE, "nik": "12", "DELETE": "on"}
    response = client.post(URL, _family_post(district.rt_ampel_barat, [HEAD, extra]))
    assert response.status_code == 302
    assert Family.objects.get(kk_number="5271011508200007").members.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"nik": "52710117088800"}, "nik", "NIK harus terdiri dari 16 angka."),
        ({"birth_date": "future"}, "birth_date", "Tanggal lahir tidak boleh di masa depan."),
        (
            {"birth_date": "01-01-1890"},
            "birth_date",
            "Umur lebih dari 120 tahun tidak mungkin; periksa tanggal lahir.",
        ),
        ({"birth_date": "31-02-1990"}, "birth_date", "Tanggal tidak valid; tulis sebagai"),
        ({"nik": "5271011203850001"}, "nik", "NIK ini sudah terdaftar untuk penduduk lain."),
    ],
)
def test_bad_member_input_shows_message_on_the_field_and_saves_nothing(
    client_for, district, change, field, message
):
    if change.get("birth_date") == "future":
        change = {"birth_date": (timezone.localdate() + timedelta(days=3)).strftime("%d-%m-%Y")}
    people, families = Person.objects.count(), Family.objects.count()
    client = client_for(district.bidan_ampel)
    response = client.post(URL, _family_post(district.rt_ampel_barat, [HEAD, {**SPOUSE, **change}]))
    assert response.status_code == 200
    row = response.context["formset"].forms[1]
    assert any(message in e for e in row.errors[field]), row.errors
    body = response.content.decode()
    assert "Ni Luh Sari" in body and "Made Wirawan" in body  # nothing typed is lost
    assert 'value="Jl. Melati 5"' in body
    _nothing_saved(people, families)


def test_kk_without_head_is_refused(client_for, district):
    people, families = Person.objects.count(), Family.objects.count()
    response = client_for(district.bidan_ampel).post(
        URL, _family_post(district.rt_ampel_barat, [{**HEAD, "relationship": "child"}, SPOUSE])
    )
    assert response.status_code == 200
    assert (
        "KK belum punya kepala keluarga: tandai satu anggota sebagai kepala keluarga."
        in response.content.decode()
    )
    _nothing_saved(people, families)


def test_malformed_kk_number_is_refused(client_for, district):
    people, families = Person.objects.count(), Family.objects.count()
    response = client_for(district.bidan_ampel).post(
        URL, _family_post(district.rt_ampel_barat, [HEAD, SPOUSE], kk_number="12345")
    )
    assert "Nomor KK harus terdiri dari 16 angka." in response.context["form"].errors["kk_number"]
    _nothing_saved(people, families)


@pytest.mark.parametrize(
    ("persona", "rt"), [("kader_ampel_timur", "rt_ampel_barat"), ("bidan_ampel", "rt_cemara")]
)
def test_area_outside_scope_is_refused(client_for, district, persona, rt):
    people, families = Person.objects.count(), Family.objects.count()
    response = client_for(getattr(district, persona)).post(
        URL, _family_post(getattr(district, rt), [HEAD, SPOUSE])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["area"] == ["Wilayah ini di luar wilayah kerja Anda."]
    _nothing_saved(people, families)


def test_missing_area_is_refused(client_for, district):
    people, families = Person.objects.count(), Family.objects.count()
    response = client_for(district.bidan_ampel).post(URL, _family_post(None, [HEAD, SPOUSE]))
    assert response.context["form"].errors["area"] == ["Pilih wilayah tempat tinggal."]
    _nothing_saved(people, families)


def test_likely_duplicate_is_shown_then_saved_after_confirmation(client_for, district):
    client = client_for(district.bidan_ampel)
    twin = {
        "full_name": "Budi Santosa",
        "sex": "M",
        "birth_date": "12-03-1985",
        "relationship": "head",
    }
    response = client.post(URL, _family_post(district.rt_ampel_barat, [twin]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mungkin sudah terdaftar" in body
    assert "Budi Santoso" in body  # the existing person, in the user's own desa
    assert "Saya sudah memeriksa: ini orang yang berbeda" in body
    assert not Family.objects.filter(kk_number="5271011508200007").exists()
    confirmed = _family_post(district.rt_ampel_barat, [twin], confirm_not_duplicate="on")
    response = client.post(URL, confirmed)
    assert response.status_code == 302
    assert Person.objects.filter(full_name="Budi Santosa").count() == 1


def test_duplicate_outside_scope_is_counted_not_named(client_for, district):
    client = client_for(district.kader_ampel_barat)
    twin = {"full_name": "Budi Santosa", "sex": "M", "birth_date": "12-03-1985"}
    response = client.post(
        URL, _family_post(district.rt_ampel_barat, [{**twin, "relationship": "head"}])
    )
    body = response.content.decode()
    assert "1 penduduk di luar wilayah Anda" in body
    assert "Budi Santoso" not in body


def test_add_row_without_javascript_keeps_what_was_typed(client_for, district):
    response = client_for(district.bidan_ampel).post(
        URL, _family_post(district.rt_ampel_barat, [HEAD, SPOUSE], add_row="1")
    )
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 3
    assert "Made Wirawan" in response.content.decode()
    assert not Family.objects.filter(kk_number="5271011508200007").exists()


def test_add_member_to_existing_family(client_for, district):
    client = client_for(district.kader_ampel_timur)
    url = reverse("people:member_add", args=[district.family_ampel.uuid])
    data = {"full_name": "Bayu Santoso", "sex": "M", "birth_date": "02-01-2025"}
    response = client.post(url, {**data, "relationship": "child"})
    person = Person.objects.get(full_name="Bayu Santoso")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person", args=[person.uuid])
    assert (person.family, person.rt, person.relationship) == (
        district.family_ampel,
        district.rt_ampel_timur,
        "child",
    )


def test_add_member_refuses_future_birth(client_for, district):
    client = client_for(district.kader_ampel_timur)
    url = reverse("people:member_add", args=[district.family_ampel.uuid])
    future = (timezone.localdate() + timedelta(days=1)).strftime("%d-%m-%Y")
    response = client.post(url, {"full_name": "Bayu", "sex": "M", "birth_date": future})
    assert response.context["form"].errors["birth_date"] == [
        "Tanggal lahir tidak boleh di masa depan."
    ]
    assert not Person.objects.filter(full_name="Bayu").exists()


def test_add_member_outside_scope_is_404(client_for, district):
    url = reverse("people:member_add", args=[district.family_ampel.uuid])
    response = client_for(district.kader_cemara).post(
        url, {"full_name": "Bayu", "sex": "M", "birth_date": "01-01-2020"}
    )
    assert response.status_code == 404
    assert not Person.objects.filter(full_name="Bayu").exists()


def test_record_pregnancy_from_lmp(client_for, district):
    lmp = timezone.localdate() - timedelta(days=70)
    url = reverse("people:pregnancy_add", args=[district.siti.uuid])
    response = client_for(district.bidan_ampel).post(
        url, {"lmp": lmp.strftime("%d/%m/%Y"), "edd": "", "gravida": 2, "para": 1, "abortus": 0}
    )
    assert response.status_code == 302
    pregnancy = Pregnancy.objects.get(person=district.siti)
    assert pregnancy.edd == lmp + timedelta(days=280)
    assert (pregnancy.gravida, pregnancy.para, pregnancy.abortus) == (2, 1, 0)


def test_pregnancy_bad_gpa_and_male_are_refused(client_for, district):
    client = client_for(district.bidan_ampel)
    url = reverse("people:pregnancy_add", args=[district.siti.uuid])
    lmp = (timezone.localdate() - timedelta(days=70)).strftime("%d-%m-%Y")
    response = client.post(url, {"lmp": lmp, "gravida": 1, "para": 1, "abortus": 0})
    assert response.context["form"].errors["gravida"] == [
        "G-P-A tidak konsisten: P + A harus lebih kecil dari G."
    ]
    male = reverse("people:pregnancy_add", args=[district.budi.uuid])
    response = client.post(male, {"lmp": lmp, "gravida": 1, "para": 0, "abortus": 0})
    assert "Kehamilan hanya dapat dicatat untuk perempuan." in response.content.decode()
    assert not Pregnancy.objects.exists()


def _check(client, name, data):
    return client.post(
        reverse("people:check_field"),
        data,
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME=name,
    ).content.decode()


def test_field_check_reports_malformed_nik_and_flags(client_for, district):
    client = client_for(district.bidan_ampel)
    assert "NIK harus terdiri dari 16 angka." in _check(
        client, "members-0-nik", {"members-0-nik": "1234"}
    )
    # Well-formed, but the date part says female while the row says male: a warning only.
    answer = _check(
        client,
        "members-0-sex",
        {"members-0-nik": "5271015509920011", "members-0-sex": "M"},
    )
    assert "Tanggal lahir di NIK tidak sesuai jenis kelamin" in answer
    assert 'class="error"' not in answer
    assert "NIK ini sudah terdaftar untuk penduduk lain." in _check(
        client, "nik", {"nik": "5271011203850001"}
    )


def test_field_check_reports_dates(client_for, district):
    client = client_for(district.bidan_ampel)
    future = (timezone.localdate() + timedelta(days=2)).strftime("%d-%m-%Y")
    assert "Tanggal lahir tidak boleh di masa depan." in _check(
        client, "members-1-birth_date", {"members-1-birth_date": future}
    )
    assert "Umur lebih dari 120 tahun" in _check(client, "birth_date", {"birth_date": "1890-01-01"})
    assert "Tanggal tidak valid" in _check(client, "birth_date", {"birth_date": "99-99-2000"})
    assert _check(client, "birth_date", {"birth_date": "12-03-1985"}).strip() == ""


def test_field_check_is_for_registrars_only(client_for, district):
    response = client_for(district.camat_barat).post(
        reverse("people:check_field"), {"nik": "1"}, HTTP_HX_TRIGGER_NAME="nik"
    )
    assert response.status_code == 403


def test_area_options_are_scoped(client_for, district):
    client = client_for(district.pkm_barat)
    body = client.get(reverse("people:area_options"), {"village": str(district.batu.uuid)})
    text = body.content.decode()
    assert str(district.rt_batu.uuid) in text
    assert str(district.rt_ampel_timur.uuid) not in text
    other = client.get(reverse("people:area_options"), {"village": str(district.cemara.uuid)})
    assert str(district.rt_cemara.uuid) not in other.content.decode()
