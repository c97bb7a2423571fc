"""Protection personas on top of the test district: the ``ppa`` login works for LPA Kota Uji,
``ppa_uptd`` for the UPTD PPA (a partner a case is not referred to), ``pkm_timur`` staff of
the other puskesmas, ``bidan_batu`` a pustu worker of Puskesmas Barat; and a case opened
by Puskesmas Barat for Siti (``prot.case``)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ilp.accounts.models import Role, User
from ilp.protection import services
from ilp.protection.models import Partner, PartnerKind, PartnerMember


def _user(username: str, role: str, **extra) -> User:
    u = User.objects.create_user(username=username, password="x", role=role, **extra)
    return u


@pytest.fixture
def prot(district) -> SimpleNamespace:
    d = district
    p = SimpleNamespace(d=d)
    p.lpa = Partner.objects.create(name="LPA Kota Uji", kind=PartnerKind.LPA, area=d.city)
    p.uptd = Partner.objects.create(
        name="UPTD PPA Kota Uji", kind=PartnerKind.UPTD_PPA, area=d.city
    )
    p.police = Partner.objects.create(name="Unit PPA Polres", kind=PartnerKind.POLICE, area=d.city)
    PartnerMember.objects.create(user=d.ppa, partner=p.lpa)
    p.ppa_uptd = _user("ppa_uptd", Role.PROTECTION, area=d.city)
    PartnerMember.objects.create(user=p.ppa_uptd, partner=p.uptd)
    p.pkm_timur = _user("pkm_timur", Role.PUSKESMAS, facility=d.pkm_timur_f)
    p.pkm_barat2 = _user("pkm_barat2", Role.PUSKESMAS, facility=d.pkm_barat_f)
    p.bidan_batu = _user("bidan_batu", Role.PUSTU, facility=d.pustu_batu_f)
    p.case = services.case_open(
        user=d.pkm_barat,
        arrival_route="walk_in",
        kinds=["physical"],
        summary="Datang dengan memar di lengan",
        victim={"person": d.siti, "disabilities": ["hearing"], "accommodations": ["sign_language"]},
    )
    return p
