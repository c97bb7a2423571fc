"""A year of referrals for the demo district, ending on the service history's last day.

``generate_referrals(seed=...)`` runs after the service history and the coaching (whose
puskesmas logins act for their facilities) and writes ``Referral`` and ``ReferralEvent`` rows
with COPY, bypassing ``ilp.referrals.services`` (one service call per row would take minutes
on the 500,000-person district), but every row keeps what the services enforce: the states
and transitions of ``ilp.standards.referral``, timestamps in step order and never after the
cut (the history's last day, or now), an event per step by a user who may take it
(``ilp.accounts.access``: ``may_refer_from`` for the sender's steps, ``may_receive`` for the
receiver's), a reason code of ``END_REASONS`` on every end, the care given on every answer,
WHO ICD-10 codes, no referral to the sender itself, to a posyandu, or of a deceased person.
``tests/demo/test_demo_referrals.py`` walks the rows and checks all of it.

Who is referred (from the generated history where it has the finding, at rates of the
Indonesian programme's planning figures):

- **KSPR at K1** (the history's screening at the puskesmas): *kehamilan risiko sangat tinggi*
  (KRST, score ≥ 12) must give birth at a hospital (Buku KIA; Poedji Rochjati's KSPR), so
  ~85 % are referred, planned, to a hospital; ~12 % of KRT (6–10) likewise;
- **obstetric complications**: Kemenkes plans for complications in 20 % of pregnancies
  (the *perkiraan ibu hamil dengan komplikasi kebidanan* of the Profil Kesehatan, "20 % ×
  sasaran bumil"): 12 % of the pregnancies ending in the year get a maternal emergency
  referral around their end (from the pustu or puskesmas, on to a hospital: PONED → PONEK),
  8 % one handled at the puskesmas;
- **newborns**: complications planned at 15 % of live births (*neonatal komplikasi*, same
  source): 7 % of the year's newborns are referred (from the home visit KN1 through the
  puskesmas, or the puskesmas direct, to a hospital), 5 % handled at the puskesmas;
- **severe wasting** (weight-for-length/height below −3 z in a generated weighing, WHO 2006):
  80 % referred from the posyandu to the puskesmas, 15 % of those on to a hospital
  (complicated severe acute malnutrition, Permenkes 29/2019 on gizi buruk);
- **uncontrolled hypertension**: a grade 2 reading (≥ 160/100) in the history, 10 % referred
  to the puskesmas (most are followed up at the pustu); grade 3 (≥ 180/110) 30 %, on to a
  hospital as an emergency;
- **diabetes to confirm**: the history's referral tasks (``care.task.dm_confirm``), 20 % as a
  referral to the puskesmas (the rest confirmed at the pustu), 15 % of those on to the
  internist;
- any resident: medical emergencies from the puskesmas (2.5 per 1,000 a year) and planned
  specialist referrals of adults (6 per 1,000 a year; JKN's FKTP referral ratio target is
  below 15 % of visits), a third of those answered coming back as *rujuk balik* (Program
  Rujuk Balik: stable chronic patients back to primary care).

Each leg then lives through a drawn course: delays from log-normal distributions (minutes to
hours for the urgent kinds, days for planned ones), about 6 % refused or redirected by the
hospital (no bed, no ICU, no competence — SISRUTE's usual reasons; a redirect opens the onward
leg to another hospital), some cancelled or the person not arriving, ~7 % never answered
(stuck at created, departed, received or handled: overdue), some answered but not closed by
the sender, and a departure not recorded for some (the person came on their own). Steps after
the cut are not recorded, so the last weeks are mostly still open.

Deterministic: the same seed, district and history give the same rows, UUIDs included.
"""

from __future__ import annotations

import json
import math
import random
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ilp.accounts.access import REFERRAL_RECEIVER_ROLES, REFERRAL_SENDER_ROLES
from ilp.accounts.models import Role, User
from ilp.care.models import Encounter, Observation, Screening, Task
from ilp.core.bulk import analyze, next_pk, reset_sequences, write_columns
from ilp.demo.generate import DEFAULT_SEED
from ilp.demo.logins import DEMO_PASSWORD
from ilp.people.models import Person, Pregnancy
from ilp.places.models import AreaLevel, Facility, FacilityKind
from ilp.referrals.models import Referral, ReferralEvent
from ilp.standards import referral as rules

DAYS = 365
H = 3600.0  # seconds in an hour
DAY = 86400.0

# Hospitals by the share of the district's referrals they take, and whether they have the
# PONEK (comprehensive emergency obstetric and newborn care) maternal and newborn referrals go to.
HOSPITAL_SHARE = {"RS-5271-01": 0.40, "RS-5271-02": 0.45, "RS-5271-03": 0.15}
PONEK = ("RS-5271-01", "RS-5271-02")

# Delays as log-normal (median seconds, p90 / median): urgent kinds and the others.
URGENT_DELAYS = {
    "detect": (0.5 * H, 4.0),
    "depart": (0.75 * H, 4.0),
    "travel": (0.6 * H, 2.5),
    "handle": (0.3 * H, 3.0),
    "answer": (6 * H, 5.0),
    "close": (1 * DAY, 4.0),
}
PLANNED_DELAYS = {
    "detect": (0.5 * DAY, 6.0),
    "depart": (2 * DAY, 3.5),
    "travel": (1 * H, 2.5),
    "handle": (2 * H, 3.0),
    "answer": (1 * DAY, 5.0),
    "close": (3 * DAY, 3.0),
}
# What becomes of a leg (weights per course), at a hospital and at the puskesmas.
COURSES_HOSPITAL_URGENT = {
    "done": 72, "open_answered": 5, "stale": 7, "redirect": 5, "refuse": 2,
    "cancel": 2, "not_arrive": 1, "onward": 6,
}  # fmt: skip
COURSES_HOSPITAL_PLANNED = {
    "done": 73, "open_answered": 6, "stale": 7, "redirect": 1, "refuse": 1,
    "cancel": 3, "not_arrive": 6, "onward": 3,
}  # fmt: skip
COURSES_PRIMARY = {
    "done": 80, "open_answered": 6, "stale": 6, "cancel": 2, "not_arrive": 4, "onward": 2,
}  # fmt: skip
# Where a never-answered leg stopped.
STALE_AT = {"created": 35, "departed": 15, "received": 25, "handled": 25}
END_REASONS_DRAWN = {
    "refuse": {"no_bed": 45, "no_icu": 25, "no_competence": 20, "no_equipment": 10},
    "redirect": {"no_bed": 50, "no_icu": 35, "no_competence": 15},
    # no "died": a death is recorded on the person (ilp.referrals' deaths), not drawn here
    "cancel": {"condition_improved": 60, "person_declined": 40},
    "not_arrive": {"went_elsewhere": 60, "person_declined": 40},
}
# Share of legs whose departure the sender never recorded (received straight from created).
NO_DEPARTURE = 0.15


@dataclass(frozen=True)
class Topic:
    """What a referral is about: its reason, the sender's diagnosis, the care before transfer
    and the receiver's answer (data, in the language the staff write in)."""

    reason: str
    diagnosis: str
    care: str
    answer_dx: str
    answer_care: str
    advice: str
    plan: str = ""


TOPICS: dict[str, tuple[Topic, ...]] = {
    "krst": (
        Topic("KSPR risiko sangat tinggi (skor ≥ 12): ANC dan rencana persalinan dengan SpOG",
              "Z35.8", "Konseling, buku KIA diisi, rencana persalinan di RS",
              "O34.2", "Pemeriksaan SpOG dan USG", "Persalinan terencana di RS; kontrol 2 minggu",
              "ANC lanjut di puskesmas, persalinan di RS"),
        Topic("KSPR risiko sangat tinggi: riwayat seksio dan preeklamsia",
              "O10.0", "Tekanan darah dipantau, konseling tanda bahaya",
              "O10.0", "Penyesuaian obat antihipertensi", "Kontrol SpOG tiap 2 minggu",
              "Pantau tekanan darah mingguan di pustu"),
    ),
    "krt": (
        Topic("KSPR risiko tinggi: konsultasi SpOG", "Z35.9", "Konseling tanda bahaya",
              "Z35.9", "Pemeriksaan SpOG dan USG", "ANC lanjut di puskesmas"),
    ),
    "maternal": (
        Topic("Preeklamsia berat: tekanan darah 170/115, proteinuria +3", "O14.1",
              "MgSO4 dosis awal, nifedipin, infus RL, kateter", "O14.1",
              "MgSO4 lanjut, terminasi kehamilan", "Kontrol tekanan darah di puskesmas"),
        Topic("Perdarahan pascapersalinan, atonia uteri", "O72.1",
              "Oksitosin, masase uterus, infus 2 jalur", "O72.1",
              "Uterotonika, transfusi 2 kantong", "Tablet tambah darah, KF di rumah"),
        Topic("Ketuban pecah dini > 12 jam, belum inpartu", "O42.1",
              "Antibiotik, observasi tanda vital dan DJJ", "O42.1",
              "Induksi persalinan, antibiotik", "Kunjungan nifas di pustu"),
        Topic("Persalinan macet, kala II lama", "O63.1", "Infus, rehidrasi, observasi DJJ",
              "O64.9", "Seksio sesarea", "Rawat luka, KF di rumah"),
        Topic("Perdarahan antepartum", "O46.9", "Infus 2 jalur, posisi miring kiri",
              "O44.1", "Seksio sesarea", "Tablet tambah darah, kontrol di puskesmas"),
    ),
    "maternal_primary": (
        Topic("Anemia pada kehamilan, Hb 8,5 g/dL", "O99.0", "Tablet tambah darah",
              "O99.0", "Terapi besi, konseling gizi", "Hb ulang 1 bulan"),
        Topic("Hiperemesis gravidarum", "O21.0", "Oralit, konseling makan sedikit-sering",
              "O21.0", "Infus, antiemetik", "Kontrol di pustu 1 minggu"),
    ),
    "neonatal": (
        Topic("Berat lahir rendah 1.900 g, sulit menyusu", "P07.1",
              "Metode kanguru, ASI perah, jaga kehangatan", "P07.1",
              "Perawatan perinatologi, minum per sonde", "KN di rumah, timbang mingguan"),
        Topic("Asfiksia lahir", "P21.0", "Resusitasi, oksigen", "P21.0",
              "Perawatan NICU", "Pantau tumbuh kembang di posyandu"),
        Topic("Ikterus neonatorum", "P59.9", "ASI sering, observasi", "P59.9",
              "Fototerapi", "KN lanjut di rumah"),
        Topic("Curiga sepsis neonatorum: demam, malas minum", "P36.9",
              "Antibiotik dosis awal, jaga kehangatan", "P36.9",
              "Antibiotik intravena 7 hari", "KN lanjut, ASI eksklusif"),
    ),
    "neonatal_primary": (
        Topic("Bayi malas menyusu", "P92.9", "Konseling menyusui", "P92.9",
              "Konseling laktasi, observasi", "Timbang ulang 1 minggu"),
    ),
    "wasting": (
        Topic("Gizi buruk: BB/PB di bawah −3 SD", "E43", "Konseling pemberian makan",
              "E43", "Formula F100, pemantauan mingguan", "PMT pemulihan, timbang tiap minggu"),
    ),
    "wasting_complicated": (
        Topic("Gizi buruk dengan komplikasi: diare dan tidak mau makan", "E43",
              "ReSoMal, F75, jaga kehangatan", "E43",
              "Rawat inap, fase stabilisasi", "Lanjut rawat jalan gizi di puskesmas"),
    ),
    "hypertension": (
        Topic("Hipertensi tidak terkendali (≥ 160/100) walau minum obat", "I10",
              "Amlodipin, konseling garam", "I10", "Penyesuaian obat",
              "Kontrol bulanan, minum obat teratur"),
    ),
    "hypertension_crisis": (
        Topic("Krisis hipertensi ≥ 180/110 dengan sakit kepala hebat", "I10",
              "Kaptopril sublingual, observasi", "I10",
              "Antihipertensi intravena, rawat inap", "Kontrol di puskesmas, obat PRB",
              "Program rujuk balik: amlodipin 10 mg"),
    ),
    "diabetes": (
        Topic("Gula darah sewaktu ≥ 200 mg/dL: konfirmasi diabetes", "R73.9",
              "Konseling diet", "E11.9", "Gula darah puasa, HbA1c, metformin",
              "Kontrol bulanan di Prolanis"),
    ),
    "diabetes_specialist": (
        Topic("Diabetes tidak terkendali, HbA1c 10 %", "E11.6", "Metformin, glibenklamid",
              "E11.6", "Insulin basal, edukasi", "Kontrol gula darah bulanan",
              "Program rujuk balik: metformin dan insulin"),
    ),
    "emergency": (
        Topic("Nyeri dada khas, curiga sindrom koroner akut", "I21.9",
              "Aspirin, nitrat, oksigen", "I21.9", "Trombolitik, rawat ICCU",
              "Kontrol ke poli jantung"),
        Topic("Cedera kepala setelah kecelakaan motor", "S06.0", "Imobilisasi, luka dijahit",
              "S06.0", "CT scan, observasi 24 jam", "Kontrol bila muntah atau pusing"),
        Topic("Demam berdarah dengan tanda bahaya", "A97.1", "Infus RL, pantau hematokrit",
              "A97.1", "Rawat inap, cairan", "Kontrol trombosit di puskesmas"),
        Topic("Nyeri perut kanan bawah, curiga apendisitis", "K35.8", "Puasa, infus",
              "K35.8", "Apendektomi", "Rawat luka di puskesmas"),
        Topic("Pneumonia berat, sesak napas", "J18.9", "Oksigen, antibiotik dosis awal",
              "J18.9", "Antibiotik intravena", "Kontrol di puskesmas 1 minggu"),
        Topic("Fraktur tungkai setelah jatuh", "S82.2", "Bidai, analgetik", "S82.2",
              "Operasi pemasangan pen", "Kontrol ke poli ortopedi"),
    ),
    "planned": (
        Topic("Penyakit ginjal kronik: ureum dan kreatinin tinggi", "N18.9",
              "Diet rendah protein", "N18.9", "Evaluasi penyakit dalam",
              "Kontrol ke poli penyakit dalam"),
        Topic("Katarak matur kedua mata", "H26.9", "-", "H25.9", "Operasi katarak",
              "Kontrol ke poli mata"),
        Topic("Nyeri lutut kronik, curiga osteoartritis", "M17.9", "Analgetik", "M17.1",
              "Fisioterapi", "Lanjut obat di puskesmas", "Program rujuk balik: analgetik"),
        Topic("PPOK, sesak berulang", "J44.9", "Bronkodilator", "J44.9",
              "Spirometri, inhaler", "Kontrol bulanan", "Program rujuk balik: inhaler"),
        Topic("Benjolan payudara", "N63", "-", "D24", "Biopsi, eksisi",
              "Kontrol ke poli bedah 3 bulan"),
        Topic("Penyakit jantung koroner stabil", "I25.9", "Aspirin, statin", "I25.9",
              "Ekokardiografi", "Lanjut obat di FKTP", "Program rujuk balik: aspirin, statin"),
    ),
}  # fmt: skip
BACK_TOPICS = (
    Topic("Program rujuk balik: kondisi stabil, lanjut terapi di FKTP", "I10",
          "Obat 1 bulan diberikan", "I10", "Obat PRB dilanjutkan", "Kontrol ke RS 3 bulan"),
    Topic("Program rujuk balik: diabetes terkendali", "E11.9", "Obat 1 bulan diberikan",
          "E11.9", "Obat PRB dilanjutkan", "HbA1c tiap 3 bulan"),
    Topic("Rujuk balik pascaperawatan: lanjut pemantauan di puskesmas", "Z09.8",
          "Resume medis dikirim", "Z09.8", "Kunjungan rumah dan kontrol", "Kontrol bila perlu"),
)  # fmt: skip
TRANSPORT = {"ambulance": 45, "desa_vehicle": 15, "private": 35, "public": 5}
TRANSPORT_PLANNED = {"private": 60, "public": 30, "on_foot": 5, "other": 5}
COMPANION = {"family": 40, "midwife": 25, "nurse": 20, "doctor": 10, "kader": 5}


def staff_username(hospital_code: str) -> str:
    """The demo staff login of a hospital ("RS-5271-01" → "rs.rs-5271-01")."""
    return f"rs.{hospital_code.lower()}"


@dataclass
class ReferralSummary:
    referrals: int = 0
    events: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    seconds: float = 0.0
    start: date | None = None
    end: date | None = None


def referrals_exist() -> bool:
    return Referral.objects.exists()


def history_last_day() -> date | None:
    """The last day of the generated service history (None without one)."""
    found: date | None = Encounter.objects.aggregate(last=Max("date"))["last"]
    return found


# ---------------------------------------------------------------- the network and its staff


@dataclass
class _Network:
    puskesmas_of_village: dict[int, int]
    pustu_of_village: dict[int, int]
    posyandu_of_hamlet: dict[int, int]
    parent: Mapping[int, int | None]
    kind: dict[int, str]
    code: dict[int, str]
    hospitals: dict[str, int]
    sender: dict[int, int]  # facility → a user who may refer from it
    receiver: dict[int, int]  # facility → a user who receives there


def ensure_hospital_staff() -> list[User]:
    """One staff login per hospital, unless the demo logins give it one already (they are not
    printed: a user of the hospital role is in the demo logins once ``ilp.demo.logins`` has
    them). Named ``rs.<hospital code>`` so that the demo logins can adopt the same names."""
    found = []
    password = None
    for hospital in Facility.objects.filter(kind=FacilityKind.HOSPITAL).order_by("code"):
        if User.objects.filter(role=Role.HOSPITAL, facility=hospital, is_active=True).exists():
            continue
        username = staff_username(hospital.code)
        user = User.objects.filter(username=username).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            user = User(
                username=username,
                password=password,
                role=Role.HOSPITAL,
                facility=hospital,
                first_name=f"Petugas {hospital.name}",
            )
            user.save()
        elif user.facility_id != hospital.pk:  # a wipe of the district cleared its scope
            user.facility = hospital
            user.role = Role.HOSPITAL
            user.save(update_fields=["facility", "role"])
        found.append(user)
    return found


def _network() -> _Network:
    facilities = list(Facility.objects.values_list("id", "kind", "code", "parent_id", "is_active"))
    parent = {f[0]: f[3] for f in facilities}
    kind = {f[0]: f[1] for f in facilities}
    code = {f[0]: f[2] for f in facilities}
    active = {f[0] for f in facilities if f[4]}
    served = Facility.service_areas.through.objects.values_list(
        "facility_id", "area_id", "area__level"
    ).order_by("id")
    pkm: dict[int, int] = {}
    pustu: dict[int, int] = {}
    pos: dict[int, int] = {}
    for fid, area_id, level in served:
        if fid not in active:
            continue
        if kind[fid] == FacilityKind.PUSKESMAS and level == AreaLevel.VILLAGE:
            pkm.setdefault(area_id, fid)
        elif kind[fid] == FacilityKind.PUSTU and level == AreaLevel.VILLAGE:
            pustu.setdefault(area_id, fid)
        elif kind[fid] == FacilityKind.POSYANDU and level == AreaLevel.HAMLET:
            pos.setdefault(area_id, fid)
    hospitals = {code[f]: f for f in sorted(active) if kind[f] == FacilityKind.HOSPITAL}
    users = list(
        User.objects.filter(is_active=True, facility__isnull=False)
        .values_list("id", "role", "facility_id")
        .order_by("username")
    )
    at: dict[int, tuple[int, str]] = {}
    for uid, role, fid in users:
        if role in REFERRAL_SENDER_ROLES or role in REFERRAL_RECEIVER_ROLES:
            at.setdefault(fid, (uid, role))
    receiver = {
        fid: uid
        for fid, (uid, role) in at.items()
        if role in REFERRAL_RECEIVER_ROLES
        and (role == Role.HOSPITAL) == (kind.get(fid) == FacilityKind.HOSPITAL)
    }
    sender: dict[int, int] = {}
    for fid in active:
        if kind[fid] == FacilityKind.HOSPITAL:
            if fid in receiver:
                sender[fid] = receiver[fid]
            continue
        # its own staff (a kader only at her posyandu), else the pustu's or puskesmas' above
        # (they record at the facilities below theirs: access.recording_facilities_q)
        chain = [fid, parent.get(fid), parent.get(parent.get(fid) or 0)]
        for i, f in enumerate(chain):
            if f is None or f not in at:
                continue
            uid, role = at[f]
            if role in REFERRAL_SENDER_ROLES and (role != Role.KADER or i == 0):
                sender[fid] = uid
                break
    return _Network(pkm, pustu, pos, parent, kind, code, hospitals, sender, receiver)


# ---------------------------------------------------------------- cases


@dataclass
class _Leg:
    source: int
    target: int
    kind: str
    topic: Topic
    primary: bool  # the target is a pustu or puskesmas (handled in primary care)


@dataclass
class _Case:
    person: int
    detected: datetime
    legs: list[_Leg]
    encounter: int | None = None
    back: bool = False
    died: date | None = None  # a hospital leg answered may come back as rujuk balik


class _Draw:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, weights: Mapping[str, float]) -> str:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def one(self, items: tuple[Topic, ...]) -> Topic:
        return items[self.rng.randrange(len(items))]

    def delay(self, spec: tuple[float, float]) -> timedelta:
        median, spread = spec
        sigma = math.log(spread) / 1.2816  # p90 = median × spread
        return timedelta(seconds=round(median * math.exp(self.rng.gauss(0.0, sigma))))

    def moment(self, day: date, first: int = 7, last: int = 20) -> datetime:
        minute = self.rng.randrange(first * 60, last * 60)
        return timezone.make_aware(datetime.combine(day, dtime(minute // 60, minute % 60)))


def _hospital(draw: _Draw, net: _Network, maternal: bool = False) -> int:
    shares = {c: s for c, s in HOSPITAL_SHARE.items() if c in net.hospitals}
    if maternal:
        shares = {c: s for c, s in shares.items() if c in PONEK} or shares
    if not shares:
        shares = dict.fromkeys(net.hospitals, 1.0)
    return net.hospitals[draw.pick(shares)]


def _receivable(net: _Network, facility: int | None) -> bool:
    return facility is not None and facility in net.receiver


def _chain(
    draw: _Draw,
    net: _Network,
    start: int | None,
    puskesmas: int | None,
    kind_low: str,
    topic_low: Topic,
    hospital: int | None = None,
    kind_high: str = "",
    topic_high: Topic | None = None,
) -> list[_Leg]:
    """Legs from `start` (posyandu, pustu or puskesmas) up to the puskesmas, then to
    `hospital` when given: posyandu → pustu (where the pustu has staff to receive) →
    puskesmas → hospital."""
    legs: list[_Leg] = []
    here = start
    if here is not None and net.kind.get(here) == FacilityKind.POSYANDU:
        pustu = net.parent.get(here)
        if _receivable(net, pustu) and draw.rng.random() < 0.5 and here in net.sender:
            legs.append(_Leg(here, pustu, kind_low, topic_low, True))  # type: ignore[arg-type]
            here = pustu
    if here is not None and here != puskesmas and puskesmas is not None:
        if here in net.sender and _receivable(net, puskesmas):
            legs.append(_Leg(here, puskesmas, kind_low, topic_low, True))
        here = puskesmas
    if hospital is not None and topic_high is not None:
        source = here if here is not None else puskesmas
        if source is not None and source in net.sender and _receivable(net, hospital):
            legs.append(_Leg(source, hospital, kind_high, topic_high, False))
    return legs


def _persons(ids: Iterable[int]) -> dict[int, tuple[int | None, int | None, date | None]]:
    """Village, hamlet and death date of the given persons (not voided)."""
    found: dict[int, tuple[int | None, int | None, date | None]] = {}
    ids = sorted(set(ids))
    for i in range(0, len(ids), 20_000):
        for pid, village, hamlet, died in Person.objects.filter(
            pk__in=ids[i : i + 20_000], voided_at__isnull=True
        ).values_list("id", "village_id", "hamlet_id", "deceased_on"):
            found[pid] = (village, hamlet, died)
    return found


def _cases(draw: _Draw, net: _Network, start: date, end: date, seed: int) -> list[_Case]:
    rng = draw.rng
    cases: list[_Case] = []
    raw: list[tuple[str, int, date, int | None, Any]] = []  # (what, person, day, encounter, x)

    # KSPR at K1 (the history screens at the puskesmas' K1)
    for pid, day, code, enc in (
        Screening.objects.filter(
            instrument="kspr", date__gte=start, date__lte=end, result_code__in=("krt", "krst")
        )
        .values_list("person_id", "date", "result_code", "encounter_id")
        .order_by("id")
    ):
        if rng.random() < (0.85 if code == "krst" else 0.12):
            raw.append((code, pid, day, enc, None))
    # pregnancies ending in the year: complications around the end
    for pid, day in (
        Pregnancy.objects.filter(
            outcome_date__gte=start, outcome_date__lte=end, voided_at__isnull=True
        )
        .values_list("person_id", "outcome_date")
        .order_by("id")
    ):
        r = rng.random()
        if r < 0.12:
            raw.append(("maternal", pid, day, None, None))
        elif r < 0.20:
            raw.append(
                ("maternal_primary", pid, day - timedelta(days=rng.randint(20, 120)), None, None)
            )
    # newborns of the year
    for pid, born in (
        Person.objects.filter(
            birth_date__gte=start, birth_date__lte=end, mother__isnull=False, voided_at__isnull=True
        )
        .values_list("id", "birth_date")
        .order_by("id")
    ):
        r = rng.random()
        if r < 0.07:
            raw.append(
                ("neonatal", pid, born + timedelta(days=rng.choice((0, 0, 1, 2, 4))), None, None)
            )
        elif r < 0.12:
            raw.append(
                ("neonatal_primary", pid, born + timedelta(days=rng.randint(1, 20)), None, None)
            )
    raw += [(w, p, d, e, x) for w, p, d, e, x in _wasted(start, end) if rng.random() < 0.8]
    # hypertension grade 2 and 3 readings
    for pid, day, code, enc in (
        Screening.objects.filter(
            instrument="bp", date__gte=start, date__lte=end, result_code__in=("grade_2", "grade_3")
        )
        .values_list("person_id", "date", "result_code", "encounter_id")
        .order_by("id")
    ):
        if rng.random() < (0.3 if code == "grade_3" else 0.1):
            raw.append(
                (
                    "hypertension_crisis" if code == "grade_3" else "hypertension",
                    pid,
                    day,
                    enc,
                    None,
                )
            )
    # diabetes to confirm: the history's referral tasks
    for pid, opened, enc in (
        Task.objects.filter(kind="refer", reason_code="care.task.dm_confirm")
        .filter(source_encounter__date__gte=start, source_encounter__date__lte=end)
        .values_list("person_id", "source_encounter__date", "source_encounter_id")
        .order_by("id")
    ):
        if rng.random() < 0.2:
            raw.append(("diabetes", pid, opened, enc, None))
    # any resident: emergencies and planned specialist referrals
    n_people = Person.objects.filter(voided_at__isnull=True).count()
    ids = np.array(
        Person.objects.filter(voided_at__isnull=True).values_list("id", flat=True).order_by("id")
    )
    adults = np.array(
        Person.objects.filter(
            voided_at__isnull=True, birth_date__lte=end - timedelta(days=30 * 365)
        )
        .values_list("id", flat=True)
        .order_by("id")
    )
    np_rng = np.random.default_rng([seed, 41])
    span = (end - start).days + 1
    for what, pool, rate in (("emergency", ids, 2.5e-3), ("planned", adults, 6e-3)):
        if not len(pool):
            continue
        n = int(np_rng.poisson(rate * n_people * span / DAYS))
        for pid, offset in zip(
            np_rng.choice(pool, n).tolist(), np_rng.integers(0, span, n).tolist(), strict=True
        ):
            raw.append((what, int(pid), start + timedelta(days=offset), None, None))

    people = _persons(r[1] for r in raw)
    encounter_facility = dict(
        Encounter.objects.filter(pk__in=[r[3] for r in raw if r[3]]).values_list(
            "id", "facility_id"
        )
    )
    for what, pid, day, enc, _x in raw:
        if pid not in people or day < start or day > end:
            continue
        village, hamlet, died = people[pid]
        if died is not None and died <= day:
            continue  # the service refuses a deceased person
        pkm = net.puskesmas_of_village.get(village or 0)
        pustu = net.pustu_of_village.get(village or 0)
        pos = net.posyandu_of_hamlet.get(hamlet or 0)
        seen_at = encounter_facility.get(enc or 0)
        urgent_hour = draw.moment(day, 0, 24)
        case: _Case | None = None
        if what in ("krst", "krt"):
            legs = _chain(
                draw,
                net,
                seen_at or pkm,
                pkm,
                "planned",
                draw.one(TOPICS[what]),
                _hospital(draw, net, True),
                "planned",
                draw.one(TOPICS[what]),
            )
            legs = [leg for leg in legs if not leg.primary]  # K1 is at the puskesmas already
            case = _Case(pid, draw.moment(day, 8, 13), legs, enc)
        elif what == "maternal":
            begin = pustu if rng.random() < 0.45 else pkm
            t = draw.one(TOPICS["maternal"])
            legs = _chain(
                draw, net, begin, pkm, "maternal", t, _hospital(draw, net, True), "maternal", t
            )
            case = _Case(pid, urgent_hour, legs)
        elif what == "maternal_primary":
            t = draw.one(TOPICS["maternal_primary"])
            case = _Case(pid, draw.moment(day, 8, 13), _chain(draw, net, pustu, pkm, "planned", t))
        elif what == "neonatal":
            begin = pustu if rng.random() < 0.5 else pkm
            t = draw.one(TOPICS["neonatal"])
            legs = _chain(
                draw, net, begin, pkm, "neonatal", t, _hospital(draw, net, True), "neonatal", t
            )
            case = _Case(pid, urgent_hour, legs)
        elif what == "neonatal_primary":
            t = draw.one(TOPICS["neonatal_primary"])
            case = _Case(pid, draw.moment(day, 8, 13), _chain(draw, net, pustu, pkm, "neonatal", t))
        elif what == "wasting":
            complicated = rng.random() < 0.15
            legs = _chain(
                draw,
                net,
                seen_at or pos or pustu,
                pkm,
                "planned",
                TOPICS["wasting"][0],
                _hospital(draw, net) if complicated else None,
                "emergency",
                TOPICS["wasting_complicated"][0],
            )
            case = _Case(pid, draw.moment(day, 8, 12), legs, enc)
        elif what == "hypertension":
            t = TOPICS["hypertension"][0]
            case = _Case(
                pid, draw.moment(day, 8, 12), _chain(draw, net, seen_at, pkm, "planned", t), enc
            )
        elif what == "hypertension_crisis":
            legs = _chain(
                draw,
                net,
                seen_at,
                pkm,
                "emergency",
                TOPICS["hypertension"][0],
                _hospital(draw, net),
                "emergency",
                TOPICS["hypertension_crisis"][0],
            )
            case = _Case(pid, draw.moment(day, 8, 12), legs, enc, back=True)
        elif what == "diabetes":
            onward = rng.random() < 0.15
            legs = _chain(
                draw,
                net,
                seen_at,
                pkm,
                "planned",
                TOPICS["diabetes"][0],
                _hospital(draw, net) if onward else None,
                "planned",
                TOPICS["diabetes_specialist"][0],
            )
            case = _Case(pid, draw.moment(day, 8, 12), legs, enc, back=True)
        elif what == "emergency":
            legs = _chain(
                draw,
                net,
                pkm,
                pkm,
                "emergency",
                TOPICS["emergency"][0],
                _hospital(draw, net),
                "emergency",
                draw.one(TOPICS["emergency"]),
            )
            case = _Case(pid, urgent_hour, legs)
        elif what == "planned":
            legs = _chain(
                draw,
                net,
                pkm,
                pkm,
                "planned",
                TOPICS["planned"][0],
                _hospital(draw, net),
                "planned",
                draw.one(TOPICS["planned"]),
            )
            case = _Case(pid, draw.moment(day, 8, 12), legs, back=True)
        if case is not None and case.legs:
            case.died = died
            cases.append(case)
    cases.sort(key=lambda c: (c.detected, c.person))
    return cases


def _wasted(start: date, end: date) -> list[tuple[str, int, date, int | None, Any]]:
    """The first weighing of the year with weight-for-length/height below −3 z (WHO 2006)
    of each child: ("wasting", person, day, encounter, None)."""
    from ilp.standards.growth._tables import table as _tab

    young = end - timedelta(days=1827)
    rows = list(
        Observation.objects.filter(
            date__gte=start,
            date__lte=end,
            code__in=("weight", "height"),
            person__birth_date__gt=young,
        )
        .values_list(
            "encounter_id",
            "person_id",
            "date",
            "code",
            "value",
            "person__sex",
            "person__birth_date",
        )
        .order_by("encounter_id", "code")
    )
    by_enc: dict[int, dict[str, Any]] = {}
    for eid, pid, day, code, value, sex, born in rows:
        if value is None:
            continue
        e = by_enc.setdefault(eid, {"pid": pid, "day": day, "sex": sex, "born": born})
        e[code] = value
    found: dict[int, tuple[date, int]] = {}
    wfl, wfh = _tab("who2006_wfl"), _tab("who2006_wfh")
    for eid, e in by_enc.items():
        if "weight" not in e or "height" not in e:
            continue
        age = (e["day"] - e["born"]).days
        t = wfl if age < 731 else wfh
        idx = int(round(e["height"] * 10))
        if not t.first <= idx <= t.last:
            continue
        i = idx - t.first + (1 if e["sex"] == "F" else 0) * t.n
        lv, mv, sv = t.l[i], t.m[i], t.s[i]
        z = ((e["weight"] / mv) ** lv - 1) / (lv * sv)
        if z < -3 and (e["pid"] not in found or found[e["pid"]][0] > e["day"]):
            found[e["pid"]] = (e["day"], eid)
    return [("wasting", pid, day, eid, None) for pid, (day, eid) in sorted(found.items())]


# ---------------------------------------------------------------- living through the legs


@dataclass
class _Row:
    """One referral as written, and its events."""

    id: int
    case: _Case
    leg: _Leg
    decided: datetime
    state: str = rules.CREATED
    stamps: dict[str, datetime | None] = field(default_factory=dict)
    end_reason: str = ""
    previous: int | None = None
    answered: bool = False
    events: list[dict[str, Any]] = field(default_factory=list)
    last_by: int | None = None
    redirect_to: int | None = None


def _live(
    draw: _Draw, net: _Network, row: _Row, cut: datetime, course: str
) -> tuple[datetime | None, int | None]:
    """Move `row` through `course` up to the cut; return (when it handed over, the next
    leg's target) for a redirect, or (when it was handled, None) when a next leg follows."""
    leg = row.leg
    urgent = leg.kind in ("emergency", "maternal", "neonatal")
    spec = URGENT_DELAYS if urgent else PLANNED_DELAYS
    sender, receiver = net.sender[leg.source], net.receiver[leg.target]
    at = row.decided
    stale_at = draw.pick(STALE_AT) if course == "stale" else ""

    def step(action: str, when: datetime, by: int, note: str = "", **detail: Any) -> bool:
        if when > cut:
            return False
        target = rules.next_state(row.state, action)
        assert target is not None  # noqa: S101 - the courses follow the transitions
        row.events.append(
            {
                "action": action,
                "from_state": row.state,
                "to_state": target,
                "occurred_at": when,
                "by": by,
                "note": note,
                "detail": detail,
            }
        )
        row.stamps[rules.STEP_FIELD[action]] = when
        row.state = target
        row.last_by = by
        return True

    def end(action: str, when: datetime) -> None:
        reason = draw.pick(END_REASONS_DRAWN[action])
        by = sender if rules.side_of(action) == rules.SENDER else receiver
        detail: dict[str, Any] = {"reason": reason}
        if action == "redirect" and row.redirect_to is not None:
            detail["redirect_to"] = net.code[row.redirect_to]
        if step(action, when, by, **detail):
            row.end_reason = reason

    if course in ("refuse", "redirect") and draw.rng.random() < 0.7:
        # the hospital answers the request before the person leaves (SISRUTE's reply)
        when = at + draw.delay(spec["travel"])
        end(course, when)
        if course == "redirect" and row.state == rules.REDIRECTED:
            return when, row.redirect_to
        return None, None
    if course in ("cancel",) and draw.rng.random() < 0.6:
        end("cancel", at + draw.delay(spec["depart"]))
        return None, None
    if course == "stale" and stale_at == "created":
        return None, None
    departed = draw.rng.random() >= NO_DEPARTURE
    if departed:
        at += draw.delay(spec["depart"])
        if not step("depart", at, sender):
            return None, None
    if course == "stale" and stale_at == "departed" and departed:
        return None, None
    if course in ("refuse", "cancel", "not_arrive"):
        end(course, at + draw.delay(spec["travel"]) * (1 if course != "not_arrive" else 24))
        return None, None
    at += draw.delay(spec["travel"])
    if not step("receive", at, receiver):
        return None, None
    if course == "redirect":
        at += draw.delay(spec["handle"])
        end("redirect", at)
        if row.state == rules.REDIRECTED:
            return at, row.redirect_to
        return None, None
    if course == "stale" and stale_at in ("departed", "received"):
        return None, None
    at += draw.delay(spec["handle"])
    if not step("handle", at, receiver):
        return None, None
    handled = at
    if course == "stale":
        return None, None
    at += draw.delay(spec["answer"])
    t = leg.topic
    if course == "onward":
        # handled here, sent on: the answer says so (the next leg is the chain's next)
        at = handled + timedelta(minutes=draw.rng.randint(20, 90))
    if not step("answer", at, receiver, t.advice, diagnosis=t.answer_dx):
        return (handled, None) if course == "onward" else (None, None)
    row.answered = True
    if course != "open_answered":
        step("close", at + draw.delay(spec["close"]), sender)
    return (handled, None) if course == "onward" else (None, None)


def _working_hours(draw: _Draw, at: datetime) -> datetime:
    """`at`, or the next opening hour (08:00–10:59) when it falls outside 07:00–16:00: a
    planned referral is decided while the puskesmas is open."""
    local = timezone.localtime(at)
    if 7 <= local.hour < 16:
        return at
    day = local.date() + timedelta(days=1 if local.hour >= 16 else 0)
    return draw.moment(day, 8, 11)


def _course(draw: _Draw, leg: _Leg) -> str:
    if leg.primary:
        weights = dict(COURSES_PRIMARY)
    elif leg.kind in ("emergency", "maternal", "neonatal"):
        weights = dict(COURSES_HOSPITAL_URGENT)
    else:
        weights = dict(COURSES_HOSPITAL_PLANNED)
    weights.pop("onward", None)  # the chain decides whether a leg goes on
    return draw.pick(weights)


def _build(draw: _Draw, net: _Network, cases: list[_Case], cut: datetime, pk0: int) -> list[_Row]:
    rows: list[_Row] = []
    rng = draw.rng

    def new(case: _Case, leg: _Leg, decided: datetime, previous: _Row | None = None) -> _Row | None:
        """A new leg decided at `decided` (None after the cut or the person's death); a
        redirect's onward leg is created by the staff who redirected (as the service does)."""
        if decided > cut or (case.died is not None and case.died <= timezone.localdate(decided)):
            return None
        row = _Row(pk0 + len(rows), case, leg, decided)
        rows.append(row)
        row.stamps = {"detected_at": case.detected, "decided_at": decided}
        by = net.sender[leg.source] if previous is None else previous.last_by
        row.events.append(
            {
                "action": "create",
                "from_state": "",
                "to_state": rules.CREATED,
                "occurred_at": decided,
                "by": by,
                "note": "",
                "detail": {"previous": previous.id} if previous is not None else {},
            }
        )
        row.previous = previous.id if previous is not None else None
        row.last_by = by
        return row

    for case in cases:
        urgent = case.legs[0].kind in ("emergency", "maternal", "neonatal")
        spec = URGENT_DELAYS if urgent else PLANNED_DELAYS
        decided = case.detected
        if rng.random() < 0.7:
            decided += draw.delay(spec["detect"])
        if not urgent:
            decided = _working_hours(draw, decided)
        i = 0
        legs = list(case.legs)
        while i < len(legs) and decided <= cut:
            leg = legs[i]
            more = i + 1 < len(legs)
            course = "onward" if more else _course(draw, leg)
            if more and rng.random() < 0.05:
                course = _course(draw, leg)  # the chain stops here
                more = False
            row = new(case, leg, decided)
            if row is None:
                break
            if course == "redirect":
                others = [
                    h for h in net.hospitals.values() if h != leg.target and h in net.receiver
                ]
                if leg.kind in ("maternal", "neonatal"):  # on to another PONEK hospital
                    ponek = {net.hospitals.get(code) for code in PONEK}
                    others = [h for h in others if h in ponek] or others
                if not others or leg.primary:
                    course = "refuse" if not leg.primary else "cancel"
                else:
                    row.redirect_to = others[rng.randrange(len(others))]
            handed, onward_to = _live(draw, net, row, cut, course)
            if onward_to is not None and handed is not None:
                # the redirect's onward leg, from where the person is now
                source = leg.target if row.stamps.get("received_at") else leg.source
                onward = _Leg(source, onward_to, leg.kind, leg.topic, False)
                nxt = new(case, onward, handed, previous=row)
                if nxt is not None:
                    row.events[-1]["detail"]["onward"] = nxt.id
                    nxt_course = _course(draw, onward)
                    _live(draw, net, nxt, cut, "done" if nxt_course == "redirect" else nxt_course)
                break
            if course == "onward" and more and handed is not None:
                decided = handed + timedelta(minutes=rng.randint(10, 60))
                i += 1
                continue
            # a hospital answer may send the person back (rujuk balik) to their puskesmas
            if (
                case.back
                and row.answered
                and not leg.primary
                and net.kind.get(leg.target) == FacilityKind.HOSPITAL
                and rng.random() < 0.35
            ):
                home = case.legs[0].source
                pkm = home if net.kind.get(home) == FacilityKind.PUSKESMAS else None
                pkm = pkm or next(
                    (
                        lg.target
                        for lg in case.legs
                        if net.kind.get(lg.target) == FacilityKind.PUSKESMAS
                    ),
                    None,
                )
                answered = row.stamps.get("answered_at")
                if pkm and answered and leg.target in net.sender and pkm in net.receiver:
                    t = BACK_TOPICS[rng.randrange(len(BACK_TOPICS))]
                    back = new(
                        case,
                        _Leg(leg.target, pkm, "back", t, True),
                        answered + timedelta(hours=rng.randint(1, 48)),
                    )
                    if back is not None:
                        _live(draw, net, back, cut, _course(draw, back.leg))
            break
    return rows


# ---------------------------------------------------------------- write


def generate_referrals(
    *,
    seed: int = DEFAULT_SEED,
    end: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReferralSummary:
    """A year of referrals up to `end` (default: the history's last day, else today); nothing
    when referrals exist already. Needs the district, and its puskesmas logins to act for
    the primary-care facilities (``ilp.demo.coaching``); hospital staff logins are made when
    missing (``ensure_hospital_staff``)."""
    started = time.perf_counter()
    say = progress or (lambda message: None)
    summary = ReferralSummary()
    if referrals_exist() or not Facility.objects.filter(kind=FacilityKind.HOSPITAL).exists():
        return summary
    now = timezone.now()
    end = end or history_last_day() or timezone.localdate()
    end = min(end, timezone.localdate())
    start = end - timedelta(days=DAYS - 1)
    cut = min(now, timezone.make_aware(datetime.combine(end, dtime(23, 59))))
    summary.start, summary.end = start, end
    draw = _Draw(random.Random(f"referrals-{seed}"))  # noqa: S311 - demo data
    with transaction.atomic():
        ensure_hospital_staff()
        net = _network()
        cases = _cases(draw, net, start, end, seed)
        say(f"{len(cases)} referral cases drawn ({time.perf_counter() - started:.1f} s)")
        rows = _build(draw, net, cases, cut, next_pk(Referral))
        say(f"{len(rows)} referrals lived through ({time.perf_counter() - started:.1f} s)")
        summary.events = _write(rows, net, seed, now)
    reset_sequences(Referral, ReferralEvent)
    analyze(Referral, ReferralEvent)
    summary.referrals = len(rows)
    for row in rows:
        summary.by_state[row.state] = summary.by_state.get(row.state, 0) + 1
        summary.by_kind[row.leg.kind] = summary.by_kind.get(row.leg.kind, 0) + 1
    from ilp.referrals.selectors import answer_allowance

    summary.overdue = sum(
        1
        for r in rows
        if r.state in rules.AWAITING_RECEIVER and cut > r.decided + answer_allowance(r.leg.kind)
    )
    summary.seconds = time.perf_counter() - started
    return summary


def _write(rows: list[_Row], net: _Network, seed: int, now: datetime) -> int:
    id_rng = np.random.default_rng([seed, 42])
    raw = id_rng.bytes(16 * len(rows))
    uuids = [str(uuid.UUID(bytes=raw[i * 16 : i * 16 + 16], version=4)) for i in range(len(rows))]
    uuid_of = {row.id: uuids[i] for i, row in enumerate(rows)}
    adapt = connection.ops.adapt_datetimefield_value
    transport_draw = random.Random(f"referral-transport-{seed}")  # noqa: S311 - demo data

    def pick(weights: dict[str, int]) -> str:
        return transport_draw.choices(list(weights), weights=list(weights.values()))[0]

    cols: dict[str, list[Any]] = {
        k: []
        for k in (
            "id", "uuid", "person_id", "from_facility_id", "to_facility_id", "kind", "reason",
            "diagnosis_code", "encounter_id", "trigger_alerts", "care_given", "transport",
            "accompanied_by", "state", "detected_at", "decided_at", "departed_at",
            "received_at", "handled_at", "answered_at", "closed_at", "ended_at",
            "answer_diagnosis_code", "answer_care", "answer_advice", "back_referral_plan",
            "end_reason", "end_note", "previous_id", "created_by_id", "updated_by_id",
            "created_at", "updated_at",
        )
    }  # fmt: skip
    ev: dict[str, list[Any]] = {
        k: []
        for k in (
            "referral_id", "action", "from_state", "to_state", "occurred_at", "recorded_at",
            "by_id", "note", "detail",
        )
    }  # fmt: skip
    for i, row in enumerate(rows):
        leg, t = row.leg, row.leg.topic
        urgent = leg.kind in ("emergency", "maternal", "neonatal")
        s = row.stamps
        answered = row.answered
        last = max(e["occurred_at"] for e in row.events)
        values = {
            "id": row.id,
            "uuid": uuids[i],
            "person_id": row.case.person,
            "from_facility_id": leg.source,
            "to_facility_id": leg.target,
            "kind": leg.kind,
            "reason": t.reason,
            "diagnosis_code": t.diagnosis,
            # the finding's encounter goes with the legs it triggered (not the rujuk balik)
            "encounter_id": row.case.encounter if leg.kind != "back" else None,
            "trigger_alerts": "[]",
            "care_given": t.care if t.care != "-" else "",
            "transport": pick(TRANSPORT if urgent else TRANSPORT_PLANNED),
            "accompanied_by": pick(COMPANION) if urgent else pick({"family": 80, "none": 20}),
            "state": row.state,
            "answer_diagnosis_code": t.answer_dx if answered else "",
            "answer_care": t.answer_care if answered else "",
            "answer_advice": t.advice if answered else "",
            "back_referral_plan": t.plan if answered else "",
            "end_reason": row.end_reason,
            "end_note": "",
            "previous_id": row.previous,
            "created_by_id": row.events[0]["by"],
            "updated_by_id": row.last_by,
            "created_at": adapt(row.decided),
            "updated_at": adapt(last),
        }
        for name in (*rules.STEP_ORDER, "ended_at"):
            at = s.get(name)
            values[name] = adapt(at) if at is not None else None
        for k, v in values.items():
            cols[k].append(v)
        for e in row.events:
            detail = dict(e["detail"])
            for key in ("previous", "onward"):
                if key in detail:
                    detail[key] = uuid_of[detail[key]]
            ev["referral_id"].append(row.id)
            ev["action"].append(e["action"])
            ev["from_state"].append(e["from_state"])
            ev["to_state"].append(e["to_state"])
            ev["occurred_at"].append(adapt(e["occurred_at"]))
            # entered a few minutes after it happened (never after the generation itself)
            ev["recorded_at"].append(adapt(min(now, e["occurred_at"] + timedelta(minutes=5))))
            ev["by_id"].append(e["by"])
            ev["note"].append(e["note"])
            ev["detail"].append(json.dumps(detail))
    write_columns(Referral, cols, {})
    return write_columns(ReferralEvent, ev, {})
