"""Admin screens for families, persons and pregnancies (search by NIK, name, KK).

The admin is for the dinkes administrator's corrections; registration by health workers goes
through the pages and services, which check NIKs, duplicates and scope."""

from __future__ import annotations

from django.contrib import admin

from ilp.people.models import Family, Person, Pregnancy


class MemberInline(admin.TabularInline):
    model = Person
    fk_name = "family"
    fields = ["full_name", "nik", "sex", "birth_date", "relationship"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin):
    list_display = ["kk_number", "head", "village", "hamlet", "rt"]
    search_fields = ["=kk_number", "head__full_name", "=head__nik"]
    autocomplete_fields = ["head", "rt", "hamlet", "village"]
    list_select_related = ["head", "village", "hamlet", "rt"]
    readonly_fields = ["uuid", "created_at", "updated_at", "created_by", "updated_by"]
    inlines = [MemberInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "nik", "local_id", "sex", "birth_date", "village", "hamlet"]
    list_filter = ["sex", "relationship", "disability"]
    search_fields = ["=nik", "=local_id", "=bpjs_number", "name_key", "=family__kk_number"]
    autocomplete_fields = ["family", "mother", "rt", "hamlet", "village"]
    list_select_related = ["village", "hamlet"]
    readonly_fields = ["uuid", "created_at", "updated_at", "created_by", "updated_by"]
    date_hierarchy = "birth_date"

    def get_search_results(self, request, queryset, search_term):
        # name_key is lower-case: search it with the lower-cased term (prefix index).
        return super().get_search_results(request, queryset, search_term.lower())


@admin.register(Pregnancy)
class PregnancyAdmin(admin.ModelAdmin):
    list_display = ["person", "lmp", "edd", "gravida", "para", "abortus", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["=person__nik", "person__full_name", "=person__family__kk_number"]
    autocomplete_fields = ["person"]
    list_select_related = ["person"]
    readonly_fields = ["uuid", "created_at", "updated_at", "created_by", "updated_by"]
