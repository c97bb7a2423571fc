"""Admin screens for users (role, facility, area, cluster) and the read-only audit log."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from ilp.accounts.models import AuditEvent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "facility", "area", "is_active"]
    list_filter = ["role", "cluster", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["facility", "area"]
    list_select_related = ["facility", "area"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Peran dan wilayah kerja"),
            {"fields": ("role", "facility", "area", "cluster", "phone")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Peran dan wilayah kerja"), {"fields": ("role", "facility", "area", "cluster")}),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is append-only: nobody adds, edits or deletes rows here."""

    list_display = ["at", "user", "action", "object_type", "object_uuid", "person_id", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["user__username", "=object_uuid", "=person_id"]
    date_hierarchy = "at"
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
