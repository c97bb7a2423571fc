"""The items of the questionnaires a package form asks, one tuple per questionnaire.

Each item is ``(code, translated question)``; the code is the keyword the rule in
:mod:`ilp.standards` takes, so the form's ticks and the evaluators' answers are named by the
same tuple. Instruments whose items the standards module defines (SRQ-20, KSPR, Barthel) are
read from there. Which questionnaire a package asks is its registry entry's business
(`ilp.care.evaluation.registry`): TB screening asks children other questions than adults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ilp.standards.elderly import BARTHEL_ITEMS
from ilp.standards.mental_health import ITEMS_ID as SRQ20_ITEMS_ID
from ilp.standards.pregnancy import KSPR_FACTORS


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """One questionnaire: the value key it is stored under, how the form shows it and its
    items. kind: checklist (yes/no ticks) | answers_list (SRQ-20: a list of 20 booleans) |
    kspr | barthel | danger_signs | doses."""

    key: str
    kind: str
    items: tuple[tuple[str, Any], ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _label in self.items)


TB_CHILD = Questionnaire(
    "tb",
    "checklist",
    (
        ("fever_2_weeks", _("Demam ≥ 2 minggu tanpa sebab jelas")),
        ("cough_2_weeks", _("Batuk ≥ 2 minggu")),
        ("weight_faltering_2_months", _("Berat badan turun/tidak naik 2 bulan")),
        ("lethargy", _("Lesu, kurang aktif bermain")),
        ("contact_history", _("Kontak serumah dengan pasien TBC")),
    ),
)
TB_ADULT = Questionnaire(
    "tb",
    "checklist",
    (
        ("cough", _("Batuk (berapa pun lamanya)")),
        ("weight_loss", _("Berat badan turun tanpa sebab")),
        ("fever", _("Demam hilang timbul")),
        ("weakness", _("Lesu/lemah")),
        ("night_sweats", _("Berkeringat malam tanpa aktivitas")),
        ("breathlessness", _("Sesak napas")),
        ("lymph_nodes", _("Benjolan di leher (pembesaran kelenjar)")),
        ("contact_history", _("Kontak dengan pasien TBC")),
        ("risk_factor", _("Faktor risiko (DM, HIV, perokok, lansia, gizi kurang)")),
    ),
)
PUMA = Questionnaire(
    "puma",
    "checklist",
    (
        ("breathless", _("Sesak napas saat berjalan cepat atau mendaki")),
        ("phlegm", _("Dahak dari paru saat tidak flu")),
        ("cough", _("Batuk saat tidak flu")),
        ("spirometry_offered", _("Pernah diperiksa spirometri/peak flow")),
    ),
)
# Named as the keyword arguments of standards.elderly.screen_skilas.
SKILAS = Questionnaire(
    "skilas",
    "checklist",
    (
        ("recall_failed", _("Gagal mengingat 3 kata")),
        ("orientation_failed", _("Salah menyebut waktu/tempat")),
        ("chair_rise_failed", _("Tidak bisa 5 kali berdiri dari kursi dalam 14 detik")),
        ("weight_loss", _("Berat badan turun > 3 kg dalam 3 bulan / pakaian longgar")),
        ("appetite_loss", _("Nafsu makan hilang")),
        ("eye_problem", _("Masalah pada mata")),
        ("finger_count_failed", _("Gagal hitung jari")),
        ("whisper_not_heard", _("Tidak mendengar bisikan")),
        ("whisper_untestable", _("Tes bisik tidak dapat dilakukan")),
        ("sad_or_hopeless", _("Merasa sedih/putus asa 2 minggu terakhir")),
        ("little_interest", _("Kurang minat/senang melakukan sesuatu")),
    ),
)
SRQ20 = Questionnaire(
    "srq20",
    "answers_list",
    tuple((str(i), text) for i, text in enumerate(SRQ20_ITEMS_ID, start=1)),
)

# KSPR items 1–7 (age, height, parity, spacing) come from the records and two numbers the
# form asks for (KSPR_NUMBERS); the card's ticks are items 8–20 (evaluation.maternal).
KSPR_FROM_RECORDS = frozenset(
    {
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
KSPR_NUMBERS = (
    ("years_married", _("Lama menikah (tahun), bila hamil pertama")),
    ("years_since_last_birth", _("Jarak dari persalinan terakhir (tahun)")),
)
KSPR = Questionnaire(
    "kspr",
    "kspr",
    tuple(
        (code, f"{number}. {label} ({score})")
        for code, (number, label, score) in KSPR_FACTORS.items()
        if code not in KSPR_FROM_RECORDS
    ),
)
# (code, label); the highest score of each item is BARTHEL_TOP.
BARTHEL = Questionnaire(
    "barthel", "barthel", tuple((code, label) for code, (label, _top) in BARTHEL_ITEMS.items())
)
BARTHEL_TOP = {code: top for code, (_label, top) in BARTHEL_ITEMS.items()}
# Newborn danger signs (Buku KIA); stored as the ticked texts.
DANGER_SIGNS = Questionnaire(
    "danger_signs",
    "danger_signs",
    tuple(
        (str(i), text)
        for i, text in enumerate(
            (
                _("Tidak mau menyusu"),
                _("Kejang"),
                _("Lemah, bergerak hanya jika dipegang"),
                _("Napas cepat (≥ 60/menit)"),
                _("Tarikan dinding dada ke dalam yang kuat"),
                _("Demam atau tubuh dingin"),
                _("Kuning sampai telapak tangan/kaki"),
                _("Tali pusat merah sampai dinding perut atau bernanah"),
                _("Diare"),
            )
        )
    ),
)
# The immunisation doses given: rows of (dose code, lot number, expiry date).
DOSES = Questionnaire("doses", "doses")
DOSE_PARTS = ("dose_code", "lot_number", "expiry_date")
DOSE_ROWS = 3
