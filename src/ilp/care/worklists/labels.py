"""What a reader sees for the work lists' codes: item kinds (``imunisasi:MR1``, ``anc:K1``,
``tindak-lanjut``), states (``due``/``overdue``), special lists and task close reasons — lazy
gettext, rendered in the reader's language by pages and exports alike (codes stay codes in
the data, the CSV and the API)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ITEM_LABELS = {
    "imunisasi": _("Imunisasi"),
    "anc": _("Pemeriksaan kehamilan (ANC)"),
    "kf": _("Kunjungan nifas (KF)"),
    "kn": _("Kunjungan neonatal (KN)"),
    "timbang": _("Penimbangan balita"),
    "skrining": _("Skrining PTM/lansia"),
    "tindak-lanjut": _("Tindak lanjut"),
    "kunjungan-rumah": _("Kunjungan rumah"),
    "rujuk-balik": _("Kontrol rujuk balik"),
}
STATE_LABELS = {"due": _("Jatuh tempo"), "overdue": _("Terlambat")}
SPECIAL_LABELS = {
    "risiko_tinggi": _("Ibu hamil risiko tinggi (KRT/KRST)"),
    "gizi": _("Balita gizi buruk, gizi kurang atau stunting"),
    "2t": _("Balita 2T (berat badan tidak naik dua kali berturut-turut)"),
    "ht_tidak_terkendali": _("Hipertensi tidak terkendali"),
    "dm_tidak_terkendali": _("Diabetes tidak terkendali"),
    "prediabetes": _("Prediabetes atau gula darah belum pasti (periksa ulang)"),
}


def item_label(code: str) -> str:
    """'imunisasi:MR1' → 'Imunisasi MR1'; 'skrining:PTM' → 'Skrining PTM';
    'kunjungan-rumah' → 'Kunjungan rumah'."""
    kind, _sep, detail = code.partition(":")
    if kind == "skrining" and detail:
        return str(_("Skrining %(kind)s") % {"kind": detail})
    label = str(ITEM_LABELS.get(kind, kind))
    return f"{label} {detail}" if detail else label


def state_label(state: str) -> str:
    """'overdue' → 'Terlambat' (in the reader's language)."""
    return str(STATE_LABELS.get(state, state))
