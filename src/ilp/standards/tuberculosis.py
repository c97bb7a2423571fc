"""TB symptom screening: the "terduga TBC" (presumptive TB) rule for adults and for children.

Sources (CLINICAL.md §5.3):
- Adults: Kemenkes intensified case-finding form (skrining gejala TBC) [S31] [C]. Main
  symptom: cough of any kind regardless of duration. Additional: weight loss / no gain / poor
  appetite; unexplained fever; weakness; night sweats without activity; breathlessness without
  chest pain; enlarged neck/axillary nodes. Presumptive TB if (1) the main symptom, with or
  without additional ones, or (2) contact history / risk plus ≥ 1 additional symptom, or (3) a
  risk factor plus an additional symptom. Rules (2) and (3) are the same test and are merged.
  The older "productive cough ≥ 2–3 weeks" definition is history and not used.
- Children [P]: fever ≥ 2 weeks, cough ≥ 2–3 weeks, weight loss / no gain ≥ 2 months despite
  nutrition, lethargy. ILP reads any one of these as presumptive TB. A child with TB contact
  but no symptom is not presumptive but needs contact investigation / TPT evaluation
  (Klaster 4, DOMAIN.md §1.2), so it gets its own code ``contact_no_symptoms``.
"""

from __future__ import annotations

from ilp.standards.result import RuleResult

SOURCE_ADULT = "Kemenkes, formulir skrining gejala TBC (penemuan kasus intensif); CLINICAL.md §5.3"
SOURCE_CHILD = "Kemenkes, gejala TBC anak; CLINICAL.md §5.3 [P]"

ADDITIONAL_SYMPTOMS_ID: dict[str, str] = {
    "weight_loss": "BB turun/tidak naik/nafsu makan turun",
    "fever": "demam tanpa sebab jelas",
    "weakness": "badan lemas",
    "night_sweats": "berkeringat malam tanpa kegiatan",
    "breathlessness": "sesak napas tanpa nyeri dada",
    "lymph_nodes": "pembesaran kelenjar getah bening leher/ketiak",
}


def screen_tb_adult(
    *,
    cough: bool,
    weight_loss: bool = False,
    fever: bool = False,
    weakness: bool = False,
    night_sweats: bool = False,
    breathlessness: bool = False,
    lymph_nodes: bool = False,
    contact_history: bool = False,
    risk_factor: bool = False,
) -> RuleResult:
    """Adult presumptive-TB rule (Kemenkes symptom-screening form, CLINICAL.md §5.3).

    Codes ``presumptive_tb`` (terduga TBC: send for TCM) / ``not_presumptive``.
    ``risk_factor`` covers the form's risk groups (e.g. HIV, DM, smoker, elderly, prisoner).
    """
    additional = {
        "weight_loss": weight_loss,
        "fever": fever,
        "weakness": weakness,
        "night_sweats": night_sweats,
        "breathlessness": breathlessness,
        "lymph_nodes": lymph_nodes,
    }
    present = [k for k, v in additional.items() if v]
    details: dict[str, object] = {
        "main_symptom": cough,
        "additional_symptoms": present,
        "contact_history": contact_history,
        "risk_factor": risk_factor,
    }
    if cough:
        return RuleResult(
            "presumptive_tb",
            "Terduga TBC",
            "Batuk (gejala utama, berapa pun lamanya)",
            SOURCE_ADULT,
            details=details,
        )
    if present and (contact_history or risk_factor):
        why = "riwayat kontak" if contact_history else "faktor risiko"
        names = ", ".join(ADDITIONAL_SYMPTOMS_ID[k] for k in present)
        return RuleResult(
            "presumptive_tb",
            "Terduga TBC",
            f"{why.capitalize()} dan gejala tambahan: {names}",
            SOURCE_ADULT,
            details=details,
        )
    reason = "Tidak batuk"
    if present:
        reason += "; gejala tambahan tanpa kontak/faktor risiko"
    return RuleResult("not_presumptive", "Bukan terduga TBC", reason, SOURCE_ADULT, details=details)


def screen_tb_child(
    *,
    fever_2_weeks: bool,
    cough_2_weeks: bool,
    weight_faltering_2_months: bool,
    lethargy: bool,
    contact_history: bool = False,
) -> RuleResult:
    """Children's presumptive-TB rule (CLINICAL.md §5.3 [P]; decision in module docstring).

    Codes ``presumptive_tb`` (any symptom), ``contact_no_symptoms`` (TB contact, no symptom:
    contact investigation / TPT) and ``not_presumptive``.
    """
    symptoms = {
        "fever_2_weeks": fever_2_weeks,
        "cough_2_weeks": cough_2_weeks,
        "weight_faltering_2_months": weight_faltering_2_months,
        "lethargy": lethargy,
    }
    present = [k for k, v in symptoms.items() if v]
    details: dict[str, object] = {"symptoms": present, "contact_history": contact_history}
    labels = {
        "fever_2_weeks": "demam ≥ 2 minggu",
        "cough_2_weeks": "batuk ≥ 2 minggu",
        "weight_faltering_2_months": "BB turun/tidak naik ≥ 2 bulan",
        "lethargy": "lesu",
    }
    if present:
        return RuleResult(
            "presumptive_tb",
            "Terduga TBC anak",
            "Gejala: " + ", ".join(labels[k] for k in present),
            SOURCE_CHILD,
            details=details,
        )
    if contact_history:
        return RuleResult(
            "contact_no_symptoms",
            "Kontak TBC tanpa gejala: investigasi kontak / evaluasi TPT",
            "Riwayat kontak TBC tanpa gejala",
            SOURCE_CHILD,
            details=details,
        )
    return RuleResult(
        "not_presumptive", "Bukan terduga TBC", "Tidak ada gejala", SOURCE_CHILD, details=details
    )
