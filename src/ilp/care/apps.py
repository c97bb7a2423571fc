"""Django app configuration for `ilp.care`."""

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "ilp.care"
    label = "care"

    def ready(self) -> None:
        # A person's corrected birth date, sex or address, or their voiding, refreshes their
        # work-list summary in the same transaction (people does not import care).
        from ilp.care.services.summary import summary_refresh_person
        from ilp.people.corrections import PERSON_CHANGED

        if summary_refresh_person not in PERSON_CHANGED:
            PERSON_CHANGED.append(summary_refresh_person)
