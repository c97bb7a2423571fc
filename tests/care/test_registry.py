"""The package registry is complete and consistent: a value key, questionnaire item or age
band added in one place only makes one of these fail (ilp.care.evaluation)."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

from ilp.care.evaluation import ages, fields, parse
from ilp.care.evaluation import questionnaires as Q
from ilp.care.evaluation.engine import EVALUATORS, evaluate
from ilp.care.evaluation.history import History
from ilp.care.evaluation.registry import (
    ALLOWED,
    FEMALE_ONLY,
    QUESTIONNAIRE_KEYS,
    REGISTRY,
    SESSION_ADULT_KEYS,
    allowed_keys,
)
from ilp.care.forms import AdultRowForm, PackageForm
from ilp.care.models import ServicePackage
from ilp.care.services import plausibility
from ilp.care.views.packages import packages_for
from ilp.people.models import Person
from ilp.standards import copd, elderly, tuberculosis
from ilp.standards.lifestage import completed_months


def test_every_service_package_has_one_registry_entry_and_one_evaluator():
    assert list(REGISTRY) == list(ServicePackage.values)
    assert set(EVALUATORS) == set(ServicePackage.values)
    assert all(spec.key == key for key, spec in REGISTRY.items())


@pytest.mark.parametrize("package", ServicePackage.values)
def test_every_key_of_a_package_has_a_label_a_parse_type_and_limits(package):
    spec = REGISTRY[package]
    keys = spec.value_keys
    assert len(keys) == len(set(keys)), "a key listed twice in the fieldsets"
    for key in keys:
        field = fields.SPECS[key]
        assert field.label and str(field.form_label), key
        assert field.kind in fields.KINDS and field.kind != "answers", key
        if field.kind in ("number", "int"):
            assert field.low is not None and field.high is not None, key
            assert field.low < field.high, key
        if field.kind == "choice":
            codes = field.choices
            assert codes and len(codes) == len(set(codes)), key
            assert all(str(label) for _code, label in field.options), key
    for q in spec.questionnaires:
        assert fields.SPECS[q.key].kind == "answers", q.key
        assert str(fields.SPECS[q.key].form_label), q.key
        assert q.key not in keys
        assert len(q.codes) == len(set(q.codes)), q.key
        assert all(str(label) for _code, label in q.items), q.key
    assert ALLOWED[package] == set(keys) | {q.key for q in spec.questionnaires}


def test_every_field_with_limits_is_recorded_by_some_package():
    used = set().union(*ALLOWED.values())
    assert set(fields.SPECS) == used
    assert plausibility.SPECS is fields.SPECS
    assert set(QUESTIONNAIRE_KEYS) == {k for k, s in fields.SPECS.items() if s.kind == "answers"}


def test_the_session_adult_row_records_keys_of_the_adult_and_elderly_packages():
    assert set(SESSION_ADULT_KEYS) <= ALLOWED["adult"] & ALLOWED["elderly"]
    assert set(AdultRowForm.base_fields) - {"client_id", "confirm_unusual"} == set(
        SESSION_ADULT_KEYS
    )
    assert AdultRowForm.NUMBERS == ("weight", "sbp", "dbp", "waist", "glucose_random")


def test_visit_series_match_the_visit_number_field():
    for key, spec in REGISTRY.items():
        has_visit = "visit_number" in spec.value_keys
        assert bool(spec.visit_prefix) == has_visit, key
        assert (spec.visit_max > 0) == has_visit, key
        if has_visit:
            assert spec.visit_max <= (fields.SPECS["visit_number"].high or 0)
    assert [REGISTRY[p].visit_prefix for p in ("anc", "postpartum", "newborn")] == [
        "K",
        "KF",
        "KN",
    ]


def _keywords(function, *, minus=()):
    return set(inspect.signature(function).parameters) - set(minus)


def test_questionnaire_items_are_the_keywords_of_their_rules():
    assert set(Q.TB_ADULT.codes) == _keywords(tuberculosis.screen_tb_adult)
    assert set(Q.TB_CHILD.codes) == _keywords(tuberculosis.screen_tb_child)
    assert set(Q.SKILAS.codes) == _keywords(elderly.screen_skilas, minus={"muac_cm"})
    assert set(Q.PUMA.codes) == _keywords(
        copd.score_puma,
        minus={"sex", "age_years", "cigarettes_per_day", "smoking_years", "cutoff"},
    )
    assert set(Q.BARTHEL.codes) == set(elderly.BARTHEL_ITEMS)
    assert Q.SRQ20.codes == tuple(str(i) for i in range(1, 21))
    assert REGISTRY["child"].questionnaire("tb") is Q.TB_CHILD
    assert REGISTRY["adult"].questionnaire("tb") is Q.TB_ADULT


def test_women_only_fields_are_the_cancer_screening_of_adults():
    assert {"breast_exam", "iva"} == FEMALE_ONLY
    for package, keys in ALLOWED.items():
        assert not (keys & FEMALE_ONLY) or package in ("adult", "elderly")
    man = Person(sex="M", birth_date=date(1980, 1, 1))
    woman = Person(sex="F", birth_date=date(1980, 1, 1))
    assert allowed_keys("adult", man) == ALLOWED["adult"] - FEMALE_ONLY
    assert allowed_keys("adult", woman) == ALLOWED["adult"]


@pytest.mark.parametrize("package", ServicePackage.values)
def test_the_form_has_exactly_the_registry_fields_labelled_from_it(package):
    form = PackageForm(package=package, allowed=ALLOWED[package], place_kinds=["posyandu"])
    for key in REGISTRY[package].value_keys:
        assert form.fields[key].label == fields.SPECS[key].form_label
    value_fields = {
        name
        for name in form.fields
        if name not in ("on", "place_kind", "notes", "confirm_unusual", "client_id")
        and "__" not in name
        and not name.startswith("doses-")
    }
    assert value_fields == set(REGISTRY[package].value_keys)
    legends = [str(g.legend) for g in form.groups()]
    assert legends == [str(legend) for legend, _keys in REGISTRY[package].groups] + [
        str(fields.SPECS[q.key].form_label) for q in REGISTRY[package].questionnaires
    ]


def test_the_form_hands_the_services_typed_values():
    data = {
        "weight": " 8,5 ",
        "height": "70.2",
        "measured": "lying",
        "oedema": "",
        "vitamin_a": "on",
        "development": "sesuai",
        "muac": "abc",
        "tb__done": "on",
        "tb__cough_2_weeks": "on",
    }
    form = PackageForm(data, package="child", allowed=ALLOWED["child"], place_kinds=["posyandu"])
    values = form.values()
    assert values == {
        "weight": 8.5,
        "height": 70.2,
        "measured": "lying",
        "oedema": False,
        "vitamin_a": True,
        "development": "sesuai",
        # No number: passed on as typed, for the services' own message.
        "muac": "abc",
        "tb": {
            "fever_2_weeks": False,
            "cough_2_weeks": True,
            "weight_faltering_2_months": False,
            "lethargy": False,
            "contact_history": False,
        },
    }
    doses = PackageForm(
        {
            "doses-0-dose_code": "BCG",
            "doses-0-lot_number": " L1 ",
            "doses-0-expiry_date": "31-12-2030",
        },
        package="immunization",
        allowed=ALLOWED["immunization"],
        place_kinds=["posyandu"],
    ).values()
    assert doses == {
        "doses": [{"dose_code": "BCG", "lot_number": "L1", "expiry_date": date(2030, 12, 31)}]
    }


def test_parsing_accepts_the_decimal_comma_and_refuses_what_is_no_number():
    assert parse.number("8,5") == 8.5
    assert parse.number(7) == 7.0
    for bad in (True, "nan", "inf", "8,5,1", ""):
        with pytest.raises(ValueError):
            parse.number(bad)
    assert parse.boolean("Ya") is True and parse.boolean("tidak") is False
    assert parse.choice("measured", " L ") == "lying"


def _born_months_ago(months: int, on: date) -> date:
    total = on.year * 12 + on.month - 1 - months
    birth = date(total // 12, total % 12 + 1, on.day)
    assert completed_months(birth, on) == months
    return birth


ON = date(2025, 6, 15)
EDGES = (0, 5, 6, 11, 12, 59, 60, 61, 179, 180, 215, 216, 227, 228, 719, 720, 900)


@pytest.mark.parametrize("months", EDGES)
def test_the_menu_offers_a_package_exactly_where_its_evaluator_accepts_the_age(months):
    person = Person(sex="M", birth_date=_born_months_ago(months, ON))
    offered = set(packages_for(person, ON))
    for package in ("child", "school", "adult", "elderly"):
        ev = evaluate(person=person, on=ON, package=package, values={}, history=History())
        accepted = "package" not in ev.errors
        assert accepted == (months in REGISTRY[package].band), (package, months)
        if package == "adult":
            # From 60 years the elderly package (the adult one and more) is offered instead.
            assert ("adult" in offered) == (accepted and months not in ages.ELDERLY)
        else:
            assert (package in offered) == accepted, (package, months)
    assert ("immunization" in offered) == (months < 18 * 12)
    assert "home_visit" in offered


@pytest.mark.parametrize(("days", "newborn"), [(0, True), (28, True), (29, False)])
def test_newborn_visits_are_offered_and_accepted_for_0_to_28_days(days, newborn):
    birth = date(2025, 6, 1)
    person = Person(sex="F", birth_date=birth)
    on = date.fromordinal(birth.toordinal() + days)
    ev = evaluate(person=person, on=on, package="newborn", values={}, history=History())
    assert ("package" not in ev.errors) == newborn
    assert ages.is_newborn(birth, on) == newborn
