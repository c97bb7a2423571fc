"""Django app configuration for `ilp.core`."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ilp.core"
    label = "core"
    verbose_name = "ILP core"
