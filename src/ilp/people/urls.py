"""Pages of families, persons and pregnancies."""

from __future__ import annotations

from django.urls import path

from ilp.people import views

app_name = "people"

urlpatterns = [
    path("penduduk/cari/", views.search, name="search"),
    path("penduduk/periksa/", views.check_field, name="check_field"),
    path("penduduk/<uuid:person_uuid>/", views.person_page, name="person"),
    path("penduduk/<uuid:person_uuid>/kehamilan/", views.pregnancy_add, name="pregnancy_add"),
    path("penduduk/<uuid:person_uuid>/koreksi/", views.person_correct_view, name="person_correct"),
    path("penduduk/<uuid:person_uuid>/batalkan/", views.person_void_view, name="person_void"),
    path(
        "penduduk/<uuid:person_uuid>/pindah-keluarga/", views.person_move_view, name="person_move"
    ),
    path(
        "kehamilan/<uuid:pregnancy_uuid>/koreksi/",
        views.pregnancy_correct_view,
        name="pregnancy_correct",
    ),
    path(
        "kehamilan/<uuid:pregnancy_uuid>/batalkan/",
        views.pregnancy_void_view,
        name="pregnancy_void",
    ),
    path("keluarga/baru/", views.family_register_view, name="family_register"),
    path("keluarga/wilayah/", views.area_options, name="area_options"),
    path("keluarga/<uuid:family_uuid>/", views.family_page, name="family"),
    path("keluarga/<uuid:family_uuid>/anggota/", views.member_add, name="member_add"),
    path("keluarga/<uuid:family_uuid>/koreksi/", views.family_correct_view, name="family_correct"),
]
