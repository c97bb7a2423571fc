"""The JSON API under /api/v1/ (django-ninja, OpenAPI at /api/v1/openapi.json, docs at
/api/v1/docs). Each app contributes a router from its own `api.py`; errors share one
envelope: ``{"error": {"code", "message", "fields"}}``, in the user's language.

Every failure goes through the handlers below, so a client never has to parse Django's HTML
error pages: domain errors (`ApplicationError`) keep their code and status; ninja's own
errors (authentication, CSRF, unreadable body, schema validation) are translated into the
same envelope with per-field messages."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import django_auth

from ilp.accounts.api_auth import ApiTokenAuth, ApiTokenThrottle, InvalidToken
from ilp.care.api import encounters as encounters_router
from ilp.care.api import person_care as person_care_router
from ilp.core.errors import error_reference, server_error_body
from ilp.core.exceptions import ApplicationError
from ilp.evaluation.api import router as recommendations_router
from ilp.evaluation.api import teams as teams_router
from ilp.evaluation.api import visits as visits_router
from ilp.monitoring.api import router as indicators_router
from ilp.people.api import duplicate_suspected_body
from ilp.people.api import families as families_router
from ilp.people.api import persons as persons_router
from ilp.people.services import DuplicateSuspected
from ilp.places.api import router as places_router
from ilp.protection.api import router as protection_router
from ilp.referrals.api import router as referrals_router

logger = logging.getLogger(__name__)

DESCRIPTION = """
Integrasi Layanan Primer — administrative areas, facilities, families, persons and their
care records.

**Authentication.** Two ways, both listed under *Authorize*:

- *Machine clients* (a hospital's system, a partner organisation, an offline app) send an API
  token: `Authorization: Bearer ilp_…`. A Dinas Kesehatan administrator issues one per client
  (web page *Akun saya → Kelola pengguna*, or the admin's *API tokens*), tied to a user: the
  call acts as that user and sees exactly that user's working area. The token is shown once when
  issued (only a hash is stored), has an expiry date and can be revoked at any time. An unknown,
  expired or revoked token answers `401` with code `invalid_token`. Each token has a per-minute
  allowance (120 calls unless the administrator set another); past it the API answers `429` with
  code `rate_limited` and a `Retry-After` header (seconds). Every call is recorded in the audit
  log under the client's name. Token calls need no CSRF token.
- *The browser* uses the Django session of the web application: log in through the web page
  first; the browser then sends the `sessionid` cookie.

**CSRF.** Because the session cookie is sent automatically, every `POST` made with the session
must also carry the CSRF token in the `X-CSRFToken` header, or it is refused with `403` and
code `csrf_failed`.
A browser client reads the token from the `csrftoken` cookie (or from the page's
`{% csrf_token %}`) and sends it with each request, for example
`fetch(url, {method: "POST", headers: {"X-CSRFToken": getCookie("csrftoken"),
"Content-Type": "application/json"}, body: JSON.stringify(data)})`. These docs add the
header for you.

**Errors.** Every failure answers with one envelope,
`{"error": {"code": "...", "message": "...", "fields": {"field": ["..."]}}}`:
`401 unauthenticated` / `invalid_token`, `403 forbidden` (the role may not read personal data
or do this),
`404 not_found` (missing *or* outside your working area — the API does not tell which),
`409 duplicate_nik` / `duplicate_suspected` (with `candidates`) / `client_id_reused` /
`edit_conflict` (with `version` and `changes`) / `voided` / `invalid_transition` /
`referral_ended` / `state_changed`, `415` for a body that is not
JSON, `422 invalid` / `invalid_json` with messages per field, `429 rate_limited`. Nested fields are
dotted:
`members.1.nik`.

**Sending twice.** `POST /persons` and `POST /families` take a `client_id` (a UUID the client
makes once per registration): sent again, the same body answers `200` with the record stored
the first time instead of registering it twice (`201`); a client that lost the connection
after sending simply sends again.

**Care records.** `POST /encounters` records one service (person, package, date, place,
`values` by field code) and runs the same evaluation as the web form: the answer carries the
encounter with its `results` and `alerts`, each with a stable `code`, its `params` and a
`label` in the request's language. Impossible values answer `422 invalid` with messages per
field (`values.weight`, `date`, …); unusual ones answer `422 needs_confirmation` (the fields say
why) until the same body is sent with `confirm: true`. It takes a `client_id` like the
registrations below, but a resend must be the same body from the same user, otherwise
`409 client_id_reused`; a visit number already recorded (K1 twice for one pregnancy) answers
`409 visit_recorded`. `GET /persons/{uuid}/encounters` pages through a person's encounters
(voided ones left out); `GET /persons/{uuid}/work-items` lists what is due or overdue for the
person today and every open task. Every read is recorded in the audit log.

**Corrections.** Records are corrected (`PATCH`), or voided (`POST …/void`), never deleted.
Each correction carries the `version` the client read and a `reason` (`typo`,
`wrong_person`, `wrong_date`, `duplicate`, `not_done`, `new_information`, or `other` with a
`note`); if the record changed since that version the answer is `409 edit_conflict` listing
what changed, and nothing is saved. The old values stay in the record's history.

**Indicators.** `GET /indicators` lists the indicator catalogue (code, name in the
request's language, cluster, who counts in the numerator and the denominator, source).
`GET /indicators/{code}/values?area=<area code>&period=YYYY-MM[&by=sex|age|disability]`
gives the area's row and one per child area (a puskesmas code gives its working area and
its desa/kelurahan): numerator, denominator, value (percent),
the month's target line and the PWS status (`above_rising`, `above_falling`,
`below_rising`, `below_falling`). Values are kept current as records are written. Readers
who see aggregates only (camat, kepala desa) get every count below 5, and any count that
would give one back by subtraction, as `null` with `"suppressed": true`. An unknown
indicator or an area outside your working area answers `404`; a malformed period, one
outside this year and the last, or a breakdown the indicator has not, `422`.

**Coaching.** `GET /teams`, `GET /visits` (and `/visits/{uuid}` with its frozen indicator
snapshot and recommendations) and `GET /recommendations` are scoped as the coaching pages: the
dinkes administrator the whole district, a team's members their team, a puskesmas its own; a
camat or kepala desa reads only the recommendations addressed to his kecamatan or desa (a
camat also those of its desa), without staff names. `POST /visits` plans a visit,
`POST /visits/{uuid}/done` freezes its snapshot, `POST /recommendations/{uuid}/actions`
answers, accepts, sends back or verifies.

**Referrals.** `GET /referrals` lists the referrals the caller sends or receives (the
dinkes administrator every one of the district), newest first, `?state=` to filter;
`GET /referrals/{id}` gives one with FHIR `ServiceRequest`/`Task`-shaped fields (`status`,
`intent`, `priority`, `subject` with the NIK under `https://fhir.kemkes.go.id/id/nik` for the
receiving side, `requester`/`performer` facility codes, `reasonCode` in ICD-10,
`authoredOn`, `taskStatus`, `businessStatus`, `statusReason`, `output` = the answer) and its
`history`. A hospital's token sees only the referrals to and from its hospital; any other
answers `404`. `POST /referrals` refers a person (UUID) from a facility (code, default the
caller's) to another (`403` when the caller does not work at the sending facility).
`POST /referrals/{id}/events` takes one step (`depart`, `receive`, `handle`, `answer` with
`answer.care`, `answer.diagnosis`, `answer.advice`, `answer.back_referral_plan`, `close`,
`refuse`, `redirect` with `redirect_to`, `cancel`, `not_arrive`; ends need a `reason`) at
time `at` (default now, never in the future nor before the step before). A step of the other
side answers `403`; out of order `409 invalid_transition`; an ended referral
`409 referral_ended`; a referral changed since the caller read it `409 state_changed` (send
the state read as `expected_state` to be told rather than act on a stale view). Times are
ISO 8601; one without an offset is the district's local time.

**Protection (KtP/A cases).** `GET /protection/cases` lists, paged (`limit` up to 200,
`offset`; `count` is over all pages; `?state=open|in_care|closed`), the cases the caller may
read: a partner organisation's staff the cases referred to it (or that it referred in), health
staff the cases assigned to them. Each has `id`, `number`, `state`, `referred_to` (the partner
organisations) and `referrals` with `aim`, `state`, `sent_at`, `acknowledged_at`,
`follow_up_due` (working days counted without weekends, national holidays and cuti bersama),
`followed_up_at` and `overdue`. `GET /protection/cases/{id}` gives one case with each
referral's follow-up (`follow_up_action`, `follow_up_note`, `overdue_working_days`). A partner
sees only its own organisation's referrals, and never a party, a perpetrator or a clinical
note. A case outside the caller's scope answers `404`; a role that may read no case `403`.
Every read and every refusal is recorded in the audit log.

**Language.** Messages are in Indonesian; send `Accept-Language: en` for English.

**Identifiers.** Persons and families are addressed by their UUID, areas by their official
code (`52.71.01.1001`; dusun/RW and RT extend their desa's code: `52.71.01.1001.03.002`).
Dates are `YYYY-MM-DD`.
"""


class _JsonOnlyParser(Parser):
    """Refuse bodies that are not declared as JSON, and mark unreadable JSON so the handler
    can tell it from other ninja errors (ninja wraps both in a 400 HttpError)."""

    def parse_body(self, request: HttpRequest) -> Any:
        content_type = (request.content_type or "").lower()
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise _UnsupportedMediaType(content_type)
        try:
            return super().parse_body(request)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
            raise _MalformedJson(str(exc)) from exc


class _UnsupportedMediaType(Exception):
    pass


class _MalformedJson(Exception):
    pass


class _ILPApi(NinjaAPI):
    """NinjaAPI whose OpenAPI schema is built once per path and language: ninja rebuilds it
    on every request to the public /api/v1/openapi.json (150–600 ms of CPU each), which
    let anyone keep a server busy without logging in."""

    _schemas: dict[tuple[Any, ...], OpenAPISchema]

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        key = (path_prefix, tuple(sorted((path_params or {}).items())), get_language())
        cache: dict[tuple[Any, ...], OpenAPISchema] = self.__dict__.setdefault("_schemas", {})
        schema = cache.get(key)
        if schema is None:
            schema = cache[key] = super().get_openapi_schema(
                path_prefix=path_prefix, path_params=path_params
            )
        return schema


api = _ILPApi(
    title="ILP API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    # A bearer token first (machine clients, no CSRF), else the browser's session + CSRF.
    auth=[ApiTokenAuth(), django_auth],
    throttle=[ApiTokenThrottle()],
    parser=_JsonOnlyParser(),
    # Local Swagger UI files ("ninja" in INSTALLED_APPS); no online validator badge either.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
api.add_router("/places", places_router)
api.add_router("/protection", protection_router)
api.add_router("/persons", persons_router)
api.add_router("/persons", person_care_router)
api.add_router("/encounters", encounters_router)
api.add_router("/families", families_router)
api.add_router("/indicators", indicators_router)
api.add_router("/recommendations", recommendations_router)
api.add_router("/referrals", referrals_router)
api.add_router("/teams", teams_router)
api.add_router("/visits", visits_router)


def _envelope(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, {"error": exc.as_dict()}, status=exc.http_status)


@api.exception_handler(DuplicateSuspected)
def _duplicate_suspected(request: HttpRequest, exc: DuplicateSuspected) -> HttpResponse:
    body = duplicate_suspected_body(request.user, exc)
    return api.create_response(request, body, status=exc.http_status)


# --- schema validation: pydantic's English messages become ours, per field ---------------

_LOCATIONS = {"body", "query", "path", "payload", "header", "cookie", "form"}


def _expected_choices(ctx: dict) -> str:
    expected = str(ctx.get("expected", ""))
    values = re.findall(r"'([^']*)'", expected)
    return ", ".join(v or '""' for v in values) if values else expected


def _field_message(err: dict) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return _("Wajib diisi.")
    if kind == "extra_forbidden":
        return _("Isian ini tidak dikenal.")
    if kind in ("string_type", "string_unicode"):
        return _("Harus berupa teks.")
    # An optional text's length error is a generic "too_long"; ninja drops the input, and
    # only collections name their type ("List") in the context.
    collection = ctx.get("field_type") in ("List", "Tuple", "Set", "Dict")
    if kind == "string_too_long" or (kind == "too_long" and not collection):
        return _("Terlalu panjang (maksimal %(max)s karakter).") % {"max": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Terlalu pendek (minimal %(min)s karakter).") % {"min": ctx.get("min_length")}
    if kind == "control_characters":
        return _("Berisi karakter kontrol yang tidak diizinkan.")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("Harus berupa bilangan bulat.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Minimal %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Maksimal %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind in ("bool_type", "bool_parsing"):
        return _("Harus true atau false.")
    if kind in ("date_format", "date_type", "date_parsing", "date_from_datetime_parsing"):
        return _("Tanggal harus berformat YYYY-MM-DD.")
    if kind.startswith("datetime_") or kind == "timezone_aware":
        return _("Waktu harus berformat ISO 8601, mis. 2026-03-01T08:30:00+08:00.")
    if kind == "date_invalid":
        return _("Tanggal ini tidak ada di kalender.")
    if kind in ("enum", "literal_error"):
        return _("Pilihan tidak dikenal; gunakan salah satu dari: %(choices)s.") % {
            "choices": _expected_choices(ctx)
        }
    if kind in ("uuid_type", "uuid_parsing"):
        return _("UUID tidak valid.")
    if kind == "list_type":
        return _("Harus berupa daftar (JSON array).")
    if kind == "too_long":
        return _("Terlalu banyak (maksimal %(max)s).") % {"max": ctx.get("max_length")}
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Harus berupa objek JSON.")
    return _("Nilai tidak valid.")


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in _LOCATIONS]
        message = _field_message(err)
        messages = fields.setdefault(".".join(loc) or "body", [])
        if message not in messages:
            messages.append(message)
    return api.create_response(
        request,
        _envelope("invalid", _("Periksa kembali isian yang ditandai."), fields),
        status=422,
    )


# --- transport-level failures -------------------------------------------------------------


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    if isinstance(exc, InvalidToken):
        body = _envelope(
            "invalid_token", _("Token API tidak dikenal, sudah kedaluwarsa atau sudah dicabut.")
        )
        response = api.create_response(request, body, status=401)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    return api.create_response(
        request, _envelope("unauthenticated", _("Silakan masuk terlebih dahulu.")), status=401
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, _UnsupportedMediaType):
        body = _envelope(
            "unsupported_media_type",
            _("Kirim data sebagai JSON dengan header Content-Type: application/json."),
        )
        return api.create_response(request, body, status=415)
    if isinstance(cause, _MalformedJson):
        body = _envelope(
            "invalid_json",
            _("Isi permintaan bukan JSON yang valid."),
            {"body": [_("JSON tidak dapat dibaca; periksa tanda kutip, koma dan kurung.")]},
        )
        return api.create_response(request, body, status=422)
    if exc.status_code == 403 and "CSRF" in str(exc):
        body = _envelope(
            "csrf_failed",
            _("Token CSRF tidak ada atau tidak cocok; muat ulang halaman lalu coba lagi."),
        )
        return api.create_response(request, body, status=403)
    if exc.status_code == 404:
        return _not_found(request, exc)
    if isinstance(exc, Throttled):
        message = _(
            "Terlalu banyak permintaan dengan token ini; coba lagi dalam %(seconds)d detik."
        )
        body = _envelope("rate_limited", message % {"seconds": exc.wait or 60})
        return api.create_response(request, body, status=429)
    body = _envelope("http_error", _("Permintaan tidak dapat diproses."))
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, _envelope("not_found", _("Data tidak ditemukan.")), status=404
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, _envelope("too_large", _("Isi permintaan terlalu besar.")), status=413
    )


@api.exception_handler(MultiPartParserError)
def _unreadable_body(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # A malformed multipart body (read by the CSRF check of a form post): the client's fault.
    return api.create_response(
        request, _envelope("bad_request", _("Isi permintaan tidak dapat dibaca.")), status=400
    )


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A bug, not the user's fault: log it with the traceback under a reference id that the
    # envelope carries (and nothing else of the failure).
    return api.create_response(request, server_error_body(error_reference(request)), status=500)
