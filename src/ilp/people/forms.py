"""HTML forms of the people app: search, family and person registration, pregnancy.

The forms only parse (text, dates, choices); every domain rule (NIK, dates, head of family,
duplicates, scope) is checked by the services, whose messages the views put back on the
fields. Fields the services check are therefore optional here, so the user sees the
services' one wording for each mistake.
"""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ilp.accounts.access import scope_hamlets, scope_villages
from ilp.accounts.models import User
from ilp.core.forms import CorrectionFields, IdempotentForm, VoidForm
from ilp.people.identity import check_kk_number
from ilp.people.models import Disability, PregnancyOutcome, Relationship, Sex
from ilp.people.services import PersonData
from ilp.places.models import Area, AreaLevel

# DD-MM-YYYY as Indonesians write dates, DD/MM/YYYY, and the HTML date widget's YYYY-MM-DD.
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]

# htmx field check as the user types: posts the enclosing form, shows the answer below.
_CHECK = {
    "hx-post": reverse_lazy("people:check_field"),
    "hx-trigger": "input changed delay:500ms, change",
    "hx-target": "next .hint",
    "hx-swap": "innerHTML",
    "hx-sync": "this:replace",
}


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: str, *, check: bool = True, **kwargs) -> forms.DateField:
    """An optional date typed as DD-MM-YYYY, DD/MM/YYYY or picked (YYYY-MM-DD); `check`
    asks the server to check it as the user types."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(attrs=dict(_CHECK) if check else None),
        error_messages={
            "invalid": _("Tanggal tidak valid; tulis sebagai HH-BB-TTTT, misalnya 12-03-1985.")
        },
        **kwargs,
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("NIK, nomor KK, nomor ILP atau nama"),
        min_length=2,
        max_length=100,
        error_messages={"min_length": _("Ketik minimal 2 huruf atau angka.")},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )


class PersonFieldsForm(forms.Form):
    """One person's fields: a member row of the family form, or the 'Tambah anggota' form."""

    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **_CHECK}),
        help_text=_("16 angka; kosongkan bila belum punya (bayi baru lahir)."),
    )
    full_name = forms.CharField(label=_("Nama lengkap"), required=False, max_length=200)
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"),
        required=False,
        choices=[("", "—"), *Sex.choices],
        widget=forms.Select(attrs=dict(_CHECK)),
    )
    birth_date = date_field(_("Tanggal lahir"))
    relationship = forms.ChoiceField(
        label=_("Hubungan keluarga"), required=False, choices=[("", "—"), *Relationship.choices]
    )
    bpjs_number = forms.CharField(
        label=_("Nomor BPJS"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **_CHECK}),
    )
    phone = forms.CharField(
        label=_("Telepon"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    disability = forms.ChoiceField(
        label=_("Disabilitas"), required=False, choices=Disability.choices
    )

    def person_data(self) -> PersonData:
        d = self.cleaned_data
        return PersonData(
            full_name=d.get("full_name") or "",
            sex=d.get("sex") or "",
            birth_date=d.get("birth_date"),
            nik=d.get("nik") or "",
            relationship=d.get("relationship") or "",
            bpjs_number=d.get("bpjs_number") or "",
            phone=d.get("phone") or "",
            disability=d.get("disability") or "",
        )


class MemberForm(PersonFieldsForm):
    """One row of the member table: blank rows are skipped."""


MemberFormSet = forms.formset_factory(MemberForm, extra=0, min_num=2, max_num=30, can_delete=True)


class RegistrationId(IdempotentForm):
    """The client id of a registration form: a double click or a resend stores the family or
    person once. Optional, so that a post without it (a script) is still accepted."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)


class ConfirmMixin(forms.Form):
    confirm_not_duplicate = forms.BooleanField(
        label=_("Saya sudah memeriksa: ini orang yang berbeda"), required=False
    )


def parse_uuid(raw: object) -> UUID | None:
    """A UUID from user input, or None (a malformed value must not reach a query)."""
    try:
        return UUID(str(raw))
    except ValueError:
        return None


def area_choices(user: User, village: Area | None = None) -> list[tuple[str, object]]:
    """The dusun/RW and RT the user may register people in, grouped by desa and dusun
    (for a kader: only their posyandu's dusun). Values are public UUIDs."""
    hamlets = scope_hamlets(user).select_related("parent").order_by("code")
    if village is not None:
        hamlets = hamlets.filter(parent=village)
    hamlets = list(hamlets)
    rts: dict[int, list[Area]] = {}
    for rt in Area.objects.filter(level=AreaLevel.RT, parent__in=hamlets).order_by("code"):
        rts.setdefault(rt.parent_id, []).append(rt)
    choices: list[tuple[str, object]] = [("", _("— pilih RT —"))]
    for h in hamlets:
        group = f"{h.parent.name} · {h.name}"
        options = [(str(rt.uuid), f"{rt.name} · {h.name}") for rt in rts.get(h.pk, [])]
        options.append((str(h.uuid), _("%(dusun)s (RT belum diketahui)") % {"dusun": h.name}))
        choices.append((group, options))
    return choices


class AddressForm(forms.Form):
    """Where a family lives: RT (or dusun) picked within the user's scope, and the street."""

    village = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    # A plain text value rendered as a select: the service, not the choice list, decides
    # whether an area is in the user's scope, so a stale or forged value gets its message.
    area = forms.CharField(label=_("RT (dalam dusun/RW)"), required=False, widget=forms.Select)
    address = forms.CharField(
        label=_("Alamat (jalan, nomor rumah)"), required=False, max_length=255
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        villages = list(scope_villages(user).order_by("code"))
        self.fields["village"].choices = [("", _("— semua desa di wilayah Anda —"))] + [
            (str(v.uuid), v.name) for v in villages
        ]
        self.fields["village"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("people:area_options"),
                "hx-target": "#id_area",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
                "hx-include": "this",
            }
        )
        chosen = None
        raw_village = self.data.get("village") if self.is_bound else None
        if raw_village:
            chosen = next((v for v in villages if str(v.uuid) == str(raw_village)), None)
        elif len(villages) == 1:
            chosen = villages[0]
        self.fields["area"].widget.choices = area_choices(user, chosen)

    def area_object(self) -> Area | None:
        """The picked RT or dusun, or None when nothing (valid) was picked."""
        value = parse_uuid(self.cleaned_data.get("area") or "")
        if value is None:
            return None
        return Area.objects.filter(uuid=value, level__in=[AreaLevel.HAMLET, AreaLevel.RT]).first()


class FamilyForm(RegistrationId, ConfirmMixin, AddressForm):
    kk_number = forms.CharField(
        label=_("Nomor KK"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **_CHECK}),
        help_text=_("16 angka seperti tertulis di Kartu Keluarga."),
    )

    field_order = ["kk_number", "village", "area", "address", "confirm_not_duplicate"]


class MemberAddForm(RegistrationId, ConfirmMixin, PersonFieldsForm):
    """'Tambah anggota': one person into an existing family (address from the family)."""


class PregnancyForm(forms.Form):
    lmp = date_field(_("HPHT (hari pertama haid terakhir)"), check=False)
    edd = date_field(
        _("Taksiran persalinan"),
        check=False,
        help_text=_("Kosongkan bila HPHT diisi: dihitung HPHT + 280 hari."),
    )
    gravida = forms.IntegerField(label=_("Gravida (G)"), min_value=1, max_value=30, initial=1)
    para = forms.IntegerField(label=_("Paritas (P)"), min_value=0, max_value=30, initial=0)
    abortus = forms.IntegerField(label=_("Abortus (A)"), min_value=0, max_value=30, initial=0)


# ---------------------------------------------------------------- corrections


class PersonCorrectForm(CorrectionFields, AddressForm, PersonFieldsForm):
    """'Koreksi data penduduk': every correctable field, prefilled, with the version the
    editor opened and the reason."""

    birth_place = forms.CharField(label=_("Tempat lahir"), required=False, max_length=80)
    deceased_on = date_field(_("Tanggal meninggal"), check=False)

    field_order = [
        "full_name",
        "nik",
        "sex",
        "birth_date",
        "birth_place",
        "relationship",
        "bpjs_number",
        "phone",
        "disability",
        "village",
        "area",
        "address",
        "deceased_on",
        "reason",
        "note",
        "version",
    ]

    def __init__(self, *args, user: User, person=None, **kwargs) -> None:
        if person is not None and not kwargs.get("data") and not (args and args[0]):
            kwargs["initial"] = {
                "full_name": person.full_name,
                "nik": person.nik or "",
                "sex": person.sex,
                "birth_date": person.birth_date,
                "birth_place": person.birth_place,
                "relationship": person.relationship,
                "bpjs_number": person.bpjs_number,
                "phone": person.phone,
                "disability": person.disability,
                "village": str(person.village.uuid),
                "area": str((person.rt or person.hamlet or person.village).uuid),
                "address": person.address,
                "deceased_on": person.deceased_on,
                "version": person.version,
            }
        super().__init__(*args, user=user, **kwargs)
        if person is not None and not self.is_bound:
            # The picker lists the RTs of the person's desa.
            self.fields["area"].widget.choices = area_choices(user, person.village)
        # The as-you-type check of registration does not know the person being corrected.
        for name in ("nik", "sex", "birth_date", "bpjs_number"):
            for attr in list(self.fields[name].widget.attrs):
                if attr.startswith("hx-"):
                    del self.fields[name].widget.attrs[attr]

    def person_data(self) -> PersonData:
        data = super().person_data()
        data.birth_place = self.cleaned_data.get("birth_place") or ""
        return data

    def area_object(self) -> Area | None:
        value = parse_uuid(self.cleaned_data.get("area") or "")
        if value is None:
            return None
        return Area.objects.filter(uuid=value).first()


class PersonVoidForm(VoidForm):
    duplicate_of = forms.CharField(
        label=_("Data yang dipertahankan (nomor ILP atau NIK)"),
        required=False,
        max_length=32,
        help_text=_("Isi bila orang ini terdaftar dua kali: data lain inilah yang dipakai."),
    )


class FamilyCorrectForm(CorrectionFields, AddressForm):
    kk_number = FamilyForm.base_fields["kk_number"]

    field_order = ["kk_number", "village", "area", "address", "reason", "note", "version"]

    def __init__(self, *args, user: User, family=None, **kwargs) -> None:
        if family is not None and not (args and args[0]) and not kwargs.get("data"):
            kwargs["initial"] = {
                "kk_number": family.kk_number or "",
                "village": str(family.village.uuid),
                "area": str((family.rt or family.hamlet or family.village).uuid),
                "address": family.address,
                "version": family.version,
            }
        super().__init__(*args, user=user, **kwargs)
        if family is not None and not self.is_bound:
            self.fields["area"].widget.choices = area_choices(user, family.village)
        self.fields["kk_number"].widget.attrs = {
            k: v
            for k, v in self.fields["kk_number"].widget.attrs.items()
            if not k.startswith("hx-")
        }

    area_object = PersonCorrectForm.area_object


class PregnancyCorrectForm(CorrectionFields, PregnancyForm):
    outcome = forms.ChoiceField(label=_("Hasil"), choices=PregnancyOutcome.choices)
    outcome_date = date_field(_("Tanggal berakhir"), check=False)

    def __init__(self, *args, pregnancy=None, **kwargs) -> None:
        if pregnancy is not None and not (args and args[0]) and not kwargs.get("data"):
            kwargs["initial"] = {
                "lmp": pregnancy.lmp,
                "edd": pregnancy.edd,
                "gravida": pregnancy.gravida,
                "para": pregnancy.para,
                "abortus": pregnancy.abortus,
                "outcome": pregnancy.outcome,
                "outcome_date": pregnancy.outcome_date,
                "version": pregnancy.version,
            }
        super().__init__(*args, **kwargs)


class PersonMoveForm(CorrectionFields):
    """'Pindah keluarga': the KK number of the family the person joins, the relationship
    there, and the reason (the move is kept in the history and the audit log)."""

    kk_number = forms.CharField(
        label=_("Nomor KK keluarga tujuan"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    relationship = forms.ChoiceField(
        label=_("Hubungan dalam keluarga tujuan"), choices=[("", "—"), *Relationship.choices]
    )
    field_order = ["kk_number", "relationship", "reason", "note", "version"]

    def clean_kk_number(self) -> str:
        kk, error = check_kk_number(self.cleaned_data["kk_number"])
        if error:
            raise forms.ValidationError(error)
        return kk
