"""Recommendations addressed to a cross-sector area: the kecamatan (its camat) or a desa (its
kepala desa) of the visited puskesmas' working area — who may be addressed, who answers, who
reads them, the audit, the database rule of one owner, the tasks page and the home link."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from ilp.accounts.models import AuditEvent
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.evaluation import selectors, services
from ilp.evaluation.models import Recommendation, RecState

pytestmark = pytest.mark.django_db


def _content(area, **over):
    kwargs = {
        "what": "Gerakkan warga ke posyandu",
        "why": "Rapat lintas sektor",
        "owner_area": area,
        "due_date": date(2026, 5, 31),
    }
    kwargs.update(over)
    return services.RecommendationContent(**kwargs)


@pytest.mark.parametrize("area", ["kec_barat", "ampel", "batu"])
def test_the_kecamatan_and_each_desa_of_the_working_area_may_be_addressed(district, visit, area):
    rec = services.recommendation_create(
        user=district.tpcb, visit=visit, content=_content(getattr(district, area))
    )
    rec.refresh_from_db()
    assert (rec.owner_area, rec.owner_role, rec.owner_user) == (getattr(district, area), "", None)
    audit = AuditEvent.objects.get(object_uuid=rec.uuid)
    assert (audit.user, audit.action, audit.object_type) == (
        district.tpcb,
        "create",
        "recommendation",
    )


@pytest.mark.parametrize(
    ("area", "over", "message"),
    [
        (
            "cemara",
            {},
            "Desa/Kelurahan Cemara di luar wilayah kerja puskesmas ini.",
        ),
        ("kec_timur", {}, "Kecamatan Timur di luar wilayah kerja puskesmas ini."),
        (
            "ampel_timur",
            {},
            "Wilayah lintas sektor yang dituju harus kecamatan atau desa/kelurahan.",
        ),
        ("city", {}, "Wilayah lintas sektor yang dituju harus kecamatan atau desa/kelurahan."),
        (
            "ampel",
            {"owner_role": "k2"},
            "Tujukan rekomendasi ke peran/petugas puskesmas atau ke wilayah lintas sektor, "
            "tidak keduanya.",
        ),
        (
            "ampel",
            {"owner_user": "pkm_barat"},
            "Tujukan rekomendasi ke peran/petugas puskesmas atau ke wilayah lintas sektor, "
            "tidak keduanya.",
        ),
    ],
)
def test_an_area_outside_the_working_area_or_with_another_owner(
    district, visit, area, over, message
):
    if "owner_user" in over:
        over["owner_user"] = getattr(district, over["owner_user"])
    with pytest.raises(ValidationFailed) as exc:
        services.recommendation_create(
            user=district.tpcb, visit=visit, content=_content(getattr(district, area), **over)
        )
    assert exc.value.fields == {"owner_area": [message]}
    assert not Recommendation.objects.exists()


def test_the_database_keeps_one_owner(district, rec_desa):
    for change in ({"owner_role": "k2"}, {"owner_user": district.pkm_barat}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Recommendation.objects.filter(pk=rec_desa.pk).update(**change)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(pk=rec_desa.pk).update(owner_area=None)


def test_the_kepala_desa_answers_and_the_team_judges(district, rec_desa):
    services.recommendation_act(
        user=district.kades_ampel, recommendation=rec_desa, action="answer", note="Jadwal RT"
    )
    services.recommendation_act(user=district.tpcb, recommendation=rec_desa, action="accept")
    services.recommendation_act(user=district.tpcb, recommendation=rec_desa, action="verify")
    rec_desa.refresh_from_db()
    assert rec_desa.state == RecState.VERIFIED
    assert list(
        rec_desa.events.values_list("by__username", "action", "from_state", "to_state", "note")
    ) == [
        ("tpcb", "create", "", "open", ""),
        ("kades_ampel", "answer", "open", "answered", "Jadwal RT"),
        ("tpcb", "accept", "answered", "accepted", ""),
        ("tpcb", "verify", "accepted", "verified", ""),
    ]
    audits = AuditEvent.objects.filter(object_uuid=rec_desa.uuid).order_by("at", "id")
    assert [(a.user.username, a.action, a.detail.get("action")) for a in audits] == [
        ("tpcb", "create", None),
        ("kades_ampel", "update", "answer"),
        ("tpcb", "update", "accept"),
        ("tpcb", "update", "verify"),
    ]


def test_the_camat_answers_the_kecamatan_task(district, rec_kec):
    services.recommendation_act(
        user=district.camat_barat, recommendation=rec_kec, action="answer", note="Anggaran 2027"
    )
    rec_kec.refresh_from_db()
    assert rec_kec.state == RecState.ANSWERED


@pytest.mark.parametrize(
    ("task", "who"),
    [
        # The camat follows his desa's tasks but their kepala desa answers them.
        ("rec_desa", "camat_barat"),
        ("rec_desa", "kades_batu"),
        ("rec_desa", "pkm_barat"),
        ("rec_desa", "tpcb"),
        ("rec_desa", "dinkes"),
        ("rec_kec", "kades_ampel"),
        ("rec_kec", "camat_timur"),
        ("rec_kec", "pkm_barat"),
    ],
)
def test_only_the_addressed_official_answers(district, officials, request, task, who):
    rec = request.getfixturevalue(task)
    user = officials.get(who) or getattr(district, who)
    with pytest.raises(PermissionDenied) as exc:
        services.recommendation_act(user=user, recommendation=rec, action="answer", note="x")
    assert str(exc.value.message) == (
        "Hanya camat atau kepala desa yang dituju yang boleh menjawab tugas ini."
    )
    rec.refresh_from_db()
    assert rec.state == RecState.OPEN
    assert not AuditEvent.objects.filter(object_uuid=rec.uuid, action="update").exists()


def test_an_official_never_answers_a_puskesmas_recommendation(district, rec):
    with pytest.raises(PermissionDenied) as exc:
        services.recommendation_act(
            user=district.kades_ampel, recommendation=rec, action="answer", note="x"
        )
    assert str(exc.value.message) == (
        "Hanya staf puskesmas yang dituju yang boleh menjawab rekomendasi ini."
    )


def test_who_reads_which_task(district, officials, rec, rec_desa, rec_kec):
    def read(user):
        return {r.what for r in selectors.recommendations_for(user)}

    all_three = {rec.what, rec_desa.what, rec_kec.what}
    assert read(district.kades_ampel) == {rec_desa.what}
    assert read(district.camat_barat) == {rec_desa.what, rec_kec.what}
    assert read(officials["kades_batu"]) == set()
    assert read(officials["camat_timur"]) == set()
    assert read(district.pkm_barat) == all_three
    assert read(district.tpcb) == all_three
    assert read(district.dinkes) == all_three


def test_action_rights_offer_the_answer_to_the_addressed_official_only(
    district, rec, rec_desa, rec_kec
):
    def offered(user):
        rights = services.ActionRights(user)
        return {r.what: rights.allowed(r) for r in (rec, rec_desa, rec_kec)}

    assert offered(district.kades_ampel) == {
        rec.what: [],
        rec_desa.what: ["answer"],
        rec_kec.what: [],
    }
    assert offered(district.camat_barat) == {
        rec.what: [],
        rec_desa.what: [],
        rec_kec.what: ["answer"],
    }
    assert offered(district.pkm_barat) == {
        rec.what: ["answer"],
        rec_desa.what: [],
        rec_kec.what: [],
    }


def test_an_edit_moves_the_task_to_a_role_and_back(district, rec_desa):
    services.recommendation_update(
        user=district.tpcb,
        recommendation=rec_desa,
        content=_content(None, owner_role="k2"),
    )
    rec_desa.refresh_from_db()
    assert (rec_desa.owner_area, rec_desa.owner_role) == (None, "k2")
    services.recommendation_update(
        user=district.tpcb, recommendation=rec_desa, content=_content(district.batu)
    )
    rec_desa.refresh_from_db()
    assert (rec_desa.owner_area, rec_desa.owner_role) == (district.batu, "")
