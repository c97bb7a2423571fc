"""The filter of the Dinkes speed report: a range of months of arrival."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import QueryDict

from ilp.referrals.forms import DelayReportForm

# Without a choice the report covers the twelve months up to this one.
DEFAULT_MONTHS = 12


class SpeedReportForm(DelayReportForm):
    """``dari`` … ``sampai`` (months, ``YYYY-MM``; at most 24, as the referral delay report).
    Nothing given: the twelve months up to this one; only ``dari``: that month alone."""

    sisi = None  # type: ignore[assignment]  # the delay report's senders/receivers: not here

    def __init__(self, query: QueryDict, *, today: date, **kwargs: Any) -> None:
        data = query.copy()
        if not data.get("dari") and not data.get("sampai"):
            back = today.year * 12 + today.month - DEFAULT_MONTHS
            data["dari"] = f"{back // 12:04d}-{back % 12 + 1:02d}"
            data["sampai"] = f"{today:%Y-%m}"
        super().__init__(data, today=today, **kwargs)
