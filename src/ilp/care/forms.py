"""HTML forms of the care pages: service packages, the posyandu weighing row, filters.

Numbers are typed as text (``inputmode="decimal"``) and passed to the services unparsed: the
services own the plausible ranges and the decimal-comma rule (``ilp.care.services``), so the
page and the API give the same messages. These forms only shape what the services receive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ilp.core.forms import IdempotentForm

DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]

MEASURED_CHOICES = [("lying", _("Telentang (PB)")), ("standing", _("Berdiri (TB)"))]


class DateInput(forms.DateInput):
    """A date typed as Indonesians write it, DD-MM-YYYY (the browser's own date picker would
    follow the browser's language, not the page's). DD/MM/YYYY and YYYY-MM-DD are accepted."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None) -> None:
        attrs = {
            "placeholder": _("HH-BB-TTTT"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": 10,
            "pattern": r"\d{1,2}[-/]\d{1,2}[-/]\d{4}|\d{4}-\d{2}-\d{2}",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%d-%m-%Y")


def decimal_input(**attrs: object) -> forms.TextInput:
    return forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6, **attrs}
    )


def default_measured(birth_date: date, on: date) -> str:
    """Lying under 24 months, standing from 24 months (WHO; CLINICAL.md §1.4)."""
    return "lying" if (on - birth_date).days < 731 else "standing"


class WeighingRowForm(IdempotentForm):
    """One child's row in the posyandu session table."""

    weight = forms.CharField(label=_("BB (kg)"), required=False, widget=decimal_input())
    height = forms.CharField(label=_("PB/TB (cm)"), required=False, widget=decimal_input())
    measured = forms.ChoiceField(
        label=_("Cara ukur"), choices=[("lying", _("Telentang")), ("standing", _("Berdiri"))]
    )
    muac = forms.CharField(label=_("LiLA (cm)"), required=False, widget=decimal_input())
    oedema = forms.BooleanField(label=_("Edema"), required=False)
    confirm_unusual = forms.BooleanField(
        label=_("Nilai tidak biasa sudah diukur ulang dan benar"), required=False
    )

    def clean(self):
        data = super().clean()
        if not (data.get("weight") or "").strip():
            self.add_error("weight", _("Isi berat badan."))
        return data


class AttendanceForm(forms.Form):
    present = forms.BooleanField(required=False)


class AdultRowForm(IdempotentForm):
    """One adult's row in the posyandu session (the posyandu part of the adult and elderly
    packages: ``ilp.care.services.sessions.ADULT_SESSION_KEYS``)."""

    weight = forms.CharField(label=_("BB (kg)"), required=False, widget=decimal_input(size=5))
    sbp = forms.CharField(label=_("Sistolik"), required=False, widget=decimal_input(size=4))
    dbp = forms.CharField(label=_("Diastolik"), required=False, widget=decimal_input(size=4))
    waist = forms.CharField(label=_("Lingkar perut (cm)"), required=False, widget=decimal_input())
    glucose_random = forms.CharField(
        label=_("GDS kapiler (mg/dL)"), required=False, widget=decimal_input(size=4)
    )
    smoking = forms.ChoiceField(
        label=_("Merokok"),
        required=False,
        choices=[("", "—"), ("true", _("Ya")), ("false", _("Tidak"))],
    )
    confirm_unusual = forms.BooleanField(
        label=_("Nilai tidak biasa sudah diukur ulang dan benar"), required=False
    )

    NUMBERS = ("weight", "sbp", "dbp", "waist", "glucose_random")

    def values(self) -> dict[str, object]:
        """What was typed, for the services (numbers as text: the services parse them)."""
        data = self.cleaned_data
        values: dict[str, object] = {k: data[k].strip() for k in self.NUMBERS if data.get(k)}
        if data.get("smoking"):
            values["smoking"] = data["smoking"] == "true"
        return values


class VisitorForm(forms.Form):
    """Add a visitor to a session by NIK or ILP number (no name search: a kader adds the
    person in front of her, not whoever matches a name)."""

    number = forms.CharField(label=_("NIK atau nomor ILP"), max_length=32)


class OpenSessionForm(forms.Form):
    on = forms.DateField(label=_("Tanggal"), input_formats=DATE_INPUT_FORMATS, widget=DateInput)


# ---------------------------------------------------------------- service-package forms

PLACE_LABELS = {
    "posyandu": _("Posyandu"),
    "pustu": _("Pustu"),
    "puskesmas": _("Puskesmas"),
    "home": _("Kunjungan rumah"),
}

# Labels (and units) of the value keys of ilp.care.services.plausibility.SPECS, translatable.
FIELD_LABELS: dict[str, object] = {
    "weight": _("Berat badan (kg)"),
    "height": _("Panjang/tinggi badan (cm)"),
    "measured": _("Cara ukur"),
    "oedema": _("Edema bilateral (kedua punggung kaki)"),
    "muac": _("LiLA (cm)"),
    "head": _("Lingkar kepala (cm)"),
    "waist": _("Lingkar perut (cm)"),
    "sbp": _("Tekanan darah sistolik (mmHg)"),
    "dbp": _("Tekanan darah diastolik (mmHg)"),
    "pulse": _("Nadi (/menit)"),
    "resp_rate": _("Frekuensi napas (/menit)"),
    "temperature": _("Suhu (°C)"),
    "hb": _("Hemoglobin (g/dL)"),
    "glucose_fasting": _("Gula darah puasa (mg/dL)"),
    "glucose_random": _("Gula darah sewaktu (mg/dL)"),
    "fundal_height": _("Tinggi fundus uteri (cm)"),
    "fetal_hr": _("Denyut jantung janin (/menit)"),
    "birth_weight": _("Berat lahir (kg)"),
    "visit_number": _("Kunjungan ke-"),
    "iron_tablets": _("Tablet tambah darah diberikan (butir)"),
    "vitamin_a": _("Vitamin A diberikan hari ini"),
    "td_status": _("Status imunisasi Td"),
    "development": _("Hasil KPSP (perkembangan)"),
    "smoking": _("Merokok"),
    "cigarettes_per_day": _("Batang rokok per hari"),
    "smoking_years": _("Lama merokok (tahun)"),
    "breast_exam": _("Pemeriksaan payudara (SADANIS)"),
    "iva": _("Tes IVA"),
    "attendant": _("Penolong persalinan"),
    "delivery_place": _("Tempat persalinan"),
    "delivery_mode": _("Cara persalinan"),
    "bleeding": _("Perdarahan"),
    "breastfeeding": _("Menyusu/ASI"),
    "jaundice": _("Kuning (ikterus)"),
    "visit_result": _("Hasil kunjungan"),
    "finding": _("Temuan"),
    "kspr": _("Faktor risiko KSPR"),
    "srq20": _("SRQ-20 (kesehatan jiwa)"),
    "puma": _("PUMA (skrining PPOK)"),
    "tb": _("Skrining gejala TBC"),
    "skilas": _("SKILAS (lansia)"),
    "barthel": _("Indeks Barthel (kemandirian)"),
    "danger_signs": _("Tanda bahaya bayi baru lahir"),
    "doses": _("Imunisasi yang diberikan"),
}

CHOICE_LABELS: dict[str, list[tuple[str, object]]] = {
    "measured": list(MEASURED_CHOICES),
    "td_status": [(f"T{i}", f"T{i}") for i in range(6)],
    "development": [
        ("sesuai", _("Sesuai")),
        ("meragukan", _("Meragukan")),
        ("penyimpangan", _("Ada penyimpangan")),
    ],
    "breast_exam": [("normal", _("Normal")), ("abnormal", _("Ada benjolan/kelainan"))],
    "iva": [
        ("negative", _("Negatif")),
        ("positive", _("Positif")),
        ("suspect_cancer", _("Curiga kanker")),
    ],
    "attendant": [("health_worker", _("Tenaga kesehatan")), ("other", _("Bukan tenaga kesehatan"))],
    "delivery_place": [("facility", _("Fasilitas kesehatan")), ("home", _("Rumah"))],
    "delivery_mode": [
        ("spontaneous", _("Spontan")),
        ("assisted", _("Dengan tindakan (vakum/forsep)")),
        ("caesarean", _("Sesar")),
    ],
    "visit_result": [
        ("met", _("Bertemu")),
        ("not_home", _("Tidak di rumah")),
        ("refused", _("Menolak")),
    ],
}

VISIT_PREFIX = {"anc": "K", "postpartum": "KF", "newborn": "KN"}
VISIT_MAX = {"anc": 6, "postpartum": 4, "newborn": 3}
# Yes/no values given "now" are checkboxes; other yes/no findings are tri-state (not asked).
CHECKBOX_KEYS = frozenset({"oedema", "vitamin_a"})

# Questionnaire items: key → (item code, Indonesian question).
TB_CHILD_ITEMS = (
    ("fever_2_weeks", _("Demam ≥ 2 minggu tanpa sebab jelas")),
    ("cough_2_weeks", _("Batuk ≥ 2 minggu")),
    ("weight_faltering_2_months", _("Berat badan turun/tidak naik 2 bulan")),
    ("lethargy", _("Lesu, kurang aktif bermain")),
    ("contact_history", _("Kontak serumah dengan pasien TBC")),
)
TB_ADULT_ITEMS = (
    ("cough", _("Batuk (berapa pun lamanya)")),
    ("weight_loss", _("Berat badan turun tanpa sebab")),
    ("fever", _("Demam hilang timbul")),
    ("weakness", _("Lesu/lemah")),
    ("night_sweats", _("Berkeringat malam tanpa aktivitas")),
    ("breathlessness", _("Sesak napas")),
    ("lymph_nodes", _("Benjolan di leher (pembesaran kelenjar)")),
    ("contact_history", _("Kontak dengan pasien TBC")),
    ("risk_factor", _("Faktor risiko (DM, HIV, perokok, lansia, gizi kurang)")),
)
PUMA_ITEMS = (
    ("breathless", _("Sesak napas saat berjalan cepat atau mendaki")),
    ("phlegm", _("Dahak dari paru saat tidak flu")),
    ("cough", _("Batuk saat tidak flu")),
    ("spirometry_offered", _("Pernah diperiksa spirometri/peak flow")),
)
SKILAS_ITEMS = (
    ("recall_failed", _("Gagal mengingat 3 kata")),
    ("orientation_failed", _("Salah menyebut waktu/tempat")),
    ("chair_rise_failed", _("Tidak bisa 5 kali berdiri dari kursi dalam 14 detik")),
    ("weight_loss", _("Berat badan turun > 3 kg dalam 3 bulan / pakaian longgar")),
    ("appetite_loss", _("Nafsu makan hilang")),
    ("eye_problem", _("Masalah pada mata")),
    ("finger_count_failed", _("Gagal hitung jari")),
    ("whisper_not_heard", _("Tidak mendengar bisikan")),
    ("whisper_untestable", _("Tes bisik tidak dapat dilakukan")),
    ("sad_or_hopeless", _("Merasa sedih/putus asa 2 minggu terakhir")),
    ("little_interest", _("Kurang minat/senang melakukan sesuatu")),
)
DANGER_SIGNS = (
    _("Tidak mau menyusu"),
    _("Kejang"),
    _("Lemah, bergerak hanya jika dipegang"),
    _("Napas cepat (≥ 60/menit)"),
    _("Tarikan dinding dada ke dalam yang kuat"),
    _("Demam atau tubuh dingin"),
    _("Kuning sampai telapak tangan/kaki"),
    _("Tali pusat merah sampai dinding perut atau bernanah"),
    _("Diare"),
)
DOSE_ROWS = 3


def _bool_items(package: str, key: str) -> tuple[tuple[str, object], ...]:
    if key == "tb":
        return TB_CHILD_ITEMS if package == "child" else TB_ADULT_ITEMS
    if key == "puma":
        return PUMA_ITEMS
    if key == "skilas":
        return SKILAS_ITEMS
    if key == "srq20":
        from ilp.standards.mental_health import ITEMS_ID

        return tuple((str(i), text) for i, text in enumerate(ITEMS_ID, start=1))
    return ()


# KSPR items 1–7 (age, height, parity, spacing) come from the records and two numbers the
# form asks for; the card's ticks are items 8–20 (ilp.care.services.packages._kspr).
KSPR_FROM_RECORDS = frozenset(
    {
        "too_young_first",
        "late_first",
        "old_first",
        "too_soon",
        "too_long",
        "too_many",
        "too_old",
        "too_short",
    }
)
KSPR_NUMBERS = (
    ("years_married", _("Lama menikah (tahun), bila hamil pertama")),
    ("years_since_last_birth", _("Jarak dari persalinan terakhir (tahun)")),
)


def _kspr_items() -> tuple[tuple[str, str], ...]:
    from ilp.standards.pregnancy import KSPR_FACTORS

    return tuple(
        (code, f"{number}. {label} ({score})")
        for code, (number, label, score) in KSPR_FACTORS.items()
        if code not in KSPR_FROM_RECORDS
    )


def _barthel_items() -> tuple[tuple[str, str, int], ...]:
    from ilp.standards.elderly import BARTHEL_ITEMS

    return tuple((code, label, top) for code, (label, top) in BARTHEL_ITEMS.items())


def _dose_codes() -> list[str]:
    from ilp.standards.immunization import dose_codes

    return list(dose_codes())


@dataclass
class FieldGroup:
    """A fieldset of the package form: a legend and its bound fields (or one questionnaire)."""

    key: str
    legend: object
    fields: list = field(default_factory=list)
    kind: str = "plain"  # plain | checklist | barthel | doses
    done_field: object = None
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


# Layout per package: (legend, keys). Keys the services allow but no group names fall into a
# last "Lainnya" group, so a new value key never silently disappears from the form.
LAYOUT: dict[str, list[tuple[object, tuple[str, ...]]]] = {
    "anc": [
        (_("Kunjungan"), ("visit_number",)),
        (_("Pemeriksaan ibu"), ("weight", "height", "muac", "sbp", "dbp", "hb", "td_status")),
        (_("Pemeriksaan janin"), ("fundal_height", "fetal_hr")),
        (_("Pelayanan"), ("iron_tablets",)),
    ],
    "delivery": [
        (_("Persalinan"), ("attendant", "delivery_place", "delivery_mode", "birth_weight")),
        (_("Keadaan ibu"), ("sbp", "dbp", "temperature", "bleeding")),
    ],
    "postpartum": [
        (_("Kunjungan"), ("visit_number",)),
        (
            _("Pemeriksaan ibu nifas"),
            ("sbp", "dbp", "temperature", "hb", "bleeding", "breastfeeding"),
        ),
        (_("Pelayanan"), ("vitamin_a", "iron_tablets")),
    ],
    "newborn": [
        (_("Kunjungan"), ("visit_number",)),
        (
            _("Pemeriksaan bayi"),
            ("weight", "height", "measured", "temperature", "breastfeeding", "jaundice"),
        ),
    ],
    "child": [
        (
            _("Penimbangan dan pengukuran"),
            ("weight", "height", "measured", "muac", "head", "oedema"),
        ),
        (_("Pelayanan"), ("vitamin_a", "development")),
    ],
    "immunization": [(_("Keadaan anak"), ("weight", "temperature"))],
    "school": [
        (_("Pengukuran"), ("weight", "height", "measured", "sbp", "dbp", "hb")),
        (_("Pelayanan"), ("iron_tablets", "smoking")),
    ],
    "adult": [
        (_("Pengukuran"), ("weight", "height", "measured", "waist", "sbp", "dbp")),
        (_("Laboratorium sederhana"), ("glucose_fasting", "glucose_random", "hb")),
        (_("Merokok"), ("smoking", "cigarettes_per_day", "smoking_years")),
        (_("Skrining kanker"), ("breast_exam", "iva")),
    ],
    "elderly": [
        (_("Pengukuran"), ("weight", "height", "measured", "waist", "muac", "sbp", "dbp")),
        (_("Laboratorium sederhana"), ("glucose_fasting", "glucose_random", "hb")),
        (_("Merokok"), ("smoking", "cigarettes_per_day", "smoking_years")),
        (_("Skrining kanker"), ("breast_exam", "iva")),
    ],
    "home_visit": [
        (_("Kunjungan rumah"), ("visit_result", "finding")),
        (_("Pemeriksaan"), ("weight", "sbp", "dbp", "temperature")),
    ],
}
QUESTIONNAIRE_KEYS = ("kspr", "danger_signs", "tb", "srq20", "puma", "skilas", "barthel", "doses")
# The key of the service values → the form field that shows its messages.
YES_NO = [("", "—"), ("true", _("Ya")), ("false", _("Tidak"))]


class PackageForm(IdempotentForm):
    """One service package for one person. Built from the value keys the services allow for
    the package (``ilp.care.services.packages.ALLOWED``)."""

    on = forms.DateField(
        label=_("Tanggal pelayanan"), input_formats=DATE_INPUT_FORMATS, widget=DateInput
    )
    place_kind = forms.ChoiceField(label=_("Tempat pelayanan"))
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm_unusual = forms.BooleanField(
        label=_("Nilai yang tidak biasa sudah diukur ulang dan memang benar"), required=False
    )

    def __init__(
        self, *args, package: str, allowed: frozenset[str], place_kinds: list[str], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.package = package
        self.allowed = allowed
        self.fields["place_kind"].choices = [(k, PLACE_LABELS[k]) for k in place_kinds]
        for key in self._value_keys():
            self._add_value_field(key)
        self._add_questionnaires()

    # -- construction

    def _value_keys(self) -> list[str]:
        keys = [k for _legend, ks in LAYOUT.get(self.package, []) for k in ks]
        rest = sorted(k for k in self.allowed if k not in keys and k not in QUESTIONNAIRE_KEYS)
        return [k for k in keys if k in self.allowed] + rest

    def _add_value_field(self, key: str) -> None:
        from ilp.care.services.plausibility import SPECS

        spec = SPECS.get(key)
        label = FIELD_LABELS.get(key, spec.label if spec else key)
        kind = spec.kind if spec else "text"
        if key == "visit_number" and self.package in VISIT_PREFIX:
            prefix = VISIT_PREFIX[self.package]
            choices = [("", "—")] + [
                (str(n), f"{prefix}{n}") for n in range(1, VISIT_MAX[self.package] + 1)
            ]
            f: forms.Field = forms.ChoiceField(label=label, choices=choices, required=False)
        elif kind in ("number", "int"):
            f = forms.CharField(label=label, required=False, widget=decimal_input(size=8))
        elif key in CHECKBOX_KEYS:
            f = forms.BooleanField(label=label, required=False)
        elif kind == "bool":
            f = forms.ChoiceField(label=label, choices=YES_NO, required=False)
        elif kind == "choice":
            choices = CHOICE_LABELS.get(key) or [(c, c) for c in (spec.choices if spec else ())]
            f = forms.ChoiceField(label=label, choices=[("", "—"), *choices], required=False)
        else:
            f = forms.CharField(label=label, required=False, max_length=64)
        f.widget.attrs.setdefault("aria-describedby", f"hint-{key}")
        self.fields[key] = f

    def _add_questionnaires(self) -> None:
        for key in QUESTIONNAIRE_KEYS:
            if key not in self.allowed:
                continue
            if key == "doses":
                codes = [("", "—")] + [(c, c) for c in _dose_codes()]
                for i in range(DOSE_ROWS):
                    self.fields[f"doses-{i}-dose_code"] = forms.ChoiceField(
                        label=_("Vaksin/dosis"), choices=codes, required=False
                    )
                    self.fields[f"doses-{i}-lot_number"] = forms.CharField(
                        label=_("Nomor batch"), required=False, max_length=32
                    )
                    self.fields[f"doses-{i}-expiry_date"] = forms.DateField(
                        label=_("Kedaluwarsa"),
                        required=False,
                        input_formats=DATE_INPUT_FORMATS,
                        widget=DateInput,
                    )
                continue
            self.fields[f"{key}__done"] = forms.BooleanField(
                label=_("Diisi pada kunjungan ini"), required=False
            )
            if key == "barthel":
                for code, label, top in _barthel_items():
                    self.fields[f"barthel__{code}"] = forms.ChoiceField(
                        label=label,
                        choices=[("", "—")] + [(str(n), str(n)) for n in range(top + 1)],
                        required=False,
                    )
            elif key == "kspr":
                for code, label in KSPR_NUMBERS:
                    self.fields[f"kspr__{code}"] = forms.CharField(
                        label=label, required=False, widget=decimal_input(size=4)
                    )
                for code, label in _kspr_items():
                    self.fields[f"kspr__{code}"] = forms.BooleanField(label=label, required=False)
            elif key == "danger_signs":
                for i, label in enumerate(DANGER_SIGNS):
                    self.fields[f"danger_signs__{i}"] = forms.BooleanField(
                        label=label, required=False
                    )
            else:
                for code, label in _bool_items(self.package, key):
                    self.fields[f"{key}__{code}"] = forms.BooleanField(label=label, required=False)

    # -- layout for the template

    def groups(self) -> list[FieldGroup]:
        """Fieldsets in display order (value groups, then questionnaires)."""
        out: list[FieldGroup] = []
        placed: set[str] = set()
        for legend, keys in LAYOUT.get(self.package, []):
            present = [k for k in keys if k in self.fields]
            if present:
                out.append(FieldGroup(present[0], legend, [self[k] for k in present]))
                placed.update(present)
        rest = [k for k in self._value_keys() if k not in placed]
        if rest:
            out.append(FieldGroup(rest[0], _("Lainnya"), [self[k] for k in rest]))
        for key in QUESTIONNAIRE_KEYS:
            if key not in self.allowed:
                continue
            legend = FIELD_LABELS[key]
            if key == "doses":
                rows = [
                    [
                        self[f"doses-{i}-{part}"]
                        for part in ("dose_code", "lot_number", "expiry_date")
                    ]
                    for i in range(DOSE_ROWS)
                ]
                out.append(FieldGroup("doses", legend, rows, kind="doses"))
                continue
            items = [
                self[n] for n in self.fields if n.startswith(f"{key}__") and n != f"{key}__done"
            ]
            out.append(
                FieldGroup(
                    key,
                    legend,
                    items,
                    kind="barthel" if key == "barthel" else "checklist",
                    done_field=self[f"{key}__done"],
                )
            )
        return out

    # -- values for the services

    def raw(self, name: str) -> str:
        """The submitted text of a field (works on invalid forms too)."""
        value = self.data.get(self.add_prefix(name), "")
        return value if isinstance(value, str) else ""

    def values(self) -> dict[str, object]:
        """The services' ``values`` dict from what was typed: numbers and choices as text
        (the services parse and range-check them), questionnaires as their structures."""
        values: dict[str, object] = {}
        for key in self._value_keys():
            f = self.fields[key]
            if isinstance(f, forms.BooleanField):
                if self.raw(key):
                    values[key] = True
                elif key == "oedema":
                    values[key] = False
                continue
            text = self.raw(key).strip()
            if text:
                values[key] = text
        for key in QUESTIONNAIRE_KEYS:
            if key not in self.allowed:
                continue
            if key == "doses":
                doses = []
                for i in range(DOSE_ROWS):
                    code = self.raw(f"doses-{i}-dose_code").strip()
                    lot = self.raw(f"doses-{i}-lot_number").strip()
                    expiry = self.raw(f"doses-{i}-expiry_date").strip()
                    if code or lot or expiry:
                        doses.append(
                            {"dose_code": code, "lot_number": lot, "expiry_date": _iso(expiry)}
                        )
                if doses:
                    values["doses"] = doses
                continue
            answered = any(
                self.raw(n) for n in self.fields if n.startswith(f"{key}__") and n != f"{key}__done"
            )
            if not (self.raw(f"{key}__done") or answered):
                continue  # not asked at this visit
            if key == "barthel":
                values["barthel"] = {
                    code: int(self.raw(f"barthel__{code}"))
                    for code, _label, _top in _barthel_items()
                    if self.raw(f"barthel__{code}").isdigit()
                }
            elif key == "kspr":
                kspr: dict[str, object] = {
                    "factors": [c for c, _l in _kspr_items() if self.raw(f"kspr__{c}")]
                }
                for code, _label in KSPR_NUMBERS:
                    number = _number_or_text(self.raw(f"kspr__{code}"))
                    if number != "":
                        kspr[code] = number
                values["kspr"] = kspr
            elif key == "danger_signs":
                values["danger_signs"] = [
                    str(label)
                    for i, label in enumerate(DANGER_SIGNS)
                    if self.raw(f"danger_signs__{i}")
                ]
            elif key == "srq20":
                values["srq20"] = [
                    bool(self.raw(f"srq20__{c}")) for c, _l in _bool_items(self.package, "srq20")
                ]
            else:
                values[key] = {
                    c: bool(self.raw(f"{key}__{c}")) for c, _l in _bool_items(self.package, key)
                }
        return values

    def visit_date(self) -> date | None:
        """The service date if it parses (also on an otherwise invalid form)."""
        raw = self.raw("on").strip()
        for fmt in DATE_INPUT_FORMATS:
            try:
                return datetime.strptime(raw, fmt).date()  # noqa: DTZ007 (a calendar date)
            except ValueError:
                continue
        return None


def _number_or_text(raw: str) -> object:
    """A typed number as float ('' stays '', garbage goes on as text for the services to
    reject with their own message)."""
    text = raw.strip()
    if not text:
        return ""
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def _iso(raw: str) -> str:
    """A typed date as YYYY-MM-DD for the services ('' stays '', garbage stays garbage)."""
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date().isoformat()  # noqa: DTZ007
        except ValueError:
            continue
    return raw


def hint_id(key: str) -> str:
    """The id of the hint element under the field that shows messages for a service key."""
    return "hint-" + key.replace(".", "-")
