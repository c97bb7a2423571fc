"""App configuration of evaluation and coaching: a camat's or kepala desa's tasks are a section
of their home page (``ilp.accounts.home.CROSS_SECTOR_SECTIONS``); the specialists' sessions
are a section of the monthly evaluation (``ilp.evaluation.programme_review``); a recorded death
opens its review (``ilp.evaluation.death_services.review_open``)."""

from __future__ import annotations

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "ilp.evaluation"
    label = "evaluation"
    verbose_name = "Evaluasi dan pembinaan"

    def ready(self) -> None:
        # Imported here, once the models are loaded, so none of these makes an import cycle.
        from ilp.accounts.home import CROSS_SECTOR_SECTIONS
        from ilp.evaluation import programme_review  # noqa: F401  (registers its section)
        from ilp.evaluation.home import home_section

        if home_section not in CROSS_SECTOR_SECTIONS:
            CROSS_SECTOR_SECTIONS.append(home_section)
        # A recorded death opens its AMP-SR review (referrals does not import evaluation).
        from ilp.evaluation.death_services import review_open
        from ilp.referrals.services_deaths import DEATH_RECORDED

        if review_open not in DEATH_RECORDED:  # type: ignore[comparison-overlap]
            DEATH_RECORDED.append(review_open)  # type: ignore[arg-type]
