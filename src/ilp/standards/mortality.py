"""Maternal mortality ratio and infant mortality rate of an area and year, and when a ratio is
worth showing at all.

Definitions (WHO, *ICD-10* (2019), Volume 2, §5.8.3 and §5.8.4; Kemenkes, *Profil Kesehatan
Indonesia*, definitions of AKI and AKB):
- **maternal mortality ratio** (AKI): maternal deaths per **100,000 live births** of the same
  area and period;
- **infant mortality rate** (AKB): deaths under one year of age per **1,000 live births**.
  Neonatal deaths (the first 28 days) are a subset of infant deaths.

Small numbers. A ratio from a few events is mostly noise: the relative standard error of a
count of d events (Poisson) is about 1/sqrt(d), so 23 % or more below 20 events. The US
National Center for Health Statistics does not show such rates as reliable ("rates based on
fewer than 20 deaths are considered unreliable", *National Vital Statistics Reports*,
technical notes; CDC WONDER marks them "Unreliable"). A desa or kecamatan records a maternal
death every few years, so a ratio there would swing from 0 to several hundred per 100,000 with
one death. The rule here: a ratio is shown only when the year has at least
:data:`MIN_EVENTS` deaths of the kind **and** at least :data:`MIN_LIVE_BIRTHS` live births
(below that a single death moves the infant rate by more than one per 1,000, and an
incomplete birth register weighs too much); otherwise the counts are shown, not a ratio.

Pure functions; no Django import.
"""

from __future__ import annotations

MIN_EVENTS = 20
MIN_LIVE_BIRTHS = 1000
MATERNAL_PER = 100_000
INFANT_PER = 1_000


def ratio_shown(events: int, live_births: int) -> bool:
    """Whether a ratio of `events` over `live_births` is meaningful (see the module rule)."""
    return events >= MIN_EVENTS and live_births >= MIN_LIVE_BIRTHS


def maternal_mortality_ratio(maternal_deaths: int, live_births: int) -> float | None:
    """Maternal deaths per 100,000 live births; None when the numbers are too small."""
    if not ratio_shown(maternal_deaths, live_births):
        return None
    return maternal_deaths * MATERNAL_PER / live_births


def infant_mortality_rate(infant_deaths: int, live_births: int) -> float | None:
    """Deaths under one year per 1,000 live births; None when the numbers are too small."""
    if not ratio_shown(infant_deaths, live_births):
        return None
    return infant_deaths * INFANT_PER / live_births


def died_before_first_birthday(born: tuple[int, int, int], died: tuple[int, int, int]) -> bool:
    """Whether a death on `died` (year, month, day) came before the first birthday of a
    person born on `born`: the same comparison the counting query makes in SQL, as
    yyyymmdd numbers 10000 apart (a 29 February birthday falls on 1 March)."""
    return (died[0] * 10000 + died[1] * 100 + died[2]) - (
        born[0] * 10000 + born[1] * 100 + born[2]
    ) < 10000
