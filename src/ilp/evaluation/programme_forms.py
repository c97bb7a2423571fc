"""Forms of the programme pages. As in ``ilp.evaluation.forms``, fields the service judges are
optional here so the user reads the service's specific message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.accounts.models import User
from ilp.evaluation.forms import DATE
from ilp.evaluation.programme_models import CoachingProgramme, ProgrammeTopic, SessionParticipant
from ilp.evaluation.programme_services import ScoreEntry
from ilp.places.models import Facility


def _person(user: User) -> str:
    return user.get_full_name() or user.username


def _pairs(text: str) -> list[tuple[str, str]]:
    """Lines "a | b" as pairs (a line without "|": the whole line, and "")."""
    found = []
    for line in text.splitlines():
        if line.strip():
            left, _sep, right = line.partition("|")
            found.append((left.strip(), right.strip()))
    return found


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Nama program"), max_length=160, required=False)
    start_date = forms.DateField(label=_("Mulai"), widget=DATE, required=False)
    end_date = forms.DateField(label=_("Selesai"), widget=DATE, required=False)
    specialists = forms.ModelMultipleChoiceField(
        label=_("Dokter spesialis"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = forms.CharField(
        label=_("Topik"),
        help_text=_("Satu topik per baris: kode | nama, mis. poned | PONED"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    puskesmas = forms.ModelMultipleChoiceField(
        label=_("Puskesmas sasaran"),
        queryset=Facility.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args: Any, specialists: Any, puskesmas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialists"].queryset = specialists  # type: ignore[attr-defined]
        self.fields["specialists"].label_from_instance = _person  # type: ignore[attr-defined]
        self.fields["puskesmas"].queryset = puskesmas  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, programme: CoachingProgramme) -> dict[str, Any]:
        return {
            "name": programme.name,
            "start_date": programme.start_date,
            "end_date": programme.end_date,
            "specialists": list(programme.specialists.values_list("pk", flat=True)),
            "puskesmas": list(programme.puskesmas.values_list("pk", flat=True)),
            "topics": "\n".join(f"{t.code} | {t.name}" for t in programme.topics.all()),
            "is_active": programme.is_active,
        }

    def values(self) -> dict[str, Any]:
        """The service's arguments."""
        data = dict(self.cleaned_data)
        data["topics"] = _pairs(data["topics"])
        return data


class SessionForm(forms.Form):
    session_date = forms.DateField(label=_("Tanggal sesi"), widget=DATE, required=False)
    puskesmas = forms.ModelChoiceField(
        label=_("Puskesmas"), queryset=Facility.objects.none(), required=False
    )
    specialist = forms.ModelChoiceField(
        label=_("Dokter spesialis pembina"), queryset=User.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, programme: CoachingProgramme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["puskesmas"].queryset = programme.puskesmas.order_by("name")  # type: ignore[attr-defined]
        self.fields["specialist"].queryset = programme.specialists.order_by("username")  # type: ignore[attr-defined]
        self.fields["specialist"].label_from_instance = _person  # type: ignore[attr-defined]


class ParticipantsForm(forms.Form):
    staff = forms.ModelMultipleChoiceField(
        label=_("Staf dengan akun ILP"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    others = forms.CharField(
        label=_("Staf tanpa akun"),
        help_text=_("Satu per baris: nama | profesi, mis. Ni Made Sari | bidan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]
        self.fields["staff"].label_from_instance = _person  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return {"staff": self.cleaned_data["staff"], "others": _pairs(self.cleaned_data["others"])}


class CaseReviewForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topik kasus"), queryset=ProgrammeTopic.objects.none(), required=False
    )
    summary = forms.CharField(
        label=_("Ringkasan kasus (tanpa nama, NIK atau alamat)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    lessons = forms.CharField(
        label=_("Pelajaran"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, programme: CoachingProgramme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = programme.topics.all()  # type: ignore[attr-defined]


class ScoresForm(forms.Form):
    """A pre- and a post-test field per participant and topic (``score-<p>-<t>-pre``)."""

    def __init__(
        self,
        *args: Any,
        participants: list[SessionParticipant],
        topics: list[ProgrammeTopic],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cells: list[tuple[SessionParticipant, list[tuple[ProgrammeTopic, str, str]]]] = []
        attrs = {"inputmode": "numeric", "min": "0", "max": "100", "class": "score"}
        for p in participants:
            row = []
            scores = getattr(p, "scores_by_topic", {})
            for t in topics:
                names = []
                for which in ("pre", "post"):
                    name = f"score-{p.pk}-{t.pk}-{which}"
                    score = scores.get(t.pk)
                    self.fields[name] = forms.IntegerField(
                        label=f"{p.display_name} {t.code} {which}",
                        required=False,
                        widget=forms.NumberInput(attrs=attrs),
                        initial=getattr(score, which) if score is not None else None,
                    )
                    names.append(name)
                row.append((t, names[0], names[1]))
            self.cells.append((p, row))

    def grid(self) -> list[tuple[SessionParticipant, list[tuple[ProgrammeTopic, Any, Any]]]]:
        """Per participant: each topic with its bound pre- and post-test fields."""
        return [(p, [(t, self[pre], self[post]) for t, pre, post in row]) for p, row in self.cells]

    def entries(self) -> list[ScoreEntry]:
        data = self.cleaned_data
        return [
            ScoreEntry(p.pk, t.pk, data.get(pre), data.get(post))
            for p, row in self.cells
            for t, pre, post in row
        ]
