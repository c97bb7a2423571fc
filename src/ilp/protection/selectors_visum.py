"""Reads of visums, cut to what the reader may see: the health circle everything; the police
partner the request, the letter's number and its delivery; the findings, the examination
and the letter itself only for those who read the case's clinical part (``sees_clinical``).
Call after ``selectors.case_for_user`` (which scopes and audits the case read)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ilp.accounts.access import may_act_on_case, sees_clinical, sees_visum
from ilp.core.exceptions import NotFound
from ilp.protection.models import Case, CaseParty, PartyRole
from ilp.protection.models_visum import ConsentBy, CustodyEntry, Visum, VisumKind
from ilp.protection.services_visum import district_of, fill, template_body


@dataclass
class VisumRow:
    visum: Visum
    custody: list[CustodyEntry]


@dataclass
class VisumSection:
    """What the user sees of a case's visums: `rows` (none when `shown` is False), whether
    the findings and letters are readable (`clinical`) and whether the user writes (`actor`)."""

    shown: bool
    clinical: bool
    actor: bool
    rows: list[VisumRow]


def case_visums(user: Any, case: Case) -> VisumSection:
    """The case's visums (not voided) as `user` may see them."""
    if not sees_visum(user, case):
        return VisumSection(shown=False, clinical=False, actor=False, rows=[])
    clinical = sees_clinical(user, case)
    rows = (
        Visum.objects.active()
        .filter(case=case)
        .select_related("party", "party__person", "examiner")
        .order_by("received_at", "id")
    )
    if clinical:
        rows = rows.prefetch_related(
            Prefetch("custody", queryset=CustodyEntry.objects.order_by("at", "id"))
        )
    return VisumSection(
        shown=True,
        clinical=clinical,
        actor=may_act_on_case(user, case),
        rows=[VisumRow(v, list(v.custody.all()) if clinical else []) for v in rows],
    )


def visum_of_case(case: Case, visum_uuid: Any) -> Visum:
    """The visum `visum_uuid` of `case` (voided ones too, so a write says why it is refused);
    NotFound otherwise."""
    try:
        key = uuid.UUID(str(visum_uuid))
    except ValueError:
        key = None
    found = (
        Visum.objects.filter(case=case, uuid=key).select_related("case", "party").first()
        if key
        else None
    )
    if found is None:
        raise NotFound(_("Visum tidak ditemukan."))
    visum: Visum = found
    return visum


def victim_choices(case: Case) -> list[tuple[str, str]]:
    """(uuid, name) of the case's victims, for the request form."""
    rows = (
        CaseParty.objects.active()
        .filter(case=case, role=PartyRole.VICTIM)
        .select_related("person")
        .order_by("id")
    )
    return [(str(p.uuid), party_name(p)) for p in rows]


def victim_by_uuid(case: Case, value: str) -> CaseParty | None:
    """The victim of `case` chosen in the request form (None when not one)."""
    try:
        key = uuid.UUID(str(value))
    except ValueError:
        return None
    return (
        CaseParty.objects.active()
        .filter(case=case, role=PartyRole.VICTIM, uuid=key)
        .select_related("person")
        .first()
    )


def party_name(party: CaseParty) -> str:
    """The victim's name as the letter writes it (registry name, or the alias)."""
    person = party.person
    return person.full_name if person is not None else party.alias


def _age(party: CaseParty, on: date) -> str:
    person = party.person
    if party.age_years is not None:
        years: int | None = party.age_years
    elif person is not None and person.birth_date:
        born = person.birth_date
        years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    else:
        years = None
    return _("%(n)d tahun") % {"n": years} if years is not None else "—"


def _day(value: date | None) -> str:
    return date_format(value, "j F Y") if value else "—"


def letter_values(visum: Visum) -> dict[str, str]:
    """The value of each placeholder of the letter (call under the letter's language)."""
    case = visum.case
    party = visum.party
    examined = timezone.localtime(visum.examined_at) if visum.examined_at else None
    examiner = visum.examiner
    consent = ""
    if visum.consent_by:
        consent = f"{ConsentBy(visum.consent_by).label.lower()} ({visum.consent_name})"
    return {
        "nomor_surat": visum.letter_number or "—",
        "tanggal_surat": _day(visum.letter_date),
        "jenis_visum": str(VisumKind(visum.kind).label),
        "nomor_kasus": case.number,
        "puskesmas": str(case.facility),
        "pemeriksa": (examiner.get_full_name() or examiner.username) if examiner else "—",
        "nomor_permintaan": visum.request_number,
        "tanggal_permintaan": _day(visum.request_date),
        "penyidik": visum.investigator_name,
        "kesatuan": visum.investigator_unit,
        "waktu_pemeriksaan": date_format(examined, "j F Y H:i") if examined else "—",
        "nama_korban": party_name(party),
        "jenis_kelamin_korban": party.get_sex_display() or "—",
        "umur_korban": _age(party, examined.date() if examined else timezone.localdate()),
        "pendamping": visum.chaperone_name or "—",
        "persetujuan": consent or "—",
        "temuan": visum.findings or "—",
    }


def letter_html(visum: Visum) -> Any:
    """The letter's filled body (HTML) from the district's template in force, or the
    built-in default."""
    area = district_of(visum.case.facility.area)
    return fill(template_body(area, visum.kind), letter_values(visum))
