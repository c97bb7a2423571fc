"""Keeping the indicator counts current: per-person facts, their difference applied to the
counts, the full rebuild and the fill of a new year.

A write that changes a person's records (registration, pregnancy, encounter, dose, their
correction or voiding) marks the person pending in its own transaction
(``ilp.monitoring.refresh``); after the response is sent, or in the next pass of
``ilp indicators sweep``, :func:`facts_refresh` recomputes them: the person's records are
read (a few indexed queries), every catalogue indicator's rules (``ilp.standards.coverage``)
give the cells the person falls in for the current and the previous year, and only the
difference from the stored facts is added to ``IndicatorCount``. :func:`indicators_rebuild`
(``ilp indicators rebuild``) recomputes all facts and counts from the records, and
:func:`indicators_fill_year` one year's for everyone (a new year); the tests prove they give
the same counts as the kept-current ones.

Age in a cell is taken on the last day of the month (monthly) or of the year; the area is
the person's current dusun/RW (their desa when none is recorded), so a person who moves
takes their counts with them, as the sasaran riil of their new address.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from datetime import date, timedelta
from typing import Any, TypeVar, cast

from django.db import OperationalError, connection, transaction
from django.db.models import CharField, F, IntegerField, Model, Q, QuerySet, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Concat, Round
from django.utils import timezone

from ilp.care.models import (
    Encounter,
    ImmunizationRecord,
    Observation,
    Screening,
    ServicePackage,
    Supply,
    SupplyItem,
)
from ilp.care.services.trend import weight_trend
from ilp.core.bulk import analyze, bulk_load, columns_of, write_rows
from ilp.monitoring.catalogue import Indicator, load_catalogue
from ilp.monitoring.models import (
    IndicatorCount,
    IndicatorFact,
    IndicatorPending,
    IndicatorYear,
    Side,
)
from ilp.people.models import Person, Pregnancy
from ilp.standards import coverage
from ilp.standards.blood_pressure import HYPERTENSIVE_CLASSES
from ilp.standards.dates import years_before
from ilp.standards.lifestage import completed_months, completed_years
from ilp.standards.pregnancy import AGE_RANGE

# A fact: (indicator, year, month, area_id, sex, age_band, disability, side)
Fact = tuple[str, int, int, int, str, str, str, str]
Row = tuple[Any, ...]  # a values_list row
M = TypeVar("M", bound=Model)
_FACT = ("indicator", "year", "month", "area_id", "sex", "age_band", "disability", "side")
_PERSON = ("id", "birth_date", "sex", "hamlet_id", "village_id", "disability", "deceased_on")
_WEIGHT = "weight"  # ilp.care.worklists.rules.OBS_WEIGHT
_SCREENING_PACKAGES = (ServicePackage.ADULT, ServicePackage.ELDERLY)


def years_kept(today: date) -> tuple[int, int]:
    """The years whose counts are kept: the previous and the current one."""
    return (today.year - 1, today.year)


def load_records(
    persons: Iterable[Row], since: date, *, everyone: bool = False
) -> dict[int, coverage.PersonRecords]:
    """The coverage records of these person rows (``_PERSON`` columns), by id, in two
    queries: pregnancies, and one UNION of the encounters, valid doses and weighings. With
    `everyone` the record queries are not filtered by person (the rebuild). Weighings and
    screenings before `since` are left out: no kept year reads them."""
    records = {
        pid: coverage.PersonRecords(birth=birth, sex=sex, deceased_on=deceased)
        for pid, birth, sex, *_, deceased in persons
    }
    ids = list(records)

    def of(qs: QuerySet[M]) -> QuerySet[M]:
        return qs if everyone else qs.filter(person_id__in=ids)

    text: CharField[str, str] = CharField()
    number: IntegerField[int, int] = IntegerField()
    # A delivery's place and attendant ride in the text column as "place/attendant".
    delivery = Concat(
        Coalesce(KT("values__delivery_place"), Value(""), output_field=text),
        Value("/", text),
        Coalesce(KT("values__attendant"), Value(""), output_field=text),
        output_field=text,
    )
    encounters = of(
        Encounter.objects.active().filter(
            Q(package__in=_PREGNANCY_PACKAGES)
            | Q(package__in=(*_SCREENING_PACKAGES, ServicePackage.SCHOOL), date__gte=since)
        )
    ).values_list("person_id", "package", delivery, "date", "pregnancy_id")
    doses = of(ImmunizationRecord.objects.active().filter(valid=True)).values_list(
        "person_id", Value(_DOSE, text), "dose_code", "date", Value(None, number)
    )
    # Measured values, one scan of the observations: a weighing, and the BMI and glucose
    # values (``coverage.MEASURES``), carry their value in thousandths (a weight in grams) in
    # the number column, the code in the kind column as "~o:code". Weighings from two months
    # before `since` are read too, the history of January's KMS trend (and of its 2T).
    thousandths = Cast(Round(F("value") * 1000), number)
    measured = of(
        Observation.objects.active().filter(
            Q(code=_WEIGHT, date__gte=since - timedelta(days=62))
            | Q(code__in=coverage.MEASURES, date__gte=since),
            value__isnull=False,
        )
    ).values_list(
        "person_id",
        Concat(Value(_OBSERVED), "code", output_field=text),
        Value("", text),
        "date",
        thousandths,
    )
    # Screening results: the instrument and the package of its encounter ride in the kind
    # column as "~s:instrument/package", the result class in the text column. Hypertension
    # and diabetes findings are read from any year (a person found years ago is a target
    # now), the other results only from `since`.
    screenings = of(
        Screening.objects.active()
        .filter(encounter__voided_at__isnull=True, instrument__in=_INSTRUMENTS)
        .filter(
            Q(date__gte=since)
            | Q(instrument=coverage.BP, result_code__in=HYPERTENSIVE_CLASSES)
            | Q(instrument=coverage.DM, result_code__in=coverage.DIABETES_CLASSES)
        )
    ).values_list(
        "person_id",
        Concat(Value(_SCREENED), "instrument", Value("/"), "encounter__package", output_field=text),
        "result_code",
        "date",
        Value(None, number),
    )
    iron = of(
        Supply.objects.active().filter(
            item=SupplyItem.IRON, encounter__package=ServicePackage.SCHOOL, date__gte=since
        )
    ).values_list(
        "person_id", Value(_SCHOOL_IRON, text), Value("", text), "date", Value(None, number)
    )
    contacts: dict[int, list[date]] = defaultdict(list)
    deliveries: dict[int, list[tuple[date, str, str]]] = defaultdict(list)
    postpartum: dict[int, list[date]] = defaultdict(list)
    weights: dict[int, list[tuple[date, float]]] = defaultdict(list)
    # No ORDER BY inside a UNION (the models' default orderings would add one).
    parts = [q.order_by() for q in (encounters, doses, measured, screenings, iron)]
    for pid, kind, code, on, pregnancy_id in parts[0].union(*parts[1:], all=True):
        r = records.get(pid)
        if r is None:
            continue
        if kind == ServicePackage.ANC:
            if pregnancy_id is not None:
                contacts[pregnancy_id].append(on)
        elif kind == ServicePackage.DELIVERY:
            if pregnancy_id is not None:
                place, _, attendant = code.partition("/")
                deliveries[pregnancy_id].append((on, place, attendant))
        elif kind == ServicePackage.POSTPARTUM:
            if pregnancy_id is not None:
                postpartum[pregnancy_id].append(on)
        elif kind == ServicePackage.NEWBORN:
            r.newborn_visits.append(on)
        elif kind == ServicePackage.SCHOOL:
            r.school_screened.append(on)
        elif kind == _SCHOOL_IRON:
            r.school_iron.append(on)
        elif kind.startswith(_SCREENED):
            instrument, _, package = kind[len(_SCREENED) :].partition("/")
            if package in _SCREENING_PACKAGES:
                instrument += coverage.PTM_SUFFIX
            r.screenings.append((on, instrument, code))
        elif kind == _DOSE:
            r.doses.append((code, on))
        elif kind == _WEIGHED:
            # Only a balita's weighings are read (D, N, T and their KMS history): a weighing
            # at 60 months or more is in no balita month, and an adult's needs no KMS trend.
            if completed_months(r.birth, on) < 60:
                r.weighed.append(on)
                weights[pid].append((on, pregnancy_id / 1000))
        elif kind.startswith(_OBSERVED):
            r.measures.append((on, kind[len(_OBSERVED) :], pregnancy_id / 1000))
        else:  # adult or elderly screening
            r.screened.append(on)
            if kind == ServicePackage.ELDERLY:
                r.elderly_screened.append(on)
    for pid, weighings in weights.items():
        records[pid].weight_trends = _month_trends(records[pid].birth, weighings)
    # A pregnancy is registered for women of 10 or more (``standards.pregnancy.AGE_RANGE``):
    # a write for a child or a man reads no pregnancies (10 by the end of next year, a
    # margin for an EDD after this year).
    old_enough = years_before(date(since.year + 2, 12, 31), AGE_RANGE[0])
    women = [pid for pid, r in records.items() if r.sex == "F" and r.birth <= old_enough]
    if not everyone and not women:
        return records
    pregnancies = Pregnancy.objects.active().order_by("person_id", "edd", "pk")
    if not everyone:
        pregnancies = pregnancies.filter(person_id__in=women)
    for pk, pid, lmp, edd, ended, outcome in pregnancies.values_list(
        "pk", "person_id", "lmp", "edd", "outcome_date", "outcome"
    ):
        if pid in records:
            records[pid].pregnancies.append(
                coverage.PregnancyRecord(
                    lmp,
                    edd,
                    ended,
                    tuple(sorted(contacts.get(pk, ()))),
                    outcome,
                    tuple(sorted(deliveries.get(pk, ()))),
                    tuple(sorted(postpartum.get(pk, ()))),
                )
            )
    return records


def _month_trends(
    birth: date, weighings: list[tuple[date, float]]
) -> list[tuple[date, str | None]]:
    """The KMS trend of each month's last weighing (``care.services.trend.weight_trend``, the
    rule the child package shows), from the weighings as they are now (a corrected earlier
    weight changes the later trend)."""
    last: dict[tuple[int, int], tuple[date, float]] = {}
    for on, kg in sorted(weighings):
        last[(on.year, on.month)] = (on, kg)
    return [(on, weight_trend(birth, on, kg, weighings).code) for on, kg in last.values()]


_DOSE, _SCHOOL_IRON, _SCREENED, _OBSERVED = "~dose", "~ttd", "~s:", "~o:"  # not packages
_WEIGHED = _OBSERVED + _WEIGHT
_PREGNANCY_PACKAGES = (
    ServicePackage.ANC,
    ServicePackage.NEWBORN,
    ServicePackage.DELIVERY,
    ServicePackage.POSTPARTUM,
)
_INSTRUMENTS = (
    coverage.SRQ20,
    coverage.BP,
    coverage.DM,
    coverage.WFA,
    coverage.LHFA,
    coverage.WFLH,
)


def _age_band(indicator: Indicator, birth: date, on: date) -> str:
    if not indicator.age_bands or birth > on:
        return ""
    age = (
        completed_months(birth, on)
        if indicator.age_unit == "months"
        else completed_years(birth, on)
    )
    return next((b.label for b in indicator.age_bands if b.holds(age)), "")


def person_facts(
    records: coverage.PersonRecords,
    *,
    area_id: int,
    disability: str,
    years: Iterable[int],
    indicators: Iterable[Indicator],
) -> list[Fact]:
    """Every cell of every indicator this person falls in, for the given years."""
    facts: list[Fact] = []
    for indicator in indicators:
        denominator = coverage.DENOMINATORS[indicator.denominator.rule][0]
        numerator = coverage.NUMERATORS[indicator.numerator.rule]
        for year in years:
            for unit in denominator(records, year):
                on = coverage.last_day_of_month(year, unit.month)
                band = _age_band(indicator, records.birth, on)
                cell = (area_id, records.sex, band, disability)
                facts.append((indicator.code, year, unit.month, *cell, Side.DENOMINATOR))
                month = numerator(records, year, unit)
                if month is not None:
                    facts.append((indicator.code, year, month, *cell, Side.NUMERATOR))
    return facts


def _facts_of(
    persons: Iterable[Row], records: dict[int, coverage.PersonRecords], years: Iterable[int]
) -> Iterable[tuple[int, list[Fact]]]:
    indicators = list(load_catalogue().values())
    years = tuple(years)
    for pid, _birth, _sex, hamlet, village, disability, _deceased in persons:
        if pid in records:
            yield (
                pid,
                person_facts(
                    records[pid],
                    area_id=hamlet or village,
                    disability=disability or "",
                    years=years,
                    indicators=indicators,
                ),
            )


_CELL = ("indicator", "year", "month", "area_id", "sex", "age_band", "disability")


def _apply(deltas: dict[Row, list[int]]) -> None:
    """Add numerator/denominator deltas to their count cells in one statement: a missing
    cell is inserted, an existing one incremented in place (two writers of one cell add up
    instead of overwriting each other). ``INSERT … ON CONFLICT … DO UPDATE`` is the same in
    PostgreSQL and SQLite (≥ 3.24)."""
    # In cell order: two transactions touching the same cells lock them in the same order
    # (no deadlock on PostgreSQL).
    changed = [(*cell, n, d) for cell, (n, d) in sorted(deltas.items()) if (n, d) != (0, 0)]
    if not changed:
        return
    qn = connection.ops.quote_name
    table = qn(IndicatorCount._meta.db_table)
    cells = [qn(c) for c in columns_of(IndicatorCount, _CELL)]
    sides = [qn(c) for c in columns_of(IndicatorCount, ("numerator", "denominator"))]
    row = "(" + ", ".join(["%s"] * (len(cells) + 2)) + ")"
    sql = (
        f"INSERT INTO {table} ({', '.join(cells + sides)}) "  # noqa: S608 - model columns
        f"VALUES {', '.join([row] * len(changed))} "
        f"ON CONFLICT ({', '.join(cells)}) DO UPDATE SET "
        + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in sides)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for r in changed for v in r])


class FillUnderWay(Exception):
    """A year's fill holds the facts table: a refresh that may not wait leaves its marks."""


def facts_refresh(
    person_ids: Collection[int], *, today: date | None = None, wait: bool = True
) -> None:
    """Recompute these persons' facts and add the difference to the counts (called by
    ``ilp.monitoring.refresh`` for the persons marked pending, in the transaction that
    claims their marks). With `wait` False it raises :class:`FillUnderWay` instead of
    waiting for a year's fill in progress (a server thread after its response must not
    wait minutes)."""
    if not person_ids:
        return
    today = today or timezone.localdate()
    since = date(years_kept(today)[0], 1, 1)
    # No savepoint: the caller's transaction (the claim of the marks) is undone with it.
    with transaction.atomic(savepoint=False):
        _lock_facts("ROW EXCLUSIVE", wait=wait)
        # Lock the persons: two writes for one person at once would both compute the
        # difference from the same old facts; the second waits and then sees the first's.
        persons = list(
            Person.objects.select_for_update()
            .filter(pk__in=person_ids, voided_at__isnull=True)
            .order_by("pk")
            .values_list(*_PERSON)
        )
        new = dict(_facts_of(persons, load_records(persons, since), years_kept(today)))
        old: dict[int, list[tuple[int, Fact]]] = defaultdict(list)
        # Only the kept years: after New Year, the year that dropped out keeps the counts of
        # its last rebuild instead of losing the persons written to since.
        stored = IndicatorFact.objects.filter(person_id__in=person_ids, year__in=years_kept(today))
        for pk, pid, *fact in stored.values_list("pk", "person_id", *_FACT):
            old[pid].append((pk, cast(Fact, tuple(fact))))
        deltas: dict[Row, list[int]] = defaultdict(lambda: [0, 0])
        removed: list[int] = []
        added: list[IndicatorFact] = []
        for pid in set(person_ids):
            after = Counter(new.get(pid, ()))
            for pk, fact in old.get(pid, ()):
                if after[fact] > 0:
                    after[fact] -= 1  # kept as it is
                else:
                    removed.append(pk)
                    deltas[fact[:7]][0 if fact[7] == Side.NUMERATOR else 1] -= 1
            for fact, n in after.items():
                if n <= 0:
                    continue
                deltas[fact[:7]][0 if fact[7] == Side.NUMERATOR else 1] += n
                added.extend(
                    IndicatorFact(person_id=pid, **dict(zip(_FACT, fact, strict=True)))
                    for _ in range(n)
                )
        # Only the facts that changed are written: a weighing adds one fact and one count.
        if removed:
            IndicatorFact.objects.filter(pk__in=removed).delete()
        if added:
            IndicatorFact.objects.bulk_create(added)
        _apply(deltas)


def _lock_facts(mode: str, *, wait: bool = True) -> None:
    """Take the facts table lock that orders refreshes and a year's fill on PostgreSQL: a
    refresh (ROW EXCLUSIVE, before it reads the stored facts) waits for a fill in progress
    (SHARE ROW EXCLUSIVE), and the fill for the refreshes under way, so no refresh adds a
    difference computed from facts the fill replaced. Readers (ACCESS SHARE) never wait.
    SQLite serialises all writers anyway."""
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(IndicatorFact._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN {mode} MODE{'' if wait else ' NOWAIT'}")
    except OperationalError as exc:  # only NOWAIT fails this way (lock_not_available)
        raise FillUnderWay(str(exc)) from exc


def _years_filled(years: Iterable[int]) -> None:
    now = timezone.now()
    for year in years:
        IndicatorYear.objects.update_or_create(year=year, defaults={"filled_at": now})


def _counts_sql(where: str = "") -> str:
    """INSERT the counts summed from the facts (those matching `where`), in cell order: one
    indicator's rows for a year then lie together on disk, and a values read visits a few
    dozen pages instead of one per row. Parameters: the numerator side twice, then
    `where`'s."""
    qn = connection.ops.quote_name
    facts_table, counts_table = (qn(m._meta.db_table) for m in (IndicatorFact, IndicatorCount))
    cell = ", ".join(qn(c) for c in columns_of(IndicatorCount, _CELL))
    side = qn(columns_of(IndicatorFact, ("side",))[0])
    sums = ", ".join(qn(c) for c in columns_of(IndicatorCount, ("numerator", "denominator")))
    return (
        f"INSERT INTO {counts_table} ({cell}, {sums}) "  # noqa: S608 - model columns
        f"SELECT {cell}, "
        f"SUM(CASE WHEN {side} = %s THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {side} = %s THEN 0 ELSE 1 END) "
        f"FROM {facts_table} {where} GROUP BY {cell} ORDER BY {cell}"
    )


def indicators_rebuild(*, today: date | None = None) -> int:
    """Recompute every fact and count from the records; returns how many facts were written.

    The records are read in bulk (one query per kind for everyone, not per person), the
    facts written with COPY on PostgreSQL (``ilp.core.bulk``), and the counts summed from the
    facts by one GROUP BY in the database. On the 500,000-person demo district this takes
    well under two minutes (bench/monitoring.py). Both kept years are then filled
    (``IndicatorYear``), and the pending marks written before it are answered."""
    today = today or timezone.localdate()
    since = date(years_kept(today)[0], 1, 1)
    qn = connection.ops.quote_name
    facts_table, counts_table = (qn(m._meta.db_table) for m in (IndicatorFact, IndicatorCount))
    with transaction.atomic():
        # The marks committed before this point are answered by this rebuild (it reads the
        # records after it); a write committed later leaves a mark of its own.
        IndicatorPending.objects.all().delete()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # TRUNCATE: no per-row delete of millions of facts and no dead rows left. It
                # refuses a table with pending deferred checks (facts written earlier in an
                # enclosing transaction): run them first, then defer again (Django's foreign
                # keys are all INITIALLY DEFERRED).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {facts_table}, {counts_table}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                cursor.execute(f"DELETE FROM {counts_table}")  # noqa: S608 - model tables
                cursor.execute(f"DELETE FROM {facts_table}")  # noqa: S608
        persons = list(Person.objects.active().order_by("pk").values_list(*_PERSON))
        records = load_records(persons, since, everyone=True)
        rows = (
            (pid, *fact)
            for pid, facts in _facts_of(persons, records, years_kept(today))
            for fact in facts
        )
        # bulk_load: the person index is built once after the COPY, and the foreign keys
        # are checked by one anti-join each instead of a deferred trigger per row at commit
        # (that took most of a minute for 2.6 million facts).
        with bulk_load(IndicatorFact, IndicatorCount), connection.cursor() as cursor:
            n = write_rows(
                IndicatorFact._meta.db_table, columns_of(IndicatorFact, ("person_id", *_FACT)), rows
            )
            del persons, records
            cursor.execute(_counts_sql(), [Side.NUMERATOR, Side.NUMERATOR])
        IndicatorYear.objects.all().delete()
        _years_filled(years_kept(today))
    analyze(IndicatorFact, IndicatorCount)
    return n


def indicators_fill_year(year: int, *, today: date | None = None) -> int:
    """Recompute one kept year's facts and counts for everyone; returns how many facts were
    written. For a new year: until it runs, a person not written to since 1 January has no
    facts in it (a refresh computes both kept years of the persons it refreshes, the fill
    everyone's).

    Unlike :func:`indicators_rebuild` it blocks no reader: the year's rows are replaced in
    one transaction (readers see the old ones until it commits). Refreshes wait for it
    through the facts table lock (:func:`_lock_facts`); writes meanwhile only mark persons
    pending, and the refreshes after it recompute them against the filled facts."""
    today = today or timezone.localdate()
    since = date(years_kept(today)[0], 1, 1)
    year_column = connection.ops.quote_name(columns_of(IndicatorFact, ("year",))[0])
    with transaction.atomic():
        _lock_facts("SHARE ROW EXCLUSIVE")
        IndicatorFact.objects.filter(year=year).delete()
        IndicatorCount.objects.filter(year=year).delete()
        persons = list(Person.objects.active().order_by("pk").values_list(*_PERSON))
        records = load_records(persons, since, everyone=True)
        rows = (
            (pid, *fact) for pid, facts in _facts_of(persons, records, [year]) for fact in facts
        )
        n = write_rows(
            IndicatorFact._meta.db_table, columns_of(IndicatorFact, ("person_id", *_FACT)), rows
        )
        del persons, records
        with connection.cursor() as cursor:
            cursor.execute(
                _counts_sql(f"WHERE {year_column} = %s"), [Side.NUMERATOR, Side.NUMERATOR, year]
            )
        _years_filled([year])
    analyze(IndicatorFact, IndicatorCount)
    return n
