"""Data-quality pages: the scorecard, its Excel and the records behind a problem.

Mounted by ``ilp.urls`` as ``path("pws/mutu-data/", include("ilp.monitoring.urls_quality"))``,
before the PWS pages (whose ``pws/<indicator>/`` would otherwise take ``mutu-data``).
"""

from __future__ import annotations

from django.urls import path

from ilp.monitoring import views_quality

app_name = "quality"

urlpatterns = [
    path("", views_quality.scorecard_page, name="scorecard"),
    path("excel/", views_quality.scorecard_excel, name="scorecard_excel"),
    path("catatan/<str:measure>/", views_quality.records_page, name="records"),
]
