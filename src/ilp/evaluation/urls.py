"""URLs of evaluation and coaching (under ``/pembinaan/``)."""

from __future__ import annotations

from django.urls import path

from ilp.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("tim/", views.teams, name="teams"),
    path("tim/baru/", views.team_new, name="team_new"),
    path("tim/<uuid:team_uuid>/", views.team_detail, name="team"),
    path("tim/<uuid:team_uuid>/ubah/", views.team_edit, name="team_edit"),
    path("kunjungan/<uuid:visit_uuid>/", views.visit_detail, name="visit"),
    path("kunjungan/<uuid:visit_uuid>/temuan/", views.visit_findings, name="visit_findings"),
    path("kunjungan/<uuid:visit_uuid>/selesai/", views.visit_done, name="visit_done"),
    path(
        "kunjungan/<uuid:visit_uuid>/rekomendasi/",
        views.recommendation_new,
        name="recommendation_new",
    ),
    path(
        "rekomendasi/<uuid:recommendation_uuid>/ubah/",
        views.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "rekomendasi/<uuid:recommendation_uuid>/aksi/",
        views.recommendation_action,
        name="recommendation_action",
    ),
    path("puskesmas/", views.puskesmas_list, name="puskesmas"),
    path("terbuka/", views.open_list, name="open"),
    path("tugas/", views.task_list, name="tasks"),
]
