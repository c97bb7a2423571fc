"""URLs of evaluation and coaching (under ``/pembinaan/``)."""

from __future__ import annotations

from django.urls import path

from ilp.evaluation import (
    death_views,
    programme_views,
    views,
    views_checklists,
    views_evidence,
    views_review,
    views_visit,
)

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
    path("kunjungan/<uuid:visit_uuid>/ubah/", views_visit.visit_edit, name="visit_edit"),
    path("kunjungan/<uuid:visit_uuid>/batal/", views_visit.visit_cancel, name="visit_cancel"),
    path("kunjungan/<uuid:visit_uuid>/langsung/", views_visit.visit_live, name="visit_live"),
    path("bukti/<uuid:evidence_uuid>/", views_evidence.evidence_download, name="evidence"),
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
    path(
        "kunjungan/<uuid:visit_uuid>/tilik/<uuid:item_uuid>/",
        views_checklists.visit_answer,
        name="visit_answer",
    ),
    path("daftar-tilik/", views_checklists.checklists, name="checklists"),
    path("daftar-tilik/contoh/", views_checklists.checklist_seed, name="checklist_seed"),
    path(
        "daftar-tilik/versi/<uuid:version_uuid>/",
        views_checklists.checklist_version,
        name="checklist_version",
    ),
    path(
        "daftar-tilik/<str:cluster>/ubah/", views_checklists.checklist_edit, name="checklist_edit"
    ),
    path("puskesmas/", views.puskesmas_list, name="puskesmas"),
    path("terbuka/", views.open_list, name="open"),
    path("evaluasi/", views_review.review_index, name="review"),
    path("evaluasi/<str:code>/", views_review.monthly, name="monthly"),
    path("evaluasi/<str:code>/pdf/", views_review.monthly_pdf, name="monthly_pdf"),
    path("tinjauan-triwulan/", views_review.quarter, name="quarter"),
    path("tinjauan-triwulan/pdf/", views_review.quarter_pdf, name="quarter_pdf"),
    path("kinerja/", views_review.performance_page, name="performance"),
    path("kinerja/skema/", views_review.performance_scheme, name="performance_scheme"),
    path("kinerja/<str:code>/", views_review.performance_detail, name="performance_detail"),
    # Specialist coaching programmes.
    path("program/", programme_views.programmes, name="programmes"),
    path("program/baru/", programme_views.programme_new, name="programme_new"),
    path("program/<uuid:programme_uuid>/", programme_views.programme_detail, name="programme"),
    path(
        "program/<uuid:programme_uuid>/ubah/",
        programme_views.programme_edit,
        name="programme_edit",
    ),
    path("sesi/<uuid:session_uuid>/", programme_views.session_detail, name="session"),
    path(
        "sesi/<uuid:session_uuid>/peserta/",
        programme_views.session_participants,
        name="session_participants",
    ),
    path("sesi/<uuid:session_uuid>/nilai/", programme_views.session_scores, name="session_scores"),
    path("sesi/<uuid:session_uuid>/kasus/", programme_views.session_case, name="session_case"),
    path(
        "sesi/<uuid:session_uuid>/rekomendasi/",
        programme_views.session_recommendation_new,
        name="session_recommendation_new",
    ),
    path("tugas/", views.task_list, name="tasks"),
    # Death reviews (AMP-SR), keyed by the death.
    path("kematian/<uuid:death_uuid>/", death_views.death_review, name="death_review"),
    path(
        "kematian/<uuid:death_uuid>/kajian/",
        death_views.death_review_save,
        name="death_review_save",
    ),
    path(
        "kematian/<uuid:death_uuid>/rekomendasi/",
        death_views.death_review_recommendation,
        name="death_review_recommendation",
    ),
]
