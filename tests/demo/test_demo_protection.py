"""The demo's partners and KtP/A cases: the ``ppa`` login works for the UPTD PPA and sees the
cases referred to it (one acknowledged, one overdue, one followed up) and the one it referred
in, not the others; written once."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.accounts.models import User
from ilp.demo.generate import generate_district, wipe_demo_data
from ilp.demo.protection import generate_protection
from ilp.protection.models import Case, CaseReferral, Partner
from ilp.protection.selectors import cases_q
from ilp.protection.selectors_partner import case_referrals

TODAY = date(2026, 3, 2)  # a Monday


@pytest.mark.django_db
def test_ppa_sees_the_cases_referred_to_its_organisation(client):
    generate_district(population=400, seed=7, today=TODAY)
    assert generate_protection(today=TODAY) == 6
    assert generate_protection(today=TODAY) == 0
    ppa = User.objects.get(username="ppa")
    assert ppa.partner_membership.partner.name == "UPTD PPA Kota Mataram"
    assert set(Partner.objects.values_list("kind", flat=True)) == {"uptd_ppa", "lpa", "police"}
    staff = User.objects.get(username="puskesmas.ampenan")
    assert set(Case.objects.values_list("facility__name", flat=True)) == {"Puskesmas Ampenan"}
    seen = list(cases_q(ppa).order_by("arrived_at"))
    assert len(seen) == 4
    states = sorted(r.referral.state for c in seen for r in case_referrals(ppa, c, today=TODAY))
    assert states == ["acknowledged", "followed_up", "sent"]
    overdue = [r for c in seen for r in case_referrals(ppa, c, today=TODAY) if r.overdue]
    assert len(overdue) == 1 and overdue[0].referral.aim == "legal"
    referred_in = Case.objects.get(referred_by__isnull=False)
    assert referred_in in seen and referred_in.officer is None and referred_in.urgent
    hidden = Case.objects.exclude(pk__in=[c.pk for c in seen])
    assert hidden.count() == 2  # the LPA's and the unreferred one
    assert all(c.officer == staff for c in hidden)
    assert CaseReferral.objects.filter(partner__kind="lpa").count() == 1
    client.force_login(ppa)
    page = client.get("/perlindungan/").content.decode()
    for c in seen:
        assert c.number in page
    for c in hidden:
        assert c.number not in page
        assert client.get(f"/perlindungan/kasus/{c.uuid}/").status_code == 404
    wipe_demo_data()
    assert not Case.objects.exists() and not Partner.objects.exists()
