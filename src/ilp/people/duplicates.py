"""Likely-duplicate detection shown before a person is saved.

A candidate is an existing person with the same NIK, or with a similar name (rapidfuzz
token-sort ratio ≥ NAME_SIMILARITY on the normalised name) born on the same date in the same
desa. Blocking on (birth date, desa) keeps the fuzzy comparison to a handful of rows.
"""

from __future__ import annotations

from datetime import date

from rapidfuzz import fuzz

from ilp.people.models import Person
from ilp.people.names import name_key

NAME_SIMILARITY = 85.0


def find_duplicates(
    *,
    nik: str | None,
    full_name: str,
    birth_date: date | None,
    village_id: int | None,
    exclude_pk: int | None = None,
) -> list[Person]:
    """Existing persons that are probably the same person as the one being registered."""
    found: dict[int, Person] = {}
    if nik:
        for p in Person.objects.active().filter(nik=nik).select_related("village"):
            found[p.pk] = p
    if birth_date and village_id:
        key = name_key(full_name)
        for p in (
            Person.objects.active()
            .filter(birth_date=birth_date, village_id=village_id)
            .select_related("village")
        ):
            if fuzz.token_sort_ratio(key, p.name_key) >= NAME_SIMILARITY:
                found[p.pk] = p
    if exclude_pk is not None:
        found.pop(exclude_pk, None)
    return list(found.values())
