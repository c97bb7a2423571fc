"""The project's URLs plus the care pages, so the care tests do not wait for ilp/urls.py."""

from django.urls import include, path

from ilp.urls import handler400, handler403, handler404, handler500
from ilp.urls import urlpatterns as project_patterns

urlpatterns = [
    *[p for p in project_patterns if "layanan/" not in str(p.pattern)],
    path("layanan/", include("ilp.care.urls")),
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
