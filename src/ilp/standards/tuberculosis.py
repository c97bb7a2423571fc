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

from ilp.standards.result import Catalogue, Message, RuleResult

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
CHILD_SYMPTOMS_ID: dict[str, str] = {
    "fever_2_weeks": "demam ≥ 2 minggu",
    "cough_2_weeks": "batuk ≥ 2 minggu",
    "weight_faltering_2_months": "BB turun/tidak naik ≥ 2 bulan",
    "lethargy": "lesu",
}
_SYMPTOMS = {"symptoms": "terms:symptom"}
CODES: dict[str, Catalogue] = {
    "tb_adult": Catalogue(
        rule="tb_adult",
        classes={
            "presumptive_tb": Message("Terduga TBC"),
            "not_presumptive": Message("Bukan terduga TBC"),
        },
        reasons={
            "cough": Message("Batuk (gejala utama, berapa pun lamanya)"),
            "contact_and_symptoms": Message(
                "Riwayat kontak dan gejala tambahan: {symptoms}", _SYMPTOMS
            ),
            "risk_factor_and_symptoms": Message(
                "Faktor risiko dan gejala tambahan: {symptoms}", _SYMPTOMS
            ),
            "no_cough": Message("Tidak batuk"),
            "symptoms_without_contact_or_risk": Message(
                "Tidak batuk; gejala tambahan tanpa kontak/faktor risiko: {symptoms}", _SYMPTOMS
            ),
        },
        terms={"symptom": ADDITIONAL_SYMPTOMS_ID},
    ),
    "tb_child": Catalogue(
        rule="tb_child",
        classes={
            "presumptive_tb": Message("Terduga TBC anak"),
            "contact_no_symptoms": Message(
                "Kontak TBC tanpa gejala: investigasi kontak / evaluasi TPT"
            ),
            "not_presumptive": Message("Bukan terduga TBC"),
        },
        reasons={
            "symptoms": Message("Gejala: {symptoms}", _SYMPTOMS),
            "contact_without_symptoms": Message("Riwayat kontak TBC tanpa gejala"),
            "no_symptoms": Message("Tidak ada gejala"),
        },
        terms={"symptom": CHILD_SYMPTOMS_ID},
    ),
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

    Classes (``CODES["tb_adult"]``) ``presumptive_tb`` (terduga TBC: send for TCM) /
    ``not_presumptive``; reasons ``cough``, ``contact_and_symptoms``,
    ``risk_factor_and_symptoms``, ``symptoms_without_contact_or_risk`` (``symptoms``: codes of
    ``ADDITIONAL_SYMPTOMS_ID``), ``no_cough``.
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
    codes = CODES["tb_adult"]
    symptoms = {"symptoms": tuple(present)}
    if cough:
        return codes.result("presumptive_tb", "cough", source=SOURCE_ADULT, details=details)
    if present and (contact_history or risk_factor):
        reason = "contact_and_symptoms" if contact_history else "risk_factor_and_symptoms"
        return codes.result(
            "presumptive_tb", reason, symptoms, source=SOURCE_ADULT, details=details
        )
    if present:
        return codes.result(
            "not_presumptive",
            "symptoms_without_contact_or_risk",
            symptoms,
            source=SOURCE_ADULT,
            details=details,
        )
    return codes.result("not_presumptive", "no_cough", source=SOURCE_ADULT, details=details)


def screen_tb_child(
    *,
    fever_2_weeks: bool,
    cough_2_weeks: bool,
    weight_faltering_2_months: bool,
    lethargy: bool,
    contact_history: bool = False,
) -> RuleResult:
    """Children's presumptive-TB rule (CLINICAL.md §5.3 [P]; decision in module docstring).

    Classes (``CODES["tb_child"]``) ``presumptive_tb`` (any symptom), ``contact_no_symptoms``
    (TB contact, no symptom: contact investigation / TPT) and ``not_presumptive``; reasons
    ``symptoms`` (codes of ``CHILD_SYMPTOMS_ID``), ``contact_without_symptoms``,
    ``no_symptoms``.
    """
    symptoms = {
        "fever_2_weeks": fever_2_weeks,
        "cough_2_weeks": cough_2_weeks,
        "weight_faltering_2_months": weight_faltering_2_months,
        "lethargy": lethargy,
    }
    present = [k for k, v in symptoms.items() if v]
    details: dict[str, object] = {"symptoms": present, "contact_history": contact_history}
    codes = CODES["tb_child"]
    if present:
        return codes.result(
            "presumptive_tb",
            "symptoms",
            {"symptoms": tuple(present)},
            source=SOURCE_CHILD,
            details=details,
        )
    if contact_history:
        return codes.result(
            "contact_no_symptoms", "contact_without_symptoms", source=SOURCE_CHILD, details=details
        )
    return codes.result("not_presumptive", "no_symptoms", source=SOURCE_CHILD, details=details)
