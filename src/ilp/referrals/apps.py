"""App configuration of referrals: registers the hospital staff's home page section
(``ilp.accounts.home.HOSPITAL_SECTIONS``)."""

from __future__ import annotations

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "ilp.referrals"
    label = "referrals"
    verbose_name = "Rujukan"

    def ready(self) -> None:
        from ilp.accounts.home import HOSPITAL_SECTIONS
        from ilp.referrals.home import hospital_home

        if hospital_home not in HOSPITAL_SECTIONS:
            HOSPITAL_SECTIONS.append(hospital_home)
