"""One registry entry per service package: its value keys, form layout, questionnaires and band.

An entry lists the package's fieldsets (legend and value keys, in display order) and its
questionnaires; the keys a package accepts are exactly those, so a key added to a fieldset is
parsed, range-checked, labelled and offered everywhere at once. Per key, the type, labels,
unit, LOINC and plausibility limits are in `ilp.care.evaluation.fields`; questionnaire items
in `ilp.care.evaluation.questionnaires`; age bands in `ilp.care.evaluation.ages`. The form
(`ilp.care.forms.PackageForm`), the services (`ilp.care.services.plausibility.clean_values`),
the package menu and the evaluators all read from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ilp.care.evaluation import ages
from ilp.care.evaluation import questionnaires as Q
from ilp.care.evaluation.fields import SPECS, Spec
from ilp.care.models import ServicePackage
from ilp.people.models import Person


@dataclass(frozen=True, slots=True)
class PackageSpec:
    """What one service package records. ``band`` None: any age (pregnancy-bound packages
    are offered by the pregnancy, the home visit to everyone)."""

    key: str
    groups: tuple[tuple[Any, tuple[str, ...]], ...]
    questionnaires: tuple[Q.Questionnaire, ...] = ()
    band: ages.AgeBand | None = None
    visit_prefix: str = ""  # K, KF, KN: the visit series of visit_number
    visit_max: int = 0

    @property
    def value_keys(self) -> tuple[str, ...]:
        """The form's value keys in display order (questionnaires excluded)."""
        return tuple(k for _legend, keys in self.groups for k in keys)

    @property
    def keys(self) -> frozenset[str]:
        """Every value key the package accepts."""
        return frozenset(self.value_keys) | {q.key for q in self.questionnaires}

    def questionnaire(self, key: str) -> Q.Questionnaire | None:
        return next((q for q in self.questionnaires if q.key == key), None)

    def spec(self, key: str) -> Spec:
        return SPECS[key]


_BODY = ("weight", "height", "measured")
_ADULT_LAB = (_("Laboratorium sederhana"), ("glucose_fasting", "glucose_random", "hb"))
_ADULT_SMOKING = (_("Merokok"), ("smoking", "cigarettes_per_day", "smoking_years"))
_ADULT_CANCER = (_("Skrining kanker"), ("breast_exam", "iva"))
_ADULT_QUESTIONNAIRES = (Q.SRQ20, Q.PUMA, Q.TB_ADULT)

REGISTRY: dict[str, PackageSpec] = {
    "anc": PackageSpec(
        "anc",
        (
            (_("Kunjungan"), ("visit_number",)),
            (_("Pemeriksaan ibu"), ("weight", "height", "muac", "sbp", "dbp", "hb", "td_status")),
            (_("Pemeriksaan janin"), ("fundal_height", "fetal_hr")),
            (_("Pelayanan"), ("iron_tablets",)),
        ),
        (Q.KSPR,),
        visit_prefix="K",
        visit_max=6,
    ),
    "delivery": PackageSpec(
        "delivery",
        (
            (_("Persalinan"), ("attendant", "delivery_place", "delivery_mode", "birth_weight")),
            (_("Keadaan ibu"), ("sbp", "dbp", "temperature", "bleeding")),
        ),
    ),
    "postpartum": PackageSpec(
        "postpartum",
        (
            (_("Kunjungan"), ("visit_number",)),
            (
                _("Pemeriksaan ibu nifas"),
                ("sbp", "dbp", "temperature", "hb", "bleeding", "breastfeeding"),
            ),
            (_("Pelayanan"), ("vitamin_a", "iron_tablets")),
        ),
        visit_prefix="KF",
        visit_max=4,
    ),
    "newborn": PackageSpec(
        "newborn",
        (
            (_("Kunjungan"), ("visit_number",)),
            (
                _("Pemeriksaan bayi"),
                (*_BODY, "temperature", "breastfeeding", "jaundice"),
            ),
        ),
        (Q.DANGER_SIGNS,),
        visit_prefix="KN",
        visit_max=3,
    ),
    "child": PackageSpec(
        "child",
        (
            (_("Penimbangan dan pengukuran"), (*_BODY, "muac", "head", "oedema")),
            (_("Pelayanan"), ("vitamin_a", "development")),
        ),
        (Q.TB_CHILD,),
        band=ages.BALITA,
    ),
    "immunization": PackageSpec(
        "immunization",
        ((_("Keadaan anak"), ("weight", "temperature")),),
        (Q.DOSES,),
        band=ages.IMMUNIZATION,
    ),
    "school": PackageSpec(
        "school",
        (
            (_("Pengukuran"), (*_BODY, "sbp", "dbp", "hb")),
            (_("Pelayanan"), ("iron_tablets", "smoking")),
        ),
        (Q.SRQ20,),
        band=ages.SCHOOL,
    ),
    "adult": PackageSpec(
        "adult",
        (
            (_("Pengukuran"), (*_BODY, "waist", "sbp", "dbp")),
            _ADULT_LAB,
            _ADULT_SMOKING,
            _ADULT_CANCER,
        ),
        _ADULT_QUESTIONNAIRES,
        band=ages.PRODUCTIVE,
    ),
    "elderly": PackageSpec(
        "elderly",
        (
            (_("Pengukuran"), (*_BODY, "waist", "muac", "sbp", "dbp")),
            _ADULT_LAB,
            _ADULT_SMOKING,
            _ADULT_CANCER,
        ),
        (*_ADULT_QUESTIONNAIRES, Q.SKILAS, Q.BARTHEL),
        band=ages.ELDERLY,
    ),
    "home_visit": PackageSpec(
        "home_visit",
        (
            (_("Kunjungan rumah"), ("visit_result", "finding")),
            (_("Pemeriksaan"), ("weight", "sbp", "dbp", "temperature")),
        ),
    ),
}

PACKAGES: tuple[str, ...] = tuple(ServicePackage.values)
# What the posyandu session screen records for an adult: the posyandu part of the ``adult``
# and ``elderly`` packages (weight, blood pressure, waist, capillary glucose, smoking).
SESSION_ADULT_KEYS = ("weight", "sbp", "dbp", "waist", "glucose_random", "smoking")
# The value keys each package accepts (derived: fieldsets plus questionnaires).
ALLOWED: dict[str, frozenset[str]] = {key: spec.keys for key, spec in REGISTRY.items()}
FEMALE_ONLY = frozenset(key for key, spec in SPECS.items() if spec.female_only)
# Every questionnaire key, in the order the form shows them after the fieldsets.
QUESTIONNAIRE_KEYS = ("kspr", "danger_signs", "tb", "srq20", "puma", "skilas", "barthel", "doses")


def allowed_keys(package: str, person: Person) -> frozenset[str]:
    """The value keys a package's form offers this person (none for women's screening to a
    man)."""
    keys = ALLOWED.get(package, frozenset())
    return keys - FEMALE_ONLY if person.sex != "F" else keys


def visit_label(package: str, number: int | None) -> str:
    """K3, KF1, KN2: a visit number with its series' prefix ('' without a number)."""
    if number is None:
        return ""
    spec = REGISTRY.get(package)
    return f"{spec.visit_prefix if spec else ''}{number}"
