"""django.contrib.admin with ILP's admin site (`admin_site.ILPAdminSite`): login through the
ILP page, second factor required of those who enrolled one. Listed in INSTALLED_APPS in place
of "django.contrib.admin" (kept apart from apps.py, where Django looks for one config only)."""

from django.contrib.admin.apps import AdminConfig


class ILPAdminConfig(AdminConfig):
    default_site = "ilp.accounts.admin_site.ILPAdminSite"
