"""Migration care/0005: task reasons written as sentences become codes with parameters."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("care", "0004_corrections_history")]
AFTER = [("care", "0005_task_reason_code")]


@pytest.mark.django_db(transaction=True)
def test_old_sentences_map_to_codes_and_nothing_is_lost(district):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Task = old.get_model("care", "Task")
    common = {
        "person_id": district.siti.pk,
        "due_date": date(2025, 3, 1),
        "facility_id": district.pos_ampel_timur_f.pk,
        "status": "open",
    }
    sentences = {
        "Gizi kurang: Rujuk ke puskesmas untuk PMT pemulihan": ("care.alert.wasting", {}),
        "Tidak hadir di posyandu Posyandu Melati tanggal 05-03-2025": (
            "care.task.absent",
            {"name": "Posyandu Melati", "date": {"date": "2025-03-05"}},
        ),
        "Hipertensi derajat 1: Rujuk ke puskesmas": ("bp_pnpk.class.grade_1", {}),
        "Cek ulang sesuatu": ("care.task.legacy", {"text": "Cek ulang sesuatu"}),
    }
    ids = {s: Task.objects.create(kind="follow_up", reason=s, **common).pk for s in sentences}
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("care", "Task")
    got = {
        s: tuple(new.objects.filter(pk=pk).values_list("reason_code", "reason_params").get())
        for s, pk in ids.items()
    }
    assert got == sentences
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
