"""URLs of referrals (under ``/rujukan/``)."""

from __future__ import annotations

from django.urls import path

from ilp.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.index, name="index"),
    path("masuk/", views.incoming, name="incoming"),
    path("baru/", views.new, name="new"),
    path("<uuid:referral_uuid>/", views.detail, name="detail"),
    path("<uuid:referral_uuid>/ringkasan/", views.summary, name="summary"),
    path("<uuid:referral_uuid>/aksi/", views.act, name="act"),
    path("<uuid:referral_uuid>/surat.pdf", views.letter, name="letter"),
    path("orang/<uuid:person_uuid>/", views.person_referrals, name="person"),
]
