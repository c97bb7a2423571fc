"""A person's care page and the service-package forms (ANC, delivery, KF, KN, balita,
immunisation, school, adult, elderly, home visit).

As the user types, htmx posts the form to the evaluate endpoint, which calls
``evaluate_package`` (no writes) and answers with the computed results, the alert box and the
messages under each field (out-of-band swaps). Saving calls ``encounter_record`` with the
form's client id, so a double submit is stored once; on error the form comes back with
everything typed and the services' messages next to the fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ilp.accounts.access import (
    CorrectionRights,
    can_record,
    can_view_personal_data,
    recording_facility,
    recording_place_kinds,
)
from ilp.accounts.views import client_ip, role_required
from ilp.care import services as care_services
from ilp.care.charts import chart_points, charts_for, growth_chart_svg
from ilp.care.evaluation import ages
from ilp.care.evaluation.registry import (
    ALLOWED,
    PACKAGES,
    QUESTIONNAIRE_KEYS,
    REGISTRY,
    allowed_keys,
)
from ilp.care.forms import PackageForm, default_measured, hint_id
from ilp.care.models import ImmunizationRecord, Observation, ServicePackage
from ilp.care.presenters import age_text
from ilp.care.selectors import person_doses, person_encounters, person_open_tasks
from ilp.care.services import plausibility as P
from ilp.care.services.corrections import DOSE_FIELDS, OBSERVATION_FIELDS
from ilp.care.views.common import put_errors
from ilp.care.views.results import alert_lines, alert_rows, decorate
from ilp.core.corrections import history_entries
from ilp.core.exceptions import ApplicationError, Conflict, ValidationFailed
from ilp.people.models import Person, PregnancyOutcome
from ilp.people.selectors import person_detail, person_life_stage

PACKAGE_LABELS = dict(ServicePackage.choices)
CHART_MONTHS = 60


def packages_for(person: Person, on: date) -> list[str]:
    """The service packages that fit the person on `on`: the pregnancy packages by her
    pregnancies, the others by the age band of their registry entry (the band their
    evaluator accepts, ``ilp.care.evaluation.ages``)."""
    months = ages.months_on(person.birth_date, on)
    out: list[str] = []
    pregnant = False
    if person.sex == "F":
        pregnancies = list(person.pregnancies.active())
        pregnant = any(p.outcome == PregnancyOutcome.ONGOING for p in pregnancies)
        recent = any(p.outcome_date and 0 <= (on - p.outcome_date).days <= 42 for p in pregnancies)
        if pregnant:
            out += ["anc", "delivery"]
        if pregnant or recent:
            out.append("postpartum")
    if ages.is_newborn(person.birth_date, on):
        out.append("newborn")
    for package in ("child", "immunization", "school", "adult", "elderly"):
        band = REGISTRY[package].band
        if band is not None and months in band:
            out.append(package)
    if "immunization" not in out and person.sex == "F":
        out.append("immunization")  # Td for women of any age, pregnant or not
    if "elderly" in out and "adult" in out:
        out.remove("adult")  # the elderly package is the adult one and more
    out.append("home_visit")
    return [p for p in PACKAGES if p in out]  # in the order of ServicePackage


def _charts(person: Person) -> list[dict[str, Any]]:
    age_days = (timezone.localdate() - person.birth_date).days
    if age_days >= CHART_MONTHS * 30.4375 + 366:
        return []
    indicators = charts_for(age_days)
    points = chart_points(person, indicators)  # one query for every chart
    out = []
    for indicator in indicators:
        svg = growth_chart_svg(
            indicator=indicator,
            sex=person.sex,
            birth_date=person.birth_date,
            points=points[indicator],
        )
        # Built by ilp.care.charts from numbers, with every text escaped.
        out.append({"indicator": indicator, "svg": mark_safe(svg)})  # noqa: S308
    return out


@require_GET
@role_required(can_view_personal_data)
def person_care(request: HttpRequest, person_uuid) -> HttpResponse:
    """The care side of a person: services to record, recent encounters, open tasks and, for
    children under five, the growth charts."""
    person = person_detail(request.user, person_uuid, ip=client_ip(request))
    today = timezone.localdate()
    encounters = person_encounters(person)
    doses = person_doses(person)
    rights = CorrectionRights(request.user)
    measured = (
        history_entries(
            Observation,
            None,
            OBSERVATION_FIELDS,
            group_by="encounter_id",
            subject=_measurement_label,
            encounter_id__in=[e.pk for e in encounters],
        )
        if encounters
        else {}
    )
    for e in encounters:
        e.result_rows = decorate(e.results)
        e.alert_rows = alert_rows(e.alerts)
        e.can_correct = e.voided_at is None and rights.may(
            author_id=e.recorded_by_id, facility_id=e.facility_id
        )
        e.history = measured.get(e.pk, [])
    dose_history = (
        history_entries(ImmunizationRecord, [d.pk for d in doses], DOSE_FIELDS) if doses else {}
    )
    for d in doses:
        d.can_correct = d.voided_at is None and rights.may(
            author_id=d.created_by_id, facility_id=d.facility_id
        )
        d.history = dose_history.get(d.pk, [])
    tasks = person_open_tasks(person)
    # Offered only where saving would be allowed: a recording role with a facility to record
    # under (the dinkes administrator has none), for a person not voided. The person came
    # through the user's scope and one's own facility is always a recording one, so this is
    # `may_record_for` without asking the database again.
    may_record = recording_facility(request.user) is not None and person.voided_at is None
    packages = packages_for(person, today) if may_record else []
    return render(
        request,
        "care/person.html",
        {
            "person": person,
            "stage": person_life_stage(person, today),
            "packages": [(p, PACKAGE_LABELS[p]) for p in packages],
            "encounters": encounters,
            "doses": doses,
            "can_add_book_dose": can_record(request.user)
            and person.voided_at is None
            and ages.BOOK_DOSES.holds(person.birth_date, today),
            "tasks": tasks,
            "charts": _charts(person),
            "highlight": request.GET.get("baru", ""),
        },
    )


_DERIVED_LABELS = {"bmi": gettext_lazy("IMT"), "gestational_age": gettext_lazy("Usia kehamilan")}


def _measurement_label(row, name: str, label: str) -> str:
    """What a measurement's history entry is about: "Berat badan" for its value, "Berat
    badan: <field>" for its other fields."""
    spec = P.SPECS.get(row.code)
    what = str(spec.label if spec is not None else _DERIVED_LABELS.get(row.code, row.code))
    return what if name in ("value", "value_text") else f"{what}: {label}"


def _build_form(request: HttpRequest, person: Person, package: str, data=None) -> PackageForm:
    today = timezone.localdate()
    initial: dict[str, Any] = {"on": today}
    # A user without a recording facility still sees the form (saving then says why not).
    kinds = recording_place_kinds(request.user) or ["home"]
    # A home visit happens at home (the task's "record the home visit" opens this form).
    initial["place_kind"] = "home" if package == ServicePackage.HOME_VISIT else kinds[0]
    if "measured" in ALLOWED[package]:
        initial["measured"] = default_measured(person.birth_date, today)
    return PackageForm(
        data,
        package=package,
        allowed=allowed_keys(package, person),
        place_kinds=kinds,
        initial=initial,
    )


def _evaluate(person: Person, form: PackageForm, package: str):
    on = form.visit_date() or timezone.localdate()
    return care_services.evaluate_package(
        person=person,
        on=on,
        package=package,
        values=form.values(),
        confirmed=form.data.get("confirm_unusual") in ("on", "true", "1"),
    )


def _check_package(package: str) -> None:
    if package not in ALLOWED:
        raise Http404


def _results_context(evaluation, form: PackageForm | None = None) -> dict[str, Any]:
    field_keys = set()
    if form is not None:
        field_keys = set(form.fields) | set(QUESTIONNAIRE_KEYS) | {"on"}
    general = []
    for key, msgs in (evaluation.errors or {}).items():
        name = key.replace(".", "-")
        if name not in field_keys and key not in field_keys:
            general.extend(msgs)
    return {
        "results": decorate(evaluation.results),
        "alerts": alert_lines(evaluation.alerts),
        "errors": evaluation.errors,
        "warnings": evaluation.warnings,
        "general_errors": general,
        "has_warnings": bool(evaluation.warnings),
    }


@require_http_methods(["GET", "POST"])
@role_required(can_record)
def package_form(request: HttpRequest, person_uuid, package: str) -> HttpResponse:
    """Show or save one service package for one person."""
    _check_package(package)
    person = person_detail(request.user, person_uuid, ip=client_ip(request))
    facility = recording_facility(request.user)
    form = _build_form(request, person, package, request.POST if request.method == "POST" else None)
    evaluation = None
    status = 200
    if request.method == "POST":
        if facility is None:
            form.add_error(None, _("Akun Anda tidak terhubung ke posyandu, pustu atau puskesmas."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                result = care_services.encounter_record(
                    actor=request.user,
                    person=person,
                    on=data["on"],
                    package=package,
                    place_kind=data["place_kind"],
                    facility=facility,
                    values=form.values(),
                    confirm_unusual=data["confirm_unusual"],
                    client_id=data["client_id"],
                    notes=data["notes"],
                )
            except ValidationFailed as exc:
                if exc.code == "needs_confirmation":
                    # Shown as warnings under the fields (from the evaluation below).
                    form.needs_confirmation = True
                    form.add_error(None, str(exc.message))
                else:
                    # Questionnaire messages show in their fieldset (from the evaluation).
                    shown = {k: v for k, v in exc.fields.items() if k not in QUESTIONNAIRE_KEYS}
                    if shown:
                        put_errors(
                            ValidationFailed(exc.message, fields=shown),
                            form,
                            aliases=_aliases(form),
                        )
                    else:
                        form.add_error(None, str(exc.message))
            except Conflict as exc:
                form.add_error(None, str(exc.message))
            else:
                if result.created:
                    messages.success(
                        request,
                        _("%(package)s untuk %(name)s tersimpan.")
                        % {"package": PACKAGE_LABELS[package], "name": person.full_name},
                    )
                else:
                    messages.info(request, _("Formulir ini sudah tersimpan sebelumnya."))
                url = reverse("care:person", kwargs={"person_uuid": person.uuid})
                return redirect(f"{url}?baru={result.encounter.uuid}#enc-{result.encounter.uuid}")
        status = 422
        evaluation = _evaluate(person, form, package)
    context = {
        "person": person,
        "package": package,
        "package_label": PACKAGE_LABELS[package],
        "form": form,
        "groups": form.groups(),
        "facility": facility,
        "needs_confirmation": getattr(form, "needs_confirmation", False),
        "age_text": _age_text(person),
    }
    if evaluation is not None:
        context.update(_results_context(evaluation, form))
        if not context["needs_confirmation"]:
            context["needs_confirmation"] = bool(evaluation.warnings)
    _annotate(
        context["groups"],
        errors=evaluation.errors if evaluation is not None else {},
        warnings=evaluation.warnings if evaluation is not None else {},
    )
    return render(request, "care/package.html", context, status=status)


def _annotate(groups, *, errors: dict, warnings: dict) -> None:
    """Give every bound field its hint key and warnings, every questionnaire its messages."""
    for g in groups:
        if g.kind == "plain":
            for f in g.fields:
                f.hint_key = f.name
                f.warnings = warnings.get(f.name, [])
        elif g.kind == "doses":
            for row in g.fields:
                for f in row:
                    f.hint_key = f.name
                    key = f.name.replace("-", ".")
                    f.warnings = warnings.get(key, [])
                    # The evaluation's refusals (a dose the schedule does not allow) show on
                    # the row even when the form was stopped before saving for another reason.
                    f.service_errors = [e for e in errors.get(key, []) if e not in f.errors]
            g.errors = errors.get("doses", [])
        else:
            g.errors = errors.get(g.key, [])
            g.warnings = warnings.get(g.key, [])


def _aliases(form: PackageForm) -> dict[str, str]:
    """Service keys whose form field has another name (doses.0.x → doses-0-x)."""
    return {name.replace("-", "."): name for name in form.fields if name.startswith("doses-")}


@require_POST
@role_required(can_record)
def package_evaluate(request: HttpRequest, person_uuid, package: str) -> HttpResponse:
    """htmx: the instant results of what has been typed so far (nothing is stored)."""
    _check_package(package)
    person = person_detail(request.user, person_uuid)
    form = _build_form(request, person, package, request.POST)
    try:
        evaluation = _evaluate(person, form, package)
    except ApplicationError as exc:
        return render(
            request,
            "care/_evaluation.html",
            {"general_errors": [str(exc.message)], "oob": True, "form": form},
        )
    context = _results_context(evaluation, form)
    context["oob"] = True
    context["hints"] = _hints(form, evaluation)
    context["form"] = form
    return render(request, "care/_evaluation.html", context)


def _hints(form: PackageForm, evaluation) -> list[dict[str, Any]]:
    """One entry per field hint, so stale messages are cleared as well as new ones shown."""
    keys = [
        n
        for n in form.fields
        if "__" not in n and n not in ("client_id", "confirm_unusual", "notes", "place_kind")
    ]
    keys += [k for k in QUESTIONNAIRE_KEYS if k in form.allowed and k != "doses"]
    out = []
    for key in keys:
        service_key = key.replace("-", ".") if key.startswith("doses-") else key
        out.append(
            {
                "id": hint_id(service_key),
                "errors": evaluation.errors.get(service_key, []),
                "warnings": evaluation.warnings.get(service_key, []),
            }
        )
    return out


def _age_text(person: Person) -> str:
    return age_text(person.birth_date, timezone.localdate())
