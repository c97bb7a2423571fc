"""Why an item is on a work list: the codes a :class:`~ilp.care.worklists.engine.WorkItem`
carries as its ``why`` (an ``ilp.core.texts.Text``) and their phrasing.

The engine builds codes with parameters (a dose code, a date, a month, the KSPR class);
pages, exports and the API render them in the reader's language only when they show them —
a puskesmas list of 40,000 items renders the 50 of the page it shows, not all of them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ilp.core.texts import register

REASONS = {
    "care.why.dose_due": _("Imunisasi %(dose)s jatuh tempo sejak %(since)s"),
    "care.why.dose_overdue": _("Imunisasi %(dose)s terlambat sejak %(since)s"),
    "care.why.weigh_this_month": _("Belum ditimbang bulan ini"),
    "care.why.weigh_never": _("Belum pernah ditimbang"),
    "care.why.weigh_since": _("Tidak ditimbang sejak %(month)s"),
    "care.why.screen_never": _("Belum pernah skrining %(kind)s"),
    "care.why.screen_last": _("Skrining %(kind)s tahunan: terakhir %(last)s"),
    "care.why.anc_due": _("Kontak ANC %(visit)s jatuh tempo sejak %(since)s"),
    "care.why.anc_overdue": _("Kontak ANC %(visit)s terlambat sejak %(since)s"),
    "care.why.kf_due": _("Kunjungan nifas %(visit)s jatuh tempo sejak %(since)s"),
    "care.why.kf_overdue": _("Kunjungan nifas %(visit)s terlambat sejak %(since)s"),
    "care.why.kn_due": _("Kunjungan neonatal %(visit)s jatuh tempo sejak %(since)s"),
    "care.why.kn_overdue": _("Kunjungan neonatal %(visit)s terlambat sejak %(since)s"),
    # An earlier window closed without a visit (KF1 missed makes KF2 overdue).
    "care.why.missed": _("%(reason)s (terlewat: %(missed)s)"),
    # A high-risk pregnancy (KSPR class, e.g. KRST) is named after the reason.
    "care.why.risk": _("%(reason)s — %(risk)s"),
    "care.why.task_follow_up": _("Tindak lanjut"),
    "care.why.task_home_visit": _("Kunjungan rumah"),
    "care.why.refer": _("Rujuk ke puskesmas: %(reason)s"),
    # A referral answered with a rujuk balik plan (or a person sent back by a hospital).
    "care.why.back_referral": _("Rujuk balik dari %(facility)s (%(date)s): %(plan)s"),
    # A child on the special growth list for two findings (wasting and stunting).
    "care.special.both": _("%(first)s, %(second)s"),
}

register(REASONS)
