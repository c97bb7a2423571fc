"""App configuration of referrals."""

from __future__ import annotations

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "ilp.referrals"
    label = "referrals"
    verbose_name = "Rujukan"
