"""Django app configuration for `ilp.accounts`."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ilp.accounts"
    label = "accounts"
