"""The referred person's summary for the receiving side (``/rujukan/<uuid>/ringkasan/``):
only what matters for the referral, read through the referral itself.

A hospital's staff read no person of the registry (``ilp.accounts.access``: their person
scope is empty); the referral, read with `referral_scope_q` (``selectors.referral_get``), is
their only way to its person, and this summary is all they see of them: identity basics (the
NIK masked), the current or last pregnancy (HPHT, HPL, gestational age today, G-P-A, the last
KSPR score), the last values of the past three months (blood pressure, Hb, weight, height,
LiLA, glucose), the results of the encounters of those months (classes, growth z-scores) and
the alerts of the triggering encounter. The model records no allergies, so none are shown.

A fixed number of queries whatever the person's history (``tests/referrals``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.care.evaluation.fields import SPECS
from ilp.care.models import Encounter, Observation, Screening
from ilp.care.presenters import age_text, present_alerts, present_results
from ilp.people.identity import mask_nik
from ilp.people.models import Person, Pregnancy, PregnancyOutcome, Sex
from ilp.referrals.models import Referral
from ilp.standards import pregnancy as pregnancy_std

# How far back "recent" results go, and how many encounters of that time are shown.
RECENT_DAYS = 92
RECENT_ENCOUNTERS = 5
# The measurements the summary lists (their last value in the recent window), in this order.
RECENT_CODES = (
    "sbp",
    "dbp",
    "hb",
    "weight",
    "height",
    "muac",
    "glucose_fasting",
    "glucose_random",
    "fundal_height",
    "fetal_hr",
    "temperature",
)


@dataclass(frozen=True)
class PregnancySummary:
    pregnancy: Pregnancy
    ga_weeks: int | None  # today's gestational age (ongoing pregnancy only)
    ga_days: int | None
    trimester: int | None
    kspr: Screening | None  # its last KSPR screening


@dataclass(frozen=True)
class ReferredPersonSummary:
    person: Person
    age: str
    nik_masked: str
    pregnancy: PregnancySummary | None
    values: list[LastValue]  # the last of each RECENT_CODES in the recent window
    encounters: list[dict[str, Any]]  # {encounter, results}, newest first
    alerts: list[dict[str, Any]]  # of the triggering encounter
    since: date


def _pregnancy(person: Person, today: date) -> PregnancySummary | None:
    preg = (
        Pregnancy.objects.filter(person=person, voided_at__isnull=True)
        .order_by("-edd", "-pk")
        .first()
    )
    if preg is None:
        return None
    weeks = days = trimester = None
    if preg.outcome == PregnancyOutcome.ONGOING:
        ga = pregnancy_std.PREGNANCY_DAYS - (preg.edd - today).days
        if 0 <= ga <= pregnancy_std.MAX_GA_DAYS:
            weeks, days, trimester = ga // 7, ga % 7, pregnancy_std.trimester_of(ga)
    kspr = (
        Screening.objects.active()
        .filter(person=person, instrument="kspr", encounter__pregnancy=preg)
        .order_by("-date", "-pk")
        .first()
    )
    return PregnancySummary(preg, weeks, days, trimester, kspr)


@dataclass(frozen=True)
class LastValue:
    code: str
    label: str  # the measurement with its unit, as the service forms name it
    value: str
    on: date


def _value(obs: Observation) -> LastValue:
    shown = obs.value_text if obs.value is None else f"{obs.value:g}"
    spec = SPECS.get(obs.code)
    label = str(spec.form_label) if spec is not None else obs.code
    return LastValue(obs.code, label, shown, obs.date)


def _last_values(person: Person, since: date) -> list[LastValue]:
    """The last value of each measurement of RECENT_CODES since `since` (one query; three
    months of one person are a few dozen rows)."""
    rows: dict[str, Observation] = {}
    for obs in (
        Observation.objects.active()
        .filter(
            person=person,
            code__in=RECENT_CODES,
            date__gte=since,
            encounter__voided_at__isnull=True,
        )
        .order_by("-date", "-pk")
    ):
        rows.setdefault(obs.code, obs)
    values = [_value(rows[code]) for code in RECENT_CODES if code in rows]
    sbp, dbp = rows.get("sbp"), rows.get("dbp")
    if sbp is not None and dbp is not None and sbp.encounter_id == dbp.encounter_id:
        # one reading, as it is written: 165/110
        blood_pressure = LastValue(
            "bp", _("Tekanan darah (mmHg)"), f"{sbp.value:g}/{dbp.value:g}", sbp.date
        )
        values = [blood_pressure, *(v for v in values if v.code not in ("sbp", "dbp"))]
    return values


def referred_person_summary(referral: Referral) -> ReferredPersonSummary:
    """The summary of `referral`'s person. `referral` must come from a scoped selector
    (``selectors.referral_get``); the caller audits the read."""
    person = referral.person
    today = timezone.localdate()
    since = today - timedelta(days=RECENT_DAYS)
    encounters = list(
        Encounter.objects.active()
        .filter(person=person, date__gte=since)
        .select_related("facility")
        .order_by("-date", "-pk")[:RECENT_ENCOUNTERS]
    )
    return ReferredPersonSummary(
        person=person,
        age=age_text(person.birth_date, today),
        nik_masked=mask_nik(person.nik or ""),
        pregnancy=_pregnancy(person, today) if person.sex == Sex.FEMALE else None,
        values=_last_values(person, since),
        encounters=[
            {"encounter": e, "results": present_results(e.results)} for e in encounters if e.results
        ],
        alerts=present_alerts(referral.trigger_alerts),
        since=since,
    )
