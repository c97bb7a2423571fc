"""Families (Kartu Keluarga), persons and pregnancy episodes.

A person is registered once and followed across the life cycle. `village` and `hamlet` are
copied from the RT of the address when it is saved (by the services) so that every scoped
query filters on one indexed column instead of walking the area tree.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.core.models import BaseModel


class Sex(models.TextChoices):
    MALE = "M", _("Laki-laki")
    FEMALE = "F", _("Perempuan")


class Relationship(models.TextChoices):
    """Hubungan dalam keluarga, as printed on the Kartu Keluarga."""

    HEAD = "head", _("Kepala keluarga")
    SPOUSE = "spouse", _("Istri/suami")
    CHILD = "child", _("Anak")
    CHILD_IN_LAW = "child_in_law", _("Menantu")
    GRANDCHILD = "grandchild", _("Cucu")
    PARENT = "parent", _("Orang tua")
    PARENT_IN_LAW = "parent_in_law", _("Mertua")
    OTHER_FAMILY = "other_family", _("Famili lain")
    HELPER = "helper", _("Pembantu")
    OTHER = "other", _("Lainnya")


class Disability(models.TextChoices):
    """Ragam penyandang disabilitas, UU 8/2016 pasal 4."""

    NONE = "", _("Tidak ada")
    PHYSICAL = "physical", _("Fisik")
    INTELLECTUAL = "intellectual", _("Intelektual")
    MENTAL = "mental", _("Mental")
    SENSORY = "sensory", _("Sensorik")
    MULTIPLE = "multiple", _("Ganda/multi")


class NikFlag(models.TextChoices):
    """Warnings stored with a NIK that is well-formed but disagrees with other data."""

    REGION_UNKNOWN = "region_unknown", _("Kode wilayah NIK tidak dikenal")
    SEX_MISMATCH = "sex_mismatch", _("Tanggal lahir di NIK tidak sesuai jenis kelamin")
    BIRTH_DATE_MISMATCH = "birth_date_mismatch", _("Tanggal lahir di NIK tidak sesuai")


class Family(BaseModel):
    """A household as on its Kartu Keluarga. `head` is set once the head is registered."""

    kk_number = models.CharField(_("nomor KK"), max_length=16, unique=True, null=True, blank=True)
    head = models.OneToOneField(
        "Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_family",
        verbose_name=_("kepala keluarga"),
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    rt = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("RT"),
    )
    hamlet = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey("places.Area", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")

    def __str__(self) -> str:
        return self.kk_number or str(self.uuid)


class Person(BaseModel):
    """A resident followed across the life cycle. `nik` may be empty (newborns,
    undocumented); `local_id` always identifies the person within ILP."""

    nik = models.CharField(_("NIK"), max_length=16, unique=True, null=True, blank=True)
    nik_flags = models.JSONField(_("peringatan NIK"), default=list, blank=True)
    local_id = models.CharField(_("nomor ILP"), max_length=20, unique=True)
    bpjs_number = models.CharField(_("nomor BPJS"), max_length=13, blank=True)
    full_name = models.CharField(_("nama lengkap"), max_length=120)
    # Lower-case, single-spaced copy of full_name: the prefix search runs on its index.
    name_key = models.CharField(max_length=120, editable=False)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"), db_index=True)
    birth_place = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    family = models.ForeignKey(
        Family,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("keluarga"),
    )
    relationship = models.CharField(
        _("hubungan keluarga"), max_length=16, choices=Relationship.choices, blank=True
    )
    mother = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children_born",
        verbose_name=_("ibu"),
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    rt = models.ForeignKey(
        "places.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("RT"),
    )
    hamlet = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan")
    )
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    disability = models.CharField(
        _("disabilitas"), max_length=16, choices=Disability.choices, blank=True
    )
    deceased_on = models.DateField(_("tanggal meninggal"), null=True, blank=True)

    class Meta:
        verbose_name = _("penduduk")
        verbose_name_plural = _("penduduk")
        indexes = [
            # person_search: name prefix as a range, ordered by (name_key, id), first 20.
            models.Index(fields=["name_key", "id"], name="person_name_search"),
            # the same search within a puskesmas or pustu working area (village_id IN ...)
            models.Index(fields=["village", "name_key"], name="person_village_name"),
            # Work lists read every resident of a puskesmas area (~90,000 in a large one):
            # with the columns they show in the index, PostgreSQL answers from the index
            # alone (30 ms instead of 100 ms visiting the table). Joins of records to the
            # persons of an area (and age band) use it too. Persons change rarely, so the
            # wider index costs little on writes.
            models.Index(
                fields=["village", "birth_date"],
                include=[
                    "id",
                    "uuid",
                    "local_id",
                    "nik",
                    "full_name",
                    "sex",
                    "hamlet",
                    "deceased_on",
                ],
                name="person_village_birth",
            ),
            models.Index(
                fields=["hamlet", "birth_date"], include=["id"], name="person_hamlet_birth"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nik__isnull=True) | models.Q(nik__regex=r"^[0-9]{16}$"),
                name="person_nik_16_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class PregnancyOutcome(models.TextChoices):
    ONGOING = "ongoing", _("Sedang hamil")
    LIVE_BIRTH = "live_birth", _("Lahir hidup")
    STILLBIRTH = "stillbirth", _("Lahir mati")
    ABORTION = "abortion", _("Keguguran")
    ECTOPIC = "ectopic", _("Kehamilan ektopik")


class Pregnancy(BaseModel):
    """One pregnancy episode: dates, obstetric history (G/P/A) and its outcome."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="pregnancies", verbose_name=_("ibu")
    )
    lmp = models.DateField(_("HPHT"), null=True, blank=True)
    edd = models.DateField(_("taksiran persalinan"))
    gravida = models.PositiveSmallIntegerField(_("gravida"), default=1)
    para = models.PositiveSmallIntegerField(_("paritas"), default=0)
    abortus = models.PositiveSmallIntegerField(_("abortus"), default=0)
    outcome = models.CharField(
        _("hasil"), max_length=12, choices=PregnancyOutcome.choices, default="ongoing"
    )
    outcome_date = models.DateField(_("tanggal berakhir"), null=True, blank=True)

    class Meta:
        ordering = ["-edd"]
        verbose_name = _("kehamilan")
        verbose_name_plural = _("kehamilan")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(outcome="ongoing"),
                name="one_ongoing_pregnancy_per_person",
            ),
        ]
