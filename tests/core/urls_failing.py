"""The project's URLs plus one page that fails after reading personal data, to look at what
a 500 shows (tests/core/test_error_pages.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ilp.urls import handler400, handler403, handler404, handler500
from ilp.urls import urlpatterns as project_patterns


def failing_view(request: HttpRequest) -> HttpResponse:
    from ilp.people.models import Person

    residents = list(Person.objects.values_list("nik", "full_name"))
    raise RuntimeError(f"failed while holding {residents}")


def failing_api_view(request: HttpRequest) -> HttpResponse:
    from ilp.people.models import Person

    raise RuntimeError(str(list(Person.objects.values_list("nik", flat=True))))


urlpatterns = [
    path("gagal/", failing_view),
    path("api/v1/gagal", failing_api_view),
    *project_patterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
