"""Maternal and perinatal deaths: which kind a death is, whether its notification came in
time, the ICD-MM group of a maternal cause, and the codes of the avoidable factors a death
review finds (the three delays).

Sources:
- WHO, *ICD-10* (2019), Volume 2, §5.8.1 definitions: **maternal death** is the death of a
  woman while pregnant or within **42 days** of the termination of pregnancy, from any cause
  related to or aggravated by the pregnancy or its management (not from accidental or
  incidental causes); the **neonatal period** begins at birth and ends **28 completed days**
  after birth (early neonatal: the first 7 days); a **fetal death** (stillbirth) is death
  before complete expulsion from the mother; for international comparison WHO counts
  stillbirths from **28 completed weeks** of gestation.
- WHO, *The WHO Application of ICD-10 to deaths during pregnancy, childbirth and the
  puerperium: ICD-MM* (2012), Table 1: the nine groups of underlying cause (1 abortive
  outcome, 2 hypertensive disorders, 3 obstetric haemorrhage, 4 pregnancy-related infection,
  5 other obstetric complications, 6 unanticipated complications of management, 7
  non-obstetric complications, 8 unknown/undetermined, 9 coincidental causes). The mapping
  below is by ICD-10 category and the few subcategories the table names apart; it is
  *simplified*: a category the table splits is mapped to the group of most of its
  subcategories. A death outside chapter XV (O) is group 7 when it is a maternal death
  (indirect cause) and has no group otherwise.
- Kemenkes, *Pedoman Audit Maternal Perinatal Surveilans dan Respon (AMP-SR)* (ISBN
  978-623-301-171-6) [DOMAIN.md §6, S51]: a hospital notifies each maternal and perinatal
  death in MPDN **within 3×24 hours**; deaths at home or in primary care are notified by the
  puskesmas; every maternal death is audited, perinatal deaths are sampled. The issue
  (issue 12, item 5) asks ILP to show when notification within **24 hours** was missed, so the
  limit is a parameter (``ILP_DEATH_NOTIFY_HOURS``, default 24); the guideline's 72 h is
  the setting to use where the district follows MPDN to the letter.
- The three delays (Thaddeus & Maine 1994, DOMAIN.md §6 [S50]): delay 1 in deciding to seek
  care, delay 2 in reaching care, delay 3 in receiving care, plus the delay of the referral
  itself (the "fourth delay"). The factor codes are grouped by these delays.

Pure functions; no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

MATERNAL = "maternal"
STILLBIRTH = "stillbirth"
NEONATAL = "neonatal"
KINDS = (MATERNAL, STILLBIRTH, NEONATAL)

# WHO ICD-10 vol. 2 §5.8.1.
MATERNAL_DAYS_AFTER_END = 42
NEONATAL_DAYS = 28
EARLY_NEONATAL_DAYS = 7
STILLBIRTH_MIN_WEEKS = 28


def is_maternal(death_on: date, pregnancy_end: date | None) -> bool:
    """Whether a woman's death on `death_on` falls in the maternal period of a pregnancy that
    ended on `pregnancy_end` (None: still pregnant at death): while pregnant, or at most 42
    days after its end."""
    if pregnancy_end is None:
        return True
    days = (death_on - pregnancy_end).days
    return 0 <= days <= MATERNAL_DAYS_AFTER_END


def age_in_days(birth_date: date, death_on: date) -> int:
    """Completed days of life at death (0 on the day of birth)."""
    return (death_on - birth_date).days


def is_neonatal(birth_date: date, death_on: date) -> bool:
    """Whether a death on `death_on` of a child born on `birth_date` is a neonatal death:
    within the first 28 completed days (days 0–27)."""
    return 0 <= age_in_days(birth_date, death_on) < NEONATAL_DAYS


def is_early_neonatal(birth_date: date, death_on: date) -> bool:
    """Within the first 7 days (days 0–6): with stillbirths, the perinatal deaths."""
    return 0 <= age_in_days(birth_date, death_on) < EARLY_NEONATAL_DAYS


def is_stillbirth(gestation_weeks: int | None) -> bool:
    """Whether a baby born without signs of life counts as a stillbirth (WHO's international
    definition: from 28 completed weeks); unknown gestation is given the benefit of the doubt
    (a stillbirth), since the midwife who records it has seen the baby."""
    return gestation_weeks is None or gestation_weeks >= STILLBIRTH_MIN_WEEKS


# ---------------------------------------------------------------- notification

ON_TIME = "on_time"
LATE = "late"
PENDING = "pending"  # not notified yet, still within the limit
MISSED = "missed"  # not notified and the limit has passed


@dataclass(frozen=True)
class Notification:
    """The notification check of one death: its status, the limit, and how late (hours,
    rounded up) when late or missed."""

    status: str
    limit_hours: int
    hours_late: int = 0


def _hours_over(delta: timedelta) -> int:
    seconds = delta.total_seconds()
    return max(1, int(-(-seconds // 3600)))


def notification_check(
    died_at: datetime, notified_at: datetime | None, now: datetime, limit_hours: int = 24
) -> Notification:
    """Whether the death was notified within `limit_hours` of the death (see the module
    docstring for the limit): on time, late by so many hours, still pending, or missed
    (not notified and the limit passed, counted up to `now`)."""
    deadline = died_at + timedelta(hours=limit_hours)
    if notified_at is not None:
        if notified_at <= deadline:
            return Notification(ON_TIME, limit_hours)
        return Notification(LATE, limit_hours, _hours_over(notified_at - deadline))
    if now <= deadline:
        return Notification(PENDING, limit_hours)
    return Notification(MISSED, limit_hours, _hours_over(now - deadline))


# ---------------------------------------------------------------- ICD-MM groups (WHO 2012)

ICDMM_GROUPS = (1, 2, 3, 4, 5, 6, 7, 8, 9)

# Subcategories the ICD-MM table places apart from their category's group.
_ICDMM_SUB = {
    "O41.1": 4,  # infection of amniotic sac
    "O43.2": 3,  # morbidly adherent placenta
    "O71.0": 3,
    "O71.1": 3,  # uterine rupture
    "O71.3": 3,
    "O71.4": 3,
    "O71.7": 3,
    "O75.3": 4,  # other infection during labour
    "O75.4": 6,  # other complications of obstetric surgery
    "O86.4": 4,
}


def _icdmm_category(letter_digits: str) -> int | None:
    n = int(letter_digits[1:3])
    if 0 <= n <= 8:
        return 1
    if n == 10:
        return 7  # pre-existing hypertension: a non-obstetric (indirect) cause
    if 11 <= n <= 16:
        return 2
    if n in (20, 44, 45, 46, 67, 72):
        return 3
    if n in (23, 85, 86, 91):
        return 4
    if n in (29, 74):
        return 6
    if n in (95,):
        return 8
    if n in (98, 99):
        return 7
    if 21 <= n <= 92:
        return 5
    return None


def icdmm_group(code: str, *, maternal: bool = True) -> int | None:
    """The ICD-MM group (1–9) of an underlying cause given as a WHO ICD-10 code in WHO's
    form (``O14.1``), or None when it has none (no code; not a maternal death; O94/O96/O97,
    late and sequelae deaths, which ICD-MM counts apart). External causes (chapter XX,
    V01–Y98) of a woman dying in the maternal period are coincidental (group 9); any other
    cause outside chapter XV is indirect (group 7)."""
    if not code or not maternal:
        return None
    code = code.strip().upper()
    if code in _ICDMM_SUB:
        return _ICDMM_SUB[code]
    letter = code[0]
    if letter == "O":
        if code[1:3] in ("94", "96", "97"):
            return None
        return _icdmm_category(code[:3])
    if letter in "VWXY":
        return 9
    if code.startswith("R99") or code.startswith("R98") or code.startswith("R96"):
        return 8
    return 7


# ---------------------------------------------------------------- avoidable factors

DELAY_1 = "delay_1"  # deciding to seek care
DELAY_2 = "delay_2"  # reaching care
DELAY_3 = "delay_3"  # receiving care
REFERRAL_DELAY = "referral"  # the referral itself
DELAYS = (DELAY_1, DELAY_2, DELAY_3, REFERRAL_DELAY)

# Factor code → its delay. Codes only; the app renders their labels.
FACTORS: dict[str, str] = {
    "d1_danger_signs": DELAY_1,  # danger signs not recognised
    "d1_family_decision": DELAY_1,  # decision waited for the family
    "d1_cost": DELAY_1,  # fear of cost
    "d1_tradition": DELAY_1,  # beliefs, traditional birth attendant
    "d2_transport": DELAY_2,  # no transport
    "d2_distance": DELAY_2,  # distance, road, weather
    "d2_no_companion": DELAY_2,
    "d3_staff": DELAY_3,  # no competent staff on duty
    "d3_blood": DELAY_3,  # blood not available
    "d3_drugs_equipment": DELAY_3,
    "d3_bed": DELAY_3,  # no bed / ICU / NICU
    "d3_management": DELAY_3,  # care below standard
    "ref_late_decision": REFERRAL_DELAY,  # referred late
    "ref_no_answer": REFERRAL_DELAY,  # no answer from the receiving facility
    "ref_redirected": REFERRAL_DELAY,  # refused or redirected
    "ref_no_stabilisation": REFERRAL_DELAY,  # not stabilised before transfer
}


def factor_delay(code: str) -> str | None:
    """The delay a factor code belongs to (None: not a factor code)."""
    return FACTORS.get(code)
