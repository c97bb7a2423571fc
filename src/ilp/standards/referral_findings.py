"""Findings that call for a referral, and what a new referral from one of them proposes: the
kind, whether the finding itself asks for a hospital, and a WHO ICD-10 code where the finding
maps to one clearly.

A finding is named by the code the care evaluation stores on an alert (``care.alert.<name>``,
``<rule>.class.<code>`` of a standards catalogue, ``care.class.iva.<code>``) or, from a work
list, by the same code of the result that put the person on it (KSPR ``kspr.class.krst``,
severe wasting ``care.alert.severe_wasting``, a blood-pressure grade ``bp_pnpk.class.grade_2``).
The codes are data here: this module imports nothing of ILP.

Sources:
- Whether to refer: the action the evaluation attaches to the alert — every "rujuk …" action
  (Buku KIA 2020 tanda bahaya kehamilan, persalinan, nifas and bayi baru lahir: "segera ke
  fasilitas kesehatan"; Permenkes 2/2020 and PMK 29/2019 for gizi buruk; PNPK hipertensi
  2021), the KSPR high-risk groups (Poedji Rochjati: KRT and KRST plan the delivery with the
  puskesmas or hospital), and an IVA-positive result (cryotherapy at the puskesmas).
- Which kind (``ilp.referrals`` kinds): *maternal* for a finding of pregnancy, delivery or the
  postpartum period, *neonatal* for a baby under 28 days (the neonatal period, WHO), *emergency*
  for a danger sign (an alert of level ``danger``), *planned* otherwise — in that order.
- ICD-10: WHO ICD-10 2019 (``ilp.standards.icd10``). Only codes a finding names without
  further diagnosis: a blood pressure of 160/110 in pregnancy says "maternal hypertension"
  (O16, unspecified) but not whether it is pre-existing (O10), gestational (O13) or
  pre-eclampsia (O14, which needs proteinuria): the receiver diagnoses that; severe wasting
  or oedema of both feet is severe protein-energy malnutrition (E43, unspecified); a raised
  blood pressure outside pregnancy is essential hypertension (I10) until shown otherwise; a
  KSPR high-risk pregnancy is "supervision of high-risk pregnancy" (Z35.9); the danger signs
  of delivery, the postpartum period and the newborn have their O/P codes (O67, O72, O75.2,
  O86.4, P80.9, P81.9, P59.9, P92.9); a breast lump N63. Findings that name no
  diagnosis (fetal heart rate, SRQ-20, TB symptoms, development) propose none.
"""

from __future__ import annotations

SOURCE = "Buku KIA 2020; Permenkes 2/2020; PNPK Hipertensi 2021; KSPR; WHO ICD-10 2019"

EMERGENCY = "emergency"
MATERNAL = "maternal"
NEONATAL = "neonatal"
PLANNED = "planned"

# The neonatal period: the first 28 days of life (WHO).
NEONATAL_DAYS = 28

# Actions of an alert that send the person on (``care.action.<name>``); those naming the
# hospital propose it as the target.
REFERRAL_ACTIONS = frozenset(
    {
        "care.action.refer",
        "care.action.refer_now",
        "care.action.refer_now_hospital",
        "care.action.refer_hospital",
        "care.action.refer_hospital_now",
        "care.action.refer_mental",
        "care.action.refer_tcm",
        "care.action.refer_dm",
        "care.action.refer_spirometry",
        "care.action.refer_bp_monthly",
        "care.action.pmt_refer",
        "kspr.term.advice.krst",
        "kspr.term.advice.krt",
    }
)
HOSPITAL_ACTIONS = frozenset(
    {
        "care.action.refer_now_hospital",
        "care.action.refer_hospital",
        "care.action.refer_hospital_now",
    }
)

# Findings of pregnancy, delivery and the postpartum period (a maternal referral).
_MATERNAL = frozenset(
    {
        "care.alert.preg_hypertension_severe",
        "care.alert.preg_hypertension",
        "care.alert.kek",
        "care.alert.fetal_hr",
        "care.alert.bleeding",
        "care.alert.fever_delivery",
        "care.alert.postpartum_bleeding",
        "care.alert.postpartum_fever",
        "kspr.class.krst",
        "kspr.class.krt",
    }
)

# The findings a referral may start from without an alert (a work list), and findings whose
# alert has no referral action but call for one all the same.
_ALWAYS = frozenset(
    {
        "kspr.class.krst",
        "kspr.class.krt",
        "care.alert.severe_wasting",
        "care.alert.oedema",
        "care.class.iva.positive",
        "care.class.iva.suspect_cancer",
    }
)

_DANGER = frozenset({"kspr.class.krst", "care.alert.severe_wasting", "care.alert.oedema"})

# ICD-10 (WHO 2019) by finding code: only clear mappings (module docstring).
_ICD10 = {
    "care.alert.preg_hypertension_severe": "O16",
    "care.alert.preg_hypertension": "O16",
    "care.alert.severe_wasting": "E43",
    "care.alert.oedema": "E43",
    "kspr.class.krst": "Z35.9",
    "kspr.class.krt": "Z35.9",
    "care.alert.bleeding": "O67.9",
    "care.alert.fever_delivery": "O75.2",
    "care.alert.postpartum_bleeding": "O72",
    "care.alert.postpartum_fever": "O86.4",
    "care.alert.newborn_hypothermia": "P80.9",
    "care.alert.newborn_fever": "P81.9",
    "care.alert.jaundice": "P59.9",
    "care.alert.not_breastfeeding": "P92.9",
    "care.alert.breast_abnormal": "N63",
}
# Blood-pressure classes that are hypertension, in either scheme (``bp_pnpk``, ``bp_jnc7``).
_BP_RULES = ("bp_pnpk", "bp_jnc7")
_HYPERTENSION = frozenset({"grade_1", "grade_2", "grade_3", "stage_1", "stage_2"})
ESSENTIAL_HYPERTENSION = "I10"
# The worst grades: sent on whatever the alert's level (uncontrolled hypertension).
_SEVERE_BP = frozenset({"grade_3", "stage_2"})


def _bp_class(code: str) -> str:
    rule, _, klass = code.partition(".class.")
    return klass if rule in _BP_RULES and klass in _HYPERTENSION else ""


def calls_for_referral(code: str, action_code: str = "") -> bool:
    """Whether the finding `code` (with its alert's action, if any) calls for a referral."""
    if action_code in REFERRAL_ACTIONS or code in _ALWAYS:
        return True
    return _bp_class(code) in _SEVERE_BP or (bool(_bp_class(code)) and not action_code)


def is_known(code: str) -> bool:
    """Whether a referral may be opened from the finding `code` alone (a work list's reason
    parameter): a finding this module knows calls for referral."""
    return code in _ALWAYS or code in _ICD10 or bool(_bp_class(code))


def icd10_code(code: str) -> str:
    """The WHO ICD-10 code the finding names, "" when it names none clearly."""
    if _bp_class(code):
        return ESSENTIAL_HYPERTENSION
    return _ICD10.get(code, "")


def is_danger(code: str) -> bool:
    """Whether the finding `code`, met without its alert (a work list), is a danger sign: a
    KRST pregnancy, severe wasting or oedema, the worst blood-pressure grade."""
    return code in _DANGER or _bp_class(code) in _SEVERE_BP


# Actions whose text names the puskesmas ("Rujuk ke puskesmas …", care.texts): from a posyandu
# or pustu they propose the puskesmas itself, not the next facility up, so the form does not
# contradict the alert the kader or midwife just read (the KSPR advice and the hospital actions
# name no puskesmas).
PUSKESMAS_ACTIONS = (
    REFERRAL_ACTIONS - HOSPITAL_ACTIONS - {"kspr.term.advice.krst", "kspr.term.advice.krt"}
)


def wants_puskesmas(action_code: str) -> bool:
    """Whether the alert's action sends the person to the puskesmas (not only one step up)."""
    return action_code in PUSKESMAS_ACTIONS


def wants_hospital(action_code: str) -> bool:
    """Whether the alert's action sends the person to a hospital (not the next facility up)."""
    return action_code in HOSPITAL_ACTIONS


def proposed_kind(codes: list[str], *, danger: bool, age_days: int | None) -> str:
    """The kind of referral for findings `codes` of a person `age_days` old (None: unknown),
    `danger` when one of them is a danger sign (module docstring, in that order)."""
    if any(code in _MATERNAL for code in codes):
        return MATERNAL
    if age_days is not None and 0 <= age_days < NEONATAL_DAYS:
        return NEONATAL
    if danger:
        return EMERGENCY
    return PLANNED
