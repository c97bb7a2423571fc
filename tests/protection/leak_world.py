"""The case the leak tests look for, and who is who around it (imported by
``test_permission_matrix.py`` and ``test_no_leaks.py``; not a test module itself).

On the test district (``tests/conftest.py``) and the protection personas (``prot`` in
``tests/protection/conftest.py``): Puskesmas Barat's officer (``pkm_barat``) has Siti as the
victim and Budi (her husband) as the alleged perpetrator, with clinical notes, a step with a
clinical note, Pustu Batu's midwife (``bidan_batu``) in the circle, and the case referred to
LPA Kota Uji (``ppa``). A positive screening of Siti is added when the screening module is
there. Every persona of every role is named in ``PERSONAS``.

The texts below are unique markers: a response that must not carry the case is searched for
them (and for the names and NIKs of the parties)."""

from __future__ import annotations

import importlib
import re
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from ilp.accounts.models import Role, User
from ilp.protection import services
from ilp.protection.models import CaseReferral, Partner, PartnerKind

CLINICAL_NOTES = "Memar paha kiri dan luka robek CATKLIN-7731"
STEP_NOTE = "Luka dijahit LANGKAH-5521"
SUMMARY = "Dipukul suami di rumah RINGKAS-4410"
# Any case number (KTPA-<year>-<facility>-<n>), whichever case it is.
CASE_NUMBER = re.compile(r"KTPA-\d{4}-\d+-\d+")

# The personas, one per role and position around the case: column key → how to find the
# user (an attribute of `prot` or of the district; None: not logged in).
PERSONAS: dict[str, str | None] = {
    "ano": None,  # not logged in
    "dnk": "dinkes",  # dinkes administrator: a case only by breaking the glass
    "tpc": "tpcb",  # TPCB analyst
    "pkm": "pkm_barat",  # puskesmas, the case's officer (in the circle)
    "pk2": "pkm_barat2",  # puskesmas of the same puskesmas, outside the circle
    "pkT": "pkm_timur",  # another puskesmas
    "puC": "bidan_batu",  # pustu, added to the circle
    "pus": "bidan_ampel",  # pustu outside the circle (Siti's own desa)
    "kdr": "kader_ampel_timur",  # Siti's posyandu
    "lpa": "ppa",  # partner the case is referred to
    "upt": "ppa_uptd",  # partner the case is not referred to
    "pp0": "ppa_nomember",  # role protection without a partner organisation
    "cmt": "camat_barat",  # cross-sector: the camat of Siti's kecamatan
    "kds": "kades_ampel",  # cross-sector: the kepala desa of Siti's desa
    "dpo": "dpo",  # data-protection officer
    "spc": "specialist",  # coaching specialist
    "rs": "rs_uji",  # hospital staff
    "nor": "norole",  # logged in, no role
}
# Who reads the case (all of it but the clinical part for the partner, who has no consent).
READERS = frozenset({"pkm", "puC", "lpa"})
# Who acts on it (its health circle).
CIRCLE = frozenset({"pkm", "puC"})


def _user(username: str, role: str, **extra: Any) -> User:
    return User.objects.create_user(username=username, password="x", role=role, **extra)


def _screening(d: SimpleNamespace) -> Any:
    """A positive WAST screening of Siti by Puskesmas Barat, when the screening module is
    there (it opens a case of its own, read by its screener only)."""
    try:
        module = importlib.import_module("ilp.protection.services_screening")
        rules = importlib.import_module("ilp.standards.ktpa_screening")
    except ImportError:
        return None
    answers = {item: rules.WAST_SCALES[item][-1] for item in rules.WAST_ITEMS}
    answers["physical_abuse"] = "sometimes"
    return module.screening_record(
        user=d.pkm_barat, person=d.siti, signs=["unexplained_injuries"], answers=answers
    )


def build(prot: SimpleNamespace) -> SimpleNamespace:
    """The world of the leak tests on top of the `prot` fixture (see the module docstring)."""
    d = prot.d
    w = SimpleNamespace(prot=prot, d=d, case=prot.case)
    prot.ppa_nomember = _user("ppa_nomember", Role.PROTECTION, area=d.city)
    prot.dpo = _user("dpo", Role.DATA_PROTECTION, area=d.city)
    prot.specialist = _user("specialist", Role.SPECIALIST, area=d.city)
    case = prot.case
    case.summary = SUMMARY
    case.save(update_fields=["summary"])
    services.party_add(
        user=d.pkm_barat,
        case=case,
        role="perpetrator",
        person=d.budi,
        relation_to_victim="spouse",
    )
    case.refresh_from_db()
    services.case_update_notes(
        user=d.pkm_barat,
        case=case,
        clinical_notes=CLINICAL_NOTES,
        partner_may_read_clinical=False,
        version=case.version,
    )
    services.step_record(
        user=d.pkm_barat,
        case=case,
        step="first_contact",
        note=STEP_NOTE,
    )
    services.assignment_add(user=d.pkm_barat, case=case, member=prot.bidan_batu)
    now = timezone.now()
    CaseReferral.objects.create(
        case=case,
        partner=prot.lpa,
        aim="social",
        sent_at=now,
        follow_up_due=timezone.localdate(now) + timedelta(days=3),
        note="Pendampingan",
        created_by=d.pkm_barat,
        updated_by=d.pkm_barat,
    )
    # A partner of another district, which must not matter.
    Partner.objects.create(name="LPA Lain", kind=PartnerKind.LPA, area=d.province)
    case.refresh_from_db()
    w.case = case
    w.screening = _screening(d)
    w.users = {key: _persona(prot, attr) for key, attr in PERSONAS.items()}
    return w


def _persona(prot: SimpleNamespace, attr: str | None) -> User | None:
    if attr is None:
        return None
    found = getattr(prot, attr, None) or getattr(prot.d, attr)
    assert isinstance(found, User), attr
    return found


def secrets(w: SimpleNamespace) -> dict[str, str]:
    """What nobody outside the case may read anywhere, by what it is."""
    d = w.d
    return {
        "victim's name": d.siti.full_name,
        "victim's NIK": d.siti.nik,
        "perpetrator's name": d.budi.full_name,
        "perpetrator's NIK": d.budi.nik,
        "case number": w.case.number,
        "case uuid": str(w.case.uuid),
        "clinical notes": CLINICAL_NOTES,
        "clinical step note": STEP_NOTE,
        "summary": SUMMARY,
    }


def case_markers(w: SimpleNamespace) -> dict[str, Any]:
    """What of a case must not show on any page outside ``/perlindungan/`` (where the
    victim's and the perpetrator's names are shown legitimately): the case, by any number."""
    return {
        "a case number": CASE_NUMBER,
        "case number": w.case.number,
        "case uuid": str(w.case.uuid),
        "clinical notes": CLINICAL_NOTES,
        "clinical step note": STEP_NOTE,
        "summary": SUMMARY,
    }


def body_text(response: Any) -> str:
    """The text of a response to search: HTML or JSON as it is, an Excel file's XML
    (its cells), a streamed body joined; the request's path and query values (echoed by
    the language switch and the search field) taken out."""
    import io
    import zipfile

    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(
                archive.read(n) for n in archive.namelist() if n.endswith((".xml", ".csv"))
            )
    text = raw.decode("utf-8", errors="replace")
    from django.utils.html import escape

    request = getattr(response, "wsgi_request", None)
    if request is None:
        return text
    # what the user asked for comes back as given (the search field): not a leak
    echoed = [request.get_full_path(), *(v for vs in request.GET.lists() for v in vs[1])]
    for value in sorted((v for v in echoed if v), key=len, reverse=True):
        text = text.replace(escape(value), "").replace(value, "")
    return text


def found(text: str, wanted: dict[str, Any]) -> list[str]:
    """The names of the `wanted` texts that occur in `text` (case-insensitive; a compiled
    pattern as it is)."""
    low = text.lower()
    return [
        what
        for what, value in wanted.items()
        if value and (value.search(text) if isinstance(value, re.Pattern) else value.lower() in low)
    ]
