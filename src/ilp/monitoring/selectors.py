"""Reading indicator values: the kept counts of an area and its child areas for one period,
with the PWS status, scoped and suppressed per the reader (``ilp.accounts.access``).

Values are sums of ``IndicatorCount`` over each area's subtree (its code prefix), one query
per request; no clinical table is read. A cumulative-year value for month M is the numerator
from January to M over the year's denominator; a monthly one is that month's. The PWS reading
compares the value with the target line (the annual target × M/12 for a cumulative-year
coverage, the target itself otherwise) and with the previous month's value (for January of
a cumulative indicator the previous value is 0: the year starts over; a month without a
previous value counts as rising), giving one of four statuses: ``above_rising``,
``above_falling``, ``below_rising``, ``below_falling`` ("above" = at or above the line;
"rising" = not lower than last month).

The annual target is the catalogue's national one unless the puskesmas set its own for the
year (``PuskesmasTarget``, its SK target kinerja): then it holds for the puskesmas' working
area and its desa and dusun; a kecamatan or the district keeps the national target. Beside
the registry's denominator (sasaran riil) each row of a desa or larger area carries the
projected one (sasaran proyeksi: the year's current upload, summed over the area's desa, for
the kinds ``ilp.monitoring.targets.KINDS_OF_DENOMINATOR`` maps the indicator's denominator
to) and the value over it; ``None`` where no sheet covers the area, below the desa, for a
breakdown group, or when the indicator's denominator has no projected kind.

Readers whose aggregates are suppressed (``aggregates_suppressed``) get every numerator and
denominator of 1–4 hidden, and every count that would give one back by subtraction
(``ilp.core.suppression``): a parent area = its children + the rest counted at the parent
only; a total = its groups; served ⊆ targets. A hidden count hides the value and status too.
For a cumulative-year indicator the months of the year are protected together
(``ilp.core.suppression.suppress_series``): a count is also hidden when it rose by 1–4 since
the month it was last shown, so no month's increase can be had by subtracting two months'
pages, trend points, Excel sheets or API answers. The previous month's value (and with it the
change and the PWS status, whose rising/falling is that comparison) is shown only when the
previous month's counts were shown to the reader too: otherwise the direction of a hidden
small change would show.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import aggregates_suppressed, can_view_indicators, indicator_areas
from ilp.accounts.models import User
from ilp.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from ilp.core.suppression import Nesting, Relation, Table, suppress, suppress_series
from ilp.monitoring.catalogue import Indicator, load_catalogue
from ilp.monitoring.models import IndicatorCount, ProjectedSasaran, PuskesmasTarget
from ilp.monitoring.services import years_kept
from ilp.monitoring.targets import KINDS_OF_DENOMINATOR, projected_q
from ilp.people.models import Disability, Sex
from ilp.places.models import Area, AreaLevel, Facility, FacilityKind

Key = tuple[str, str | None]  # (area code, group)
BY_FIELDS = {"sex": "sex", "age": "age_band", "disability": "disability"}
STATUSES = ("above_rising", "above_falling", "below_rising", "below_falling")


@dataclass
class ValueRow:
    place: Place
    group: str | None
    numerator: int | None
    denominator: int | None
    value: float | None
    target: float
    status: str | None
    suppressed: bool
    previous: float | None = None  # last month's value (None: none, or suppressed)
    denominator_projected: int | None = None
    value_projected: float | None = None


def require_indicator_reader(user: User) -> None:
    if not can_view_indicators(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membaca indikator."))


def catalogue_for(user: User) -> list[Indicator]:
    """The catalogue, for a user allowed to read indicators."""
    require_indicator_reader(user)
    return list(load_catalogue().values())


def indicator_get(code: str) -> Indicator:
    indicator = load_catalogue().get(code)
    if indicator is None:
        raise NotFound(_("Indikator %(code)s tidak ada dalam katalog.") % {"code": code})
    return indicator


def parse_period(text: str, today: date | None = None) -> tuple[int, int]:
    """``YYYY-MM`` of a kept year, not after the current month (ValidationFailed otherwise)."""
    today = today or timezone.localdate()
    first, last = years_kept(today)

    def bad(message: str) -> ValidationFailed:
        return ValidationFailed(message, fields={"period": [message]})

    parts = text.split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise bad(_("Periode harus berbentuk TTTT-BB, misalnya 2026-03."))
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12:
        raise bad(_("Bulan harus 01 sampai 12."))
    if not first <= year <= last:
        raise bad(
            _("Nilai indikator tersimpan untuk tahun %(first)s–%(last)s.")
            % {"first": first, "last": last}
        )
    if (year, month) > (today.year, today.month):
        raise bad(_("Periode belum berjalan."))
    return year, month


def _groups(indicator: Indicator, by: str) -> list[str]:
    if by == "sex":
        return [Sex.FEMALE.value, Sex.MALE.value]
    if by == "disability":
        return list(Disability.values)
    return [b.label for b in indicator.age_bands] + [""]


def _target_line(indicator: Indicator, month: int, annual: float | None = None) -> float:
    """The month's target line from the annual target (the national one by default)."""
    annual = indicator.target if annual is None else annual
    # The linear monthly line (M/12 of the annual target) is for coverage that accumulates
    # towards the year's target; a lower-is-better prevalence among those measured so far
    # (obesitas) keeps its ceiling in every month.
    if indicator.period == "cumulative-year" and indicator.direction == "up":
        return round(annual * month / 12, 1)
    return annual


def _value(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def _status(value: float | None, previous: float | None, line: float) -> str | None:
    if value is None:
        return None
    position = "above" if value >= line else "below"
    trend = "rising" if previous is None or value >= previous else "falling"
    return f"{position}_{trend}"


@dataclass(frozen=True)
class Place:
    """A row's place: an area, or a puskesmas standing for its working area. `prefixes`:
    the area codes whose subtrees it sums."""

    code: str
    name: str
    level: int | None  # AreaLevel; None for a puskesmas
    kind: str  # "area" | "puskesmas"
    prefixes: tuple[str, ...]

    @classmethod
    def of_area(cls, area: Area) -> Place:
        return cls(area.code, area.name, area.level, "area", (area.code,))

    def holds(self, code: str) -> bool:
        return any(code == p or code.startswith(f"{p}.") for p in self.prefixes)


def _places(user: User, code: str, desa: bool = False) -> tuple[Place, list[Place]]:
    """The place a code names, within the user's indicator areas, and its children: an
    area's child areas (none below the dusun/RW, where counts are kept), or a puskesmas'
    desa/kelurahan; with `desa`, every desa/kelurahan of an area above them."""
    allowed = indicator_areas(user)
    area = allowed.filter(code=code).first()
    if area is not None:
        children = []
        if desa and area.level < AreaLevel.DISTRICT:
            below = allowed.filter(level=AreaLevel.VILLAGE, code__startswith=f"{area.code}.")
            children = [Place.of_area(c) for c in below.order_by("code")]
        elif area.level < AreaLevel.HAMLET:
            children = [Place.of_area(c) for c in allowed.filter(parent=area).order_by("code")]
        return Place.of_area(area), children
    puskesmas = Facility.objects.filter(kind=FacilityKind.PUSKESMAS, code=code).first()
    if puskesmas is not None:
        served = list(puskesmas.service_areas.filter(level=AreaLevel.VILLAGE).order_by("code"))
        # The whole working area, or nothing: a part would pass for the puskesmas' figure.
        if served and allowed.filter(pk__in=[a.pk for a in served]).count() == len(served):
            children = [Place.of_area(a) for a in served]
            codes = tuple(a.code for a in served)
            return Place(puskesmas.code, puskesmas.name, None, "puskesmas", codes), children
    message = _("Wilayah %(code)s tidak ada atau di luar wilayah Anda.") % {"code": code}
    raise NotFound(message)


def indicator_values(
    user: User,
    indicator: Indicator,
    *,
    area_code: str,
    year: int,
    month: int,
    by: str | None = None,
    desa: bool = False,
) -> list[ValueRow]:
    """Rows of the area (or puskesmas working area) and each child area the user may read
    (per group when `by`); with `desa`, of a kabupaten/kota and each of its desa (the desa
    map, ``ilp.monitoring.maps``)."""
    require_indicator_reader(user)
    top, children = _places(user, area_code, desa)
    if by is not None and by not in indicator.disaggregations:
        message = _(
            "Indikator ini tidak dirinci menurut %(by)s; pilih salah satu: %(choices)s."
        ) % {
            "by": by,
            "choices": ", ".join(indicator.disaggregations),
        }
        raise ValidationFailed(message, fields={"by": [message]})
    # current[(row place code, group)] = [numerator, denominator]; previous likewise
    current, previous, hidden, hidden_before = _counts_as_shown(
        user, indicator, top, children, year, month, by
    )
    groups = _row_groups(indicator, by)
    annual = _annual_targets(indicator, top, children, year)
    projected = _projected(indicator, top, children, year)
    return _value_rows(
        indicator,
        (top, children),
        (current, previous),
        groups,
        annual=annual,
        projected=projected,
        month=month,
        hidden_sets=(hidden, hidden_before),
    )


def _value_rows(
    indicator: Indicator,
    places: tuple[Place, list[Place]],
    sums: tuple[dict[Key, list[int]], dict[Key, list[int]]],
    groups: list[str | None],
    *,
    annual: dict[str, float],
    projected: dict[str, int],
    month: int,
    hidden_sets: tuple[set[Hashable], set[Hashable]] = (set(), set()),
) -> list[ValueRow]:
    """The rows of the top place and its children from their sums (this period, the
    previous one), targets, projected denominators and the keys hidden from the reader in
    this period and the previous one (``_counts_as_shown``); pure (no query)."""
    top, children = places
    current, previous = sums
    hidden, hidden_before = hidden_sets
    rows = []
    for place in (top, *children):
        for g in groups:
            n, d = current.get((place.code, g), (0, 0))
            pn, pd = previous.get((place.code, g), (0, 0))
            secret = _any_hidden(hidden, place.code, g)
            # Last month's value only where last month's counts were shown as well.
            was_secret = _any_hidden(hidden_before, place.code, g)
            value = None if secret else _value(n, d)
            before = None if secret or was_secret else _value(pn, pd)
            line = _target_line(indicator, month, annual.get(place.code))
            dp = projected.get(place.code) if g is None else None
            n_hidden = ("n", place.code, g) in hidden
            rows.append(
                ValueRow(
                    place=place,
                    group=g,
                    numerator=None if n_hidden else n,
                    denominator=None if ("d", place.code, g) in hidden else d,
                    value=value,
                    target=line,
                    status=None if secret or was_secret else _status(value, before, line),
                    suppressed=secret,
                    previous=before,
                    denominator_projected=dp,
                    value_projected=None if n_hidden or dp is None else _value(n, dp),
                )
            )
    return rows


def _any_hidden(hidden: set[Hashable], code: str, group: str | None) -> bool:
    return ("n", code, group) in hidden or ("d", code, group) in hidden


def _row_groups(indicator: Indicator, by: str | None) -> list[str | None]:
    return list(_groups(indicator, by)) if by else [None]


def _counts_as_shown(
    user: User,
    indicator: Indicator,
    top: Place,
    children: list[Place],
    year: int,
    month: int,
    by: str | None,
) -> tuple[dict[Key, list[int]], dict[Key, list[int]], set[Hashable], set[Hashable]]:
    """This month's and last month's counts per (row place, group), and the keys
    ``(side, place code, group)`` hidden from the reader in each (none for a reader whose
    aggregates are not suppressed). One query."""
    by_period = _period_sums(indicator, top, children, _periods(indicator, year, month), by)
    previous_period = (year, month - 1) if month > 1 else (year - 1, 12)
    if indicator.monthly:
        current, previous = by_period[(year, month)], by_period[previous_period]
    else:
        to_date = _to_date(by_period, year, month)  # months 0 … M
        current, previous = to_date[month], to_date[month - 1]
    if not aggregates_suppressed(user):
        return current, previous, set(), set()
    hidden, hidden_before = _hidden_as_shown(indicator, _reader_tree(user, top), year, month, by)
    return current, previous, hidden, hidden_before


def _hidden_as_shown(
    indicator: Indicator, tree: _Tree, year: int, month: int, by: str | None
) -> tuple[set[Hashable], set[Hashable]]:
    """The keys ``(side, place code, group)`` hidden from a suppressed reader this month and
    last month, the reader's areas protected as one table (``_Tree``) and a cumulative
    indicator's months together (one query)."""
    groups = _row_groups(indicator, by)
    if indicator.monthly:
        previous_period = (year, month - 1) if month > 1 else (year - 1, 12)
        sums = _tree_sums(indicator, tree, _periods(indicator, year, month), by)
        return (
            _tree_hidden(tree, sums[(year, month)], groups),
            _tree_hidden(tree, sums[previous_period], groups),
        )
    sums = _tree_sums(indicator, tree, Q(year=year, month__lte=month), by)
    series = _tree_series(tree, _to_date(sums, year, month), groups)
    # January's previous value is 0 (the year starts over): nothing of it to hide.
    return series[month - 1], series[month - 2] if month > 1 else set()


@dataclass
class _Tree:
    """Every place a suppressed reader can open a page for, protected as one table so that a
    count hidden as a complement on one page is not shown on another (a desa hidden on its
    kecamatan's page but shown at the top of its own would give back the small count it
    hid): node code → the area codes it sums; an area's child nodes; a puskesmas' desa."""

    nodes: dict[str, tuple[str, ...]]
    children: dict[str, list[str]]
    puskesmas: dict[str, list[str]]
    roots: list[str]


def _reader_tree(user: User, top: Place) -> _Tree:
    """The reader's indicator areas down to the dusun/RW (where counts are kept), and the
    puskesmas working areas made only of their desa (two queries)."""
    rows = list(
        indicator_areas(user)
        .filter(level__lte=AreaLevel.HAMLET)
        .values_list("code", "parent__code", "level")
    )
    codes = {code for code, _parent, _level in rows}
    children: dict[str, list[str]] = defaultdict(list)
    for code, parent, _level in sorted(rows):
        if parent in codes:
            children[parent].append(code)
    nodes: dict[str, tuple[str, ...]] = {code: (code,) for code in codes}
    desa = [code for code, _parent, level in rows if level == AreaLevel.VILLAGE]
    puskesmas: dict[str, list[str]] = {}
    facilities = (
        Facility.objects.filter(kind=FacilityKind.PUSKESMAS, service_areas__code__in=desa)
        .distinct()
        .prefetch_related("service_areas")
    )
    for facility in facilities:
        served = sorted(
            a.code for a in facility.service_areas.all() if a.level == AreaLevel.VILLAGE
        )
        if served and set(served) <= codes:
            puskesmas[facility.code] = served
            nodes[facility.code] = tuple(served)
    if top.code not in nodes:  # cannot happen: the page's place is the reader's
        nodes[top.code] = top.prefixes
    roots = sorted(code for code, parent, _level in rows if parent not in codes)
    return _Tree(nodes, children, puskesmas, roots)


def _tree_sums(
    indicator: Indicator, tree: _Tree, periods: Q, by: str | None
) -> dict[tuple[int, int], dict[Key, list[int]]]:
    """Numerator and denominator per period and (node, group) of the reader's tree (one
    query over the roots' subtrees)."""
    rows = _count_rows(indicator, tree.roots, periods, by)
    of_desa: dict[str, list[str]] = defaultdict(list)
    for code, served in tree.puskesmas.items():
        for desa in served:
            of_desa[desa].append(code)
    out: dict[tuple[int, int], dict[Key, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
    )
    for row in rows:
        parts = row["area__code"].split(".")
        ancestors = [".".join(parts[: i + 1]) for i in range(len(parts))]
        targets = [a for a in ancestors if a in tree.nodes]
        targets += of_desa.get(_desa_code(row["area__code"]), [])
        group = row[BY_FIELDS[by]] if by else None
        cells = out[(row["year"], row["month"])]
        for target in targets:
            cells[(target, group)][0] += row["n"]
            cells[(target, group)][1] += row["d"]
    return out


def _tree_table(tree: _Tree, cells: dict[Key, list[int]], groups: list[str | None]) -> Table:
    """The tree's table: every node's counts, each area = its child areas + the rest counted
    at it only, each puskesmas = its desa, each total = its groups, served ⊆ targets."""
    values: dict[Hashable, int] = {}
    relations: list[Relation] = []
    with_total = groups != [None]
    every = [*groups, None] if with_total else groups
    for side, i in (("n", 0), ("d", 1)):
        for node in tree.nodes:
            for g in groups:
                values[(side, node, g)] = cells.get((node, g), [0, 0])[i]
            if with_total:
                values[(side, node, None)] = sum(values[(side, node, g)] for g in groups)
                relations.append(
                    Relation((side, node, None), tuple((side, node, g) for g in groups))
                )
        for node, kids in tree.children.items():
            for g in every:
                parts = [(side, k, g) for k in kids]
                rest = (side, f"~rest {node}", g)
                values[rest] = values[(side, node, g)] - sum(values[p] for p in parts)
                relations.append(Relation((side, node, g), (*parts, rest)))
        for node, served in tree.puskesmas.items():
            for g in every:
                relations.append(Relation((side, node, g), tuple((side, d, g) for d in served)))
    nestings = [Nesting(("d", node, g), ("n", node, g)) for node in tree.nodes for g in every]
    return Table(values, relations, nestings)


def _tree_hidden(
    tree: _Tree, cells: dict[Key, list[int]], groups: list[str | None]
) -> set[Hashable]:
    table = _tree_table(tree, cells, groups)
    return suppress(table.values, table.relations, table.nestings)


def _tree_series(
    tree: _Tree, to_date: list[dict[Key, list[int]]], groups: list[str | None]
) -> list[set[Hashable]]:
    """A cumulative indicator's keys to hide in months 1 … M, from the tree's counts to date
    of months 0 … M: the months protected together (``suppress_series``)."""
    tables = [_tree_table(tree, cells, groups) for cells in to_date[1:]]
    keys = set().union(*(t.values for t in tables)) if tables else set()
    return suppress_series(tables, cumulative=keys)


def indicator_overview(
    user: User, *, area_code: str, year: int, month: int, desa: bool = False
) -> dict[str, list[ValueRow]]:
    """Every catalogue indicator's rows for the area (or puskesmas working area) and each
    child area the user may read, by indicator code in catalogue order: the rows
    `indicator_values` gives for each indicator, read together — the counts of all
    indicators in one grouped query (summed per child area by the database), the puskesmas'
    own targets in one (two when some are set) and the projected denominators in one; with
    `desa`, of a kabupaten/kota and each of its desa (the district dashboard); for a
    suppressed reader, two queries for the reader's areas and one per indicator for what
    they hide."""
    require_indicator_reader(user)
    top, children = _places(user, area_code, desa)
    indicators = list(load_catalogue().values())
    sums = _overview_sums(indicators, top, children, year, month)
    places = (top, *children)
    own: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for facility, code, target in PuskesmasTarget.objects.filter(
        year=year, indicator__in=[i.code for i in indicators]
    ).values_list("facility__code", "indicator", "target"):
        own[code][facility] = target
    served = _served_desa({f for by in own.values() for f in by}, places) if own else []
    projected = _overview_projected(indicators, top, year)
    # A suppressed reader's hidden cells come from the table of all the reader's areas (one
    # query per indicator), as on the indicator's own pages.
    tree = _reader_tree(user, top) if aggregates_suppressed(user) else None
    empty: tuple[dict[Key, list[int]], dict[Key, list[int]]] = ({}, {})
    result = {}
    for indicator in indicators:
        kinds = KINDS_OF_DENOMINATOR.get(indicator.denominator.rule, ())
        totals = [(code, t) for (code, kind), t in projected.items() if kind in kinds]
        result[indicator.code] = _value_rows(
            indicator,
            (top, children),
            sums.get(indicator.code, empty),
            [None],
            annual=(
                _targets_by_row(own[indicator.code], served, places)
                if indicator.code in own
                else {}
            ),
            projected=_projected_by_row(totals, places),
            month=month,
            hidden_sets=(
                _hidden_as_shown(indicator, tree, year, month, None)
                if tree is not None
                else (set(), set())
            ),
        )
    return result


def _overview_sums(
    indicators: list[Indicator], top: Place, children: list[Place], year: int, month: int
) -> dict[str, tuple[dict[Key, list[int]], dict[Key, list[int]]]]:
    """Per indicator code, the (current, previous) sums `_sums` gives without a breakdown:
    one query over the counts of all `indicators`, grouped by indicator, month and the child
    place holding the count's area (the first child that holds it, as `_sums`; '' for an
    area counted at the top only)."""
    prev_year, prev_month = (year, month - 1) if month > 1 else (year - 1, 12)
    monthly = [i.code for i in indicators if i.monthly]
    cumulative = [i.code for i in indicators if not i.monthly]
    periods = Q(
        Q(year=year, month=month) | Q(year=prev_year, month=prev_month), indicator__in=monthly
    ) | Q(indicator__in=cumulative, year=year, month__lte=month)
    child: Case | Coalesce
    if children and all(c.level == AreaLevel.VILLAGE for c in children):
        # Children are desa (a kecamatan, a puskesmas, a district's every desa): a count lies
        # at a dusun/RW (its parent is the desa) or at the desa itself. Reading the desa off
        # the area is one join, where a CASE tests every child's subtree on every row.
        codes = {c.code for c in children}
        child = Coalesce(
            Case(
                When(area__level=AreaLevel.HAMLET, then=F("area__parent__code")),
                When(area__level=AreaLevel.VILLAGE, then=F("area__code")),
                output_field=CharField(),
            ),
            Value(""),
        )
    else:
        codes = None
        child = Case(
            *(When(_subtree_q(c.prefixes), then=Value(c.code)) for c in children),
            default=Value(""),
            output_field=CharField(),
        )
    rows = (
        IndicatorCount.objects.filter(periods, _subtree_q(top.prefixes))
        .annotate(child=child)
        .values_list("indicator", "year", "month", "child")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by()
    )
    out: dict[str, tuple[dict[Key, list[int]], dict[Key, list[int]]]] = {}
    for code, y, m, child_code, n, d in rows:
        if codes is not None and child_code not in codes:
            child_code = ""  # a desa the reader has no row for: counted at the top only
        current, previous = out.setdefault(
            code, (defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0]))
        )
        is_monthly = code in monthly
        for place in (top.code, child_code) if child_code else (top.code,):
            key = (place, None)
            if is_monthly:
                into = current if (y, m) == (year, month) else previous
                into[key][0] += n
                into[key][1] += d
                continue
            current[key][0] += n
            current[key][1] += d
            if m <= month - 1:  # months 0..M-1: last month's cumulative value
                previous[key][0] += n
                previous[key][1] += d
    return out


def _overview_projected(
    indicators: list[Indicator], top: Place, year: int
) -> dict[tuple[str, str], int]:
    """The year's current projected sasaran within the top place, per (area code, kind), for
    every kind some indicator's denominator stands beside: one query."""
    kinds = {k for i in indicators for k in KINDS_OF_DENOMINATOR.get(i.denominator.rule, ())}
    if not kinds:
        return {}
    rows = (
        ProjectedSasaran.objects.filter(projected_q(year, top.prefixes), kind__in=kinds)
        .values_list("area__code", "kind")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return {(code, kind): total for code, kind, total in rows}


def _subtree_q(prefixes: tuple[str, ...]) -> Q:
    """Counts whose area lies within any of the areas `prefixes` names (the area itself or
    below it: codes nest by dots)."""
    within = Q()
    for prefix in prefixes:
        within |= Q(area__code=prefix) | Q(area__code__startswith=f"{prefix}.")
    return within


def _desa_code(code: str) -> str:
    """The desa/kelurahan code of an area at or below the desa (area codes nest by dots:
    province.regency.district.village[.hamlet[.rt]])."""
    return ".".join(code.split(".")[:4])


def _annual_targets(
    indicator: Indicator, top: Place, children: list[Place], year: int
) -> dict[str, float]:
    """Annual targets set by puskesmas for the rows that fall in their working area, by row
    code (rows without an entry take the national target). One query when no puskesmas has
    set one for the indicator and year, two otherwise."""
    own = dict(
        PuskesmasTarget.objects.filter(indicator=indicator.code, year=year).values_list(
            "facility__code", "target"
        )
    )
    if not own:
        return {}
    places = (top, *children)
    return _targets_by_row(own, _served_desa(set(own), places), places)


def _served_desa(facilities: set[str], places: Sequence[Place]) -> list[tuple[str, str]]:
    """(desa code, puskesmas code) for the desa of the rows (at or below the desa) that the
    puskesmas among `facilities` serve; no query when no row is at or below the desa."""
    desa = {
        _desa_code(p.code)
        for p in places
        if p.kind == "area" and (p.level or 0) >= AreaLevel.VILLAGE
    }
    if not desa:
        return []
    return list(
        Facility.service_areas.through.objects.filter(
            facility__code__in=facilities,
            facility__kind=FacilityKind.PUSKESMAS,
            area__code__in=desa,
        ).values_list("area__code", "facility__code")
    )


def _targets_by_row(
    own: dict[str, Decimal], served: list[tuple[str, str]], places: Sequence[Place]
) -> dict[str, float]:
    """The puskesmas' own annual targets (`own`, by puskesmas code) by row code: a puskesmas
    row its own, a row at or below the desa that of the puskesmas serving its desa."""
    result: dict[str, float] = {}
    for place in places:
        if place.kind == "puskesmas" and place.code in own:
            result[place.code] = float(own[place.code])
    by_desa = {desa: f for desa, f in served if f in own}
    for place in places:
        if place.kind == "area" and (place.level or 0) >= AreaLevel.VILLAGE:
            facility = by_desa.get(_desa_code(place.code))
            if facility is not None:
                result[place.code] = float(own[facility])
    return result


def _projected(
    indicator: Indicator, top: Place, children: list[Place], year: int
) -> dict[str, int]:
    """Projected denominators by row code, for rows at or above the desa that the year's
    current sheet covers (none when the denominator has no projected kind)."""
    kinds = KINDS_OF_DENOMINATOR.get(indicator.denominator.rule)
    if not kinds:
        return {}
    rows = (
        ProjectedSasaran.objects.filter(projected_q(year, top.prefixes), kind__in=kinds)
        .values_list("area__code")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return _projected_by_row(list(rows), (top, *children))


def _projected_by_row(totals: list[tuple[str, int]], places: Sequence[Place]) -> dict[str, int]:
    """Sum (area code, projected count) pairs into the rows at or above the desa holding them."""
    result: dict[str, int] = {}
    for code, total in totals:
        for place in places:
            below_desa = place.kind == "area" and (place.level or 0) > AreaLevel.VILLAGE
            if not below_desa and place.holds(code):
                result[place.code] = result.get(place.code, 0) + total
    return result


def _periods(indicator: Indicator, year: int, month: int) -> Q:
    """The counts a month's values read: a monthly indicator's month and the one before; a
    cumulative one's months 0 (the year's denominators) to M."""
    if indicator.monthly:
        prev_year, prev_month = (year, month - 1) if month > 1 else (year - 1, 12)
        return Q(year=year, month=month) | Q(year=prev_year, month=prev_month)
    return Q(year=year, month__lte=month)


def _period_sums(
    indicator: Indicator, top: Place, children: list[Place], periods: Q, by: str | None
) -> dict[tuple[int, int], dict[Key, list[int]]]:
    """Numerator and denominator per period (year, month) and (row place, group): one query
    summing the counts of the row places' subtrees."""
    rows = _count_rows(indicator, top.prefixes, periods, by)
    out: dict[tuple[int, int], dict[Key, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
    )
    for row in rows:
        code = row["area__code"]
        group = row[BY_FIELDS[by]] if by else None
        targets = [top.code]
        child = next((c.code for c in children if c.holds(code)), None)
        if child is not None:
            targets.append(child)
        cells = out[(row["year"], row["month"])]
        for target in targets:
            cells[(target, group)][0] += row["n"]
            cells[(target, group)][1] += row["d"]
    return out


def _count_rows(
    indicator: Indicator, prefixes: Iterable[str], periods: Q, by: str | None
) -> Iterable[dict[str, Any]]:
    """The indicator's counts in the periods, summed per area code, period (and group)
    within the subtrees of `prefixes`."""
    within = Q()
    for prefix in prefixes:
        within |= Q(area__code=prefix) | Q(area__code__startswith=f"{prefix}.")
    dims = ["area__code", "year", "month"] + ([BY_FIELDS[by]] if by else [])
    rows: Iterable[dict[str, Any]] = (
        IndicatorCount.objects.filter(periods, indicator=indicator.code)
        .filter(within)
        .values(*dims)
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by()
    )
    return rows


def _to_date(
    by_period: dict[tuple[int, int], dict[Key, list[int]]], year: int, month: int
) -> list[dict[Key, list[int]]]:
    """A cumulative indicator's counts to date for months 0 … `month` of the year: the
    numerators of months 1..m and the year's denominators (month 0)."""
    out: list[dict[Key, list[int]]] = []
    running: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for m in range(month + 1):
        for key, (n, d) in by_period.get((year, m), {}).items():
            running[key][0] += n
            running[key][1] += d
        snapshot: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
        snapshot.update({key: list(nd) for key, nd in running.items()})
        out.append(snapshot)
    return out


def indicator_trend(
    user: User, indicator: Indicator, *, area_code: str, months: list[tuple[int, int]]
) -> list[tuple[float | None, float]]:
    """(value, target line) of the area (or puskesmas working area) in each of `months`, as
    `indicator_values` gives its first row: one query for a reader whose aggregates are not
    suppressed; otherwise one per year, with the suppression of each month's page (whether
    the area's count is hidden depends on its child areas' counts and, for a cumulative
    indicator, on the year's earlier months)."""
    require_indicator_reader(user)
    top, children = _places(user, area_code)
    if aggregates_suppressed(user):
        return _trend_suppressed(user, indicator, top, children, months)
    within = Q()
    for prefix in top.prefixes:
        within |= Q(area__code=prefix) | Q(area__code__startswith=f"{prefix}.")
    sums: dict[tuple[int, int], tuple[int, int]] = {
        (r["year"], r["month"]): (r["n"], r["d"])
        for r in IndicatorCount.objects.filter(
            within, indicator=indicator.code, year__in={y for y, _m in months}
        )
        .values("year", "month")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by()
    }
    out = []
    for y, m in months:
        # As `_sums`: a monthly indicator reads its month; a cumulative one months 0..M.
        cells = [(y, m)] if indicator.monthly else [(y, k) for k in range(m + 1)]
        n = sum(sums.get(c, (0, 0))[0] for c in cells)
        d = sum(sums.get(c, (0, 0))[1] for c in cells)
        out.append((_value(n, d), _target_line(indicator, m)))
    return out


def _trend_suppressed(
    user: User,
    indicator: Indicator,
    top: Place,
    children: list[Place],
    months: list[tuple[int, int]],
) -> list[tuple[float | None, float]]:
    """`indicator_trend` for a reader whose aggregates are suppressed: each month's value as
    that month's page shows it (None where its counts are hidden)."""
    groups: list[str | None] = [None]
    tree = _reader_tree(user, top)
    shown: dict[tuple[int, int], float | None] = {}
    annual: dict[int, float | None] = {}
    for year in sorted({y for y, _m in months}):
        wanted = [m for y, m in months if y == year]
        annual[year] = _annual_targets(indicator, top, children, year).get(top.code)
        if indicator.monthly:
            sums = _tree_sums(indicator, tree, Q(year=year, month__in=wanted), None)
            for m in wanted:
                cells = sums[(year, m)]
                shown[(year, m)] = _shown_value(cells, _tree_hidden(tree, cells, groups), top)
            continue
        last = max(wanted)
        sums = _tree_sums(indicator, tree, Q(year=year, month__lte=last), None)
        to_date = _to_date(sums, year, last)
        series = _tree_series(tree, to_date, groups)
        for m in wanted:
            shown[(year, m)] = _shown_value(to_date[m], series[m - 1], top)
    return [(shown[(y, m)], _target_line(indicator, m, annual[y])) for y, m in months]


def _shown_value(cells: dict[Key, list[int]], hidden: set[Hashable], top: Place) -> float | None:
    if _any_hidden(hidden, top.code, None):
        return None
    n, d = cells.get((top.code, None), (0, 0))
    return _value(n, d)
