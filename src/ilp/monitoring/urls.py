"""PWS pages: the indicator index, the all-indicators summary of an area and month and its
Excel, one indicator's page for an area and month and its Excel.

Mounted by ``ilp.urls`` as ``path("pws/", include("ilp.monitoring.urls"))``.
"""

from __future__ import annotations

from django.urls import path

from ilp.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.pws_index, name="index"),
    # Before the indicator pages: "ringkasan" is no indicator code.
    path("ringkasan/", views.pws_summary, name="summary"),
    path("ringkasan/excel/", views.pws_summary_excel, name="summary_excel"),
    path("<str:indicator_code>/", views.pws_page, name="pws"),
    path("<str:indicator_code>/excel/", views.pws_excel, name="pws_excel"),
]
