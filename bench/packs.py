"""Benchmark: the printable packs on the 500,000-resident district on PostgreSQL (issue #10 §3
and §5).

Needs DATABASE_URL naming a migrated database that holds the demo district, its service
history and its indicator counts (``bench/care.py`` and ``ilp indicators rebuild``). Reads
only: the connection is set read-only, and the pages are built by the same functions the
views call (content, template, PDF), as the district's dinkes user, without the session and
the audit row a real request writes. Prints p50/p95 wall-clock milliseconds (with this
process' CPU and the query count) and the load average for:

- the monthly lokmin pack of the largest puskesmas (most residents): its HTML page, and its
  PDF (the HTML drawn by WeasyPrint; the aim is under 5 s);
- the cross-sector page of the largest kecamatan and of its largest desa, as a camat or
  kepala desa sees it (the district roles see the same page);
- the quarterly cross-sector pack of that kecamatan (HTML and PDF).

    .venv/bin/python bench/packs.py [--repeat 10] [--period YYYY-MM]
"""

from __future__ import annotations

import argparse
import sys

from _common import setup_django  # bench/ is on sys.path when run
from monitoring import Ms, report, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--period", default="", help="YYYY-MM (default: last month)")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.db.models import Count
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import timezone, translation

    from ilp.accounts.models import Role, User
    from ilp.monitoring import crosssector, lokmin, pdf
    from ilp.people.models import Person
    from ilp.places.models import Area, AreaLevel, Facility, FacilityKind

    with connection.cursor() as cursor:  # this benchmark never writes
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    translation.activate("id")
    today = timezone.localdate()
    if args.period:
        year, month = (int(p) for p in args.period.split("-"))
    else:
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    reader = User.objects.filter(role=Role.DINKES_ADMIN, area__isnull=False).first()
    if reader is None:
        sys.exit("no dinkes user with an area in this database")
    biggest = (
        Person.objects.values("village")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("village", "n")
    )
    by_desa = dict(biggest)
    puskesmas = max(
        Facility.objects.filter(kind=FacilityKind.PUSKESMAS).prefetch_related("service_areas"),
        key=lambda f: sum(by_desa.get(a.pk, 0) for a in f.service_areas.all()),
    )
    kecamatan = max(
        Area.objects.filter(level=AreaLevel.DISTRICT, code__startswith=f"{reader.area.code}."),
        key=lambda k: sum(
            n for pk, n in by_desa.items() if pk in set(k.children.values_list("pk", flat=True))
        ),
    )
    desa = max(kecamatan.children.all(), key=lambda a: by_desa.get(a.pk, 0))
    print(
        f"district: {Person.objects.count()} persons; period {year}-{month:02d}; "
        f"puskesmas {puskesmas.code} {puskesmas.name} "
        f"({sum(by_desa.get(a.pk, 0) for a in puskesmas.service_areas.all())} residents, "
        f"{puskesmas.service_areas.filter(level=AreaLevel.VILLAGE).count()} desa); "
        f"kecamatan {kecamatan.name}; desa {desa.name}"
    )
    request = RequestFactory().get("/", SERVER_NAME="127.0.0.1")
    request.user = reader

    def lokmin_html() -> str:
        pack = lokmin.lokmin_pack(reader, puskesmas, year=year, month=month, language="id")
        context = {"pack": pack, "for_pdf": True, "month_label": pack.period, "statuses": []}
        return render_to_string("monitoring/lokmin.html", context, request=request)

    html, html_ms, pdf_ms = "", Ms(), Ms()
    for _i in range(args.repeat):
        with timed(html_ms):
            html = lokmin_html()
        with timed(pdf_ms):
            pdf.html_to_pdf(html)
    report("lokmin pack, largest puskesmas: HTML", html_ms, None)
    report("lokmin pack, largest puskesmas: PDF (drawing)", pdf_ms, None)
    total = Ms()
    total.extend(h + p for h, p in zip(html_ms, pdf_ms, strict=True))
    report("lokmin pack, largest puskesmas: PDF in all", total, 5000)

    for area in (kecamatan, desa):
        ms = Ms()
        for _i in range(args.repeat):
            with timed(ms):
                view = crosssector.cross_sector_month(area, year=year, month=month, language="id")
                render_to_string(
                    "monitoring/cross_sector.html",
                    {"area": area, "view": view, "choices": []},
                    request=request,
                )
        report(f"cross-sector page, {area.get_level_display().lower()} {area.name}", ms, None)

    quarter = f"{year:04d}-T{(month - 1) // 3 + 1}"
    q_year, months = crosssector.parse_quarter(quarter, today)
    q_html, q_pdf = Ms(), Ms()
    for _i in range(max(1, args.repeat // 2)):
        with timed(q_html):
            views, table = crosssector.quarter_pack(
                kecamatan, year=q_year, months=months, language="id"
            )
            html = render_to_string(
                "monitoring/cross_sector_quarter.html",
                {
                    "area": kecamatan,
                    "quarter": quarter,
                    "views": views,
                    "table": table,
                    "months": [str(m) for m in months],
                    "month_heads": [str(m) for m in months],
                    "for_pdf": True,
                    "statuses": [],
                },
                request=request,
            )
        with timed(q_pdf):
            pdf.html_to_pdf(html)
    report(f"quarterly pack {quarter}, kecamatan: HTML", q_html, None)
    report(f"quarterly pack {quarter}, kecamatan: PDF (drawing)", q_pdf, None)


if __name__ == "__main__":
    main()
