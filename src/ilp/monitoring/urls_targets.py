"""URLs of the target pages (sasaran proyeksi, puskesmas annual targets)."""

from __future__ import annotations

from django.urls import path

from ilp.monitoring import views_targets

urlpatterns = [
    path("sasaran-proyeksi/", views_targets.sasaran_page, name="sasaran_proyeksi"),
    path(
        "sasaran-proyeksi/template.xlsx",
        views_targets.sasaran_template_download,
        name="sasaran_template",
    ),
    path("target-puskesmas/", views_targets.puskesmas_targets_page, name="puskesmas_targets"),
]
