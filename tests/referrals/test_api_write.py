"""``GET /api/v1/referrals/{id}``, ``POST /api/v1/referrals`` and
``POST /api/v1/referrals/{id}/events``: the FHIR-shaped detail, the NIK only for who may see
it, the scope of every role (404 outside it), the audit row, the query cost, every refusal of
a create or a step with its message, and two changes at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ilp.accounts.models import AuditEvent, Role, User
from ilp.referrals import selectors, services
from ilp.referrals.models import END_REASONS, Referral
from ilp.standards import referral as rules
from tests.api.helpers import assert_error, post_json

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals"


def _url(referral, tail: str = "") -> str:
    return f"{URL}/{referral.uuid}{tail}"


def _iso(at) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _user(district, who, **extra):
    if who == "specialist":
        return User.objects.create_user(
            username="sp", password="pw-test-123", role=Role.SPECIALIST, area=district.city
        )
    if who == "dpo":
        return User.objects.create_user(
            username="dpo", password="pw-test-123", role=Role.DATA_PROTECTION, area=district.city
        )
    return extra.get(who) or getattr(district, who)


@pytest.fixture
def to_hospital(district, now):
    """An emergency referral of Siti from Puskesmas Barat to RSUD Kota Uji, 2 hours ago."""
    return services.referral_create(
        user=district.pkm_barat,
        person=district.siti,
        from_facility=district.pkm_barat_f,
        to_facility=district.hospital_f,
        kind="emergency",
        reason="Perdarahan",
        diagnosis_code="O72.0",
        decided_at=now - timedelta(hours=2),
    )


# ---------------------------------------------------------------- GET one


def test_detail_fields(client, district, referral, now):
    client.force_login(district.pkm_barat)
    response = client.get(_url(referral))
    assert response.status_code == 200
    body = response.json()
    event = referral.events.get()
    recorded = parse_datetime(body["history"][0].pop("recorded_at"))
    assert abs(recorded - event.recorded_at) < timedelta(milliseconds=1)
    assert body == {
        "id": str(referral.uuid),
        "person": str(district.siti.uuid),
        "from_facility": "PUSTU-AMPEL",
        "to_facility": "P5271010101",
        "kind": "maternal",
        "state": "created",
        "diagnosis": "O14.1",
        "previous": None,
        "detected_at": _iso(now - timedelta(hours=4)),
        "decided_at": _iso(now - timedelta(hours=3)),
        "departed_at": None,
        "received_at": None,
        "handled_at": None,
        "answered_at": None,
        "closed_at": None,
        "ended_at": None,
        "onward": None,
        "reason": "Tekanan darah 160/110, sakit kepala",
        "care_given": "",
        "transport": "",
        "accompanied_by": "",
        "status": "active",
        "intent": "order",
        "priority": "asap",
        "subject": {
            "type": "Patient",
            "id": str(district.siti.uuid),
            "identifier": {
                "system": "https://fhir.kemkes.go.id/id/nik",
                "value": "5271016107900002",
            },
            "display": "Siti Aminah",
        },
        "requester": {
            "type": "Organization",
            "identifier": {"system": None, "value": "PUSTU-AMPEL"},
            "display": "Pustu Ampel",
        },
        "performer": [
            {
                "type": "Organization",
                "identifier": {"system": None, "value": "P5271010101"},
                "display": "Puskesmas Barat",
            }
        ],
        "reasonCode": [
            {
                "coding": [
                    {
                        "system": "http://hl7.org/fhir/sid/icd-10",
                        "code": "O14.1",
                        "display": "Severe pre-eclampsia",
                    }
                ],
                "text": "Tekanan darah 160/110, sakit kepala",
            }
        ],
        "authoredOn": _iso(now - timedelta(hours=3)),
        "replaces": [],
        "taskStatus": "requested",
        "businessStatus": {
            "coding": [{"system": None, "code": "created", "display": "Dibuat"}],
            "text": "Dibuat",
        },
        "statusReason": None,
        "output": None,
        "history": [
            {
                "action": "create",
                "action_label": "Buat rujukan",
                "from_state": "",
                "to_state": "created",
                "at": _iso(now - timedelta(hours=3)),
                "by": "bidan_ampel",
                "note": "",
                "reason": None,
                "redirect_to": None,
                "onward": None,
            }
        ],
    }
    audit = AuditEvent.objects.filter(object_type="referral", action="view").get()
    assert (audit.person_id, audit.object_uuid, audit.detail) == (
        district.siti.pk,
        referral.uuid,
        {"api": "referral"},
    )


def test_detail_matches_the_list(client, district, referral, now):
    services.referral_act(user=district.bidan_ampel, referral=referral, action="depart")
    client.force_login(district.dinkes)
    (item,) = client.get(URL).json()
    detail = client.get(_url(referral)).json()
    assert {k: detail[k] for k in item} == item


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("dinkes", 200),
        ("pkm_barat", 200),  # receiver
        ("bidan_ampel", 200),  # sender
        ("kader_ampel_timur", 404),  # neither side
        ("pkm_timur", 404),
        ("rs_uji", 404),  # a hospital: only its referrals
        ("tpcb", 403),
        ("ppa", 403),
        ("camat_barat", 403),
        ("kades_ampel", 403),
        ("specialist", 403),
        ("dpo", 403),
        ("norole", 403),
    ],
)
def test_detail_scope_per_role(client, district, referral, pkm_timur, who, status):
    client.force_login(_user(district, who, pkm_timur=pkm_timur))
    response = client.get(_url(referral))
    if status == 200:
        assert response.status_code == 200
        assert response.json()["id"] == str(referral.uuid)
    elif status == 404:
        error = assert_error(response, 404, "not_found")
        assert error["message"] == "Rujukan tidak ditemukan."
        assert not AuditEvent.objects.filter(action="view", object_type="referral").exists()
    else:
        error = assert_error(response, 403, "forbidden")
        assert error["message"] == "Peran Anda tidak dapat membaca rujukan."


def test_hospital_reads_its_referral_and_nothing_else(client, district, referral, to_hospital):
    client.force_login(district.rs_uji)
    assert [r["id"] for r in client.get(URL).json()] == [str(to_hospital.uuid)]
    body = client.get(_url(to_hospital)).json()
    assert body["priority"] == "stat"
    assert body["subject"]["identifier"]["value"] == "5271016107900002"  # the receiver
    assert_error(client.get(_url(referral)), 404, "not_found")
    assert_error(client.get(f"{URL}/not-a-uuid"), 404, "not_found")
    assert client.get(f"/api/v1/persons/{district.siti.uuid}").status_code == 403


def test_nik_hidden_from_a_sender_outside_the_persons_area(client, district, to_hospital):
    services.referral_act(user=district.rs_uji, referral=to_hospital, action="receive")
    back = services.referral_create(
        user=district.rs_uji,
        person=district.siti,
        from_facility=district.hospital_f,
        to_facility=district.pkm_barat_f,
        kind="back",
        reason="Kontrol tekanan darah",
    )
    client.force_login(district.rs_uji)
    subject = client.get(_url(back)).json()["subject"]
    assert subject == {
        "type": "Patient",
        "id": str(district.siti.uuid),
        "identifier": None,
        "display": "Siti Aminah",
    }
    client.force_login(district.pkm_barat)  # the receiver of the back referral
    assert client.get(_url(back)).json()["subject"]["identifier"]["value"] == "5271016107900002"


def test_detail_query_count(client, district, referral, django_assert_num_queries):
    for action, user in (("depart", "bidan_ampel"), ("receive", "pkm_barat")):
        services.referral_act(user=getattr(district, user), referral=referral, action=action)
    client.force_login(district.pkm_barat)
    # session, user, the referral with person and facilities, audit, onward leg, history
    with django_assert_num_queries(6):
        assert len(client.get(_url(referral)).json()["history"]) == 3
    client.force_login(district.bidan_ampel)
    # and the sender's working area and whether it holds the person (for the NIK)
    with django_assert_num_queries(8):
        assert client.get(_url(referral)).status_code == 200


def test_list_query_count(client, district, referral, to_hospital, django_assert_num_queries):
    client.force_login(district.pkm_barat)
    # session, user, the referrals (scope subquery inside), audit
    with django_assert_num_queries(4):
        assert len(client.get(URL).json()) == 2


# ---------------------------------------------------------------- POST a referral


def _new(district, **overrides):
    data = {
        "person": str(district.siti.uuid),
        "from_facility": "PUSTU-AMPEL",
        "to_facility": "P5271010101",
        "kind": "maternal",
        "reason": "Tekanan darah 160/110",
        "diagnosis": "o141",
    }
    data.update(overrides)
    return data


def test_create(client, district, now):
    client.force_login(district.bidan_ampel)
    decided = now - timedelta(hours=1)
    response = post_json(
        client,
        URL,
        _new(
            district,
            detected_at=_iso(now - timedelta(hours=2)),
            decided_at=decided.isoformat(),
            transport="ambulance",
            accompanied_by="midwife",
            care_given="MgSO4",
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get(uuid=body["id"])
    assert (referral.created_by, referral.diagnosis_code, referral.decided_at) == (
        district.bidan_ampel,
        "O14.1",
        decided,
    )
    assert body["state"] == "created"
    assert body["transport"] == "ambulance"
    assert body["history"][0]["action"] == "create"
    assert AuditEvent.objects.filter(object_type="referral", action="create").count() == 1


def test_create_defaults_to_the_callers_facility_and_naive_time_is_local(client, district, now):
    client.force_login(district.bidan_ampel)
    local = timezone.localtime(now - timedelta(hours=1)).replace(tzinfo=None)
    data = _new(district, decided_at=local.isoformat())
    del data["from_facility"]
    response = post_json(client, URL, data)
    assert response.status_code == 201, response.content
    assert response.json()["from_facility"] == "PUSTU-AMPEL"
    assert response.json()["decided_at"] == _iso(now - timedelta(hours=1))


@pytest.mark.parametrize(
    ("who", "source", "status"),
    [
        ("kader_ampel_timur", "POS-AT", 201),
        ("bidan_ampel", "PUSTU-AMPEL", 201),
        ("pkm_barat", "PUSTU-AMPEL", 201),  # its pustu
        ("pkm_barat", "P5271010101", 201),
    ],
)
def test_create_per_sending_role(client, district, who, source, status):
    client.force_login(getattr(district, who))
    target = "RS-UJI" if source == "P5271010101" else "P5271010101"
    response = post_json(client, URL, _new(district, from_facility=source, to_facility=target))
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("dinkes", "Peran Anda tidak boleh membuat rujukan."),
        ("tpcb", "Peran Anda tidak boleh membuat rujukan."),
        ("ppa", "Peran Anda tidak boleh membuat rujukan."),
        ("camat_barat", "Peran Anda tidak boleh membuat rujukan."),
        ("specialist", "Peran Anda tidak boleh membuat rujukan."),
        ("norole", "Peran Anda tidak boleh membuat rujukan."),
        (
            "kader_ampel_barat",
            "Anda tidak bertugas di Pustu Ampel; rujukan dari sana tidak dapat Anda buat.",
        ),
        (
            "pkm_timur",
            "Anda tidak bertugas di Pustu Ampel; rujukan dari sana tidak dapat Anda buat.",
        ),
    ],
)
def test_create_denied(client, district, pkm_timur, who, message):
    client.force_login(_user(district, who, pkm_timur=pkm_timur))
    error = assert_error(post_json(client, URL, _new(district)), 403, "forbidden")
    assert error["message"] == message
    assert not Referral.objects.exists()


def test_hospital_refers_back_only_persons_referred_to_it(client, district, to_hospital):
    client.force_login(district.rs_uji)
    back = _new(district, from_facility="RS-UJI", kind="back", diagnosis="")
    response = post_json(client, URL, back)
    assert response.status_code == 201, response.content
    assert response.json()["subject"]["identifier"] is None
    other = post_json(client, URL, {**back, "person": str(district.dewi.uuid)})
    assert_error(other, 422, "invalid", {"person": ["Penduduk tidak ditemukan di wilayah Anda."]})
    from_elsewhere = post_json(client, URL, {**back, "from_facility": "PUSTU-AMPEL"})
    error = assert_error(from_elsewhere, 403, "forbidden")
    assert error["message"] == (
        "Anda tidak bertugas di Pustu Ampel; rujukan dari sana tidak dapat Anda buat."
    )


def test_create_refusals_per_field(client, district, now):
    client.force_login(district.bidan_ampel)
    cases = [
        (
            {"to_facility": "PUSTU-AMPEL"},
            "to_facility",
            "Rujukan tidak boleh ditujukan ke fasilitas pengirimnya sendiri.",
        ),
        ({"to_facility": "NOPE"}, "to_facility", "Fasilitas dengan kode NOPE tidak dikenal."),
        (
            {"to_facility": "POS-AT"},
            "to_facility",
            "Rujukan hanya dapat ditujukan ke pustu, puskesmas atau rumah sakit.",
        ),
        (
            {"diagnosis": "Q99.99"},
            "diagnosis",
            "Kode ICD-10 Q99.99 tidak dikenal (WHO ICD-10 2019): tulis kategori atau "
            "subkategori, mis. O14.1.",
        ),
        ({"reason": "  "}, "reason", "Tulis alasan merujuk."),
        (
            {"decided_at": _iso(now + timedelta(hours=1))},
            "decided_at",
            "Waktu diputuskan dirujuk tidak boleh di masa depan.",
        ),
        (
            {
                "detected_at": _iso(now - timedelta(hours=1)),
                "decided_at": _iso(now - timedelta(hours=2)),
            },
            "detected_at",
            "Waktu temuan tidak boleh sesudah waktu diputuskan dirujuk.",
        ),
        (
            {"person": str(district.dewi.uuid)},
            "person",
            "Penduduk tidak ditemukan di wilayah Anda.",
        ),
        (
            {"encounter": "4b0f5c3e-0000-4000-8000-000000000000"},
            "encounter",
            "Catatan pelayanan tidak ditemukan di wilayah Anda.",
        ),
        ({"kind": "urgent"}, "kind", None),
        ({"decided_at": "kemarin"}, "decided_at", None),
        ({"surprise": 1}, "surprise", "Isian ini tidak dikenal."),
    ]
    for overrides, field, message in cases:
        response = post_json(client, URL, _new(district, **overrides))
        error = assert_error(response, 422, "invalid")
        assert field in error["fields"], (overrides, error)
        if message is not None:
            assert error["fields"][field] == [message], overrides
    assert error["fields"] == {"surprise": ["Isian ini tidak dikenal."]}
    assert not Referral.objects.exists()


def test_create_schema_messages(client, district):
    client.force_login(district.bidan_ampel)
    error = assert_error(
        post_json(client, URL, _new(district, kind="urgent", decided_at="kemarin")), 422, "invalid"
    )
    assert error["fields"]["kind"] == [
        "Pilihan tidak dikenal; gunakan salah satu dari: emergency, maternal, neonatal, "
        "planned, back."
    ]
    assert error["fields"]["decided_at"] == [
        "Waktu harus berformat ISO 8601, mis. 2026-03-01T08:30:00+08:00."
    ]
    missing = assert_error(post_json(client, URL, {}), 422, "invalid")
    assert missing["fields"]["to_facility"] == ["Wajib diisi."]


def test_create_refuses_inactive_target_and_deceased_person(client, district):
    client.force_login(district.pkm_barat)
    district.hospital_f.is_active = False
    district.hospital_f.save()
    response = post_json(
        client, URL, _new(district, from_facility="P5271010101", to_facility="RS-UJI")
    )
    assert_error(
        response,
        422,
        "invalid",
        {
            "to_facility": [
                "Rumah sakit RSUD Kota Uji tidak aktif lagi; pilih fasilitas tujuan lain."
            ]
        },  # noqa: E501
    )
    district.siti.deceased_on = timezone.localdate() - timedelta(days=1)
    district.siti.save()
    error = assert_error(post_json(client, URL, _new(district)), 422, "invalid")
    assert error["fields"]["person"][0].startswith("Siti Aminah tercatat meninggal pada ")


def test_create_message_in_english(client, district):
    client.force_login(district.bidan_ampel)
    response = post_json(
        client, URL, _new(district, to_facility="PUSTU-AMPEL"), HTTP_ACCEPT_LANGUAGE="en"
    )
    error = assert_error(response, 422, "invalid")
    assert error["fields"]["to_facility"] == [
        "A referral cannot be addressed to the facility that sends it."
    ]


# ---------------------------------------------------------------- POST a step


def _step(client, referral, action, **data):
    return post_json(client, _url(referral, "/events"), {"action": action, **data})


def test_hospital_system_receives_handles_and_answers(client, district, to_hospital, now):
    client.force_login(district.rs_uji)
    for action, hours in (("receive", 1.5), ("handle", 1)):
        at = _iso(now - timedelta(hours=hours))
        response = _step(client, to_hospital, action, at=at, note="IGD")
        assert response.status_code == 200, response.content
    response = _step(
        client,
        to_hospital,
        "answer",
        expected_state="handled",
        answer={
            "diagnosis": "o720",
            "care": "Uterotonika, transfusi",
            "advice": "Kontrol Hb",
            "back_referral_plan": "Kontrol ke puskesmas 1 minggu",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["status"], body["taskStatus"]) == (
        "answered",
        "completed",
        "completed",
    )
    assert body["output"] == {
        "diagnosis": {
            "coding": [
                {
                    "system": "http://hl7.org/fhir/sid/icd-10",
                    "code": "O72.0",
                    "display": "Third-stage haemorrhage",
                }
            ],
            "text": "Third-stage haemorrhage",
        },
        "care": "Uterotonika, transfusi",
        "advice": "Kontrol Hb",
        "back_referral_plan": "Kontrol ke puskesmas 1 minggu",
    }
    assert [(h["action"], h["from_state"], h["to_state"], h["by"]) for h in body["history"]] == [
        ("create", "", "created", "pkm_barat"),
        ("receive", "created", "received", "rs_uji"),
        ("handle", "received", "handled", "rs_uji"),
        ("answer", "handled", "answered", "rs_uji"),
    ]
    assert body["history"][1]["at"] == _iso(now - timedelta(hours=1.5))
    assert body["history"][1]["note"] == "IGD"
    # the sender closes it
    client.force_login(district.pkm_barat)
    body = _step(client, to_hospital, "close").json()
    assert (body["state"], body["status"], body["taskStatus"]) == (
        "closed",
        "completed",
        "completed",
    )


def test_redirect_opens_an_onward_leg(client, district, referral):
    client.force_login(district.pkm_barat)
    body = _step(
        client, referral, "redirect", redirect_to="RS-UJI", reason="no_competence", note="SpOG"
    ).json()
    onward = Referral.objects.get(previous=referral)
    assert (body["state"], body["status"], body["taskStatus"]) == (
        "redirected",
        "revoked",
        "rejected",
    )
    assert body["onward"] == str(onward.uuid)
    assert body["statusReason"] == {
        "coding": [
            {
                "system": None,
                "code": "no_competence",
                "display": "Tidak ada dokter/kompetensi yang dibutuhkan",
            }
        ],
        "text": "SpOG",
    }
    assert body["history"][-1]["redirect_to"] == "RS-UJI"
    assert body["history"][-1]["onward"] == str(onward.uuid)
    client.force_login(district.rs_uji)
    leg = client.get(_url(onward)).json()
    assert (leg["previous"], leg["replaces"], leg["from_facility"]) == (
        str(referral.uuid),
        [str(referral.uuid)],
        "PUSTU-AMPEL",
    )


def test_cancel_as_wrong_entry_is_entered_in_error(client, district, referral):
    client.force_login(district.bidan_ampel)
    body = _step(client, referral, "cancel", reason="wrong_entry").json()
    assert (body["status"], body["taskStatus"]) == ("entered-in-error", "entered-in-error")


@pytest.mark.parametrize(
    ("who", "action", "message"),
    [
        (
            "bidan_ampel",
            "receive",
            "Hanya petugas Puskesmas Barat (penerima rujukan ini) yang boleh melakukan tindakan "
            "\u201cTerima pasien\u201d.",
        ),
        (
            "dinkes",
            "receive",
            "Hanya petugas Puskesmas Barat (penerima rujukan ini) yang boleh melakukan tindakan "
            "\u201cTerima pasien\u201d.",
        ),
        (
            "dinkes",
            "depart",
            "Hanya petugas Pustu Ampel (pengirim rujukan ini) yang boleh melakukan tindakan "
            "\u201cCatat keberangkatan\u201d.",
        ),
    ],
)
def test_step_by_the_wrong_side(client, district, referral, who, action, message):
    client.force_login(getattr(district, who))
    error = assert_error(_step(client, referral, action), 403, "forbidden")
    assert error["message"] == message
    assert referral.events.count() == 1


def test_answer_from_a_hospital_that_did_not_receive_it(client, district, referral, to_hospital):
    services.referral_act(user=district.rs_uji, referral=to_hospital, action="receive")
    back = services.referral_create(
        user=district.rs_uji,
        person=district.siti,
        from_facility=district.hospital_f,
        to_facility=district.pkm_barat_f,
        kind="back",
        reason="Kontrol",
    )
    Referral.objects.filter(pk=back.pk).update(state="handled")
    client.force_login(district.rs_uji)  # the sender of the back referral, not its receiver
    error = assert_error(_step(client, back, "answer", answer={"care": "x"}), 403, "forbidden")
    assert error["message"] == (
        "Hanya petugas Puskesmas Barat (penerima rujukan ini) yang boleh melakukan tindakan "
        "\u201cKirim jawaban\u201d."
    )
    # and a referral it cannot see is not found at all
    assert_error(_step(client, referral, "answer", answer={"care": "x"}), 404, "not_found")


@pytest.mark.parametrize("who", ["tpcb", "ppa", "camat_barat", "specialist", "norole"])
def test_step_denied_to_roles_without_referrals(client, district, referral, who):
    client.force_login(_user(district, who))
    error = assert_error(_step(client, referral, "receive"), 403, "forbidden")
    assert error["message"] == "Peran Anda tidak dapat membaca rujukan."


STATE_LABELS = {
    "created": "Dibuat",
    "departed": "Berangkat",
    "received": "Diterima",
    "handled": "Ditangani",
    "answered": "Dijawab",
    "closed": "Ditutup",
    "refused": "Ditolak",
    "redirected": "Dialihkan",
    "cancelled": "Dibatalkan",
    "not_arrived": "Tidak datang",
}
ACTION_LABELS = {
    "depart": "Catat keberangkatan",
    "receive": "Terima pasien",
    "handle": "Mulai tangani",
    "answer": "Kirim jawaban",
    "close": "Tutup rujukan",
    "refuse": "Tolak",
    "redirect": "Alihkan",
    "cancel": "Batalkan",
    "not_arrive": "Pasien tidak datang",
}


def _actor(district, action):
    return district.bidan_ampel if rules.side_of(action) == "sender" else district.pkm_barat


def test_every_invalid_transition_refused(client, district, referral):
    refused = 0
    for state in rules.STATES:
        Referral.objects.filter(pk=referral.pk).update(state=state)
        for action in rules.ACTIONS:
            if rules.next_state(state, action) is not None:
                continue
            client.force_login(_actor(district, action))
            ending = {"reason": "other", "note": "x"} if action in END_REASONS else {}
            response = _step(client, referral, action, **ending)
            if state in rules.TERMINAL:
                error = assert_error(response, 409, "referral_ended")
                assert error["message"] == (
                    f"Rujukan ini sudah berakhir ({STATE_LABELS[state]}) dan tidak dapat "
                    "diubah lagi."
                )
            else:
                allowed = ", ".join(
                    STATE_LABELS[s] for s in rules.STATES if s in rules.TRANSITIONS[action][0]
                )
                error = assert_error(response, 409, "invalid_transition")
                assert error["message"] == (
                    f"Tindakan \u201c{ACTION_LABELS[action]}\u201d tidak dapat dilakukan pada "
                    f"rujukan berstatus {STATE_LABELS[state]}; hanya dari status: {allowed}."
                )
            refused += 1
    assert refused == sum(
        1 for s in rules.STATES for a in rules.ACTIONS if rules.next_state(s, a) is None
    )
    assert referral.events.count() == 1


def test_step_refusals_per_field(client, district, referral, now):
    client.force_login(district.pkm_barat)
    future = _step(client, referral, "receive", at=_iso(now + timedelta(minutes=5)))
    assert_error(future, 422, "invalid", {"at": ["Waktu kejadian tidak boleh di masa depan."]})
    early = _step(client, referral, "receive", at=_iso(now - timedelta(hours=5)))
    error = assert_error(early, 422, "invalid")
    assert error["fields"]["at"][0].startswith(
        "Waktu kejadian tidak boleh sebelum waktu diputuskan"
    )
    no_reason = _step(client, referral, "refuse")
    assert_error(no_reason, 422, "invalid", {"reason": ["Pilih alasannya dari daftar."]})
    wrong_reason = _step(client, referral, "refuse", reason="died")
    assert_error(wrong_reason, 422, "invalid", {"reason": ["Pilih alasannya dari daftar."]})
    other = _step(client, referral, "refuse", reason="other")
    assert_error(
        other, 422, "invalid", {"note": ["Alasan \u201cLainnya\u201d perlu dijelaskan di catatan."]}
    )
    nowhere = _step(client, referral, "redirect", reason="no_bed", redirect_to="NOPE")
    assert_error(
        nowhere, 422, "invalid", {"redirect_to": ["Fasilitas dengan kode NOPE tidak dikenal."]}
    )
    unknown = _step(client, referral, "fly")
    assert "action" in assert_error(unknown, 422, "invalid")["fields"]
    Referral.objects.filter(pk=referral.pk).update(state="handled")
    no_care = _step(client, referral, "answer")
    assert_error(no_care, 422, "invalid", {"answer.care": ["Tulis tindakan yang diberikan."]})
    bad_code = _step(client, referral, "answer", answer={"care": "x", "diagnosis": "Q99.99"})
    assert list(assert_error(bad_code, 422, "invalid")["fields"]) == ["answer.diagnosis"]
    assert referral.events.count() == 1


def test_expected_state_no_longer_current(client, district, referral):
    services.referral_act(user=district.bidan_ampel, referral=referral, action="depart")
    client.force_login(district.pkm_barat)
    response = _step(client, referral, "receive", expected_state="created")
    error = assert_error(response, 409, "state_changed")
    assert error["message"] == (
        "Rujukan ini sudah diubah: statusnya sekarang Berangkat, bukan Dibuat; baca lagi "
        "rujukannya lalu putuskan."
    )
    assert Referral.objects.get(pk=referral.pk).state == "departed"


def test_two_answers_at_once_one_wins(client, district, referral, monkeypatch):
    """The state changes between the API's read and its write: the conditional UPDATE
    refuses the second answer with 409, and the first one stays."""
    Referral.objects.filter(pk=referral.pk).update(state="handled")
    read = selectors.referral_get

    def read_then_someone_answers(user, uuid):
        found = read(user, uuid)
        services.referral_act(
            user=district.pkm_barat,
            referral=Referral.objects.get(pk=found.pk),
            action="answer",
            answer_care="Pertama",
        )
        return found

    monkeypatch.setattr(selectors, "referral_get", read_then_someone_answers)
    client.force_login(district.pkm_barat)
    response = _step(client, referral, "answer", answer={"care": "Kedua"})
    error = assert_error(response, 409, "state_changed")
    assert error["message"] == (
        "Rujukan ini baru saja diubah oleh petugas lain (statusnya sekarang Dijawab); muat "
        "ulang halaman dan periksa lagi."
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.answer_care == "Pertama"
    assert list(stored.events.values_list("action", flat=True)) == ["create", "answer"]


def test_step_message_in_english(client, district, referral):
    client.force_login(district.pkm_barat)
    response = post_json(
        client,
        _url(referral, "/events"),
        {"action": "answer", "answer": {"care": "x"}},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    error = assert_error(response, 409, "invalid_transition")
    assert error["message"].startswith("The action")


def test_state_changed_in_english(client, district, referral):
    services.referral_act(user=district.bidan_ampel, referral=referral, action="depart")
    client.force_login(district.pkm_barat)
    response = post_json(
        client,
        _url(referral, "/events"),
        {"action": "receive", "expected_state": "created"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    error = assert_error(response, 409, "state_changed")
    assert error["message"].startswith("This referral has changed: its status is now ")


def test_fields_of_another_action_refused_not_dropped(client, district, referral):
    client.force_login(district.pkm_barat)
    response = _step(
        client, referral, "receive", answer={"care": "x"}, redirect_to="RS-UJI", reason="no_bed"
    )
    assert_error(
        response,
        422,
        "invalid",
        {
            "answer": ["Isian ini hanya untuk tindakan: answer."],
            "redirect_to": ["Isian ini hanya untuk tindakan: redirect."],
            "reason": ["Isian ini hanya untuk tindakan: refuse, redirect, cancel, not_arrive."],
        },
    )
    assert Referral.objects.get(pk=referral.pk).state == "created"


def test_kader_sends_and_the_pustu_receives(client, district):
    client.force_login(district.kader_ampel_timur)
    data = _new(district, from_facility="POS-AT", to_facility="PUSTU-AMPEL", kind="planned")
    response = post_json(client, URL, data)
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(uuid=response.json()["id"])
    assert _step(client, referral, "depart").json()["state"] == "departed"
    error = assert_error(_step(client, referral, "receive"), 403, "forbidden")
    assert error["message"] == (
        "Hanya petugas Pustu Ampel (penerima rujukan ini) yang boleh melakukan tindakan "
        "\u201cTerima pasien\u201d."
    )
    client.force_login(district.bidan_ampel)
    body = _step(client, referral, "receive", expected_state="departed").json()
    shown = (body["state"], body["taskStatus"], body["priority"])
    assert shown == ("received", "received", "routine")
    client.force_login(district.kader_ampel_timur)
    assert client.get(_url(referral)).json()["state"] == "received"
