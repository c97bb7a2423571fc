"""Pure rules of maternal and perinatal deaths (``ilp.standards.deaths``): the WHO
definitions (42 days, 28 days, 28 weeks), the notification check and the ICD-MM groups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ilp.standards import deaths as rules

T = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def test_notification_check_statuses():
    t = T
    assert rules.notification_check(t, t + timedelta(hours=23), t).status == "on_time"
    assert rules.notification_check(t, None, t + timedelta(hours=5)).status == "pending"
    missed = rules.notification_check(t, None, t + timedelta(hours=30))
    assert (missed.status, missed.hours_late) == ("missed", 6)
    assert rules.notification_check(t, t + timedelta(hours=50), t, 72).status == "on_time"


def test_icdmm_groups():
    assert rules.icdmm_group("O72.1") == 3
    assert rules.icdmm_group("O14.1") == 2
    assert rules.icdmm_group("O03.9") == 1
    assert rules.icdmm_group("O85") == 4
    assert rules.icdmm_group("O71.1") == 3
    assert rules.icdmm_group("O99.4") == 7
    assert rules.icdmm_group("B54") == 7
    assert rules.icdmm_group("V89.2") == 9
    assert rules.icdmm_group("O95") == 8
    assert rules.icdmm_group("O96") is None
    assert rules.icdmm_group("O72.1", maternal=False) is None


def test_classification_rules():
    assert rules.is_maternal(date(2025, 3, 13), date(2025, 2, 1))  # 40 days
    assert not rules.is_maternal(date(2025, 3, 16), date(2025, 2, 1))  # 43 days
    assert rules.is_maternal(date(2025, 3, 16), None)
    assert rules.is_neonatal(date(2025, 1, 1), date(2025, 1, 28))  # day 27
    assert not rules.is_neonatal(date(2025, 1, 1), date(2025, 1, 29))  # day 28
    assert rules.is_early_neonatal(date(2025, 1, 1), date(2025, 1, 7))
    assert not rules.is_stillbirth(27) and rules.is_stillbirth(28) and rules.is_stillbirth(None)
