"""KtP/A screening: the rules (``ilp.standards.ktpa_screening``) applied through the service,
a positive result opening a case with the screener in its circle, who may screen (everyone
else refused and logged), the form's messages and result page, and the monitoring counts
(never the answers; small counts suppressed for cross-sector viewers)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.monitoring.ktpa_screening_family import family_month, ktpa_screening_family
from ilp.protection.models import Case, CaseAssignment, CaseParty
from ilp.protection.models_screening import Screening
from ilp.protection.services_screening import screening_record
from ilp.standards import ktpa_screening as rules

pytestmark = pytest.mark.django_db


def never(**changes: str) -> dict[str, str]:
    answers = {item: rules.WAST_SCALES[item][-1] for item in rules.WAST_ITEMS}
    answers.update(changes)
    return answers


def _post_data(**changes: str) -> dict[str, object]:
    return {"signs": ["dominating_partner"], **never(**changes)}


def url(person) -> str:
    return f"/perlindungan/skrining/{person.uuid}/"


# -- the service ------------------------------------------------------------------------------


def test_all_never_is_negative_and_opens_no_case(district):
    d = district
    s = screening_record(user=d.pkm_barat, person=d.siti, signs=["repeated_sti"], answers=never())
    assert (s.instrument, s.result, s.case) == ("wast", "negative", None)
    assert s.facility == d.pkm_barat_f
    assert s.screened_by == d.pkm_barat
    assert s.answers == never()
    assert s.signs == ["repeated_sti"]
    assert Case.objects.count() == 0
    event = AuditEvent.objects.get(object_type="protection_screening", object_uuid=s.uuid)
    assert (event.action, event.person_id, event.user) == ("create", None, d.pkm_barat)
    assert event.detail["result"] == "negative"
    # never the answers in the audit log
    assert "answers" not in event.detail


def test_sometimes_alone_opens_a_case_with_the_screener_assigned(district):
    d = district
    s = screening_record(
        user=d.pkm_barat,
        person=d.siti,
        signs=["unexplained_injuries"],
        answers=never(emotional_abuse="sometimes"),
    )
    assert s.result == "positive"
    case = s.case
    assert case is not None
    assert case.arrival_route == "screening"
    assert case.officer == d.pkm_barat
    assert case.facility == d.pkm_barat_f
    assert CaseAssignment.objects.filter(case=case, user=d.pkm_barat).exists()
    victim = CaseParty.objects.get(case=case)
    assert (victim.role, victim.person) == ("victim", d.siti)
    assert list(case.screenings.all()) == [s]
    assert AuditEvent.objects.filter(
        object_type="protection_case", object_uuid=case.uuid, action="create"
    ).exists()
    assert not AuditEvent.objects.filter(person_id=d.siti.pk).exists()


@pytest.mark.parametrize("item", rules.WAST_ITEMS)
def test_each_item_above_the_lowest_level_is_positive(district, item):
    d = district
    answer = rules.WAST_SCALES[item][1]  # "some tension", "some difficulty", "sometimes"
    s = screening_record(
        user=d.pkm_barat, person=d.siti, signs=["ptsd_symptoms"], answers=never(**{item: answer})
    )
    assert s.result == "positive"
    assert s.case is not None


def test_pustu_worker_screens_and_is_in_the_circle_of_the_puskesmas_case(district):
    d = district
    s = screening_record(
        user=d.bidan_ampel,
        person=d.siti,
        signs=["injury_in_pregnancy"],
        answers=never(relationship_tension="a_lot_of_tension"),
    )
    assert s.facility == d.pustu_ampel_f
    assert s.case.facility == d.pkm_barat_f
    assert CaseAssignment.objects.filter(case=s.case, user=d.bidan_ampel).exists()


@pytest.mark.parametrize(
    ("category", "opens"),
    [("normal", False), ("possible_abuse", True), ("very_likely_abuse", True)],
)
def test_child_category_two_or_three_opens_a_case(district, category, opens):
    d = district
    s = screening_record(
        user=d.pkm_barat, person=d.rina, signs=["neglect_signs"], child_category=category
    )
    assert s.instrument == "child"
    assert s.child_category == category
    assert s.answers == {}
    assert (s.case is not None) is opens
    assert s.result == ("positive" if opens else "negative")


def _refused(district, **kwargs) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as e:
        screening_record(user=district.pkm_barat, **kwargs)
    assert Screening.objects.count() == 0
    assert Case.objects.count() == 0
    return e.value


def test_missing_or_invalid_answers_refused_on_their_field(district):
    d = district
    answers = never()
    del answers["frightened"]
    e = _refused(d, person=d.siti, signs=["suicide_attempt"], answers=answers)
    assert e.fields == {"frightened": ["Pilih salah satu jawaban."]}
    e = _refused(
        d, person=d.siti, signs=["suicide_attempt"], answers=never(frightened="no_tension")
    )
    assert e.fields == {"frightened": ["Jawaban ini bukan pilihan untuk pertanyaan ini."]}


def test_every_problem_is_told_at_once(district):
    d = district
    answers = never(arguments_hitting="no_tension")
    del answers["relationship_tension"]
    answers["item_9"] = "never"
    e = _refused(d, person=d.siti, signs=[], answers=answers)
    assert set(e.fields) == {"signs", "relationship_tension", "arguments_hitting", "answers"}
    assert e.fields["answers"] == ["Ada jawaban untuk pertanyaan yang tidak dikenal."]
    e = _refused(d, person=d.rina, signs=["no_such_sign"], child_category="4")
    assert e.fields == {
        "signs": ["Tanda ini tidak dikenal untuk skrining ini."],
        "child_category": ["Pilih kategori hasil penilaian anak (Adams)."],
    }


def test_a_sign_is_required_and_must_fit_the_instrument(district):
    d = district
    e = _refused(d, person=d.siti, signs=[], answers=never())
    assert list(e.fields) == ["signs"]
    assert "bukan untuk semua orang" in e.fields["signs"][0]
    e = _refused(d, person=d.siti, signs=["neglect_signs"], answers=never())
    assert e.fields == {"signs": ["Tanda ini tidak dikenal untuk skrining ini."]}


def test_child_needs_a_category(district):
    d = district
    e = _refused(d, person=d.rina, signs=["attachment_problems"], child_category="")
    assert e.fields == {"child_category": ["Pilih kategori hasil penilaian anak (Adams)."]}


def test_adult_man_is_not_screened(district):
    d = district
    e = _refused(d, person=d.budi, signs=["dominating_partner"], answers=never())
    assert list(e.fields) == ["person"]


def test_future_time_refused(district):
    d = district
    e = _refused(
        d,
        person=d.siti,
        signs=["dominating_partner"],
        answers=never(),
        screened_at=timezone.now() + timedelta(hours=2),
    )
    assert e.fields == {"screened_at": ["Waktu skrining tidak boleh di masa depan."]}


@pytest.mark.parametrize("who", ["kader_ampel_timur", "ppa", "camat_barat", "tpcb", "dinkes"])
def test_other_roles_may_not_screen_and_are_logged(district, who):
    d = district
    with pytest.raises(PermissionDenied):
        screening_record(
            user=getattr(d, who), person=d.siti, signs=["ptsd_symptoms"], answers=never()
        )
    assert Screening.objects.count() == 0
    event = AuditEvent.objects.get(object_type="protection_screening", action="denied")
    assert event.person_id is None


def test_person_outside_the_area_refused(district):
    d = district
    with pytest.raises(PermissionDenied):
        screening_record(user=d.pkm_barat, person=d.dewi, signs=["ptsd_symptoms"], answers=never())
    assert AuditEvent.objects.filter(object_type="protection_screening", action="denied").exists()


# -- the pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["kader_ampel_timur", "ppa", "camat_barat", "kades_ampel", "tpcb", "dinkes", "rs_uji"]
)
def test_pages_refused_to_other_roles_with_403_and_logged(client, district, who):
    d = district
    client.force_login(getattr(d, who))
    for path in (url(d.siti), "/perlindungan/skrining/"):
        before = AuditEvent.objects.filter(action="denied", object_type="page").count()
        page = client.get(path)
        assert page.status_code == 403
        assert AuditEvent.objects.filter(action="denied", object_type="page").count() == before + 1
    page = client.post(url(d.siti), _post_data(frightened="often"))
    assert page.status_code == 403
    assert Screening.objects.count() == 0


def test_person_outside_the_area_is_not_found(client, district):
    client.force_login(district.pkm_barat)
    assert client.get(url(district.dewi)).status_code == 404


def test_form_shows_the_questions_and_signs(client, district):
    client.force_login(district.pkm_barat)
    page = client.get(url(district.siti))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Siti Aminah" in text
    assert "Kadang-kadang" in text
    assert "8. Apakah pasangan Anda pernah melakukan kekerasan seksual" in text
    assert 'value="dominating_partner"' in text
    assert 'value="neglect_signs"' not in text  # a child's sign


def test_child_form_asks_the_adams_category(client, district):
    client.force_login(district.bidan_ampel)
    text = client.get(url(district.rina)).content.decode()
    assert 'name="child_category"' in text
    assert 'value="neglect_signs"' in text
    assert 'name="frightened"' not in text


def test_bad_answers_give_the_field_message(client, district):
    client.force_login(district.pkm_barat)
    data = _post_data()
    del data["sexual_abuse"]
    data["frightened"] = "great_difficulty"
    page = client.post(url(district.siti), data)
    assert page.status_code == 422
    errors = page.context["form"].errors
    assert errors == {
        "frightened": ["Jawaban ini bukan pilihan untuk pertanyaan ini."],
        "sexual_abuse": ["Pilih salah satu jawaban."],
    }
    page = client.post(url(district.siti), {**_post_data(), "signs": []})
    assert page.status_code == 422
    assert "bukan untuk semua orang" in page.context["form"].errors["signs"][0]
    assert Screening.objects.count() == 0


def test_positive_result_page_links_the_case(client, district):
    client.force_login(district.pkm_barat)
    page = client.post(url(district.siti), _post_data(arguments_hitting="sometimes"))
    assert page.status_code == 200
    text = page.content.decode()
    s = Screening.objects.get()
    assert 'id="screening-positive"' in text
    assert f"/perlindungan/kasus/{s.case.uuid}/" in text
    assert s.case.number in text


def test_negative_result_page(client, district):
    client.force_login(district.pkm_barat)
    page = client.post(url(district.siti), _post_data())
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="screening-negative"' in text
    assert "/perlindungan/kasus/" not in text


def test_adult_man_page_says_not_applicable(client, district):
    client.force_login(district.pkm_barat)
    page = client.get(url(district.budi))
    assert page.status_code == 200
    assert "orang ini tidak termasuk" in page.content.decode()
    assert "screening-form" not in page.content.decode()


def test_find_lists_persons_of_the_area_with_links(client, district):
    client.force_login(district.pkm_barat)
    text = client.get("/perlindungan/skrining/", {"q": "Siti"}).content.decode()
    assert url(district.siti) in text
    text = client.get("/perlindungan/skrining/", {"q": "Dewi"}).content.decode()
    assert url(district.dewi) not in text


def test_linked_from_the_protection_index_not_from_the_person_page(client, district):
    client.force_login(district.pkm_barat)
    assert "/perlindungan/skrining/" in client.get("/perlindungan/").content.decode()
    screening_record(
        user=district.pkm_barat,
        person=district.siti,
        signs=["dominating_partner"],
        answers=never(physical_abuse="often"),
    )
    person_page = client.get(f"/penduduk/{district.siti.uuid}/").content.decode()
    main = person_page.split('id="main"', 1)[1]  # below the menu (which links the index)
    assert "/perlindungan/" not in main
    assert "KtP/A" not in main
    assert "WAST" not in main


def test_english(client, district):
    from django.conf import settings

    client.force_login(district.pkm_barat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    text = client.get(url(district.siti)).content.decode()
    assert "Sometimes" in text
    assert "Save the screening result" in text


# -- monitoring: counts only -----------------------------------------------------------------


def _last_month_noon():
    today = timezone.localdate()
    first = today.replace(day=1)
    last = first - timedelta(days=1)
    return timezone.make_aware(timezone.datetime(last.year, last.month, 15, 12, 0)), last


def _screen_many(d, n_positive: int, n_negative: int, when) -> None:
    for i in range(n_positive + n_negative):
        answers = never(frightened="often") if i < n_positive else never()
        screening_record(
            user=d.pkm_barat,
            person=d.siti,
            signs=["ptsd_symptoms"],
            answers=answers,
            screened_at=when,
        )


def test_family_counts_by_desa_for_staff(district):
    d = district
    when, last = _last_month_noon()
    _screen_many(d, 2, 5, when)
    screening_record(
        user=d.pkm_barat,
        person=d.rina,
        signs=["neglect_signs"],
        child_category="normal",
        screened_at=when,
    )
    fam = ktpa_screening_family(d.dinkes, d.kec_barat.code, last.year, last.month)
    assert fam is not None
    assert fam.suppressed_reader is False
    rows = {r.name: r.counts for r in fam.rows}
    assert rows == {"Ampel": [7, 2, 1, 0], "Batu": [0, 0, 0, 0]}
    assert fam.total.counts == [7, 2, 1, 0]
    # a puskesmas reads its desa (the total alone), not the kecamatan
    assert ktpa_screening_family(d.pkm_barat, d.kec_barat.code, last.year, last.month) is None
    own = ktpa_screening_family(d.pkm_barat, d.ampel.code, last.year, last.month)
    assert (own.rows, own.total.counts) == ([], [7, 2, 1, 0])
    # another month: nothing
    other = ktpa_screening_family(d.dinkes, d.kec_barat.code, last.year - 1, last.month)
    assert other.total.counts == [0, 0, 0, 0]


def test_family_suppressed_for_cross_sector_and_completed_months_only(district):
    d = district
    when, last = _last_month_noon()
    _screen_many(d, 2, 5, when)
    fam = ktpa_screening_family(d.camat_barat, d.kec_barat.code, last.year, last.month)
    assert fam is not None and fam.suppressed_reader
    rows = {r.name: r.counts for r in fam.rows}
    # 7 screenings shown, 2 positives hidden, and the 5 negatives must not reveal them: the
    # positives are hidden everywhere
    assert rows["Ampel"][1] is None
    assert fam.total.counts[1] is None
    assert fam.any_hidden
    today = timezone.localdate()
    assert family_month(d.camat_barat, today.year, today.month) != (today.year, today.month)
    assert family_month(d.pkm_barat, today.year, today.month) == (today.year, today.month)


@pytest.mark.parametrize("who", ["kader_ampel_timur", "ppa", "norole"])
def test_family_not_for_kader_or_protection(district, who):
    user = getattr(district, who)
    assert ktpa_screening_family(user, district.ampel.code, 2025, 1) is None


def test_summary_page_shows_counts_not_answers(client, district):
    d = district
    when, last = _last_month_noon()
    _screen_many(d, 1, 0, when)
    client.force_login(d.dinkes)
    page = client.get(
        "/pws/ringkasan/", {"area": d.kec_barat.code, "period": f"{last.year:04d}-{last.month:02d}"}
    )
    text = page.content.decode()
    assert 'id="sum-skrining-ktpa"' in text
    assert "often" not in text and "Sering" not in text
    assert "Siti" not in text
