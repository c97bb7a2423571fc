"""Top-level URL map: web pages per app, the admin, i18n switch and the JSON API."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from ilp.accounts.access import public
from ilp.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    # Only the language switch of django.conf.urls.i18n, marked public (it stores a cookie).
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path("", include("ilp.accounts.urls")),
    path("", include("ilp.people.urls")),
    path("layanan/", include("ilp.care.urls")),
    path("pws/mutu-data/", include("ilp.monitoring.urls_quality")),
    path("pws/", include("ilp.monitoring.urls_packs")),  # before the PWS pages' <indicator>/
    path("pws/", include("ilp.monitoring.urls")),
    path("monitoring/", include("ilp.monitoring.urls_targets")),
    path("pembinaan/", include("ilp.evaluation.urls")),
    path("rujukan/", include("ilp.referrals.urls")),
    path("perlindungan/", include("ilp.protection.urls")),
]

# Error pages in the ILP layout (templates/403.html, 404.html); 400 and 500 show a message
# only, the 500 with a reference id that is logged with the traceback (ilp.core.errors).
handler400 = "ilp.core.errors.bad_request"
handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "ilp.core.errors.server_error"
