"""Pages of the coaching checklists: the district's checklist per cluster with its version
history, one version (an old one read-only, marked as such), the Dinkes' edit (saving
publishes a new version), the example first checklists, and a visit's answer to one item
(htmx swaps the item and the cluster's score; without script the visit page reloads)."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ilp.accounts.access import (
    can_join_teams,
    can_manage_checklists,
    can_read_checklists,
    is_team_member,
    role_required,
)
from ilp.accounts.models import Cluster, User
from ilp.accounts.views import is_htmx
from ilp.core.exceptions import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from ilp.evaluation import selectors, selectors_checklists, services_checklists
from ilp.evaluation.forms import apply_error
from ilp.evaluation.forms_checklists import (
    AnswerForm,
    ChecklistItemFormSet,
    ChecklistMetaForm,
    answer_choices,
    item_drafts,
    item_initial,
)
from ilp.evaluation.models import (
    ChecklistVersion,
    CoachingVisit,
)
from ilp.evaluation.services import NOT_IN_VISIT_CHECKLIST

CLUSTER_LABELS = dict(Cluster.choices)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@role_required(can_read_checklists)
@require_http_methods(["GET"])
def checklists(request: HttpRequest) -> HttpResponse:
    """Each cluster's checklist: its current version and the history of versions."""
    user = _user(request)
    clusters = selectors_checklists.district_checklists(user)
    return render(
        request,
        "evaluation/checklists.html",
        {
            "clusters": clusters,
            "can_manage": can_manage_checklists(user),
            "none_written": all(c.current is None for c in clusters),
        },
    )


@role_required(can_read_checklists)
@require_http_methods(["GET"])
def checklist_version(request: HttpRequest, version_uuid: str) -> HttpResponse:
    """One version with its items; an old version says so and links to the current."""
    user = _user(request)
    version = selectors_checklists.checklist_version_get(user, version_uuid)
    latest = selectors_checklists.latest_numbers(user).get(version.checklist_id, version.number)
    return render(
        request,
        "evaluation/checklist_version.html",
        {
            "version": version,
            "is_current": version.number == latest,
            "latest": latest,
            "can_manage": can_manage_checklists(user),
        },
    )


def _base_version(user: User, meta: ChecklistMetaForm) -> ChecklistVersion | None:
    base = meta.cleaned_data.get("base")
    if base is None:
        return None
    try:
        return selectors_checklists.checklist_version_get(user, base)
    except NotFound:
        meta.add_error(None, _("Versi yang diubah tidak ditemukan; buka versi terbaru."))
        return None


@role_required(can_manage_checklists)
@require_http_methods(["GET", "POST"])
def checklist_edit(request: HttpRequest, cluster: str) -> HttpResponse:
    """Edit a cluster's checklist: the current items (or, with ``?dari=<version>``, an older
    version's, to bring back) in order; saving publishes the next version."""
    if cluster not in CLUSTER_LABELS:
        raise Http404
    user = _user(request)
    language = get_language() or "id"
    current = selectors_checklists.checklist_current(user, cluster)
    source = current
    if request.method == "GET" and request.GET.get("dari"):
        try:
            source = selectors_checklists.checklist_version_get(user, UUID(request.GET["dari"]))
        except (NotFound, ValueError):
            source = current
        if source is not None and source.checklist.cluster != cluster:
            source = current
    meta = ChecklistMetaForm(
        request.POST or None, initial={"base": current.uuid if current else None}
    )
    formset = ChecklistItemFormSet(
        request.POST or None,
        initial=item_initial(source),
        form_kwargs={"language": language},
        prefix="items",
    )
    status = 200
    if request.method == "POST":
        status = 422
        if meta.is_valid() and formset.is_valid():
            base = _base_version(user, meta)
            if not meta.errors:
                try:
                    version = services_checklists.checklist_publish(
                        user=user,
                        cluster=cluster,
                        base=base,
                        items=item_drafts(formset),
                        note=meta.cleaned_data["note"],
                    )
                except ApplicationError as exc:
                    apply_error(meta, exc)
                else:
                    messages.success(
                        request,
                        _(
                            "Versi %(number)s diterbitkan; kunjungan yang baru direncanakan "
                            "memakainya."
                        )
                        % {"number": version.number},
                    )
                    return redirect("evaluation:checklists")
    context = {
        "cluster_label": CLUSTER_LABELS[cluster],
        "current": current,
        "source": source,
        "meta": meta,
        "formset": formset,
    }
    return render(request, "evaluation/checklist_form.html", context, status=status)


@role_required(can_manage_checklists)
@require_POST
def checklist_seed(request: HttpRequest) -> HttpResponse:
    """Publish the example checklist for the clusters that have none yet."""
    published = services_checklists.checklist_seed_example(user=_user(request))
    if published:
        messages.success(
            request,
            _(
                "Contoh daftar tilik diterbitkan untuk %(n)d klaster; sesuaikan dengan "
                "kebijakan Dinas Kesehatan."
            )
            % {"n": len(published)},
        )
    else:
        messages.info(request, _("Setiap klaster sudah punya daftar tilik."))
    return redirect("evaluation:checklists")


def checklist_blocks(
    visit: CoachingVisit, answer_error: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The visit's checklists as the page shows them: per cluster its version and score, each
    item with its answer code, label and note (for the item whose answer was refused: what
    was typed, and the refusal)."""
    labels = dict(answer_choices())
    blocks = []
    for found in selectors_checklists.visit_checklists(visit):
        rows = []
        for row in found.rows:
            shown = {
                "item": row.item,
                "answer": row.answer.answer if row.answer else "",
                "note": row.answer.note if row.answer else "",
                "error": "",
            }
            if answer_error and answer_error["item"] == row.item.pk:
                data = answer_error["form"].data
                shown.update(
                    answer=data.get("answer", ""),
                    note=data.get("note", ""),
                    error=answer_error["message"],
                )
            shown["label"] = labels.get(row.answer.answer, "") if row.answer else ""
            rows.append(shown)
        blocks.append({"version": found.version, "score": found.score, "rows": rows})
    return blocks


@role_required(can_join_teams)
@require_POST
def visit_answer(request: HttpRequest, visit_uuid: str, item_uuid: str) -> HttpResponse:
    """The team's answer to one item of the visit's checklist. With htmx the answer is the
    item again (saved, or the refusal beside it, the input kept) and the cluster's score;
    without, the visit page (a redirect, or the page again with the refusal, status 422)."""
    user = _user(request)
    visit = selectors.visit_get(user, visit_uuid)
    if not is_team_member(user, visit.team):
        raise PermissionDenied(_("Hanya anggota tim kunjungan ini yang boleh melakukannya."))
    item = selectors_checklists.checklist_item_get(item_uuid)
    if item is None or not visit.checklist_versions.filter(pk=item.version_id).exists():
        # No item of this page to show the refusal beside: the error page says it.
        raise ValidationFailed(str(NOT_IN_VISIT_CHECKLIST))
    form = AnswerForm(request.POST)
    form.is_valid()
    error = ""
    status = 200
    try:
        services_checklists.checklist_answer(
            user=user,
            visit=visit,
            item=item,
            answer=form.cleaned_data.get("answer", ""),
            note=form.cleaned_data.get("note", ""),
        )
    except ApplicationError as exc:
        error, status = str(exc.message), exc.http_status
        visit.refresh_from_db(fields=["state"])
    answer_error = {"item": item.pk, "form": form, "message": error} if error else None
    if is_htmx(request):
        # htmx swaps only a 2xx answer: a refusal comes back as the item with its message
        # (and the input kept); the cluster's score is swapped out of band.
        for block in checklist_blocks(visit, answer_error):
            for row in block["rows"]:
                if row["item"].pk == item.pk:
                    context = {
                        "visit": visit,
                        "block": block,
                        "row": row,
                        "answers": answer_choices(),
                        "member": True,
                        "saved": not error,
                        "oob": True,
                    }
                    return render(request, "evaluation/_checklist_item.html", context)
        raise ValidationFailed(str(NOT_IN_VISIT_CHECKLIST))
    if not error:
        messages.success(request, _("Jawaban disimpan."))
        return redirect(reverse("evaluation:visit", args=[visit.uuid]) + f"#butir-{item.uuid}")
    # Imported here: the visit page's module imports this one.
    from ilp.evaluation.views import visit_page

    return visit_page(request, visit, status=status, answer_error=answer_error)
