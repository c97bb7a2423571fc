"""KtP/A screening (``Screening``): a trained puskesmas or pustu worker screens a woman (WAST)
or a child (warning signs and the Adams category) who shows signs of violence; the rules are
``ilp.standards.ktpa_screening`` (juknis ILP Formulir 3, WHO, Adams 2001; DOMAIN.md §5.1).

The answers and signs are codes, labelled here in Indonesian at display time. They stay inside
``ilp.protection``: no reverse relation from the person (``related_name="+"``), never in a
person page, timeline, export or dashboard; monitoring reads counts only
(``ilp.protection.selectors_screening.desa_screening_counts``). A positive screening opens a
case (``case``); a screening recorded by mistake is voided (``Voidable``), never deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ilp.core.models import BaseModel, Voidable
from ilp.standards import ktpa_screening as rules

__all__ = [
    "AdamsCategory",
    "Screening",
    "ScreeningInstrument",
    "ScreeningResult",
    "ScreeningSign",
    "WastAnswer",
    "WastItem",
]


class ScreeningInstrument(models.TextChoices):
    WAST = rules.WAST, _("WAST (perempuan dewasa)")
    CHILD = rules.CHILD, _("Anak (tanda bahaya dan kategori Adams)")


class ScreeningResult(models.TextChoices):
    POSITIVE = rules.POSITIVE, _("Positif: diserahkan ke petugas terlatih, kasus dibuka")
    NEGATIVE = rules.NEGATIVE, _("Negatif")


class WastItem(models.TextChoices):
    """The eight WAST questions (Formulir 3), in order."""

    RELATIONSHIP_TENSION = (
        "relationship_tension",
        _("1. Secara umum, bagaimana Anda menggambarkan hubungan Anda dengan pasangan?"),
    )
    ARGUMENT_DIFFICULTY = (
        "argument_difficulty",
        _("2. Bagaimana Anda dan pasangan menyelesaikan pertengkaran?"),
    )
    ARGUMENTS_FEEL_DOWN = (
        "arguments_feel_down",
        _("3. Apakah pertengkaran membuat Anda merasa sedih atau rendah diri?"),
    )
    ARGUMENTS_HITTING = (
        "arguments_hitting",
        _("4. Apakah pertengkaran berujung pada pukulan, tendangan atau dorongan?"),
    )
    FRIGHTENED = (
        "frightened",
        _("5. Apakah Anda merasa takut dengan apa yang dikatakan atau dilakukan pasangan Anda?"),
    )
    PHYSICAL_ABUSE = (
        "physical_abuse",
        _("6. Apakah pasangan Anda pernah melakukan kekerasan fisik terhadap Anda?"),
    )
    EMOTIONAL_ABUSE = (
        "emotional_abuse",
        _("7. Apakah pasangan Anda pernah melakukan kekerasan emosional (psikis) terhadap Anda?"),
    )
    SEXUAL_ABUSE = (
        "sexual_abuse",
        _("8. Apakah pasangan Anda pernah melakukan kekerasan seksual terhadap Anda?"),
    )


class WastAnswer(models.TextChoices):
    A_LOT_OF_TENSION = "a_lot_of_tension", _("Sangat tegang")
    SOME_TENSION = "some_tension", _("Agak tegang")
    NO_TENSION = "no_tension", _("Tidak tegang")
    GREAT_DIFFICULTY = "great_difficulty", _("Sangat sulit")
    SOME_DIFFICULTY = "some_difficulty", _("Agak sulit")
    NO_DIFFICULTY = "no_difficulty", _("Tidak sulit")
    OFTEN = "often", _("Sering")
    SOMETIMES = "sometimes", _("Kadang-kadang")
    NEVER = "never", _("Tidak pernah")


class ScreeningSign(models.TextChoices):
    """Signs that justify screening (juknis "Tanda-tanda kekerasan"): the first fifteen in a
    woman or a child, the rest in a child or adolescent only."""

    DISCOMFORT_DISCUSSING_HOME = (
        "discomfort_discussing_home",
        _("Tampak tidak nyaman bila membicarakan hubungan dalam rumah tangga"),
    )
    DOMINATING_PARTNER = (
        "dominating_partner",
        _("Pasangan selalu menemani, menguasai pembicaraan, tidak mau meninggalkannya"),
    )
    REPEATED_VAGUE_COMPLAINTS = (
        "repeated_vague_complaints",
        _("Berkali-kali datang dengan keluhan yang tidak jelas"),
    )
    VIOLENCE_RELATED_COMPLAINTS = (
        "violence_related_complaints",
        _("Keluhan kesehatan yang berkaitan dengan kekerasan"),
    )
    UNEXPLAINED_INJURIES = (
        "unexplained_injuries",
        _("Luka/memar tidak dapat dijelaskan, tidak konsisten, atau datang terlambat"),
    )
    SOMATIC_COMPLAINTS = (
        "somatic_complaints",
        _("Keluhan subyektif tanpa kelainan pada pemeriksaan fisik"),
    )
    PTSD_SYMPTOMS = "ptsd_symptoms", _("Gejala gangguan stres pascatrauma (PTSD)")
    CONVERSION_REACTION = (
        "conversion_reaction",
        _("Reaksi konversi (misalnya kejang tanpa gangguan organ)"),
    )
    INJURY_IN_PREGNANCY = (
        "injury_in_pregnancy",
        _("Luka/memar saat hamil, terutama di payudara dan perut bagian bawah"),
    )
    CHRONIC_UNEXPLAINED_PAIN = "chronic_unexplained_pain", _("Nyeri kronis tanpa sebab jelas")
    FREQUENT_VISITS = (
        "frequent_visits",
        _("Sering berkunjung ke fasilitas kesehatan tanpa sebab jelas"),
    )
    REPEATED_STI = (
        "repeated_sti",
        _("Infeksi menular seksual, infeksi saluran kemih/vagina berulang"),
    )
    UNWANTED_PREGNANCY = "unwanted_pregnancy", _("Kehamilan yang tidak diinginkan")
    MISCARRIAGE_OR_ABORTION = "miscarriage_or_abortion", _("Keguguran atau aborsi")
    SUICIDE_ATTEMPT = "suicide_attempt", _("Percobaan bunuh diri")
    DEVELOPMENTAL_REGRESSION = (
        "developmental_regression",
        _("Kemunduran perkembangan atau perilaku (kembali mengompol, tidak sesuai usia)"),
    )
    INJURY_INCONSISTENT_WITH_HISTORY = (
        "injury_inconsistent_with_history",
        _("Luka/memar tidak sesuai dengan waktu kejadian"),
    )
    ATTACHMENT_PROBLEMS = (
        "attachment_problems",
        _("Sulit membina kedekatan dengan orang dewasa"),
    )
    PSYCHOLOGICAL_DISTRESS = (
        "psychological_distress",
        _("Kecemasan, gangguan tidur atau makan, serangan panik, penyalahgunaan zat"),
    )
    EMOTIONAL_ABUSE_SIGNS = "emotional_abuse_signs", _("Tanda kekerasan emosional")
    NEGLECT_SIGNS = "neglect_signs", _("Tanda penelantaran")
    SUSPECTED_PHYSICAL_ABUSE = (
        "suspected_physical_abuse",
        _("Dugaan kekerasan fisik (memar, luka, patah tulang, luka bakar, cedera kepala)"),
    )
    SUSPECTED_SEXUAL_ABUSE = "suspected_sexual_abuse", _("Dugaan kekerasan seksual")
    SUSPECTED_PSYCHOLOGICAL_ABUSE = "suspected_psychological_abuse", _("Dugaan kekerasan psikis")


class AdamsCategory(models.TextChoices):
    """Joyce Adams (2001), the three categories the juknis uses for a child."""

    NORMAL = (
        rules.ADAMS_NORMAL,
        _("1. Normal: tidak ada riwayat, perubahan perilaku, atau saksi"),
    )
    POSSIBLE = rules.ADAMS_POSSIBLE, _("2. Kemungkinan terjadi kekerasan")
    VERY_LIKELY = rules.ADAMS_VERY_LIKELY, _("3. Sangat mungkin terjadi kekerasan")


class Screening(Voidable, BaseModel):
    """One KtP/A screening of a person at a puskesmas or pustu (see the module docstring).

    ``answers``: for the WAST, ``{item code: answer code}`` of all eight items; empty for a
    child. ``signs``: the sign codes that justified asking. ``result``: positive or negative
    by ``ilp.standards.ktpa_screening``; ``child_category``: the Adams code of a child.
    ``case``: the case the positive screening opened."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("orang")
    )
    facility = models.ForeignKey(
        "places.Facility",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fasilitas"),
    )
    screened_at = models.DateTimeField(_("waktu skrining"))
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("petugas skrining"),
    )
    instrument = models.CharField(_("instrumen"), max_length=8, choices=ScreeningInstrument.choices)
    answers = models.JSONField(_("jawaban"), default=dict, blank=True)
    result = models.CharField(_("hasil"), max_length=8, choices=ScreeningResult.choices)
    child_category = models.CharField(
        _("kategori anak (Adams)"), max_length=20, choices=AdamsCategory.choices, blank=True
    )
    signs = models.JSONField(_("tanda-tanda"), default=list, blank=True)
    case = models.ForeignKey(
        "protection.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screenings",
        verbose_name=_("kasus"),
    )

    class Meta:
        ordering = ["-screened_at", "-pk"]
        verbose_name = _("skrining KtP/A")
        verbose_name_plural = _("skrining KtP/A")
        indexes = [
            models.Index(fields=["screened_at"], name="screening_screened_at"),
            models.Index(fields=["facility", "screened_at"], name="screening_facility_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.screened_at:%Y-%m-%d}"

    def sign_labels(self) -> list[str]:
        """The recorded signs' labels, in catalogue order."""
        labels = dict(ScreeningSign.choices)
        return [str(labels.get(code, code)) for code in self.signs]

    def answer_rows(self) -> list[tuple[str, str]]:
        """(question, answer) labels of the WAST answers, in WAST order."""
        answers = dict(WastAnswer.choices)
        return [
            (str(label), str(answers.get(self.answers.get(code, ""), "")))
            for code, label in WastItem.choices
            if code in self.answers
        ]
