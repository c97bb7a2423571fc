"""Annual PTM (15–59 y) and lansia (≥ 60 y) screening: age bands, interval, overdue."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.care.worklists.rules import screening_due
from ilp.standards.result import OutOfRange
from ilp.standards.screening import add_months, birthday, screening_state

BIRTH = date(2000, 6, 15)  # 15 on 2015-06-15, 60 on 2060-06-15


def state(kind="PTM", *, birth=BIRTH, last=None, on, **kw):
    return screening_state(kind=kind, birth_date=birth, last=last, on=on, **kw)


# -- age bands ----------------------------------------------------------------------------------


def test_14y364d_not_applicable_15y_due():
    assert state(on=date(2015, 6, 14)) is None
    s = state(on=date(2015, 6, 15))
    assert (s.state, s.due, s.since, s.item) == (
        "due",
        date(2015, 6, 15),
        date(2015, 6, 15),
        "skrining:PTM",
    )
    assert s.last is None
    assert s.reason.startswith("Belum pernah skrining PTM")


def test_59_to_60_switches_kind():
    birth = date(1965, 3, 1)
    on59 = date(2025, 2, 28)
    assert state("PTM", birth=birth, on=on59).state in ("due", "overdue")
    assert state("lansia", birth=birth, on=on59) is None
    on60 = date(2025, 3, 1)
    assert state("PTM", birth=birth, on=on60) is None
    s = state("lansia", birth=birth, on=on60)
    assert (s.state, s.due, s.item) == ("due", on60, "skrining:lansia")


def test_under_15_never_applicable():
    assert state(on=date(2010, 1, 1)) is None
    assert state("lansia", on=date(2010, 1, 1)) is None


def test_29_february_birthday_counts_on_28_february():
    birth = date(2008, 2, 29)
    assert birthday(birth, 15) == date(2023, 2, 28)
    assert state(birth=birth, on=date(2023, 2, 27)) is None
    assert state(birth=birth, on=date(2023, 2, 28)).due == date(2023, 2, 28)


# -- never screened ------------------------------------------------------------------------------


def test_never_screened_adult_due_from_start_of_year_then_overdue_in_april():
    birth = date(1980, 5, 5)
    s = state(birth=birth, on=date(2025, 3, 31))
    assert (s.state, s.due, s.overdue_since) == ("due", date(2025, 1, 1), date(2025, 4, 1))
    s = state(birth=birth, on=date(2025, 4, 1))
    assert (s.state, s.since) == ("overdue", date(2025, 4, 1))


def test_never_screened_from_band_entry_when_later_than_new_year():
    # turned 15 on 15 June 2015: due from the birthday, overdue three months later
    s = state(on=date(2015, 9, 14))
    assert (s.state, s.due) == ("due", date(2015, 6, 15))
    s = state(on=date(2015, 9, 15))
    assert (s.state, s.since) == ("overdue", date(2015, 9, 15))


# -- interval -----------------------------------------------------------------------------------


def test_screened_recently_not_due():
    assert state(last=date(2024, 5, 1), on=date(2025, 4, 30)) is None


def test_last_exactly_12_months_ago_due_then_overdue_3_months_later():
    s = state(last=date(2024, 5, 1), on=date(2025, 5, 1))
    assert (s.state, s.due, s.since, s.overdue_since) == (
        "due",
        date(2025, 5, 1),
        date(2025, 5, 1),
        date(2025, 8, 1),
    )
    assert s.last == date(2024, 5, 1)
    assert "1 Mei 2024" in s.reason and "jatuh tempo" in s.reason
    assert state(last=date(2024, 5, 1), on=date(2025, 7, 31)).state == "due"
    s = state(last=date(2024, 5, 1), on=date(2025, 8, 1))
    assert (s.state, s.since) == ("overdue", date(2025, 8, 1))
    assert "terlambat" in s.reason


def test_overdue_months_parameter():
    s = state(last=date(2024, 5, 1), on=date(2025, 6, 1), overdue_months=1)
    assert (s.state, s.since) == ("overdue", date(2025, 6, 1))
    s = state(last=date(2024, 5, 1), on=date(2025, 5, 1), overdue_months=0)
    assert s.state == "overdue"


def test_month_end_clamps():
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    s = state(last=date(2024, 2, 29), on=date(2025, 2, 28))
    assert s.due == date(2025, 2, 28)


def test_screening_before_band_entry_does_not_advance_due_date():
    # lansia screening recorded at 59 (e.g. early): due again from the 60th birthday at the
    # earliest, here later (last + 12 months)
    birth = date(1965, 3, 1)
    s = state("lansia", birth=birth, last=date(2024, 9, 1), on=date(2025, 9, 1))
    assert s.due == date(2025, 9, 1)
    assert state("lansia", birth=birth, last=date(2024, 9, 1), on=date(2025, 8, 31)) is None
    s = state("lansia", birth=birth, last=date(2023, 1, 1), on=date(2025, 3, 1))
    assert s.due == date(2025, 3, 1)


# -- errors and the work-list adapter --------------------------------------------------------------


def test_invalid_inputs():
    with pytest.raises(ValueError):
        state("HT", on=date(2025, 1, 1))
    with pytest.raises(OutOfRange):
        state(on=date(1999, 1, 1))
    with pytest.raises(OutOfRange):
        state(last=date(2025, 2, 1), on=date(2025, 1, 1))
    with pytest.raises(OutOfRange):
        state(last=date(1999, 2, 1), on=date(2025, 1, 1))


def test_adapter_maps_to_worklist_due():
    d = screening_due(kind="PTM", birth_date=BIRTH, last=date(2024, 5, 1), on=date(2025, 5, 2))
    assert (d.state, d.since, d.due, d.overdue_since) == (
        "due",
        date(2025, 5, 1),
        date(2025, 5, 1),
        date(2025, 8, 1),
    )
    d = screening_due(kind="lansia", birth_date=date(1950, 1, 1), last=None, on=date(2025, 5, 2))
    assert (d.state, d.since) == ("overdue", date(2025, 4, 1))
    assert d.why.startswith("Belum pernah skrining lansia")
    assert (
        screening_due(kind="PTM", birth_date=BIRTH, last=date(2025, 1, 1), on=date(2025, 5, 2))
        is None
    )


# -- many persons at once (vectorised) ---------------------------------------------------------


def test_screening_states_equals_screening_state_on_random_cases():
    import random
    from datetime import timedelta

    from ilp.standards.screening import screening_states

    rng = random.Random(20260110)
    ons = [
        date(2026, 1, 10),
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2025, 3, 1),
        date(2025, 12, 31),
        date(2024, 1, 31),
        date(2023, 4, 30),
    ]
    specials = [
        date(y, m, d)
        for y in (1944, 1963, 1964, 1965, 2008, 2009, 2010)
        for m, d in ((2, 28), (2, 29), (3, 1), (1, 31), (12, 31), (1, 1))
        if not (m == 2 and d == 29 and y % 4)
    ]
    for on in ons:
        for kind in ("PTM", "lansia"):
            births, lasts = [], []
            for i in range(1500):
                if i < len(specials) * 2:
                    birth = specials[i % len(specials)]
                else:
                    birth = on - timedelta(days=rng.randrange(13 * 365, 90 * 365))
                if birth > on:
                    birth = on
                if rng.random() < 0.3:
                    last = None
                else:
                    span = (on - birth).days
                    last = on - timedelta(days=rng.randrange(0, min(span, 3 * 366) + 1))
                    if rng.random() < 0.1:  # month ends and 29 February
                        for cand in (
                            date(last.year, 2, 29) if last.year % 4 == 0 else None,
                            date(last.year, 1, 31),
                            date(last.year, 12, 31),
                        ):
                            if cand is not None and birth <= cand <= on:
                                last = cand
                                break
                births.append(birth)
                lasts.append(last)
            got = screening_states(kind=kind, birth_dates=births, lasts=lasts, on=on)
            for i, (birth, last) in enumerate(zip(births, lasts, strict=True)):
                want = screening_state(kind=kind, birth_date=birth, last=last, on=on)
                assert bool(got.applies[i]) == (want is not None), (kind, birth, last, on)
                if want is None:
                    continue
                assert (
                    "overdue" if got.overdue[i] else "due",
                    got.due[i].item(),
                    got.overdue_since[i].item(),
                ) == (want.state, want.due, want.overdue_since), (kind, birth, last, on)


def test_screening_states_raises_like_screening_state():
    from ilp.standards.screening import screening_states

    with pytest.raises(OutOfRange):
        screening_states(
            kind="PTM", birth_dates=[BIRTH], lasts=[date(1999, 1, 1)], on=date(2026, 1, 1)
        )
    with pytest.raises(ValueError):
        screening_states(kind="x", birth_dates=[], lasts=[], on=date(2026, 1, 1))
    empty = screening_states(kind="PTM", birth_dates=[], lasts=[], on=date(2026, 1, 1))
    assert len(empty.applies) == 0
