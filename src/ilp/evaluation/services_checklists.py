"""Writes of the coaching checklists: publishing a new version of a cluster's checklist (the
Dinkes edits; the old versions stay, read-only), the example first versions, a visit taking
the current versions when it is planned, and the team's answers during the visit.

Same rules as ``ilp.evaluation.services``: the right checked through ``ilp.accounts.access``,
a specific message on the field, one transaction, audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ilp.accounts.access import can_manage_checklists
from ilp.accounts.models import AuditAction, Cluster, User
from ilp.core.exceptions import Conflict, PermissionDenied
from ilp.evaluation.checklist_example import EXAMPLE
from ilp.evaluation.models import (
    Checklist,
    ChecklistAnswer,
    ChecklistAnswerCode,
    ChecklistItem,
    ChecklistSource,
    ChecklistVersion,
    CoachingVisit,
    VisitState,
)
from ilp.evaluation.services import (
    NOT_IN_VISIT_CHECKLIST,
    _audit,
    _invalid,
    _require_visit_team,
)
from ilp.monitoring.catalogue import load_catalogue

# The message of any answer tried on a visit marked done.
ANSWERS_FROZEN = gettext_lazy("Kunjungan ini sudah selesai; jawaban daftar tiliknya dibekukan.")


@dataclass(frozen=True)
class ItemDraft:
    """One item of the version to publish, as the Dinkes typed it."""

    code: str
    text: str
    indicator: str = ""


def current_version(district_id: int, cluster: str) -> ChecklistVersion | None:
    """The current (highest) version of the district's checklist of the cluster."""
    return (
        ChecklistVersion.objects.filter(
            checklist__district_id=district_id, checklist__cluster=cluster
        )
        .order_by("-number")
        .first()
    )


def _clean_items(items: Sequence[ItemDraft]) -> list[ItemDraft]:
    cleaned = [
        ItemDraft(i.code.strip(), i.text.strip(), i.indicator.strip())
        for i in items
        if i.code.strip() or i.text.strip()
    ]
    if not cleaned:
        raise _invalid("items", _("Daftar tilik perlu paling sedikit satu butir."))
    for n, item in enumerate(cleaned, start=1):
        if not item.code:
            raise _invalid("items", _("Butir ke-%(n)d: isi nomornya.") % {"n": n})
        if not item.text:
            raise _invalid("items", _("Butir %(code)s: isi butirnya kosong.") % {"code": item.code})
        if len(item.code) > ChecklistItem._meta.get_field("code").max_length:  # type: ignore[operator]
            raise _invalid(
                "items", _("Butir %(code)s: nomor paling panjang 16 huruf.") % {"code": item.code}
            )
        if item.indicator and item.indicator not in load_catalogue():
            raise _invalid(
                "items", _("Butir %(code)s: indikator tidak dikenal.") % {"code": item.code}
            )
    codes = [i.code for i in cleaned]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise _invalid(
            "items",
            _("Nomor butir dipakai lebih dari sekali: %(codes)s.") % {"codes": ", ".join(twice)},
        )
    return cleaned


def checklist_publish(
    *,
    user: User,
    cluster: str,
    base: ChecklistVersion | None,
    items: Sequence[ItemDraft],
    note: str = "",
    source: str = ChecklistSource.EDITED,
) -> ChecklistVersion:
    """Publish a new version of the district's checklist of `cluster` with `items` in order.

    `base` is the version the Dinkes edited (None for a checklist not yet written): when
    another version was published since, nothing is saved (the edit would silently undo it).
    Items left out are retired: they stay in the older versions."""
    if not can_manage_checklists(user):
        raise PermissionDenied(_("Hanya administrator Dinas Kesehatan yang mengubah daftar tilik."))
    if cluster not in Cluster.values:
        raise _invalid("cluster", _("Klaster tidak dikenal."))
    if base is not None and (
        base.checklist.district_id != user.area_id or base.checklist.cluster != cluster
    ):
        raise _invalid("items", _("Versi ini bukan daftar tilik klaster ini."))
    cleaned = _clean_items(items)
    with transaction.atomic():
        checklist, _created = Checklist.objects.select_for_update().get_or_create(
            district_id=user.area_id,
            cluster=cluster,
            defaults={"created_by": user, "updated_by": user},
        )
        latest = checklist.versions.aggregate(n=Max("number"))["n"] or 0
        if (base.number if base is not None else 0) != latest:
            raise Conflict(
                _(
                    "Versi %(base)s bukan versi terbaru (versi %(latest)s sudah terbit); "
                    "buka versi terbaru lalu ubah lagi."
                )
                % {"base": base.number if base is not None else 0, "latest": latest}
            )
        before = (
            [ItemDraft(i.code, i.text, i.indicator) for i in base.items.all()]
            if base is not None
            else []
        )
        if before == cleaned:
            raise _invalid("items", _("Tidak ada perubahan; versi baru tidak diterbitkan."))
        version = ChecklistVersion.objects.create(
            checklist=checklist,
            number=latest + 1,
            note=note.strip(),
            source=source,
            created_by=user,
            updated_by=user,
        )
        ChecklistItem.objects.bulk_create(
            [
                ChecklistItem(
                    version=version,
                    position=n,
                    code=i.code,
                    text=i.text,
                    indicator=i.indicator,
                    created_by=user,
                    updated_by=user,
                )
                for n, i in enumerate(cleaned, start=1)
            ]
        )
        old_codes = {i.code for i in before}
        new_codes = [i.code for i in cleaned]
        _audit(
            user,
            AuditAction.CREATE,
            version,
            {
                "cluster": cluster,
                "number": version.number,
                "items": new_codes,
                "retired": sorted(old_codes - set(new_codes)),
                "source": source,
            },
        )
    return version


def checklist_seed_example(*, user: User) -> list[ChecklistVersion]:
    """Publish the example checklist (``checklist_example``) as version 1 of every cluster
    of the user's district that has no checklist yet; the clusters that have one keep it."""
    if not can_manage_checklists(user):
        raise PermissionDenied(_("Hanya administrator Dinas Kesehatan yang mengubah daftar tilik."))
    have = set(
        Checklist.objects.filter(district_id=user.area_id, versions__isnull=False).values_list(
            "cluster", flat=True
        )
    )
    published = []
    with transaction.atomic():
        for cluster, rows in EXAMPLE.items():
            if cluster in have:
                continue
            published.append(
                checklist_publish(
                    user=user,
                    cluster=cluster,
                    base=None,
                    items=[ItemDraft(*row) for row in rows],
                    source=ChecklistSource.EXAMPLE,
                )
            )
    return published


def visit_take_checklists(visit: CoachingVisit) -> list[ChecklistVersion]:
    """Attach to a planned visit the current version of each cluster's checklist of its
    team's district, for the clusters it has none of yet; later edits publish new versions
    and leave the visit's alone. Called inside the planning's transaction."""
    taken = set(visit.checklist_versions.values_list("checklist__cluster", flat=True))
    latest = (
        ChecklistVersion.objects.filter(checklist__district_id=visit.team.district_id)
        .exclude(checklist__cluster__in=taken)
        .order_by("checklist__cluster", "-number")
        .select_related("checklist")
    )
    chosen: dict[str, ChecklistVersion] = {}
    for version in latest:
        chosen.setdefault(version.checklist.cluster, version)
    if chosen:
        visit.checklist_versions.add(*chosen.values())
    return list(chosen.values())


def checklist_answer(
    *, user: User, visit: CoachingVisit, item: ChecklistItem, answer: str, note: str = ""
) -> ChecklistAnswer:
    """Record (or change) the team's answer to one item of the visit's checklist while the
    visit is planned; a done visit's answers are frozen."""
    _require_visit_team(user, visit)
    if visit.state != VisitState.PLANNED:
        raise Conflict(ANSWERS_FROZEN)
    if answer not in ChecklistAnswerCode.values:
        raise _invalid("answer", _("Pilih jawaban: ya, sebagian, tidak atau tidak dinilai."))
    if not visit.checklist_versions.filter(pk=item.version_id).exists():
        raise _invalid("item", str(NOT_IN_VISIT_CHECKLIST))
    with transaction.atomic():
        # The state read again under a lock: an answer may not slip in after "done".
        locked = CoachingVisit.objects.select_for_update().get(pk=visit.pk)
        if locked.state != VisitState.PLANNED:
            raise Conflict(ANSWERS_FROZEN)
        found, created = ChecklistAnswer.objects.update_or_create(
            visit=visit,
            item=item,
            defaults={"answer": answer, "note": note.strip(), "updated_by": user},
            create_defaults={
                "answer": answer,
                "note": note.strip(),
                "created_by": user,
                "updated_by": user,
            },
        )
        _audit(
            user,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            found,
            {"visit": str(visit.uuid), "item": item.code, "answer": answer},
        )
    return found
