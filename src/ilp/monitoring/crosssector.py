"""Cross-sector views (issue 10 §5): a camat or kepala desa sees their area's indicators beside
its kecamatan and the district, as counts only, and the quarterly pack for the cross-sector
meeting (*lokmin tribulanan*).

The indicators shown (:data:`INDICATORS`, codes of ``catalogue.toml``): stunting among children
measured, complete basic immunisation (IDL), ANC K1 and K4, PTM screening 15+, and posyandu
activity as D/S (children weighed of all registered).

What a reader sees is what a cross-sector viewer of that area sees, whoever opens the page (the
district roles open it to prepare the meeting, and the pack is handed out there): every count
is suppressed as ``ilp.monitoring.selectors`` suppresses it for such a viewer.

- **The area and its child areas** are exactly the rows ``selectors.indicator_values`` gives a
  cross-sector viewer of the area (the same cells hidden as on the PWS pages and the API, so
  no page gives back what another hides).
- **The wider areas** (the kecamatan of a desa; the district) are rows no other page shows
  this viewer. Each is hidden whole (counts, value and status) when a count of 1–4 could be
  read from it: its own numerator, denominator or persons not served (denominator −
  numerator) is 1–4; or its difference with a row the reader already knows — the own area
  (taken as known exactly, even where it is hidden: the safe assumption) or a wider row shown
  before it — is 1–4 on either side or in persons not served; or it adds no one to the own
  area's denominator while the own area has a hidden count (it would repeat that count). So
  "kecamatan minus the desa" never leaves 1–4 persons, and the district row is checked
  against both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ilp.accounts.access import can_view_cross_sector, indicator_areas
from ilp.accounts.models import Role, User
from ilp.core.exceptions import BadParameter, NotFound, PermissionDenied, ValidationFailed
from ilp.core.suppression import is_small
from ilp.monitoring import pws, selectors
from ilp.monitoring.catalogue import Indicator
from ilp.monitoring.death_family import death_family
from ilp.places.models import Area, AreaLevel

# stunting, IDL, K1, K4, PTM 15+, D/S (posyandu activity), in this order on the page.
INDICATORS = ("balita_stunting", "idl", "k1", "k4", "ptm_15", "ds")
Counts = tuple[int, int]  # (numerator, denominator)


@dataclass
class CrossRow(pws.PwsRow):
    """A PWS row with its place in the view: "own", "child", "kecamatan" or "district"."""

    kind: str = "own"


@dataclass
class CrossIndicator:
    indicator: Indicator
    name: str
    rows: list[CrossRow]

    @property
    def target(self) -> float:
        return self.rows[0].target


@dataclass
class CrossMonth:
    year: int
    month: int
    indicators: list[CrossIndicator]

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass
class QuarterIndicator:
    """One indicator over the quarter's months: per row (own, children, wider areas) its
    cells month by month."""

    indicator: Indicator
    name: str
    rows: list[tuple[str, str, list[CrossRow]]] = field(default_factory=list)  # code, kind


def context_hidden(
    own: Counts, own_has_hidden: bool, wider: Sequence[Counts], threshold: int = 5
) -> list[bool]:
    """Per wider area (innermost first): whether its row is hidden (see the module
    docstring). `own`: the own area's true counts; `own_has_hidden`: whether the reader sees
    any of the own area's counts hidden."""
    known = [own]
    hidden = []
    for n, d in wider:
        hide = any(is_small(v, threshold) for v in (n, d, d - n))
        for kn, kd in known:
            rn, rd = n - kn, d - kd
            hide = hide or any(is_small(v, threshold) for v in (rn, rd, rd - rn))
        hide = hide or (own_has_hidden and d == own[1])
        hidden.append(hide)
        if not hide:
            known.append((n, d))
    return hidden


def _district_of(area: Area) -> Area:
    """The kabupaten/kota an area lies in (area codes nest by dots)."""
    if area.level == AreaLevel.REGENCY:
        return area
    code = ".".join(area.code.split(".")[:2])
    found = Area.objects.filter(code=code, level=AreaLevel.REGENCY).first()
    if found is None:
        raise NotFound(_("Wilayah %(code)s tidak ada atau di luar wilayah Anda.") % {"code": code})
    return found


def view_area(user: User, code: str = "") -> Area:
    """The kecamatan or desa the view is about: a cross-sector viewer's own area (the default;
    another code is 404), or for a district role a kecamatan or desa of its district (default:
    its first kecamatan)."""
    if not can_view_cross_sector(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membuka halaman lintas sektor."))
    levels = (AreaLevel.DISTRICT, AreaLevel.VILLAGE)
    if user.role == Role.CROSS_SECTOR:
        area = user.area
        if area is None:
            raise NotFound(_("Akun Anda belum terhubung dengan wilayah."))
        if code and code != area.code:
            message = _("Wilayah %(code)s tidak ada atau di luar wilayah Anda.") % {"code": code}
            raise NotFound(message)
        if area.level not in levels:
            raise NotFound(_("Halaman lintas sektor tersedia untuk kecamatan dan desa/kelurahan."))
        return area
    areas = indicator_areas(user).filter(level__in=levels)
    found = areas.filter(code=code).first() if code else areas.order_by("code").first()
    if found is None:
        message = _("Wilayah %(code)s tidak ada atau di luar wilayah Anda.") % {"code": code}
        raise NotFound(message)
    return found


def _reader(role: str, area: Area) -> User:
    """An unsaved reader with `role` over `area`, for the selectors' scope and suppression:
    the view shows what a cross-sector viewer of `area` sees (whoever opens it), and the
    wider areas' true counts are read as a district reader would, then suppressed here."""
    return User(role=role, area=area, is_active=True)


def _row(indicator: Indicator, value: selectors.ValueRow, kind: str) -> CrossRow:
    return CrossRow(**vars(pws.pws_row(indicator, value)), kind=kind)


def _hidden_row(indicator: Indicator, value: selectors.ValueRow, kind: str) -> CrossRow:
    row = _row(indicator, value, kind)
    row.numerator = row.denominator = row.value = row.previous = row.status = None
    row.denominator_projected = row.value_projected = None
    row.suppressed, row.tone = True, ""
    row.bar_svg = pws.target_bar_svg(None, value.target)
    return row


def indicator_rows(
    indicator: Indicator, area: Area, *, year: int, month: int, language: str
) -> CrossIndicator:
    """One indicator's rows for the area: itself, its child areas, then its kecamatan (for a
    desa) and the district, suppressed as the module docstring says."""
    viewer = _reader(Role.CROSS_SECTOR, area)
    own = selectors.indicator_values(viewer, indicator, area_code=area.code, year=year, month=month)
    district = _district_of(area)
    reader = _reader(Role.TPCB, district)
    wider: list[selectors.ValueRow] = []
    own_true: Counts | None = None
    if area.level == AreaLevel.VILLAGE and area.parent is not None:
        kecamatan = selectors.indicator_values(
            reader, indicator, area_code=area.parent.code, year=year, month=month
        )
        wider.append(kecamatan[0])
        own_true = next(
            (
                (r.numerator or 0, r.denominator or 0)
                for r in kecamatan
                if r.place.code == area.code
            ),
            None,
        )
    top = selectors.indicator_values(
        reader, indicator, area_code=district.code, year=year, month=month
    )
    wider.append(top[0])
    if own_true is None:  # a kecamatan: its true counts are the district table's row
        own_true = next(
            ((r.numerator or 0, r.denominator or 0) for r in top if r.place.code == area.code),
            None,
        )
    if own_true is None:  # an area outside the tree of its district's code: nothing to show
        raise NotFound(
            _("Wilayah %(code)s tidak ada atau di luar wilayah Anda.") % {"code": area.code}
        )
    own_has_hidden = any(r.numerator is None or r.denominator is None for r in own)
    counts = [(w.numerator or 0, w.denominator or 0) for w in wider]
    hidden = context_hidden(own_true, own_has_hidden, counts)
    kinds = ["kecamatan", "district"][-len(wider) :]
    rows = [_row(indicator, own[0], "own")]
    rows += [_row(indicator, r, "child") for r in own[1:]]
    for value, kind, secret in zip(wider, kinds, hidden, strict=True):
        rows.append(_hidden_row(indicator, value, kind) if secret else _row(indicator, value, kind))
    return CrossIndicator(indicator=indicator, name=indicator.name(language), rows=rows)


def cross_sector_month(area: Area, *, year: int, month: int, language: str) -> CrossMonth:
    """The view's indicators for one month."""
    catalogue = {i.code: i for i in selectors.catalogue_for(_reader(Role.CROSS_SECTOR, area))}
    return CrossMonth(
        year=year,
        month=month,
        indicators=[
            indicator_rows(catalogue[code], area, year=year, month=month, language=language)
            for code in INDICATORS
            if code in catalogue
        ],
    )


def default_month(today: date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, today.month


def parse_quarter(text: str, today: date | None = None) -> tuple[int, list[int]]:
    """``YYYY-Qn`` (n 1–4) of a kept year, begun by today: the year and the quarter's months
    up to the current one (BadParameter otherwise, with the reason)."""
    today = today or timezone.localdate()
    message = _("Triwulan harus berbentuk TTTT-Tn atau TTTT-Qn, misalnya 2026-T1.")
    parts = text.strip().upper().split("-")
    if len(parts) != 2 or len(parts[1]) != 2 or parts[1][0] not in "QT":
        raise BadParameter(message, fields={"quarter": [message]})
    if not parts[0].isdigit() or len(parts[0]) != 4 or parts[1][1] not in "1234":
        raise BadParameter(message, fields={"quarter": [message]})
    year, quarter = int(parts[0]), int(parts[1][1])
    first = 3 * quarter - 2
    try:
        selectors.parse_period(f"{year:04d}-{first:02d}", today)
    except ValidationFailed as exc:
        text = str(exc.message)
        if (year, first) > (today.year, today.month):
            text = _("Triwulan belum berjalan.")
        raise BadParameter(text, fields={"quarter": [text]}) from exc
    months = [m for m in range(first, first + 3) if (year, m) <= (today.year, today.month)]
    return year, months


def current_quarter(today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{today.year:04d}-T{(today.month - 1) // 3 + 1}"


def quarter_pack(
    area: Area, *, year: int, months: list[int], language: str
) -> tuple[list[CrossMonth], list[QuarterIndicator]]:
    """The quarter's months (each as the monthly view) and, per indicator, each row's cells
    month by month (for the pack's table)."""
    views = [cross_sector_month(area, year=year, month=m, language=language) for m in months]
    table = []
    for i, item in enumerate(views[-1].indicators):
        quarter = QuarterIndicator(indicator=item.indicator, name=item.name)
        for j, row in enumerate(item.rows):
            cells = [v.indicators[i].rows[j] for v in views]
            quarter.rows.append((row.code, row.kind, cells))
        table.append(quarter)
    return views, table


def home_context(user: User, today: date | None = None) -> dict[str, object]:
    """What a cross-sector viewer's home page leads with: the current month's view of their
    area and the link to the current quarter's pack (nothing when the account has no usable
    area: the page then says so)."""
    try:
        area = view_area(user)
    except NotFound:
        return {}
    year, month = default_month(today)
    quarter = current_quarter(today)
    return {
        "cross_view": cross_sector_month(area, year=year, month=month, language=get_language()),
        "quarter": quarter,
        "quarter_url": quarter_url(area, quarter),
        "cross_url": reverse("packs:cross_sector"),
        # maternal and infant deaths of the last completed year, suppressed
        "death_family": death_family(user, area.code, year),
    }


def quarter_url(area: Area, quarter: str, *, as_pdf: bool = False) -> str:
    """The quarterly pack's page (or PDF) for the area."""
    name = "packs:cross_sector_quarter_pdf" if as_pdf else "packs:cross_sector_quarter"
    return f"{reverse(name)}?{urlencode({'area': area.code, 'quarter': quarter})}"
