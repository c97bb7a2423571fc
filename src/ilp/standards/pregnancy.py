"""Pregnancy: gestational age and EDD, trimester, the K1–K6 ANC schedule, KSPR and KEK.

Sources:
- EDD by Naegele's rule: LMP + 280 days. The calendar form (LMP + 7 days − 3 months + 1
  year) differs from LMP + 280 days by up to about 3 days depending on the months crossed
  (February); ILP uses + 280 days and offers ``edd_naegele_calendar`` only for comparison
  with hand-filled Buku KIA pages.
- Trimesters, ANC contacts: Juknis ILP ANC terpadu, DOMAIN.md §3.2; Permenkes 21/2021 as
  quoted, CLINICAL.md §3.1 [P]: ≥ 6 contacts, ≥ 2 with a doctor (K1 in TM1 and K5 in TM3,
  with ultrasound). Split 1-2-3 (juknis transcription, default) or 2-1-3 (Buku KIA / PMK
  21/2021 as quoted in apps), a parameter (CLINICAL.md §7 item 2 open).
- Trimester boundaries as the current Kemenkes text writes them: Buku KIA (Kemenkes, 2020 and
  later editions; its "Periksa kehamilan minimal 6 kali" page, transcribed word for word in
  public Indonesian ANC apps): "trimester pertama (kehamilan hingga 12 minggu)", "trimester
  kedua (kehamilan di atas 12 minggu sampai 24 minggu)", "trimester ketiga (kehamilan di atas
  24 minggu sampai 40 minggu)"; the juknis ILP transcription (DOMAIN.md §3.2) has the same
  "TM1 0–12 wk, TM2 > 12–24 wk, TM3 > 24 wk". Read on the gestational age in days: TM1 up to
  and including 12w0d (84 days), TM2 from 12w1d to 24w0d (168 days), TM3 from 24w1d. (Until
  2026 ILP read the weeks as completed weeks, TM1 to 12w6d; "di atas 12 minggu" is above
  12 weeks, so 12w1d is TM2.)
- KSPR (Kartu Skor Poedji Rochjati), CLINICAL.md §3.3 [S17] [C]: initial score 2, factor
  scores, KRR 2 / KRT 6–10 / KRST ≥ 12, advice (Poedji Rochjati 2003). Inequality signs as in
  the CLINICAL.md table: first pregnancy at age ≤ 16; ≥ 4 years married; first pregnancy at
  ≥ 35; < 2 years since the last birth; ≥ 10 years; ≥ 4 children; age ≥ 35; height ≤ 145 cm.
  Item 2b (first pregnancy at ≥ 35) and item 6 (age ≥ 35) are separate boxes on the card and
  both score for a primigravida of 35 or more.
- KEK (chronic energy deficiency) risk: LiLA < 23.5 cm, CLINICAL.md §3.4 [S18] [C].
- Anaemia in pregnancy: ``ilp.standards.anaemia.classify_anaemia(pregnant=True, trimester=…)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ilp.standards.result import Catalogue, Message, Note, OutOfRange, RuleResult

SOURCE_GA = "Aturan Naegele (HPHT + 280 hari); CLINICAL.md §3.1, DOMAIN.md §3.2"
SOURCE_ANC = (
    "Permenkes 21/2021 (ANC ≥ 6 kali, K1 dan K5 oleh dokter); Juknis ILP ANC terpadu; "
    "DOMAIN.md §3.2, CLINICAL.md §3.1"
)
SOURCE_KSPR = "Kartu Skor Poedji Rochjati (Rochjati 2003); CLINICAL.md §3.3"
SOURCE_KEK = "Kemenkes, LiLA < 23,5 cm risiko KEK; CLINICAL.md §3.4"

PREGNANCY_DAYS = 280
MAX_GA_DAYS = 44 * 7  # beyond 44 weeks the dates or the pregnancy record are wrong
USG_GA_RANGE = (35, 42 * 7)  # days at the scan (5 weeks .. 42 weeks)


@dataclass(frozen=True, slots=True)
class GestationalAge:
    """Gestational age on a date: total days, completed weeks + days, EDD, trimester, basis."""

    days: int
    weeks: int
    extra_days: int
    edd: date
    trimester: int
    basis: str  # "lmp" or "usg"

    @property
    def text(self) -> str:
        """Indonesian display, e.g. ``"12 minggu 3 hari"``."""
        return f"{self.weeks} minggu {self.extra_days} hari"


def edd_from_lmp(lmp: date) -> date:
    """EDD (HPL) = LMP (HPHT) + 280 days (Naegele's rule)."""
    return lmp + timedelta(days=PREGNANCY_DAYS)


def edd_naegele_calendar(lmp: date) -> date:
    """Calendar form of Naegele's rule: + 7 days, − 3 months, + 1 year (for comparison only;
    within a few days of ``edd_from_lmp``). Month ends clamp."""
    d = lmp + timedelta(days=7)
    month = d.month - 3
    year = d.year + 1
    if month < 1:
        month += 12
        year -= 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(d.day, last))


def edd_from_usg(usg_date: date, ga_days_at_scan: int) -> date:
    """EDD from an (early) ultrasound: scan date + (280 − GA at scan in days)."""
    if not USG_GA_RANGE[0] <= ga_days_at_scan <= USG_GA_RANGE[1]:
        raise OutOfRange("ga_days_at_scan", ga_days_at_scan, *USG_GA_RANGE)
    return usg_date + timedelta(days=PREGNANCY_DAYS - ga_days_at_scan)


TM1_LAST_DAY = 12 * 7  # "hingga 12 minggu"
TM2_LAST_DAY = 24 * 7  # "di atas 12 minggu sampai 24 minggu"


def trimester_of(ga_days: int) -> int:
    """Trimester from gestational age in days: TM1 ≤ 12w0d, TM2 12w1d–24w0d, TM3 ≥ 24w1d
    (Buku KIA "hingga 12 minggu" / "di atas 12 minggu sampai 24 minggu" / "di atas 24
    minggu"; module docstring)."""
    if not 0 <= ga_days <= MAX_GA_DAYS:
        raise OutOfRange("gestational_age_days", ga_days, 0, MAX_GA_DAYS)
    if ga_days <= TM1_LAST_DAY:
        return 1
    if ga_days <= TM2_LAST_DAY:
        return 2
    return 3


def gestational_age(
    on: date,
    *,
    lmp: date | None = None,
    usg_date: date | None = None,
    usg_ga_days: int | None = None,
) -> GestationalAge:
    """Gestational age on ``on`` from LMP or from an ultrasound (date + GA at scan, in days).

    Source: Naegele's rule (LMP + 280 d), CLINICAL.md §3.1. When both are given the
    ultrasound dating is used (an early scan dates more accurately than a recalled LMP).
    Raises OutOfRange when ``on`` is before conception dating or beyond 44 weeks.
    """
    if usg_date is not None and usg_ga_days is not None:
        edd = edd_from_usg(usg_date, usg_ga_days)
        basis = "usg"
    elif lmp is not None:
        edd = edd_from_lmp(lmp)
        basis = "lmp"
    else:
        raise ValueError("lmp, or usg_date with usg_ga_days, is needed")
    days = PREGNANCY_DAYS - (edd - on).days
    if not 0 <= days <= MAX_GA_DAYS:
        raise OutOfRange("gestational_age_days", days, 0, MAX_GA_DAYS)
    return GestationalAge(days, days // 7, days % 7, edd, trimester_of(days), basis)


# ---------------------------------------------------------------- ANC K1–K6

SPLITS: dict[str, tuple[int, ...]] = {
    # trimester of K1..K6
    "1-2-3": (1, 2, 2, 3, 3, 3),
    "2-1-3": (1, 1, 2, 3, 3, 3),
}
DOCTOR_CONTACTS = ("K1", "K5")


@dataclass(frozen=True, slots=True)
class AncContact:
    """One ANC contact: its date and whether a doctor saw the woman."""

    on: date
    by_doctor: bool = False


_SLOT = {"visit": "text", "trimester": "integer"}
CODES: dict[str, Catalogue] = {
    "anc_contact": Catalogue(
        rule="anc_contact",
        classes={
            "done": Message("Sudah"),
            "due": Message("Jatuh tempo"),
            "overdue": Message("Terlambat"),
            "not_yet": Message("Belum waktunya"),
        },
        reasons={
            "contact_done": Message(
                "{visit} dilakukan {done_on}", {"visit": "text", "done_on": "date"}
            ),
            "trimester_now": Message("{visit} pada trimester {trimester} (sekarang)", _SLOT),
            "trimester_passed": Message(
                "{visit} terlewat: trimester {trimester} sudah lewat", _SLOT
            ),
            "trimester_not_reached": Message(
                "{visit} pada trimester {trimester} (belum dimulai)", _SLOT
            ),
        },
        notes={"doctor_missing": Message("belum ada kontak dengan dokter pada trimester ini")},
    ),
    "anc_summary": Catalogue(
        rule="anc_summary",
        classes={
            "k6": Message("K6 terpenuhi"),
            "k4": Message("K4 (belum K6)"),
            "k1": Message("K{contacts}", {"contacts": "integer"}),
            "none": Message("Belum ANC"),
        },
        reasons={
            "contacts": Message(
                "{contacts} kontak, {doctor_contacts} dengan dokter",
                {"contacts": "integer", "doctor_contacts": "integer"},
            ),
            "contacts_pending": Message(
                "{contacts} kontak, {doctor_contacts} dengan dokter; perlu: {pending}",
                {"contacts": "integer", "doctor_contacts": "integer", "pending": "texts"},
            ),
        },
    ),
}
_SLOT_REASONS = {
    "done": "contact_done",
    "due": "trimester_now",
    "overdue": "trimester_passed",
    "not_yet": "trimester_not_reached",
}


@dataclass(frozen=True, slots=True)
class AncSlot:
    """State of one scheduled contact K1..K6.

    state    done | due (its trimester is now) | overdue (its trimester passed without it)
             | not_yet (its trimester has not begun)
    doctor_required / doctor_missing: K1 and K5 are doctor contacts; doctor_missing is True
             when the trimester had contacts but none with a doctor.

    ``reason_code``, ``params`` and ``notes`` say why (``CODES["anc_contact"]``: the state is
    the class); ``reason`` is that in Indonesian.
    """

    code: str
    trimester: int
    state: str
    doctor_required: bool
    doctor_missing: bool = False
    done_on: date | None = None

    @property
    def item(self) -> str:
        """Work-list item text, e.g. ``anc:K3``."""
        return f"anc:{self.code}"

    @property
    def reason_code(self) -> str:
        """Why the slot is in its state: ``contact_done``, ``trimester_now``,
        ``trimester_passed`` or ``trimester_not_reached``."""
        return _SLOT_REASONS[self.state]

    @property
    def params(self) -> dict[str, str | int | date | None]:
        """The reason's parameters: ``visit`` and ``done_on`` or ``trimester``."""
        if self.state == "done":
            return {"visit": self.code, "done_on": self.done_on}
        return {"visit": self.code, "trimester": self.trimester}

    @property
    def notes(self) -> tuple[Note, ...]:
        """``doctor_missing`` when this doctor contact's trimester had no doctor."""
        return (Note("doctor_missing"),) if self.doctor_missing else ()

    @property
    def reason(self) -> str:
        """The reason in Indonesian."""
        return CODES["anc_contact"].reason_text(self.reason_code, self.params, self.notes)


def anc_schedule(split: str = "1-2-3") -> list[tuple[str, int, bool]]:
    """K1–K6 as (code, trimester, doctor contact) for a split ("1-2-3" default or "2-1-3")."""
    if split not in SPLITS:
        raise ValueError(f"unknown ANC split {split!r}; use one of {sorted(SPLITS)}")
    return [(f"K{i + 1}", tm, f"K{i + 1}" in DOCTOR_CONTACTS) for i, tm in enumerate(SPLITS[split])]


def anc_status(
    on: date,
    contacts: Iterable[AncContact],
    *,
    lmp: date | None = None,
    usg_date: date | None = None,
    usg_ga_days: int | None = None,
    split: str = "1-2-3",
) -> list[AncSlot]:
    """State of the six scheduled ANC contacts on ``on``.

    Source: Permenkes 21/2021 as quoted and Juknis ILP (CLINICAL.md §3.1, DOMAIN.md §3.2).
    Contacts fill the slots of the trimester they fall in, in date order; extra contacts in a
    trimester do not fill another trimester's slot. A slot is ``due`` while its trimester runs
    and ``overdue`` once it has passed. Contacts before the pregnancy or after ``on`` raise
    OutOfRange.
    """
    schedule = anc_schedule(split)
    ga_now = gestational_age(on, lmp=lmp, usg_date=usg_date, usg_ga_days=usg_ga_days)
    by_tm: dict[int, list[AncContact]] = {1: [], 2: [], 3: []}
    for c in sorted(contacts, key=lambda c: c.on):
        if c.on > on:
            raise OutOfRange("contact.on", c.on, "—", on)
        days = PREGNANCY_DAYS - (ga_now.edd - c.on).days
        if days < 0:
            raise OutOfRange("contact.on", c.on, ga_now.edd - timedelta(PREGNANCY_DAYS), on)
        by_tm[trimester_of(days)].append(c)
    used = {1: 0, 2: 0, 3: 0}
    out = []
    for code, tm, doctor in schedule:
        contacts_tm = by_tm[tm]
        if used[tm] < len(contacts_tm):
            c = contacts_tm[used[tm]]
            used[tm] += 1
            missing = doctor and not any(x.by_doctor for x in contacts_tm)
            out.append(AncSlot(code, tm, "done", doctor, missing, c.on))
            continue
        if ga_now.trimester < tm:
            state = "not_yet"
        elif ga_now.trimester == tm:
            state = "due"
        else:
            state = "overdue"
        out.append(AncSlot(code, tm, state, doctor))
    return out


def anc_summary(slots: list[AncSlot], contacts_done: int, doctor_contacts: int) -> RuleResult:
    """K-status for reports: K1 reached, K4 (≥ 4 contacts), K6 (≥ 6 contacts, ≥ 2 with a doctor,
    every slot in its trimester). Source: DOMAIN.md §3.2 (K1/K4/K6 definitions).

    Classes (``CODES["anc_summary"]``) ``k6``, ``k4``, ``k1`` (label "K1"–"K3" by
    ``contacts``), ``none``; reasons ``contacts`` / ``contacts_pending`` (``pending``: the
    slots due or overdue)."""
    k6 = contacts_done >= 6 and doctor_contacts >= 2 and all(s.state == "done" for s in slots)
    if k6:
        code = "k6"
    elif contacts_done >= 4:
        code = "k4"
    elif contacts_done >= 1:
        code = "k1"
    else:
        code = "none"
    pending = [s.code for s in slots if s.state in ("due", "overdue")]
    params: dict[str, int | tuple[str, ...]] = {
        "contacts": contacts_done,
        "doctor_contacts": doctor_contacts,
    }
    reason = "contacts"
    if pending:
        reason, params["pending"] = "contacts_pending", tuple(pending)
    return CODES["anc_summary"].result(
        code,
        reason,
        params,
        source=SOURCE_ANC,
        value=contacts_done,
        details={"pending": pending},
    )


# ---------------------------------------------------------------- KSPR

# code -> (card number, Indonesian label, score)
KSPR_FACTORS: dict[str, tuple[str, str, int]] = {
    "too_young_first": ("1", "Terlalu muda, hamil pertama ≤ 16 tahun", 4),
    "late_first": ("2a", "Terlalu lambat hamil pertama, kawin ≥ 4 tahun", 4),
    "old_first": ("2b", "Terlalu tua, hamil pertama ≥ 35 tahun", 4),
    "too_soon": ("3", "Terlalu cepat hamil lagi (< 2 tahun)", 4),
    "too_long": ("4", "Terlalu lama hamil lagi (≥ 10 tahun)", 4),
    "too_many": ("5", "Terlalu banyak anak, 4 atau lebih", 4),
    "too_old": ("6", "Terlalu tua, umur ≥ 35 tahun", 4),
    "too_short": ("7", "Terlalu pendek, ≤ 145 cm", 4),
    "failed_pregnancy": ("8", "Pernah gagal kehamilan", 4),
    "assisted_delivery": ("9a", "Pernah melahirkan dengan tarikan tang/vakum", 4),
    "manual_placenta": ("9b", "Pernah melahirkan dengan uri dirogoh", 4),
    "infusion_transfusion": ("9c", "Pernah melahirkan dengan diberi infus/transfusi", 4),
    "caesarean": ("10", "Pernah operasi sesar", 8),
    "anaemia": ("11a", "Penyakit pada ibu hamil: kurang darah (anemia)", 4),
    "malaria": ("11b", "Penyakit pada ibu hamil: malaria", 4),
    "tuberculosis": ("11c", "Penyakit pada ibu hamil: TBC paru", 4),
    "heart_failure": ("11d", "Penyakit pada ibu hamil: payah jantung", 4),
    "diabetes": ("11e", "Penyakit pada ibu hamil: kencing manis (diabetes)", 4),
    "sti": ("11f", "Penyakit pada ibu hamil: penyakit menular seksual", 4),
    "oedema_hypertension": ("12", "Bengkak pada muka/tungkai dan tekanan darah tinggi", 4),
    "twins": ("13", "Hamil kembar 2 atau lebih", 4),
    "hydramnios": ("14", "Hamil kembar air (hidramnion)", 4),
    "fetal_death": ("15", "Bayi mati dalam kandungan", 4),
    "post_term": ("16", "Kehamilan lebih bulan", 4),
    "breech": ("17", "Letak sungsang", 8),
    "transverse_lie": ("18", "Letak lintang", 8),
    "antepartum_bleeding": ("19", "Perdarahan dalam kehamilan ini", 8),
    "severe_preeclampsia": ("20", "Preeklampsia berat/kejang-kejang", 8),
}
# Factors about previous deliveries cannot be present in a first pregnancy.
_OBSTETRIC_HISTORY = (
    "failed_pregnancy",
    "assisted_delivery",
    "manual_placenta",
    "infusion_transfusion",
    "caesarean",
)
_FLAG_FACTORS = tuple(
    k
    for k in KSPR_FACTORS
    if k
    not in {
        "too_young_first",
        "late_first",
        "old_first",
        "too_soon",
        "too_long",
        "too_many",
        "too_old",
        "too_short",
    }
)

KSPR_CATEGORIES = {
    "krr": ("Kehamilan Risiko Rendah (KRR)", "Persalinan ditolong tenaga kesehatan; tidak dirujuk"),
    "krt": (
        "Kehamilan Risiko Tinggi (KRT)",
        "Persalinan ditolong tenaga kesehatan (bidan/dokter) di fasilitas kesehatan",
    ),
    "krst": (
        "Kehamilan Risiko Sangat Tinggi (KRST)",
        "Rujuk: persalinan di rumah sakit oleh dokter spesialis kebidanan",
    ),
}

# The codes of ``score_kspr``: the class, the factors (with their scores) and the advice per
# class (``terms["advice"]``, also in ``details["advice"]``).
KSPR_CODES = Catalogue(
    rule="kspr",
    classes={code: Message(label) for code, (label, _) in KSPR_CATEGORIES.items()},
    reasons={
        "initial_score_only": Message(
            "Skor awal 2, tanpa faktor risiko; total {total}", {"total": "integer"}
        ),
        "score_with_factors": Message(
            "Skor awal 2; {factors}; total {total}",
            {"total": "integer", "factors": "terms:factor"},
        ),
    },
    terms={
        "factor": {code: f"{label} (+{score})" for code, (_, label, score) in KSPR_FACTORS.items()},
        "advice": {code: advice for code, (_, advice) in KSPR_CATEGORIES.items()},
    },
)
CODES["kspr"] = KSPR_CODES

AGE_RANGE = (10, 60)
HEIGHT_RANGE = (100.0, 200.0)
CHILDREN_RANGE = (0, 20)


def score_kspr(
    *,
    age_years: int,
    height_cm: float,
    first_pregnancy: bool,
    children: int = 0,
    years_married: float | None = None,
    years_since_last_birth: float | None = None,
    factors: Iterable[str] = (),
) -> RuleResult:
    """KSPR score and category (KRR/KRT/KRST) with the delivery advice.

    Source: Kartu Skor Poedji Rochjati, CLINICAL.md §3.3 (signs in the module docstring).
    Items 1–7 are derived from ``age_years``, ``height_cm``, ``first_pregnancy``, ``children``,
    ``years_married`` (first pregnancy only) and ``years_since_last_birth`` (from the last
    delivery to this pregnancy). Items 8–20 are ``factors`` codes from ``KSPR_FACTORS``.
    ``value`` = total; ``details["factors"]`` = [(card no., code, score), …]. Classes
    (``CODES["kspr"]``) ``krr``, ``krt``, ``krst``; reasons ``initial_score_only`` /
    ``score_with_factors`` (``factors``: codes of ``KSPR_FACTORS``), with ``total``.
    """
    if not AGE_RANGE[0] <= age_years <= AGE_RANGE[1]:
        raise OutOfRange("age_years", age_years, *AGE_RANGE)
    if not HEIGHT_RANGE[0] <= height_cm <= HEIGHT_RANGE[1]:
        raise OutOfRange("height_cm", height_cm, *HEIGHT_RANGE)
    if not CHILDREN_RANGE[0] <= children <= CHILDREN_RANGE[1]:
        raise OutOfRange("children", children, *CHILDREN_RANGE)
    if years_married is not None and not 0 <= years_married <= 50:
        raise OutOfRange("years_married", years_married, 0, 50)
    if years_since_last_birth is not None and not 0 <= years_since_last_birth <= 50:
        raise OutOfRange("years_since_last_birth", years_since_last_birth, 0, 50)
    flags = list(dict.fromkeys(factors))
    unknown = [f for f in flags if f not in _FLAG_FACTORS]
    if unknown:
        raise ValueError(f"unknown KSPR factors {unknown}; use codes of KSPR_FACTORS items 8–20")
    if first_pregnancy and (
        children or years_since_last_birth is not None or set(flags) & set(_OBSTETRIC_HISTORY)
    ):
        raise ValueError("first_pregnancy excludes children, last birth and obstetric history")

    present: list[str] = []
    if first_pregnancy:
        if age_years <= 16:
            present.append("too_young_first")
        if years_married is not None and years_married >= 4:
            present.append("late_first")
        if age_years >= 35:
            present.append("old_first")
    elif years_since_last_birth is not None:
        if years_since_last_birth < 2:
            present.append("too_soon")
        elif years_since_last_birth >= 10:
            present.append("too_long")
    if children >= 4:
        present.append("too_many")
    if age_years >= 35:
        present.append("too_old")
    if height_cm <= 145:
        present.append("too_short")
    present += flags

    total = 2 + sum(KSPR_FACTORS[f][2] for f in present)
    if total >= 12:
        code = "krst"
    elif total >= 6:
        code = "krt"
    else:
        code = "krr"
    advice = KSPR_CATEGORIES[code][1]
    params: dict[str, int | tuple[str, ...]] = {"total": total}
    reason = "initial_score_only"
    if present:
        reason, params["factors"] = "score_with_factors", tuple(present)
    return KSPR_CODES.result(
        code,
        reason,
        params,
        source=SOURCE_KSPR,
        value=total,
        details={
            "factors": [(KSPR_FACTORS[f][0], f, KSPR_FACTORS[f][2]) for f in present],
            "advice": advice,
        },
    )


# ---------------------------------------------------------------- KEK

MUAC_RANGE = (10.0, 60.0)
KEK_MUAC_CM = 23.5
_MUAC = {"muac": "number", "limit": "number"}
KEK_CODES = Catalogue(
    rule="kek",
    classes={"kek_risk": Message("Risiko KEK"), "normal": Message("Tidak berisiko KEK")},
    reasons={
        "muac_below": Message("LiLA {muac} cm < {limit} cm", _MUAC),
        "muac_at_or_above": Message("LiLA {muac} cm ≥ {limit} cm", _MUAC),
    },
)
CODES["kek"] = KEK_CODES


def classify_kek(muac_cm: float) -> RuleResult:
    """KEK risk in women of reproductive age (pregnant included): LiLA < 23.5 cm.

    Source: Kemenkes (Depkes 2012), CLINICAL.md §3.4. Classes (``CODES["kek"]``)
    ``kek_risk`` / ``normal``; reasons ``muac_below`` / ``muac_at_or_above``.
    """
    if not MUAC_RANGE[0] <= muac_cm <= MUAC_RANGE[1]:
        raise OutOfRange("muac_cm", muac_cm, *MUAC_RANGE)
    params = {"muac": muac_cm, "limit": KEK_MUAC_CM}
    if muac_cm < KEK_MUAC_CM:
        return KEK_CODES.result("kek_risk", "muac_below", params, source=SOURCE_KEK, value=muac_cm)
    return KEK_CODES.result("normal", "muac_at_or_above", params, source=SOURCE_KEK, value=muac_cm)
