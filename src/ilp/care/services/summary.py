"""Keeping ``CareSummary`` and ``DoseWindow`` current: what the work lists read instead of
every record of every resident.

A whole-puskesmas work list covers ~90,000 residents; reading every weighing and screening
and running the immunisation schedule for ~8,000 children on each request cost ~1.5 s. The
care services call :func:`summaries_refresh` for the person whose weighing, dose or annual
screening they just stored (a few indexed queries, inside the same transaction), and
:func:`summaries_rebuild` recomputes everyone after a bulk load (the demo history) or on
demand (``ilp care_summary``). What is summarised and why a summary is safe to read on a
date is told in ``CareSummary``'s docstring.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import CharField, F, Max, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from ilp.care.models import (
    CareSummary,
    DoseWindow,
    Encounter,
    ImmunizationRecord,
    Observation,
    ServicePackage,
)
from ilp.care.worklists import rules
from ilp.core.bulk import analyze, columns_of, write_rows
from ilp.people.hooks import records_changed
from ilp.people.models import Person
from ilp.standards.dates import years_before

# Children get dose windows when born within this many years of today: the work lists follow
# children under five, and a year of margin keeps lists on recent past dates on the fast path.
WINDOW_YEARS = 6
BATCH = 20_000


@dataclass(slots=True)
class _Records:
    """The records of some persons that a summary is made of."""

    doses: dict[int, list[tuple[str, date]]]
    weighed: dict[int, date]
    ptm: dict[int, date]
    lansia: dict[int, date]


def _records(person_ids: Collection[int] | None) -> _Records:
    """The records of these persons (everyone's when None), in one query: valid doses, the
    last weighing, the last adult and elderly encounters."""

    def of(qs):
        return qs if person_ids is None else qs.filter(person_id__in=person_ids)

    text = CharField()
    doses_q = of(ImmunizationRecord.objects.active().filter(valid=True)).values_list(
        "person_id", Value(_DOSE, output_field=text), "dose_code", "date"
    )
    weighed_q = (
        of(Observation.objects.active().filter(code=rules.OBS_WEIGHT))
        .values("person_id")
        .annotate(kind=Value(_WEIGHED, output_field=text), code=Value("", output_field=text))
        .annotate(last=Max("date"))
        .values_list("person_id", "kind", "code", "last")
    )
    screened_q = (
        of(
            Encounter.objects.active().filter(
                package__in=(ServicePackage.ADULT, ServicePackage.ELDERLY)
            )
        )
        .values("person_id", "package")
        .annotate(code=Value("", output_field=text))
        .annotate(last=Max("date"))
        .values_list("person_id", "package", "code", "last")
    )
    records = _Records(defaultdict(list), {}, {}, {})
    # No ORDER BY inside a UNION (the models' default orderings would add one).
    parts = [q.order_by() for q in (doses_q, weighed_q, screened_q)]
    for pid, kind, code, d in parts[0].union(*parts[1:], all=True):
        if kind == _DOSE:
            records.doses[pid].append((code, d))
        elif kind == _WEIGHED:
            records.weighed[pid] = d
        else:  # adult or elderly package: both count as PTM screening, elderly as lansia
            if d > records.ptm.get(pid, date.min):
                records.ptm[pid] = d
            if kind == ServicePackage.ELDERLY:
                records.lansia[pid] = d
    return records


_DOSE, _WEIGHED = "~dose", "~weighed"  # not package codes


def _rows(
    persons: Iterable[tuple[int, date, str, int, int | None]], records: _Records, today: date
) -> tuple[list[tuple], list[tuple]]:
    """(summary rows, window rows) in the column order of ``_SUMMARY`` and ``_WINDOW``."""
    windows_from = years_before(today, WINDOW_YEARS)
    summaries, windows = [], []
    for pid, birth, sex, village, hamlet in persons:
        given = records.doses.get(pid, ())
        weighed, ptm, lansia = (
            records.weighed.get(pid),
            records.ptm.get(pid),
            records.lansia.get(pid),
        )
        dated = [d for d in (weighed, ptm, lansia) if d is not None]
        dated.extend(d for _, d in given)
        has_windows = birth >= windows_from and sex in ("M", "F")
        if has_windows:
            for w in rules.immunization_windows(sex=sex, birth_date=birth, given=given):
                windows.append((pid, w.code, w.due_from, w.overdue_from, w.until))
        summaries.append(
            (
                pid,
                birth,
                sex,
                village,
                hamlet,
                max(dated, default=None),
                weighed,
                ptm,
                lansia,
                has_windows,
            )
        )
    return summaries, windows


_SUMMARY = (
    "person_id",
    "birth_date",
    "sex",
    "village_id",
    "hamlet_id",
    "basis",
    "last_weighed",
    "last_ptm",
    "last_lansia",
    "has_windows",
)
_PERSON = ("id", "birth_date", "sex", "village_id", "hamlet_id")
_WINDOW = ("person_id", "code", "due_from", "overdue_from", "until")


def _write(summaries: list[tuple], windows: list[tuple]) -> None:
    write_rows(CareSummary._meta.db_table, columns_of(CareSummary, _SUMMARY), summaries)
    write_rows(DoseWindow._meta.db_table, columns_of(DoseWindow, _WINDOW), windows)


def summaries_refresh(person_ids: Collection[int], *, today: date | None = None) -> None:
    """Recompute the summaries of these persons from their records (call it in the
    transaction that stored a weighing, a dose or an annual screening)."""
    if not person_ids:
        return
    today = today or timezone.localdate()
    with transaction.atomic():
        # Lock the persons: two records of one person saved at once would both insert a
        # summary; the second waits here and then replaces the first's.
        locked = list(
            Person.objects.select_for_update()
            .filter(pk__in=person_ids)
            .order_by("pk")
            .values_list(*_PERSON, "voided_at")
        )
        # A voided person (registered twice, say) has no summary: no list counts them.
        persons = [row[:-1] for row in locked if row[-1] is None]
        CareSummary.objects.filter(person_id__in=[row[0] for row in locked if row[-1]]).delete()
        DoseWindow.objects.filter(person_id__in=[row[0] for row in locked]).delete()
        ids = [p[0] for p in persons]
        summaries, windows = _rows(persons, _records(ids), today)
        CareSummary.objects.bulk_create(
            [CareSummary(**dict(zip(_SUMMARY, row, strict=True))) for row in summaries],
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=[f.removesuffix("_id") for f in _SUMMARY if f != "person_id"],
        )
        if windows:
            write_rows(DoseWindow._meta.db_table, columns_of(DoseWindow, _WINDOW), windows)
        records_changed(person_ids)  # marks them for the indicator counts (ilp.monitoring)


def summary_note_encounter(
    person: Person, *, on: date, weighed: bool, package: str, doses: bool
) -> None:
    """Bring the person's summary up to date after an encounter on `on` (call it in the
    transaction that stored it). Doses change the immunisation windows: the summary is
    recomputed. A weighing or an annual screening only moves dates forward: one UPDATE of
    the existing summary (its birth date and sex still the person's), or a recomputation
    when there is none."""
    if doses:
        summaries_refresh([person.pk])
        return
    changes: dict[str, object] = {}
    if weighed:
        changes["last_weighed"] = _later("last_weighed", on)
    if package in (ServicePackage.ADULT, ServicePackage.ELDERLY):
        changes["last_ptm"] = _later("last_ptm", on)
        if package == ServicePackage.ELDERLY:
            changes["last_lansia"] = _later("last_lansia", on)
    if not changes:
        records_changed([person.pk])  # the indicator counts (ilp.monitoring)
        return
    updated = CareSummary.objects.filter(
        person_id=person.pk, birth_date=person.birth_date, sex=person.sex
    ).update(
        basis=_later("basis", on),
        village_id=person.village_id,
        hamlet_id=person.hamlet_id,
        **changes,
    )
    if not updated:
        summaries_refresh([person.pk])
    else:
        records_changed([person.pk])  # the indicator counts (ilp.monitoring)


def _later(column: str, on: date) -> Greatest:
    """The column's date or `on`, whichever is later (an UPDATE never moves a date back,
    whatever order two encounters of one person are saved in)."""
    return Greatest(Coalesce(F(column), Value(on)), Value(on))


def _batches(rows: list[tuple], size: int) -> Iterator[list[tuple]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def summaries_rebuild(*, today: date | None = None) -> int:
    """Recompute every person's summary; returns how many persons were summarised. Reads
    each record table once (not per person), so a 500,000-resident district takes seconds."""
    today = today or timezone.localdate()
    with transaction.atomic():
        qn = connection.ops.quote_name
        tables = [qn(m._meta.db_table) for m in (DoseWindow, CareSummary)]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Foreign-key checks of rows written earlier in this transaction must fire
                # first, or TRUNCATE refuses ("pending trigger events").
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {', '.join(tables)}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                for table in tables:
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - model tables
        records = _records(None)
        persons = list(Person.objects.active().order_by("pk").values_list(*_PERSON))
        for batch in _batches(persons, BATCH):
            _write(*_rows(batch, records, today))
    analyze(DoseWindow, CareSummary)
    return len(persons)


def summary_refresh_person(person: Person) -> None:
    """Hook of ``ilp.people.corrections.PERSON_CHANGED``: recompute the corrected person's
    summary (or drop it, for a voided person)."""
    summaries_refresh([person.pk])
