"""A realistic service history for the residents already in the database.

``generate_service_history(start=..., end=..., seed=...)`` writes, for every posyandu, pustu
and puskesmas of the district and every resident:

- one posyandu session a month per posyandu (on about the same day each month), balita
  attendance at ~70–80 % (a propensity per child) from four weeks of age, a weighing (weight,
  length/height and how it was measured) for each child present. Each child grows along its
  own WHO z-score track (``ilp.standards.growth`` tables, see ``_GrowthTracks``), with small
  month-to-month changes that pass the app's own plausibility check; some children are
  stunted or wasted and some falter (T, 2T);
- vitamin A capsules in February and August for children 6–59 months present;
- immunisation doses of the national schedule (``ilp.standards.immunization`` data), mostly on
  time, with a per-child lateness, per-dose delays, minimum intervals kept, and drop-outs
  (~15 % of the doses due never given);
- ANC contacts K1–K6 for the pregnancies (drop-outs leave some with fewer than six), a KSPR
  screening and Hb at K1, KF1–KF4 for the mothers and KN1–KN3 for the newborns;
- one adult (15–59 y) or elderly (≥ 60 y) screening a year for about half of the adults, with
  blood pressure and random glucose drawn from age-dependent distributions and classified by
  ``ilp.standards.blood_pressure`` and ``ilp.standards.diabetes``;
- follow-up tasks after hypertensive readings, referrals after diabetic glucose values, home
  visits after missed sessions, each opened by its encounter or session. A task a later
  generated service satisfies is closed by it as the care services would have
  (``close_satisfied_tasks``: done, ``service_recorded``, the closing encounter and its day);
  some others were closed by hand before; the rest are still open.

Everything is drawn column-wise with numpy from one seed and written with COPY (PostgreSQL) in
one transaction, indexes rebuilt once (``ilp.core.bulk.bulk_load``).
"""

from __future__ import annotations

import time as _time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from ilp.care.models import (
    Attendance,
    Encounter,
    ImmunizationRecord,
    Observation,
    PosyanduSession,
    Screening,
    Supply,
    Task,
)
from ilp.care.services import plausibility as P
from ilp.care.services.summary import summaries_rebuild
from ilp.core.bulk import analyze, bulk_load, next_pk, reset_sequences, write_columns
from ilp.monitoring.services import indicators_rebuild
from ilp.people.models import Person, Pregnancy
from ilp.places.models import AreaLevel, Facility, FacilityKind
from ilp.standards.growth.velocity import upper_gain_g

D = np.timedelta64(1, "D")
DAYS_PER_MONTH = 30.4375
NEWBORN_DAYS = 28


@dataclass
class HistorySummary:
    sessions: int = 0
    attendances: int = 0
    encounters: int = 0
    observations: int = 0
    immunizations: int = 0
    screenings: int = 0
    supplies: int = 0
    tasks: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


# The tables the history writes, in write order (keys are handed out before, indexes rebuilt
# and statistics refreshed after).
_WRITTEN = (
    PosyanduSession,
    Attendance,
    Encounter,
    Observation,
    ImmunizationRecord,
    Screening,
    Supply,
    Task,
)


class _Buf:
    """Column buffers of one table, appended in numpy chunks."""

    def __init__(self, names: list[str]):
        self.cols: dict[str, list[Any]] = {n: [] for n in names}

    def add(self, **cols: Any) -> None:
        n = next(len(v) for v in cols.values() if not _scalar(v))
        for k, v in cols.items():
            self.cols[k].append(np.full(n, v, dtype=object) if _scalar(v) else np.asarray(v))

    def columns(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for k, parts in self.cols.items():
            arr = np.concatenate(parts) if parts else np.array([])
            if arr.dtype.kind == "M":
                out[k] = [None if s == "NaT" else s for s in arr.astype(str).tolist()]
            else:
                out[k] = arr.tolist()
        return out

    def __len__(self) -> int:
        first = next(iter(self.cols.values()))
        return int(sum(len(p) for p in first))


def _scalar(v: Any) -> bool:
    return v is None or isinstance(v, str | int | float | bool)


def _d64(d: date) -> np.datetime64:
    return np.datetime64(d, "D")


def _uuids(rng: np.random.Generator, n: int) -> list[str]:
    raw = rng.bytes(16 * n)
    return [str(uuid.UUID(bytes=raw[i : i + 16], version=4)) for i in range(0, 16 * n, 16)]


def _at_z(t, idx, z):
    lv, mv, sv = t.l[idx], t.m[idx], t.s[idx]
    with np.errstate(invalid="ignore", divide="ignore"):
        return mv * np.power(1.0 + lv * sv * z, 1.0 / lv)


def generate_service_history(
    *,
    start: date,
    end: date,
    seed: int,
    attendance: float = 0.75,
    dose_coverage: float = 0.85,
    screening_coverage: float = 0.5,
    progress: Callable[[str], None] | None = None,
) -> HistorySummary:
    """Write a service history from `start` to `end` (inclusive) for the persons in the
    database. Deterministic for a seed and database. Not idempotent: run it on a district
    without care records (it does not delete any)."""
    t0 = _time.perf_counter()
    say = progress or (lambda message: None)
    rng = np.random.default_rng([seed, 7])
    s64, e64 = _d64(start), _d64(end)
    summary = HistorySummary()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    stamps = {"created_at": now, "updated_at": now}

    # -- persons and facilities -----------------------------------------------------------
    # In id order: the random draws go to the persons in the order the rows come, and without
    # an ORDER BY PostgreSQL returns them in storage order, which depends on earlier deletes
    # and updates in the table (the same seed then gave other histories).
    rows = list(
        Person.objects.values_list(
            "id", "sex", "birth_date", "hamlet_id", "village_id", "deceased_on", "mother_id"
        ).order_by("id")
    )
    if not rows:
        return summary
    pid = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    female = np.fromiter((r[1] == "F" for r in rows), bool, len(rows))
    birth = np.array([r[2] for r in rows], dtype="datetime64[D]")
    hamlet = np.fromiter((r[3] or 0 for r in rows), np.int64, len(rows))
    village = np.fromiter((r[4] for r in rows), np.int64, len(rows))
    dead = np.array([r[5] or end + timedelta(days=1) for r in rows], dtype="datetime64[D]")
    mother = np.fromiter((r[6] or 0 for r in rows), np.int64, len(rows))
    del rows
    say(f"{len(pid)} persons loaded ({_time.perf_counter() - t0:.1f} s)")

    served = (
        Facility.service_areas.through.objects.filter(
            facility__kind__in=[FacilityKind.POSYANDU, FacilityKind.PUSTU, FacilityKind.PUSKESMAS]
        )
        .values_list("facility_id", "facility__kind", "area_id", "area__level")
        .order_by("id")
    )
    posyandu_of_hamlet: dict[int, int] = {}
    pustu_of_village: dict[int, int] = {}
    pkm_of_village: dict[int, int] = {}
    for fid, kind, area_id, level in served:
        if kind == FacilityKind.POSYANDU and level == AreaLevel.HAMLET:
            posyandu_of_hamlet.setdefault(area_id, fid)
        elif kind == FacilityKind.PUSTU and level == AreaLevel.VILLAGE:
            pustu_of_village.setdefault(area_id, fid)
        elif kind == FacilityKind.PUSKESMAS and level == AreaLevel.VILLAGE:
            pkm_of_village.setdefault(area_id, fid)

    def lookup(mapping: dict[int, int], keys: np.ndarray) -> np.ndarray:
        if not mapping:
            return np.zeros(len(keys), np.int64)
        k = np.fromiter(mapping.keys(), np.int64)
        v = np.fromiter(mapping.values(), np.int64)
        order = np.argsort(k)
        k, v = k[order], v[order]
        pos = np.clip(np.searchsorted(k, keys), 0, len(k) - 1)
        return np.where(k[pos] == keys, v[pos], 0)

    pos_of = lookup(posyandu_of_hamlet, hamlet)
    pustu_of = lookup(pustu_of_village, village)
    pkm_of = lookup(pkm_of_village, village)
    pustu_of = np.where(pustu_of > 0, pustu_of, pkm_of)
    pos_of_or_pustu = np.where(pos_of > 0, pos_of, pustu_of)

    # primary keys
    pk = {m: next_pk(m) for m in _WRITTEN}

    enc = _Buf(
        [
            "id",
            "person_id",
            "date",
            "place_kind",
            "facility_id",
            "session_id",
            "cluster",
            "package",
            "visit_number",
            "pregnancy_id",
        ]
    )
    obs = _Buf(
        ["encounter_id", "person_id", "date", "code", "value", "value_text", "unit", "loinc"]
        + ["flagged"]
    )

    def add_obs(
        eids: np.ndarray,
        persons: np.ndarray,
        days: np.ndarray,
        code: str,
        *,
        value: Any = None,
        text: Any = "",
        loinc: Any = None,
        flagged: Any = False,
    ) -> None:
        """Observation rows as the care service writes them (unit and LOINC of the spec)."""
        spec = P.SPECS[code]
        obs.add(
            encounter_id=eids,
            person_id=persons,
            date=days,
            code=code,
            value=value,
            value_text=text,
            unit=spec.unit,
            loinc=spec.loinc if loinc is None else loinc,
            flagged=flagged,
        )

    scr = _Buf(
        [
            "encounter_id",
            "person_id",
            "date",
            "instrument",
            "score",
            "result_code",
            "label_code",
            "abnormal",
        ]
    )
    # Tasks as they were opened (by a finding or a session); ``opened`` (the day) and
    # ``hand_day`` (when a health worker would close it by hand, NaT for never) are not
    # columns: :func:`_close_tasks` turns them into the task's status and closing.
    task = _Buf(
        [
            "person_id",
            "kind",
            "reason_code",
            "reason_params",
            "due_date",
            "facility_id",
            "source_encounter_id",
            "source_session_id",
            "opened",
            "hand_day",
        ]
    )

    def new_encounters(n: int) -> np.ndarray:
        ids = np.arange(pk[Encounter], pk[Encounter] + n, dtype=np.int64)
        pk[Encounter] += n
        return ids

    # -- posyandu sessions and balita ----------------------------------------------------------
    posyandu_ids = np.array(sorted(set(posyandu_of_hamlet.values())), dtype=np.int64)
    months = np.arange(np.datetime64(start, "M"), np.datetime64(end, "M") + np.timedelta64(1, "M"))
    n_pos, n_mon = len(posyandu_ids), len(months)
    # A posyandu meets on about the same day every month (its "hari buka").
    session_day = np.clip(
        rng.integers(6, 23, size=(n_pos, 1)) + rng.integers(-2, 3, size=(n_pos, n_mon)), 1, 28
    )
    session_date = months.astype("datetime64[D]")[None, :] + (session_day - 1) * D
    in_range = (session_date >= s64) & (session_date <= e64)
    session_id = np.zeros((n_pos, n_mon), np.int64)
    n_sessions = int(in_range.sum())
    session_id[in_range] = np.arange(pk[PosyanduSession], pk[PosyanduSession] + n_sessions)
    pos_index = {int(f): i for i, f in enumerate(posyandu_ids)}
    sess_rows = {
        "id": session_id[in_range],
        "posyandu_id": np.broadcast_to(posyandu_ids[:, None], (n_pos, n_mon))[in_range],
        "date": session_date[in_range],
    }

    # children under five at some point of the period
    kid = (birth > s64 - 1827 * D) & (birth <= e64) & (pos_of > 0)
    kid_i = np.flatnonzero(kid)
    nk = len(kid_i)
    k_pid, k_birth, k_female = pid[kid_i], birth[kid_i], female[kid_i]
    k_row = np.array([pos_index[int(f)] for f in pos_of[kid_i]], dtype=np.int64)
    propensity = np.clip(rng.beta(7.5, 2.5, nk) * (attendance / 0.75), 0.05, 0.99)
    growth = _GrowthTracks(rng, nk)
    att = _Buf(["session_id", "person_id", "present"])
    sup = _Buf(["encounter_id", "person_id", "date", "item", "quantity"])
    home_tasks = []
    for m in range(n_mon):
        growth.step()
        sd = session_date[k_row, m]
        # Newborns are seen at home (KN1–KN3) in their first four weeks, at the posyandu after.
        ok = (
            in_range[k_row, m]
            & (sd >= k_birth + NEWBORN_DAYS * D)
            & (sd < k_birth + 1827 * D)
            & (sd < dead[kid_i])
        )
        idx = np.flatnonzero(ok)
        if not len(idx):
            continue
        present = rng.random(len(idx)) < propensity[idx]
        att.add(session_id=session_id[k_row[idx], m], person_id=k_pid[idx], present=present)
        # home visits for some absent children
        absent = idx[~present]
        chosen = absent[rng.random(len(absent)) < 0.08]
        if len(chosen):
            home_tasks.append((chosen, sd[chosen], session_id[k_row[chosen], m]))
        w = idx[present]
        if not len(w):
            continue
        day = sd[w]
        age = (day - k_birth[w]).astype(np.int64)
        weight, length, lying, flagged = growth.measure(w, day, age, k_female[w])
        eids = new_encounters(len(w))
        enc.add(
            id=eids,
            person_id=k_pid[w],
            date=day,
            place_kind="posyandu",
            facility_id=posyandu_ids[k_row[w]],
            session_id=session_id[k_row[w], m],
            cluster="k2",
            package="child",
            visit_number=None,
            pregnancy_id=None,
        )
        add_obs(eids, k_pid[w], day, "weight", value=weight, flagged=flagged)
        add_obs(
            eids,
            k_pid[w],
            day,
            "height",
            value=length,
            loinc=np.where(lying, P.LOINC_LENGTH_LYING, P.SPECS["height"].loinc),
        )
        add_obs(eids, k_pid[w], day, "measured", text=np.where(lying, "lying", "standing"))
        month_no = int(str(months[m])[5:7])
        if month_no in (2, 8):
            six = age >= 182
            if six.any():
                sup.add(
                    encounter_id=eids[six],
                    person_id=k_pid[w][six],
                    date=day[six],
                    item=np.where(age[six] < 365, "vita_blue", "vita_red"),
                    quantity=1,
                )
    say(f"sessions and weighings drawn ({_time.perf_counter() - t0:.1f} s)")
    for chosen, sd, sessions in home_tasks:
        task.add(
            person_id=k_pid[chosen],
            kind="home_visit",
            reason_code="care.task.absent_invite",
            reason_params="{}",
            due_date=sd + 7 * D,
            facility_id=posyandu_ids[k_row[chosen]],
            source_encounter_id=None,
            source_session_id=sessions,
            opened=sd,
            hand_day=_hand_closing(rng, len(chosen), sd + 7 * D, end, 0.7),
        )

    # -- immunisation -----------------------------------------------------------------------
    imm = _Buf(["person_id", "date", "dose_code", "facility_id"])
    from ilp.standards.immunization import schedule_entries

    lateness = rng.exponential(7.0, nk)
    dropout_after = np.where(
        rng.random(nk) < 0.12, rng.integers(1, 12, nk), 99
    )  # drop-outs stop after some visit
    last_in_series: dict[str, np.ndarray] = {}
    entries = [e for e in schedule_entries() if e["group"] in ("infant", "baduta")]
    entries = [e for e in entries if e["code"] != "JE"]
    for n_dose, e in enumerate(entries):
        ra = e["recommended_age"]
        age_days = (
            ra.get("years", 0) * 365.25 + ra.get("months", 0) * DAYS_PER_MONTH + ra.get("days", 0)
        )
        if e["code"] == "HB0":
            delay = rng.integers(0, 2, nk)
        else:
            delay = np.round(lateness + rng.exponential(5.0, nk)).astype(np.int64)
        d = k_birth + (np.round(age_days).astype(np.int64) + delay) * D
        prev = last_in_series.get(e["series"])
        if prev is not None:
            d = np.maximum(d, prev + 28 * D)
        if e["series"] == "RV":
            ok_rv = k_birth >= np.datetime64("2023-05-16")
        else:
            ok_rv = np.ones(nk, bool)
        visits = n_dose // 3 + 1
        given = (
            ok_rv
            & (rng.random(nk) < (0.99 if e["code"] == "HB0" else dose_coverage + 0.1))
            & (visits <= dropout_after)
            & (d >= s64)
            & (d <= e64)
            & (d < dead[kid_i])
        )
        if prev is not None:
            given &= prev > np.datetime64("1900-01-01")
        idx = np.flatnonzero(given)
        imm.add(
            person_id=k_pid[idx],
            date=d[idx],
            dose_code=e["code"],
            facility_id=pos_of_or_pustu[kid_i[idx]],
        )
        # series continuity: a dose not given blocks the next in the series
        done = np.where(given | (d < s64), d, np.datetime64("NaT"))
        if prev is not None:
            done = np.where(prev > np.datetime64("1900-01-01"), done, np.datetime64("NaT"))
        last_in_series[e["series"]] = np.where(np.isnat(done), np.datetime64("1900-01-01"), done)
    say(f"immunisations drawn ({_time.perf_counter() - t0:.1f} s)")

    # -- pregnancies: ANC, KSPR, Hb, KF, KN ----------------------------------------------------
    preg = list(
        Pregnancy.objects.values_list(
            "id", "person_id", "lmp", "edd", "outcome", "outcome_date"
        ).order_by("id")
    )
    if preg:
        p_id = np.array([r[0] for r in preg], np.int64)
        p_person = np.array([r[1] for r in preg], np.int64)
        p_lmp = np.array([r[2] or (r[3] - timedelta(days=280)) for r in preg], "datetime64[D]")
        p_end = np.array([r[5] or end for r in preg], "datetime64[D]")
        p_live = np.array([r[4] == "live_birth" and r[5] is not None for r in preg])
        order = np.argsort(pid)
        pos_person = order[np.searchsorted(pid, p_person, sorter=order)]
        fac_anc = pustu_of[pos_person]
        fac_doc = pkm_of[pos_person]
        n_contacts = rng.choice(7, size=len(p_id), p=[0.02, 0.03, 0.05, 0.08, 0.12, 0.2, 0.5])
        weeks = np.array([10, 17, 22, 29, 33, 37])
        risk = rng.choice(3, size=len(p_id), p=[0.72, 0.23, 0.05])
        kspr_score = np.where(
            risk == 0,
            2,
            np.where(risk == 1, rng.integers(6, 11, len(p_id)), rng.integers(12, 20, len(p_id))),
        )
        kspr_code = np.array(["krr", "krt", "krst"])[risk]
        # The class as its code (``ilp.care.texts.class_text`` of a KSPR result), rendered
        # in the reader's language.
        kspr_label = np.array(["kspr.class.krr", "kspr.class.krt", "kspr.class.krst"])[risk]
        for k in range(6):
            d = p_lmp + (weeks[k] * 7 + rng.integers(-10, 11, len(p_id))) * D
            ok = (k < n_contacts) & (d >= s64) & (d <= e64) & (d <= p_end)
            idx = np.flatnonzero(ok)
            if not len(idx):
                continue
            eids = new_encounters(len(idx))
            doctor = k in (0, 4)
            enc.add(
                id=eids,
                person_id=p_person[idx],
                date=d[idx],
                place_kind="puskesmas" if doctor else "pustu",
                facility_id=(fac_doc if doctor else fac_anc)[idx],
                session_id=None,
                cluster="k2",
                package="anc",
                visit_number=k + 1,
                pregnancy_id=p_id[idx],
            )
            if k == 0:
                scr.add(
                    encounter_id=eids,
                    person_id=p_person[idx],
                    date=d[idx],
                    instrument="kspr",
                    score=kspr_score[idx],
                    result_code=kspr_code[idx],
                    label_code=kspr_label[idx],
                    abnormal=risk[idx] > 0,
                )
            if k in (0, 4):
                hb = np.round(rng.normal(11.6, 1.3, len(idx)), 1)
                add_obs(eids, p_person[idx], d[idx], "hb", value=hb)
        # KF for mothers
        kf_days = (0, 4, 15, 35)
        kf_p = (0.92, 0.82, 0.7, 0.55)
        for k in range(4):
            d = p_end + kf_days[k] * D + rng.integers(0, 2, len(p_id)) * D
            ok = p_live & (rng.random(len(p_id)) < kf_p[k]) & (d >= s64) & (d <= e64)
            idx = np.flatnonzero(ok)
            if len(idx):
                enc.add(
                    id=new_encounters(len(idx)),
                    person_id=p_person[idx],
                    date=d[idx],
                    place_kind="home",
                    facility_id=fac_anc[idx],
                    session_id=None,
                    cluster="k2",
                    package="postpartum",
                    visit_number=k + 1,
                    pregnancy_id=p_id[idx],
                )
    # KN for newborns born in the period (babies with a mother)
    nb = np.flatnonzero((birth >= s64) & (birth <= e64) & (mother > 0))
    for k, (days, p) in enumerate(((0, 0.93), (4, 0.83), (15, 0.72))):
        d = birth[nb] + days * D + rng.integers(0, 2, len(nb)) * D
        idx = nb[(rng.random(len(nb)) < p) & (d <= e64) & (d < dead[nb])]
        if len(idx):
            enc.add(
                id=new_encounters(len(idx)),
                person_id=pid[idx],
                date=(birth[idx] + days * D),
                place_kind="home",
                facility_id=pustu_of[idx],
                session_id=None,
                cluster="k2",
                package="newborn",
                visit_number=k + 1,
                pregnancy_id=None,
            )
    say(f"maternal and newborn care drawn ({_time.perf_counter() - t0:.1f} s)")

    # -- adult and elderly screening ----------------------------------------------------------
    from ilp.standards.anthropometry_adult import classify_adult_bmi
    from ilp.standards.blood_pressure import classify_blood_pressure
    from ilp.standards.diabetes import classify_glucose_screening

    Classed = tuple[str, str, bool]  # result code, label code, abnormal

    def classified(cache: dict[Any, Classed], key: Any, rule: Callable[[Any], Any]) -> Classed:
        r = cache.get(key)
        if r is None:
            res = rule(key)
            r = cache[key] = (res.code, f"{res.rule}.class.{res.code}", res.code != "normal")
        return r

    def add_screenings(
        eids: np.ndarray,
        persons: np.ndarray,
        days: np.ndarray,
        instrument: str,
        codes: list[tuple[dict[Any, Classed], Any, Callable[[Any], Any]]],
    ) -> None:
        rows = [classified(*c) for c in codes]
        scr.add(
            encounter_id=eids,
            person_id=persons,
            date=days,
            instrument=instrument,
            score=None,
            result_code=np.array([r[0] for r in rows], dtype=object),
            label_code=np.array([r[1] for r in rows], dtype=object),
            abnormal=np.array([r[2] for r in rows], dtype=bool),
        )

    def adult_extras(
        y: int,
        who: np.ndarray,
        days: np.ndarray,
        age_y: np.ndarray,
        screening: np.ndarray,
        facility: np.ndarray,
        package: np.ndarray,
        sbp: np.ndarray,
        hypertensive: np.ndarray,
        diabetic: np.ndarray,
    ) -> None:
        """At a screening of an adult of 18 or more, weight and height with the BMI the care
        app derives (``anthropometry_adult``, its class stored as a ``bmi`` screening);
        after a hypertensive or diabetic finding, one to three monthly check-ups in the same
        year at the same place (blood pressure, and fasting glucose for a diabetic value),
        some of them back under control. Drawn from their own seed: the draws before stay
        as they were."""
        x_rng = np.random.default_rng([seed, 31, y])
        grown = np.flatnonzero(age_y >= 18)
        if len(grown):
            w, on = who[grown], days[grown]
            # Each adult keeps one height and a BMI of their own that drifts a little a year.
            height = adult_height[w]
            bmi_drawn = adult_bmi[w] + x_rng.normal(0, 0.4, len(w))
            weight = np.clip(np.round(bmi_drawn * (height / 100) ** 2, 1), 30.0, 160.0)
            bmi = np.round(weight / (height / 100) ** 2, 2)
            eids = screening[grown]
            add_obs(eids, pid[w], on, "weight", value=weight)
            add_obs(eids, pid[w], on, "height", value=height)
            obs.add(
                encounter_id=eids,
                person_id=pid[w],
                date=on,
                code="bmi",
                value=bmi,
                value_text="",
                unit="kg/m2",
                loinc="39156-5",
                flagged=False,
            )
            add_screenings(
                eids, pid[w], on, "bmi", [(bmi_cache, float(b), classify_adult_bmi) for b in bmi]
            )
        found = np.flatnonzero(hypertensive | diabetic)
        for k in (1, 2, 3):
            keep = found[x_rng.random(len(found)) < 0.7]
            day = days[keep] + (30 * k + x_rng.integers(0, 7, len(keep))) * D
            ok = (day <= _d64(min(end, date(y, 12, 31)))) & (day < dead[who[keep]])
            keep, day = keep[ok], day[ok]
            if not len(keep):
                continue
            w = who[keep]
            eids = new_encounters(len(keep))
            enc.add(
                id=eids,
                person_id=pid[w],
                date=day,
                place_kind="pustu",
                facility_id=facility[keep],
                session_id=None,
                cluster="k3",
                package=package[keep],
                visit_number=None,
                pregnancy_id=None,
            )
            # On treatment the pressure falls for some (about half end below 140/90).
            s_ = sbp[keep] - np.where(hypertensive[keep], x_rng.normal(14, 12, len(keep)), 0)
            s_ = np.clip(np.round(s_ + x_rng.normal(0, 6, len(keep))), 90, 230).astype(np.int64)
            d_ = np.clip(np.round(0.55 * s_ + x_rng.normal(8, 7, len(keep))), 50, s_ - 20)
            d_ = d_.astype(np.int64)
            add_obs(eids, pid[w], day, "sbp", value=s_.astype(float))
            add_obs(eids, pid[w], day, "dbp", value=d_.astype(float))
            add_screenings(
                eids,
                pid[w],
                day,
                "bp",
                [
                    (bp_class, (a, b), lambda v: classify_blood_pressure(*v))
                    for a, b in zip(s_.tolist(), d_.tolist(), strict=True)
                ],
            )
            dm = np.flatnonzero(diabetic[keep])
            if len(dm):
                fasting = np.exp(x_rng.normal(np.log(140), 0.25, len(dm)))
                fasting = np.clip(np.round(fasting), 70, 400)
                add_obs(eids[dm], pid[w][dm], day[dm], "glucose_fasting", value=fasting)
                add_screenings(
                    eids[dm],
                    pid[w][dm],
                    day[dm],
                    "dm",
                    [
                        (
                            gl_fasting,
                            float(g),
                            lambda v: classify_glucose_screening(fasting_glucose=v),
                        )
                        for g in fasting.tolist()
                    ],
                )

    body_rng = np.random.default_rng([seed, 31])
    adult_height = np.clip(
        np.round(np.where(female, 151.0, 162.0) + body_rng.normal(0, 6, len(pid)), 1), 135, 195
    )
    adult_bmi = np.exp(body_rng.normal(np.log(23.8), 0.17, len(pid)))
    bp_class: dict[Any, Classed] = {}
    gl_fasting: dict[Any, Classed] = {}
    bmi_cache: dict[Any, Classed] = {}

    years = range(start.year, end.year + 1)
    adult_all = np.flatnonzero(birth <= e64 - 15 * 365 * D)
    ht_prone = rng.random(len(adult_all)) < 0.3
    dm_prone = rng.random(len(adult_all)) < 0.1
    bp_cache: dict[tuple[int, int], tuple[str, str, bool]] = {}
    gl_cache: dict[int, tuple[str, str, bool]] = {}
    for y in years:
        y0, y1 = max(start, date(y, 1, 1)), min(end, date(y, 12, 31))
        span = (y1 - y0).days + 1
        d = _d64(y0) + rng.integers(0, span, len(adult_all)) * D
        age_y = (d - birth[adult_all]).astype(np.int64) / 365.25
        ok = (age_y >= 15) & (d < dead[adult_all])
        elderly = age_y >= 60
        cov = np.where(elderly, screening_coverage + 0.1, screening_coverage) * (span / 365)
        ok &= rng.random(len(adult_all)) < cov
        idx = np.flatnonzero(ok)
        if not len(idx):
            continue
        who = adult_all[idx]
        age_i = age_y[idx]
        sbp = 108 + 0.55 * (age_i - 15) + rng.normal(0, 12, len(idx)) + ht_prone[idx] * 22
        sbp = np.clip(np.round(sbp), 85, 230).astype(np.int64)
        dbp = np.clip(np.round(0.55 * sbp + rng.normal(8, 7, len(idx))), 50, sbp - 20).astype(
            np.int64
        )
        glucose = np.exp(rng.normal(np.log(105), 0.18, len(idx))) + dm_prone[idx] * rng.normal(
            110, 40, len(idx)
        )
        glucose = np.clip(np.round(glucose), 60, 500).astype(np.int64)
        eids = new_encounters(len(idx))
        facility = np.where(pos_of[who] > 0, pos_of[who], pustu_of[who])
        enc.add(
            id=eids,
            person_id=pid[who],
            date=d[idx],
            place_kind=np.where(pos_of[who] > 0, "posyandu", "pustu"),
            facility_id=facility,
            session_id=None,
            cluster="k3",
            package=np.where(elderly[idx], "elderly", "adult"),
            visit_number=None,
            pregnancy_id=None,
        )
        for code, values in (("sbp", sbp), ("dbp", dbp), ("glucose_random", glucose)):
            add_obs(eids, pid[who], d[idx], code, value=values.astype(float))
        bp_code, bp_label, bp_abn = [], [], []
        for s, t in zip(sbp.tolist(), dbp.tolist(), strict=True):
            r = bp_cache.get((s, t))
            if r is None:
                res = classify_blood_pressure(s, t)
                r = bp_cache[(s, t)] = (
                    res.code,
                    f"{res.rule}.class.{res.code}",  # no parameters (care.texts.class_text)
                    bool(res.details["hypertensive"]),
                )
            bp_code.append(r[0])
            bp_label.append(r[1])
            bp_abn.append(r[2])
        gl_code, gl_label, gl_abn = [], [], []
        for g in glucose.tolist():
            r = gl_cache.get(g)
            if r is None:
                res = classify_glucose_screening(random_glucose=g)
                r = gl_cache[g] = (res.code, f"{res.rule}.class.{res.code}", res.code != "normal")
            gl_code.append(r[0])
            gl_label.append(r[1])
            gl_abn.append(r[2])
        bp_abn_a = np.array(bp_abn)
        scr.add(
            encounter_id=eids,
            person_id=pid[who],
            date=d[idx],
            instrument="bp",
            score=None,
            result_code=np.array(bp_code, dtype=object),
            label_code=np.array(bp_label, dtype=object),
            abnormal=bp_abn_a,
        )
        gl_code_a = np.array(gl_code, dtype=object)
        scr.add(
            encounter_id=eids,
            person_id=pid[who],
            date=d[idx],
            instrument="dm",
            score=glucose.astype(float),
            result_code=gl_code_a,
            label_code=np.array(gl_label, dtype=object),
            abnormal=np.array(gl_abn),
        )
        adult_extras(
            y,
            who,
            d[idx],
            age_i,
            eids,
            facility,
            np.where(elderly[idx], "elderly", "adult"),
            sbp,
            bp_abn_a,
            gl_code_a == "diabetes",
        )
        # tasks: follow-up after hypertension, referral after a diabetic value
        for mask, kind, reason, days, p_done in (
            (bp_abn_a, "follow_up", "care.task.bp_recheck", 30, 0.65),
            (gl_code_a == "diabetes", "refer", "care.task.dm_confirm", 7, 0.75),
        ):
            t_idx = np.flatnonzero(mask)
            if not len(t_idx):
                continue
            due = d[idx][t_idx] + days * D
            task.add(
                person_id=pid[who][t_idx],
                kind=kind,
                reason_code=reason,
                reason_params="{}",
                due_date=due,
                facility_id=facility[t_idx],
                source_encounter_id=eids[t_idx],
                source_session_id=None,
                opened=d[idx][t_idx],
                hand_day=_hand_closing(rng, len(t_idx), due, end, p_done),
            )
    say(f"adult screenings drawn ({_time.perf_counter() - t0:.1f} s)")
    summary.timings["draw"] = _time.perf_counter() - t0

    # -- write -------------------------------------------------------------------------------
    id_rng = np.random.default_rng([seed, 8])
    models_written = _WRITTEN
    # Sessions before the last day are closed (their absentees became home-visit tasks) at
    # 13:00 local time on the day; a session on the last day is still open.
    tz = timezone.get_current_timezone()
    session_days = sess_rows["date"].astype(object)
    closed_at = [
        None
        if d >= end
        else connection.ops.adapt_datetimefield_value(datetime.combine(d, dtime(13, 0), tzinfo=tz))
        for d in session_days
    ]
    with transaction.atomic(), bulk_load(*models_written):
        write_columns(
            PosyanduSession,
            {
                "id": sess_rows["id"].tolist(),
                "posyandu_id": sess_rows["posyandu_id"].tolist(),
                "date": sess_rows["date"].astype(str).tolist(),
                "uuid": _uuids(id_rng, n_sessions),
                "closed_at": closed_at,
            },
            stamps,
        )
        summary.sessions = n_sessions
        cols = att.columns()
        cols["visitor"] = [False] * len(cols["session_id"])  # residents of the posyandu's area
        summary.attendances = write_columns(Attendance, cols, {})
        say(f"attendance written ({_time.perf_counter() - t0:.1f} s)")
        cols = enc.columns()
        cols["uuid"] = _uuids(id_rng, len(cols["id"]))
        summary.encounters = write_columns(
            Encounter,
            cols,
            {**stamps, "results": "{}", "alerts": "[]", "flagged": False, "notes": ""},
        )
        say(f"{summary.encounters} encounters written ({_time.perf_counter() - t0:.1f} s)")
        summary.observations = write_columns(Observation, obs.columns(), {})
        say(f"{summary.observations} observations written ({_time.perf_counter() - t0:.1f} s)")
        cols = imm.columns()
        cols["uuid"] = _uuids(id_rng, len(cols["person_id"]))
        summary.immunizations = write_columns(
            ImmunizationRecord,
            cols,
            {
                **stamps,
                "lot_number": "",
                "valid": True,
                "invalid_reason_code": "",
                "invalid_reason_params": "{}",
            },
        )
        summary.screenings = write_columns(
            Screening, scr.columns(), {"answers": "{}", "label_params": "{}"}
        )
        summary.supplies = write_columns(Supply, sup.columns(), {})
        cols = _close_tasks(task, enc, obs)
        cols["uuid"] = _uuids(id_rng, len(cols["person_id"]))
        summary.tasks = write_columns(Task, cols, stamps)
        say(f"all rows written, rebuilding indexes ({_time.perf_counter() - t0:.1f} s)")
    reset_sequences(*models_written)
    analyze(*models_written)
    # The rows above bypassed the care services, which keep the work lists' summaries. The
    # history's last day is the district's "today" (a test's district lies in the past).
    summaries_rebuild(today=end)
    say(f"work-list summaries rebuilt ({_time.perf_counter() - t0:.1f} s)")
    indicators_rebuild(today=end)  # the indicator counts, bypassed likewise (ilp.monitoring)
    say(f"indicator counts rebuilt ({_time.perf_counter() - t0:.1f} s)")
    summary.seconds = _time.perf_counter() - t0
    say(f"service history committed ({summary.seconds:.1f} s)")
    return summary


def _hand_closing(rng, n: int, due: np.ndarray, end: date, p_done: float) -> np.ndarray:
    """The day a health worker closes each task by hand (a few days around the due date,
    when that is past), NaT for a task nobody closes by hand."""
    closed_day = due + rng.integers(-5, 20, n) * D
    done = (rng.random(n) < p_done) & (closed_day <= _d64(end))
    return np.where(done, closed_day, np.datetime64("NaT"))


def _aware(days: np.ndarray, at: dtime) -> list[Any]:
    """Database values of local datetimes at `at` on `days` (None for NaT)."""
    return [
        None
        if s == "NaT"
        else connection.ops.adapt_datetimefield_value(
            timezone.make_aware(datetime.combine(date.fromisoformat(s), at))
        )
        for s in days.astype("datetime64[D]").astype(str).tolist()
    ]


def _satisfying(
    task_person: np.ndarray,
    opened: np.ndarray,
    source: np.ndarray,
    cand_person: np.ndarray,
    cand_day: np.ndarray,
    cand_id: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """For each task, the first candidate encounter of its person on or after the day it was
    opened, other than the encounter that opened it: (encounter id or 0, its day)."""
    n = len(task_person)
    found = np.zeros(n, np.int64)
    found_day = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if not n or not len(cand_id):
        return found, found_day
    span = np.int64(1 << 20)  # days since 1970 stay far below this
    key = cand_person.astype(np.int64) * span + cand_day.astype("datetime64[D]").astype(np.int64)
    order = np.lexsort((cand_id, key))
    key, ids, days = key[order], cand_id[order], cand_day[order]
    want = task_person.astype(np.int64) * span + opened.astype("datetime64[D]").astype(np.int64)
    pos = np.searchsorted(key, want, side="left")
    for _step in range(2):  # at most one candidate (the source encounter) is skipped
        at = np.minimum(pos, len(key) - 1)
        same = (pos < len(key)) & (key[at] // span == task_person)
        skip = same & (ids[at] == source)
        pos = np.where(skip, pos + 1, pos)
    at = np.minimum(pos, len(key) - 1)
    same = (pos < len(key)) & (key[at] // span == task_person)
    found[same] = ids[at][same]
    found_day[same] = days[at][same]
    return found, found_day


def _close_tasks(task: _Buf, enc: _Buf, obs: _Buf) -> dict[str, list[Any]]:
    """The task columns, each task closed as the care services would have closed it
    (``ilp.care.services.tasks.close_satisfied_tasks``) by the first later generated service
    that satisfies it: status done, ``close_reason`` ``service_recorded``, the closing
    encounter, closed on its day (nobody recorded, so no ``closed_by``). A task a health worker
    closed by hand before that (``hand_day``) stays closed by hand, as done with the default
    reason of its kind; the rest stay open. Vectorised over the buffers: no query, no save."""
    from ilp.care.services.tasks import DEFAULT_DONE_REASON, follow_up_measures

    def arr(buf: _Buf, name: str, dtype: Any = None) -> np.ndarray:
        parts = buf.cols[name]
        out = np.concatenate(parts) if parts else np.array([])
        return out.astype(dtype) if dtype is not None else out

    cols = task.columns()
    n = len(cols["person_id"])
    t_person = arr(task, "person_id", np.int64)
    t_kind = arr(task, "kind", object)
    t_reason = arr(task, "reason_code", object)
    t_source = np.array([x or 0 for x in cols["source_encounter_id"]], dtype=np.int64)
    t_session = np.array([x is not None for x in cols["source_session_id"]], dtype=bool)
    opened = arr(task, "opened", "datetime64[D]")
    hand = arr(task, "hand_day", "datetime64[D]") if n else np.array([], "datetime64[D]")
    e_id = arr(enc, "id", np.int64)
    e_person = arr(enc, "person_id", np.int64)
    e_day = arr(enc, "date", "datetime64[D]")
    e_place = arr(enc, "place_kind", object)
    e_package = arr(enc, "package", object)
    o_enc = arr(obs, "encounter_id", np.int64)
    o_code = arr(obs, "code", object)

    def measuring(codes: frozenset[str]) -> np.ndarray:
        """Which encounters measured any of `codes`."""
        return np.isin(e_id, np.unique(o_enc[np.isin(o_code, list(codes))]))

    closing = np.zeros(n, np.int64)
    closing_day = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    groups: list[tuple[np.ndarray, np.ndarray]] = []
    # home visit: a home-visit encounter; for a child absent from a session, a weighing
    home = t_kind == "home_visit"
    groups.append(
        (home & t_session, measuring(frozenset({"weight"})) | (e_package == "home_visit"))
    )
    groups.append((home & ~t_session, e_package == "home_visit"))
    # referral from below the puskesmas (the demo refers from posyandu and pustu): seen at it
    groups.append((t_kind == "refer", e_place == "puskesmas"))
    # follow-up: the finding measured again
    for reason in np.unique(t_reason[t_kind == "follow_up"]) if n else ():
        measures = follow_up_measures(str(reason))
        if measures:
            groups.append(((t_kind == "follow_up") & (t_reason == reason), measuring(measures)))
    for tasks_mask, cand in groups:
        t = np.flatnonzero(tasks_mask)
        if not len(t):
            continue
        ids, days = _satisfying(
            t_person[t], opened[t], t_source[t], e_person[cand], e_day[cand], e_id[cand]
        )
        closing[t], closing_day[t] = ids, days
    by_service = (closing > 0) & (np.isnat(hand) | (closing_day <= hand))
    by_hand = ~by_service & ~np.isnat(hand)
    cols.pop("opened")
    cols.pop("hand_day")
    cols["status"] = np.where(by_service | by_hand, "done", "open").tolist()
    cols["closed_at"] = _aware(np.where(by_service, closing_day, hand), dtime(10, 0))
    reasons = np.array([str(DEFAULT_DONE_REASON.get(k, "")) for k in t_kind.tolist()], object)
    cols["close_reason"] = np.where(
        by_service, "service_recorded", np.where(by_hand, reasons, "")
    ).tolist()
    cols["closing_encounter_id"] = [
        int(e) if ok else None for e, ok in zip(closing.tolist(), by_service.tolist(), strict=True)
    ]
    return cols


def _tab(name: str):
    from ilp.standards.growth._tables import table

    return table(name)


def _tidx(name: str, sex_idx: np.ndarray, age_days: np.ndarray) -> np.ndarray:
    t = _tab(name)
    return np.clip(age_days, t.first, t.last).astype(np.int64) - t.first + sex_idx * t.n


class _GrowthTracks:
    """Each child's growth as a track of WHO z-scores, measured at the posyandu.

    A child keeps its own level of length-for-age (drifting down by 0.4 z over the first two
    years, as Indonesian children's do; about one in six ends up stunted) and of
    weight-for-length, each with a slow random deviation month to month. About one child in
    seven is prone to falter: episodes of two to four months in which weight-for-length falls
    by 0.3 z a month (weighings "T", towards wasting), followed by catch-up. The length or
    height measured is the true one (which never decreases) plus measuring error of at most
    0.5 cm; weight follows the WHO weight-for-length/height table at the child's current z, to
    the 0.1 kg of a dacin scale.

    A weighing the app itself would question (``plausibility.check_against_previous``: under
    two years a gain above WHO's weight velocity, +3 SD; otherwise more than 1 kg and 15 %
    since a weighing under 62 days before) is stored confirmed, as the session screen stores
    a confirmed value (``flagged``).
    """

    def __init__(self, rng: np.random.Generator, n: int):
        self.rng = rng
        self.zh0 = np.clip(rng.normal(-0.5, 1.0, n), -4.0, 3.5)  # length-for-age level
        self.zw0 = np.clip(rng.normal(-0.35, 0.95, n), -3.8, 3.5)  # weight-for-length level
        self.zh_dev = np.zeros(n)
        self.zw_dev = np.zeros(n)
        self.prone = rng.random(n) < 0.15
        self.episode = np.zeros(n, np.int64)  # months of faltering left
        self.falter = np.zeros(n)  # weight-for-length deficit of the current episode
        self.last_length = np.full(n, np.nan)  # true length (lying equivalent), last weighing
        self.last_weight = np.full(n, np.nan)
        self.last_day = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")

    def step(self) -> None:
        """A month passes for every child, weighed or not."""
        rng, n = self.rng, len(self.zh0)
        self.zh_dev = 0.97 * self.zh_dev + rng.normal(0.0, 0.05, n)
        self.zw_dev = 0.8 * self.zw_dev + rng.normal(0.0, 0.12, n)
        start = (self.episode == 0) & self.prone & (rng.random(n) < 0.06)
        self.episode[start] = rng.integers(2, 5, int(start.sum()))
        going = self.episode > 0
        self.falter = np.where(going, self.falter - 0.3, self.falter * 0.6)
        self.episode[going] -= 1

    def measure(self, w: np.ndarray, day: np.ndarray, age: np.ndarray, female: np.ndarray):
        """(weight kg, length/height cm, lying?, flagged) of children `w` weighed on `day`."""
        rng = self.rng
        sex_idx = female.astype(np.int64)
        months = age / DAYS_PER_MONTH
        zh = self.zh0[w] + self.zh_dev[w] - 0.4 * np.minimum(months, 24.0) / 24.0
        lying = age < 731  # WHO: length lying under 24 months, height standing after
        on_table = _at_z(_tab("who2006_lhfa"), _tidx("who2006_lhfa", sex_idx, age), zh)
        adjust = np.where(lying, 0.0, P.POSITION_ADJUSTMENT_CM)
        true = np.fmax(on_table + adjust, self.last_length[w])  # lying equivalent, never less
        self.last_length[w] = true
        body = true - adjust  # in the position measured
        error = np.clip(rng.normal(0.0, 0.25, len(w)), -0.5, 0.5)
        length = np.round(body + error, 1)
        zw = self.zw0[w] + self.zw_dev[w] + self.falter[w]
        weight = _weight_for_length(sex_idx, age, body, zw) + rng.normal(0.0, 0.04, len(w))
        weight = np.round(np.maximum(weight, 1.5), 1)
        days = (day - self.last_day[w]).astype("timedelta64[D]").astype(np.float64)
        signed = weight - self.last_weight[w]
        change = np.abs(signed)
        # The app's check (plausibility.check_against_previous): a gain under two years
        # against WHO's weight velocity at the age of the last weighing, else the fixed jump.
        before = (self.last_day[w] - (day - age.astype("timedelta64[D]"))).astype(np.float64)
        upper = upper_gain_g(female, before, days)
        with np.errstate(invalid="ignore"):
            window = (days > 0) & (days <= P.WEIGHT_JUMP_WINDOW_DAYS)
            by_velocity = window & (signed > 0) & ~np.isnan(upper)
            flagged = np.where(
                by_velocity,
                signed * 1000 > upper,
                window
                & (change > P.WEIGHT_JUMP_KG)
                & (change > P.WEIGHT_JUMP_FRACTION * self.last_weight[w]),
            )
        self.last_weight[w] = weight
        self.last_day[w] = day
        return weight, length, lying, flagged


def _weight_for_length(sex_idx, age_days, length_cm, z):
    """Weight at z on the WHO weight-for-length (< 2 y) or weight-for-height table."""
    wfl, wfh = _tab("who2006_wfl"), _tab("who2006_wfh")
    out = np.empty(len(length_cm))
    for t, mask in ((wfl, age_days < 731), (wfh, age_days >= 731)):
        if not mask.any():
            continue
        idx = np.clip(np.rint(length_cm[mask] * 10), t.first, t.last).astype(np.int64)
        idx = idx - t.first + sex_idx[mask] * t.n
        out[mask] = _at_z(t, idx, z[mask])
    return out
