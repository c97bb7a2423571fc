"""App configuration of referrals: registers the hospital staff's home page section
(``ilp.accounts.home.HOSPITAL_SECTIONS``) and the referral section of the kepala puskesmas'
home (``ilp.accounts.home.HOME_SECTIONS``), both in ``ilp.referrals.home``; and which referrals
a work list's rujuk balik lines may link to (``ilp.care.worklists.links``)."""

from __future__ import annotations

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "ilp.referrals"
    label = "referrals"
    verbose_name = "Rujukan"

    def ready(self) -> None:
        from ilp.accounts.home import HOME_SECTIONS, HOSPITAL_SECTIONS
        from ilp.care.worklists.links import READABLE_REFERRALS
        from ilp.referrals.home import home_section, hospital_home
        from ilp.referrals.selectors import readable_uuids

        if hospital_home not in HOSPITAL_SECTIONS:
            HOSPITAL_SECTIONS.append(hospital_home)
        if home_section not in HOME_SECTIONS:
            HOME_SECTIONS.append(home_section)
        if not READABLE_REFERRALS:
            READABLE_REFERRALS.append(readable_uuids)
