"""Django app configuration for `ilp.accounts`."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ilp.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from ilp.accounts.middleware import on_login

        user_logged_in.connect(on_login, dispatch_uid="ilp.accounts.idle_clock")
