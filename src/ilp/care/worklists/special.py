"""Special lists: high-risk pregnancies, undernourished or stunted children, "2T" children,
adults with uncontrolled hypertension or diabetes.

Each list reads the latest relevant record per person of the area in one query, then decides
in Python (growth categories through ``ilp.standards.growth``, vectorised).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from django.db import connection
from django.db.models import Q

from ilp.care.models import Observation, Screening, text_of
from ilp.care.services.trend import weight_trend
from ilp.care.worklists import rules
from ilp.care.worklists.engine import PersonRow, area_filter
from ilp.core.texts import Text
from ilp.people.models import Pregnancy, PregnancyOutcome
from ilp.places.models import Facility
from ilp.standards.dates import add_months, years_before
from ilp.standards.growth import zscores
from ilp.standards.growth.categories import classify

SPECIAL_LISTS = (
    "risiko_tinggi",
    "gizi",
    "2t",
    "ht_tidak_terkendali",
    "dm_tidak_terkendali",
    "prediabetes",
)
# Abnormal results that are not the disease a list is named after: a "normal-high" blood
# pressure is not hypertension; prediabetes and an uncertain glucose reading are not diabetes
# (they have their own list, to be measured again).
NOT_HYPERTENSION = frozenset({"high_normal", "normal", "optimal", "elevated"})
PREDIABETES = frozenset({"prediabetes", "uncertain"})
NOT_DIABETES = PREDIABETES | {"normal"}
# Growth measurements older than this are not "latest results" any more.
GROWTH_MAX_AGE_DAYS = 92
# A "2T" child's latest weighing is at most this old.
TWO_T_MAX_AGE_DAYS = 62
WASTING = {"gizi_buruk", "gizi_kurang"}
STUNTING = {"sangat_pendek", "pendek"}


@dataclass(slots=True)
class SpecialItem:
    person: PersonRow
    code: str  # e.g. 'krst', 'gizi_buruk', 'pendek', '2t', 'grade_2'
    label: Text | str  # a stored result's class (a Text, rendered in the reader's language)
    date: date  # of the result that put the person on the list
    detail: dict = field(default_factory=dict)


def compute_special_lists(
    facility: Facility,
    *,
    on: date,
    persons: dict[int, PersonRow],
    which: tuple[str, ...] = SPECIAL_LISTS,
) -> dict[str, list[SpecialItem]]:
    """The special lists of `facility`'s area on `on`, for the persons given (already scoped)."""
    area = area_filter(facility, "person__")
    out: dict[str, list[SpecialItem]] = {}
    if "risiko_tinggi" in which:
        out["risiko_tinggi"] = _high_risk(area, persons, on)
    if "gizi" in which or "2t" in which:
        gizi, two_t = _growth(area, persons, on)
        if "gizi" in which:
            out["gizi"] = gizi
        if "2t" in which:
            out["2t"] = two_t
    if "ht_tidak_terkendali" in which:
        out["ht_tidak_terkendali"] = _latest_abnormal(
            area, persons, on, rules.INSTRUMENT_BP, lambda code: code not in NOT_HYPERTENSION
        )
    if "dm_tidak_terkendali" in which or "prediabetes" in which:
        glucose = _latest_abnormal(area, persons, on, rules.INSTRUMENT_DM, lambda code: True)
        if "dm_tidak_terkendali" in which:
            out["dm_tidak_terkendali"] = [i for i in glucose if i.code not in NOT_DIABETES]
        if "prediabetes" in which:
            out["prediabetes"] = [i for i in glucose if i.code in PREDIABETES]
    return out


def _high_risk(area: Q, persons, on) -> list[SpecialItem]:
    ongoing = dict(
        Pregnancy.objects.active()
        .filter(area, outcome=PregnancyOutcome.ONGOING)
        .values_list("id", "person_id")
    )
    if not ongoing:
        return []
    latest: dict[int, tuple] = {}
    for preg, d, code, label_code, label_params, score in (
        Screening.objects.active()
        .filter(
            encounter__pregnancy_id__in=list(ongoing),
            instrument=rules.INSTRUMENT_KSPR,
            date__lte=on,
        )
        .values_list(
            "encounter__pregnancy_id", "date", "result_code", "label_code", "label_params", "score"
        )
    ):
        if preg not in latest or d >= latest[preg][0]:
            latest[preg] = (d, code, text_of(label_code, label_params), score)
    out = []
    for preg, (d, code, label, score) in latest.items():
        p = persons.get(ongoing[preg])
        if p is None or code not in rules.KSPR_HIGH_RISK:
            continue
        text = label or code.upper()
        out.append(SpecialItem(p, code, text, d, {"score": score, "pregnancy_id": preg}))
    # KRST before KRT, then the highest score.
    out.sort(key=lambda i: (i.code != "krst", -(i.detail["score"] or 0), i.person.name))
    return out


def _growth(area: Q, persons, on) -> tuple[list[SpecialItem], list[SpecialItem]]:
    # Heights of the last year (the latest one at or before the weighing counts); weights
    # only as far back as the rules look: the latest within GROWTH_MAX_AGE_DAYS for the
    # categories, and for 2T a weighing within TWO_T_MAX_AGE_DAYS with the two calendar
    # months before it (weight_trend). A year of monthly weights was most of the reading.
    heights_from = years_before(on, 1)
    two_t_from = add_months(
        (on - timedelta(days=TWO_T_MAX_AGE_DAYS)).replace(day=1), -2
    ) - timedelta(days=1)
    weights_from = min(on - timedelta(days=GROWTH_MAX_AGE_DAYS + 1), two_t_from)
    rows = (
        Observation.objects.active()
        .filter(
            area,
            person__birth_date__gt=years_before(on, 5),
            date__lte=on,
        )
        .filter(
            Q(code=rules.OBS_WEIGHT, date__gt=weights_from)
            | Q(code=rules.OBS_HEIGHT, date__gt=heights_from)
        )
        .values_list("person_id", "code", "date", "value")
    )
    weights: dict[int, list[tuple[date, float]]] = defaultdict(list)
    heights: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for pid, code, d, value in rows:
        if value is None or pid not in persons:
            continue
        (weights if code == rules.OBS_WEIGHT else heights)[pid].append((d, value))

    # Latest weight with the height of the same day (or the latest height before it).
    pids, sexes, ages, ws, hs, dates = [], [], [], [], [], []
    for pid, ws_list in weights.items():
        d, w = max(ws_list)
        if (on - d).days > GROWTH_MAX_AGE_DAYS:
            continue
        h_candidates = [x for x in heights.get(pid, ()) if x[0] <= d]
        h = max(h_candidates)[1] if h_candidates else np.nan
        p = persons[pid]
        pids.append(pid)
        sexes.append(p.sex)
        ages.append((d - p.birth_date).days)
        ws.append(w)
        hs.append(h)
        dates.append(d)
    gizi: list[SpecialItem] = []
    if pids:
        age = np.asarray(ages, dtype=np.float64)
        z = zscores(np.asarray(sexes), age, weight_kg=np.asarray(ws), length_cm=np.asarray(hs))
        wflh = classify("wflh", z["wflh"], age)
        lhfa = classify("lhfa", z["lhfa"], age)
        for i, pid in enumerate(pids):
            codes = []
            if wflh[i] in WASTING:
                codes.append(wflh[i])
            if lhfa[i] in STUNTING:
                codes.append(lhfa[i])
            if not codes:
                continue
            # The Permenkes 2/2020 classes, phrased in the reader's language where shown.
            texts = [Text(f"growth_category.class.{c}") for c in codes]
            label = (
                texts[0]
                if len(texts) == 1
                else Text("care.special.both", {"first": texts[0], "second": texts[1]})
            )
            detail = {
                "wflh_z": float(z["wflh"][i]),
                "lhfa_z": float(z["lhfa"][i]),
                "codes": codes,
            }
            gizi.append(SpecialItem(persons[pid], codes[0], label, dates[i], detail))
    severity = {"gizi_buruk": 0, "sangat_pendek": 1, "gizi_kurang": 2, "pendek": 3}
    gizi.sort(key=lambda i: (severity.get(i.code, 9), i.person.name))

    # 2T: the KMS trend rule of the care services (KBM table) on the latest weighing of each
    # child weighed in the last two months.
    two_t: list[SpecialItem] = []
    for pid, ws_list in weights.items():
        ws_sorted = sorted(ws_list)
        d, w = ws_sorted[-1]
        if (on - d).days > TWO_T_MAX_AGE_DAYS or len(ws_sorted) < 3:
            continue
        t = weight_trend(persons[pid].birth_date, d, w, ws_sorted[:-1])
        if t.two_t:
            two_t.append(
                SpecialItem(
                    persons[pid],
                    "2t",
                    Text("care.class.weight_trend.2T"),
                    d,
                    {"gain_g": t.gain_g, "kbm_g": t.kbm_g, "reason": t.reason},
                )
            )
    two_t.sort(key=lambda i: i.person.name)
    return gizi, two_t


def _latest_abnormal(
    area: Q, persons, on, instrument: str, counts: Callable[[str], bool]
) -> list[SpecialItem]:
    """Persons whose latest `instrument` result is abnormal with a code the list `counts`."""
    latest: dict[int, tuple] = {}
    qs = Screening.objects.active().filter(area, instrument=instrument, date__lte=on)
    if connection.features.can_distinct_on_fields:
        # PostgreSQL: only each person's latest screening leaves the database (two years of
        # BP checks of a puskesmas area are ~60,000 rows; its people ~30,000).
        qs = qs.order_by("person_id", "-date", "-id").distinct("person_id")
    rows = qs.values_list(
        "person_id", "date", "result_code", "label_code", "label_params", "abnormal", "score"
    )
    for pid, d, code, label_code, label_params, abnormal, score in rows:
        if pid in persons and (pid not in latest or d >= latest[pid][0]):
            latest[pid] = (d, code, text_of(label_code, label_params), abnormal, score)
    out = [
        SpecialItem(
            persons[pid],
            code,
            Text("care.special.result_on", {"label": label or code, "date": d}),
            d,
            {"score": score},
        )
        for pid, (d, code, label, abnormal, score) in latest.items()
        if abnormal and counts(code)
    ]
    out.sort(key=lambda i: (i.date, i.person.name))
    return out
