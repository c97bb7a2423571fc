"""Pages of a case's attachments: add one (the case page's form), download one, void one.

The download is open to every logged-in user as a *page* (``any_user``) on purpose: whether
the user may have the file is decided by ``attachments.attachment_for_user``, which answers
404 — never 403 — to anyone not entitled, so the answer does not tell that the case or the
file exists, and audits the refusal against the case. The file is served as an attachment
(``Content-Disposition``), never cached, never sniffed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ilp.accounts.access import any_user, client_ip, is_protection_health_staff, role_required
from ilp.accounts.models import User
from ilp.core.exceptions import ApplicationError, NotFound
from ilp.core.models import CorrectionReason
from ilp.core.uploads import download_response
from ilp.protection import attachments, selectors
from ilp.protection.models_attachment import Attachment, AttachmentKind


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis lampiran"),
        choices=[("", "—"), *AttachmentKind.choices],
        required=False,
    )
    file = forms.FileField(
        label=gettext_lazy("Berkas (PDF, JPEG atau PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class VoidForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Alasan pembatalan"),
        choices=[("", "—"), *CorrectionReason.choices],
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("Keterangan"), max_length=255, required=False)


def attachment_context(user: Any, case: Any, form: AttachmentForm | None = None) -> dict[str, Any]:
    """What the case page's attachment section needs (``protection/_attachments.html``)."""
    return {
        "attachments": attachments.attachments_for(user, case),
        "attachment_form": form or AttachmentForm(),
        "attachment_void_form": VoidForm(),
        "attachment_max_bytes": attachments.max_bytes(),
    }


def _case(request: HttpRequest, case_uuid: Any, what: str) -> Any:
    return selectors.case_for_user(
        user=request.user, case_uuid=case_uuid, ip=client_ip(request), what=what
    )


@role_required(is_protection_health_staff)
@require_POST
def attachment_add(request: HttpRequest, case_uuid: Any) -> HttpResponse:
    """Attach a file to the case (its health circle); a refused file shows its message on
    the form in the case page (422), nothing stored."""
    from ilp.protection.forms import apply_error
    from ilp.protection.views import _detail_context  # the case page's

    user = cast(User, request.user)
    case = _case(request, case_uuid, "attachment")
    try:
        form = AttachmentForm(request.POST, request.FILES)
        valid = form.is_valid()
    except (RequestDataTooBig, TooManyFilesSent):
        form, valid = AttachmentForm(), False
        form.add_error(None, _("Berkas terlalu besar untuk dikirim."))
    if valid:
        try:
            attachments.attachment_add(
                user=user,
                case=case,
                upload=form.cleaned_data.get("file"),
                kind=form.cleaned_data.get("kind") or "",
                ip=client_ip(request),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Lampiran disimpan (terenkripsi)."))
            return redirect("protection:detail", case_uuid=case.uuid)
    context = _detail_context(request, case, attachment_form=form)
    return render(request, "protection/detail.html", context, status=422)


@role_required(any_user)
@require_GET
def attachment_download(request: HttpRequest, case_uuid: Any, attachment_uuid: Any) -> HttpResponse:
    """The file, for a user entitled to it; 404 for anyone else (audited)."""
    found, data = attachments.attachment_for_user(
        user=request.user,
        case_uuid=case_uuid,
        attachment_uuid=attachment_uuid,
        ip=client_ip(request),
    )
    return download_response(data, name=found.name, content_type=found.content_type)


@role_required(is_protection_health_staff)
@require_POST
def attachment_void(request: HttpRequest, case_uuid: Any, attachment_uuid: Any) -> HttpResponse:
    """Void an attachment with a reason (the row stays; it is no longer served)."""
    user = cast(User, request.user)
    case = _case(request, case_uuid, "attachment_void")
    found = Attachment.objects.defer("sealed").filter(case=case, uuid=attachment_uuid).first()
    if found is None:
        raise NotFound(_("Lampiran tidak ditemukan."))
    form = VoidForm(request.POST)
    form.is_valid()
    try:
        attachments.attachment_void(
            user=user,
            case=case,
            attachment=found,
            reason=form.cleaned_data.get("reason") or "",
            note=form.cleaned_data.get("note") or "",
            ip=client_ip(request),
        )
    except ApplicationError as exc:
        details = "; ".join(m for msgs in exc.fields.values() for m in msgs)
        messages.error(request, details or str(exc.message))
    else:
        messages.success(request, _("Lampiran dibatalkan."))
    return redirect("protection:detail", case_uuid=case.uuid)
