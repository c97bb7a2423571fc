"""Per-package evaluation: validate a form's values and compute what the health worker sees.

`evaluate_package` writes nothing. It checks every value (impossible → ``errors``; unusual →
``warnings``, which need confirmation), calls the rules of :mod:`ilp.standards` and returns
the results and alerts shown on the form. `encounter_record` calls the same code and stores
what it returned.

Value keys are ILP observation codes (`plausibility.SPECS` lists label, unit, LOINC, limits):

package → keys:

- anc: visit_number (K1–K6 as 1–6), weight, height, sbp, dbp, muac, fundal_height, fetal_hr,
  hb, td_status (T0–T5), iron_tablets (tablets given now), kspr (list of KSPR factor codes)
- delivery: attendant, delivery_place, delivery_mode, birth_weight, sbp, dbp, temperature,
  bleeding
- postpartum: visit_number (KF1–4 as 1–4), sbp, dbp, temperature, hb, bleeding,
  breastfeeding, vitamin_a, iron_tablets
- newborn: visit_number (KN1–3 as 1–3), weight, height, measured, temperature,
  breastfeeding, jaundice, danger_signs (list of texts)
- child: weight, height (length lying or height standing; alias "length"), measured
  (lying/standing), oedema, muac, head, development (KPSP: sesuai/meragukan/penyimpangan),
  vitamin_a (capsule given now), tb ({fever_2_weeks, cough_2_weeks,
  weight_faltering_2_months, lethargy, contact_history})
- immunization: doses (list of {dose_code, lot_number, expiry_date}), weight, temperature
- school: weight, height, sbp, dbp, hb, iron_tablets, srq20 (20 booleans; age ≥ 15), smoking
- adult: weight, height, waist, sbp, dbp, glucose_fasting, glucose_random, hb, smoking,
  cigarettes_per_day, smoking_years, srq20, puma ({breathless, phlegm, cough,
  spirometry_offered}; age ≥ 40), tb ({cough, weight_loss, fever, weakness, night_sweats,
  breathlessness, lymph_nodes, contact_history, risk_factor}), breast_exam, iva
- elderly: the adult keys + muac, skilas (booleans named as the keyword arguments of
  `standards.elderly.screen_skilas`), barthel (the ten item scores of `BARTHEL_ITEMS`)
- home_visit: visit_result, finding, weight, sbp, dbp, temperature

Results are dicts ``{code, label, value, class_code, class_label, abnormal, source}``; alerts
``{level: danger|warning, message, action}``. Follow-up tasks derived from alerts are kept on
the evaluation for `encounter_record` (``tasks``: kind, due_days, reason).

Local decisions (the rest comes from `ilp.standards`): the KMS weight trend (`trend`),
normal fetal heart rate 120–160/min and newborn
temperature 36.5–37.5 °C (Buku KIA; Buku Bagan MTBS, MTBM), low birth weight < 2.5 kg
(WHO), severe acute malnutrition by LiLA < 11.5 cm or bilateral oedema at 6–59 months
(Kemenkes, Pedoman Pencegahan dan Tata Laksana Gizi Buruk pada Balita 2019), vitamin A in
February and August at 6–59 months (DOMAIN.md §3.4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ilp.care.models import ImmunizationRecord, Observation, Screening, ServicePackage, Supply
from ilp.care.services import plausibility as P
from ilp.care.services.taskspec import TaskSpec
from ilp.care.services.trend import SOURCE as TREND_SOURCE
from ilp.care.services.trend import trend_reason, weight_trend
from ilp.care.texts import class_text, rule_class, rule_reason
from ilp.core.texts import Text
from ilp.people.models import Person, Pregnancy, PregnancyOutcome
from ilp.standards import (
    anaemia,
    anthropometry_adult,
    blood_pressure,
    copd,
    diabetes,
    elderly,
    mental_health,
    postnatal,
    tuberculosis,
)
from ilp.standards import growth as growth_std
from ilp.standards import pregnancy as pregnancy_std
from ilp.standards.lifestage import completed_months
from ilp.standards.result import OutOfRange, RuleResult

PACKAGES = tuple(ServicePackage.values)

_BODY = {"weight", "height", "measured"}
_ADULT_KEYS = _BODY | {
    "waist",
    "sbp",
    "dbp",
    "glucose_fasting",
    "glucose_random",
    "hb",
    "smoking",
    "cigarettes_per_day",
    "smoking_years",
    "srq20",
    "puma",
    "tb",
    "breast_exam",
    "iva",
}
ALLOWED: dict[str, frozenset[str]] = {
    "anc": frozenset(
        {
            "visit_number",
            "weight",
            "height",
            "sbp",
            "dbp",
            "muac",
            "fundal_height",
            "fetal_hr",
            "hb",
            "td_status",
            "iron_tablets",
            "kspr",
        }
    ),
    "delivery": frozenset(
        {
            "attendant",
            "delivery_place",
            "delivery_mode",
            "birth_weight",
            "sbp",
            "dbp",
            "temperature",
            "bleeding",
        }
    ),
    "postpartum": frozenset(
        {
            "visit_number",
            "sbp",
            "dbp",
            "temperature",
            "hb",
            "bleeding",
            "breastfeeding",
            "vitamin_a",
            "iron_tablets",
        }
    ),
    "newborn": frozenset(
        {
            "visit_number",
            "weight",
            "height",
            "measured",
            "temperature",
            "breastfeeding",
            "jaundice",
            "danger_signs",
        }
    ),
    "child": frozenset(_BODY | {"oedema", "muac", "head", "development", "vitamin_a", "tb"}),
    "immunization": frozenset({"doses", "weight", "temperature"}),
    "school": frozenset(_BODY | {"sbp", "dbp", "hb", "iron_tablets", "srq20", "smoking"}),
    "adult": frozenset(_ADULT_KEYS),
    "elderly": frozenset(_ADULT_KEYS | {"muac", "skilas", "barthel"}),
    "home_visit": frozenset({"visit_result", "finding", "weight", "sbp", "dbp", "temperature"}),
}
# Keys offered only to women: clinical breast examination (SADANIS) and the IVA test
# (Permenkes 29/2017, early detection of breast and cervical cancer in women 30–50 years).
FEMALE_ONLY = frozenset({"breast_exam", "iva"})


def allowed_keys(package: str, person: Person) -> frozenset[str]:
    """The value keys a package's form offers this person (none for women's screening to a
    man)."""
    keys = ALLOWED.get(package, frozenset())
    return keys - FEMALE_ONLY if person.sex != "F" else keys


SAM_MUAC_CM = 11.5
FETAL_HR_RANGE = (120, 160)
NEWBORN_TEMP_RANGE = (36.5, 37.5)
LOW_BIRTH_WEIGHT_KG = 2.5
FEVER_C = 38.0


@dataclass
class Evaluation:
    """What a form shows after checking: errors, unusual values, results and alerts."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    results: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    # For encounter_record: tasks to open, screenings and supplies to store, cleaned values.
    tasks: list[TaskSpec] = field(default_factory=list)
    screenings: list[dict[str, Any]] = field(default_factory=list)
    supplies: dict[str, int] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    immunizations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def withhold_unconfirmed(self) -> None:
        """Drop what was computed from values that still need confirmation (``warnings``):
        nothing is classified, alerted or asked for until the health worker confirms."""
        if not self.warnings:
            return
        self.results, self.alerts, self.tasks, self.screenings = [], [], [], []
        for key in ("growth", "bmi", "trend", "two_t"):
            self.extra.pop(key, None)

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def warn(self, key: str, message: str) -> None:
        self.warnings.setdefault(key, []).append(message)

    def result(
        self,
        code: str,
        rule: RuleResult | None = None,
        *,
        value: Any = None,
        class_code: str = "",
        params: dict[str, Any] | None = None,
        reason: Text | None = None,
        abnormal: bool = False,
        screening: dict[str, Any] | None = None,
    ) -> None:
        """Add a result: ``code`` names what was measured (``care.result.<code>``); the class
        is the rule's (``rule.rule`` + ``rule.code``) or care's own (``class_code``,
        ``care.class.<code>.<class_code>`` with ``params``)."""
        item: dict[str, Any] = {
            "code": code,
            "value": value,
            "rule": "",
            "class_code": class_code,
            "params": dict(params or {}),
            "abnormal": abnormal,
            "source": "",
        }
        if rule is not None:
            data = rule.to_json()
            item["rule"] = rule.rule
            item["class_code"] = class_code or rule.code
            item["params"] = data["params"] if not class_code else item["params"]
            item["source"] = rule.source
            if value is None:
                item["value"] = rule.value
            if reason is None:
                reason = rule_reason(rule)
        if reason is not None:
            item["reason"] = reason.to_json()
        self.results.append(item)
        if screening is not None:
            self.screenings.append(
                {
                    "instrument": code,
                    "answers": screening.get("answers", {}),
                    "score": item["value"] if isinstance(item["value"], int | float) else None,
                    "result_code": item["class_code"],
                    **Screening.label_columns(class_text(item)),
                    "abnormal": abnormal,
                }
            )

    def alert(
        self,
        level: str,
        message: Text,
        action: Text | None = None,
        *,
        task: str | None = None,
        due_days: int = 0,
    ) -> None:
        """Add an alert ``{level, code, params, action_code, action_params}``; with ``task``,
        also the task to open (its reason is the alert's message)."""
        data = message.to_json()
        action_data = action.to_json() if action is not None else {"code": "", "params": {}}
        self.alerts.append(
            {
                "level": level,
                "code": data["code"],
                "params": data["params"],
                "action_code": action_data["code"],
                "action_params": action_data["params"],
            }
        )
        if task:
            self.tasks.append(TaskSpec(task, message, due_days))


@dataclass
class History:
    """What earlier records say, read before evaluating (a few queries, none per value)."""

    weights: list[tuple[date, float]] = field(default_factory=list)
    last_height: P.Previous | None = None
    pregnancy: Pregnancy | None = None
    anc_visits: set[int] = field(default_factory=set)
    doses: list[tuple[str, date, bool]] = field(default_factory=list)
    vitamin_a_this_month: bool = False


def load_history(
    person: Person, on: date, package: str, *, pregnancy: Pregnancy | None = None
) -> History:
    """Read the earlier measurements and episodes the package's checks need."""
    h = History()
    if package in ("child", "school", "adult", "elderly", "anc", "newborn", "home_visit"):
        rows = (
            Observation.objects.active()
            .filter(person=person, code__in=("weight", "height"), date__lt=on)
            .order_by("-date", "-pk")
            .values_list("code", "date", "value", "loinc")[:12]
        )
        for code, when, value, loinc in rows:
            if value is None:
                continue
            if code == "weight":
                h.weights.append((when, value))
            elif h.last_height is None:
                h.last_height = P.Previous(when, value, lying=loinc == P.LOINC_LENGTH_LYING)
    if package == "anc":
        h.pregnancy = pregnancy or (
            Pregnancy.objects.active()
            .filter(person=person, outcome=PregnancyOutcome.ONGOING)
            .first()
        )
        if h.pregnancy is not None:
            h.anc_visits = set(
                h.pregnancy.encounters.active()
                .filter(package="anc", visit_number__isnull=False)
                .values_list("visit_number", flat=True)
            )
    elif package in ("postpartum", "delivery"):
        h.pregnancy = pregnancy or (
            Pregnancy.objects.active().filter(person=person).order_by("-edd").first()
        )
    if package == "immunization":
        h.doses = list(
            ImmunizationRecord.objects.active()
            .filter(person=person)
            .values_list("dose_code", "date", "valid")
        )
    if package == "child" and on.month in (2, 8):
        h.vitamin_a_this_month = (
            Supply.objects.active()
            .filter(
                person=person,
                item__in=("vita_blue", "vita_red"),
                date__year=on.year,
                date__month=on.month,
            )
            .exists()
        )
    return h


def _today() -> date:
    return timezone.localdate()


def evaluate_package(
    *, person: Person, on: date, package: str, values: dict, confirmed: bool = False
) -> Evaluation:
    """Check a package's values for `person` on `on` and compute its results; writes nothing.

    Unusual values (``warnings``) not yet ``confirmed`` are not classified: the evaluation
    then carries no results, alerts or tasks (a 102 kg typo for a toddler is not shown as
    "Obesitas"). See the module docstring for the value keys of each package."""
    history = load_history(person, on, package) if package in PACKAGES else History()
    ev = evaluate(person=person, on=on, package=package, values=values, history=history)
    if not confirmed:
        ev.withhold_unconfirmed()
    return ev


def evaluate(
    *, person: Person, on: date, package: str, values: dict, history: History
) -> Evaluation:
    """`evaluate_package` with the history already read (encounter_record reads it once)."""
    ev = Evaluation()
    if package not in PACKAGES:
        ev.error("package", _("Layanan tidak dikenal."))
        return ev
    P.check_date(on, person.birth_date, _today(), person.deceased_on, ev.errors)
    ev.values = P.clean_values(dict(values or {}), ALLOWED[package], ev.errors)
    P.check_blood_pressure(ev.values, ev.errors)
    if ev.errors.get("on"):
        return ev
    months = completed_months(person.birth_date, on)
    _EVALUATORS[package](ev, person, on, months, history)
    return ev


# --- shared pieces ----------------------------------------------------------------------


def _alert(name: str, **params: Any) -> Text:
    return Text(f"care.alert.{name}", params)


def _action(name: str, **params: Any) -> Text:
    return Text(f"care.action.{name}", params)


def _out_of_range(ev: Evaluation, key: str, exc: OutOfRange) -> None:
    ev.error(
        key,
        _("Nilai %(value)s di luar rentang yang mungkin (%(low)s–%(high)s).")
        % {"value": exc.value, "low": exc.low, "high": exc.high},
    )


def _check_previous(
    ev: Evaluation, on: date, adult: bool, history: History, person: Person
) -> None:
    v = ev.values
    lying = v.get("measured") == "lying"
    previous_weight = None
    if history.weights:
        d, w = max(history.weights, key=lambda x: x[0])
        previous_weight = P.Previous(d, w)
    P.check_against_previous(
        on=on,
        adult=adult,
        weight=v.get("weight"),
        height=v.get("height"),
        lying=lying,
        previous_weight=previous_weight,
        previous_height=history.last_height,
        errors=ev.errors,
        warnings=ev.warnings,
        sex=person.sex,
        birth=person.birth_date,
    )


def _blood_pressure(ev: Evaluation, *, pregnant: bool = False) -> None:
    v = ev.values
    if v.get("sbp") is None or v.get("dbp") is None or "dbp" in ev.errors:
        return
    try:
        rule = blood_pressure.classify_blood_pressure(v["sbp"], v["dbp"])
    except OutOfRange as exc:
        _out_of_range(ev, "sbp" if exc.field == "systolic" else "dbp", exc)
        return
    hypertensive = bool(rule.details.get("hypertensive"))
    ev.result(
        "bp",
        rule,
        value=f"{P.fmt(v['sbp'])}/{P.fmt(v['dbp'])}",
        abnormal=hypertensive or rule.code == "high_normal",
        screening={"answers": {"sbp": v["sbp"], "dbp": v["dbp"]}},
    )
    if pregnant:
        if rule.code in ("grade_2", "grade_3"):
            ev.alert(
                "danger",
                _alert("preg_hypertension_severe"),
                _action("refer_now_hospital"),
                task="refer",
                due_days=0,
            )
        elif hypertensive:
            ev.alert(
                "danger",
                _alert("preg_hypertension"),
                _action("refer"),
                task="refer",
                due_days=1,
            )
        return
    if rule.code == "grade_3":
        ev.alert("danger", rule_class(rule), _action("refer"), task="refer", due_days=1)
    elif hypertensive:
        ev.alert(
            "warning",
            rule_class(rule),
            _action("refer_bp_monthly"),
            task="follow_up",
            due_days=30,
        )
    elif rule.code == "high_normal":
        ev.alert("warning", rule_class(rule), _action("repeat_1m"))


def _anaemia(ev: Evaluation, person: Person, months: int, **kwargs: Any) -> None:
    hb = ev.values.get("hb")
    if hb is None:
        return
    try:
        rule = anaemia.classify_anaemia(hb, age_months=months, sex=person.sex, **kwargs)
    except OutOfRange as exc:
        _out_of_range(ev, "hb" if exc.field == "hb_g_dl" else "on", exc)
        return
    abnormal = rule.code == "anaemia"
    ev.result("anaemia", rule, abnormal=abnormal, screening={"answers": {"hb": hb}})
    if abnormal:
        severe = rule.details.get("severity") == "severe"
        ev.alert(
            "danger" if severe else "warning",
            rule_class(rule),
            _action("refer") if severe else _action("iron_recheck"),
            task="refer" if severe else "follow_up",
            due_days=1 if severe else 30,
        )


def _srq20(ev: Evaluation, years: int) -> None:
    answers = ev.values.get("srq20")
    if answers is None:
        return
    if years < 15:
        ev.error("srq20", _("SRQ-20 hanya untuk umur 15 tahun ke atas."))
        return
    if isinstance(answers, dict):
        answers = [answers.get(str(i), answers.get(i, False)) for i in range(1, 21)]
    answers = list(answers) if isinstance(answers, list | tuple) else []
    if len(answers) != 20 or any(not isinstance(a, bool) for a in answers):
        ev.error("srq20", _("SRQ-20 harus berisi 20 jawaban ya/tidak."))
        return
    rule = mental_health.score_srq20(answers)
    abnormal = rule.code != "negative"
    ev.result("srq20", rule, abnormal=abnormal, screening={"answers": {"items": answers}})
    if rule.code == "suicidal_ideation":
        ev.alert("danger", rule_class(rule), _action("refer_now"), task="refer", due_days=0)
    elif abnormal:
        ev.alert(
            "warning",
            rule_class(rule),
            _action("refer_mental"),
            task="refer",
            due_days=7,
        )


def _smoking(ev: Evaluation) -> None:
    smoking = ev.values.get("smoking")
    if smoking is None:
        return
    ev.result(
        "smoking",
        value=smoking,
        class_code="smoker" if smoking else "non_smoker",
        abnormal=smoking,
        screening={"answers": {"smoking": smoking}},
    )
    if smoking:
        ev.alert("warning", _alert("smoking"), _action("quit_smoking"))


def _bool_answers(ev: Evaluation, key: str, raw: Any, names: tuple[str, ...]) -> dict | None:
    if not isinstance(raw, dict) or any(k not in names for k in raw):
        ev.error(key, _("Jawaban kuesioner tidak lengkap atau tidak dikenal."))
        return None
    out = {}
    for name in names:
        value = raw.get(name, False)
        if not isinstance(value, bool):
            ev.error(key, _("Jawaban kuesioner harus ya atau tidak."))
            return None
        out[name] = value
    return out


def _tb_adult(ev: Evaluation) -> None:
    raw = ev.values.get("tb")
    if raw is None:
        return
    names = (
        "cough",
        "weight_loss",
        "fever",
        "weakness",
        "night_sweats",
        "breathlessness",
        "lymph_nodes",
        "contact_history",
        "risk_factor",
    )
    answers = _bool_answers(ev, "tb", raw, names)
    if answers is None:
        return
    rule = tuberculosis.screen_tb_adult(**answers)
    _tb_result(ev, rule, answers)


def _tb_result(ev: Evaluation, rule: RuleResult, answers: dict) -> None:
    abnormal = rule.code != "not_presumptive"
    ev.result("tb", rule, abnormal=abnormal, screening={"answers": answers})
    if rule.code == "presumptive_tb":
        ev.alert(
            "warning",
            rule_class(rule),
            _action("refer_tcm"),
            task="refer",
            due_days=7,
        )
    elif abnormal:
        ev.alert(
            "warning",
            rule_class(rule),
            _action("contact_investigation"),
            task="follow_up",
            due_days=14,
        )


def _adult_bmi(ev: Evaluation, person: Person, on: date, years: int) -> None:
    v = ev.values
    if v.get("weight") is None or v.get("height") is None:
        return
    if years < 18:
        _child_growth(ev, person, on, completed_months(person.birth_date, on), school=True)
        return
    try:
        bmi = anthropometry_adult.adult_bmi(v["weight"], v["height"])
        rule = anthropometry_adult.classify_adult_bmi(bmi)
    except OutOfRange as exc:
        key = {"weight_kg": "weight", "height_cm": "height"}.get(exc.field, "weight")
        _out_of_range(ev, key, exc)
        return
    ev.extra["bmi"] = bmi
    abnormal = rule.code != "normal"
    ev.result(
        "bmi",
        rule,
        abnormal=abnormal,
        screening={"answers": {"weight": v["weight"], "height": v["height"]}},
    )
    if rule.code in ("obese", "thin_severe"):
        ev.alert("warning", rule_class(rule), _action("nutrition_activity"))


def _waist(ev: Evaluation, person: Person) -> None:
    waist = ev.values.get("waist")
    if waist is None:
        return
    rule = anthropometry_adult.classify_central_obesity(waist, person.sex)
    abnormal = rule.code == "central_obesity"
    ev.result(
        "waist",
        rule,
        abnormal=abnormal,
        screening={"answers": {"waist": waist}},
    )


def _glucose(ev: Evaluation) -> None:
    v = ev.values
    fasting, random_ = v.get("glucose_fasting"), v.get("glucose_random")
    if fasting is None and random_ is None:
        return
    rule = diabetes.classify_glucose_screening(fasting_glucose=fasting, random_glucose=random_)
    abnormal = rule.code != "normal"
    ev.result(
        "dm",
        rule,
        value=fasting if fasting is not None else random_,
        abnormal=abnormal,
        screening={"answers": {"fasting": fasting, "random": random_}},
    )
    if rule.code == "diabetes":
        ev.alert(
            "warning",
            rule_class(rule),
            _action("refer_dm"),
            task="refer",
            due_days=7,
        )
    elif rule.code == "prediabetes":
        ev.alert("warning", rule_class(rule), _action("lifestyle_3m"))


def _puma(ev: Evaluation, person: Person, years: int) -> None:
    raw = ev.values.get("puma")
    if raw is None:
        return
    if years < 40:
        ev.error("puma", _("PUMA hanya untuk umur 40 tahun ke atas."))
        return
    answers = _bool_answers(
        ev, "puma", raw, ("breathless", "phlegm", "cough", "spirometry_offered")
    )
    if answers is None:
        return
    rule = copd.score_puma(
        sex=person.sex,
        age_years=years,
        cigarettes_per_day=ev.values.get("cigarettes_per_day", 0),
        smoking_years=ev.values.get("smoking_years", 0),
        **answers,
    )
    abnormal = rule.code == "high_risk"
    ev.result("puma", rule, abnormal=abnormal, screening={"answers": answers})
    if abnormal:
        ev.alert(
            "warning",
            rule_class(rule),
            _action("refer_spirometry"),
            task="refer",
            due_days=30,
        )


def _cancer_screening(ev: Evaluation, person: Person) -> None:
    v = ev.values
    if person.sex != "F":
        for key in FEMALE_ONLY:
            if v.get(key) is not None:
                ev.error(key, _("SADANIS dan tes IVA hanya untuk perempuan."))
                v.pop(key)
    if v.get("breast_exam") is not None:
        abnormal = v["breast_exam"] == "abnormal"
        ev.result(
            "breast_exam",
            value=v["breast_exam"],
            class_code=v["breast_exam"],
            abnormal=abnormal,
            screening={"answers": {"result": v["breast_exam"]}},
        )
        if abnormal:
            ev.alert(
                "danger",
                _alert("breast_abnormal"),
                _action("refer_hospital"),
                task="refer",
                due_days=7,
            )
    if v.get("iva") is not None:
        abnormal = v["iva"] != "negative"
        ev.result(
            "iva",
            value=v["iva"],
            class_code=v["iva"],
            abnormal=abnormal,
            screening={"answers": {"result": v["iva"]}},
        )
        if v["iva"] == "positive":
            ev.alert(
                "warning",
                Text("care.class.iva.positive"),
                _action("cryotherapy"),
                task="refer",
                due_days=14,
            )
        elif abnormal:
            ev.alert(
                "danger",
                Text("care.class.iva.suspect_cancer"),
                _action("refer_hospital"),
                task="refer",
                due_days=7,
            )


def _supplies(ev: Evaluation, person: Person, months: int) -> None:
    tablets = ev.values.get("iron_tablets")
    if tablets:
        ev.supplies["ttd"] = ev.supplies.get("ttd", 0) + tablets
    if ev.values.get("vitamin_a"):
        if months < 6:
            ev.error("vitamin_a", _("Vitamin A diberikan mulai umur 6 bulan."))
        else:
            item = "vita_blue" if months < 12 else "vita_red"
            ev.supplies[item] = ev.supplies.get(item, 0) + 1


# --- child growth -----------------------------------------------------------------------

_FLAG_FIELDS = {
    "wfa": "weight",
    "lhfa": "height",
    "wflh": "weight",
    "bfa": "weight",
    "hcfa": "head",
    "acfa": "muac",
}


# LiLA/U and LK/U (no Permenkes 2/2020 category): WHO Child Growth Standards (2007) arm and
# head circumference-for-age, read with the usual −2/−3 SD cut-offs. (low edge, class) pairs,
# lowest first; a z at or above every edge is "normal" unless above a "high" edge.
_CIRCUMFERENCE_BANDS: dict[str, tuple[tuple[float, str], ...]] = {
    "acfa": ((-3.0, "very_low"), (-2.0, "low")),
    "hcfa": ((-2.0, "low"),),
}
_CIRCUMFERENCE_HIGH = {"hcfa": 2.0}


def _circumference_class(key: str, z: float) -> str:
    for edge, code in _CIRCUMFERENCE_BANDS[key]:
        if z < edge:
            return code
    high = _CIRCUMFERENCE_HIGH.get(key)
    return "high" if high is not None and z > high else "normal"


def _child_growth(
    ev: Evaluation, person: Person, on: date, months: int, *, school: bool = False
) -> growth_std.Assessment | None:
    v = ev.values
    if all(v.get(k) is None for k in ("weight", "height", "muac", "head")):
        return None
    if v.get("height") is not None and v.get("measured") is None and not school:
        ev.error("measured", _("Pilih cara ukur: telentang (panjang) atau berdiri (tinggi)."))
        return None
    try:
        a = growth_std.assess(
            person.sex,
            person.birth_date,
            on,
            weight_kg=v.get("weight"),
            length_cm=v.get("height"),
            measured=v.get("measured") or ("standing" if school else None),
            oedema=v.get("oedema", False),
            head_cm=v.get("head"),
            muac_cm=v.get("muac"),
        )
    except OutOfRange as exc:
        key = {
            "weight_kg": "weight",
            "length_cm": "height",
            "head_cm": "head",
            "muac_cm": "muac",
        }.get(exc.field, "on")
        _out_of_range(ev, key, exc)
        return None
    ev.extra["growth"] = {k: r.z for k, r in a.indicators.items() if r.z is not None}
    if a.bmi is not None and not math.isnan(a.bmi):
        ev.extra["bmi"] = round(a.bmi, 2)
    if a.c9mo:
        ev.warn("measured", _("Bayi di bawah 9 bulan diukur berdiri; ukur telentang."))
    for key, ind in a.indicators.items():
        if ind.flagged:
            ev.warn(
                _FLAG_FIELDS[key],
                _("%(index)s z = %(z)s di luar batas WHO; periksa ulang pengukuran.")
                % {"index": growth_std.INDEX_LABELS[key], "z": P.fmt(ind.z or 0)},
            )
    normal = {"bb_normal", "normal", "gizi_baik", "tinggi"}
    for key in ("wfa", "lhfa", "wflh", "bfa", "hcfa", "acfa"):
        ind = a.indicators[key]
        if ind.z is None and ind.category is None:
            continue
        if school and key not in ("bfa", "lhfa"):
            continue
        cat = ind.category
        if cat is None and key in _CIRCUMFERENCE_BANDS and ind.z is not None:
            # No Permenkes category: WHO's −2/−3 SD cut-offs, so a low z is never green.
            local = _circumference_class(key, ind.z)
            ev.result(
                key,
                value=ind.z,
                class_code=local,
                abnormal=local != "normal",
                screening={"answers": {"z": ind.z, "reference": a.reference}},
            )
            continue
        abnormal = cat is not None and cat.code not in normal
        ev.result(
            key,
            cat,
            value=ind.z,
            abnormal=abnormal,
            screening={"answers": {"z": ind.z, "reference": a.reference}} if cat else None,
        )
    cats = {
        k: (a.indicators[k].category.code if a.indicators[k].category else None)
        for k in a.indicators
    }
    if school:
        if cats["bfa"] in ("gizi_buruk", "gizi_kurang"):
            ev.alert(
                "warning",
                _alert("school_thin"),
                _action("refer"),
                task="refer",
                due_days=14,
            )
        elif cats["bfa"] == "obesitas":
            ev.alert("warning", _alert("school_obese"), _action("nutrition_activity"))
        return a
    severe = cats["wflh"] == "gizi_buruk" or (cats["wflh"] is None and cats["bfa"] == "gizi_buruk")
    if v.get("oedema"):
        ev.alert(
            "danger",
            _alert("oedema"),
            _action("refer"),
            task="refer",
            due_days=0,
        )
    elif severe or (v.get("muac") is not None and 6 <= months < 60 and v["muac"] < SAM_MUAC_CM):
        ev.alert("danger", _alert("severe_wasting"), _action("refer"), task="refer", due_days=0)
    elif cats["wflh"] == "gizi_kurang":
        ev.alert(
            "warning",
            _alert("wasting"),
            _action("refer_pmt"),
            task="follow_up",
            due_days=14,
        )
    elif cats["wfa"] == "bb_sangat_kurang":
        ev.alert(
            "warning",
            _alert("severely_underweight"),
            _action("refer"),
            task="refer",
            due_days=7,
        )
    if cats["lhfa"] in ("pendek", "sangat_pendek"):
        stunting = a.indicators["lhfa"].category
        ev.alert(
            "warning",
            _alert("stunting", label=rule_class(stunting)),
            _action("refer_confirm"),
            task="follow_up",
            due_days=30,
        )
    if cats["wflh"] in ("gizi_lebih", "obesitas"):
        ev.alert("warning", _alert("overweight"), _action("nutrition"))
    return a


def _child_trend(ev: Evaluation, person: Person, on: date, history: History) -> None:
    weight = ev.values.get("weight")
    if weight is None:
        return
    t = weight_trend(person.birth_date, on, weight, history.weights)
    if t.code is None:
        return
    ev.extra["trend"] = t.code
    ev.extra["two_t"] = t.two_t
    ev.result(
        "weight_trend",
        class_code="2T" if t.two_t else t.code,
        reason=trend_reason(t),
        value=t.gain_g,
        abnormal=t.code == "T",
        screening={"answers": {"gain_g": t.gain_g, "kbm_g": t.kbm_g, "two_t": t.two_t}},
    )
    ev.results[-1]["source"] = TREND_SOURCE
    if t.two_t:
        ev.alert(
            "danger",
            _alert("two_t"),
            _action("home_visit_refer"),
            task="home_visit",
            due_days=7,
        )
    elif t.code == "T":
        ev.alert(
            "warning",
            _alert("not_gaining"),
            _action("nutrition_reweigh"),
        )


def _child(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
    if months >= 60:
        ev.error("package", _("Layanan balita untuk anak umur 0–59 bulan."))
        return
    _check_previous(ev, on, False, history, person)
    _child_growth(ev, person, on, months)
    _child_trend(ev, person, on, history)
    _supplies(ev, person, months)
    dev = ev.values.get("development")
    if dev is not None:
        ev.result(
            "kpsp",
            value=dev,
            class_code=dev,
            abnormal=dev != "sesuai",
            screening={"answers": {"result": dev}},
        )
        if dev == "meragukan":
            ev.alert(
                "warning",
                _alert("dev_doubtful"),
                _action("stimulate_2w"),
                task="follow_up",
                due_days=14,
            )
        elif dev == "penyimpangan":
            ev.alert(
                "danger",
                _alert("dev_deviation"),
                _action("refer"),
                task="refer",
                due_days=7,
            )
    if (
        on.month in (2, 8)
        and 6 <= months < 60
        and not ev.values.get("vitamin_a")
        and not history.vitamin_a_this_month
    ):
        ev.alert(
            "warning",
            _alert("vitamin_a_due"),
            _action("vitamin_a_blue" if months < 12 else "vitamin_a_red"),
        )
    raw = ev.values.get("tb")
    if raw is not None:
        names = (
            "fever_2_weeks",
            "cough_2_weeks",
            "weight_faltering_2_months",
            "lethargy",
            "contact_history",
        )
        answers = _bool_answers(ev, "tb", raw, names)
        if answers is not None:
            _tb_result(ev, tuberculosis.screen_tb_child(**answers), answers)


# --- packages ---------------------------------------------------------------------------


def _anc(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
    preg = history.pregnancy
    if person.sex != "F":
        ev.error("package", _("Pemeriksaan kehamilan hanya untuk perempuan."))
        return
    if preg is None or preg.outcome != PregnancyOutcome.ONGOING:
        ev.error("pregnancy", _("Ibu ini belum tercatat sedang hamil; daftarkan kehamilannya."))
        return
    try:
        ga = pregnancy_std.gestational_age(
            on, lmp=preg.lmp or (preg.edd - timedelta(days=pregnancy_std.PREGNANCY_DAYS))
        )
    except OutOfRange:
        ev.error(
            "on",
            _("Tanggal pemeriksaan di luar masa kehamilan (HPHT %(lmp)s).")
            % {"lmp": date_format(preg.lmp or preg.edd)},
        )
        return
    weeks, trimester = ga.weeks, ga.trimester
    ev.extra["gestational_age_weeks"] = weeks
    ev.extra["trimester"] = trimester
    ev.result(
        "gestational_age",
        value=weeks,
        class_code=f"tm{trimester}",
    )
    visit = ev.values.get("visit_number")
    if visit is None:
        ev.error("visit_number", _("Isi kunjungan ke- (K1–K6)."))
    elif visit in history.anc_visits:
        ev.error(
            "visit_number", _("Kunjungan K%(n)s untuk kehamilan ini sudah tercatat.") % {"n": visit}
        )
    _check_previous(ev, on, True, history, person)
    _blood_pressure(ev, pregnant=True)
    muac = ev.values.get("muac")
    if muac is not None:
        try:
            rule = pregnancy_std.classify_kek(muac)
        except OutOfRange as exc:
            _out_of_range(ev, "muac", exc)
        else:
            kek = rule.code != "normal"
            ev.result("kek", rule, abnormal=kek, screening={"answers": {"muac": muac}})
            if kek:
                ev.alert(
                    "warning",
                    _alert("kek"),
                    _action("pmt_refer"),
                    task="follow_up",
                    due_days=14,
                )
    _anaemia(ev, person, months, pregnant=True, trimester=trimester, reference="who2024")
    fhr = ev.values.get("fetal_hr")
    if fhr is not None and not FETAL_HR_RANGE[0] <= fhr <= FETAL_HR_RANGE[1]:
        ev.alert(
            "danger",
            _alert("fetal_hr", v=fhr),
            _action("refer"),
            task="refer",
            due_days=0,
        )
    _kspr(ev, person, on, preg, months, history)
    _supplies(ev, person, months)


def _kspr(
    ev: Evaluation, person: Person, on: date, preg: Pregnancy, months: int, history: History
) -> None:
    """KSPR from the card's risk factors plus what the records already know: the mother's
    age, her height (this visit or the last one), first pregnancy (gravida 1) and the number
    of children (para). `kspr` is a list of factor codes (items 8–20 of
    `standards.pregnancy.KSPR_FACTORS`) or a dict {factors, years_married,
    years_since_last_birth}."""
    raw = ev.values.get("kspr")
    if raw is None:
        return
    data = {"factors": raw} if isinstance(raw, list | tuple) else raw
    factors = data.get("factors", []) if isinstance(data, dict) else None
    if not isinstance(factors, list | tuple) or any(not isinstance(f, str) for f in factors):
        ev.error("kspr", _("Faktor risiko KSPR harus daftar kode faktor."))
        return
    height = ev.values.get("height")
    if height is None and history.last_height is not None:
        height = history.last_height.value
    if height is None:
        ev.error("height", _("Isi tinggi badan ibu untuk menghitung KSPR."))
        return
    unknown = [f for f in factors if f not in pregnancy_std.KSPR_FACTORS]
    if unknown:
        ev.error("kspr", _("Faktor risiko KSPR tidak dikenal: %(f)s.") % {"f": ", ".join(unknown)})
        return
    try:
        rule = pregnancy_std.score_kspr(
            age_years=months // 12,
            height_cm=height,
            first_pregnancy=preg.gravida == 1,
            children=preg.para,
            years_married=data.get("years_married"),
            years_since_last_birth=data.get("years_since_last_birth"),
            factors=factors,
        )
    except OutOfRange as exc:
        _out_of_range(ev, "kspr", exc)
        return
    except ValueError:
        ev.error("kspr", _("Faktor riwayat persalinan tidak mungkin pada kehamilan pertama."))
        return
    abnormal = rule.code != "krr"
    ev.result("kspr", rule, abnormal=abnormal, screening={"answers": {"factors": list(factors)}})
    advice = Text(f"kspr.term.advice.{rule.code}")
    if rule.code == "krst":
        ev.alert("danger", rule_class(rule), advice, task="refer", due_days=7)
    elif abnormal:
        ev.alert("warning", rule_class(rule), advice)


def _delivery(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
    if person.sex != "F":
        ev.error("package", _("Layanan persalinan hanya untuk perempuan."))
        return
    v = ev.values
    _blood_pressure(ev, pregnant=True)
    if v.get("bleeding"):
        ev.alert("danger", _alert("bleeding"), _action("refer_hospital_now"), task="refer")
    if v.get("temperature") is not None and v["temperature"] >= FEVER_C:
        ev.alert("danger", _alert("fever_delivery"), _action("refer"), task="refer")
    bw = v.get("birth_weight")
    if bw is not None:
        low = bw < LOW_BIRTH_WEIGHT_KG
        ev.result(
            "birth_weight",
            value=bw,
            class_code="bblr" if low else "normal",
            abnormal=low,
        )
        if low:
            ev.alert("warning", _alert("lbw"), _action("home_visit"), task="home_visit", due_days=2)
    if v.get("attendant") == "other" or v.get("delivery_place") == "home":
        ev.alert(
            "warning",
            _alert("non_facility_delivery"),
            _action("home_visit"),
            task="home_visit",
            due_days=2,
        )


def _window(
    ev: Evaluation, key: str, visit: int | None, delivered: date, on: date, series: str
) -> None:
    """The visit number must exist and, if its window (standards.postnatal) is not open on
    `on`, the form says so (recorded anyway: a late visit is still care)."""
    windows = postnatal.WINDOWS[series]
    if visit is None:
        ev.error(
            key, _("Isi kunjungan ke- (%(p)s1–%(p)s%(n)s).") % {"p": series, "n": len(windows)}
        )
        return
    code = f"{series}{visit}"
    if code not in windows:
        ev.error(key, _("Kunjungan %(c)s tidak ada.") % {"c": code})
        return
    states = postnatal.postnatal_visits(
        series, delivered_at=datetime.combine(delivered, time.min, tzinfo=UTC), visits=[], on=on
    )
    state = next(s for s in states if s.code == code)
    if state.state != "due":
        h0, h1 = windows[code]
        ev.alert(
            "warning",
            _alert("visit_out_of_window", c=code, h0=h0, h1=h1),
            _action("next_visit_on_time"),
        )


def _postpartum(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
    preg = history.pregnancy
    if preg is None or preg.outcome_date is None or preg.outcome == PregnancyOutcome.ONGOING:
        ev.error("pregnancy", _("Persalinan ibu ini belum tercatat."))
        return
    days = (on - preg.outcome_date).days
    if days < 0 or days > 42:
        ev.error(
            "on", _("Masa nifas adalah 0–42 hari setelah persalinan (hari ke-%(d)s).") % {"d": days}
        )
        return
    _window(ev, "visit_number", ev.values.get("visit_number"), preg.outcome_date, on, "KF")
    _blood_pressure(ev, pregnant=True)
    v = ev.values
    if v.get("bleeding"):
        ev.alert("danger", _alert("postpartum_bleeding"), _action("refer_now"), task="refer")
    if v.get("temperature") is not None and v["temperature"] >= FEVER_C:
        ev.alert("danger", _alert("postpartum_fever"), _action("refer"), task="refer")
    _anaemia(ev, person, months)
    if v.get("vitamin_a"):
        ev.supplies["vita_red"] = ev.supplies.get("vita_red", 0) + 1
    if v.get("iron_tablets"):
        ev.supplies["ttd"] = v["iron_tablets"]


def _newborn(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
    days = (on - person.birth_date).days
    if days > 28:
        ev.error("package", _("Kunjungan neonatal untuk bayi umur 0–28 hari."))
        return
    _window(ev, "visit_number", ev.values.get("visit_number"), person.birth_date, on, "KN")
    _check_previous(ev, on, False, history, person)
    v = ev.values
    if v.get("height") is not None and v.get("measured") is None:
        ev.values["measured"] = "lying"
    _child_growth(ev, person, on, months)
    temp = v.get("temperature")
    if temp is not None and not NEWBORN_TEMP_RANGE[0] <= temp < NEWBORN_TEMP_RANGE[1]:
        name = "newborn_hypothermia" if temp < NEWBORN_TEMP_RANGE[0] else "newborn_fever"
        ev.alert(
            "danger",
            _alert(name, t=temp),
            _action("refer"),
            task="refer",
        )
    signs = v.get("danger_signs")
    if signs:
        if not isinstance(signs, list | tuple):
            ev.error("danger_signs", _("Tanda bahaya harus berupa daftar."))
        else:
            ev.alert(
                "danger",
                _alert("newborn_danger", s=", ".join(map(str, signs))),
                _action("refer_now"),
                task="refer",
            )
    if v.get("jaundice"):
        ev.alert("warning", _alert("jaundice"), _action("refer"), task="refer", due_days=1)
    if v.get("breastfeeding") is False:
        ev.alert("warning", _alert("not_breastfeeding"), _action("refer"), task="refer")


def _immunization(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
    from ilp.standards import immunization as imm

    doses = ev.values.get("doses") or []
    if not isinstance(doses, list | tuple) or not doses:
        ev.error("doses", _("Isi minimal satu dosis imunisasi."))
        return
    known = set(imm.dose_codes())
    recorded_valid = {code: when for code, when, valid in history.doses if valid}
    seen: set[str] = set()
    clean: list[dict[str, Any]] = []
    for i, dose in enumerate(doses):
        prefix = f"doses.{i}."
        if not isinstance(dose, dict):
            ev.error(f"{prefix}dose_code", _("Dosis tidak lengkap."))
            continue
        code = str(dose.get("dose_code") or "").strip()
        lot = str(dose.get("lot_number") or "").strip()
        expiry = dose.get("expiry_date")
        if isinstance(expiry, str) and expiry:
            try:
                expiry = date.fromisoformat(expiry)
            except ValueError:
                ev.error(f"{prefix}expiry_date", _("Tanggal kedaluwarsa tidak valid."))
                continue
        if code not in known:
            ev.error(f"{prefix}dose_code", _("Jenis/dosis vaksin tidak dikenal."))
            continue
        if code in seen:
            ev.error(f"{prefix}dose_code", _("Dosis %(c)s diisi dua kali.") % {"c": code})
            continue
        seen.add(code)
        if code in recorded_valid:
            ev.error(
                f"{prefix}dose_code",
                _("Dosis %(c)s sudah tercatat pada %(d)s.")
                % {"c": code, "d": date_format(recorded_valid[code])},
            )
        if not lot:
            # SATUSEHAT rule 10306: lot number required when a health worker vaccinated.
            ev.error(f"{prefix}lot_number", _("Nomor batch vaksin wajib diisi."))
        if not isinstance(expiry, date):
            ev.error(f"{prefix}expiry_date", _("Tanggal kedaluwarsa vaksin wajib diisi."))
        elif expiry < on:
            # SATUSEHAT rule 10307: expiry later than the occurrence.
            ev.error(
                f"{prefix}expiry_date",
                _(
                    "Vaksin sudah kedaluwarsa pada %(d)s, sebelum tanggal imunisasi; jangan "
                    "diberikan."
                )
                % {"d": date_format(expiry)},
            )
        clean.append(
            {
                "dose_code": code,
                "lot_number": lot[:32],
                "expiry_date": expiry if isinstance(expiry, date) else None,
            }
        )
    if ev.errors:
        return
    given = [imm.GivenDose(code, when) for code, when, _valid in history.doses if when <= on]
    for i, d in enumerate(clean):
        prefix = f"doses.{i}."
        try:
            rule = imm.check_dose(
                d["dose_code"], sex=person.sex, birth=person.birth_date, doses=given, on=on
            )
        except (ValueError, OutOfRange):
            ev.error("doses", _("Riwayat imunisasi tidak dapat diperiksa."))
            return
        reason = rule_reason(rule)
        if rule.code == "not_allowed":
            # The schedule does not allow this dose for this person: refused, with why.
            ev.error(f"{prefix}dose_code", str(reason))
            continue
        if rule.code == "too_early":
            # Stored only after the health worker confirms (as an unusual value), invalid.
            ev.warn(f"{prefix}dose_code", str(reason))
        valid = rule.code == "valid"
        d["valid"] = valid
        d.update(ImmunizationRecord.invalid_reason_columns(None if valid else reason))
        given.append(imm.GivenDose(d["dose_code"], on))
        ev.result(
            f"dose:{d['dose_code']}",
            value=d["lot_number"],
            class_code="valid" if valid else "too_early_confirmed",
            reason=reason,
            abnormal=not valid,
        )
        ev.results[-1]["source"] = imm.SOURCE
        if not valid:
            ev.alert(
                "warning",
                _alert("dose_invalid", c=d["dose_code"], r=reason),
                _action("reschedule_dose"),
            )
    if ev.errors:
        return
    ev.immunizations = clean


def _school(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
    years = months // 12
    if not 5 <= years < 19:
        ev.error("package", _("Layanan usia sekolah untuk umur 5–18 tahun."))
        return
    _check_previous(ev, on, False, history, person)
    _child_growth(ev, person, on, months, school=True)
    _anaemia(ev, person, months)
    if person.sex == "F" and years >= 12 and not ev.values.get("iron_tablets"):
        ev.alert(
            "warning",
            _alert("teen_iron"),
            _action("give_iron_weekly"),
        )
    _srq20(ev, years)
    _smoking(ev)
    _supplies(ev, person, months)


def _adult(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
    years = months // 12
    if years < 15:
        ev.error("package", _("Skrining usia produktif untuk umur 15 tahun ke atas."))
        return
    _check_previous(ev, on, years >= 18, history, person)
    _blood_pressure(ev)
    _adult_bmi(ev, person, on, years)
    _waist(ev, person)
    _glucose(ev)
    _anaemia(ev, person, months)
    _smoking(ev)
    _srq20(ev, years)
    _puma(ev, person, years)
    _tb_adult(ev)
    _cancer_screening(ev, person)


_SKILAS_KEYS = (
    "recall_failed",
    "orientation_failed",
    "chair_rise_failed",
    "weight_loss",
    "appetite_loss",
    "eye_problem",
    "finger_count_failed",
    "whisper_not_heard",
    "whisper_untestable",
    "sad_or_hopeless",
    "little_interest",
)


def _elderly(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
    if months // 12 < 60:
        ev.error("package", _("Skrining lansia untuk umur 60 tahun ke atas."))
        return
    _adult(ev, person, on, months, history)
    raw = ev.values.get("skilas")
    if raw is not None:
        answers = _bool_answers(ev, "skilas", raw, _SKILAS_KEYS)
        if answers is not None:
            try:
                rule = elderly.screen_skilas(muac_cm=ev.values.get("muac"), **answers)
            except OutOfRange as exc:
                _out_of_range(ev, "muac", exc)
            else:
                abnormal = rule.code == "refer"
                ev.result("skilas", rule, abnormal=abnormal, screening={"answers": answers})
                if abnormal:
                    ev.alert(
                        "warning",
                        rule_reason(rule) or rule_class(rule),
                        _action("refer"),
                        task="refer",
                        due_days=14,
                    )
    raw = ev.values.get("barthel")
    if raw is not None:
        if not isinstance(raw, dict):
            ev.error("barthel", _("Isi sepuluh butir indeks Barthel."))
            return
        try:
            rule = elderly.score_barthel(
                {k: raw.get(k) for k in elderly.BARTHEL_ITEMS}
                if set(raw) <= set(elderly.BARTHEL_ITEMS)
                else raw
            )
        except OutOfRange as exc:
            ev.error(
                "barthel",
                _("Butir %(f)s: nilai %(v)s di luar 0–%(h)s.")
                % {"f": exc.field.removeprefix("barthel."), "v": exc.value, "h": exc.high},
            )
            return
        except ValueError:
            ev.error("barthel", _("Isi sepuluh butir indeks Barthel."))
            return
        abnormal = rule.code != "independent"
        ev.result(
            "barthel",
            rule,
            abnormal=abnormal,
            screening={"answers": dict(raw)},
        )
        if rule.details.get("home_care"):
            ev.alert(
                "warning",
                rule_class(rule),
                _action("home_care"),
                task="home_visit",
                due_days=14,
            )


def _home_visit(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
    _check_previous(ev, on, months >= 18 * 12, history, person)
    if months >= 18 * 12:
        _blood_pressure(ev)
    v = ev.values
    if v.get("temperature") is not None and v["temperature"] >= FEVER_C:
        ev.alert(
            "warning",
            _alert("fever", t=v["temperature"]),
            _action("refer"),
            task="refer",
            due_days=1,
        )
    if v.get("visit_result") in ("not_home", "refused"):
        ev.alert(
            "warning",
            _alert("not_met"),
            _action("home_visit_again"),
            task="home_visit",
            due_days=7,
        )


_EVALUATORS = {
    "anc": _anc,
    "delivery": _delivery,
    "postpartum": _postpartum,
    "newborn": _newborn,
    "child": _child,
    "immunization": _immunization,
    "school": _school,
    "adult": _adult,
    "elderly": _elderly,
    "home_visit": _home_visit,
}
