"""Tables of desa event counts per area for the monitoring families read directly (the deaths,
``ilp.monitoring.death_family``; the KtP/A screenings, ``ilp.monitoring.ktpa_screening_family``):
the rows under an area (the desa of a kecamatan, the kecamatan of a district; a desa is its
total row alone), the desa each row sums, and the cells a suppressed reader may not see
(``ilp.core.suppression``: counts of 1–4, the total row = the sum of the rows, and every
`inner ⊆ outer` pair of measures of a row protected against subtraction)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from ilp.core.suppression import Nesting, Relation, suppress
from ilp.places.models import Area, AreaLevel


@dataclass
class AreaTree:
    """`villages`: (pk, code) of every desa in the area; `children`: (code, name) of the rows
    (empty for a desa)."""

    villages: list[tuple[int, str]]
    children: list[tuple[str, str]]

    @property
    def village_ids(self) -> list[int]:
        return [pk for pk, _code in self.villages]

    def figures(
        self, counts: Mapping[int, Any], measures: Sequence[str]
    ) -> dict[str, dict[str, int]]:
        """Per row code, the sum of its desa's figures (`counts`: per desa pk, an object with
        one attribute per measure; a desa without any is absent)."""
        out: dict[str, dict[str, int]] = {}
        for code, _name in self.children:
            inside = [
                counts[pk]
                for pk, vcode in self.villages
                if pk in counts and (vcode == code or vcode.startswith(f"{code}."))
            ]
            out[code] = sum_measures(inside, measures)
        return out


def area_tree(area: Area) -> AreaTree:
    """The rows and desa of `area` (one query)."""
    child_level = area.level + 1
    tree = list(
        Area.objects.filter(Q(code__startswith=f"{area.code}.") | Q(pk=area.pk))
        .filter(level__in={child_level, AreaLevel.VILLAGE})
        .order_by("name", "code")
        .values_list("pk", "code", "name", "level")
    )
    return AreaTree(
        villages=[(pk, code) for pk, code, _n, level in tree if level == AreaLevel.VILLAGE],
        # a desa's section is its total row alone
        children=[
            (code, name)
            for _pk, code, name, level in tree
            if level == child_level and area.level != AreaLevel.VILLAGE
        ],
    )


def sum_measures(parts: Iterable[Any], measures: Sequence[str]) -> dict[str, int]:
    parts = list(parts)
    return {m: sum(getattr(p, m) for p in parts) for m in measures}


def hidden_cells(
    figures: dict[str, dict[str, int]],
    total: dict[str, int],
    measures: Sequence[str],
    nested: Iterable[tuple[str, str]] = (),
) -> set[Hashable]:
    """The (row code, measure) cells a suppressed reader does not see (the total row's code
    is ""); `nested`: (outer, inner) measures of which inner ⊆ outer in every row."""
    values: dict[Hashable, int] = {("", m): total[m] for m in measures}
    for code, counts in figures.items():
        values.update({(code, m): counts[m] for m in measures})
    rows = ["", *figures]
    relations = [
        Relation(total=("", m), parts=tuple((code, m) for code in figures))
        for m in measures
        if figures
    ]
    pairs = list(nested)
    nestings = [Nesting(outer=(r, outer), inner=(r, inner)) for r in rows for outer, inner in pairs]
    return suppress(values, relations, nestings)
