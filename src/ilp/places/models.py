"""Administrative areas and health facilities.

Areas form one tree, province → kabupaten/kota → kecamatan → desa/kelurahan → dusun/RW → RT.
Codes follow Kemendagri's dotted form (``52.71.01.1001``); dusun/RW and RT have no official
code, so they extend their desa's code with their own number (``52.71.01.1001.03``,
``52.71.01.1001.03.002``). A subtree is therefore a code prefix, which every scope query uses.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.core.models import BaseModel


class AreaLevel(models.IntegerChoices):
    PROVINCE = 1, _("Provinsi")
    REGENCY = 2, _("Kabupaten/Kota")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Desa/Kelurahan")
    HAMLET = 5, _("Dusun/RW")
    RT = 6, _("RT")


class Area(BaseModel):
    """One administrative area. `kind` tells desa from kelurahan, kabupaten from kota,
    dusun from RW."""

    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=AreaLevel.choices)
    kind = models.CharField(_("jenis"), max_length=20, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True)
                | models.Q(level__gt=1, parent__isnull=False),
                name="area_parent_by_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.name}"


class FacilityKind(models.TextChoices):
    DINKES = "dinkes", _("Dinas Kesehatan")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    PUSTU = "pustu", _("Pustu")
    POSYANDU = "posyandu", _("Posyandu")
    HOSPITAL = "hospital", _("Rumah sakit")


class Facility(BaseModel):
    """A point of service. `parent` is the supervising facility (pustu → puskesmas,
    posyandu → pustu); `service_areas` is the working area: desa for a puskesmas and a pustu,
    dusun/RW for a posyandu, the kabupaten/kota for the dinas kesehatan."""

    kind = models.CharField(_("jenis"), max_length=16, choices=FacilityKind.choices)
    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=160)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("lokasi")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("induk"),
    )
    service_areas = models.ManyToManyField(
        Area, blank=True, related_name="served_by", verbose_name=_("wilayah kerja")
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("fasilitas")
        verbose_name_plural = _("fasilitas")
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self) -> str:
        # Facility names usually carry their kind already ("Puskesmas Ampel", "Pustu Batu"):
        # prefixing it again wrote "Puskesmas Puskesmas Ampel" in every heading.
        kind = str(self.get_kind_display())
        if self.name.casefold().startswith((kind.casefold() + " ", self.kind.casefold() + " ")):
            return self.name
        return f"{kind} {self.name}"


class BoundaryImport(BaseModel):
    """One import of desa/kelurahan boundaries (``ilp boundaries import``): kept for good, so
    a replaced import still says who loaded what, when and from which file."""

    file_name = models.CharField(_("nama berkas"), max_length=255)
    code_property = models.CharField(_("properti kode"), max_length=64)
    imported_by = models.CharField(
        _("diimpor oleh"),
        max_length=150,
        help_text=_(
            "Pengguna ILP yang disebut pada perintah, atau akun sistem yang menjalankannya."
        ),
    )
    feature_count = models.PositiveIntegerField(_("jumlah desa"))
    replaced_count = models.PositiveIntegerField(
        _("batas lama yang diganti"), help_text=_("Desa yang sudah punya batas sebelum impor ini.")
    )
    points_before = models.PositiveIntegerField(_("titik dalam berkas"))
    points_after = models.PositiveIntegerField(_("titik setelah penyederhanaan"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor batas wilayah")
        verbose_name_plural = _("impor batas wilayah")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.feature_count})"


class AreaBoundary(models.Model):
    """The simplified outline of one desa/kelurahan: a GeoJSON Polygon or MultiPolygon
    geometry in lon/lat (WGS84), from the latest import that named the desa. Kept apart from
    `Area` so the many reads of areas never carry the coordinates."""

    area = models.OneToOneField(
        Area, on_delete=models.CASCADE, related_name="boundary", verbose_name=_("wilayah")
    )
    geometry = models.JSONField(_("geometri"))
    source = models.ForeignKey(
        BoundaryImport,
        on_delete=models.PROTECT,
        related_name="boundaries",
        verbose_name=_("impor"),
    )

    class Meta:
        verbose_name = _("batas wilayah")
        verbose_name_plural = _("batas wilayah")

    def __str__(self) -> str:
        return str(self.area)
