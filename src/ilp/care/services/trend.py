"""Weight trend on the KMS: naik (N), tidak naik (T), and "2T" (two T in a row).

Rule (Kemenkes, KMS balita; Permenkes 155/2010 tentang Penggunaan KMS bagi Balita, tabel
Kenaikan Berat Badan Minimal (KBM), reproduced in Buku KIA and posyandu kader modules
[P: secondary copies; confirm against the regulation PDF]):

* A weighing is compared with the child's last weighing **in the previous calendar month**
  (posyandu weigh monthly; re-weighings in the same month are ignored).
* **N (naik)**: the gain is at least the KBM for the child's age in completed months at this
  weighing; **T (tidak naik)**: gain below the KBM, no gain, or a loss.
* **B (baru)**: first weighing ever; **O**: no weighing in the previous month (not judged).
  Under one completed month no KBM exists and no trend is given (``None``).
* **2T**: this weighing and the previous month's are both T — the kader's trigger for a home
  visit and referral (SKDN "T", DOMAIN.md §2.3).

| age (completed months) | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12–59 |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
| KBM (g) | 800 | 900 | 800 | 600 | 500 | 400 | 400 | 300 | 300 | 300 | 200 | 200 |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ilp.core.texts import Text
from ilp.standards.lifestage import completed_months

SOURCE = "Kemenkes, KMS balita: Kenaikan Berat Badan Minimal (Permenkes 155/2010)"
KBM_GRAMS: dict[int, int] = {
    1: 800,
    2: 900,
    3: 800,
    4: 600,
    5: 500,
    6: 400,
    7: 400,
    8: 300,
    9: 300,
    10: 300,
    11: 200,
}
KBM_FROM_12_MONTHS = 200

LABELS = {
    "N": "Naik (N)",
    "T": "Tidak naik (T)",
    "B": "Baru pertama ditimbang (B)",
    "O": "Bulan lalu tidak ditimbang (O)",
}


def kbm_grams(age_months: int) -> int | None:
    """Minimum monthly gain for a child of `age_months` completed months (None under 1)."""
    if age_months < 1:
        return None
    return KBM_GRAMS.get(age_months, KBM_FROM_12_MONTHS)


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


@dataclass(frozen=True, slots=True)
class Trend:
    code: str | None  # N, T, B, O or None (under one month)
    gain_g: int | None
    kbm_g: int | None
    two_t: bool
    reason: str  # Indonesian, for the special lists; pages render ``trend_reason``
    since: date | None = None  # the weighing compared with
    months: int | None = None  # completed months on the weighing date


def _compare(birth: date, on: date, weight: float, prev: tuple[date, float]) -> Trend:
    months = completed_months(birth, on)
    kbm = kbm_grams(months)
    gain = round((weight - prev[1]) * 1000)
    if kbm is None:
        return Trend(None, gain, None, False, "Umur < 1 bulan: KBM tidak berlaku")
    code = "N" if gain >= kbm else "T"
    reason = f"Kenaikan {gain} g sejak {prev[0]:%d-%m-%Y}; KBM umur {months} bulan {kbm} g"
    return Trend(code, gain, kbm, False, reason, prev[0], months)


def weight_trend(birth: date, on: date, weight: float, history: list[tuple[date, float]]) -> Trend:
    """KMS trend of this weighing. `history`: earlier (date, kg) weighings, any order."""
    earlier = sorted((h for h in history if h[0] < on), key=lambda h: h[0])
    if not earlier:
        return Trend("B", None, None, False, "Penimbangan pertama")
    this_month = _month_index(on)
    by_month: dict[int, tuple[date, float]] = {}
    for d, w in earlier:
        if _month_index(d) < this_month:
            by_month[_month_index(d)] = (d, w)  # last weighing of each month wins
    prev = by_month.get(this_month - 1)
    if prev is None:
        return Trend("O", None, None, False, "Bulan lalu tidak ditimbang")
    trend = _compare(birth, on, weight, prev)
    if trend.code != "T":
        return trend
    before = by_month.get(this_month - 2)
    if before is None:
        return trend
    previous = _compare(birth, prev[0], prev[1], before)
    if previous.code == "T":
        return Trend(
            "T",
            trend.gain_g,
            trend.kbm_g,
            True,
            trend.reason + "; bulan lalu juga T",
            trend.since,
            trend.months,
        )
    return trend


def trend_reason(trend: Trend) -> Text:
    """Why the trend is what it is, as a code with parameters (``ilp.care.texts``)."""
    if trend.code == "B":
        return Text("care.reason.trend_first")
    if trend.code == "O":
        return Text("care.reason.trend_gap")
    if trend.kbm_g is None:
        return Text("care.reason.trend_newborn")
    params = {
        "gain": trend.gain_g,
        "since": trend.since,
        "months": trend.months,
        "kbm": trend.kbm_g,
    }
    return Text("care.reason.trend_gain_2t" if trend.two_t else "care.reason.trend_gain", params)
