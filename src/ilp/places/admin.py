"""Admin screens for areas and facilities (reference data kept by the dinkes admin)."""

from __future__ import annotations

from django.contrib import admin

from ilp.places.models import Area, Facility


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
