"""The language of a request: Indonesian unless the user chose English.

Django's LocaleMiddleware also follows the browser's Accept-Language, and many puskesmas
computers run an English Windows or browser: their staff would get the English UI without
asking for it. Web pages therefore take the language from the choice stored by the language
switch (Django's ``set_language`` view and its cookie) and otherwise speak Indonesian
(``LANGUAGE_CODE``). The JSON API keeps following Accept-Language: its clients are programs
that say what they want in that header.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware that ignores Accept-Language outside the API."""

    api_prefix = "/api/"

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith(self.api_prefix):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(self.api_prefix):
            return super().process_response(request, response)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
