"""URLs of referrals (under ``/rujukan/``)."""

from __future__ import annotations

from django.urls import path

from ilp.referrals import views, views_deaths

app_name = "referrals"

urlpatterns = [
    path("", views.index, name="index"),
    path("masuk/", views.incoming, name="incoming"),
    path("baru/", views.new, name="new"),
    path("laporan/", views.report, name="report"),
    path("laporan/csv/", views.report_csv, name="report_csv"),
    path("<uuid:referral_uuid>/", views.detail, name="detail"),
    path("<uuid:referral_uuid>/ringkasan/", views.summary, name="summary"),
    path("<uuid:referral_uuid>/aksi/", views.act, name="act"),
    path("<uuid:referral_uuid>/surat.pdf", views.letter, name="letter"),
    path("orang/<uuid:person_uuid>/", views.person_referrals, name="person"),
    path("kematian/", views_deaths.index, name="deaths"),
    path("kematian/baru/", views_deaths.new, name="death_new"),
    path("kematian/<uuid:death_uuid>/notifikasi/", views_deaths.notify, name="death_notify"),
    path("kematian/<uuid:death_uuid>/batal/", views_deaths.void, name="death_void"),
]
