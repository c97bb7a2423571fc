"""App configuration: registers the kept-current counts as a hook of the people and care
writes (``ilp.people.hooks.RECORDS_CHANGED``, ``ilp.people.corrections.PERSON_CHANGED``), and
what needs attention as a section of the home pages (``ilp.accounts.home.HOME_SECTIONS``)."""

from __future__ import annotations

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "ilp.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from ilp.accounts.home import HOME_SECTIONS
        from ilp.monitoring.attention import home_section
        from ilp.monitoring.services import facts_refresh, facts_refresh_person
        from ilp.people.corrections import PERSON_CHANGED
        from ilp.people.hooks import RECORDS_CHANGED

        if facts_refresh not in RECORDS_CHANGED:
            RECORDS_CHANGED.append(facts_refresh)
        if facts_refresh_person not in PERSON_CHANGED:
            PERSON_CHANGED.append(facts_refresh_person)
        if home_section not in HOME_SECTIONS:
            HOME_SECTIONS.append(home_section)
