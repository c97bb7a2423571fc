"""A screening's class label (``Screening.result_label``) and a dose's invalid reason
(``ImmunizationRecord.invalid_reason``), stored as Indonesian sentences, become codes with
parameters (``label_code`` + ``label_params``, ``invalid_reason_code`` +
``invalid_reason_params``; ``ilp.core.texts.Text``), rendered in the reader's language.

A sentence is mapped back to the code (and parameters) whose Indonesian rendering it is:

- a screening label: a class of the care texts (``care.class.<instrument>.<result_code>``) or
  of a standards catalogue with the row's ``result_code`` (term parameters tried in turn);
- a dose reason: a reason of ``immunization_check`` (what recording an encounter stored) or
  of ``immunization_dose`` with its notes (what a dose from the KIA book or a corrected dose
  stored), its parameters read back by kind (dates "5 Maret 2025", periods "6 minggu", whole
  numbers, terms).

A mapping is kept only when the code and parameters render to exactly the stored sentence;
any other sentence (cut at 255 characters, typed by hand, from a fixture) is kept as written
under ``care.text.legacy`` (rendered unchanged, never lost). Reversing writes the Indonesian
rendering back. The history rows of doses are converted the same way.
"""

import re
from datetime import date

from django.db import migrations, models
from django.utils import translation

_MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()
_DATE = re.compile(r"^(\d{1,2}) (\w+) (\d{4})$")
_PERIOD_WORDS = {"tahun": "Y", "bulan": "M", "minggu": "W", "hari": "D"}
# Which catalogues a screening instrument's classes come from, the one the services use
# first (a class phrased alike in two catalogues is the first one's).
_INSTRUMENT_RULES = {
    "bp": ("bp_pnpk", "bp_jnc7"),
    "dm": ("glucose_screening", "diabetes_perkeni"),
    "tb": ("tb_adult", "tb_child"),
    "bmi": ("bmi_adult",),
    "waist": ("waist",),
    "anaemia": ("anaemia",),
    "srq20": ("srq20",),
    "puma": ("puma",),
    "kspr": ("kspr",),
    "kek": ("kek",),
    "skilas": ("skilas",),
    "barthel": ("barthel",),
    "wfa": ("growth_category",),
    "lhfa": ("growth_category",),
    "wflh": ("growth_category",),
    "bfa": ("growth_category",),
}
LEGACY = "care.text.legacy"


def _rendered(code, params):
    from ilp.core.texts import render_json

    with translation.override("id"):
        return render_json({"code": code, "params": params})


# -- screening labels -------------------------------------------------------------------------


def _label_candidates(instrument, result_code):
    """(code, params JSON) a screening of `instrument` with class `result_code` may have."""
    from itertools import product

    from ilp.care import texts
    from ilp.core.texts import Text, is_registered
    from ilp.standards.codes import catalogues

    own = f"care.class.{instrument}.{result_code}"
    # Only a registered code is a candidate (rendering an unknown one logs a warning).
    out = [(own, {})] if is_registered(own) else []
    rules = list(_INSTRUMENT_RULES.get(instrument, ()))
    rules += [r for r in sorted(catalogues()) if r not in rules]
    for rule in rules:
        catalogue = catalogues()[rule]
        message = catalogue.classes.get(result_code)
        if message is None:
            continue
        names = list(message.params)
        choices = []
        for name in names:
            kind = message.params[name]
            if not kind.startswith("term:"):
                break
            choices.append(list(catalogue.terms[kind.removeprefix("term:")]))
        else:
            for values in product(*choices):
                item = {"rule": rule, "class_code": result_code, "params": dict(zip(names, values))}
                text = texts.class_text(item) or Text("")
                data = text.to_json()
                out.append((data["code"], data["params"]))
    return out


def _label_columns(instrument, result_code, label):
    if not label:
        return "", {}
    if result_code:
        for code, params in _label_candidates(instrument, result_code):
            if _rendered(code, params) == label:
                return code, params
    return LEGACY, {"text": label}


# -- dose reasons -----------------------------------------------------------------------------


def _pattern(template):
    """A template with ``{name}`` placeholders as a regex with a group per placeholder."""
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        f"(?P<{part}>.+?)" if i % 2 else re.escape(part) for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$")


def _value(kind, text, catalogue):
    """A parameter as ``params_to_json`` stores it, read back from its Indonesian text."""
    if kind == "date":
        match = _DATE.match(text)
        if match is None or match[2] not in _MONTHS:
            raise ValueError(text)
        return date(int(match[3]), _MONTHS.index(match[2]) + 1, int(match[1])).isoformat()
    if kind == "integer":
        return int(text)
    if kind == "period":
        words = text.split()
        if len(words) % 2:
            raise ValueError(text)
        units = {_PERIOD_WORDS[w]: int(n) for n, w in zip(words[::2], words[1::2], strict=True)}
        return "P" + "".join(f"{units[u]}{u}" for u in "YMWD" if u in units)
    if kind.startswith("term:"):
        terms = catalogue.terms[kind.removeprefix("term:")]
        return next(code for code, label in terms.items() if label == text)
    if kind == "text":
        return text
    raise ValueError(kind)


def _parse(catalogue, messages, text):
    """(code, params JSON) of the message of `messages` whose rendering `text` is."""
    for code, message in messages.items():
        match = _pattern(message.text).match(text)
        if match is None:
            continue
        try:
            params = {
                name: _value(kind, match[name], catalogue) for name, kind in message.params.items()
            }
        except (ValueError, KeyError, StopIteration):
            continue
        return code, params
    return None


def _reason_columns(sentence):
    from ilp.care.texts import _reason
    from ilp.standards.codes import catalogues

    if not sentence:
        return "", {}
    for rule in ("immunization_check", "immunization_dose"):
        catalogue = catalogues()[rule]
        head, *rest = sentence.split("; ")
        reason = _parse(catalogue, catalogue.reasons, head)
        if reason is None:
            continue
        notes = []
        for part in rest:
            note = _parse(catalogue, catalogue.notes, part)
            if note is None:
                break
            notes.append({"code": note[0], "params": note[1]})
        else:
            data = _reason(rule, reason[0], reason[1], notes).to_json()
            if _rendered(data["code"], data["params"]) == sentence:
                return data["code"], data["params"]
    return LEGACY, {"text": sentence}


# -- the steps ----------------------------------------------------------------------------------


def to_codes(apps, schema_editor):
    from ilp.care import texts  # noqa: F401 - registers the phrasings

    Screening = apps.get_model("care", "Screening")
    seen = {}
    for pk, instrument, result_code, label in Screening.objects.values_list(
        "pk", "instrument", "result_code", "result_label"
    ).iterator():
        key = (instrument, result_code, label)
        if key not in seen:
            seen[key] = _label_columns(instrument, result_code, label)
        code, params = seen[key]
        if code:
            Screening.objects.filter(pk=pk).update(label_code=code, label_params=params)
    for name in ("ImmunizationRecord", "HistoricalImmunizationRecord"):
        model = apps.get_model("care", name)
        pk_name = "history_id" if name.startswith("Historical") else "pk"
        reasons = {}
        for pk, sentence in (
            model.objects.exclude(invalid_reason="").values_list(pk_name, "invalid_reason").iterator()
        ):
            if sentence not in reasons:
                reasons[sentence] = _reason_columns(sentence)
            code, params = reasons[sentence]
            model.objects.filter(**{pk_name: pk}).update(
                invalid_reason_code=code, invalid_reason_params=params
            )


def to_sentences(apps, schema_editor):
    from ilp.care import texts  # noqa: F401 - registers the phrasings

    Screening = apps.get_model("care", "Screening")
    for pk, code, params in (
        Screening.objects.exclude(label_code="").values_list("pk", "label_code", "label_params")
    ).iterator():
        Screening.objects.filter(pk=pk).update(result_label=_rendered(code, params)[:120])
    for name in ("ImmunizationRecord", "HistoricalImmunizationRecord"):
        model = apps.get_model("care", name)
        pk_name = "history_id" if name.startswith("Historical") else "pk"
        for pk, code, params in (
            model.objects.exclude(invalid_reason_code="").values_list(
                pk_name, "invalid_reason_code", "invalid_reason_params"
            )
        ).iterator():
            model.objects.filter(**{pk_name: pk}).update(
                invalid_reason=_rendered(code, params)[:255]
            )


class Migration(migrations.Migration):
    dependencies = [("care", "0009_care_choice_and_visit_number_constraints")]

    operations = [
        migrations.AddField(
            model_name="historicalimmunizationrecord",
            name="invalid_reason_code",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=64, verbose_name="alasan tidak sah"
            ),
        ),
        migrations.AddField(
            model_name="historicalimmunizationrecord",
            name="invalid_reason_params",
            field=models.JSONField(blank=True, db_default={}, default=dict),
        ),
        migrations.AddField(
            model_name="immunizationrecord",
            name="invalid_reason_code",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=64, verbose_name="alasan tidak sah"
            ),
        ),
        migrations.AddField(
            model_name="immunizationrecord",
            name="invalid_reason_params",
            field=models.JSONField(blank=True, db_default={}, default=dict),
        ),
        migrations.AddField(
            model_name="screening",
            name="label_code",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AddField(
            model_name="screening",
            name="label_params",
            field=models.JSONField(blank=True, db_default={}, default=dict),
        ),
        migrations.RunPython(to_codes, to_sentences),
        migrations.RemoveField(model_name="historicalimmunizationrecord", name="invalid_reason"),
        migrations.RemoveField(model_name="immunizationrecord", name="invalid_reason"),
        migrations.RemoveField(model_name="screening", name="result_label"),
    ]
