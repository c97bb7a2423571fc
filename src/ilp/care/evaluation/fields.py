"""Every value key a service package can carry: its type, names, unit, codes and limits.

One entry per key, read by everything that needs to know about a value: the services' parsing
and plausibility limits (`ilp.care.services.plausibility`, which re-exports this table as
``SPECS``), the form (label, widget, choice labels), the stored observation (unit, LOINC) and
the correction pages. Which keys a package offers, and in which fieldset, is the package's
registry entry (`ilp.care.evaluation.registry`).

Hard limits (``low``/``high``) are wide physical bounds, not clinical cut-offs: they catch
slips of the keyboard (a weight typed in grams, a missing decimal point). ILP observation
codes; LOINC codes from DOMAIN.md §8.6; waist 8280-0 and birth weight 8339-4 are the LOINC
codes for those measurements (not yet listed by SATUSEHAT).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

KINDS = ("number", "int", "bool", "choice", "text", "answers")


@dataclass(frozen=True, slots=True)
class Spec:
    """One value key. kind: number | int | bool | choice | text | answers (questionnaire).

    ``label`` is the short Indonesian name used inside messages ("Berat badan harus berupa
    angka"); ``form_label`` the translated label of the form field, with its unit."""

    label: str
    kind: str = "number"
    unit: str = ""
    loinc: str = ""
    low: float | None = None
    high: float | None = None
    options: tuple[tuple[str, Any], ...] = ()  # (code, translated label) of a choice
    observe: bool = True  # stored as an Observation (questionnaires go to Screening rows)
    form_label: Any = ""
    checkbox: bool = False  # given "now" (a tick); other yes/no findings are tri-state
    female_only: bool = False  # offered only to women

    @property
    def choices(self) -> tuple[str, ...]:
        """The codes a choice accepts."""
        return tuple(code for code, _label in self.options)


def _num(label: str, form_label: Any, unit: str, loinc: str, low: float, high: float) -> Spec:
    return Spec(label, unit=unit, loinc=loinc, low=low, high=high, form_label=form_label)


SPECS: dict[str, Spec] = {
    "weight": _num("Berat badan", _("Berat badan (kg)"), "kg", "29463-7", 0.3, 250),
    "height": _num("Panjang/tinggi badan", _("Panjang/tinggi badan (cm)"), "cm", "8302-2", 30, 250),
    "measured": Spec(
        "Cara ukur",
        kind="choice",
        options=(("lying", _("Telentang (PB)")), ("standing", _("Berdiri (TB)"))),
        form_label=_("Cara ukur"),
    ),
    "oedema": Spec(
        "Edema bilateral",
        kind="bool",
        form_label=_("Edema bilateral (kedua punggung kaki)"),
        checkbox=True,
    ),
    "muac": _num("LiLA", _("LiLA (cm)"), "cm", "56072-2", 5, 60),
    "head": _num("Lingkar kepala", _("Lingkar kepala (cm)"), "cm", "9843-4", 20, 70),
    "waist": _num("Lingkar perut", _("Lingkar perut (cm)"), "cm", "8280-0", 40, 200),
    "sbp": _num(
        "Tekanan darah sistolik", _("Tekanan darah sistolik (mmHg)"), "mm[Hg]", "8480-6", 50, 300
    ),
    "dbp": _num(
        "Tekanan darah diastolik",
        _("Tekanan darah diastolik (mmHg)"),
        "mm[Hg]",
        "8462-4",
        20,
        200,
    ),
    "temperature": _num("Suhu", _("Suhu (°C)"), "Cel", "8310-5", 30, 45),
    "hb": _num("Hemoglobin", _("Hemoglobin (g/dL)"), "g/dL", "718-7", 2, 25),
    "glucose_fasting": _num(
        "Gula darah puasa", _("Gula darah puasa (mg/dL)"), "mg/dL", "2345-7", 20, 1000
    ),
    "glucose_random": _num(
        "Gula darah sewaktu", _("Gula darah sewaktu (mg/dL)"), "mg/dL", "2339-0", 20, 1000
    ),
    "fundal_height": _num(
        "Tinggi fundus uteri", _("Tinggi fundus uteri (cm)"), "cm", "11881-0", 5, 50
    ),
    "fetal_hr": _num(
        "Denyut jantung janin", _("Denyut jantung janin (/menit)"), "/min", "55283-6", 50, 250
    ),
    "birth_weight": _num("Berat lahir", _("Berat lahir (kg)"), "kg", "8339-4", 0.3, 7),
    "visit_number": Spec(
        "Kunjungan ke-", kind="int", low=1, high=6, observe=False, form_label=_("Kunjungan ke-")
    ),
    "iron_tablets": Spec(
        "Tablet tambah darah diberikan",
        kind="int",
        low=0,
        high=120,
        observe=False,
        form_label=_("Tablet tambah darah diberikan (butir)"),
    ),
    "vitamin_a": Spec(
        "Vitamin A diberikan",
        kind="bool",
        observe=False,
        form_label=_("Vitamin A diberikan hari ini"),
        checkbox=True,
    ),
    "td_status": Spec(
        "Status imunisasi Td",
        kind="choice",
        options=tuple((f"T{i}", f"T{i}") for i in range(6)),
        form_label=_("Status imunisasi Td"),
    ),
    "development": Spec(
        "Hasil KPSP",
        kind="choice",
        options=(
            ("sesuai", _("Sesuai")),
            ("meragukan", _("Meragukan")),
            ("penyimpangan", _("Ada penyimpangan")),
        ),
        form_label=_("Hasil KPSP (perkembangan)"),
    ),
    "smoking": Spec("Merokok", kind="bool", form_label=_("Merokok")),
    "cigarettes_per_day": Spec(
        "Batang rokok per hari",
        low=0,
        high=100,
        observe=False,
        form_label=_("Batang rokok per hari"),
    ),
    "smoking_years": Spec(
        "Lama merokok (tahun)",
        low=0,
        high=100,
        observe=False,
        form_label=_("Lama merokok (tahun)"),
    ),
    # Women only: clinical breast examination (SADANIS) and the IVA test (Permenkes 29/2017,
    # early detection of breast and cervical cancer in women 30–50 years).
    "breast_exam": Spec(
        "Pemeriksaan payudara (SADANIS)",
        kind="choice",
        options=(("normal", _("Normal")), ("abnormal", _("Ada benjolan/kelainan"))),
        form_label=_("Pemeriksaan payudara (SADANIS)"),
        female_only=True,
    ),
    "iva": Spec(
        "Tes IVA",
        kind="choice",
        options=(
            ("negative", _("Negatif")),
            ("positive", _("Positif")),
            ("suspect_cancer", _("Curiga kanker")),
        ),
        form_label=_("Tes IVA"),
        female_only=True,
    ),
    "attendant": Spec(
        "Penolong persalinan",
        kind="choice",
        options=(("health_worker", _("Tenaga kesehatan")), ("other", _("Bukan tenaga kesehatan"))),
        form_label=_("Penolong persalinan"),
    ),
    "delivery_place": Spec(
        "Tempat persalinan",
        kind="choice",
        options=(("facility", _("Fasilitas kesehatan")), ("home", _("Rumah"))),
        form_label=_("Tempat persalinan"),
    ),
    "delivery_mode": Spec(
        "Cara persalinan",
        kind="choice",
        options=(
            ("spontaneous", _("Spontan")),
            ("assisted", _("Dengan tindakan (vakum/forsep)")),
            ("caesarean", _("Sesar")),
        ),
        form_label=_("Cara persalinan"),
    ),
    "bleeding": Spec("Perdarahan", kind="bool", form_label=_("Perdarahan")),
    "breastfeeding": Spec("Menyusu/ASI", kind="bool", form_label=_("Menyusu/ASI")),
    "jaundice": Spec("Kuning (ikterus)", kind="bool", form_label=_("Kuning (ikterus)")),
    "visit_result": Spec(
        "Hasil kunjungan",
        kind="choice",
        options=(
            ("met", _("Bertemu")),
            ("not_home", _("Tidak di rumah")),
            ("refused", _("Menolak")),
        ),
        form_label=_("Hasil kunjungan"),
    ),
    "finding": Spec("Temuan", kind="text", form_label=_("Temuan")),
    # Questionnaires: answers stored on the Screening row; items in evaluation.questionnaires.
    "kspr": Spec(
        "Faktor risiko KSPR", kind="answers", observe=False, form_label=_("Faktor risiko KSPR")
    ),
    "srq20": Spec("SRQ-20", kind="answers", observe=False, form_label=_("SRQ-20 (kesehatan jiwa)")),
    "puma": Spec("PUMA", kind="answers", observe=False, form_label=_("PUMA (skrining PPOK)")),
    "tb": Spec(
        "Skrining gejala TBC", kind="answers", observe=False, form_label=_("Skrining gejala TBC")
    ),
    "skilas": Spec("SKILAS", kind="answers", observe=False, form_label=_("SKILAS (lansia)")),
    "barthel": Spec(
        "Indeks Barthel",
        kind="answers",
        observe=False,
        form_label=_("Indeks Barthel (kemandirian)"),
    ),
    "danger_signs": Spec(
        "Tanda bahaya",
        kind="answers",
        observe=False,
        form_label=_("Tanda bahaya bayi baru lahir"),
    ),
    "doses": Spec(
        "Imunisasi", kind="answers", observe=False, form_label=_("Imunisasi yang diberikan")
    ),
}

# Accepted alias of a key ("length": length lying or height standing, stored as "height").
ALIASES = {"length": "height"}
