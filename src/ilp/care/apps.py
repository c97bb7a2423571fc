"""Django app configuration for `ilp.care`."""

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "ilp.care"
    label = "care"
