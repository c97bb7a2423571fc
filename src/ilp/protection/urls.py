"""URLs of protection (under ``/perlindungan/``)."""

from __future__ import annotations

from django.urls import path

from ilp.protection import views, views_partner

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
    path("kasus/<uuid:case_uuid>/rujuk-mitra/", views_partner.refer, name="refer"),
    path("kasus/<uuid:case_uuid>/informasi/", views_partner.inform, name="inform"),
    path(
        "kasus/<uuid:case_uuid>/rujukan-mitra/<uuid:case_referral_uuid>/terima/",
        views_partner.acknowledge,
        name="referral_ack",
    ),
    path(
        "kasus/<uuid:case_uuid>/rujukan-mitra/<uuid:case_referral_uuid>/tindak-lanjut/",
        views_partner.follow_up,
        name="referral_follow_up",
    ),
    path(
        "kasus/<uuid:case_uuid>/rujukan-mitra/<uuid:case_referral_uuid>/batal/",
        views_partner.cancel,
        name="referral_cancel",
    ),
]
