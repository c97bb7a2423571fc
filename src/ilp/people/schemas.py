"""JSON shapes of the people API, one per direction (`...In` is read from a request body,
`...Out` written to a response). Inputs refuse unknown keys, so a misspelt field is an error
instead of silently ignored; lengths are capped at the column sizes so no input can reach the
database unchecked. Domain rules (NIK form, dates, one head per KK) stay in the services."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict, Field

from ilp.people.models import Disability, Relationship, Sex
from ilp.people.selectors import SEARCH_LIMIT
from ilp.places.api import AreaRef, IsoDate, Text


class _Input(Schema):
    model_config = ConfigDict(extra="forbid")


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


class FamilyMemberIn(_PersonFields):
    relationship: Relationship | None = Field(None, description="Tepat satu `head` per KK")


class FamilyIn(_Input):
    """Register a family (Kartu Keluarga) with all its members at once."""

    kk_number: Text = Field("", max_length=32, description="Nomor KK, 16 angka")
    address: Text = Field("", max_length=255)
    area_code: Text = Field(max_length=64, description="Kode RT, dusun/RW atau desa/kelurahan")
    members: list[FamilyMemberIn] = Field(max_length=30)
    confirm_not_duplicate: bool = False


class PregnancyIn(_Input):
    """Open a pregnancy episode: give the LMP (HPHT), the EDD, or both."""

    lmp: IsoDate | None = Field(None, description="HPHT, YYYY-MM-DD")
    edd: IsoDate | None = Field(None, description="Taksiran persalinan, YYYY-MM-DD")
    gravida: int = Field(1, ge=1, le=30)
    para: int = Field(0, ge=0, le=30)
    abortus: int = Field(0, ge=0, le=30)


class PersonSearchIn(Schema):
    q: Text = Field("", max_length=100, description="NIK, nomor KK, nomor ILP atau awal nama")
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


class FamilyOut(Schema):
    uuid: UUID
    kk_number: str | None
    address: str
    rt: AreaRef | None
    hamlet: AreaRef | None
    village: AreaRef
    head_uuid: UUID | None
    members: list[PersonSummaryOut]
