"""Pages for finding, reading and registering families, persons and pregnancies.

Thin function views: parse with a form → call a selector (reads, scoped and audited) or a
service (writes) → render the page, or its `_partial.html` fragment for htmx. Domain errors go
back onto the form fields with the services' own messages; nothing typed is lost.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ilp.accounts.access import can_register, can_view_personal_data, scope_villages
from ilp.accounts.views import STAGE_LABELS, client_ip, is_htmx, role_required
from ilp.core.exceptions import ApplicationError, PermissionDenied
from ilp.people.duplicates import find_duplicates
from ilp.people.forms import (
    DATE_INPUT_FORMATS,
    FamilyForm,
    MemberAddForm,
    MemberFormSet,
    PersonSearchForm,
    PregnancyForm,
    area_choices,
    parse_uuid,
)
from ilp.people.identity import check_kk_number
from ilp.people.models import NikFlag, Sex
from ilp.people.selectors import (
    family_detail,
    family_members,
    person_detail,
    person_life_stage,
    person_pregnancies,
    person_search,
    person_timeline,
    persons_visible,
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
    visible = set(persons_visible(request.user).filter(pk__in=all_ids).values_list("pk", flat=True))
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
        results = person_search(request.user, form.cleaned_data["q"], ip=client_ip(request))
    context = {"form": form, "results": results, "can_register": can_register(request.user)}
    if is_htmx(request):
        return render(request, "people/_search_results.html", context)
    return render(request, "people/search.html", context)


@require_GET
@role_required(can_view_personal_data)
def person_page(request: HttpRequest, person_uuid: UUID) -> HttpResponse:
    """One person: identity with NIK warnings, address, life stages, family, pregnancies."""
    person = person_detail(request.user, person_uuid, ip=client_ip(request))
    stage = person_life_stage(person)
    members = family_members(request.user, person.family) if person.family_id else []
    context = {
        "person": person,
        "nik_warnings": [_NIK_FLAG_LABELS.get(f, f) for f in person.nik_flags or []],
        "stage_labels": [STAGE_LABELS[s] for s in stage["stages"]],
        "main_stage": STAGE_LABELS.get(stage["main"] or "", ""),
        "members": [m for m in members if m.pk != person.pk],
        "pregnancies": person_pregnancies(person),
        "timeline": person_timeline(person),
        "can_register": can_register(request.user),
        "is_female": person.sex == Sex.FEMALE,
    }
    return render(request, "people/person.html", context)


@require_GET
@role_required(can_view_personal_data)
def family_page(request: HttpRequest, family_uuid: UUID) -> HttpResponse:
    """One family (KK): number, address and the members the user may see."""
    family = family_detail(request.user, family_uuid, ip=client_ip(request))
    context = {
        "family": family,
        "members": family_members(request.user, family),
        "can_register": can_register(request.user),
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
                    actor=request.user,
                    kk_number=form.cleaned_data["kk_number"],
                    members=[r.person_data() for r in rows],
                    **_address_kwargs(form),
                    address=form.cleaned_data["address"],
                    confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
                    ip=client_ip(request),
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
    family = family_detail(request.user, family_uuid, ip=client_ip(request))
    form = MemberAddForm(request.POST or None)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        try:
            person = person_register(
                actor=request.user,
                data=form.person_data(),
                rt=family.rt,
                hamlet=family.hamlet,
                village=family.village,
                address=family.address,
                family=family,
                confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
                ip=client_ip(request),
            )
        except DuplicateSuspected as exc:
            duplicates = _duplicate_report(request, exc, {"": form.cleaned_data["full_name"]})
            form.add_error(None, str(exc.message))
        except ApplicationError as exc:
            _put_errors(exc, form)
        else:
            messages.success(request, _("%(name)s tersimpan.") % {"name": person.full_name})
            return redirect("people:person", person_uuid=person.uuid)
    context = {"family": family, "form": form, "duplicates": duplicates}
    return render(request, "people/member_add.html", context)


@require_http_methods(["GET", "POST"])
@role_required(can_register)
def pregnancy_add(request: HttpRequest, person_uuid: UUID) -> HttpResponse:
    """'Catat kehamilan' for a woman: LMP or EDD and G/P/A."""
    person = person_detail(request.user, person_uuid, ip=client_ip(request))
    form = PregnancyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            pregnancy_register(
                actor=request.user,
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
            if field == "nik" and find_duplicates(
                nik=checked_nik, full_name="", birth_date=None, village_id=None
            ):
                errors.append(_("NIK ini sudah terdaftar untuk penduduk lain."))
    return render(request, "people/_field_check.html", {"errors": errors, "warnings": warnings})


@require_GET
@role_required(can_register)
def area_options(request: HttpRequest) -> HttpResponse:
    """The RT options of one desa in the user's scope (htmx, for the area picker)."""
    raw = request.GET.get("village", "")
    village_uuid = parse_uuid(raw)
    village = None
    if village_uuid is not None:
        village = scope_villages(request.user).filter(uuid=village_uuid).first()
    if raw and village is None:
        choices = area_choices(request.user, None)[:1]
    else:
        choices = area_choices(request.user, village)
    # The same select the form renders, swapped in whole by htmx.
    select = forms.Select(choices=choices).render("area", "", attrs={"id": "id_area"})
    return HttpResponse(select)
