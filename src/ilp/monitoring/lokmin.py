"""The monthly lokmin pack of a puskesmas (issue 10 §3): every catalogue indicator for the
puskesmas' working area, by cluster, with its value over the sasaran riil and (where a sheet
was uploaded) the sasaran proyeksi, the month's target line, the PWS status in words and the
change from last month; then per indicator the desa bars against the target line and the
12-month trend; then the month's data quality of its posyandu (``ilp.monitoring.quality``: the
ranked problems and the working area's measures), for a reader of data quality. One HTML page
that prints on A4 and is drawn to PDF by ``ilp.monitoring.pdf``.

Values, scope and suppression are those of the PWS pages (``ilp.monitoring.pws`` over
``ilp.monitoring.selectors``): who may read the pack is ``can_view_lokmin_pack`` (the
puskesmas' own staff and the district roles; other roles 403), and the puskesmas must be one
whose whole working area the reader may read (otherwise 404, as for a PWS page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import can_view_data_quality, can_view_lokmin_pack
from ilp.accounts.models import User
from ilp.core.exceptions import NotFound, PermissionDenied
from ilp.monitoring import pws, quality, selectors
from ilp.monitoring.catalogue import CLUSTERS, Indicator
from ilp.places.models import Area, Facility, FacilityKind


@dataclass
class PackIndicator:
    indicator: Indicator
    name: str
    top: pws.PwsRow
    children: list[pws.PwsRow]
    trend_svg: str


@dataclass
class PackCluster:
    label: str
    items: list[PackIndicator]


@dataclass
class LokminPack:
    puskesmas: Facility
    kecamatan: list[str]
    year: int
    month: int
    generated_at: datetime
    clusters: list[PackCluster]
    # The month's data quality of the puskesmas and its posyandu; None for a reader who does
    # not read data quality.
    data_quality: quality.Scorecard | None = None
    dq_problems: list[quality.Problem] | None = None

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def desa_count(self) -> int:
        return len(self.clusters[0].items[0].children) if self.clusters else 0


def pack_puskesmas(user: User, code: str) -> Facility:
    """The puskesmas a pack is asked for (NotFound for an unknown code or not a puskesmas;
    whether the reader may read its working area is checked by the values themselves)."""
    if not can_view_lokmin_pack(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membuka paket lokmin."))
    facility = Facility.objects.filter(kind=FacilityKind.PUSKESMAS, code=code).first()
    if facility is None:
        message = _("Puskesmas %(code)s tidak ada atau di luar wilayah Anda.") % {"code": code}
        raise NotFound(message)
    return facility


def lokmin_pack(
    user: User,
    puskesmas: Facility,
    *,
    year: int,
    month: int,
    language: str,
    detail: bool = True,
) -> LokminPack:
    """The pack's content for the month (NotFound when the reader may not read the
    puskesmas' working area). Without `detail`, only the summary of each indicator (no desa
    bars nor 12-month trend: the monthly evaluation of ``ilp.evaluation.review`` shows the
    summary and links here for the rest)."""
    by_cluster: dict[str, list[PackIndicator]] = {c: [] for c in CLUSTERS}
    # Every indicator's rows in one read (the rows ``indicator_values`` gives one by one).
    overview = selectors.indicator_overview(user, area_code=puskesmas.code, year=year, month=month)
    for indicator in selectors.catalogue_for(user):
        rows = [pws.pws_row(indicator, v) for v in overview[indicator.code]]
        name = indicator.name(language)
        if not detail:
            by_cluster[indicator.cluster].append(PackIndicator(indicator, name, rows[0], [], ""))
            continue
        for row in rows:
            row.bar_svg = pws.target_bar_svg(row.value, row.target, print_line=True)
        title = _("Tren %(indicator)s, %(area)s, 12 bulan terakhir") % {
            "indicator": name,
            "area": rows[0].name,
        }
        points = pws.trend(user, indicator, area_code=puskesmas.code, year=year, month=month)
        by_cluster[indicator.cluster].append(
            PackIndicator(
                indicator,
                name,
                rows[0],
                rows[1:],
                pws.trend_svg(points, title, tooltips=False),
            )
        )
    kecamatan = (
        Area.objects.filter(children__served_by=puskesmas)
        .distinct()
        .order_by("code")
        .values_list("name", flat=True)
    )
    card = problems = None
    if can_view_data_quality(user):
        card = quality.scorecard(user, area_code=puskesmas.code, year=year, month=month)
        problems = quality.problems_of(card)
    return LokminPack(
        data_quality=card,
        dq_problems=problems,
        puskesmas=puskesmas,
        kecamatan=list(kecamatan),
        year=year,
        month=month,
        generated_at=timezone.localtime(),
        clusters=[
            PackCluster(str(pws.CLUSTER_LABELS[c]), items)
            for c, items in by_cluster.items()
            if items
        ],
    )
