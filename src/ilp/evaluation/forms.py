"""Forms of the coaching pages: values parsed once at the edge. Fields the service judges
(a visit's puskesmas, a recommendation's due date and owner) are optional here, so the user
reads the service's specific message rather than a generic "required"."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ilp.accounts.access import TEAM_MEMBER_ROLES
from ilp.accounts.models import Role, User
from ilp.core.exceptions import ApplicationError
from ilp.evaluation.death_models import DeathReview
from ilp.evaluation.models import OWNER_ROLES, ChecklistItem, CoachingVisit, TpcbTeam
from ilp.evaluation.programme_models import CoachingSession
from ilp.evaluation.services import (
    NOT_IN_VISIT_CHECKLIST,
    RecommendationContent,
    served_areas_q,
)
from ilp.monitoring.catalogue import CLUSTERS, load_catalogue
from ilp.monitoring.pws import CLUSTER_LABELS
from ilp.monitoring.quality import MEASURE_LABELS, MEASURES
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


class VisitReplanForm(forms.Form):
    planned_date = forms.DateField(label=_("Tanggal kunjungan"), widget=DATE, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Anggota yang berangkat"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, visit: CoachingVisit, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "planned_date": visit.planned_date,
                "members": [m.pk for m in visit.members.all()],
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = visit.team.members.order_by("username")  # type: ignore[attr-defined]


class VisitCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class FindingsForm(forms.Form):
    findings = forms.CharField(
        label=_("Temuan"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


def indicator_choices(language: str) -> list[tuple[str, str]]:
    return [("", str(_("— tanpa indikator —")))] + [
        (i.code, f"{i.name(language)} ({i.code})") for i in load_catalogue().values()
    ]


def checklist_item_choices(visit: CoachingVisit) -> list[Any]:
    """The items of the visit's checklist versions, grouped by cluster (one query)."""
    items = ChecklistItem.objects.filter(version__visits=visit.pk).select_related(
        "version__checklist"
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for item in items.order_by("version__checklist__cluster", "position"):
        version = item.version
        group = f"{version.checklist.get_cluster_display()} · v{version.number}"
        groups.setdefault(group, []).append((str(item.uuid), f"{item.code} {item.text[:70]}"))
    return [("", str(_("— tanpa butir daftar tilik —"))), *groups.items()]


class RecommendationForm(forms.Form):
    what = forms.CharField(
        label=_("Rekomendasi"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    indicator = forms.ChoiceField(label=_("Indikator yang menunjukkannya"), required=False)
    quality_check = forms.ChoiceField(
        label=_("atau masalah mutu data yang menunjukkannya"), required=False
    )
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
    # A plain field (not a ChoiceField) so an item outside the visit's checklist gets the
    # service's message rather than a generic "not a valid choice".
    checklist_item = forms.CharField(
        label=_("Butir daftar tilik yang menunjukkannya"), required=False, widget=forms.Select
    )

    def __init__(
        self,
        *args: Any,
        visit: CoachingVisit | CoachingSession | DeathReview,
        language: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices(language)  # type: ignore[attr-defined]
        self.fields["quality_check"].choices = [  # type: ignore[attr-defined]
            ("", str(_("— tanpa masalah mutu data —"))),
            *((code, str(MEASURE_LABELS[code])) for code in MEASURES),
        ]
        if not isinstance(visit, CoachingVisit):
            # A specialist's session or a death review works through no checklist.
            del self.fields["checklist_item"]
        else:
            self.fields["checklist_item"].widget.choices = checklist_item_choices(visit)
        self.fields["owner_user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            role=Role.PUSKESMAS, facility=visit.puskesmas_id, is_active=True
        ).order_by("username")
        # A death review of a desa no puskesmas serves: no area to address (the service says so).
        served = served_areas_q(visit.puskesmas) if visit.puskesmas is not None else Q(pk__in=[])
        self.fields["owner_area"].queryset = (  # type: ignore[attr-defined]
            Area.objects.filter(served).distinct().order_by("code")
        )

    def clean_checklist_item(self) -> ChecklistItem | None:
        value = self.cleaned_data["checklist_item"]
        if not value:
            return None
        try:
            item = ChecklistItem.objects.filter(uuid=UUID(value)).first()
        except ValueError:
            item = None
        if item is None:
            raise forms.ValidationError(str(NOT_IN_VISIT_CHECKLIST))
        return item

    def content(self) -> RecommendationContent:
        data = self.cleaned_data
        return RecommendationContent(
            what=data["what"],
            due_date=data["due_date"],
            indicator=data["indicator"],
            quality_check=data["quality_check"],
            why=data["why"],
            owner_role=data["owner_role"],
            owner_user=data["owner_user"],
            checklist_item=data.get("checklist_item"),
            owner_area=data["owner_area"],
        )


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one field (Django's documented pattern); checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFiles(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        # Emptiness and size are the service's to judge (with its specific messages).
        return [item for item in items if item is not None]


EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.xlsx,application/pdf,image/jpeg,image/png"


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
    # Not "files": that is the form's dict of uploads.
    evidence = FilesField(label=_("Berkas bukti (PDF, JPEG, PNG, XLSX)"), required=False)
    back = forms.ChoiceField(
        choices=[
            ("visit", "visit"),
            ("puskesmas", "puskesmas"),
            ("session", "session"),
            ("tugas", "tugas"),
            ("death", "death"),
        ]
    )


class OpenFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Tim"),
        queryset=TpcbTeam.objects.none(),
        required=False,
        empty_label=_("Semua"),
        to_field_name="uuid",  # integer pks never leave the server
    )
    cluster = forms.ChoiceField(label=_("Klaster"), required=False)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["cluster"].choices = [("", _("Semua"))] + [  # type: ignore[attr-defined]
            (c, str(CLUSTER_LABELS[c])) for c in CLUSTERS
        ]
