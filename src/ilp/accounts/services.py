"""Writes of the accounts app: passwords (own change, an administrator's reset).

API tokens live in `tokens`, the second factor in `second_factor`.
"""

from __future__ import annotations

import secrets

from axes.handlers.proxy import AxesProxyHandler
from django.db import transaction

from ilp.accounts.audit import audit_record
from ilp.accounts.models import User

# No 0/O, 1/l/I: a temporary password is read out over the phone or written on paper.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password() -> str:
    """Twelve random characters in three groups of four (~70 bits)."""
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


def password_changed(*, user: User, ip: str | None) -> None:
    """The user chose their own password (the form has saved it): a temporary password no
    longer needs replacing."""
    with transaction.atomic():
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        audit_record(
            user=user, action="update", object_type="password", ip=ip, detail={"event": "changed"}
        )


def user_password_reset(*, user: User, by: User, ip: str | None) -> str:
    """Give `user` a temporary password they must change at their next login (no e-mail
    needed: the administrator passes it on). Their open sessions end (Django ties sessions to
    the password) and failed-login waits on their name are lifted. Returns the password."""
    password = temporary_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit_record(
            user=by,
            action="update",
            object_type="password",
            ip=ip,
            detail={"event": "reset", "username": user.username},
        )
    AxesProxyHandler.reset_attempts(username=user.username)
    return password
