"""Immunisation (package ``immunization``): the doses given now, checked against the records
and the national schedule (`ilp.standards.immunization`) before anything is stored.

SATUSEHAT rules 10306 (lot number required) and 10307 (expiry after the occurrence) are
checked here so that the form refuses what the exchange would.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ilp.care.evaluation.common import action_text, alert_text
from ilp.care.evaluation.history import History
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.models import ImmunizationRecord
from ilp.care.texts import rule_reason
from ilp.people.models import Person
from ilp.standards import immunization as imm
from ilp.standards.result import OutOfRange


def evaluate_immunization(
    ev: Evaluation, person: Person, on: date, months: int, history: History
) -> None:
    doses = ev.values.get("doses") or []
    if not isinstance(doses, list | tuple) or not doses:
        ev.error("doses", _("Isi minimal satu dosis imunisasi."))
        return
    known = set(imm.dose_codes())
    recorded_valid = {code: when for code, when, valid in history.doses if valid}
    seen: set[str] = set()
    clean: list[dict[str, Any]] = []
    for i, dose in enumerate(doses):
        prefix = f"doses.{i}."
        if dose is None:
            continue  # its expiry date was refused while parsing (evaluation.parse)
        if not isinstance(dose, dict):
            ev.error(f"{prefix}dose_code", _("Dosis tidak lengkap."))
            continue
        # Parsed once before evaluating (evaluation.parse.normalise_answers).
        code, lot, expiry = dose["dose_code"], dose["lot_number"], dose["expiry_date"]
        if code not in known:
            ev.error(f"{prefix}dose_code", _("Jenis/dosis vaksin tidak dikenal."))
            continue
        if code in seen:
            ev.error(f"{prefix}dose_code", _("Dosis %(c)s diisi dua kali.") % {"c": code})
            continue
        seen.add(code)
        if code in recorded_valid:
            ev.error(
                f"{prefix}dose_code",
                _("Dosis %(c)s sudah tercatat pada %(d)s.")
                % {"c": code, "d": date_format(recorded_valid[code])},
            )
        if not lot:
            # SATUSEHAT rule 10306: lot number required when a health worker vaccinated.
            ev.error(f"{prefix}lot_number", _("Nomor batch vaksin wajib diisi."))
        if not isinstance(expiry, date):
            ev.error(f"{prefix}expiry_date", _("Tanggal kedaluwarsa vaksin wajib diisi."))
        elif expiry < on:
            # SATUSEHAT rule 10307: expiry later than the occurrence.
            ev.error(
                f"{prefix}expiry_date",
                _(
                    "Vaksin sudah kedaluwarsa pada %(d)s, sebelum tanggal imunisasi; jangan "
                    "diberikan."
                )
                % {"d": date_format(expiry)},
            )
        clean.append(
            {
                "dose_code": code,
                "lot_number": lot[:32],
                "expiry_date": expiry if isinstance(expiry, date) else None,
            }
        )
    if ev.errors:
        return
    given = [imm.GivenDose(code, when) for code, when, _valid in history.doses if when <= on]
    for i, d in enumerate(clean):
        prefix = f"doses.{i}."
        try:
            rule = imm.check_dose(
                d["dose_code"], sex=person.sex, birth=person.birth_date, doses=given, on=on
            )
        except (ValueError, OutOfRange):
            ev.error("doses", _("Riwayat imunisasi tidak dapat diperiksa."))
            return
        reason = rule_reason(rule)
        if rule.code == "not_allowed":
            # The schedule does not allow this dose for this person: refused, with why.
            ev.error(f"{prefix}dose_code", str(reason))
            continue
        if rule.code == "too_early":
            # Stored only after the health worker confirms (as an unusual value), invalid.
            ev.warn(f"{prefix}dose_code", str(reason))
        valid = rule.code == "valid"
        d["valid"] = valid
        d.update(ImmunizationRecord.invalid_reason_columns(None if valid else reason))
        given.append(imm.GivenDose(d["dose_code"], on))
        ev.result(
            f"dose:{d['dose_code']}",
            value=d["lot_number"],
            class_code="valid" if valid else "too_early_confirmed",
            reason=reason,
            abnormal=not valid,
        )
        ev.results[-1]["source"] = imm.SOURCE
        if not valid:
            ev.alert(
                "warning",
                alert_text("dose_invalid", c=d["dose_code"], r=reason),
                action_text("reschedule_dose"),
            )
    if ev.errors:
        return
    ev.immunizations = clean
