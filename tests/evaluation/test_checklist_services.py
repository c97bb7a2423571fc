"""Checklists as data: publishing versions (the old ones kept), the example first versions,
a visit taking the current versions, the team's answers (frozen once the visit is done) and
a recommendation citing a checklist item; every refusal with its exact message, audited."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.accounts.models import AuditEvent, Role, User
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.evaluation import services
from ilp.evaluation.checklist_example import EXAMPLE
from ilp.evaluation.models import ChecklistAnswer, ChecklistVersion
from ilp.evaluation.services_checklists import (
    ItemDraft,
    checklist_answer,
    checklist_publish,
    checklist_seed_example,
)

pytestmark = pytest.mark.django_db


def _items(version):
    return [(i.position, i.code, i.text, i.indicator) for i in version.items.all()]


def test_publish_keeps_the_old_version_and_audits(district, checklists):
    v1 = checklists["k2"]
    v2 = checklist_publish(
        user=district.dinkes,
        cluster="k2",
        base=v1,
        items=[
            ItemDraft("2.3", "Alur rujukan tertulis dan dikenal petugas"),
            ItemDraft("2.1", "Register kohort ibu lengkap", "k1"),
            ItemDraft("2.4", "PWS KIA dibahas"),
        ],
        note="2.2 digabung ke 2.1",
    )
    assert (v2.number, v2.note, v2.checklist_id) == (2, "2.2 digabung ke 2.1", v1.checklist_id)
    assert _items(v2) == [
        (1, "2.3", "Alur rujukan tertulis dan dikenal petugas", ""),
        (2, "2.1", "Register kohort ibu lengkap", "k1"),
        (3, "2.4", "PWS KIA dibahas", ""),
    ]
    v1.refresh_from_db()
    assert _items(v1) == [
        (1, "2.1", "Register kohort ibu lengkap", "k1"),
        (2, "2.2", "Buku KIA diisi", ""),
        (3, "2.3", "Alur rujukan tertulis", ""),
    ]
    audit = AuditEvent.objects.get(object_uuid=v2.uuid)
    assert (audit.action, audit.user, audit.detail) == (
        "create",
        district.dinkes,
        {
            "cluster": "k2",
            "number": 2,
            "items": ["2.3", "2.1", "2.4"],
            "retired": ["2.2"],
            "source": "edited",
        },
    )


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([], "Daftar tilik perlu paling sedikit satu butir."),
        ([ItemDraft("  ", "  ")], "Daftar tilik perlu paling sedikit satu butir."),
        ([ItemDraft("1.1", "Lokmin"), ItemDraft("1.2", "  ")], "Butir 1.2: isi butirnya kosong."),
        ([ItemDraft("1.1", "Lokmin"), ItemDraft("", "PWS")], "Butir ke-2: isi nomornya."),
        (
            [ItemDraft("1.1", "A"), ItemDraft("1.2", "B"), ItemDraft("1.1", "C")],
            "Nomor butir dipakai lebih dari sekali: 1.1.",
        ),
        ([ItemDraft("1.1", "A", "tidak_ada")], "Butir 1.1: indikator tidak dikenal."),
        ([ItemDraft("1" * 17, "A")], f"Butir {'1' * 17}: nomor paling panjang 16 huruf."),
    ],
)
def test_bad_items_are_refused(district, items, message):
    with pytest.raises(ValidationFailed) as exc:
        checklist_publish(user=district.dinkes, cluster="k1", base=None, items=items)
    assert exc.value.fields == {"items": [message]}
    assert not ChecklistVersion.objects.exists()


def test_unknown_cluster(district):
    with pytest.raises(ValidationFailed) as exc:
        checklist_publish(
            user=district.dinkes, cluster="k9", base=None, items=[ItemDraft("1", "A")]
        )
    assert exc.value.fields == {"cluster": ["Klaster tidak dikenal."]}


def test_no_change_publishes_nothing(district, checklists):
    v1 = checklists["k1"]
    same = [ItemDraft("1.1", "Lokmin bulanan"), ItemDraft("1.2", "PWS diperbarui")]
    with pytest.raises(ValidationFailed) as exc:
        checklist_publish(user=district.dinkes, cluster="k1", base=v1, items=same)
    assert str(exc.value.message) == "Tidak ada perubahan; versi baru tidak diterbitkan."
    assert v1.checklist.versions.count() == 1


def test_editing_an_old_version_is_refused(district, checklists):
    v1 = checklists["k1"]
    checklist_publish(user=district.dinkes, cluster="k1", base=v1, items=[ItemDraft("1.1", "X")])
    with pytest.raises(Conflict) as exc:
        checklist_publish(
            user=district.dinkes, cluster="k1", base=v1, items=[ItemDraft("1.1", "Y")]
        )
    assert str(exc.value.message) == (
        "Versi 1 bukan versi terbaru (versi 2 sudah terbit); buka versi terbaru lalu ubah lagi."
    )
    # A first version written while another was published: the same refusal.
    with pytest.raises(Conflict):
        checklist_publish(
            user=district.dinkes, cluster="k1", base=None, items=[ItemDraft("1", "Z")]
        )
    assert v1.checklist.versions.count() == 2


def test_a_version_of_another_cluster_is_not_a_base(district, checklists):
    with pytest.raises(ValidationFailed) as exc:
        checklist_publish(
            user=district.dinkes, cluster="k1", base=checklists["k2"], items=[ItemDraft("1", "A")]
        )
    assert str(exc.value.message) == "Versi ini bukan daftar tilik klaster ini."


@pytest.mark.parametrize(
    "who", ["tpcb", "pkm_barat", "bidan_ampel", "kader_ampel_timur", "camat_barat", "ppa", "dpo"]
)
def test_only_the_dinkes_administrator_edits(district, who):
    user = (
        User.objects.create_user(username="dpo", role=Role.DATA_PROTECTION, area=district.city)
        if who == "dpo"
        else getattr(district, who)
    )
    with pytest.raises(PermissionDenied) as exc:
        checklist_publish(user=user, cluster="k1", base=None, items=[ItemDraft("1", "A")])
    assert (
        str(exc.value.message) == "Hanya administrator Dinas Kesehatan yang mengubah daftar tilik."
    )
    with pytest.raises(PermissionDenied):
        checklist_seed_example(user=user)
    assert not ChecklistVersion.objects.exists()


def test_example_fills_only_the_clusters_without_a_checklist(district, checklists):
    published = checklist_seed_example(user=district.dinkes)
    assert sorted(v.checklist.cluster for v in published) == ["k3", "k4", "lintas"]
    for version in published:
        assert (version.number, version.source) == (1, "example")
        assert version.items.count() == len(EXAMPLE[version.checklist.cluster])
    assert checklists["k1"].checklist.versions.count() == 1
    assert checklist_seed_example(user=district.dinkes) == []


def test_the_example_is_valid_data():
    from ilp.accounts.models import Cluster
    from ilp.monitoring.catalogue import load_catalogue

    assert set(EXAMPLE) == set(Cluster.values)
    for rows in EXAMPLE.values():
        codes = [code for code, _text, _ind in rows]
        assert len(codes) == len(set(codes))
        assert all(ind == "" or ind in load_catalogue() for _c, _t, ind in rows)


def test_a_visit_keeps_the_versions_it_took(district, checklists, cl_visit):
    assert set(cl_visit.checklist_versions.all()) == {checklists["k1"], checklists["k2"]}
    v2 = checklist_publish(
        user=district.dinkes, cluster="k1", base=checklists["k1"], items=[ItemDraft("1.1", "X")]
    )
    assert set(cl_visit.checklist_versions.all()) == {checklists["k1"], checklists["k2"]}
    later = services.visit_plan(
        user=district.tpcb,
        team=cl_visit.team,
        puskesmas=district.pkm_barat_f,
        planned_date=date(2026, 4, 2),
        members=[district.tpcb],
    )
    assert set(later.checklist_versions.all()) == {v2, checklists["k2"]}
    audit = AuditEvent.objects.get(object_uuid=later.uuid)
    assert audit.detail["checklists"] == ["k1 v2", "k2 v1"]


def test_a_visit_without_checklists(district, visit):
    assert not visit.checklist_versions.exists()


def _item(version, code):
    return version.items.get(code=code)


def test_answers_are_saved_changed_and_audited(district, checklists, cl_visit):
    item = _item(checklists["k2"], "2.2")
    first = checklist_answer(user=district.tpcb, visit=cl_visit, item=item, answer="no")
    again = checklist_answer(
        user=district.tpcb, visit=cl_visit, item=item, answer="partial", note=" separuh ibu "
    )
    assert first.pk == again.pk
    saved = ChecklistAnswer.objects.get()
    assert (saved.answer, saved.note, saved.created_by, saved.updated_by) == (
        "partial",
        "separuh ibu",
        district.tpcb,
        district.tpcb,
    )
    audits = AuditEvent.objects.filter(object_uuid=saved.uuid).order_by("at", "id")
    assert [(a.action, a.detail["item"], a.detail["answer"]) for a in audits] == [
        ("create", "2.2", "no"),
        ("update", "2.2", "partial"),
    ]


def test_answer_refusals(district, checklists, cl_visit, tpcb_other):
    item = _item(checklists["k1"], "1.1")
    with pytest.raises(ValidationFailed) as exc:
        checklist_answer(user=district.tpcb, visit=cl_visit, item=item, answer="mungkin")
    assert exc.value.fields == {
        "answer": ["Pilih jawaban: ya, sebagian, tidak atau tidak dinilai."]
    }
    newer = checklist_publish(
        user=district.dinkes, cluster="k1", base=checklists["k1"], items=[ItemDraft("1.1", "X")]
    )
    with pytest.raises(ValidationFailed) as exc:
        checklist_answer(user=district.tpcb, visit=cl_visit, item=_item(newer, "1.1"), answer="yes")
    assert exc.value.fields == {"item": ["Butir ini bukan bagian dari daftar tilik kunjungan ini."]}
    for outsider in (tpcb_other, district.pkm_barat):
        with pytest.raises(PermissionDenied):
            checklist_answer(user=outsider, visit=cl_visit, item=item, answer="yes")
    assert not ChecklistAnswer.objects.exists()


def test_a_done_visit_freezes_its_answers(district, checklists, cl_visit):
    item = _item(checklists["k1"], "1.1")
    checklist_answer(user=district.tpcb, visit=cl_visit, item=item, answer="yes")
    services.visit_mark_done(user=district.tpcb, visit=cl_visit)
    with pytest.raises(Conflict) as exc:
        checklist_answer(user=district.tpcb, visit=cl_visit, item=item, answer="no")
    assert (
        str(exc.value.message) == "Kunjungan ini sudah selesai; jawaban daftar tiliknya dibekukan."
    )
    assert ChecklistAnswer.objects.get().answer == "yes"


def _content(**extra):
    fields = {"what": "Lengkapi register", "owner_role": "k2", "due_date": date(2026, 4, 30)}
    return services.RecommendationContent(**(fields | extra))


def test_recommendation_cites_a_checklist_item(district, checklists, cl_visit):
    item = _item(checklists["k2"], "2.1")
    rec = services.recommendation_create(
        user=district.tpcb, visit=cl_visit, content=_content(checklist_item=item)
    )
    # The item alone is reason enough (no indicator, no note).
    assert (rec.checklist_item, rec.indicator, rec.why) == (item, "", "")


def test_recommendation_item_must_be_of_the_visits_checklist(district, visit, checklists, cl_visit):
    # `visit` is planned before any checklist was written: it has none.
    newer = checklist_publish(
        user=district.dinkes, cluster="k2", base=checklists["k2"], items=[ItemDraft("2.1", "X")]
    )
    for bad_visit, item in (
        (cl_visit, _item(newer, "2.1")),
        (visit, _item(checklists["k2"], "2.1")),
    ):
        with pytest.raises(ValidationFailed) as exc:
            services.recommendation_create(
                user=district.tpcb, visit=bad_visit, content=_content(checklist_item=item)
            )
        assert exc.value.fields == {
            "checklist_item": ["Butir ini bukan bagian dari daftar tilik kunjungan ini."]
        }
