"""JSON shapes of the people API, one per direction (`...In` is read from a request body,
`...Out` written to a response). Inputs refuse unknown keys, so a misspelt field is an error
instead of silently ignored; lengths are capped at the column sizes so no input can reach the
database unchecked. Domain rules (NIK form, dates, one head per KK) stay in the services."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict, Field

from ilp.core.models import CorrectionReason
from ilp.people.models import Disability, PregnancyOutcome, Relationship, Sex
from ilp.people.selectors import SEARCH_LIMIT
from ilp.places.api import AreaRef, IsoDate, Text


class _Input(Schema):
    model_config = ConfigDict(extra="forbid")


_CLIENT_ID = (
    "UUID dibuat klien sekali per pendaftaran: kiriman ulang dengan id yang sama "
    "mengembalikan data yang sudah tersimpan (200), bukan data kedua; id yang sama untuk "
    "isi lain ditolak (409 `client_id_reused`)"
)


class CorrectionIn(_Input):
    """What every correction carries: the version read (`version` of the record's GET), the
    reason code and a note (required for `other`). A record changed since that version
    answers 409 `edit_conflict` with the changes; nothing is saved."""

    version: int = Field(ge=1, le=2_000_000_000, description="Versi data yang dikoreksi")
    reason: CorrectionReason = Field(description="Alasan koreksi")
    note: Text = Field("", max_length=255, description="Keterangan (wajib untuk `other`)")


class PersonPatchIn(CorrectionIn):
    """Correct a person: only the fields sent change (send `deceased_on: null` to clear)."""

    full_name: Text | None = Field(None, max_length=120)
    sex: Sex | None = None
    birth_date: IsoDate | None = None
    nik: Text | None = Field(None, max_length=32)
    bpjs_number: Text | None = Field(None, max_length=32)
    phone: Text | None = Field(None, max_length=20)
    birth_place: Text | None = Field(None, max_length=80)
    disability: Disability | None = None
    relationship: Relationship | None = None
    area_code: Text | None = Field(None, max_length=64)
    address: Text | None = Field(None, max_length=255)
    deceased_on: IsoDate | None = None


class PersonVoidIn(CorrectionIn):
    """Void a person registered by mistake, or twice (`duplicate_of`: the record kept)."""

    duplicate_of: UUID | None = None


class FamilyPatchIn(CorrectionIn):
    """Correct a family's KK number or address (only the fields sent change)."""

    kk_number: Text | None = Field(None, max_length=32)
    area_code: Text | None = Field(None, max_length=64)
    address: Text | None = Field(None, max_length=255)


class PregnancyPatchIn(CorrectionIn):
    """Correct a pregnancy (only the fields sent change; `null` clears a date)."""

    lmp: IsoDate | None = None
    edd: IsoDate | None = None
    gravida: int | None = Field(None, ge=1, le=30)
    para: int | None = Field(None, ge=0, le=30)
    abortus: int | None = Field(None, ge=0, le=30)
    outcome: PregnancyOutcome | None = None
    outcome_date: IsoDate | None = None


class VoidIn(CorrectionIn):
    """Void a record entered by mistake."""


class _PersonFields(_Input):
    full_name: Text = Field(max_length=120, description="Nama lengkap")
    sex: Sex = Field(description="M = laki-laki, F = perempuan")
    birth_date: IsoDate = Field(description="Tanggal lahir, YYYY-MM-DD")
    nik: Text = Field("", max_length=32, description="NIK, 16 angka (boleh kosong)")
    bpjs_number: Text = Field("", max_length=32, description="Nomor BPJS, 13 angka")
    phone: Text = Field("", max_length=20)
    birth_place: Text = Field("", max_length=80)
    disability: Disability = Disability.NONE


class PersonIn(_PersonFields):
    """Register one person living in `area_code` (an RT, dusun/RW or desa/kelurahan)."""

    area_code: Text = Field(max_length=64, description="Kode RT, dusun/RW atau desa/kelurahan")
    address: Text = Field("", max_length=255)
    family_uuid: UUID | None = Field(None, description="Keluarga (KK) yang sudah terdaftar")
    relationship: Relationship | None = Field(None, description="Hubungan dalam keluarga")
    confirm_not_duplicate: bool = Field(
        False, description="Simpan walau ada penduduk mirip (setelah diperiksa)"
    )
    client_id: UUID | None = Field(None, description=_CLIENT_ID)


class FamilyMemberIn(_PersonFields):
    relationship: Relationship | None = Field(None, description="Tepat satu `head` per KK")


class FamilyIn(_Input):
    """Register a family (Kartu Keluarga) with all its members at once."""

    kk_number: Text = Field("", max_length=32, description="Nomor KK, 16 angka")
    address: Text = Field("", max_length=255)
    area_code: Text = Field(max_length=64, description="Kode RT, dusun/RW atau desa/kelurahan")
    members: list[FamilyMemberIn] = Field(max_length=30)
    confirm_not_duplicate: bool = False
    client_id: UUID | None = Field(None, description=_CLIENT_ID)


class PregnancyIn(_Input):
    """Open a pregnancy episode: give the LMP (HPHT), the EDD, or both."""

    lmp: IsoDate | None = Field(None, description="HPHT, YYYY-MM-DD")
    edd: IsoDate | None = Field(None, description="Taksiran persalinan, YYYY-MM-DD")
    gravida: int = Field(1, ge=1, le=30)
    para: int = Field(0, ge=0, le=30)
    abortus: int = Field(0, ge=0, le=30)


class PersonSearchIn(Schema):
    q: Text = Field(
        "",
        max_length=100,
        description="NIK, nomor KK, nomor ILP atau nama (3 huruf ke atas: juga di dalam nama)",
    )
    limit: int = Field(SEARCH_LIMIT, ge=1, le=50)


class CodeLabelOut(Schema):
    code: str
    label: str


class LifeStageOut(Schema):
    main: str | None
    main_label: str
    stages: list[CodeLabelOut]


class PregnancyOut(Schema):
    uuid: UUID
    lmp: date | None
    edd: date
    gravida: int
    para: int
    abortus: int
    outcome: str
    outcome_label: str
    outcome_date: date | None
    version: int
    voided_at: datetime | None
    void_reason: str


class PersonSummaryOut(Schema):
    uuid: UUID
    local_id: str
    nik: str | None
    full_name: str
    sex: str
    birth_date: date
    relationship: str
    family_uuid: UUID | None
    village: AreaRef
    hamlet: AreaRef | None
    deceased_on: date | None


class PersonListOut(Schema):
    items: list[PersonSummaryOut]
    total: int = Field(
        0, description="berapa yang cocok seluruhnya (items dapat terpotong oleh limit)"
    )
    total_capped: bool = Field(
        False, description="lebih banyak lagi yang cocok: total dihitung sampai 1000 saja"
    )


class PersonOut(Schema):
    uuid: UUID
    local_id: str
    nik: str | None
    nik_flags: list[CodeLabelOut]
    bpjs_number: str
    full_name: str
    sex: str
    sex_label: str
    birth_date: date
    birth_place: str
    family_uuid: UUID | None
    relationship: str
    address: str
    rt: AreaRef | None
    hamlet: AreaRef | None
    village: AreaRef
    phone: str
    disability: str
    deceased_on: date | None
    life_stage: LifeStageOut
    pregnancies: list[PregnancyOut]
    version: int
    voided_at: datetime | None
    void_reason: str
    duplicate_of: UUID | None


class FamilyOut(Schema):
    """`in_scope` false: the family lives outside the user's area; its KK number, address
    and head are then null and its members there only counted."""

    uuid: UUID
    in_scope: bool
    kk_number: str | None
    address: str
    rt: AreaRef | None
    hamlet: AreaRef | None
    village: AreaRef | None
    head_uuid: UUID | None
    members: list[PersonSummaryOut]
    members_outside_scope: int
    version: int
