"""Reads of the coaching checklists, scoped to the user's district: each cluster's checklist
with its version history, one version with its items, and a visit's checklists with the
team's answers and the score per cluster (``ilp.standards.checklist``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from ilp.accounts.access import can_read_checklists
from ilp.accounts.models import Cluster, User
from ilp.core.exceptions import NotFound, PermissionDenied
from ilp.evaluation.models import (
    ChecklistAnswer,
    ChecklistItem,
    ChecklistVersion,
    CoachingVisit,
)
from ilp.standards.checklist import ChecklistScore, score


@dataclass
class ClusterChecklists:
    """One cluster's checklist in the district: its versions, newest first (empty: none
    written yet)."""

    cluster: str
    label: str
    versions: list[ChecklistVersion] = field(default_factory=list)

    @property
    def current(self) -> ChecklistVersion | None:
        return self.versions[0] if self.versions else None


def _require_reader(user: User) -> None:
    if not can_read_checklists(user):
        raise PermissionDenied(_("Daftar tilik dibaca oleh staf Dinas Kesehatan."))


def district_checklists(user: User) -> list[ClusterChecklists]:
    """Every cluster (in the order of ``Cluster``) with the versions of the district's
    checklist, each with its number of items (one query)."""
    _require_reader(user)
    found = {c: ClusterChecklists(c, str(label)) for c, label in Cluster.choices}
    versions = (
        ChecklistVersion.objects.filter(checklist__district_id=user.area_id)
        .select_related("checklist", "created_by")
        .annotate(item_count=Count("items"))
        .order_by("checklist__cluster", "-number")
    )
    for version in versions:
        found[version.checklist.cluster].versions.append(version)
    return list(found.values())


def _versions(user: User) -> QuerySet[ChecklistVersion]:
    return ChecklistVersion.objects.filter(checklist__district_id=user.area_id).select_related(
        "checklist", "created_by"
    )


def checklist_version_get(user: User, uuid: UUID | str) -> ChecklistVersion:
    """One version of the district's checklists, with its items."""
    _require_reader(user)
    version = _versions(user).filter(uuid=uuid).prefetch_related("items").first()
    if version is None:
        raise NotFound(_("Versi daftar tilik tidak ditemukan."))
    return version


def checklist_current(user: User, cluster: str) -> ChecklistVersion | None:
    """The current version of the cluster's checklist, with its items (None: not written)."""
    _require_reader(user)
    return (
        _versions(user)
        .filter(checklist__cluster=cluster)
        .prefetch_related("items")
        .order_by("-number")
        .first()
    )


def latest_numbers(user: User) -> dict[int, int]:
    """By checklist id, the number of its current version (to mark an old version)."""
    rows = _versions(user).order_by("checklist_id", "-number").values_list("checklist_id", "number")
    latest: dict[int, int] = {}
    for checklist_id, number in rows:
        latest.setdefault(checklist_id, number)
    return latest


@dataclass(frozen=True)
class ItemAnswer:
    item: ChecklistItem
    answer: ChecklistAnswer | None


@dataclass(frozen=True)
class VisitChecklist:
    """One cluster's checklist version a visit took, its items with the team's answers, and
    the score so far."""

    version: ChecklistVersion
    rows: list[ItemAnswer]
    score: ChecklistScore


def visit_checklists(visit: CoachingVisit) -> list[VisitChecklist]:
    """The checklist versions the visit took, in cluster order, each item with its answer
    (three queries however many items)."""
    versions = (
        visit.checklist_versions.select_related("checklist")
        .prefetch_related(Prefetch("items", queryset=ChecklistItem.objects.order_by("position")))
        .order_by("checklist__cluster")
    )
    answers = {a.item_id: a for a in ChecklistAnswer.objects.filter(visit=visit)}
    found = []
    for version in versions:
        rows = [ItemAnswer(item, answers.get(item.pk)) for item in version.items.all()]
        found.append(
            VisitChecklist(
                version,
                rows,
                score(len(rows), [r.answer.answer for r in rows if r.answer is not None]),
            )
        )
    order = {c: n for n, c in enumerate(Cluster.values)}
    return sorted(found, key=lambda v: order.get(v.version.checklist.cluster, len(order)))


def checklist_item_get(uuid: UUID | str) -> ChecklistItem | None:
    """An item by its UUID with its version (None: no such item); whether it belongs to a
    visit's checklist is the service's judgement, with its message."""
    return ChecklistItem.objects.filter(uuid=uuid).select_related("version__checklist").first()
