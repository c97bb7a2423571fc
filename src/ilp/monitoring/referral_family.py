"""The "Rujukan" indicator family of the monitoring pages: per puskesmas network (the
puskesmas with its pustu and posyandu, and a hospital for its back referrals) and month, the
referrals sent, the share answered within the allowance, the median time from the decision to
refer to the reception, and the share arriving too late (``ilp.standards.referral``).

Why not catalogue indicators: the catalogue's indicators (``catalogue.toml``) are
numerator/denominator counts of *persons by their residence area*, pre-aggregated per dusun
and summed over an area's subtree at read time. These figures belong to *facilities* (the
sending puskesmas, not where the person lives), and a median cannot be summed from the
medians of sub-areas. So they are read directly through the referral report's selector
(``ilp.referrals.selectors.delay_report``: one query over a month's referrals, scoped by
``referral_report_facilities_q``) and shown as a separate section of the summary page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse

from ilp.accounts.access import can_view_referral_report
from ilp.accounts.models import User
from ilp.referrals import selectors
from ilp.standards.referral import DelayReport


@dataclass(frozen=True)
class FamilyRow:
    """One puskesmas network's (or the total's) figures of the month."""

    name: str
    report: DelayReport

    @property
    def reaching_median(self) -> Any:
        return self.report.reaching.get("median")


def referral_family(user: User, year: int, month: int) -> dict[str, Any] | None:
    """The section's context for `month`: the total and a row per puskesmas network of the
    referrals sent; None for a reader of no referral report."""
    if not can_view_referral_report(user):
        return None
    first = date(year, month, 1)
    page = selectors.delay_report(user, start=first, end=first, network=True)
    rows = [FamilyRow(row.facility_name, row.report) for row in page.rows]
    return {
        "total": FamilyRow("", page.total),
        "rows": rows,
        "month": first,
        "report_url": f"{reverse('referrals:report')}?dari={first:%Y-%m}",
    }
