"""SRQ-20 (Self-Reporting Questionnaire) screening for mental-emotional disorder, age ≥ 15.

Source: Riskesdas use of the WHO SRQ-20, CLINICAL.md §4.5 [S25] [C]: 20 yes/no items about
the past 30 days; ≥ 6 "yes" = mental-emotional disorder (gangguan mental emosional). Some
Indonesian apps use ≥ 8 [P], hence the ``cutoff`` parameter (default 6).

Items are in Riskesdas order (1 headaches … 17 thoughts of ending life … 20 easily tired);
every item is worded so that "yes" is the symptom (beware the inverted "do you sleep well?"
wording of item 3 on one public form: the caller must store "sleeps badly").

Item 17 (thoughts of ending life) = yes → refer regardless of the total. This is common
practice, not found in a Kemenkes text (CLINICAL.md §4.5 [NC]); ``refer_on_item_17`` can turn
it off. Below the cut-off such a person gets the code ``suicidal_ideation`` so work lists
cannot miss it.
"""

from __future__ import annotations

from collections.abc import Sequence

from ilp.standards.result import Catalogue, Message, OutOfRange, RuleResult

SOURCE = "SRQ-20 (WHO), batas Riskesdas ≥ 6; CLINICAL.md §4.5"

ITEMS_ID: tuple[str, ...] = (
    "Sering sakit kepala",
    "Tidak nafsu makan",
    "Sulit tidur",
    "Mudah takut",
    "Merasa tegang, cemas atau khawatir",
    "Tangan gemetar",
    "Pencernaan terganggu",
    "Sulit berpikir jernih",
    "Merasa tidak bahagia",
    "Menangis lebih sering",
    "Sulit menikmati kegiatan sehari-hari",
    "Sulit mengambil keputusan",
    "Pekerjaan sehari-hari terganggu",
    "Tidak mampu berperan dalam kehidupan",
    "Kehilangan minat",
    "Merasa tidak berharga",
    "Mempunyai pikiran untuk mengakhiri hidup",
    "Merasa lelah sepanjang waktu",
    "Rasa tidak enak di perut",
    "Mudah lelah",
)

_YES = {"yes": "integer", "cutoff": "integer"}
CODES: dict[str, Catalogue] = {
    "srq20": Catalogue(
        rule="srq20",
        classes={
            "positive": Message("Gangguan mental emosional (positif)"),
            "suicidal_ideation": Message("Pikiran mengakhiri hidup: rujuk segera"),
            "negative": Message("Negatif"),
        },
        reasons={
            "yes_at_or_above_cutoff": Message("{yes} jawaban 'ya' ≥ {cutoff}", _YES),
            "yes_at_or_above_cutoff_item_17": Message(
                "{yes} jawaban 'ya' ≥ {cutoff}; butir 17 (pikiran mengakhiri hidup) = ya", _YES
            ),
            "item_17_yes": Message(
                "Butir 17 = ya (rujuk tanpa melihat total; praktik umum); total {yes} < {cutoff}",
                _YES,
            ),
            "yes_below_cutoff": Message("{yes} jawaban 'ya' < {cutoff}", _YES),
        },
    )
}

# Symptom groups (1-based item numbers) [S25] [P]; reported for the clinician, not scored.
GROUPS: dict[str, tuple[int, ...]] = {
    "depression": (6, 9, 10, 14, 15, 16, 17),
    "anxiety": (3, 4, 5),
    "somatic": (1, 2, 7, 19),
    "cognitive": (8, 12, 13),
    "low_energy": (8, 11, 12, 13, 18, 20),
}


def score_srq20(
    answers: Sequence[bool], *, cutoff: int = 6, refer_on_item_17: bool = True
) -> RuleResult:
    """Score SRQ-20 from 20 booleans (True = "yes", Riskesdas item order).

    Source: SRQ-20 with the Riskesdas cut-off ≥ 6, CLINICAL.md §4.5. Classes
    (``CODES["srq20"]``) ``positive`` (total ≥ cutoff), ``suicidal_ideation`` (below cutoff
    but item 17 yes, referral by common practice) and ``negative``; reasons
    ``yes_at_or_above_cutoff`` (``..._item_17`` when item 17 is yes), ``item_17_yes``,
    ``yes_below_cutoff``, each with ``yes`` and ``cutoff``. ``value`` is the number of "yes";
    ``details["refer"]``.
    """
    if len(answers) != 20:
        raise OutOfRange("answers (number of items)", len(answers), 20, 20)
    if not 1 <= cutoff <= 20:
        raise OutOfRange("cutoff", cutoff, 1, 20)
    if any(not isinstance(a, bool) for a in answers):
        raise ValueError("every SRQ-20 answer must be True or False")
    total = sum(answers)
    yes_items = [i + 1 for i, a in enumerate(answers) if a]
    item_17 = answers[16]
    groups = {g: sum(answers[i - 1] for i in items) for g, items in GROUPS.items()}
    details: dict[str, object] = {
        "yes_items": yes_items,
        "item_17": item_17,
        "groups": groups,
        "cutoff": cutoff,
    }
    params = {"yes": total, "cutoff": cutoff}
    codes = CODES["srq20"]
    if total >= cutoff:
        details["refer"] = True
        reason = "yes_at_or_above_cutoff_item_17" if item_17 else "yes_at_or_above_cutoff"
        return codes.result("positive", reason, params, source=SOURCE, value=total, details=details)
    if item_17 and refer_on_item_17:
        details["refer"] = True
        return codes.result(
            "suicidal_ideation", "item_17_yes", params, source=SOURCE, value=total, details=details
        )
    details["refer"] = False
    return codes.result(
        "negative", "yes_below_cutoff", params, source=SOURCE, value=total, details=details
    )
