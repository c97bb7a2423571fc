"""Care pages: service packages of a person, growth charts, posyandu sessions, work lists.

Mounted by ``ilp.urls`` as ``path("layanan/", include("ilp.care.urls"))``.
"""

from __future__ import annotations

from django.urls import path

from ilp.care.views import charts, corrections, packages, sessions, worklists

app_name = "care"

urlpatterns = [
    path("orang/<uuid:person_uuid>/", packages.person_care, name="person"),
    path(
        "orang/<uuid:person_uuid>/grafik/<str:indicator>.svg",
        charts.growth_chart,
        name="growth_chart",
    ),
    # Before the package form, whose <str:package> would take "buku-kia".
    path(
        "orang/<uuid:person_uuid>/buku-kia/",
        corrections.dose_from_book_view,
        name="dose_from_book",
    ),
    path("orang/<uuid:person_uuid>/<str:package>/", packages.package_form, name="package"),
    path(
        "orang/<uuid:person_uuid>/<str:package>/nilai/",
        packages.package_evaluate,
        name="evaluate",
    ),
    path(
        "catatan/<uuid:encounter_uuid>/koreksi/",
        corrections.encounter_correct_view,
        name="encounter_correct",
    ),
    path(
        "catatan/<uuid:encounter_uuid>/batalkan/",
        corrections.encounter_void_view,
        name="encounter_void",
    ),
    path("dosis/<uuid:dose_uuid>/koreksi/", corrections.dose_correct_view, name="dose_correct"),
    path("dosis/<uuid:dose_uuid>/batalkan/", corrections.dose_void_view, name="dose_void"),
    path("posyandu/<str:code>/", sessions.posyandu_home, name="posyandu"),
    path("posyandu/<str:code>/sesi/", sessions.session_open_view, name="session_open"),
    path("posyandu/<str:code>/sesi/<str:on>/", sessions.session_page, name="session"),
    path(
        "posyandu/<str:code>/sesi/<str:on>/tutup/",
        sessions.session_close_view,
        name="session_close",
    ),
    path(
        "posyandu/<str:code>/sesi/<str:on>/<uuid:person_uuid>/",
        sessions.session_row_save,
        name="session_row",
    ),
    path(
        "posyandu/<str:code>/sesi/<str:on>/<uuid:person_uuid>/hadir/",
        sessions.session_attendance,
        name="session_attendance",
    ),
    path(
        "posyandu/<str:code>/sesi/<str:on>/<uuid:person_uuid>/dewasa/",
        sessions.session_adult_save,
        name="session_adult",
    ),
    path(
        "posyandu/<str:code>/sesi/<str:on>/pengunjung/",
        sessions.session_visitor_add,
        name="session_visitor",
    ),
    path("kerja/", worklists.worklist_index, name="worklists"),
    path("kerja/<str:code>/", worklists.worklist_page, name="worklist"),
    path("kerja/<str:code>/excel/", worklists.worklist_excel, name="worklist_excel"),
    path("kerja/<str:code>/khusus/", worklists.special_page, name="special"),
    path("kerja/<str:code>/tugas/", worklists.tasks_page, name="tasks"),
    path(
        "kerja/<str:code>/tugas/<uuid:task_uuid>/tutup/",
        worklists.task_close_view,
        name="task_close",
    ),
    path("kerja/<str:code>/kohort/<str:register>/", worklists.kohort_page, name="kohort"),
    path(
        "kerja/<str:code>/kohort/<str:register>/excel/",
        worklists.kohort_excel,
        name="kohort_excel",
    ),
]
