"""URLs of protection (under ``/perlindungan/``)."""

from __future__ import annotations

from django.urls import path

from ilp.protection import views, views_report

app_name = "protection"

urlpatterns = [
    path("", views.index, name="index"),
    path("baru/", views.new, name="new"),
    path("kasus/<uuid:case_uuid>/", views.detail, name="detail"),
    path("kasus/<uuid:case_uuid>/ambil/", views.take, name="take"),
    path("kasus/<uuid:case_uuid>/pihak/", views.party, name="party"),
    path("kasus/<uuid:case_uuid>/langkah/", views.step, name="step"),
    path("kasus/<uuid:case_uuid>/catatan/", views.notes, name="notes"),
    path("kasus/<uuid:case_uuid>/petugas/", views.assign, name="assign"),
    path("kasus/<uuid:case_uuid>/tutup/", views.close, name="close"),
    path("laporan/", views_report.report, name="report"),
    path("laporan/csv/", views_report.report_csv, name="report_csv"),
]
