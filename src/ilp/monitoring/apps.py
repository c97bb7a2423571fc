"""App configuration: the kept-current counts hook into the people and care writes
(``ilp.people.hooks.RECORDS_CHANGED``, ``ilp.people.corrections.PERSON_CHANGED``: the write
marks its persons pending) and into the request cycle (the marked persons are refreshed after
the response is sent; see ``ilp.monitoring.refresh``); what needs attention is a section of
the home pages (``ilp.accounts.home.HOME_SECTIONS``)."""

from __future__ import annotations

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "ilp.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from ilp.accounts.home import HOME_SECTIONS
        from ilp.monitoring.attention import home_section
        from ilp.monitoring.refresh import (
            facts_mark,
            facts_mark_person,
            refresh_after_response,
            request_begins,
        )
        from ilp.people.corrections import PERSON_CHANGED
        from ilp.people.hooks import RECORDS_CHANGED

        if facts_mark not in RECORDS_CHANGED:
            RECORDS_CHANGED.append(facts_mark)
        if facts_mark_person not in PERSON_CHANGED:
            PERSON_CHANGED.append(facts_mark_person)
        request_started.connect(request_begins, dispatch_uid="ilp.monitoring.request_begins")
        request_finished.connect(
            refresh_after_response, dispatch_uid="ilp.monitoring.refresh_after_response"
        )
        if home_section not in HOME_SECTIONS:
            HOME_SECTIONS.append(home_section)
