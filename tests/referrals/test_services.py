"""Referral services: creation and its refusals, every step and its refusals (order, side,
time, reasons), the answer race, the redirect's onward leg, history and audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import formats, timezone

from ilp.accounts.models import AuditEvent
from ilp.care.models import Encounter
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.referrals import services
from ilp.referrals.models import Referral, ReferralEvent
from ilp.standards import referral as rules
from tests.referrals import flagged_encounter

pytestmark = pytest.mark.django_db


def _create(district, **overrides):
    values = {
        "user": district.bidan_ampel,
        "person": district.siti,
        "from_facility": district.pustu_ampel_f,
        "to_facility": district.pkm_barat_f,
        "kind": "maternal",
        "reason": "Perdarahan",
    }
    values.update(overrides)
    return services.referral_create(**values)


def _refused(exc_type, call, *args, **kwargs):
    """Run `call`, expect `exc_type`; return (message, fields)."""
    with pytest.raises(exc_type) as caught:
        call(*args, **kwargs)
    return str(caught.value.message), caught.value.fields


# ---------------------------------------------------------------- create


def test_create_stores_codes_event_and_audit(district, now):
    encounter = flagged_encounter(
        district.siti, district.pustu_ampel_f, date(2026, 3, 1), place_kind="pustu"
    )
    referral = _create(
        district,
        diagnosis_code=" o141 ",
        encounter=encounter,
        detected_at=now - timedelta(minutes=50),
        decided_at=now - timedelta(minutes=20),
        care_given="MgSO4 4 g IV",
        transport="ambulance",
        accompanied_by="midwife",
    )
    referral.refresh_from_db()
    assert referral.diagnosis_code == "O14.1"
    assert referral.state == "created"
    assert referral.trigger_alerts == encounter.alerts
    assert referral.detected_at == now - timedelta(minutes=50)
    assert referral.decided_at == now - timedelta(minutes=20)
    assert [(e.action, e.from_state, e.to_state, e.by_id) for e in referral.events.all()] == [
        ("create", "", "created", district.bidan_ampel.pk)
    ]
    audit = AuditEvent.objects.get(object_type="referral", action="create")
    assert audit.person_id == district.siti.pk
    assert audit.detail == {
        "from": "PUSTU-AMPEL",
        "to": "P5271010101",
        "kind": "maternal",
        "diagnosis": "O14.1",
        "encounter": str(encounter.uuid),
    }


def test_create_defaults_times_to_now(district):
    before = timezone.now()
    referral = _create(district)
    assert before <= referral.decided_at <= timezone.now()
    assert referral.detected_at == referral.decided_at


def test_kader_refers_from_her_posyandu(district):
    referral = _create(
        district,
        user=district.kader_ampel_timur,
        from_facility=district.pos_ampel_timur_f,
        to_facility=district.pustu_ampel_f,
        kind="neonatal",
        person=district.rina,
    )
    assert referral.from_facility == district.pos_ampel_timur_f


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"to_facility": "pustu_ampel_f"},
            "to_facility",
            "Rujukan tidak boleh ditujukan ke fasilitas pengirimnya sendiri.",
        ),
        ({"to_facility": None}, "to_facility", "Pilih fasilitas tujuan rujukan."),
        (
            {"to_facility": "pos_ampel_barat_f"},
            "to_facility",
            "Rujukan hanya dapat ditujukan ke pustu, puskesmas atau rumah sakit.",
        ),
        ({"kind": "urgent"}, "kind", "Pilih jenis rujukan."),
        ({"reason": "  "}, "reason", "Tulis alasan merujuk."),
        (
            {"diagnosis_code": "O99.99"},
            "diagnosis_code",
            "Kode ICD-10 O99.99 tidak dikenal (WHO ICD-10 2019): tulis kategori atau "
            "subkategori, mis. O14.1.",
        ),
        (
            {"diagnosis_code": "XV"},
            "diagnosis_code",
            "Kode ICD-10 XV tidak dikenal (WHO ICD-10 2019): tulis kategori atau "
            "subkategori, mis. O14.1.",
        ),
        ({"transport": "helicopter"}, "transport", "Pilih transportasi dari daftar."),
        ({"accompanied_by": "police"}, "accompanied_by", "Pilih pendamping dari daftar."),
    ],
)
def test_create_refusals(district, overrides, field, message):
    for key, value in list(overrides.items()):
        if isinstance(value, str) and hasattr(district, value):
            overrides[key] = getattr(district, value)
    got, fields = _refused(ValidationFailed, _create, district, **overrides)
    assert (got, fields) == (message, {field: [message]})
    assert not Referral.objects.exists()


def test_create_to_inactive_facility(district):
    district.hospital_f.is_active = False
    district.hospital_f.save()
    message = "Rumah sakit RSUD Kota Uji tidak aktif lagi; pilih fasilitas tujuan lain."
    assert _refused(ValidationFailed, _create, district, to_facility=district.hospital_f) == (
        message,
        {"to_facility": [message]},
    )


def test_create_for_a_deceased_person(district):
    district.siti.deceased_on = date(2026, 2, 3)
    district.siti.save()
    message = "Siti Aminah tercatat meninggal pada 3 Feb. 2026; rujukan tidak dapat dibuat."
    assert _refused(ValidationFailed, _create, district) == (message, {"person": [message]})


def test_create_times_in_the_future_or_reversed(district, now):
    later = timezone.now() + timedelta(minutes=5)
    message = "Waktu diputuskan dirujuk tidak boleh di masa depan."
    assert _refused(ValidationFailed, _create, district, decided_at=later) == (
        message,
        {"decided_at": [message]},
    )
    message = "Waktu temuan tidak boleh di masa depan."
    assert _refused(ValidationFailed, _create, district, detected_at=later) == (
        message,
        {"detected_at": [message]},
    )
    message = "Waktu temuan tidak boleh sesudah waktu diputuskan dirujuk."
    assert _refused(
        ValidationFailed,
        _create,
        district,
        detected_at=now - timedelta(minutes=1),
        decided_at=now - timedelta(minutes=2),
    ) == (message, {"detected_at": [message]})


def test_create_with_anothers_encounter(district):
    encounter = Encounter.objects.create(
        person=district.budi,
        date=date(2026, 3, 1),
        place_kind="pustu",
        facility=district.pustu_ampel_f,
        cluster="k3",
        package="adult",
    )
    message = "Pelayanan pemicu bukan pelayanan orang ini."
    assert _refused(ValidationFailed, _create, district, encounter=encounter) == (
        message,
        {"encounter": [message]},
    )


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("dinkes", "Peran Anda tidak boleh membuat rujukan."),
        ("tpcb", "Peran Anda tidak boleh membuat rujukan."),
        ("ppa", "Peran Anda tidak boleh membuat rujukan."),
        ("camat_barat", "Peran Anda tidak boleh membuat rujukan."),
        ("norole", "Peran Anda tidak boleh membuat rujukan."),
        (
            "kader_ampel_barat",
            "Anda tidak bertugas di Pustu Ampel; rujukan dari sana tidak dapat Anda buat.",
        ),
        (
            "kader_cemara",
            "Anda tidak bertugas di Pustu Ampel; rujukan dari sana tidak dapat Anda buat.",
        ),
        (
            "pkm_timur",
            "Anda tidak bertugas di Pustu Ampel; rujukan dari sana tidak dapat Anda buat.",
        ),
    ],
)
def test_create_denied_per_role(district, pkm_timur, who, message):
    user = pkm_timur if who == "pkm_timur" else getattr(district, who)
    assert _refused(PermissionDenied, _create, district, user=user)[0] == message
    assert not Referral.objects.exists()


def test_create_for_a_person_out_of_scope(district):
    # the pustu midwife of Ampel records at Pustu Ampel, but Dewi lives in Cemara
    message = "Penduduk ini di luar wilayah kerja Anda."
    assert _refused(PermissionDenied, _create, district, person=district.dewi)[0] == message


def test_the_puskesmas_refers_from_its_pustu(district):
    referral = _create(district, user=district.pkm_barat, to_facility=district.hospital_f)
    assert referral.created_by == district.pkm_barat


# ---------------------------------------------------------------- the main path


def _path(district, referral, now):
    steps = [
        (district.bidan_ampel, "depart", {}),
        (district.pkm_barat, "receive", {}),
        (district.pkm_barat, "handle", {}),
        (
            district.pkm_barat,
            "answer",
            {
                "answer_diagnosis_code": "O14.1",
                "answer_care": "Dirawat, MgSO4",
                "answer_advice": "Kontrol tiap minggu",
                "back_referral_plan": "ANC di pustu tiap minggu",
            },
        ),
        (district.bidan_ampel, "close", {}),
    ]
    minutes = [-150, -100, -90, -30, -10]
    for (user, action, extra), offset in zip(steps, minutes, strict=True):
        referral = services.referral_act(
            user=user,
            referral=referral,
            action=action,
            occurred_at=now + timedelta(minutes=offset),
            **extra,
        )
    return referral


def test_full_path_with_times_delays_and_history(district, referral, now):
    referral = _path(district, referral, now)
    assert referral.state == "closed"
    assert referral.answer_diagnosis_code == "O14.1"
    assert referral.back_referral_plan == "ANC di pustu tiap minggu"
    assert rules.delays(referral.stamps()) == {
        "detection_decision": timedelta(hours=1),
        "decision_departure": timedelta(minutes=30),
        "departure_reception": timedelta(minutes=50),
        "reception_handling": timedelta(minutes=10),
        "handling_answer": timedelta(hours=1),
    }
    events = [(e.action, e.from_state, e.to_state, e.by.username) for e in referral.events.all()]
    assert events == [
        ("create", "", "created", "bidan_ampel"),
        ("depart", "created", "departed", "bidan_ampel"),
        ("receive", "departed", "received", "pkm_barat"),
        ("handle", "received", "handled", "pkm_barat"),
        ("answer", "handled", "answered", "pkm_barat"),
        ("close", "answered", "closed", "bidan_ampel"),
    ]
    assert AuditEvent.objects.filter(object_type="referral", action="update").count() == 5


STATE_LABELS = {
    "created": "Dibuat",
    "departed": "Berangkat",
    "received": "Diterima",
    "handled": "Ditangani",
    "answered": "Dijawab",
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


def _put_in(referral, state):
    Referral.objects.filter(pk=referral.pk).update(state=state)
    referral.refresh_from_db()
    return referral


@pytest.mark.parametrize("state", [s for s in rules.STATES if s not in rules.TERMINAL])
@pytest.mark.parametrize("action", rules.ACTIONS)
def test_out_of_order_refused(district, referral, state, action):
    if rules.next_state(state, action) is not None:
        return  # allowed: the full-path and end tests take it
    referral = _put_in(referral, state)
    user = district.bidan_ampel if rules.side_of(action) == "sender" else district.pkm_barat
    allowed = ", ".join(STATE_LABELS[s] for s in rules.STATES if s in rules.TRANSITIONS[action][0])
    message, _fields = _refused(
        Conflict, services.referral_act, user=user, referral=referral, action=action
    )
    assert message == (
        f"Tindakan \u201c{ACTION_LABELS[action]}\u201d tidak dapat dilakukan pada rujukan "
        f"berstatus {STATE_LABELS[state]}; hanya dari status: {allowed}."
    )
    assert referral.events.count() == 1
    assert Referral.objects.get(pk=referral.pk).state == state


@pytest.mark.parametrize("state", sorted(rules.TERMINAL))
def test_ended_referral_accepts_nothing(district, referral, state):
    referral = _put_in(referral, state)
    label = {
        "closed": "Ditutup",
        "refused": "Ditolak",
        "redirected": "Dialihkan",
        "cancelled": "Dibatalkan",
        "not_arrived": "Tidak datang",
    }[state]
    for action in rules.ACTIONS:
        user = district.bidan_ampel if rules.side_of(action) == "sender" else district.pkm_barat
        message, _f = _refused(
            Conflict, services.referral_act, user=user, referral=referral, action=action
        )
        assert message == f"Rujukan ini sudah berakhir ({label}) dan tidak dapat diubah lagi."


def test_unknown_action(district, referral):
    message = "Tindakan tidak dikenal."
    assert _refused(
        ValidationFailed,
        services.referral_act,
        user=district.pkm_barat,
        referral=referral,
        action="fly",
    ) == (message, {"action": [message]})


# ---------------------------------------------------------------- who takes which step


RECEIVER_DENIED = (
    "Hanya petugas Puskesmas Barat (penerima rujukan ini) yang boleh melakukan tindakan "
    "\u201cTerima pasien\u201d."
)
SENDER_DENIED = (
    "Hanya petugas Pustu Ampel (pengirim rujukan ini) yang boleh melakukan tindakan "
    "\u201cCatat keberangkatan\u201d."
)


@pytest.mark.parametrize(
    ("who", "receive", "depart"),
    [
        ("dinkes", False, False),
        ("tpcb", False, False),
        ("pkm_barat", True, True),  # the receiver, and the puskesmas above the sending pustu
        ("pkm_timur", False, False),
        ("bidan_ampel", False, True),
        ("bidan_cemara", False, False),
        ("kader_ampel_timur", False, False),
        ("kader_cemara", False, False),
        ("ppa", False, False),
        ("camat_barat", False, False),
        ("kades_ampel", False, False),
        ("norole", False, False),
    ],
)
def test_step_rights_per_role(district, referral, pkm_timur, bidan_cemara, who, receive, depart):
    user = {"pkm_timur": pkm_timur, "bidan_cemara": bidan_cemara}.get(who) or getattr(district, who)
    expected = ["receive", "refuse", "redirect", "not_arrive"] if receive else []
    expected += ["depart", "cancel"] if depart else []
    assert services.actions_for(user, referral) == expected
    if not receive:
        message, _f = _refused(
            PermissionDenied,
            services.referral_act,
            user=user,
            referral=referral,
            action="receive",
        )
        assert message == RECEIVER_DENIED
    if not depart:
        message, _f = _refused(
            PermissionDenied, services.referral_act, user=user, referral=referral, action="depart"
        )
        assert message == SENDER_DENIED
    assert Referral.objects.get(pk=referral.pk).state == "created"


def test_answer_from_a_facility_that_did_not_receive_it(district, referral, pkm_timur, now):
    _put_in(referral, "handled")
    message, _f = _refused(
        PermissionDenied,
        services.referral_act,
        user=pkm_timur,
        referral=referral,
        action="answer",
        answer_care="x",
    )
    assert message == (
        "Hanya petugas Puskesmas Barat (penerima rujukan ini) yang boleh melakukan tindakan "
        "\u201cKirim jawaban\u201d."
    )
    assert Referral.objects.get(pk=referral.pk).answered_at is None


# ---------------------------------------------------------------- times, answers, ends


def test_step_time_in_the_future(district, referral):
    message = "Waktu kejadian tidak boleh di masa depan."
    assert _refused(
        ValidationFailed,
        services.referral_act,
        user=district.bidan_ampel,
        referral=referral,
        action="depart",
        occurred_at=timezone.now() + timedelta(minutes=3),
    ) == (message, {"occurred_at": [message]})


def test_step_time_before_the_step_before(district, referral, now):
    decided = now - timedelta(hours=3)
    shown = formats.date_format(timezone.localtime(decided), "DATETIME_FORMAT")
    message = f"Waktu kejadian tidak boleh sebelum waktu diputuskan dirujuk ({shown})."
    assert _refused(
        ValidationFailed,
        services.referral_act,
        user=district.bidan_ampel,
        referral=referral,
        action="depart",
        occurred_at=decided - timedelta(minutes=1),
    ) == (message, {"occurred_at": [message]})
    assert Referral.objects.get(pk=referral.pk).departed_at is None


def test_reception_without_recorded_departure_leaves_those_delays_unknown(district, referral, now):
    referral = services.referral_act(
        user=district.pkm_barat, referral=referral, action="receive", occurred_at=now
    )
    found = rules.delays(referral.stamps())
    assert found["decision_departure"] is None
    assert found["departure_reception"] is None


def test_answer_needs_the_care_given_and_a_known_code(district, referral):
    referral = _put_in(referral, "handled")
    message = "Tulis tindakan yang diberikan."
    assert _refused(
        ValidationFailed,
        services.referral_act,
        user=district.pkm_barat,
        referral=referral,
        action="answer",
    ) == (message, {"answer_care": [message]})
    message = (
        "Kode ICD-10 Q99.99 tidak dikenal (WHO ICD-10 2019): tulis kategori atau subkategori, "
        "mis. O14.1."
    )
    assert _refused(
        ValidationFailed,
        services.referral_act,
        user=district.pkm_barat,
        referral=referral,
        action="answer",
        answer_care="x",
        answer_diagnosis_code="Q99.99",
    ) == (message, {"answer_diagnosis_code": [message]})


def test_two_staff_answer_at_once_one_wins(district, referral):
    referral = _put_in(referral, "handled")
    stale = Referral.objects.get(pk=referral.pk)  # the second one's page, loaded before
    services.referral_act(
        user=district.pkm_barat, referral=referral, action="answer", answer_care="Pertama"
    )
    message, _f = _refused(
        Conflict,
        services.referral_act,
        user=district.pkm_barat,
        referral=stale,
        action="answer",
        answer_care="Kedua",
    )
    assert message == (
        "Rujukan ini baru saja diubah oleh petugas lain (statusnya sekarang Dijawab); muat "
        "ulang halaman dan periksa lagi."
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.answer_care == "Pertama"
    assert list(stored.events.values_list("action", flat=True)) == ["create", "answer"]


@pytest.mark.parametrize(
    ("action", "user", "state"),
    [
        ("refuse", "pkm_barat", "refused"),
        ("cancel", "bidan_ampel", "cancelled"),
        ("not_arrive", "pkm_barat", "not_arrived"),
    ],
)
def test_ends_need_a_reason(district, referral, action, user, state):
    actor = getattr(district, user)
    message = "Pilih alasannya dari daftar."
    assert _refused(
        ValidationFailed,
        services.referral_act,
        user=actor,
        referral=referral,
        action=action,
        end_reason="no_such",
    ) == (message, {"end_reason": [message]})
    message = "Alasan \u201cLainnya\u201d perlu dijelaskan di catatan."
    assert _refused(
        ValidationFailed,
        services.referral_act,
        user=actor,
        referral=referral,
        action=action,
        end_reason="other",
    ) == (message, {"note": [message]})
    done = services.referral_act(
        user=actor, referral=referral, action=action, end_reason="other", note="Alasan lain"
    )
    assert (done.state, done.end_reason, done.end_note) == (state, "other", "Alasan lain")
    assert done.ended_at is not None


def test_cancel_reason_must_fit_the_action(district, referral):
    message = "Pilih alasannya dari daftar."
    assert _refused(
        ValidationFailed,
        services.referral_act,
        user=district.bidan_ampel,
        referral=referral,
        action="cancel",
        end_reason="no_bed",
    ) == (message, {"end_reason": [message]})


def test_redirect_opens_a_linked_onward_leg(district, referral, now):
    referral = services.referral_act(
        user=district.pkm_barat, referral=referral, action="receive", occurred_at=now
    )
    referral = services.referral_act(
        user=district.pkm_barat,
        referral=referral,
        action="redirect",
        redirect_to=district.hospital_f,
        end_reason="no_competence",
        occurred_at=now,
    )
    assert referral.state == "redirected"
    onward = Referral.objects.get(previous=referral)
    assert (onward.from_facility, onward.to_facility, onward.state) == (
        district.pkm_barat_f,
        district.hospital_f,
        "created",
    )
    assert (onward.detected_at, onward.decided_at) == (referral.detected_at, now)
    assert (onward.diagnosis_code, onward.kind) == ("O14.1", "maternal")
    event = referral.events.get(action="redirect")
    assert event.detail == {
        "reason": "no_competence",
        "redirect_to": "RS-UJI",
        "onward": str(onward.uuid),
    }
    assert onward.events.get().detail == {"previous": str(referral.uuid)}


def test_redirect_before_arrival_starts_from_the_sender(district, referral):
    services.referral_act(
        user=district.pkm_barat,
        referral=referral,
        action="redirect",
        redirect_to=district.hospital_f,
        end_reason="no_bed",
    )
    onward = Referral.objects.get(previous=referral)
    assert onward.from_facility == district.pustu_ampel_f


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (None, "Pilih fasilitas tujuan pengalihan."),
        ("pkm_barat_f", "Pengalihan harus ke fasilitas lain, bukan ke fasilitas ini."),
        ("pustu_ampel_f", "Rujukan tidak boleh ditujukan ke fasilitas pengirimnya sendiri."),
    ],
)
def test_redirect_refusals(district, referral, target, message):
    assert _refused(
        ValidationFailed,
        services.referral_act,
        user=district.pkm_barat,
        referral=referral,
        action="redirect",
        end_reason="no_bed",
        redirect_to=getattr(district, target) if target else None,
    ) == (message, {"redirect_to": [message]})
    assert not Referral.objects.filter(previous=referral).exists()
    assert ReferralEvent.objects.filter(referral=referral).count() == 1
