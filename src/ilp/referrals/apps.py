"""App configuration of referrals; its section of the kepala puskesmas' home page is
registered in ``ilp.accounts.home.HOME_SECTIONS`` (``ilp.referrals.home``)."""

from __future__ import annotations

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "ilp.referrals"
    label = "referrals"
    verbose_name = "Rujukan"

    def ready(self) -> None:
        from ilp.accounts.home import HOME_SECTIONS
        from ilp.referrals.home import home_section

        if home_section not in HOME_SECTIONS:
            HOME_SECTIONS.append(home_section)
