"""Forms of the coaching pages: values parsed once at the edge. Fields the service judges
(a visit's puskesmas, a recommendation's due date and owner) are optional here, so the user
reads the service's specific message rather than a generic "required"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.accounts.access import TEAM_MEMBER_ROLES
from ilp.accounts.models import Role, User
from ilp.core.exceptions import ApplicationError
from ilp.evaluation.models import OWNER_ROLES, CoachingVisit, TpcbTeam
from ilp.evaluation.services import RecommendationContent, served_areas_q
from ilp.monitoring.catalogue import CLUSTERS, load_catalogue
from ilp.monitoring.pws import CLUSTER_LABELS
from ilp.places.models import Area, Facility

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's refusal on the form: on its field when the form has it."""
    placed = False
    for field, messages in exc.fields.items():
        if field in form.fields:
            form.add_error(field, messages)
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Nama tim"), max_length=120)
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=80)
    decree_date = forms.DateField(label=_("Tanggal SK"), widget=DATE)
    members = forms.ModelMultipleChoiceField(
        label=_("Anggota"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    lead = forms.ModelChoiceField(label=_("Ketua"), queryset=User.objects.none())
    puskesmas = forms.ModelMultipleChoiceField(
        label=_("Puskesmas binaan"),
        queryset=Facility.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args: Any, user: User, puskesmas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(
            role__in=TEAM_MEMBER_ROLES, area_id=user.area_id or 0, is_active=True
        ).order_by("username")
        self.fields["members"].queryset = staff  # type: ignore[attr-defined]
        self.fields["lead"].queryset = staff  # type: ignore[attr-defined]
        self.fields["puskesmas"].queryset = puskesmas  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, team: TpcbTeam) -> dict[str, Any]:
        return {
            "name": team.name,
            "decree_number": team.decree_number,
            "decree_date": team.decree_date,
            "lead": team.lead_id,
            "members": list(team.members.values_list("pk", flat=True)),
            "puskesmas": list(team.puskesmas.values_list("pk", flat=True)),
            "is_active": team.is_active,
        }


class VisitForm(forms.Form):
    puskesmas = forms.ModelChoiceField(
        label=_("Puskesmas"), queryset=Facility.objects.none(), required=False
    )
    planned_date = forms.DateField(label=_("Tanggal kunjungan"), widget=DATE, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Anggota yang berangkat"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, team: TpcbTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["puskesmas"].queryset = team.puskesmas.order_by("name")  # type: ignore[attr-defined]
        self.fields["members"].queryset = team.members.order_by("username")  # type: ignore[attr-defined]


class FindingsForm(forms.Form):
    findings = forms.CharField(
        label=_("Temuan"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


def indicator_choices(language: str) -> list[tuple[str, str]]:
    return [("", str(_("— tanpa indikator —")))] + [
        (i.code, f"{i.name(language)} ({i.code})") for i in load_catalogue().values()
    ]


class RecommendationForm(forms.Form):
    what = forms.CharField(
        label=_("Rekomendasi"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    indicator = forms.ChoiceField(label=_("Indikator yang menunjukkannya"), required=False)
    why = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    owner_role = forms.ChoiceField(
        label=_("Ditujukan ke peran"),
        choices=[("", "—"), *OWNER_ROLES],
        required=False,
    )
    owner_user = forms.ModelChoiceField(
        label=_("atau ke petugas"), queryset=User.objects.none(), required=False
    )
    owner_area = forms.ModelChoiceField(
        label=_("atau ke camat / kepala desa"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_(
            "Tugas dari rapat lintas sektor kecamatan. Camat dan kepala desa tidak melihat data "
            "perorangan: jangan menyebut nama warga atau petugas dalam rekomendasi dan alasannya."
        ),
    )
    due_date = forms.DateField(label=_("Batas waktu"), widget=DATE, required=False)

    def __init__(self, *args: Any, visit: CoachingVisit, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices(language)  # type: ignore[attr-defined]
        self.fields["owner_user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            role=Role.PUSKESMAS, facility=visit.puskesmas_id, is_active=True
        ).order_by("username")
        self.fields["owner_area"].queryset = (  # type: ignore[attr-defined]
            Area.objects.filter(served_areas_q(visit.puskesmas)).distinct().order_by("code")
        )

    def content(self) -> RecommendationContent:
        data = self.cleaned_data
        return RecommendationContent(
            what=data["what"],
            due_date=data["due_date"],
            indicator=data["indicator"],
            why=data["why"],
            owner_role=data["owner_role"],
            owner_user=data["owner_user"],
            owner_area=data["owner_area"],
        )


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("answer", _("Jawab")),
            ("accept", _("Terima")),
            ("send_back", _("Kembalikan")),
            ("verify", _("Verifikasi (tutup)")),
        ]
    )
    note = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    back = forms.ChoiceField(
        choices=[("visit", "visit"), ("puskesmas", "puskesmas"), ("tugas", "tugas")]
    )


class OpenFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Tim"), queryset=TpcbTeam.objects.none(), required=False, empty_label=_("Semua")
    )
    cluster = forms.ChoiceField(label=_("Klaster"), required=False)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["cluster"].choices = [("", _("Semua"))] + [  # type: ignore[attr-defined]
            (c, str(CLUSTER_LABELS[c])) for c in CLUSTERS
        ]
