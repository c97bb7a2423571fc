"""Age bands of the care services, in completed months (one source for the menu and the rules).

`completed_months` (:mod:`ilp.standards.lifestage`) is the age every band is read with: the
package menu (which packages a person is offered), the package evaluators (which refuse a
package outside its band), the posyandu session (which row a person gets) and the work lists.
Bands are half-open, ``low <= months < high``; ``high`` None means no upper end.

Sources: Petunjuk Teknis ILP (KMK HK.01.07/MENKES/2015/2023) and DOMAIN.md §1.3 for the
packages; the item bands cite their own source below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ilp.standards.lifestage import completed_months

YEAR = 12  # months


@dataclass(frozen=True, slots=True)
class AgeBand:
    """``low <= months < high`` in completed months (``high`` None: no upper end)."""

    low: int
    high: int | None = None

    def __contains__(self, months: object) -> bool:
        if not isinstance(months, int):
            return False
        return months >= self.low and (self.high is None or months < self.high)

    def holds(self, birth: date, on: date) -> bool:
        """Whether a person born on `birth` is in the band on `on`."""
        return completed_months(birth, on) in self


# The neonatal period is counted in days: 0–28 days (Buku KIA; KN1–KN3).
NEWBORN_DAYS = 28

# Package bands (the menu offers a package in its band; its evaluator refuses one outside).
BALITA = AgeBand(0, 60)  # children under five: 0–59 months
SCHOOL = AgeBand(5 * YEAR, 19 * YEAR)  # school age and adolescents: 5–18 years
PRODUCTIVE = AgeBand(15 * YEAR)  # PTM screening of the productive age: from 15 years
ELDERLY = AgeBand(60 * YEAR)  # lansia: from 60 years
# Routine and catch-up immunisation is offered to under-18s (and to every woman: Td).
IMMUNIZATION = AgeBand(0, 18 * YEAR)

# Past doses copied from the KIA book (and school records): children and adolescents.
BOOK_DOSES = AgeBand(0, 19 * YEAR)

# Adulthood for measurement rules: adult BMI instead of BMI-for-age, height loss only a
# warning, blood pressure classified by the adult table (WHO; CLINICAL.md §1.4, §4.1).
GROWN_UP = AgeBand(18 * YEAR)

# Item bands inside the packages.
VITAMIN_A = AgeBand(6, 60)  # capsules in February and August, 6–59 months (DOMAIN.md §3.4)
VITAMIN_A_BLUE = AgeBand(6, 12)  # 100 000 IU (blue) at 6–11 months, red from 12 months
SAM_MUAC = AgeBand(6, 60)  # LiLA < 11.5 cm means severe wasting at 6–59 months (Kemenkes 2019)
SRQ20 = AgeBand(15 * YEAR)  # SRQ-20 for 15 years and over (Kemenkes)
PUMA = AgeBand(40 * YEAR)  # PUMA COPD screening for 40 years and over
TEEN_IRON = AgeBand(12 * YEAR)  # weekly iron tablets for girls from 12 years (TTD remaja)


def months_on(birth: date, on: date) -> int:
    """A person's age in completed months on `on` (the reading of every band here)."""
    return completed_months(birth, on)


def is_newborn(birth: date, on: date) -> bool:
    """0–28 days old on `on`."""
    return 0 <= (on - birth).days <= NEWBORN_DAYS
