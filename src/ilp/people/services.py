"""Every write to families, persons and pregnancies (corrections: ``ilp.people.corrections``).

Services validate the whole input first and raise `ValidationFailed` with one message per
field (in the user's language) before anything is written, so a refused form loses nothing
already saved. Likely duplicates raise `DuplicateSuspected` until the user confirms.

Registration is idempotent by `client_id` (a UUID the form or API client generates once per
registration, as encounters have): the same id again returns the record stored the first
time, with ``replayed = True`` set on it and nothing written — whether the first request is
committed already or commits while the second waits on the unique index. The same id with
another content (another person, another KK, or from another user) is refused as a
Conflict ``client_id_reused``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import (
    area_in_scope,
    can_register,
    person_scope_q,
    require_family_in_scope,
)
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditEvent, User
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.people.duplicates import (
    NikExistence,
    audit_existence_check,
    find_duplicates,
    kk_existence,
    require_check_allowed,
)
from ilp.people.hooks import records_changed
from ilp.people.identity import check_kk_number, check_nik, region_code_of
from ilp.people.models import (
    Disability,
    Family,
    Person,
    Pregnancy,
    PregnancyOutcome,
    Relationship,
    Sex,
)
from ilp.people.names import clean_name, name_key
from ilp.places.models import Area, AreaLevel
from ilp.standards.pregnancy_dates import (
    REPRODUCTIVE_AGE_YEARS,
    DateProblem,
    pregnancy_date_problems,
)

MAX_AGE_YEARS = 120


class DuplicateSuspected(Conflict):
    """Registration paused: these existing persons look like the same person."""

    code = "duplicate_suspected"

    def __init__(self, message: object, *, candidates: dict[str, list[Person]]) -> None:
        super().__init__(message)
        # keyed by the input's field prefix ("" for a single person, "members.1." in a family)
        self.candidates = candidates


@dataclass
class PersonData:
    """The fields a registration form or API call provides for one person."""

    full_name: str
    sex: str
    birth_date: date | None
    nik: str = ""
    relationship: str = ""
    bpjs_number: str = ""
    phone: str = ""
    birth_place: str = ""
    disability: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Checked:
    data: PersonData
    nik: str | None
    flags: list[str]


def _today() -> date:
    return timezone.localdate()


def _check_person(data: PersonData, prefix: str, errors: dict[str, list[str]]) -> _Checked:
    """Validate one person's fields into `errors` (keys prefixed for family members)."""

    def err(name: str, message: str) -> None:
        errors.setdefault(f"{prefix}{name}", []).append(message)

    name = clean_name(data.full_name)
    if len(name) < 2:
        err("full_name", _("Nama lengkap wajib diisi (minimal 2 huruf)."))
    elif len(name) > 120:
        err("full_name", _("Nama lengkap terlalu panjang (maksimal 120 karakter)."))
    if data.sex not in Sex.values:
        err("sex", _("Jenis kelamin harus L (laki-laki) atau P (perempuan)."))
    today = _today()
    if data.birth_date is None:
        err("birth_date", _("Tanggal lahir wajib diisi."))
    elif data.birth_date > today:
        err("birth_date", _("Tanggal lahir tidak boleh di masa depan."))
    elif data.birth_date < date(today.year - MAX_AGE_YEARS, today.month, 1):
        err("birth_date", _("Umur lebih dari 120 tahun tidak mungkin; periksa tanggal lahir."))
    if data.relationship and data.relationship not in Relationship.values:
        err("relationship", _("Hubungan keluarga tidak dikenal."))
    if data.disability and data.disability not in Disability.values:
        err("disability", _("Jenis disabilitas tidak dikenal."))
    bpjs = "".join(ch for ch in data.bpjs_number if not ch.isspace())
    if bpjs and (not bpjs.isdigit() or len(bpjs) != 13):
        err("bpjs_number", _("Nomor BPJS harus 13 angka."))
    data.bpjs_number = bpjs
    data.full_name = name
    nik: str | None = None
    flags: list[str] = []
    if data.nik and data.nik.strip():
        check = check_nik(data.nik)
        if check.error:
            err("nik", check.error)
        else:
            known = Area.objects.filter(code=region_code_of(check.nik)).exists()
            check = check_nik(
                check.nik,
                sex=data.sex if data.sex in Sex.values else None,
                birth_date=data.birth_date,
                known_region=known,
            )
            nik, flags = check.nik, check.flags
    return _Checked(data, nik, flags)


def person_validate(data: PersonData) -> tuple[dict[str, list[str]], str | None, list[str]]:
    """Check one person's fields without saving: (errors per field, compact NIK, NIK flags).

    The registration form's as-you-type check calls this, so it shows exactly the messages
    that saving would."""
    errors: dict[str, list[str]] = {}
    checked = _check_person(data, "", errors)
    return errors, checked.nik, checked.flags


def _resolve_address(
    actor: User, *, rt: Area | None, hamlet: Area | None, village: Area | None
) -> tuple[Area | None, Area | None, Area]:
    """Derive (rt, hamlet, village) from the most precise area given and check the scope."""
    area = rt or hamlet or village
    if area is None:
        raise ValidationFailed(
            _("Alamat wajib diisi: pilih RT, dusun/RW atau desa/kelurahan."),
            fields={"area": [_("Pilih wilayah tempat tinggal.")]},
        )
    if area.level == AreaLevel.RT:
        rt, hamlet, village = area, area.parent, area.parent.parent
    elif area.level == AreaLevel.HAMLET:
        rt, hamlet, village = None, area, area.parent
    elif area.level == AreaLevel.VILLAGE:
        rt, hamlet, village = None, None, area
    else:
        raise ValidationFailed(
            _("Alamat harus di tingkat desa/kelurahan, dusun/RW atau RT."),
            fields={"area": [_("Wilayah terlalu umum.")]},
        )
    if not area_in_scope(actor, area):
        raise PermissionDenied(_("Wilayah ini di luar wilayah kerja Anda."))
    return rt, hamlet, village


def _new_local_id() -> str:
    return "ILP-" + uuid.uuid4().hex[:10].upper()


def _ensure_no_duplicates(
    checked: list[tuple[str, _Checked]],
    village: Area,
    confirmed: bool,
    *,
    actor: User,
    ip: str | None,
) -> None:
    """Refuse a duplicate NIK outright; pause on similar persons unless confirmed. A refusal
    tells that someone exists, so it is an existence check: audited, rate-limited, and it
    says only whether that someone lives in the user's area."""
    nik_errors: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    for prefix, c in checked:
        if c.nik:
            if c.nik in seen:
                nik_errors[f"{prefix}nik"] = [_("NIK ini dipakai dua kali dalam formulir.")]
            seen[c.nik] = prefix
    taken = dict(Person.objects.active().filter(nik__in=list(seen)).values_list("pk", "nik"))
    if taken:
        require_check_allowed(actor)
        visible = set(
            Person.objects.filter(person_scope_q(actor), pk__in=list(taken)).values_list(
                "pk", flat=True
            )
        )
        audit_existence_check(
            actor, what="nik", person_ids=list(taken), in_scope_ids=visible, ip=ip
        )
        for pk, nik in taken.items():
            answer = NikExistence(found=True, in_scope=pk in visible)
            nik_errors.setdefault(f"{seen[nik]}nik", []).append(answer.message())
    if nik_errors:
        raise Conflict(_("NIK sudah terdaftar."), code="duplicate_nik", fields=nik_errors)
    if confirmed:
        return
    candidates: dict[str, list[Person]] = {}
    for prefix, c in checked:
        found = find_duplicates(
            nik=None,
            full_name=c.data.full_name,
            birth_date=c.data.birth_date,
            village_id=village.pk,
        )
        if found:
            candidates[prefix] = found
    if candidates:
        require_check_allowed(actor)
        ids = [p.pk for found in candidates.values() for p in found]
        visible = set(
            Person.objects.filter(person_scope_q(actor), pk__in=ids).values_list("pk", flat=True)
        )
        audit_existence_check(
            actor, what="similar_person", person_ids=ids, in_scope_ids=visible, ip=ip
        )
        raise DuplicateSuspected(
            _(
                "Ada penduduk terdaftar dengan nama mirip dan tanggal lahir sama di desa ini. "
                "Periksa dulu; jika memang orang yang berbeda, centang konfirmasi lalu simpan."
            ),
            candidates=candidates,
        )


def _build_person(
    c: _Checked,
    *,
    actor: User,
    rt: Area | None,
    hamlet: Area | None,
    village: Area,
    address: str,
    family: Family | None,
) -> Person:
    d = c.data
    return Person(
        nik=c.nik,
        nik_flags=c.flags,
        local_id=_new_local_id(),
        bpjs_number=d.bpjs_number,
        full_name=d.full_name,
        name_key=name_key(d.full_name),
        sex=d.sex,
        birth_date=d.birth_date,
        birth_place=d.birth_place.strip(),
        family=family,
        relationship=d.relationship,
        address=address,
        rt=rt,
        hamlet=hamlet,
        village=village,
        phone=d.phone.strip(),
        disability=d.disability,
        created_by=actor,
        updated_by=actor,
    )


def _client_id_reused() -> Conflict:
    return Conflict(
        _("Id formulir ini sudah dipakai untuk pendaftaran lain; muat ulang formulirnya."),
        code="client_id_reused",
    )


def _identity(name: str, sex: str, birth: date | None, nik: str | None) -> tuple:
    return (name_key(name), sex, birth, nik or None)


def _person_identity(data: PersonData) -> tuple:
    nik = check_nik(data.nik).nik if data.nik and data.nik.strip() else None
    return _identity(data.full_name, data.sex, data.birth_date, nik)


def _stored_person(actor: User, client_id: Any, data: PersonData) -> Person | None:
    """The person registered earlier with `client_id`, if the same user registered the same
    person (name, sex, birth date, NIK); else Conflict. None when the id is new."""
    if client_id is None:
        return None
    stored = Person.objects.filter(client_id=client_id).first()
    if stored is None:
        return None
    same = _identity(stored.full_name, stored.sex, stored.birth_date, stored.nik)
    if stored.created_by_id != actor.pk or same != _person_identity(data):
        raise _client_id_reused()
    stored.replayed = True
    return stored


def _stored_family(
    actor: User, client_id: Any, kk_number: str, members: list[PersonData]
) -> Family | None:
    """The family registered earlier with `client_id` if the same user registered the same
    KK and members; else Conflict. None when the id is new."""
    if client_id is None:
        return None
    stored = Family.objects.filter(client_id=client_id).first()
    if stored is None:
        return None
    kk = check_kk_number(kk_number)[0] if kk_number and kk_number.strip() else None
    kept = {
        _identity(*row)
        for row in Person.objects.filter(family=stored).values_list(
            "full_name", "sex", "birth_date", "nik"
        )
    }
    sent = [_person_identity(m) for m in members]
    if stored.created_by_id != actor.pk or stored.kk_number != kk or not set(sent) <= kept:
        raise _client_id_reused()
    stored.replayed = True
    return stored


def _require_registrar(actor: User) -> None:
    if not can_register(actor):
        raise PermissionDenied(_("Peran Anda tidak boleh mendaftarkan penduduk."))


def person_register(
    *,
    actor: User,
    data: PersonData,
    rt: Area | None = None,
    hamlet: Area | None = None,
    village: Area | None = None,
    address: str = "",
    family: Family | None = None,
    confirm_not_duplicate: bool = False,
    ip: str | None = None,
    client_id: Any = None,
) -> Person:
    """Register one person (optionally into an existing family) after all checks; the same
    `client_id` again returns the stored person (see the module docstring)."""
    _require_registrar(actor)
    if family is not None:
        # Joining a family whose address or head lies elsewhere is a move between areas:
        # `person_move_family`, never a side effect of registering.
        require_family_in_scope(actor, family)
    stored = _stored_person(actor, client_id, data)
    if stored is not None:
        return stored
    try:
        return _person_register(
            actor=actor,
            data=data,
            rt=rt,
            hamlet=hamlet,
            village=village,
            address=address,
            family=family,
            confirm_not_duplicate=confirm_not_duplicate,
            ip=ip,
            client_id=client_id,
        )
    except Conflict:
        # The same registration was committed meanwhile (its NIK now "taken", or it won
        # the race for the client id): answer with it.
        stored = _stored_person(actor, client_id, data)
        if stored is None:
            raise
        return stored


def _person_register(
    *,
    actor: User,
    data: PersonData,
    rt: Area | None,
    hamlet: Area | None,
    village: Area | None,
    address: str,
    family: Family | None,
    confirm_not_duplicate: bool,
    ip: str | None,
    client_id: Any,
) -> Person:
    errors: dict[str, list[str]] = {}
    checked = _check_person(data, "", errors)
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=errors)
    rt, hamlet, village = _resolve_address(actor, rt=rt, hamlet=hamlet, village=village)
    _ensure_no_duplicates([("", checked)], village, confirm_not_duplicate, actor=actor, ip=ip)
    person = _build_person(
        checked,
        actor=actor,
        rt=rt,
        hamlet=hamlet,
        village=village,
        address=address.strip(),
        family=family,
    )
    person.client_id = client_id
    try:
        with transaction.atomic():
            person.full_clean(validate_unique=False, validate_constraints=False)
            person.save()
            is_new_head = data.relationship == Relationship.HEAD
            if family is not None and is_new_head and family.head_id is None:
                # The family gains its head (no correction: the head was missing).
                Family.objects.filter(pk=family.pk, head__isnull=True).update(head=person)
                family.head = person
            records_changed([person.pk])
            audit_record(
                user=actor,
                action="create",
                object_type="person",
                object_uuid=person.uuid,
                person_id=person.pk,
                ip=ip,
            )
    except IntegrityError as exc:
        # Another user saved the same NIK between our check and our insert.
        raise nik_taken() from exc
    return person


def nik_taken() -> Conflict:
    """The refusal of a NIK another person holds (found when the database refused it)."""
    return Conflict(
        _("NIK sudah terdaftar."),
        code="duplicate_nik",
        fields={"nik": [_("NIK ini sudah terdaftar untuk penduduk lain.")]},
    )


def family_register(
    *,
    actor: User,
    kk_number: str,
    members: list[PersonData],
    rt: Area | None = None,
    hamlet: Area | None = None,
    village: Area | None = None,
    address: str = "",
    confirm_not_duplicate: bool = False,
    ip: str | None = None,
    client_id: Any = None,
) -> Family:
    """Register a family (KK) with its members in one transaction; exactly one head. The
    same `client_id` again returns the stored family (see the module docstring)."""
    _require_registrar(actor)
    stored = _stored_family(actor, client_id, kk_number, members)
    if stored is not None:
        return stored
    try:
        return _family_register(
            actor=actor,
            kk_number=kk_number,
            members=members,
            rt=rt,
            hamlet=hamlet,
            village=village,
            address=address,
            confirm_not_duplicate=confirm_not_duplicate,
            ip=ip,
            client_id=client_id,
        )
    except (Conflict, ValidationFailed):
        # Committed meanwhile by the same registration (its KK "taken", its NIKs
        # "registered", or the client id's unique index): answer with it.
        stored = _stored_family(actor, client_id, kk_number, members)
        if stored is None:
            raise
        return stored


def _family_register(
    *,
    actor: User,
    kk_number: str,
    members: list[PersonData],
    rt: Area | None,
    hamlet: Area | None,
    village: Area | None,
    address: str,
    confirm_not_duplicate: bool,
    ip: str | None,
    client_id: Any,
) -> Family:
    errors: dict[str, list[str]] = {}
    kk: str | None = None
    if kk_number and kk_number.strip():
        kk, kk_error = check_kk_number(kk_number)
        if kk_error:
            errors["kk_number"] = [kk_error]
    if not members:
        errors["members"] = [_("Keluarga harus punya minimal satu anggota (kepala keluarga).")]
    heads = [m for m in members if m.relationship == Relationship.HEAD]
    if members and len(heads) != 1:
        errors["members"] = [
            _("Satu KK harus punya tepat satu kepala keluarga.")
            if heads
            else _("KK belum punya kepala keluarga: tandai satu anggota sebagai kepala keluarga.")
        ]
    checked = [
        (f"members.{i}.", _check_person(m, f"members.{i}.", errors)) for i, m in enumerate(members)
    ]
    for i, m in enumerate(members):
        if not m.relationship:
            errors.setdefault(f"members.{i}.relationship", []).append(
                _("Hubungan keluarga wajib diisi.")
            )
    kk_taken = kk_existence(actor, kk, ip=ip) if kk else ""
    if kk_taken:
        errors.setdefault("kk_number", []).append(kk_taken)
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=errors)
    rt, hamlet, village = _resolve_address(actor, rt=rt, hamlet=hamlet, village=village)
    _ensure_no_duplicates(checked, village, confirm_not_duplicate, actor=actor, ip=ip)
    try:
        with transaction.atomic():
            family = Family.objects.create(
                client_id=client_id,
                kk_number=kk,
                address=address.strip(),
                rt=rt,
                hamlet=hamlet,
                village=village,
                created_by=actor,
                updated_by=actor,
            )
            people = [
                _build_person(
                    c,
                    actor=actor,
                    rt=rt,
                    hamlet=hamlet,
                    village=village,
                    address=address.strip(),
                    family=family,
                )
                for _prefix, c in checked
            ]
            # The mother (the head or spouse, when exactly one is a woman) is saved before the
            # children, so each row is written once.
            mothers = [
                p
                for p in people
                if p.sex == Sex.FEMALE
                and p.relationship in (Relationship.HEAD, Relationship.SPOUSE)
            ]
            mother = mothers[0] if len(mothers) == 1 else None
            for p in sorted(people, key=lambda p: p is not mother):
                if mother is not None and p.relationship == Relationship.CHILD:
                    p.mother = mother
                p.save()
            family.head = next(p for p in people if p.relationship == Relationship.HEAD)
            # An UPDATE, not save(): setting the head completes the registration, it is no
            # change for the history to keep.
            Family.objects.filter(pk=family.pk).update(head=family.head)
            records_changed([p.pk for p in people])
            AuditEvent.objects.bulk_create(
                [
                    AuditEvent(
                        user=actor,
                        action="create",
                        object_type="person",
                        object_uuid=p.uuid,
                        person_id=p.pk,
                        ip=ip or None,
                    )
                    for p in people
                ]
            )
    except IntegrityError as exc:
        raise Conflict(_("NIK atau nomor KK sudah terdaftar."), code="duplicate_nik") from exc
    return family


def pregnancy_errors(
    *,
    person: Person,
    lmp: date | None,
    edd: date | None,
    gravida: int,
    para: int,
    abortus: int,
    ongoing: bool = True,
) -> dict[str, list[str]]:
    """The messages per field for a pregnancy's dates and G-P-A (registration and
    correction). An LMP more than 44 weeks ago is refused only for an ongoing pregnancy."""
    errors: dict[str, list[str]] = {}
    today = _today()
    if person.sex != Sex.FEMALE:
        errors["person"] = [_("Kehamilan hanya dapat dicatat untuk perempuan.")]
    if lmp is None and edd is None:
        errors["lmp"] = [_("Isi HPHT atau taksiran persalinan.")]
    if lmp is not None:
        if lmp > today:
            errors.setdefault("lmp", []).append(_("HPHT tidak boleh di masa depan."))
        elif ongoing and lmp < today - timedelta(days=310):
            errors.setdefault("lmp", []).append(
                _("HPHT lebih dari 44 minggu yang lalu; periksa tanggalnya.")
            )
        elif lmp <= person.birth_date:
            errors.setdefault("lmp", []).append(_("HPHT sebelum tanggal lahir ibu."))
    for problem in pregnancy_date_problems(
        birth=person.birth_date, lmp=lmp, edd=edd, today=today, ongoing=ongoing
    ):
        if problem.field == "person" and (person.sex != Sex.FEMALE or "lmp" in errors):
            continue  # already refused: a man, or an LMP the age would be computed from
        errors.setdefault(problem.field, []).append(_date_problem_message(problem))
    if gravida < 1 or para < 0 or abortus < 0 or para + abortus > gravida - 1:
        errors["gravida"] = [_("G-P-A tidak konsisten: P + A harus lebih kecil dari G.")]
    return errors


def _date_problem_message(problem: DateProblem) -> str:
    def day(d: date | None) -> str:
        return formats.date_format(d, "SHORT_DATE_FORMAT") if d else ""

    low_age, high_age = REPRODUCTIVE_AGE_YEARS
    messages = {
        "age": _("Kehamilan hanya dapat dicatat untuk perempuan usia %(low)d–%(high)d tahun.")
        % {"low": low_age, "high": high_age},
        "edd_range": _(
            "Taksiran persalinan harus antara %(low)s dan %(high)s untuk kehamilan yang sedang "
            "berlangsung."
        )
        % {"low": day(problem.low), "high": day(problem.high)},
        "edd_before_lmp": _("Taksiran persalinan harus sesudah HPHT."),
        "edd_mismatch": _(
            "Taksiran persalinan jauh dari HPHT + 280 hari (%(expected)s); periksa kedua tanggal."
        )
        % {"expected": day(problem.low)},
    }
    return messages[problem.code]


def pregnancy_register(
    *,
    actor: User,
    person: Person,
    lmp: date | None = None,
    edd: date | None = None,
    gravida: int = 1,
    para: int = 0,
    abortus: int = 0,
) -> Pregnancy:
    """Open a pregnancy episode; EDD from LMP by Naegele's rule (LMP + 280 days) if absent."""
    _require_registrar(actor)
    errors = pregnancy_errors(
        person=person, lmp=lmp, edd=edd, gravida=gravida, para=para, abortus=abortus
    )
    if Pregnancy.objects.active().filter(person=person, outcome=PregnancyOutcome.ONGOING).exists():
        errors.setdefault("person", []).append(_("Ibu ini masih tercatat sedang hamil."))
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=errors)
    if edd is None:
        edd = lmp + timedelta(days=280)
    pregnancy = Pregnancy(
        person=person,
        lmp=lmp,
        edd=edd,
        gravida=gravida,
        para=para,
        abortus=abortus,
        created_by=actor,
        updated_by=actor,
    )
    try:
        with transaction.atomic():
            pregnancy.save()
            records_changed([person.pk])
    except IntegrityError as exc:
        # Two users opened a pregnancy for the same woman at the same moment.
        raise Conflict(
            _("Ibu ini masih tercatat sedang hamil."),
            fields={"person": [_("Ibu ini masih tercatat sedang hamil.")]},
        ) from exc
    audit_record(
        user=actor,
        action="create",
        object_type="pregnancy",
        object_uuid=pregnancy.uuid,
        person_id=person.pk,
    )
    return pregnancy


def pregnancy_close(
    *, actor: User, pregnancy: Pregnancy, outcome: str, outcome_date: date
) -> Pregnancy:
    """Record how a pregnancy ended."""
    _require_registrar(actor)
    if outcome not in PregnancyOutcome.values or outcome == PregnancyOutcome.ONGOING:
        raise ValidationFailed(
            _("Hasil kehamilan tidak dikenal."), fields={"outcome": [_("Pilih hasil kehamilan.")]}
        )
    if outcome_date > _today():
        raise ValidationFailed(
            _("Tanggal berakhir tidak boleh di masa depan."),
            fields={"outcome_date": [_("Tanggal di masa depan.")]},
        )
    if pregnancy.lmp and outcome_date < pregnancy.lmp:
        raise ValidationFailed(
            _("Tanggal berakhir sebelum HPHT."),
            fields={"outcome_date": [_("Tanggal sebelum HPHT.")]},
        )
    pregnancy.outcome = outcome
    pregnancy.outcome_date = outcome_date
    pregnancy.updated_by = actor
    pregnancy._history_user = actor  # the history keeps the ongoing state before this
    pregnancy.version += 1  # a correction form opened before this save is now out of date
    with transaction.atomic():
        pregnancy.save(
            update_fields=["outcome", "outcome_date", "version", "updated_by", "updated_at"]
        )
        records_changed([pregnancy.person_id])
    audit_record(
        user=actor,
        action="update",
        object_type="pregnancy",
        object_uuid=pregnancy.uuid,
        person_id=pregnancy.person_id,
    )
    return pregnancy
