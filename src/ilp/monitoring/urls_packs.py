"""URLs of the printable packs: the monthly lokmin pack of a puskesmas and the cross-sector view
with its quarterly pack. Mounted by ``ilp.urls`` under ``pws/`` before the PWS pages (whose
``<indicator>/`` pattern would otherwise take ``lintas-sektor/``)."""

from __future__ import annotations

from django.urls import path

from ilp.monitoring import views_packs

app_name = "packs"

urlpatterns = [
    path("lokmin/<str:code>/", views_packs.lokmin_page, name="lokmin"),
    path("lokmin/<str:code>/pdf/", views_packs.lokmin_pdf, name="lokmin_pdf"),
    path("lintas-sektor/", views_packs.cross_sector_page, name="cross_sector"),
    path(
        "lintas-sektor/tribulan/",
        views_packs.cross_sector_quarter,
        name="cross_sector_quarter",
    ),
    path(
        "lintas-sektor/tribulan/pdf/",
        views_packs.cross_sector_quarter_pdf,
        name="cross_sector_quarter_pdf",
    ),
]
