"""URLs of protection (under ``/perlindungan/``)."""

from __future__ import annotations

from django.urls import path

from ilp.protection import (
    views,
    views_access,
    views_attachment,
    views_partner,
    views_report,
    views_screening,
)

app_name = "protection"

urlpatterns = [
    path("", views.index, name="index"),
    path("skrining/", views_screening.find, name="screening_find"),
    path("skrining/<uuid:person_uuid>/", views_screening.new, name="screening_new"),
    path("baru/", views.new, name="new"),
    path("kasus/<uuid:case_uuid>/", views.detail, name="detail"),
    path("kasus/<uuid:case_uuid>/ambil/", views.take, name="take"),
    path("kasus/<uuid:case_uuid>/pihak/", views.party, name="party"),
    path("kasus/<uuid:case_uuid>/langkah/", views.step, name="step"),
    path("kasus/<uuid:case_uuid>/catatan/", views.notes, name="notes"),
    path("kasus/<uuid:case_uuid>/petugas/", views.assign, name="assign"),
    path("kasus/<uuid:case_uuid>/tutup/", views.close, name="close"),
    path(
        "kasus/<uuid:case_uuid>/lampiran/",
        views_attachment.attachment_add,
        name="attachment_add",
    ),
    path(
        "kasus/<uuid:case_uuid>/lampiran/<uuid:attachment_uuid>/",
        views_attachment.attachment_download,
        name="attachment_download",
    ),
    path(
        "kasus/<uuid:case_uuid>/lampiran/<uuid:attachment_uuid>/batal/",
        views_attachment.attachment_void,
        name="attachment_void",
    ),
]

# Visum et repertum (``views_visum``).
from ilp.protection import views_visum  # noqa: E402

urlpatterns += [
    path("kasus/<uuid:case_uuid>/visum/", views_visum.request_record, name="visum_request"),
    path(
        "kasus/<uuid:case_uuid>/visum/<uuid:visum_uuid>/periksa/",
        views_visum.examine,
        name="visum_examine",
    ),
    path(
        "kasus/<uuid:case_uuid>/visum/<uuid:visum_uuid>/terbitkan/",
        views_visum.issue,
        name="visum_issue",
    ),
    path(
        "kasus/<uuid:case_uuid>/visum/<uuid:visum_uuid>/serahkan/",
        views_visum.deliver,
        name="visum_deliver",
    ),
    path(
        "kasus/<uuid:case_uuid>/visum/<uuid:visum_uuid>/barang-bukti/",
        views_visum.custody,
        name="visum_custody",
    ),
    path(
        "kasus/<uuid:case_uuid>/visum/<uuid:visum_uuid>/batalkan/",
        views_visum.void,
        name="visum_void",
    ),
    path(
        "kasus/<uuid:case_uuid>/visum/<uuid:visum_uuid>/surat.pdf",
        views_visum.letter,
        name="visum_letter",
    ),
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
    path("templat-visum/", views_visum.template_edit, name="visum_template"),
    path("buka/", views_access.break_glass, name="break_glass"),
    path("akses-darurat/", views_access.break_glass_list, name="break_glass_list"),
    path("laporan/", views_report.report, name="report"),
    path("laporan/csv/", views_report.report_csv, name="report_csv"),
]
