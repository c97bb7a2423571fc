"""Task.reason (a sentence) becomes a code with parameters (``reason_code`` +
``reason_params``, ``ilp.core.texts.Text``).

Existing rows are mapped to the code whose Indonesian phrasing they start with (an alert of
``ilp.care.texts`` or a class of a standards catalogue, longest match first), a posyandu
absence to ``care.task.absent`` with its posyandu and date; any other sentence is kept as it
was written under ``care.task.legacy`` (rendered unchanged, never lost). Reversing writes the
Indonesian rendering back.
"""

import re
from datetime import date

from django.db import migrations, models
from django.utils import translation

_ABSENT = re.compile(r"^Tidak hadir di posyandu (?P<name>.+) tanggal (?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4})$")


def _known_phrases() -> list[tuple[str, str]]:
    """(Indonesian phrase, code) for every code without parameters, longest phrase first."""
    from ilp.care import texts
    from ilp.standards.codes import catalogues

    out: list[tuple[str, str]] = []
    with translation.override("id"):
        for code, template in texts.ALERTS.items():
            phrase = str(template)
            if "%(" not in phrase:
                out.append((phrase, code))
        for catalogue in catalogues().values():
            for code, message in catalogue.classes.items():
                if not message.params:
                    out.append((message.text, f"{catalogue.rule}.class.{code}"))
    out.sort(key=lambda pc: -len(pc[0]))
    return out


def to_codes(apps, schema_editor):
    Task = apps.get_model("care", "Task")
    phrases = _known_phrases()
    for task in Task.objects.all().iterator():
        text = task.reason or ""
        code, params = "care.task.legacy", {"text": text}
        match = _ABSENT.match(text)
        if match:
            when = date(int(match["y"]), int(match["m"]), int(match["d"]))
            code = "care.task.absent"
            params = {"name": match["name"], "date": {"date": when.isoformat()}}
        else:
            for phrase, known in phrases:
                if text == phrase or text.startswith(phrase + ": "):
                    code, params = known, {}
                    break
        Task.objects.filter(pk=task.pk).update(reason_code=code, reason_params=params)


def to_sentences(apps, schema_editor):
    from ilp.care import texts  # noqa: F401 - registers the phrasings
    from ilp.core.texts import render_json

    Task = apps.get_model("care", "Task")
    with translation.override("id"):
        for task in Task.objects.all().iterator():
            text = render_json({"code": task.reason_code, "params": task.reason_params or {}})
            Task.objects.filter(pk=task.pk).update(reason=text[:255])


class Migration(migrations.Migration):
    dependencies = [("care", "0004_corrections_history")]

    operations = [
        migrations.AddField(
            model_name="task",
            name="reason_code",
            field=models.CharField(default="", max_length=64, verbose_name="alasan"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="task",
            name="reason_params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="task",
            name="reason",
            field=models.CharField(blank=True, default="", max_length=255, verbose_name="alasan"),
        ),
        migrations.RunPython(to_codes, to_sentences),
        migrations.RemoveField(model_name="task", name="reason"),
    ]
