"""PWS pages: the indicator index, one indicator's page for an area and month, its Excel.

Mounted by ``ilp.urls`` as ``path("pws/", include("ilp.monitoring.urls"))``.
"""

from __future__ import annotations

from django.urls import path

from ilp.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.pws_index, name="index"),
    path("<str:indicator_code>/", views.pws_page, name="pws"),
    path("<str:indicator_code>/excel/", views.pws_excel, name="pws_excel"),
]
