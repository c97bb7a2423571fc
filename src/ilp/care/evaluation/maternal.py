"""Mothers and newborns: antenatal care with KSPR (``anc``), delivery, postpartum visits
(KF) and neonatal visits (KN).

Local decisions: normal fetal heart rate 120–160/min and newborn temperature 36.5–37.5 °C
(Buku KIA; Buku Bagan MTBS, MTBM); low birth weight < 2.5 kg (WHO).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ilp.care.evaluation import ages
from ilp.care.evaluation.child import child_growth
from ilp.care.evaluation.common import (
    FEVER_C,
    action_text,
    alert_text,
    check_previous,
    out_of_range,
    supplies,
)
from ilp.care.evaluation.history import History
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.evaluation.vitals import evaluate_anaemia, evaluate_blood_pressure
from ilp.care.texts import rule_class
from ilp.core.texts import Text
from ilp.people.models import Person, Pregnancy, PregnancyOutcome
from ilp.standards import postnatal
from ilp.standards import pregnancy as pregnancy_std
from ilp.standards.result import OutOfRange

FETAL_HR_RANGE = (120, 160)


NEWBORN_TEMP_RANGE = (36.5, 37.5)


LOW_BIRTH_WEIGHT_KG = 2.5


def evaluate_anc(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
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
    check_previous(ev, on, True, history, person)
    evaluate_blood_pressure(ev, pregnant=True)
    muac = ev.values.get("muac")
    if muac is not None:
        try:
            rule = pregnancy_std.classify_kek(muac)
        except OutOfRange as exc:
            out_of_range(ev, "muac", exc)
        else:
            kek = rule.code != "normal"
            ev.result("kek", rule, abnormal=kek, screening={"answers": {"muac": muac}})
            if kek:
                ev.alert(
                    "warning",
                    alert_text("kek"),
                    action_text("pmt_refer"),
                    task="follow_up",
                    due_days=14,
                )
    evaluate_anaemia(ev, person, months, pregnant=True, trimester=trimester, reference="who2024")
    fhr = ev.values.get("fetal_hr")
    if fhr is not None and not FETAL_HR_RANGE[0] <= fhr <= FETAL_HR_RANGE[1]:
        ev.alert(
            "danger",
            alert_text("fetal_hr", v=fhr),
            action_text("refer"),
            task="refer",
            due_days=0,
        )
    _kspr(ev, person, on, preg, months, history)
    supplies(ev, person, months)


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
    data = raw  # a dict since parsing (evaluation.parse.normalise_answers)
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
        out_of_range(ev, "kspr", exc)
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


def evaluate_delivery(
    ev: Evaluation, person: Person, on: date, months: int, history: History
) -> None:
    if person.sex != "F":
        ev.error("package", _("Layanan persalinan hanya untuk perempuan."))
        return
    v = ev.values
    evaluate_blood_pressure(ev, pregnant=True)
    if v.get("bleeding"):
        ev.alert("danger", alert_text("bleeding"), action_text("refer_hospital_now"), task="refer")
    if v.get("temperature") is not None and v["temperature"] >= FEVER_C:
        ev.alert("danger", alert_text("fever_delivery"), action_text("refer"), task="refer")
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
            ev.alert(
                "warning",
                alert_text("lbw"),
                action_text("home_visit"),
                task="home_visit",
                due_days=2,
            )
    if v.get("attendant") == "other" or v.get("delivery_place") == "home":
        ev.alert(
            "warning",
            alert_text("non_facility_delivery"),
            action_text("home_visit"),
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
            alert_text("visit_out_of_window", c=code, h0=h0, h1=h1),
            action_text("next_visit_on_time"),
        )


def evaluate_postpartum(
    ev: Evaluation, person: Person, on: date, months: int, history: History
) -> None:
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
    evaluate_blood_pressure(ev, pregnant=True)
    v = ev.values
    if v.get("bleeding"):
        ev.alert(
            "danger", alert_text("postpartum_bleeding"), action_text("refer_now"), task="refer"
        )
    if v.get("temperature") is not None and v["temperature"] >= FEVER_C:
        ev.alert("danger", alert_text("postpartum_fever"), action_text("refer"), task="refer")
    evaluate_anaemia(ev, person, months)
    if v.get("vitamin_a"):
        ev.supplies["vita_red"] = ev.supplies.get("vita_red", 0) + 1
    if v.get("iron_tablets"):
        ev.supplies["ttd"] = v["iron_tablets"]


def evaluate_newborn(
    ev: Evaluation, person: Person, on: date, months: int, history: History
) -> None:
    if not ages.is_newborn(person.birth_date, on):
        ev.error("package", _("Kunjungan neonatal untuk bayi umur 0–28 hari."))
        return
    _window(ev, "visit_number", ev.values.get("visit_number"), person.birth_date, on, "KN")
    check_previous(ev, on, False, history, person)
    v = ev.values
    if v.get("height") is not None and v.get("measured") is None:
        ev.values["measured"] = "lying"
    child_growth(ev, person, on, months)
    temp = v.get("temperature")
    if temp is not None and not NEWBORN_TEMP_RANGE[0] <= temp < NEWBORN_TEMP_RANGE[1]:
        name = "newborn_hypothermia" if temp < NEWBORN_TEMP_RANGE[0] else "newborn_fever"
        ev.alert(
            "danger",
            alert_text(name, t=temp),
            action_text("refer"),
            task="refer",
        )
    signs = v.get("danger_signs")
    if signs:
        if not isinstance(signs, list | tuple):
            ev.error("danger_signs", _("Tanda bahaya harus berupa daftar."))
        else:
            ev.alert(
                "danger",
                alert_text("newborn_danger", s=", ".join(map(str, signs))),
                action_text("refer_now"),
                task="refer",
            )
    if v.get("jaundice"):
        ev.alert("warning", alert_text("jaundice"), action_text("refer"), task="refer", due_days=1)
    if v.get("breastfeeding") is False:
        ev.alert("warning", alert_text("not_breastfeeding"), action_text("refer"), task="refer")
