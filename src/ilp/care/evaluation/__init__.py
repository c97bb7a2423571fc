"""Evaluating service packages: what a form's values mean, computed without writing anything.

Organised by life stage, each module named for what it holds:

- `registry` — one entry per service package (fieldsets, questionnaires, age band, visit
  series); `fields` — every value key's type, labels, unit, LOINC and plausibility limits;
  `questionnaires` — questionnaire items; `ages` — age bands in completed months;
  `parse` — typed values from what was typed or sent (once, at the edge).
- `engine` — `evaluate_package` / `evaluate` and the evaluator of each package;
  `outcome` — the `Evaluation`; `history` — earlier records read before evaluating;
  `common`, `vitals` — pieces shared by the life stages.
- Life stages: `maternal` (ANC, delivery, postpartum, newborn), `child` (growth, trend,
  development), `immunization`, `school`, `adult` (PTM, TB, SRQ-20, cancer screening),
  `elderly` (SKILAS, Barthel), `home_visit`.

This package module imports nothing, so `fields` can be read by the plausibility checks
without loading the evaluators.
"""
