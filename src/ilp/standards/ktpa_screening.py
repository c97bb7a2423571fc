"""KtP/A screening: violence against women (WAST) and children (Adams category).

Sources:
- Juknis ILP 2023 (KMK HK.01.07/MENKES/2015/2023), Klaster 2 "Skrining KtPA" and Klaster 3
  "Skrining KtPA", as summarised in DOMAIN.md §5.1 [S1 ``…/01-skrining-ktpa.mdx``,
  ``…/14-skrining-ktpa.mdx``]: women and children *suspected* of violence are screened by
  trained health workers at puskesmas and pustu by looking for the signs listed below; a woman
  not referred by an authority but suspected may be asked the WAST (juknis Formulir 3).
- WAST, Woman Abuse Screening Tool (Brown, Lent, Brett, Sas, Pederson; J Fam Pract
  1996;42:173-8, and 2000;49:896-903): 8 items; items 1-2 on a three-level scale ("a lot of
  tension / some tension / no tension", "great difficulty / some difficulty / no difficulty"),
  items 3-8 "often / sometimes / never". Items 1-2 alone are the WAST-Short.
- Juknis interpretation: **one positive answer, including "kadang-kadang" (sometimes), means
  the patient should be handed to the trained officer** for KtP/A. ILP reads "positive" as any
  answer other than the lowest level ("no tension", "no difficulty", "never"), so "some
  tension" and "some difficulty" are positive too [ILP reading of the juknis rule; the
  original WAST-Short needs "a lot of tension" *and* "great difficulty", reported here as
  ``short_form_positive`` for information only].
- WHO (quoted by the juknis): ask the WAST only of women who show the signs or
  characteristics of a victim, **not of every woman** attending: ``wast_indicated`` is true
  only when at least one sign is recorded.
- Children: Joyce A. Adams (2001), "Evolution of a classification scale: medical evaluation of
  suspected child abuse" (Child Maltreatment 6(1):31-36), three categories as the juknis
  lists them: (1) normal examination, no history, no behaviour change, no witness; (2)
  possible abuse; (3) very likely abuse. [ILP rule] Category 2 or 3 means "signs of
  violence" in the juknis sense, so a case is opened and the child is handed to the trained
  officer (the juknis "Intervensi lanjut": pustu refers and sends the findings to the
  puskesmas, the puskesmas manages and informs the authorities; health staff must inform
  about suspected child abuse, Permenkes 68/2013).

Everything here is a code; the UI labels the items, answers and signs in Indonesian. Invalid
input raises ``ScreeningInputError`` (a ``ValueError``) whose ``code`` is one of
``ERROR_CODES`` and whose ``item`` names the offending item or sign.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SOURCE_WAST = (
    "Juknis ILP 2023 Klaster 2 Skrining KtPA, Formulir 3 (WAST, Brown et al. 1996/2000): "
    "1 jawaban positif, termasuk kadang-kadang, dirujuk ke petugas terlatih; WHO: hanya "
    "ditanyakan kepada perempuan dengan tanda-tanda korban; DOMAIN.md §5.1"
)
SOURCE_CHILD = (
    "Juknis ILP 2023 Klaster 2 Skrining KtPA: Joyce Adams (2001) Evolution of a classification "
    "scale: Medical Evaluation of Suspected Child Abuse, 3 kategori; DOMAIN.md §5.1"
)

# Instruments.
WAST = "wast"
CHILD = "child"
INSTRUMENTS: tuple[str, ...] = (WAST, CHILD)

# --- WAST -----------------------------------------------------------------------------------

# Items in WAST order (1 … 8).
WAST_ITEMS: tuple[str, ...] = (
    "relationship_tension",  # 1. In general, how would you describe your relationship?
    "argument_difficulty",  # 2. Do you and your partner work out arguments with …
    "arguments_feel_down",  # 3. Do arguments ever result in you feeling down or bad about yourself?
    "arguments_hitting",  # 4. Do arguments ever result in hitting, kicking or pushing?
    "frightened",  # 5. Do you ever feel frightened by what your partner says or does?
    "physical_abuse",  # 6. Has your partner ever abused you physically?
    "emotional_abuse",  # 7. Has your partner ever abused you emotionally?
    "sexual_abuse",  # 8. Has your partner ever abused you sexually?
)

# Answer scales, most to least severe; the last answer of each scale is the negative one.
TENSION_SCALE: tuple[str, ...] = ("a_lot_of_tension", "some_tension", "no_tension")
DIFFICULTY_SCALE: tuple[str, ...] = ("great_difficulty", "some_difficulty", "no_difficulty")
FREQUENCY_SCALE: tuple[str, ...] = ("often", "sometimes", "never")

WAST_SCALES: dict[str, tuple[str, ...]] = {
    "relationship_tension": TENSION_SCALE,
    "argument_difficulty": DIFFICULTY_SCALE,
    **dict.fromkeys(WAST_ITEMS[2:], FREQUENCY_SCALE),
}
WAST_ANSWERS: tuple[str, ...] = TENSION_SCALE + DIFFICULTY_SCALE + FREQUENCY_SCALE

# --- Signs ----------------------------------------------------------------------------------

# Signs in a woman (juknis "Tanda-tanda kekerasan pada korban perempuan dewasa").
WOMAN_SIGNS: tuple[str, ...] = (
    "discomfort_discussing_home",  # visibly uneasy talking about the household relationship
    "dominating_partner",  # partner always present, dominates the talk, never leaves her alone
    "repeated_vague_complaints",  # comes again and again with unclear complaints
    "violence_related_complaints",  # health problems associated with violence
    "unexplained_injuries",  # injuries/bruises unexplained, inconsistent, or late presentation
    "somatic_complaints",  # subjective complaints, nothing found on examination
    "ptsd_symptoms",  # post-traumatic stress symptoms
    "conversion_reaction",  # e.g. non-organic seizures
    "injury_in_pregnancy",  # injuries in pregnancy, esp. breasts and lower abdomen
    "chronic_unexplained_pain",
    "frequent_visits",  # frequent visits, different doctors, no clear cause
    "repeated_sti",  # various STIs, urinary and vaginal infections
    "unwanted_pregnancy",
    "miscarriage_or_abortion",
    "suicide_attempt",
)

# Signs in a child or adolescent: all of the woman's signs plus these (juknis).
CHILD_EXTRA_SIGNS: tuple[str, ...] = (
    "developmental_regression",  # bed-wetting again, behaviour not fitting the age, …
    "injury_inconsistent_with_history",  # injury not matching the time of the event
    "attachment_problems",  # trouble forming closeness with adults
    "psychological_distress",  # anxiety, sleep or eating disorder, panic, substance use
    "emotional_abuse_signs",
    "neglect_signs",
    "suspected_physical_abuse",  # bruises and welts, abrasions, fractures, burns, head injury
    "suspected_sexual_abuse",
    "suspected_psychological_abuse",
)
CHILD_SIGNS: tuple[str, ...] = WOMAN_SIGNS + CHILD_EXTRA_SIGNS
SIGNS: dict[str, tuple[str, ...]] = {WAST: WOMAN_SIGNS, CHILD: CHILD_SIGNS}

# --- Child: Adams (2001) three categories ---------------------------------------------------

ADAMS_NORMAL = "normal"  # 1
ADAMS_POSSIBLE = "possible_abuse"  # 2
ADAMS_VERY_LIKELY = "very_likely_abuse"  # 3
ADAMS_CATEGORIES: tuple[str, ...] = (ADAMS_NORMAL, ADAMS_POSSIBLE, ADAMS_VERY_LIKELY)
ADAMS_LEVEL: dict[str, int] = {code: i + 1 for i, code in enumerate(ADAMS_CATEGORIES)}
# [ILP rule, see module docstring] categories that open a case.
ADAMS_OPEN_CASE: frozenset[str] = frozenset({ADAMS_POSSIBLE, ADAMS_VERY_LIKELY})

# Results (both instruments).
POSITIVE = "positive"
NEGATIVE = "negative"
RESULTS: tuple[str, ...] = (POSITIVE, NEGATIVE)

# Age from which the WAST (adult women) applies; younger girls are screened as children.
# Child = under 18 years (UU 35/2014 Perlindungan Anak, Pasal 1).
ADULT_AGE_YEARS = 18

ERROR_CODES: tuple[str, ...] = (
    "unknown_instrument",
    "unknown_item",
    "missing_answer",
    "invalid_answer",
    "unknown_sign",
    "no_sign",
    "unknown_category",
    "instrument_not_applicable",
)


class ScreeningInputError(ValueError):
    """Invalid screening input. ``code`` is one of ``ERROR_CODES``; ``item`` the item, sign or
    value concerned ("" when none). ``str(error)`` is the code, not a sentence."""

    def __init__(self, code: str, item: str = "") -> None:
        if code not in ERROR_CODES:
            raise TypeError(f"unknown screening error code {code!r}")
        super().__init__(code)
        self.code = code
        self.item = item


@dataclass(frozen=True)
class WastResult:
    """``positive``: hand to the trained officer; ``positive_items``: the items answered above
    the lowest level, in WAST order; ``short_form_positive``: the original WAST-Short reading
    (item 1 "a lot of tension" and item 2 "great difficulty"), for information only."""

    positive: bool
    positive_items: tuple[str, ...]
    short_form_positive: bool
    source: str = SOURCE_WAST

    @property
    def result(self) -> str:
        return POSITIVE if self.positive else NEGATIVE

    @property
    def open_case(self) -> bool:
        return self.positive


@dataclass(frozen=True)
class ChildResult:
    """``category``: Adams code; ``level`` 1-3; ``open_case``: category 2 or 3 (open a case,
    hand to the trained officer and inform the authorities)."""

    category: str
    level: int
    open_case: bool
    source: str = SOURCE_CHILD

    @property
    def positive(self) -> bool:
        return self.open_case

    @property
    def result(self) -> str:
        return POSITIVE if self.open_case else NEGATIVE


def wast_result(answers: Mapping[str, str]) -> WastResult:
    """Apply the juknis rule to the 8 WAST answers (item code → answer code).

    Every item of ``WAST_ITEMS`` must be answered with a code of its scale
    (``WAST_SCALES[item]``); an unknown item, a missing item and an answer from another scale
    raise ``ScreeningInputError`` (``unknown_item``, ``missing_answer``, ``invalid_answer``).
    One answer above the lowest level (even "sometimes", "some tension", "some difficulty")
    makes the screening positive.
    """
    for item in answers:
        if item not in WAST_SCALES:
            raise ScreeningInputError("unknown_item", str(item))
    positive_items: list[str] = []
    for item in WAST_ITEMS:
        answer = answers.get(item)
        if answer in (None, ""):
            raise ScreeningInputError("missing_answer", item)
        scale = WAST_SCALES[item]
        if answer not in scale:
            raise ScreeningInputError("invalid_answer", item)
        if answer != scale[-1]:
            positive_items.append(item)
    short = (
        answers["relationship_tension"] == TENSION_SCALE[0]
        and answers["argument_difficulty"] == DIFFICULTY_SCALE[0]
    )
    return WastResult(
        positive=bool(positive_items),
        positive_items=tuple(positive_items),
        short_form_positive=short,
    )


def child_result(category: str) -> ChildResult:
    """The Adams (2001) category → whether a case must be opened (category 2 or 3).

    ``category`` is one of ``ADAMS_CATEGORIES``; anything else raises ``ScreeningInputError``
    (``unknown_category``)."""
    if category not in ADAMS_LEVEL:
        raise ScreeningInputError("unknown_category", str(category))
    return ChildResult(
        category=category, level=ADAMS_LEVEL[category], open_case=category in ADAMS_OPEN_CASE
    )


def validate_signs(instrument: str, signs: Iterable[str]) -> tuple[str, ...]:
    """The recorded signs, deduplicated in catalogue order. Codes must belong to the
    instrument (``WOMAN_SIGNS`` for the WAST, ``CHILD_SIGNS`` for a child): else
    ``unknown_sign``; an unknown instrument gives ``unknown_instrument``."""
    if instrument not in SIGNS:
        raise ScreeningInputError("unknown_instrument", str(instrument))
    catalogue = SIGNS[instrument]
    given = set()
    for sign in signs:
        if sign not in catalogue:
            raise ScreeningInputError("unknown_sign", str(sign))
        given.add(sign)
    return tuple(s for s in catalogue if s in given)


def screening_indicated(instrument: str, signs: Iterable[str]) -> bool:
    """WHO (quoted by the juknis): screen only someone who shows at least one sign, not
    everyone. Validates the signs like ``validate_signs``."""
    return bool(validate_signs(instrument, signs))


def require_signs(instrument: str, signs: Iterable[str]) -> tuple[str, ...]:
    """``validate_signs``, and at least one sign (``no_sign`` otherwise): the reason for
    asking must be recorded."""
    valid = validate_signs(instrument, signs)
    if not valid:
        raise ScreeningInputError("no_sign")
    return valid


def instrument_for(age_years: int | None, sex: str | None) -> str | None:
    """Which instrument applies: a child (under 18, UU 35/2014) → ``child`` whatever the sex;
    a woman of 18 or more → ``wast``; a man of 18 or more → None (outside KtP/A screening).
    Unknown age → None; unknown sex at 18+ → None."""
    if age_years is None or age_years < 0:
        return None
    if age_years < ADULT_AGE_YEARS:
        return CHILD
    return WAST if sex == "F" else None


def check_instrument(instrument: str, age_years: int | None, sex: str | None) -> None:
    """Raise ``unknown_instrument`` / ``instrument_not_applicable`` unless ``instrument`` is
    the one ``instrument_for`` gives for this person."""
    if instrument not in INSTRUMENTS:
        raise ScreeningInputError("unknown_instrument", str(instrument))
    if instrument_for(age_years, sex) != instrument:
        raise ScreeningInputError("instrument_not_applicable", instrument)
