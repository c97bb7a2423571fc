"""App configuration of protection (KtP/A cases)."""

from __future__ import annotations

from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "ilp.protection"
    label = "protection"
    verbose_name = "Perlindungan (KtP/A)"
