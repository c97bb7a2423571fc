"""Forms of the referral pages: values parsed once at the edge. What the service judges (the
target facility, the ICD-10 code, the times, the reason codes) is optional or free here, so
the user reads the service's specific message rather than a generic "required"."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ilp.core.exceptions import ApplicationError
from ilp.core.models import CorrectionReason
from ilp.people.models import Pregnancy
from ilp.places.models import Facility
from ilp.referrals.models import (
    Companion,
    DeathKind,
    DeathPlace,
    EndReason,
    Referral,
    ReferralKind,
    Transport,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def apply_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's refusal on the form: on its field when the form has it."""
    placed = False
    for field, messages in exc.fields.items():
        if field in form.fields:
            form.add_error(field, messages)
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


def _offer_active(field: forms.Field, targets: QuerySet[Facility]) -> None:
    """Accept any of `targets` (so the service names an inactive one in its refusal) but offer
    only the active ones."""
    field.queryset = targets  # type: ignore[attr-defined]
    field.choices = [("", "—"), *((f.pk, str(f)) for f in targets if f.is_active)]  # type: ignore[attr-defined]


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class ReferralForm(forms.Form):
    """A new referral of a known person (from an encounter or a person page)."""

    from_facility = forms.ModelChoiceField(
        label=_("Dari fasilitas"), queryset=Facility.objects.none()
    )
    to_facility = forms.ModelChoiceField(
        label=_("Dirujuk ke"), queryset=Facility.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Jenis rujukan"), choices=_blank(ReferralKind.choices))
    reason = forms.CharField(
        label=_("Alasan dirujuk (temuan)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    diagnosis_code = forms.CharField(
        label=_("Diagnosis (kode ICD-10, bila diketahui)"),
        max_length=12,
        required=False,
        help_text=_("Mis. O14.1; boleh tanpa titik."),
    )
    detected_at = forms.DateTimeField(
        label=_("Waktu temuan"), widget=DATETIME, input_formats=DATETIME_FORMATS, required=False
    )
    decided_at = forms.DateTimeField(
        label=_("Waktu diputuskan dirujuk"),
        widget=DATETIME,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("Kosongkan untuk sekarang."),
    )
    care_given = forms.CharField(
        label=_("Tindakan sebelum dirujuk"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
    transport = forms.ChoiceField(
        label=_("Transportasi"), choices=_blank(Transport.choices), required=False
    )
    accompanied_by = forms.ChoiceField(
        label=_("Pendamping"), choices=_blank(Companion.choices), required=False
    )

    def __init__(
        self, *args: Any, sources: QuerySet[Facility], targets: QuerySet[Facility], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_facility"].queryset = sources  # type: ignore[attr-defined]
        _offer_active(self.fields["to_facility"], targets)


class ActionForm(forms.Form):
    """One step on a referral; the fields an action does not use are ignored by the service."""

    action = forms.CharField(max_length=16)
    occurred_at = forms.DateTimeField(
        label=_("Waktu kejadian"),
        widget=DATETIME,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("Kosongkan untuk sekarang."),
    )
    note = forms.CharField(
        label=_("Catatan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
    end_reason = forms.ChoiceField(
        label=_("Alasan"), choices=_blank(EndReason.choices), required=False
    )
    redirect_to = forms.ModelChoiceField(
        label=_("Alihkan ke"), queryset=Facility.objects.none(), required=False
    )
    answer_diagnosis_code = forms.CharField(
        label=_("Diagnosis akhir (kode ICD-10)"), max_length=12, required=False
    )
    answer_care = forms.CharField(
        label=_("Tindakan yang diberikan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
    answer_advice = forms.CharField(
        label=_("Anjuran"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
    back_referral_plan = forms.CharField(
        label=_("Rencana rujuk balik"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )

    def __init__(self, *args: Any, targets: QuerySet[Facility], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_active(self.fields["redirect_to"], targets)


# The longest period the delay report covers at once (its rows are per facility and month).
REPORT_MAX_MONTHS = 24


class MonthField(forms.Field):
    """A month as ``YYYY-MM`` (the value of ``<input type="month">``), cleaned to its first
    day."""

    widget = forms.TextInput(attrs={"type": "month"})
    default_error_messages = {
        "invalid": _("Tulis bulan sebagai TTTT-BB, misalnya 2026-03."),
    }

    def to_python(self, value: Any) -> date | None:
        text = str(value or "").strip()[:16]
        if not text:
            return None
        try:
            year, month = (int(part) for part in text.split("-"))
            return date(year, month, 1)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class DelayReportForm(forms.Form):
    """The delay report's filter: a month, or a range of months (``dari`` … ``sampai``), and
    whether facilities are the senders or the receivers. Empty: the current month, senders."""

    dari = MonthField(label=_("Dari bulan"), required=False)
    sampai = MonthField(label=_("Sampai bulan"), required=False)
    sisi = forms.ChoiceField(
        label=_("Fasilitas sebagai"),
        required=False,
        choices=[("sent", _("Pengirim")), ("received", _("Penerima"))],
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        this_month = self.today.replace(day=1)
        start = data.get("dari") or this_month
        end = data.get("sampai") or start
        if "dari" in self.errors or "sampai" in self.errors:
            return data
        if end < start:
            self.add_error("sampai", _("Bulan akhir tidak boleh sebelum bulan awal."))
        elif (end.year - start.year) * 12 + end.month - start.month >= REPORT_MAX_MONTHS:
            self.add_error(
                "sampai",
                _("Rentang paling lama %(n)d bulan.") % {"n": REPORT_MAX_MONTHS},
            )
        elif start > this_month:
            self.add_error("dari", _("Bulan ini belum tiba."))
        data.update(dari=start, sampai=end, sisi=data.get("sisi") or "sent")
        return data


class DeathForm(forms.Form):
    """A maternal death, stillbirth or neonatal death of a known person; what the service
    judges (kind fits the person, times, place and facility, code) is checked there."""

    kind = forms.ChoiceField(label=_("Jenis kematian"), choices=_blank(DeathKind.choices))
    died_at = forms.DateTimeField(
        label=_("Waktu meninggal"), widget=DATETIME, input_formats=DATETIME_FORMATS, required=False
    )
    place = forms.ChoiceField(label=_("Tempat meninggal"), choices=_blank(DeathPlace.choices))
    facility = forms.ModelChoiceField(
        label=_("Fasilitas tempat meninggal"),
        queryset=Facility.objects.none(),
        required=False,
        help_text=_("Bila meninggal di fasilitas kesehatan."),
    )
    pregnancy = forms.ModelChoiceField(
        label=_("Kehamilan"),
        queryset=Pregnancy.objects.none(),
        required=False,
        help_text=_("Untuk kematian ibu dan lahir mati."),
    )
    cause_code = forms.CharField(
        label=_("Penyebab (kode ICD-10)"),
        max_length=12,
        required=False,
        help_text=_("Mis. O72.1; boleh tanpa titik."),
    )
    referral = forms.ModelChoiceField(
        label=_("Rujukan terakhir"), queryset=Referral.objects.none(), required=False
    )
    care_path_note = forms.CharField(
        label=_("Riwayat pelayanan sebelum meninggal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    notified_by_facility = forms.ModelChoiceField(
        label=_("Dilaporkan oleh fasilitas"), queryset=Facility.objects.none(), required=False
    )
    notified_by_name = forms.CharField(label=_("Nama pelapor"), max_length=120, required=False)
    notified_at = forms.DateTimeField(
        label=_("Waktu notifikasi"),
        widget=DATETIME,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("Kosongkan bila belum dilaporkan."),
    )

    def __init__(
        self,
        *args: Any,
        facilities: QuerySet[Facility],
        pregnancies: QuerySet[Pregnancy],
        referrals: QuerySet[Referral],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        self.fields["notified_by_facility"].queryset = facilities  # type: ignore[attr-defined]
        self.fields["pregnancy"].queryset = pregnancies  # type: ignore[attr-defined]
        self.fields["referral"].queryset = referrals  # type: ignore[attr-defined]
        self.fields["pregnancy"].label_from_instance = _pregnancy_label  # type: ignore[attr-defined]
        self.fields["referral"].label_from_instance = _referral_label  # type: ignore[attr-defined]


def _pregnancy_label(pregnancy: Pregnancy) -> str:
    return f"{_('HPL')} {formats.date_format(pregnancy.edd)} · {pregnancy.get_outcome_display()}"


def _referral_label(referral: Referral) -> str:
    when = formats.date_format(timezone.localtime(referral.decided_at), "SHORT_DATE_FORMAT")
    return f"{when} · {referral.from_facility} → {referral.to_facility}"


class VoidForm(forms.Form):
    """Why a record is voided: a correction reason code and a note."""

    reason = forms.ChoiceField(
        label=_("Alasan pembatalan"), choices=_blank(CorrectionReason.choices)
    )
    note = forms.CharField(label=_("Keterangan"), max_length=255, required=False)
