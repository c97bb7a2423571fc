"""KtP/A screening rules: DOMAIN.md §5.1 (juknis Formulir 3 WAST, WHO, Adams 2001)."""

from __future__ import annotations

import pytest

from ilp.standards import ktpa_screening as k
from ilp.standards.ktpa_screening import ScreeningInputError, child_result, wast_result


def all_negative() -> dict[str, str]:
    return {item: k.WAST_SCALES[item][-1] for item in k.WAST_ITEMS}


def test_catalogue_shape():
    assert len(k.WAST_ITEMS) == 8
    assert k.WAST_SCALES["relationship_tension"] == (
        "a_lot_of_tension",
        "some_tension",
        "no_tension",
    )
    assert k.WAST_SCALES["argument_difficulty"] == (
        "great_difficulty",
        "some_difficulty",
        "no_difficulty",
    )
    for item in k.WAST_ITEMS[2:]:
        assert k.WAST_SCALES[item] == ("often", "sometimes", "never")
    assert set(k.WAST_SCALES) == set(k.WAST_ITEMS)
    assert len(set(k.WAST_ANSWERS)) == 9
    # every woman's sign is a child's sign too; no duplicates
    assert k.CHILD_SIGNS[: len(k.WOMAN_SIGNS)] == k.WOMAN_SIGNS
    assert len(set(k.CHILD_SIGNS)) == len(k.CHILD_SIGNS)
    assert k.ADAMS_LEVEL == {"normal": 1, "possible_abuse": 2, "very_likely_abuse": 3}


def test_all_lowest_answers_are_negative():
    r = wast_result(all_negative())
    assert r.positive is False
    assert r.positive_items == ()
    assert r.result == "negative"
    assert r.open_case is False
    assert r.short_form_positive is False
    assert "Formulir 3" in r.source


@pytest.mark.parametrize("item", k.WAST_ITEMS)
@pytest.mark.parametrize("level", [0, 1])
def test_each_item_alone_positive_at_each_non_lowest_level(item, level):
    answers = all_negative()
    answers[item] = k.WAST_SCALES[item][level]
    r = wast_result(answers)
    assert r.positive is True
    assert r.result == "positive"
    assert r.open_case is True
    assert r.positive_items == (item,)


def test_sometimes_alone_is_positive():
    answers = all_negative()
    answers["emotional_abuse"] = "sometimes"
    r = wast_result(answers)
    assert (r.positive, r.positive_items) == (True, ("emotional_abuse",))


def test_some_tension_alone_is_positive_but_not_the_short_form():
    answers = all_negative()
    answers["relationship_tension"] = "some_tension"
    r = wast_result(answers)
    assert r.positive is True
    assert r.short_form_positive is False


def test_positive_items_in_wast_order_and_short_form():
    answers = {
        "sexual_abuse": "often",
        "relationship_tension": "a_lot_of_tension",
        "argument_difficulty": "great_difficulty",
        "arguments_feel_down": "never",
        "arguments_hitting": "sometimes",
        "frightened": "never",
        "physical_abuse": "never",
        "emotional_abuse": "never",
    }
    r = wast_result(answers)
    assert r.positive_items == (
        "relationship_tension",
        "argument_difficulty",
        "arguments_hitting",
        "sexual_abuse",
    )
    assert r.short_form_positive is True


@pytest.mark.parametrize("item", k.WAST_ITEMS)
def test_missing_item_refused(item):
    answers = all_negative()
    del answers[item]
    with pytest.raises(ScreeningInputError) as e:
        wast_result(answers)
    assert (e.value.code, e.value.item, str(e.value)) == ("missing_answer", item, "missing_answer")
    assert isinstance(e.value, ValueError)


def test_empty_mapping_refused_on_first_item():
    with pytest.raises(ScreeningInputError) as e:
        wast_result({})
    assert (e.value.code, e.value.item) == ("missing_answer", "relationship_tension")


@pytest.mark.parametrize(
    ("item", "answer", "code"),
    [
        ("frightened", "", "missing_answer"),  # empty = not answered
        ("relationship_tension", "sometimes", "invalid_answer"),  # another item's scale
        ("argument_difficulty", "no_tension", "invalid_answer"),
        ("frightened", "no_difficulty", "invalid_answer"),
        ("sexual_abuse", "yes", "invalid_answer"),
        ("physical_abuse", "Never", "invalid_answer"),  # codes are exact
        ("item_9", "never", "unknown_item"),
    ],
)
def test_bad_answer_refused(item, answer, code):
    answers = all_negative()
    answers[item] = answer
    with pytest.raises(ScreeningInputError) as e:
        wast_result(answers)
    assert (e.value.code, e.value.item) == (code, item)


@pytest.mark.parametrize(
    ("category", "level", "open_case"),
    [("normal", 1, False), ("possible_abuse", 2, True), ("very_likely_abuse", 3, True)],
)
def test_child_categories(category, level, open_case):
    r = child_result(category)
    assert (r.category, r.level, r.open_case, r.positive) == (category, level, open_case, open_case)
    assert r.result == ("positive" if open_case else "negative")
    assert "Adams (2001)" in r.source


@pytest.mark.parametrize("bad", ["", "2", "likely", None])
def test_child_unknown_category_refused(bad):
    with pytest.raises(ScreeningInputError) as e:
        child_result(bad)
    assert e.value.code == "unknown_category"


def test_signs_validated_per_instrument_and_ordered():
    assert k.validate_signs(
        "wast", ["suicide_attempt", "dominating_partner", "suicide_attempt"]
    ) == (
        "dominating_partner",
        "suicide_attempt",
    )
    assert k.validate_signs("child", ["neglect_signs", "unexplained_injuries"]) == (
        "unexplained_injuries",
        "neglect_signs",
    )
    with pytest.raises(ScreeningInputError) as e:
        k.validate_signs("wast", ["neglect_signs"])  # a child's sign
    assert (e.value.code, e.value.item) == ("unknown_sign", "neglect_signs")
    with pytest.raises(ScreeningInputError) as e:
        k.validate_signs("elderly", [])
    assert e.value.code == "unknown_instrument"


def test_screening_only_indicated_with_a_sign():
    assert k.screening_indicated("wast", []) is False
    assert k.screening_indicated("wast", ["repeated_sti"]) is True
    assert k.require_signs("child", ["attachment_problems"]) == ("attachment_problems",)
    with pytest.raises(ScreeningInputError) as e:
        k.require_signs("wast", [])
    assert e.value.code == "no_sign"


@pytest.mark.parametrize(
    ("age", "sex", "instrument"),
    [
        (0, "M", "child"),
        (17, "F", "child"),
        (17, "M", "child"),
        (18, "F", "wast"),
        (45, "F", "wast"),
        (18, "M", None),
        (30, None, None),
        (None, "F", None),
    ],
)
def test_instrument_for(age, sex, instrument):
    assert k.instrument_for(age, sex) == instrument


def test_check_instrument():
    k.check_instrument("wast", 30, "F")
    k.check_instrument("child", 10, "M")
    with pytest.raises(ScreeningInputError) as e:
        k.check_instrument("wast", 10, "F")
    assert (e.value.code, e.value.item) == ("instrument_not_applicable", "wast")
    with pytest.raises(ScreeningInputError) as e:
        k.check_instrument("child", 40, "M")
    assert e.value.code == "instrument_not_applicable"
    with pytest.raises(ScreeningInputError) as e:
        k.check_instrument("srq", 40, "F")
    assert e.value.code == "unknown_instrument"


def test_error_code_must_be_known():
    with pytest.raises(TypeError):
        ScreeningInputError("some sentence")
