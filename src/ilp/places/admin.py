"""Admin screens for areas and facilities (reference data kept by the dinkes admin)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from ilp.places.models import Area, BoundaryImport, Facility


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    readonly_fields = ["uuid", "created_at", "updated_at"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "area", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["area", "parent"]
    filter_horizontal = ["service_areas"]
    list_select_related = ["area", "parent"]
    readonly_fields = ["uuid", "created_at", "updated_at"]


@admin.register(BoundaryImport)
class BoundaryImportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # as the others: not subscriptable at run time
    """The record of each boundary import (read only: imports are made by the command)."""

    list_display = ["created_at", "file_name", "imported_by", "feature_count", "replaced_count"]
    readonly_fields = [f.name for f in BoundaryImport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # the record outlives the outlines it brought
