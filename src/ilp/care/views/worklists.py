"""Work-list pages: who is due or overdue at a posyandu, pustu or puskesmas on a date (sorted
by urgency; a pustu's or puskesmas's list grouped by desa and posyandu with address, RT and
phone; printable as the kader's field sheet, exported to Excel in the reader's language), the
index of the lists as a kecamatan → puskesmas → pustu → posyandu tree, the task pages (open and
closed tasks, closing by hand), the special lists and the kohort registers. All reads go
through the scoped, audited selectors of ``ilp.care.worklists`` and ``ilp.care.kohort``; a
filter that cannot be applied (a bad date, an unknown cluster or kind) answers 400.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from ilp.accounts.access import can_record, can_view_personal_data
from ilp.accounts.audit import audit_export
from ilp.accounts.models import Role, User
from ilp.accounts.views import client_ip, role_required
from ilp.care import services as care_services
from ilp.care.exports import KOHORT_TITLES, write_kohort_xlsx, write_worklist_xlsx
from ilp.care.forms import DATE_INPUT_FORMATS, DateInput
from ilp.care.kohort import REGISTERS, columns, kohort_for_user
from ilp.care.models import (
    DONE_REASONS,
    NOT_NEEDED_REASONS,
    ServicePackage,
    Task,
    TaskCloseReason,
    TaskKind,
    TaskStatus,
)
from ilp.care.worklists import (
    ITEM_KINDS,
    SPECIAL_LISTS,
    FacilityNode,
    WorkItem,
    facilities_for_user,
    facility_for_user,
    facility_tree,
    special_lists_for_user,
    worklist_for_user,
)
from ilp.care.worklists.groups import contacts, grouped
from ilp.care.worklists.labels import ITEM_LABELS, SPECIAL_LABELS, STATE_LABELS, item_label
from ilp.care.worklists.links import readable_referrals
from ilp.care.worklists.tasks import CLOSED_DAYS, task_for_user, tasks_for_user
from ilp.core.dates import query_date
from ilp.core.exceptions import BadParameter, Conflict, ValidationFailed
from ilp.core.texts import Text
from ilp.places.models import Facility, FacilityKind
from ilp.standards.referral_findings import is_known as is_known_finding

PAGE_SIZE = 500  # rows per printed sheet
SPECIAL_HEAD = 100  # rows of each special list on the overview
CLUSTER_CHOICES = [("", _("Semua klaster")), ("k2", _("Klaster 2")), ("k3", _("Klaster 3"))]


class WorklistFilterForm(forms.Form):
    on = forms.DateField(
        label=_("Tanggal"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput
    )
    cluster = forms.ChoiceField(label=_("Klaster"), choices=CLUSTER_CHOICES, required=False)
    kind = forms.MultipleChoiceField(
        label=_("Jenis layanan"),
        choices=[(k, ITEM_LABELS.get(k, k)) for k in ITEM_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def on_date(self) -> date:
        """The list's date (default today); a malformed or implausible one is refused (400)
        rather than silently replaced by today."""
        return query_date(self.data, "on", default=timezone.localdate())


@require_GET
@role_required(can_view_personal_data)
def worklist_index(request: HttpRequest) -> HttpResponse:
    """The facilities whose work lists the user may open (a kader goes straight to theirs)."""
    if request.user.role == Role.KADER:
        own = list(facilities_for_user(request.user)[:2])
        if len(own) == 1:
            return redirect("care:worklist", code=own[0].code)
    districts = facility_tree(cast(User, request.user))
    links = _link_patterns()
    n = sum(_with_links(node, links) for d in districts for node in d.facilities)
    return render(request, "care/worklists.html", {"districts": districts, "n_facilities": n})


_CODE = "__facility__"  # stands for the code in a reversed URL


def _link_patterns() -> list[tuple[str, str, bool]]:
    """(label, URL with a placeholder for the code, posyandu only) of the index's links:
    reversed once, not once per facility (a district's 380 facilities × 4 links spent more
    time in ``reverse`` than everything else of the page)."""
    return [
        (str(_("Daftar kerja")), reverse("care:worklist", args=[_CODE]), False),
        (str(_("Tugas")), reverse("care:tasks", args=[_CODE]), False),
        (str(_("Daftar khusus")), reverse("care:special", args=[_CODE]), False),
        (str(_("Sesi posyandu")), reverse("care:posyandu", args=[_CODE]), True),
    ]


def _with_links(node: FacilityNode, patterns: list[tuple[str, str, bool]]) -> int:
    """Give the node and those below it their links; returns how many nodes there were."""
    code = quote(node.facility.code, safe="")
    posyandu = node.facility.kind == FacilityKind.POSYANDU
    node.links = [
        (label, href.replace(_CODE, code)) for label, href, only in patterns if posyandu or not only
    ]
    return 1 + sum(_with_links(child, patterns) for child in node.children)


def _filtered(request: HttpRequest, code: str) -> tuple[Any, WorklistFilterForm, list]:
    form = WorklistFilterForm(request.GET or None)
    on = form.on_date()
    cluster = kinds = None
    if form.is_bound and not form.is_valid():
        # A filter the list cannot apply is an error, not a list of everything (the date was
        # read above, by ilp.core.dates).
        fields = {k: [str(m) for m in v] for k, v in form.errors.items() if k != "on"}
        if fields:
            raise BadParameter(next(iter(fields.values()))[0], fields=fields)
    if form.is_bound:  # the fields that are valid (the date aside, all of them by now)
        cluster = form.cleaned_data.get("cluster") or None
        kinds = form.cleaned_data.get("kind") or None
    facility = facility_for_user(request.user, code)
    # Already sorted by urgency (WorkItem.sort_key).
    items = worklist_for_user(
        request.user, facility, on=on, cluster=cluster, kinds=kinds, ip=client_ip(request)
    )
    return facility, form, items


def _counts(items: list[WorkItem]) -> list[dict[str, Any]]:
    """Items per kind and state, in ITEM_KINDS order: the head of a long list."""
    counts: dict[str, dict[str, int]] = {}
    for i in items:
        kind = i.item.partition(":")[0]
        by_state = counts.setdefault(kind, {"due": 0, "overdue": 0})
        by_state[i.state] += 1
    return [
        {"label": ITEM_LABELS.get(k, k), **counts[k], "total": sum(counts[k].values())}
        for k in ITEM_KINDS
        if k in counts
    ]


@require_GET
@role_required(can_view_personal_data)
def worklist_page(request: HttpRequest, code: str) -> HttpResponse:
    facility, form, items = _filtered(request, code)
    # A pustu's or puskesmas's list by desa and posyandu, urgency first within each.
    items, groups = grouped(facility, items)
    # A whole puskesmas lists tens of thousands of items: the page shows them a sheet at a
    # time (the Excel download has them all).
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    reach = contacts(i.person.id for i in page.object_list)
    # The rujuk balik lines link to their referral for those who may open it (one query).
    readable = readable_referrals(
        cast(User, request.user),
        (i.detail.get("referral", "") for i in page.object_list if i.item == BACK_REFERRAL),
    )
    rows = []
    previous = None
    for i in page.object_list:
        group = groups.get(i.person.id)
        rows.append(
            {
                "i": i,
                "item_label": item_label(i.item),
                "state_label": STATE_LABELS.get(i.state, i.state),
                "contact": reach.get(i.person.id),
                "group": group if group != previous else None,
                **_item_actions(facility, i, readable),
            }
        )
        previous = group
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "care/worklist.html",
        {
            "facility": facility,
            "form": form,
            "items": items,
            "n_persons": len({i.person.id for i in items}),
            "page": page,
            "rows": rows,
            "counts": _counts(items) if page.paginator.num_pages > 1 else [],
            "on": form.on_date(),
            "query": filters.urlencode(),
            "registers": [(r, KOHORT_TITLES[r]) for r in REGISTERS],
        },
    )


BACK_REFERRAL = "rujuk-balik"  # the work-list item kind of a rujuk balik follow-up


def _item_actions(facility: Facility, item: WorkItem, readable: set[str]) -> dict[str, str]:
    """A task's line links to what to do (the home-visit form for a home visit or a rujuk
    balik follow-up: a visit closes it), to its close form on the task page, and a rujuk
    balik line to its referral when the reader may open it (`readable`)."""
    task = item.detail.get("task")
    if not task:
        return {}
    out = {"close_url": reverse("care:tasks", args=[facility.code]) + f"#tugas-{task}"}
    if item.item in ("kunjungan-rumah", BACK_REFERRAL):
        out["action_url"] = reverse(
            "care:package", args=[item.person.uuid, ServicePackage.HOME_VISIT]
        )
    referral = item.detail.get("referral")
    if referral and referral in readable:
        out["referral_url"] = reverse("referrals:detail", args=[referral])
    return out


def _xlsx_response(buffer: io.BytesIO, filename: str) -> HttpResponse:
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@role_required(can_view_personal_data)
def worklist_excel(request: HttpRequest, code: str) -> HttpResponse:
    facility, form, items = _filtered(request, code)
    items, groups = grouped(facility, items)
    on = form.on_date()
    buffer = io.BytesIO()
    title = _("Daftar kerja %(facility)s %(date)s") % {
        "facility": facility.name,
        "date": date_format(on, "SHORT_DATE_FORMAT"),
    }
    write_worklist_xlsx(
        items,
        buffer,
        title=str(title),
        groups=groups,
        contacts=contacts(i.person.id for i in items),
    )
    audit_export(
        user=request.user,
        object_type="worklist",
        file_format="xlsx",
        person_ids=[i.person.id for i in items],
        row_count=len(items),
        ip=client_ip(request),
        detail={"facility": facility.code, "date": on.isoformat()},
    )
    return _xlsx_response(buffer, f"daftar-kerja-{facility.code}-{on.isoformat()}.xlsx")


@require_GET
@role_required(can_view_personal_data)
def special_page(request: HttpRequest, code: str) -> HttpResponse:
    """Every special list, each cut to its first SPECIAL_HEAD rows (a puskesmas can count
    thousands of uncontrolled hypertensives); ``?list=<code>`` shows one list whole, a
    sheet of PAGE_SIZE rows at a time."""
    form = WorklistFilterForm(request.GET or None)
    on = form.on_date()
    facility = facility_for_user(request.user, code)
    chosen = request.GET.get("list")
    which = (chosen,) if chosen in SPECIAL_LISTS else SPECIAL_LISTS
    lists = special_lists_for_user(
        request.user, facility, on=on, which=which, ip=client_ip(request)
    )
    filters = request.GET.copy()
    filters.pop("page", None)
    filters.pop("list", None)
    sections = []
    for key in which:
        items = lists.get(key, [])
        if chosen:
            page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
            shown, more = page.object_list, 0
        else:
            page, shown, more = None, items[:SPECIAL_HEAD], max(0, len(items) - SPECIAL_HEAD)
        sections.append(
            {
                "code": key,
                "label": SPECIAL_LABELS.get(key, key),
                "count": len(items),
                "items": shown,
                "rows": [(item, referral_finding(key, item.code)) for item in shown],
                "more": more,
                "page": page,
            }
        )
    return render(
        request,
        "care/special.html",
        {
            "facility": facility,
            "form": form,
            "on": on,
            "sections": sections,
            "chosen": chosen in SPECIAL_LISTS,
            "filters": filters.urlencode(),
        },
    )


def _kohort(request: HttpRequest, code: str, register: str):
    if register not in REGISTERS:
        raise Http404
    form = WorklistFilterForm(request.GET or None)
    on = form.on_date()
    facility = facility_for_user(request.user, code)
    rows = kohort_for_user(request.user, facility, register, on=on, ip=client_ip(request))
    return facility, form, on, rows


def referral_finding(list_code: str, item_code: str) -> str:
    """The finding (``ilp.standards.referral_findings``) a special list's row refers from, ""
    for a row that calls for no referral: a KRT/KRST pregnancy, severe wasting, uncontrolled
    hypertension (its grade in the scheme that names it: PNPK grades, JNC 7 stages)."""
    if list_code == "risiko_tinggi":
        found = f"kspr.class.{item_code}"
    elif list_code == "gizi":
        found = "care.alert.severe_wasting" if item_code == "gizi_buruk" else ""
    elif list_code == "ht_tidak_terkendali":
        scheme = "bp_pnpk" if item_code.startswith("grade_") else "bp_jnc7"
        found = f"{scheme}.class.{item_code}"
    else:
        found = ""
    return found if found and is_known_finding(found) else ""


@require_GET
@role_required(can_view_personal_data)
def kohort_page(request: HttpRequest, code: str, register: str) -> HttpResponse:
    facility, form, on, rows = _kohort(request, code, register)
    cols = columns(register)
    table = [[_display(r.get(key)) for key, _label in cols] for r in rows]
    return render(
        request,
        "care/kohort.html",
        {
            "facility": facility,
            "form": form,
            "on": on,
            "register": register,
            "title": KOHORT_TITLES[register],
            "headers": [label for _key, label in cols],
            "rows": table,
            "query": request.GET.urlencode(),
        },
    )


def _display(value: Any) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    if value is True:
        return "✓"
    if value is False:
        return ""
    return str(value)


@require_GET
@role_required(can_view_personal_data)
def kohort_excel(request: HttpRequest, code: str, register: str) -> HttpResponse:
    facility, _form, on, rows = _kohort(request, code, register)
    buffer = io.BytesIO()
    write_kohort_xlsx(
        register, rows, buffer, title=f"{KOHORT_TITLES[register]} {facility.name} {on.year}"
    )
    audit_export(
        user=request.user,
        object_type=f"kohort_{register}",
        file_format="xlsx",
        person_ids=[r["_pk"] for r in rows],
        row_count=len(rows),
        ip=client_ip(request),
        detail={"facility": facility.code, "date": on.isoformat()},
    )
    return _xlsx_response(buffer, f"kohort-{register}-{facility.code}-{on.isoformat()}.xlsx")


# ---------------------------------------------------------------- tasks


def close_choices() -> list[tuple[Any, list[tuple[str, Any]]]]:
    """The close form's choices: ``status:reason`` grouped as done / not needed."""
    labels = dict(TaskCloseReason.choices)
    return [
        (_("Selesai"), [(f"done:{r}", labels[r]) for r in DONE_REASONS]),
        (_("Tidak diperlukan"), [(f"cancelled:{r}", labels[r]) for r in NOT_NEEDED_REASONS]),
    ]


class TaskCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Tutup sebagai"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome = cast(forms.ChoiceField, self.fields["outcome"])
        outcome.choices = [("", _("— pilih alasan —")), *close_choices()]


def task_action(task: Task) -> tuple[str, str]:
    """(label, URL) of what to do for the task: a home visit opens the home-visit form of the
    person (place: home); a follow-up or referral opens the person's care page."""
    if task.kind == TaskKind.HOME_VISIT:
        return str(_("Catat kunjungan rumah")), reverse(
            "care:package", args=[task.person.uuid, ServicePackage.HOME_VISIT]
        )
    return str(_("Buka layanan")), reverse("care:person", args=[task.person.uuid])


def _task_rows(tasks: list[Task], on: date, errors: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for t in tasks:
        label, href = task_action(t)
        rows.append(
            {
                "t": t,
                "overdue": t.status == TaskStatus.OPEN and t.due_date < on,
                "reason": render_reason(t.reason),
                "action": label,
                "action_url": href,
                "error": errors.get(str(t.uuid), ""),
            }
        )
    return rows


def render_reason(reason: Any) -> str:
    """A task's reason in the reader's language: a code with parameters (``Text`` or its
    JSON) is rendered; a sentence stored before reasons were codes is shown as it is."""
    if isinstance(reason, Text):
        return str(reason)
    if isinstance(reason, dict) and "code" in reason:
        return str(Text.from_json(reason))
    return str(reason) if reason else ""


def _tasks_context(
    request: HttpRequest, code: str, on: date, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    facility = facility_for_user(request.user, code)
    found = tasks_for_user(cast(User, request.user), facility, on=on, ip=client_ip(request))
    return {
        "facility": facility,
        "on": on,
        "open_rows": _task_rows(found.open, on, errors or {}),
        "closed_rows": _task_rows(found.closed, on, {}),
        "overdue": found.overdue,
        "close_groups": close_choices(),
        "closed_days": CLOSED_DAYS,
    }


@require_GET
@role_required(can_view_personal_data)
def tasks_page(request: HttpRequest, code: str) -> HttpResponse:
    """The tasks of a facility's area: open (overdue marked, each with its action and a close
    form) and closed in the last month (who, when, why)."""
    on = query_date(request.GET, "on", default=timezone.localdate())
    return render(request, "care/tasks.html", _tasks_context(request, code, on))


@require_POST
@role_required(can_record)
def task_close_view(request: HttpRequest, code: str, task_uuid: UUID) -> HttpResponse:
    """Close a task by hand as done or not needed, with a reason; back to the task page (with
    the refusal next to the task when the reason is missing or does not fit)."""
    facility = facility_for_user(request.user, code)
    task = task_for_user(cast(User, request.user), task_uuid)
    form = TaskCloseForm(request.POST)
    error = ""
    if form.is_valid():
        status, _sep, reason = form.cleaned_data["outcome"].partition(":")
        try:
            care_services.task_close(
                actor=cast(User, request.user), task=task, status=status, reason=reason
            )
        except ValidationFailed as exc:
            error = str(next(iter(exc.fields.values()))[0] if exc.fields else exc.message)
        except Conflict as exc:
            error = str(exc.message)
    else:
        error = str(_("Pilih alasan penutupan."))
    if not error:
        messages.success(request, _("Tugas %(name)s ditutup.") % {"name": task.person.full_name})
        return redirect("care:tasks", code=facility.code)
    context = _tasks_context(request, code, timezone.localdate(), {str(task.uuid): error})
    return render(request, "care/tasks.html", context, status=400)
