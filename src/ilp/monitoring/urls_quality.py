"""Data-quality pages: the scorecard, its Excel, the records behind a problem and the home
page's worst problems.

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
    path("beranda/", views_quality.home_problems, name="home_problems"),
    path("catatan/<str:measure>/", views_quality.records_page, name="records"),
]
