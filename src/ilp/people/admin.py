"""Admin screens for families, persons and pregnancies (search by NIK, name, KK).

The admin is for the dinkes administrator's corrections; registration by health workers goes
through the pages and services, which check NIKs, duplicates and scope. Nothing is deleted
here (``ilp.core.admin.CorrectionAdmin``): a record entered by mistake is voided with a
reason on its page or through the API; every edit carries a reason and is kept in the
history, and an edit over another admin's newer save is refused with what they changed.
Every list and change page opened is audited (``AuditedAdminMixin``), one event per page."""

from __future__ import annotations

from django.contrib import admin

from ilp.accounts.audit import AuditedAdminMixin
from ilp.core.admin import CorrectionAdmin
from ilp.people.corrections import PERSON_CHANGED
from ilp.people.models import Family, Person, Pregnancy
from ilp.people.names import name_key


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
class FamilyAdmin(AuditedAdminMixin, CorrectionAdmin):
    list_display = ["kk_number", "head", "village", "hamlet", "rt"]
    search_fields = ["=kk_number", "head__full_name", "=head__nik"]
    autocomplete_fields = ["head", "rt", "hamlet", "village"]
    list_select_related = ["head", "village", "hamlet", "rt"]
    inlines = [MemberInline]

    def audited_person_ids(self, obj: Family) -> list[int]:
        # The change page lists every member (inline).
        return list(obj.members.values_list("pk", flat=True))

    def audited_row_ids(self, obj: Family) -> list[int]:
        return [obj.head_id] if obj.head_id else []  # the list page names the head


@admin.register(Person)
class PersonAdmin(AuditedAdminMixin, CorrectionAdmin):
    list_display = ["full_name", "nik", "local_id", "sex", "birth_date", "village", "hamlet"]
    list_filter = ["sex", "relationship", "disability"]
    search_fields = ["=nik", "=local_id", "=bpjs_number", "name_key", "=family__kk_number"]
    autocomplete_fields = ["family", "mother", "rt", "hamlet", "village"]
    list_select_related = ["village", "hamlet"]
    date_hierarchy = "birth_date"
    ordering = ["full_name", "pk"]  # a stable page order for the list and the autocomplete

    def get_search_results(self, request, queryset, search_term):
        # name_key is lower-case: search it with the lower-cased term (prefix index).
        return super().get_search_results(request, queryset, search_term.lower())

    def before_save(self, obj, stored) -> None:
        obj.name_key = name_key(obj.full_name)  # the search follows a rename

    def after_save(self, obj, stored) -> None:
        if any(
            getattr(obj, f) != getattr(stored, f)
            for f in ("birth_date", "sex", "village_id", "hamlet_id")
        ):
            for hook in PERSON_CHANGED:
                hook(obj)


@admin.register(Pregnancy)
class PregnancyAdmin(AuditedAdminMixin, CorrectionAdmin):
    list_display = ["person", "lmp", "edd", "gravida", "para", "abortus", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["=person__nik", "person__full_name", "=person__family__kk_number"]
    autocomplete_fields = ["person"]
    list_select_related = ["person"]

    def audited_person_ids(self, obj: Pregnancy) -> list[int]:
        return [obj.person_id]
