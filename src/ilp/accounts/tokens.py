"""API tokens for machine clients: issue, revoke, authenticate, rate-limit.

A token is ``ilp_`` and 43 random URL-safe characters. Only its SHA-256 is stored (a random
secret of 256 bits needs no slow hash: nobody can guess one from its digest), so it is shown
once, when issued. A call with ``Authorization: Bearer <token>`` acts as the token's user,
within that user's scope, and is audited with the client's name. Each token has a per-minute
allowance (its own or ``ILP_API_TOKEN_RATE_PER_MINUTE``), counted in the token's row with
conditional UPDATEs, so every server process shares one count.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.audit import audit_record
from ilp.accounts.models import ApiToken, User
from ilp.core.exceptions import ValidationFailed

TOKEN_PREFIX = "ilp_"  # noqa: S105 - the public marker of ILP tokens, not a secret
_SHOWN_CHARS = 12  # "ilp_" and 8 characters: enough to tell tokens apart, useless to guess


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(
    *,
    user: User,
    name: str,
    expires_at: datetime,
    rate_per_minute: int | None,
    by: User,
    ip: str | None,
) -> tuple[ApiToken, str]:
    """Create a token for the client `name` acting as `user`; returns it and the secret
    (the only time the secret exists outside the client)."""
    fields: dict[str, list[str]] = {}
    if not name.strip():
        fields["name"] = [_("Wajib diisi.")]
    if expires_at <= timezone.now():
        fields["expires_on"] = [_("Tanggal berlaku harus di masa depan.")]
    if not (user.is_active and user.role):
        fields["user"] = [_("Pengguna ini tidak aktif atau belum punya peran.")]
    if fields:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=fields)
    token = ApiToken(
        name=name.strip(),
        user=user,
        expires_at=expires_at,
        rate_per_minute=rate_per_minute,
        created_by=by,
    )
    raw = token_save_new(token=token, by=by, ip=ip)
    return token, raw


def token_save_new(*, token: ApiToken, by: User, ip: str | None) -> str:
    """Give an unsaved token its secret, save and audit it; returns the secret (also for the
    admin's add form, which builds the token itself)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token.prefix = raw[:_SHOWN_CHARS]
    token.key_hash = _digest(raw)
    token.created_by = by
    with transaction.atomic():
        token.full_clean()
        token.save()
        audit_record(
            user=by,
            action="create",
            object_type="api_token",
            object_uuid=token.uuid,
            ip=ip,
            detail={"client": token.name, "token": token.prefix, "acts_as": token.user.username},
        )
    return raw


def token_revoke(*, token: ApiToken, by: User, ip: str | None) -> None:
    """Revoke a token at once (idempotent: a revoked token stays revoked at its first date)."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by, updated_by=by, updated_at=timezone.now()
        )
        if updated:
            audit_record(
                user=by,
                action="update",
                object_type="api_token",
                object_uuid=token.uuid,
                ip=ip,
                detail={"client": token.name, "token": token.prefix, "event": "revoked"},
            )
    token.refresh_from_db()


def token_for_secret(raw: str) -> ApiToken | None:
    """The usable token with this secret (None when unknown, revoked, expired, or its user
    may no longer log in)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(raw)).first()
    if token is None or not token.is_usable():
        return None
    return token


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    retry_after: int  # seconds until the next window when refused


def token_take_call(token: ApiToken, now: datetime | None = None) -> Allowance:
    """Count one call against the token's per-minute allowance (fixed one-minute windows)."""
    now = now or timezone.now()
    window = now.replace(second=0, microsecond=0)
    limit = token.rate_per_minute or settings.ILP_API_TOKEN_RATE_PER_MINUTE
    rows = ApiToken.objects.filter(pk=token.pk)
    # Same window and room left: count the call (one UPDATE, atomic in every database).
    if rows.filter(window_start=window, window_count__lt=limit).update(
        window_count=F("window_count") + 1, last_used_at=now
    ):
        return Allowance(True, 0)
    # A new window: start it with this call (another process may win the race; then retry).
    if rows.exclude(window_start=window).update(
        window_start=window, window_count=1, last_used_at=now
    ) or rows.filter(window_start=window, window_count__lt=limit).update(
        window_count=F("window_count") + 1, last_used_at=now
    ):
        return Allowance(True, 0)
    retry = (window + timedelta(minutes=1) - now).total_seconds()
    return Allowance(False, max(1, int(retry + 0.999)))
