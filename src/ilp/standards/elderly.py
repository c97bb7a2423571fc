"""Elderly screening: SKILAS (ICOPE step 1) and the modified Barthel index (0–20).

Sources: Instrumen SKILAS dan ADL (Kemenkes), CLINICAL.md §4.7 [S27] [C]; Petunjuk Teknis
ILP 2023 (DOMAIN.md §1.2): home care for moderate to total dependence.

SKILAS (Skrining Lansia Sederhana, age ≥ 60, at least yearly): any positive domain → refer to
the puskesmas for the follow-up tools (GDS-4, Mini-Cog/AMT, RAPUH, SPPB, MNA-SF).

Barthel (modified, 0–20): items and allowed points below; bands 20 independent, 12–19 mild,
9–11 moderate, 5–8 severe, 0–4 total dependence. Some copies swap the English labels
bowel/bladder: ILP keys map by the Indonesian label (``bowels`` = BAB, ``bladder`` = BAK).
The 100-point version (items × 5) has other bands and is not accepted here.
"""

from __future__ import annotations

from collections.abc import Mapping

from ilp.standards.result import Catalogue, Message, OutOfRange, RuleResult

SOURCE_SKILAS = "Instrumen SKILAS (Kemenkes, WHO ICOPE langkah 1); CLINICAL.md §4.7"
SOURCE_BARTHEL = "Indeks Barthel modifikasi (0–20), Instrumen ADL Kemenkes; CLINICAL.md §4.7"

MUAC_RANGE = (10.0, 60.0)

SKILAS_DOMAINS_ID: dict[str, str] = {
    "cognition": "Penurunan kognitif",
    "mobility": "Keterbatasan mobilisasi",
    "nutrition": "Malnutrisi",
    "vision": "Gangguan penglihatan",
    "hearing": "Gangguan pendengaran",
    "depression": "Gejala depresi",
}


def screen_skilas(
    *,
    recall_failed: bool,
    orientation_failed: bool,
    chair_rise_failed: bool,
    weight_loss: bool,
    appetite_loss: bool,
    muac_cm: float | None = None,
    eye_problem: bool,
    finger_count_failed: bool = False,
    whisper_not_heard: bool,
    whisper_untestable: bool = False,
    sad_or_hopeless: bool,
    little_interest: bool,
) -> RuleResult:
    """SKILAS: which of the six domains are positive; any positive → refer.

    Source: Instrumen SKILAS, CLINICAL.md §4.7. Domains: cognition (3-word recall or
    orientation error), mobility (5 chair rises not done within 14 s), nutrition (weight loss
    > 3 kg in 3 months / looser clothes, appetite loss, LiLA < 21 cm), vision (eye problem,
    or failed finger count), hearing (whisper not heard, or cannot be tested), depression
    (sad/hopeless, little interest in the past 2 weeks). Classes (``CODES["skilas"]``)
    ``refer`` / ``no_refer``; reasons ``positive_domains`` (``domains``: the domain codes in
    the order above, also in ``details["positive_domains"]``) / ``no_positive_domain``.
    """
    if muac_cm is not None and not MUAC_RANGE[0] <= muac_cm <= MUAC_RANGE[1]:
        raise OutOfRange("muac_cm", muac_cm, *MUAC_RANGE)
    low_muac = muac_cm is not None and muac_cm < 21.0
    domains = {
        "cognition": recall_failed or orientation_failed,
        "mobility": chair_rise_failed,
        "nutrition": weight_loss or appetite_loss or low_muac,
        # The finger-count test is only done when no eye problem is reported; either positive.
        "vision": eye_problem or finger_count_failed,
        # A whisper test that cannot be done is referred, as the form says.
        "hearing": whisper_not_heard or whisper_untestable,
        "depression": sad_or_hopeless or little_interest,
    }
    positive = [d for d, flag in domains.items() if flag]
    details: dict[str, object] = {"positive_domains": positive, "low_muac": low_muac}
    if positive:
        return CODES["skilas"].result(
            "refer",
            "positive_domains",
            {"domains": tuple(positive)},
            source=SOURCE_SKILAS,
            value=len(positive),
            details=details,
        )
    return CODES["skilas"].result(
        "no_refer", "no_positive_domain", source=SOURCE_SKILAS, value=0, details=details
    )


# item -> (Indonesian label, maximum points); every integer 0..max is allowed.
BARTHEL_ITEMS: dict[str, tuple[str, int]] = {
    "bowels": ("Mengendalikan rangsang BAB", 2),
    "bladder": ("Mengendalikan rangsang BAK", 2),
    "grooming": ("Membersihkan diri (cuci muka, sisir, sikat gigi)", 1),
    "toilet_use": ("Penggunaan jamban", 2),
    "feeding": ("Makan", 2),
    "transfer": ("Berpindah dari kursi roda ke tempat tidur", 3),
    "mobility": ("Berjalan di tempat rata (mobilitas)", 3),
    "dressing": ("Berpakaian", 2),
    "stairs": ("Naik turun tangga", 2),
    "bathing": ("Mandi", 1),
}

_BARTHEL_BANDS: tuple[tuple[int, str, str], ...] = (
    (20, "independent", "Mandiri"),
    (12, "mild", "Ketergantungan ringan"),
    (9, "moderate", "Ketergantungan sedang"),
    (5, "severe", "Ketergantungan berat"),
    (0, "total", "Ketergantungan total"),
)

CODES: dict[str, Catalogue] = {
    "skilas": Catalogue(
        rule="skilas",
        classes={
            "refer": Message("Rujuk ke puskesmas (SKILAS positif)"),
            "no_refer": Message("SKILAS negatif"),
        },
        reasons={
            "positive_domains": Message("Domain positif: {domains}", {"domains": "terms:domain"}),
            "no_positive_domain": Message("Tidak ada domain positif"),
        },
        terms={"domain": SKILAS_DOMAINS_ID},
    ),
    "barthel": Catalogue(
        rule="barthel",
        classes={code: Message(label) for _, code, label in _BARTHEL_BANDS},
        reasons={"barthel_score": Message("Skor Barthel {score} dari 20", {"score": "integer"})},
    ),
}


def score_barthel(items: Mapping[str, int]) -> RuleResult:
    """Modified Barthel ADL index (0–20) from the ten item scores.

    Source: Instrumen ADL (Barthel modifikasi), CLINICAL.md §4.7; home-care flag per Juknis
    ILP (DOMAIN.md §1.2). ``items`` must have exactly the keys of ``BARTHEL_ITEMS`` with
    integer points 0..max. Classes (``CODES["barthel"]``) ``independent`` (20), ``mild``
    (12–19), ``moderate`` (9–11), ``severe`` (5–8), ``total`` (0–4); reason ``barthel_score``
    (``score``); ``details["home_care"]`` for moderate–total.
    """
    missing = [k for k in BARTHEL_ITEMS if k not in items]
    unknown = [k for k in items if k not in BARTHEL_ITEMS]
    if missing or unknown:
        raise ValueError(f"Barthel items missing {missing} / unknown {unknown}")
    for key, (_, maximum) in BARTHEL_ITEMS.items():
        points = items[key]
        if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= maximum:
            raise OutOfRange(f"barthel.{key}", points, 0, maximum)
    total = sum(items[k] for k in BARTHEL_ITEMS)
    code = next(c for low, c, _ in _BARTHEL_BANDS if total >= low)
    return CODES["barthel"].result(
        code,
        "barthel_score",
        {"score": total},
        source=SOURCE_BARTHEL,
        value=total,
        details={
            "items": {k: items[k] for k in BARTHEL_ITEMS},
            "home_care": code in ("moderate", "severe", "total"),
        },
    )
