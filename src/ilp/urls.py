"""Top-level URL map: web pages per app, the admin, i18n switch and the JSON API."""

from django.contrib import admin
from django.urls import include, path

from ilp.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
