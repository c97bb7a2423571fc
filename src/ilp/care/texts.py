"""The care app's codes and their phrasing: what evaluation results, alerts, actions and
tasks store instead of sentences (``ilp.core.texts``).

Stored shapes (``ilp.care.evaluation.outcome``):

- a result ``{code, value, rule, class_code, params, abnormal, source, reason?}``: ``rule``
  and ``class_code`` name a class of an ``ilp.standards`` catalogue (``params`` are the
  rule's parameters as ``RuleResult.to_json`` writes them), or, with ``rule`` empty, a class
  of care's own (``care.class.<code>.<class_code>``); ``reason`` is a :class:`Text` as JSON;
- an alert ``{level, code, params, action_code, action_params}``;
- a task's reason: the alert's :class:`Text` (``Task.reason_code`` + ``reason_params``).

Every code is phrased here once (Indonesian msgid, English in care's catalogue); the classes,
reasons and terms of the standards' catalogues are registered from
:func:`ilp.standards.codes.catalogues` with their Indonesian text as msgid (extracted by
``makemessages`` from :mod:`ilp.care.standards_messages`, which ``tools/standards_messages.py``
generates from the same catalogues).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ilp.core.texts import Text, register
from ilp.standards.codes import catalogues
from ilp.standards.immunization import DoseState
from ilp.standards.result import RuleResult, params_to_json

# Result labels (what was measured or screened), by result code.
RESULTS: dict[str, str | Promise] = {
    "care.result.bp": _("Tekanan darah"),
    "care.result.anaemia": _("Anemia"),
    "care.result.srq20": _("SRQ-20"),
    "care.result.smoking": _("Merokok"),
    "care.result.tb": _("Skrining gejala TBC"),
    "care.result.bmi": _("IMT"),
    "care.result.waist": _("Lingkar perut"),
    "care.result.dm": _("Gula darah"),
    "care.result.puma": _("PUMA"),
    "care.result.breast_exam": _("Pemeriksaan payudara klinis (SADANIS)"),
    "care.result.iva": _("Tes IVA"),
    "care.result.wfa": _("BB/U"),
    "care.result.lhfa": _("PB/U atau TB/U"),
    "care.result.wflh": _("BB/PB atau BB/TB"),
    "care.result.bfa": _("IMT/U"),
    "care.result.hcfa": _("LK/U"),
    "care.result.acfa": _("LiLA/U"),
    "care.result.weight_trend": _("Kenaikan berat badan"),
    "care.result.kpsp": _("Perkembangan (KPSP)"),
    "care.result.gestational_age": _("Usia kehamilan"),
    "care.result.kek": _("LiLA (KEK)"),
    "care.result.kspr": _("KSPR"),
    "care.result.birth_weight": _("Berat lahir"),
    "care.result.skilas": _("SKILAS"),
    "care.result.barthel": _("Indeks Barthel"),
    "care.result.dose": _("Imunisasi %(dose)s"),
}

# Care's own classes (results with no standards rule), by result code and class code.
CLASSES: dict[str, str | Promise] = {
    "care.class.smoking.smoker": _("Merokok"),
    "care.class.smoking.non_smoker": _("Tidak merokok"),
    "care.class.breast_exam.normal": _("Normal"),
    "care.class.breast_exam.abnormal": _("Ada benjolan/kelainan"),
    "care.class.iva.negative": _("IVA negatif"),
    "care.class.iva.positive": _("IVA positif"),
    "care.class.iva.suspect_cancer": _("Curiga kanker serviks"),
    "care.class.weight_trend.N": _("Naik (N)"),
    "care.class.weight_trend.T": _("Tidak naik (T)"),
    "care.class.weight_trend.B": _("Baru pertama ditimbang (B)"),
    "care.class.weight_trend.O": _("Bulan lalu tidak ditimbang (O)"),
    "care.class.weight_trend.2T": _("Tidak naik 2 bulan berturut-turut (2T)"),
    "care.class.kpsp.sesuai": _("Sesuai"),
    "care.class.kpsp.meragukan": _("Meragukan"),
    "care.class.kpsp.penyimpangan": _("Ada penyimpangan"),
    "care.class.gestational_age.tm1": _("Trimester 1"),
    "care.class.gestational_age.tm2": _("Trimester 2"),
    "care.class.gestational_age.tm3": _("Trimester 3"),
    "care.class.birth_weight.bblr": _("Berat badan lahir rendah (BBLR)"),
    "care.class.birth_weight.normal": _("Normal"),
    "care.class.dose.valid": _("Sah"),
    "care.class.dose.invalid": _("Tidak sah"),
    "care.class.dose.too_early_confirmed": _("Terlalu dini (dikonfirmasi), tidak sah"),
    # LiLA/U and LK/U have no Permenkes 2/2020 category; WHO's z-score cut-offs (WHO Child
    # Growth Standards 2007: arm and head circumference-for-age, −2 and −3 SD).
    "care.class.acfa.very_low": _("LiLA/U sangat rendah (z < −3)"),
    "care.class.acfa.low": _("LiLA/U rendah (z < −2)"),
    "care.class.acfa.normal": _("Normal"),
    "care.class.hcfa.low": _("Lingkar kepala kecil (z < −2)"),
    "care.class.hcfa.high": _("Lingkar kepala besar (z > +2)"),
    "care.class.hcfa.normal": _("Normal"),
}

REASONS: dict[str, str | Promise] = {
    "care.reason.trend_first": _("Penimbangan pertama"),
    "care.reason.trend_gap": _("Bulan lalu tidak ditimbang"),
    "care.reason.trend_newborn": _("Umur < 1 bulan: KBM tidak berlaku"),
    "care.reason.trend_gain": _(
        "Kenaikan %(gain)s g sejak %(since)s; KBM umur %(months)s bulan %(kbm)s g"
    ),
    "care.reason.trend_gain_2t": _(
        "Kenaikan %(gain)s g sejak %(since)s; KBM umur %(months)s bulan %(kbm)s g; "
        "bulan lalu juga T"
    ),
    "care.reason.dose_too_early_confirmed": _(
        "Diberikan terlalu dini (dikonfirmasi petugas): %(reason)s"
    ),
}

# Alert messages (also a task's reason).
ALERTS: dict[str, str | Promise] = {
    "care.alert.preg_hypertension_severe": _("Hipertensi berat dalam kehamilan"),
    "care.alert.preg_hypertension": _("Hipertensi dalam kehamilan"),
    "care.alert.smoking": _("Merokok"),
    "care.alert.breast_abnormal": _("SADANIS abnormal"),
    "care.alert.school_thin": _("Anak kurus (IMT/U)"),
    "care.alert.school_obese": _("Obesitas (IMT/U)"),
    "care.alert.oedema": _("Edema bilateral: gizi buruk"),
    "care.alert.severe_wasting": _("Gizi buruk"),
    "care.alert.wasting": _("Gizi kurang"),
    "care.alert.severely_underweight": _("Berat badan sangat kurang"),
    "care.alert.stunting": _("Stunting (%(label)s)"),
    "care.alert.overweight": _("Gizi lebih/obesitas"),
    "care.alert.low_muac_for_age": _("LiLA/U rendah"),
    "care.alert.two_t": _("Berat badan tidak naik 2 bulan berturut-turut (2T)"),
    "care.alert.not_gaining": _("Berat badan tidak naik (T)"),
    "care.alert.dev_doubtful": _("Perkembangan meragukan"),
    "care.alert.dev_deviation": _("Penyimpangan perkembangan"),
    "care.alert.vitamin_a_due": _("Vitamin A belum diberikan bulan ini"),
    "care.alert.kek": _("Ibu hamil berisiko KEK (LiLA < 23,5 cm)"),
    "care.alert.fetal_hr": _("Denyut jantung janin tidak normal (%(v)s/menit)"),
    "care.alert.bleeding": _("Perdarahan"),
    "care.alert.fever_delivery": _("Demam pada ibu bersalin"),
    "care.alert.lbw": _("Bayi BBLR"),
    "care.alert.non_facility_delivery": _("Persalinan tidak oleh tenaga kesehatan di fasilitas"),
    "care.alert.visit_out_of_window": _("%(c)s di luar jadwal (%(h0)s–%(h1)s jam setelah lahir)"),
    "care.alert.postpartum_bleeding": _("Perdarahan masa nifas"),
    "care.alert.postpartum_fever": _("Demam masa nifas"),
    "care.alert.newborn_hypothermia": _("Hipotermia pada bayi (%(t)s °C)"),
    "care.alert.newborn_fever": _("Demam pada bayi (%(t)s °C)"),
    "care.alert.newborn_danger": _("Tanda bahaya bayi baru lahir: %(s)s"),
    "care.alert.jaundice": _("Bayi kuning"),
    "care.alert.not_breastfeeding": _("Bayi tidak menyusu"),
    "care.alert.dose_invalid": _("Dosis %(c)s tidak sah: %(r)s"),
    "care.alert.teen_iron": _("Remaja putri belum mendapat TTD"),
    "care.alert.fever": _("Demam (%(t)s °C)"),
    "care.alert.not_met": _("Sasaran tidak ditemui/menolak"),
    # A task opened by closing a posyandu session (services.sessions).
    "care.task.absent": _("Tidak hadir di posyandu %(name)s tanggal %(date)s"),
    # Tasks of the demo history (ilp.demo.history).
    "care.task.absent_invite": _(
        "Tidak hadir di posyandu; kunjungi dan ajak menimbang bulan depan"
    ),
    "care.task.bp_recheck": _("Hipertensi: ukur ulang tekanan darah bulan depan"),
    "care.task.dm_confirm": _("Gula darah ≥ 200: rujuk untuk konfirmasi DM"),
    # A task stored before reasons were codes: its sentence, as it was written.
    "care.task.legacy": "%(text)s",
}

# A screening's class label or a dose's invalid reason stored before they were codes (or a
# sentence given by hand): the sentence as it was written (``ilp.care.models.text_columns``).
register({"care.text.legacy": "%(text)s"})

# A special-list result with the date it was found: "Hipertensi derajat 2 (5 Maret 2025)".
register({"care.special.result_on": "%(label)s (%(date)s)"})

ACTIONS: dict[str, str | Promise] = {
    "care.action.refer_now_hospital": _("Rujuk segera ke puskesmas/rumah sakit"),
    "care.action.refer": _("Rujuk ke puskesmas"),
    "care.action.refer_bp_monthly": _("Rujuk ke puskesmas; kontrol tekanan darah setiap bulan"),
    "care.action.repeat_1m": _("Ulangi pengukuran dalam 1 bulan"),
    "care.action.iron_recheck": _("Berikan TTD dan periksa ulang Hb"),
    "care.action.refer_now": _("Rujuk segera ke puskesmas"),
    "care.action.refer_mental": _("Rujuk ke puskesmas untuk pemeriksaan kesehatan jiwa"),
    "care.action.quit_smoking": _("Konseling berhenti merokok"),
    "care.action.refer_tcm": _("Rujuk ke puskesmas untuk pemeriksaan TCM"),
    "care.action.contact_investigation": _("Investigasi kontak oleh puskesmas"),
    "care.action.nutrition_activity": _("Konseling gizi dan aktivitas fisik"),
    "care.action.refer_dm": _("Rujuk ke puskesmas untuk konfirmasi diagnosis"),
    "care.action.lifestyle_3m": _("Konseling gaya hidup; ulangi dalam 3 bulan"),
    "care.action.refer_spirometry": _("Rujuk ke puskesmas untuk spirometri"),
    "care.action.refer_hospital": _("Rujuk ke rumah sakit"),
    "care.action.refer_hospital_now": _("Rujuk segera ke rumah sakit"),
    "care.action.cryotherapy": _("Krioterapi di puskesmas"),
    "care.action.refer_pmt": _("Rujuk ke puskesmas untuk PMT pemulihan"),
    "care.action.refer_confirm": _("Rujuk ke puskesmas untuk konfirmasi"),
    "care.action.nutrition": _("Konseling gizi"),
    "care.action.home_visit_refer": _("Kunjungan rumah dan rujuk ke tenaga kesehatan"),
    "care.action.nutrition_reweigh": _("Konseling gizi; timbang ulang bulan depan"),
    "care.action.stimulate_2w": _("Stimulasi di rumah; ulangi dalam 2 minggu"),
    "care.action.vitamin_a_blue": _("Berikan kapsul vitamin A biru (100.000 IU)"),
    "care.action.vitamin_a_red": _("Berikan kapsul vitamin A merah (200.000 IU)"),
    "care.action.pmt_refer": _("Berikan PMT ibu hamil; rujuk ke puskesmas"),
    "care.action.home_visit": _("Kunjungan rumah"),
    "care.action.next_visit_on_time": _("Catat dan lengkapi kunjungan berikutnya tepat waktu"),
    "care.action.reschedule_dose": _("Jadwalkan ulang sesuai jadwal imunisasi"),
    "care.action.give_iron_weekly": _("Berikan tablet tambah darah (1 tablet/minggu)"),
    "care.action.home_care": _("Perawatan di rumah (home care)"),
    "care.action.home_visit_again": _("Kunjungan rumah ulang"),
}

PERIODS: dict[str, str | Promise] = {
    "care.period.Y": _("%(n)s tahun"),
    "care.period.M": _("%(n)s bulan"),
    "care.period.W": _("%(n)s minggu"),
    "care.period.D": _("%(n)s hari"),
}

# Lists of rendered parts (a tuple parameter of a rule): "a, b, c" in every language.
_LIST_MAX = 24
LISTS: dict[str, str | Promise] = {
    f"care.list.{n}": ", ".join(f"%({i})s" for i in range(n)) for n in range(1, _LIST_MAX + 1)
}
SPACED = {f"care.spaced.{n}": " ".join(f"%({i})s" for i in range(n)) for n in range(1, 5)}


def _register_standards() -> None:
    """Each standards catalogue's classes, reasons, notes and terms, Indonesian as msgid."""
    entries: dict[str, Any] = {}
    for catalogue in catalogues().values():
        for key, template, _kinds in catalogue.entries():
            entries[key] = _(template)  # noqa: INT001 - msgids come from the catalogues
    register(entries)


register(RESULTS)
register(CLASSES)
register(REASONS)
register(ALERTS)
register(ACTIONS)
register(PERIODS)
register(LISTS)
register(SPACED)
_register_standards()


# -- standards parameters as Text parameters ---------------------------------------------


def join(parts: list[Any]) -> Text | str:
    """Rendered parts joined as a list (empty string for none)."""
    if not parts:
        return ""
    parts = parts[:_LIST_MAX]
    return Text(f"care.list.{len(parts)}", {str(i): p for i, p in enumerate(parts)})


def period(value: str) -> Text | str:
    """An ISO 8601 period ("P6M29D") as words in the reader's language."""
    import re

    match = re.match(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$", value or "")
    if match is None:
        return value
    parts = [
        Text(f"care.period.{unit}", {"n": int(n)})
        for n, unit in zip(match.groups(), "YMWD", strict=True)
        if n
    ]
    if not parts:
        return Text("care.period.D", {"n": 0})
    return Text(f"care.spaced.{len(parts)}", {str(i): p for i, p in enumerate(parts)})


def _value(rule: str, kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("date", "datetime") and isinstance(value, str):
        try:
            return (datetime if kind == "datetime" else date).fromisoformat(value)
        except ValueError:
            return value
    if kind == "period" and isinstance(value, str):
        return period(value)
    if kind.startswith("term:"):
        return Text(f"{rule}.term.{kind.removeprefix('term:')}.{value}")
    if kind.startswith("terms:") and isinstance(value, list | tuple):
        vocab = kind.removeprefix("terms:")
        return join([Text(f"{rule}.term.{vocab}.{v}") for v in value])
    if kind == "texts" and isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return value


def standard_params(
    rule: str, kinds: Mapping[str, str], params: Mapping[str, Any]
) -> dict[str, Any]:
    """A rule's parameters (as stored by ``RuleResult.to_json``) made renderable: dates as
    dates, periods in words, terms as their codes' texts; only the names in ``kinds``."""
    return {name: _value(rule, kind, params.get(name)) for name, kind in kinds.items()}


def rule_class(rule: RuleResult) -> Text:
    """The class a rule put its input in, with the class's own parameters only (so that two
    readings in the same class are the same finding)."""
    message = catalogues()[rule.rule].classes[rule.code]
    data: dict[str, Any] = rule.to_json()
    return Text(
        f"{rule.rule}.class.{rule.code}",
        standard_params(rule.rule, message.params, data["params"]),
    )


def rule_reason(rule: RuleResult) -> Text | None:
    """The rule's reason (and its notes) as a Text, None when it has none."""
    if not rule.rule or not rule.reason_code:
        return None
    data: dict[str, Any] = rule.to_json()
    return _reason(rule.rule, rule.reason_code, data["params"], data["notes"])


def dose_state_reason(state: DoseState) -> Text | None:
    """Why a dose is in its state (``ilp.standards.immunization.DoseState``) as a Text, None
    when the state has no reason: what a dose judged invalid stores."""
    if not state.reason_code:
        return None
    notes = [{"code": n.code, "params": params_to_json(n.params)} for n in state.notes]
    return _reason("immunization_dose", state.reason_code, params_to_json(state.params), notes)


def _reason(
    rule: str, reason_code: str, params: Mapping[str, Any], notes: list[dict[str, Any]]
) -> Text:
    """A reason of `rule`'s catalogue and its notes (parameters as ``params_to_json`` writes
    them), the notes joined after it with "; "."""
    catalogue = catalogues()[rule]
    message = catalogue.reasons[reason_code]
    parts: list[Text] = [
        Text(f"{rule}.reason.{reason_code}", standard_params(rule, message.params, params))
    ]
    for note in notes:
        kinds = catalogue.notes[note["code"]].params
        parts.append(
            Text(f"{rule}.note.{note['code']}", standard_params(rule, kinds, note["params"]))
        )
    if len(parts) == 1:
        return parts[0]
    return Text(f"care.semi.{len(parts)}", {str(i): p for i, p in enumerate(parts)})


register({f"care.semi.{n}": "; ".join(f"%({i})s" for i in range(n)) for n in range(2, 9)})


def class_text(item: Mapping[str, Any]) -> Text | None:
    """The class label of a stored result (None when it has no class)."""
    class_code = item.get("class_code")
    if not class_code:
        return None
    rule = item.get("rule")
    if rule:
        catalogue = catalogues().get(rule)
        if catalogue is None or class_code not in catalogue.classes:
            return Text(f"{rule}.class.{class_code}")
        kinds = catalogue.classes[class_code].params
        return Text(
            f"{rule}.class.{class_code}", standard_params(rule, kinds, item.get("params") or {})
        )
    code = str(item.get("code") or "").split(":", 1)[0]
    return Text(f"care.class.{code}.{class_code}", item.get("params") or {})


def result_label(item: Mapping[str, Any]) -> Text:
    """What a stored result measured ("BB/U", "Imunisasi BCG")."""
    code = str(item.get("code") or "")
    if code.startswith("dose:"):
        return Text("care.result.dose", {"dose": code.removeprefix("dose:")})
    return Text(f"care.result.{code}")
