"""Django app configuration for `ilp.people`."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ilp.people"
    label = "people"
