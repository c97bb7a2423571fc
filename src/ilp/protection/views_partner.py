"""Pages of a case's work with partners (under ``/perlindungan/kasus/<uuid>/``): the health
circle refers the case to a partner, cancels a referral and records the duty to inform; the
partner's staff acknowledge a referral ("Terima rujukan") and record its follow-up. The case
page shows them in ``protection/_partner_referrals.html`` (`partner_context`).

Thin like the other views: forms parse, ``services_partner`` writes (and refuses: 403 for
someone else's referral, a message on the form for bad input), ``selectors_partner`` reads."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilp.accounts.access import (
    client_ip,
    is_partner_user,
    is_protection_health_staff,
    may_refer_case,
    role_required,
)
from ilp.accounts.models import User
from ilp.core.exceptions import NotFound, ValidationFailed
from ilp.protection import selectors, selectors_partner, services_partner
from ilp.protection.forms_partner import (
    CancelReferralForm,
    FollowUpForm,
    InformForm,
    ReferToPartnerForm,
)
from ilp.protection.models import Case, CaseReferral


def _prefix(kind: str, referral_uuid: Any) -> str:
    """The form prefix of a referral's own form (its fields' ids unique on the page)."""
    return f"{kind}-{uuid.UUID(str(referral_uuid)).hex[:12]}"


def partner_context(user: Any, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    """What the case page's partner sections need (`forms`: a form sent back with errors,
    by name; ``referral``: the referral uuid a follow-up or cancel form belongs to)."""
    may_refer = may_refer_case(user, case)
    partner = is_partner_user(user)
    sent_back = str(forms.get("referral") or "")
    items = []
    for row in selectors_partner.case_referrals(user, case):
        key = str(row.referral.uuid)
        follow_up = forms.get("follow_up_form") if key == sent_back else None
        cancel_form = forms.get("cancel_form") if key == sent_back else None
        items.append(
            {
                "row": row,
                "follow_up_form": follow_up or FollowUpForm(prefix=_prefix("fu", key)),
                "cancel_form": cancel_form or CancelReferralForm(prefix=_prefix("cancel", key)),
                "open_form": "follow_up" if follow_up else "cancel" if cancel_form else "",
            }
        )
    refer_form = forms.get("refer_form")
    if refer_form is None and may_refer:
        refer_form = ReferToPartnerForm(
            prefix="refer", partners=selectors_partner.partners_for(case)
        )
    return {
        "partner_referrals": items,
        "may_refer": may_refer,
        "refer_form": refer_form,
        "follow_up_days": services_partner.follow_up_working_days(),
        "inform_form": forms.get("inform_form") or InformForm(prefix="inform"),
        "informed": [] if partner else selectors_partner.informed_of(case),
    }


def _referral(case: Case, raw: Any) -> CaseReferral:
    try:
        key = uuid.UUID(str(raw))
    except ValueError:
        key = None
    found = (
        CaseReferral.objects.filter(case=case, uuid=key).select_related("case", "partner").first()
        if key
        else None
    )
    if found is None:
        raise NotFound(_("Rujukan tidak ditemukan."))
    found.case = case
    return found


def _act(
    request: HttpRequest,
    case_uuid: Any,
    what: str,
    form: Any,
    write: Callable[[User, Case, dict[str, Any], str | None], Any],
    done: str,
    **extra: Any,
) -> HttpResponse:
    """Parse `form`, write, and go back to the case (``#case-partner-referrals``) with `done`;
    bad input shows on the form in the case page (422); a refusal is a 403 (audited)."""
    from ilp.protection.forms import apply_error
    from ilp.protection.views import _detail_context  # the case page's own

    user = cast(User, request.user)
    case = selectors.case_for_user(user=user, case_uuid=case_uuid, ip=client_ip(request), what=what)
    if isinstance(form, ReferToPartnerForm):  # the partners this case may go to
        form.fields["partner"].queryset = selectors_partner.partners_for(case)  # type: ignore[attr-defined]
    if form.is_valid():
        try:
            write(user, case, form.cleaned_data, client_ip(request))
        except ValidationFailed as exc:  # a refusal (403) or a lost referral (404) goes up
            apply_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(f"/perlindungan/kasus/{case.uuid}/#case-partner-referrals")
    context = _detail_context(request, case, **{f"{what}_form": form}, **extra)
    return render(request, "protection/detail.html", context, status=422)


@role_required(is_protection_health_staff)
@require_POST
def refer(request: HttpRequest, case_uuid: Any) -> HttpResponse:
    """Refer the case to a partner (medical, social, legal)."""

    def write(user: User, case: Case, data: dict[str, Any], ip: str | None) -> None:
        services_partner.case_refer(
            user=user,
            case=case,
            partner=data.get("partner"),
            aim=data.get("aim") or "",
            note=data.get("note") or "",
            sent_at=data.get("sent_at"),
            ip=ip,
        )

    form = ReferToPartnerForm(request.POST, prefix="refer")
    return _act(request, case_uuid, "refer", form, write, _("Kasus dirujuk ke lembaga mitra."))


@role_required(is_protection_health_staff)
@require_POST
def cancel(request: HttpRequest, case_uuid: Any, case_referral_uuid: Any) -> HttpResponse:
    """Cancel a referral to a partner, with a reason."""

    def write(user: User, case: Case, data: dict[str, Any], ip: str | None) -> None:
        services_partner.case_referral_cancel(
            user=user,
            referral=_referral(case, case_referral_uuid),
            reason=data.get("reason") or "",
            ip=ip,
        )

    form = CancelReferralForm(request.POST, prefix=_prefix("cancel", case_referral_uuid))
    done = _("Rujukan dibatalkan.")
    return _act(request, case_uuid, "cancel", form, write, done, referral=case_referral_uuid)


@role_required(is_partner_user)
@require_POST
def acknowledge(request: HttpRequest, case_uuid: Any, case_referral_uuid: Any) -> HttpResponse:
    """The partner's staff acknowledge a referral to their organisation."""
    user = cast(User, request.user)
    case = selectors.case_for_user(
        user=user, case_uuid=case_uuid, ip=client_ip(request), what="referral_ack"
    )
    referral = _referral(case, case_referral_uuid)
    try:
        services_partner.case_referral_acknowledge(
            user=user, referral=referral, ip=client_ip(request)
        )
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Rujukan diterima."))
    return redirect(f"/perlindungan/kasus/{case.uuid}/#case-partner-referrals")


@role_required(is_partner_user)
@require_POST
def follow_up(request: HttpRequest, case_uuid: Any, case_referral_uuid: Any) -> HttpResponse:
    """The partner's staff record what they did for a referral, and when."""

    def write(user: User, case: Case, data: dict[str, Any], ip: str | None) -> None:
        services_partner.case_referral_follow_up(
            user=user,
            referral=_referral(case, case_referral_uuid),
            action=data.get("action") or "",
            note=data.get("note") or "",
            at=data.get("at"),
            ip=ip,
        )

    form = FollowUpForm(request.POST, prefix=_prefix("fu", case_referral_uuid))
    return _act(
        request,
        case_uuid,
        "follow_up",
        form,
        write,
        _("Tindak lanjut dicatat."),
        referral=case_referral_uuid,
    )


@role_required(is_protection_health_staff)
@require_POST
def inform(request: HttpRequest, case_uuid: Any) -> HttpResponse:
    """Record that the duty to inform about suspected child abuse was met."""

    def write(user: User, case: Case, data: dict[str, Any], ip: str | None) -> None:
        services_partner.duty_to_inform_record(
            user=user,
            case=case,
            informed=data.get("informed") or "",
            informed_name=data.get("informed_name") or "",
            method=data.get("method") or "",
            informed_at=data.get("informed_at"),
            letter_number=data.get("letter_number") or "",
            note=data.get("note") or "",
            ip=ip,
        )

    form = InformForm(request.POST, prefix="inform")
    return _act(request, case_uuid, "inform", form, write, _("Pemberian informasi dicatat."))
