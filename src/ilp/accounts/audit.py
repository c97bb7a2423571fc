"""The audit log: who read or changed which record, when, from where and why.

One event per request: a read of one person names it in ``person_id``; a list (search
results, work lists, a family's members, an export, an admin list page) is ONE event whose
``person_ids`` holds every person shown, so a 464-row list writes one row, not 464, and
"who opened my record" (:func:`events_for_person`) still finds it.

Every event carries a purpose (``AuditPurpose``): the caller says why it reads; reads that do
not say are recorded as care (the reason a health worker opens a record).

A call made with an API token acts as the token's user; that user object then carries the
token (`api_client`, set by `ilp.accounts.api_auth`), and every row written for the call names
the client in ``detail["client"]`` and ``detail["token"]`` without the call sites knowing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from ilp.accounts.models import AuditAction, AuditEvent, AuditPurpose

# Actions that read personal data: without an explicit purpose they are care.
_READS = frozenset({AuditAction.VIEW, AuditAction.SEARCH, AuditAction.EXPORT})


def _purpose(action: str, purpose: str | None) -> str:
    if purpose:
        return str(purpose)
    return AuditPurpose.CARE if action in _READS else ""


def audit_record(
    *,
    user: Any,
    action: str,
    object_type: str,
    object_uuid: Any = None,
    person_id: int | None = None,
    ip: str | None = None,
    detail: dict[str, Any] | None = None,
    person_ids: Iterable[int] | None = None,
    purpose: str | None = None,
) -> AuditEvent:
    """Append one audit event. Never raises on a missing user (anonymous denials count).

    `person_ids`: every person a list shows (one event for the whole list); `purpose`: an
    ``AuditPurpose`` (default: care for reads, none for writes and denials)."""
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_uuid=object_uuid,
        person_id=person_id,
        person_ids=sorted(set(person_ids)) if person_ids else [],
        purpose=_purpose(action, purpose),
        ip=ip or None,
        detail=_with_client(user, detail),
    )


def _with_client(user: Any, detail: dict[str, Any] | None) -> dict[str, Any]:
    """`detail`, plus the machine client when the user acts through an API token."""
    client = getattr(user, "api_client", None)
    if client is None:
        return detail or {}
    return {**(detail or {}), "client": client.name, "token": client.prefix}


def audit_bulk_view(
    *,
    user: Any,
    object_type: str,
    person_ids: list[int],
    ip: str | None,
    detail: dict[str, Any] | None = None,
    purpose: str | None = None,
) -> AuditEvent | None:
    """Log ONE 'view' event for a list (search results, work lists) with the ids shown."""
    if not person_ids:
        return None
    return audit_record(
        user=user,
        action=AuditAction.VIEW,
        object_type=object_type,
        person_ids=person_ids,
        ip=ip,
        detail=detail,
        purpose=purpose,
    )


def audit_export(
    *,
    user: Any,
    object_type: str,
    file_format: str,
    person_ids: Iterable[int],
    row_count: int,
    ip: str | None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Log an export (a file that leaves the system): its format, its row count and every
    person in it, as one 'export' event with the reporting purpose."""
    return audit_record(
        user=user,
        action=AuditAction.EXPORT,
        object_type=object_type,
        person_ids=person_ids,
        ip=ip,
        detail={**(detail or {}), "format": file_format, "rows": row_count},
        purpose=AuditPurpose.REPORTING,
    )


def person_events_q(person_id: int) -> Q:
    """A filter over AuditEvent: the events that read or changed `person_id`, alone or in a
    list. PostgreSQL answers the list part with the GIN index on ``person_ids``
    (``@>``); SQLite, which has no JSON containment lookup, with json_each."""
    if connection.vendor == "postgresql":
        listed = Q(person_ids__contains=[person_id])
    else:
        listed = Q(
            pk__in=RawSQL(
                "SELECT e.id FROM accounts_auditevent e, json_each(e.person_ids) j "
                "WHERE j.value = %s",
                (person_id,),
            )
        )
    return Q(person_id=person_id) | listed


def events_for_person(person_id: int) -> QuerySet[AuditEvent]:
    """Every audit event about one person ("siapa membuka data saya"), newest first."""
    return AuditEvent.objects.filter(person_events_q(person_id))


# ---------------------------------------------------------------- reading the log


def access_history(
    *,
    person_id: int | None = None,
    user_id: int | None = None,
    date_from: Any = None,
    date_to: Any = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, filtered by the person they concern, the user who acted
    and the day (inclusive); the caller checks `can_review_access` and audits the reading."""
    events = AuditEvent.objects.select_related("user", "user__facility", "user__area")
    if person_id is not None:
        events = events.filter(person_events_q(person_id))
    if user_id is not None:
        events = events.filter(user_id=user_id)
    if date_from is not None:
        events = events.filter(at__date__gte=date_from)
    if date_to is not None:
        events = events.filter(at__date__lte=date_to)
    return events.order_by("-at", "-pk")


# ---------------------------------------------------------------- the admin site


class AuditedAdminMixin:
    """Records the admin's reads of personal data: each list page as ONE event with the
    persons shown, each change page opened as one event, purpose administration. A
    ModelAdmin says which persons a row concerns with `audited_person_ids`."""

    def audited_person_ids(self, obj: Any) -> list[int]:
        """The persons one row concerns (default: the row is a person)."""
        return [obj.pk]

    def audited_row_ids(self, obj: Any) -> list[int]:
        """The persons one row of the list page shows (default: `audited_person_ids`)."""
        return self.audited_person_ids(obj)

    def _audit_admin(self, request: Any, kind: str, ids: list[int], **extra: Any) -> None:
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="admin",
            person_id=extra.pop("person_id", None),
            person_ids=ids,
            ip=request.META.get("REMOTE_ADDR") or None,
            purpose=AuditPurpose.ADMINISTRATION,
            detail={"model": self.model._meta.model_name, "page": kind, **extra},  # type: ignore[attr-defined]
        )

    def changelist_view(self, request: Any, extra_context: Any = None) -> Any:
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        cl = (getattr(response, "context_data", None) or {}).get("cl")
        if cl is not None:
            # Fills the page's result cache: the template then reads the same rows.
            rows = list(cl.result_list)
            self._audit_admin(request, "list", [p for o in rows for p in self.audited_row_ids(o)])
        return response

    def _audit_object(self, request: Any, kind: str, obj: Any) -> None:
        ids = self.audited_person_ids(obj)
        single = ids[0] if len(ids) == 1 else None
        self._audit_admin(request, kind, ids if single is None else [], person_id=single)

    def change_view(
        self, request: Any, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        obj = (getattr(response, "context_data", None) or {}).get("original")
        if obj is not None:
            self._audit_object(request, "change", obj)
        return response

    def render_history_view(
        self, request: Any, template: str, context: dict[str, Any], **kwargs: Any
    ) -> Any:
        """django-simple-history's history list and stored-version pages (old names,
        addresses, values) are reads like the change page; both render through here."""
        obj = context.get("original", context.get("object"))
        if obj is not None:
            kind = "history_version" if "original" in context else "history"
            self._audit_object(request, kind, obj)
        return super().render_history_view(request, template, context, **kwargs)  # type: ignore[misc]

    def audit_autocomplete(self, request: Any, shown: list[Any], term: str) -> None:
        """One event per autocomplete answer, with the persons it named (called by the
        admin site's autocomplete view)."""
        self._audit_admin(
            request, "autocomplete", [p for o in shown for p in self.audited_row_ids(o)]
        )
