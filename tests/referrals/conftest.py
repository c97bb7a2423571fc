"""Referral fixtures on the shared test district: a puskesmas user of Puskesmas Timur
(`pkm_timur`, the "other puskesmas"), a pustu midwife of Pustu Cemara, and a maternal
referral of Siti from Pustu Ampel (bidan_ampel) to Puskesmas Barat (pkm_barat receives),
found 4 hours ago and decided 3 hours ago."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.accounts.models import Role, User
from ilp.referrals import services


@pytest.fixture
def pkm_timur(district):
    return User.objects.create_user(
        username="pkm_timur",
        password="pw-test-123",
        role=Role.PUSKESMAS,
        facility=district.pkm_timur_f,
    )


@pytest.fixture
def bidan_cemara(district):
    return User.objects.create_user(
        username="bidan_cemara",
        password="pw-test-123",
        role=Role.PUSTU,
        facility=district.pustu_cemara_f,
    )


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def referral(district, now):
    return services.referral_create(
        user=district.bidan_ampel,
        person=district.siti,
        from_facility=district.pustu_ampel_f,
        to_facility=district.pkm_barat_f,
        kind="maternal",
        reason="Tekanan darah 160/110, sakit kepala",
        diagnosis_code="o141",
        detected_at=now - timedelta(hours=4),
        decided_at=now - timedelta(hours=3),
    )
