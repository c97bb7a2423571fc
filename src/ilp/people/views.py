"""Pages for finding, reading and registering families, persons and pregnancies.

Thin function views: parse with a form → call a selector (reads, scoped and audited) or a
service (writes) → render the page, or its `_partial.html` fragment for htmx. Domain errors go
back onto the form fields with the services' own messages; nothing typed is lost.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ilp.accounts.access import (
    CorrectionRights,
    can_record,
    can_record_deaths,
    can_register,
    can_view_personal_data,
    scope_villages,
)
from ilp.accounts.audit import audit_record
from ilp.accounts.models import User
from ilp.accounts.views import STAGE_LABELS, client_ip, is_htmx, role_required
from ilp.core.corrections import EditConflict, history_entries
from ilp.core.exceptions import ApplicationError, PermissionDenied
from ilp.core.pages import KEPT_IN_HISTORY, correction_page, void_page
from ilp.people import corrections
from ilp.people.corrections import (
    FAMILY_FIELDS,
    PERSON_FIELDS,
    PREGNANCY_FIELDS,
    recorder_facilities,
)
from ilp.people.duplicates import TooManyChecks, nik_existence
from ilp.people.forms import (
    DATE_INPUT_FORMATS,
    FamilyCorrectForm,
    FamilyForm,
    MemberAddForm,
    MemberFormSet,
    PersonCorrectForm,
    PersonMoveForm,
    PersonSearchForm,
    PersonVoidForm,
    PregnancyCorrectForm,
    PregnancyForm,
    VoidForm,
    area_choices,
    parse_uuid,
)
from ilp.people.identity import check_kk_number
from ilp.people.models import Family, NikFlag, Person, Pregnancy, Sex
from ilp.people.selectors import (
    family_by_kk,
    family_detail,
    family_scoped,
    family_view,
    person_by_number,
    person_detail,
    person_life_stage,
    person_pregnancies,
    person_search,
    person_timeline,
    persons_visible,
    pregnancy_detail,
    visible_mother,
)
from ilp.people.services import (
    DuplicateSuspected,
    PersonData,
    family_register,
    person_register,
    person_validate,
    pregnancy_register,
)
from ilp.places.models import AreaLevel
from ilp.standards.pregnancy_dates import may_be_pregnant

_NIK_FLAG_LABELS = dict(NikFlag.choices)


# ---------------------------------------------------------------- helpers


def _put_errors(exc: ApplicationError, form: forms.Form, rows: list[forms.Form] = ()) -> None:
    """Put a service's field errors on the form (and on member rows for ``members.<i>.x``);
    messages for fields the form does not show go to the top of the form."""
    if isinstance(exc, PermissionDenied) and "area" in form.fields:
        form.add_error("area", str(exc.message))
        return
    placed = False
    for key, msgs in exc.fields.items():
        target, name = form, key
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "members" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(rows):
                target, name = rows[index], parts[2]
        for msg in msgs:
            if name in target.fields:
                target.add_error(name, msg)
            else:
                form.add_error(None, msg)
            placed = True
    if not placed or not exc.fields:
        form.add_error(None, str(exc.message))


def _duplicate_report(
    request: HttpRequest, exc: DuplicateSuspected, typed_names: dict[str, str]
) -> list[dict[str, Any]]:
    """The suspected duplicates to show. Persons outside the user's scope are counted, not
    named: registering must not become a way to look people up elsewhere."""
    all_ids = [p.pk for found in exc.candidates.values() for p in found]
    visible = set(
        persons_visible(cast(User, request.user))
        .filter(pk__in=all_ids)
        .values_list("pk", flat=True)
    )
    report = []
    for prefix, found in exc.candidates.items():
        report.append(
            {
                "typed_name": typed_names.get(prefix, ""),
                "visible": [p for p in found if p.pk in visible],
                "hidden_count": sum(1 for p in found if p.pk not in visible),
            }
        )
    return report


def _filled_rows(formset: forms.BaseFormSet) -> list[forms.Form]:
    """The member rows the user actually filled (blank and deleted rows are skipped)."""
    rows = []
    for f in formset.forms:
        if not f.has_changed():
            continue
        if formset.can_delete and formset._should_delete_form(f):
            continue
        rows.append(f)
    return rows


# ---------------------------------------------------------------- search and reading


@require_GET
@role_required(can_view_personal_data)
def search(request: HttpRequest) -> HttpResponse:
    """Find persons by NIK, KK number, ILP number or name prefix; htmx gets the results only."""
    form = PersonSearchForm(request.GET if "q" in request.GET else None)
    results = None
    if form.is_valid():
        results = person_search(
            cast(User, request.user), form.cleaned_data["q"], ip=client_ip(request)
        )
    context = {"form": form, "results": results, "can_register": can_register(request.user)}
    if is_htmx(request):
        return render(request, "people/_search_results.html", context)
    return render(request, "people/search.html", context)


@require_GET
@role_required(can_view_personal_data)
def person_page(request: HttpRequest, person_uuid: UUID) -> HttpResponse:
    """One person: identity with NIK warnings, address, life stages, family, pregnancies,
    and for those allowed the Koreksi/Batalkan actions; the history of corrections."""
    # One audit event for everything the page shows: the person, the family members
    # listed and the mother when named (written below, once the page knows them).
    person = person_detail(cast(User, request.user), person_uuid, audit=False)
    stage = person_life_stage(person)
    family = family_scoped(cast(User, request.user), person.family) if person.family_id else None
    members = [m for m in family.members if m.pk != person.pk] if family else []
    mother = visible_mother(cast(User, request.user), person)
    pregnancies = person_pregnancies(person)
    rights = CorrectionRights(cast(User, request.user))
    authors = {r.created_by_id for r in [person, *pregnancies] if r.created_by_id}
    facilities = recorder_facilities(authors) if rights.allowed and authors else {}

    def may(record) -> bool:
        return record.voided_at is None and rights.may(
            author_id=record.created_by_id, facility_id=facilities.get(record.created_by_id)
        )

    for p in pregnancies:
        p.can_correct = may(p)
    history = history_entries(Person, [person.pk], PERSON_FIELDS).get(person.pk, [])
    if pregnancies:
        by_pregnancy = history_entries(Pregnancy, [p.pk for p in pregnancies], PREGNANCY_FIELDS)
        for p in pregnancies:
            p.history = by_pregnancy.get(p.pk, [])
    context = {
        "person": person,
        "nik_warnings": [_NIK_FLAG_LABELS.get(f, f) for f in person.nik_flags or []],
        "stage_labels": [STAGE_LABELS[s] for s in stage["stages"]],
        "main_stage": STAGE_LABELS.get(stage["main"] or "", ""),
        "family": family,
        "members": members,
        "mother": mother,
        "pregnancies": pregnancies,
        "timeline": person_timeline(person, pregnancies),
        "can_register": can_register(request.user) and person.voided_at is None,
        "can_correct": may(person),
        "history": history,
        "is_female": person.sex == Sex.FEMALE,
        "can_move": can_register(request.user) and person.voided_at is None,
        # A maternal or perinatal death (ilp.referrals; the service checks the kind fits).
        "can_record_death": can_record_deaths(request.user) and person.voided_at is None,
        # Offered only where the service would accept it: a woman of reproductive age.
        "may_add_pregnancy": person.sex == Sex.FEMALE
        and may_be_pregnant(person.birth_date, timezone.localdate()),
    }
    audit_record(
        user=request.user,
        action="view",
        object_type="person",
        object_uuid=person.uuid,
        person_id=person.pk,
        person_ids=[m.pk for m in members] + ([mother.pk] if mother else []),
        ip=client_ip(request),
    )
    return render(request, "people/person.html", context)


@require_GET
@role_required(can_view_personal_data)
def family_page(request: HttpRequest, family_uuid: UUID) -> HttpResponse:
    """One family (KK): number, address and the members the user may see; a family whose
    address is outside the user's area shows only the members inside it, and how many
    others there are, without their identity."""
    view = family_view(cast(User, request.user), family_uuid, ip=client_ip(request))
    family = view.family
    rights = CorrectionRights(cast(User, request.user))
    context = {
        "family": family,
        "view": view,
        "members": view.members,
        "can_register": view.in_scope and can_register(request.user) and family.voided_at is None,
        "can_correct": view.in_scope
        and family.voided_at is None
        and rights.may(
            author_id=family.created_by_id,
            facility_id=recorder_facilities({family.created_by_id}).get(family.created_by_id)
            if rights.allowed and family.created_by_id
            else None,
        ),
        "history": history_entries(Family, [family.pk], FAMILY_FIELDS).get(family.pk, [])
        if view.in_scope
        else [],
    }
    return render(request, "people/family.html", context)


# ---------------------------------------------------------------- registration


@require_http_methods(["GET", "POST"])
@role_required(can_register)
def family_register_view(request: HttpRequest) -> HttpResponse:
    """'Daftar keluarga baru': KK, address in the user's scope and a table of members."""
    data = request.POST.copy() if request.method == "POST" else None
    adding_row = data is not None and "add_row" in data
    if adding_row:
        # Without JavaScript the "add a member" button posts the form back with one more row.
        total = int(data.get("members-TOTAL_FORMS") or 0)
        data["members-TOTAL_FORMS"] = str(min(total + 1, 30))
    form = FamilyForm(data, user=request.user)
    formset = MemberFormSet(data, prefix="members")
    duplicates = None
    if data is not None and not adding_row:
        form_ok = form.is_valid()
        if formset.is_valid() and form_ok:
            rows = _filled_rows(formset)
            try:
                family = family_register(
                    actor=cast(User, request.user),
                    kk_number=form.cleaned_data["kk_number"],
                    members=[r.person_data() for r in rows],
                    **_address_kwargs(form),
                    address=form.cleaned_data["address"],
                    confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
                    ip=client_ip(request),
                    client_id=form.cleaned_data["client_id"],
                )
            except DuplicateSuspected as exc:
                names = {
                    f"members.{i}.": r.cleaned_data.get("full_name") for i, r in enumerate(rows)
                }
                duplicates = _duplicate_report(request, exc, names)
                form.add_error(None, str(exc.message))
            except ApplicationError as exc:
                _put_errors(exc, form, rows)
            else:
                if getattr(family, "replayed", False):
                    messages.info(request, _("Formulir ini sudah tersimpan sebelumnya."))
                else:
                    messages.success(
                        request,
                        _("Keluarga dengan %(n)d anggota tersimpan.") % {"n": len(rows)},
                    )
                return redirect("people:family", family_uuid=family.uuid)
    context = {"form": form, "formset": formset, "duplicates": duplicates}
    return render(request, "people/family_register.html", context)


def _address_kwargs(form: FamilyForm) -> dict[str, Any]:
    area = form.area_object()
    if area is None:
        return {}
    return {"rt": area} if area.level == AreaLevel.RT else {"hamlet": area}


@require_http_methods(["GET", "POST"])
@role_required(can_register)
def member_add(request: HttpRequest, family_uuid: UUID) -> HttpResponse:
    """'Tambah anggota': register one person into an existing family at its address."""
    family = family_detail(cast(User, request.user), family_uuid, ip=client_ip(request))
    form = MemberAddForm(request.POST or None)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        try:
            person = person_register(
                actor=cast(User, request.user),
                data=form.person_data(),
                rt=family.rt,
                hamlet=family.hamlet,
                village=family.village,
                address=family.address,
                family=family,
                confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
                ip=client_ip(request),
                client_id=form.cleaned_data["client_id"],
            )
        except DuplicateSuspected as exc:
            duplicates = _duplicate_report(request, exc, {"": form.cleaned_data["full_name"]})
            form.add_error(None, str(exc.message))
        except ApplicationError as exc:
            _put_errors(exc, form)
        else:
            if getattr(person, "replayed", False):
                messages.info(request, _("Formulir ini sudah tersimpan sebelumnya."))
            else:
                messages.success(request, _("%(name)s tersimpan.") % {"name": person.full_name})
            return redirect("people:person", person_uuid=person.uuid)
    context = {"family": family, "form": form, "duplicates": duplicates}
    return render(request, "people/member_add.html", context)


@require_http_methods(["GET", "POST"])
@role_required(can_register)
def pregnancy_add(request: HttpRequest, person_uuid: UUID) -> HttpResponse:
    """'Catat kehamilan' for a woman: LMP or EDD and G/P/A."""
    person = person_detail(cast(User, request.user), person_uuid, ip=client_ip(request))
    form = PregnancyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            pregnancy_register(
                actor=cast(User, request.user),
                person=person,
                lmp=d["lmp"],
                edd=d["edd"],
                gravida=d["gravida"],
                para=d["para"],
                abortus=d["abortus"],
            )
        except ApplicationError as exc:
            _put_errors(exc, form)
        else:
            messages.success(request, _("Kehamilan tercatat."))
            return redirect("people:person", person_uuid=person.uuid)
    return render(request, "people/pregnancy_add.html", {"person": person, "form": form})


# ---------------------------------------------------------------- htmx helpers


def _parse_date(raw: str) -> tuple[Any, str | None]:
    field = forms.DateField(input_formats=DATE_INPUT_FORMATS, required=False)
    try:
        return field.clean(raw), None
    except forms.ValidationError:
        return None, _("Tanggal tidak valid; tulis sebagai HH-BB-TTTT, misalnya 12-03-1985.")


@require_POST
@role_required(can_register)
def check_field(request: HttpRequest) -> HttpResponse:
    """Check one field as the user types (htmx): the same checks the services run, shown
    under the field. Errors will refuse the record; warnings (NIK flags) will not."""
    name = request.headers.get("HX-Trigger-Name", "")
    prefix, _sep, field = name.rpartition("-")

    def value(f: str) -> str:
        return request.POST.get(f"{prefix}-{f}" if prefix else f, "").strip()

    errors: list[str] = []
    warnings: list[str] = []
    if field == "kk_number":
        if value("kk_number"):
            _kk, error = check_kk_number(value("kk_number"))
            errors += [error] if error else []
    elif field in ("nik", "sex", "birth_date", "bpjs_number"):
        birth_date, date_error = _parse_date(value("birth_date"))
        data = PersonData(
            full_name=value("full_name"),
            sex=value("sex"),
            birth_date=birth_date,
            nik=value("nik"),
            bpjs_number=value("bpjs_number"),
        )
        found, checked_nik, nik_flags = person_validate(data)
        if field == "birth_date":
            errors += [date_error] if date_error else []
            if value("birth_date") and not date_error:
                errors += found.get("birth_date", [])
        elif field == "sex":
            pass  # a missing sex is reported on saving; a mismatch with the NIK below
        else:
            errors += found.get(field, []) if value(field) else []
        if checked_nik:
            warnings += [str(_NIK_FLAG_LABELS[f]) for f in nik_flags]
            if field == "nik":
                try:
                    answer = nik_existence(request.user, checked_nik, ip=client_ip(request))
                except TooManyChecks as exc:
                    # htmx swaps only 2xx answers: the field shows the message; any other
                    # client gets the 429 it can act on.
                    context = {"errors": [str(exc.message)], "warnings": []}
                    status = 200 if is_htmx(request) else exc.http_status
                    return render(request, "people/_field_check.html", context, status=status)
                errors += [answer.message()] if answer.found else []
    return render(request, "people/_field_check.html", {"errors": errors, "warnings": warnings})


@require_GET
@role_required(can_register)
def area_options(request: HttpRequest) -> HttpResponse:
    """The RT options of one desa in the user's scope (htmx, for the area picker)."""
    raw = request.GET.get("village", "")
    village_uuid = parse_uuid(raw)
    village = None
    if village_uuid is not None:
        village = scope_villages(cast(User, request.user)).filter(uuid=village_uuid).first()
    if raw and village is None:
        choices = area_choices(cast(User, request.user), None)[:1]
    else:
        choices = area_choices(cast(User, request.user), village)
    # The same select the form renders, swapped in whole by htmx.
    select = forms.Select(choices=choices).render("area", "", attrs={"id": "id_area"})
    return HttpResponse(select)


# ---------------------------------------------------------------- corrections


def _correction_failed(exc: ApplicationError, form: forms.Form, context: dict[str, Any]) -> None:
    """Put a refused correction back on the form: a conflict shows what the other editor
    changed and carries the stored version (what the user typed stays in the form). A
    refusal of the user's rights is not a form error: it becomes the 403 page."""
    if isinstance(exc, PermissionDenied):
        raise exc
    if isinstance(exc, EditConflict):
        context["conflict"] = exc  # shown above the form, with what changed
        form.keep_version(exc.version)
    else:
        _put_errors(exc, form)


@require_http_methods(["GET", "POST"])
@role_required(can_record)
def person_correct_view(request: HttpRequest, person_uuid: UUID) -> HttpResponse:
    """'Koreksi data penduduk': the person's fields, prefilled, with a reason; the rename
    updates the search, the history keeps the old values."""
    person = person_detail(cast(User, request.user), person_uuid, ip=client_ip(request))
    form = PersonCorrectForm(request.POST or None, user=cast(User, request.user), person=person)
    context: dict[str, Any] = {"person": person, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            changed = corrections.person_correct(
                actor=cast(User, request.user),
                person=person,
                new=corrections.PersonCorrection(
                    data=form.person_data(),
                    area=form.area_object(),
                    address=form.cleaned_data["address"],
                    deceased_on=form.cleaned_data["deceased_on"],
                ),
                version=form.seen_version(),
                reason=form.correction_reason(),
                ip=client_ip(request),
            )
        except ApplicationError as exc:
            _correction_failed(exc, form, context)
        else:
            if changed:
                messages.success(request, _("Koreksi tersimpan."))
            else:
                messages.info(request, _("Tidak ada yang berubah."))
            return redirect("people:person", person_uuid=person.uuid)
    return _person_form_page(
        request,
        context,
        person,
        title=_("Koreksi data penduduk"),
        footnote=KEPT_IN_HISTORY,
        submit=_("Simpan koreksi"),
    )


def _person_form_page(
    request: HttpRequest, context: dict[str, Any], person: Person, **texts: Any
) -> HttpResponse:
    """A correction-style page about one person (the correction and the move)."""
    return correction_page(
        request,
        context,
        subject=person.full_name,
        detail=person.local_id,
        back=reverse("people:person", args=[person.uuid]),
        **texts,
    )


@require_http_methods(["GET", "POST"])
@role_required(can_record)
def person_void_view(request: HttpRequest, person_uuid: UUID) -> HttpResponse:
    """'Batalkan data penduduk': a person registered by mistake or twice stops counting
    everywhere (never deleted)."""
    person = person_detail(cast(User, request.user), person_uuid, ip=client_ip(request))
    form = PersonVoidForm(request.POST or None, initial={"version": person.version})
    context: dict[str, Any] = {"person": person, "form": form}
    if request.method == "POST" and form.is_valid():
        kept = None
        number = form.cleaned_data["duplicate_of"]
        if number:
            kept = person_by_number(cast(User, request.user), number)
            if kept is None:
                form.add_error("duplicate_of", _("Tidak ditemukan di wilayah Anda."))
        if form.is_valid():
            try:
                corrections.person_void(
                    actor=cast(User, request.user),
                    person=person,
                    version=form.seen_version(),
                    reason=form.correction_reason(),
                    duplicate_of=kept,
                    ip=client_ip(request),
                )
            except ApplicationError as exc:
                _correction_failed(exc, form, context)
            else:
                messages.success(request, _("Data penduduk dibatalkan."))
                if kept is not None:
                    return redirect("people:person", person_uuid=kept.uuid)
                return redirect("people:person", person_uuid=person.uuid)
    back = reverse("people:person", args=[person.uuid])
    return void_page(request, context, subject=person.full_name, back=back, detail=person.local_id)


@require_http_methods(["GET", "POST"])
@role_required(can_register)
def person_move_view(request: HttpRequest, person_uuid: UUID) -> HttpResponse:
    """'Pindah keluarga': move a person into another family (KK), possibly of another area
    the user also serves; deliberate, with a reason, audited."""
    person = person_detail(cast(User, request.user), person_uuid, ip=client_ip(request))
    form = PersonMoveForm(
        request.POST or None,
        initial={"version": person.version, "relationship": person.relationship},
    )
    context: dict[str, Any] = {"person": person, "form": form}
    if request.method == "POST" and form.is_valid():
        family = family_by_kk(cast(User, request.user), form.cleaned_data["kk_number"])
        if family is None:
            form.add_error(
                "kk_number", _("Keluarga dengan nomor KK ini tidak ada di wilayah Anda.")
            )
        else:
            try:
                corrections.person_move_family(
                    actor=cast(User, request.user),
                    person=person,
                    family=family,
                    relationship=form.cleaned_data["relationship"],
                    version=form.seen_version(),
                    reason=form.correction_reason(),
                    ip=client_ip(request),
                )
            except ApplicationError as exc:
                _correction_failed(exc, form, context)
            else:
                messages.success(request, _("Penduduk dipindahkan ke keluarga baru."))
                return redirect("people:person", person_uuid=person.uuid)
    return _person_form_page(
        request,
        context,
        person,
        title=_("Pindah keluarga"),
        help=_("Pindahkan hanya bila penduduk ini memang pindah KK; tercatat di riwayat."),
        submit=_("Pindahkan"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_record)
def family_correct_view(request: HttpRequest, family_uuid: UUID) -> HttpResponse:
    """'Koreksi data keluarga': KK number and address."""
    family = family_detail(cast(User, request.user), family_uuid, ip=client_ip(request))
    form = FamilyCorrectForm(request.POST or None, user=cast(User, request.user), family=family)
    context: dict[str, Any] = {"family": family, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            corrections.family_correct(
                actor=cast(User, request.user),
                family=family,
                kk_number=form.cleaned_data["kk_number"],
                area=form.area_object(),
                address=form.cleaned_data["address"],
                version=form.seen_version(),
                reason=form.correction_reason(),
            )
        except ApplicationError as exc:
            _correction_failed(exc, form, context)
        else:
            messages.success(request, _("Koreksi tersimpan."))
            return redirect("people:family", family_uuid=family.uuid)
    return correction_page(
        request,
        context,
        title=_("Koreksi data keluarga"),
        subject=family.head.full_name if family.head else _("Keluarga"),
        detail=family.kk_number or "",
        back=reverse("people:family", args=[family.uuid]),
        help=_("Alamat tiap anggota dikoreksi pada data anggota itu."),
        submit=_("Simpan koreksi"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_record)
def pregnancy_correct_view(request: HttpRequest, pregnancy_uuid: UUID) -> HttpResponse:
    """'Koreksi kehamilan': dates, G-P-A and outcome."""
    pregnancy = pregnancy_detail(cast(User, request.user), pregnancy_uuid, ip=client_ip(request))
    form = PregnancyCorrectForm(request.POST or None, pregnancy=pregnancy)
    context: dict[str, Any] = {"person": pregnancy.person, "pregnancy": pregnancy, "form": form}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            corrections.pregnancy_correct(
                actor=cast(User, request.user),
                pregnancy=pregnancy,
                lmp=d["lmp"],
                edd=d["edd"],
                gravida=d["gravida"],
                para=d["para"],
                abortus=d["abortus"],
                outcome=d["outcome"],
                outcome_date=d["outcome_date"],
                version=form.seen_version(),
                reason=form.correction_reason(),
            )
        except ApplicationError as exc:
            _correction_failed(exc, form, context)
        else:
            messages.success(request, _("Koreksi tersimpan."))
            return redirect("people:person", person_uuid=pregnancy.person.uuid)
    return correction_page(
        request,
        context,
        title=_("Koreksi kehamilan"),
        subject=pregnancy.person.full_name,
        back=reverse("people:person", args=[pregnancy.person.uuid]),
        footnote=KEPT_IN_HISTORY,
        submit=_("Simpan koreksi"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_record)
def pregnancy_void_view(request: HttpRequest, pregnancy_uuid: UUID) -> HttpResponse:
    """'Batalkan kehamilan': a pregnancy recorded by mistake leaves every list."""
    pregnancy = pregnancy_detail(cast(User, request.user), pregnancy_uuid, ip=client_ip(request))
    form = VoidForm(request.POST or None, initial={"version": pregnancy.version})
    context: dict[str, Any] = {"person": pregnancy.person, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            corrections.pregnancy_void(
                actor=cast(User, request.user),
                pregnancy=pregnancy,
                version=form.seen_version(),
                reason=form.correction_reason(),
            )
        except ApplicationError as exc:
            _correction_failed(exc, form, context)
        else:
            messages.success(request, _("Catatan kehamilan dibatalkan."))
            return redirect("people:person", person_uuid=pregnancy.person.uuid)
    what = _("kehamilan (taksiran persalinan %(edd)s)") % {
        "edd": date_format(pregnancy.edd, "DATE_FORMAT")
    }
    back = reverse("people:person", args=[pregnancy.person.uuid])
    return void_page(request, context, subject=pregnancy.person.full_name, back=back, detail=what)
