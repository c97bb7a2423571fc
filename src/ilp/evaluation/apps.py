"""App configuration of evaluation and coaching."""

from __future__ import annotations

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "ilp.evaluation"
    label = "evaluation"
    verbose_name = "Evaluasi dan pembinaan"
