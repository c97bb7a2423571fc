"""Bytes sealed at rest: files that must never lie readable in the database or a backup
(photos of injuries, police letters: ``ilp.protection``) are encrypted before they are stored
and opened only by the view that serves them to an entitled user.

Fernet (``cryptography``): AES-128-CBC with an HMAC-SHA256 over the whole token, so a wrong
key or a changed byte is refused, never decrypted into garbage. The token is stored as its raw
bytes (its base64 decoded: a third smaller), opened again by encoding it back.

Keys: ``settings.ILP_ATTACHMENT_KEYS``, from the environment variable ``ILP_ATTACHMENT_KEY``,
one or more comma-separated Fernet keys (URL-safe base64 of 32 random bytes, ``new_key()``
makes one). The first seals; every one of them opens (``MultiFernet``), so a key is rotated
by putting the new key first, running ``ilp reseal_attachments`` (which seals every stored
file again under it), then removing the old key. Without the variable the key is derived from
``SECRET_KEY`` with HKDF-SHA256 (RFC 5869) under its own label, so the demo and tests work out
of the box; a server should set its own key, because rotating the secret key would otherwise
lock every stored attachment. The key derived from the current ``SECRET_KEY`` always opens as
well (last), so a server that sets ``ILP_ATTACHMENT_KEY`` later still reads what it sealed
before (and ``reseal_attachments`` moves those files to the new key).
"""

from __future__ import annotations

import base64
import binascii
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ilp.core.exceptions import ApplicationError

logger = logging.getLogger("ilp.sealed")

HKDF_INFO = b"ilp attachment key v1"


class Unsealable(ApplicationError):
    """A sealed file none of the configured keys opens (a key removed too early, another
    server's key) or whose bytes were changed: the user is told, the details are logged."""

    code = "unsealable"
    http_status = 409


def new_key() -> str:
    """A fresh random key, in the form ``ILP_ATTACHMENT_KEY`` takes."""
    return Fernet.generate_key().decode("ascii")


def derived_key(secret: str) -> bytes:
    """The Fernet key derived from `secret` (the ``SECRET_KEY``) by HKDF-SHA256."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret.encode("utf-8")
    )
    return base64.urlsafe_b64encode(raw)


def _keys() -> list[bytes]:
    configured = [k.encode("ascii") for k in getattr(settings, "ILP_ATTACHMENT_KEYS", [])]
    derived = derived_key(str(settings.SECRET_KEY))
    return [*configured, derived] if derived not in configured else configured


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def seal(data: bytes) -> bytes:
    """`data` encrypted under the current (first) key, as raw bytes to store."""
    token = _fernet().encrypt(data)
    return base64.urlsafe_b64decode(token)


def _token(sealed: bytes | memoryview) -> bytes:
    return base64.urlsafe_b64encode(bytes(sealed))


def unseal(sealed: bytes | memoryview) -> bytes:
    """The plaintext of what ``seal`` returned; ``Unsealable`` when no key opens it."""
    try:
        return _fernet().decrypt(_token(sealed))
    except (InvalidToken, binascii.Error, ValueError) as exc:
        logger.warning("A sealed file could not be opened with any configured key.")
        raise Unsealable(
            _(
                "Berkas ini tidak dapat dibuka: kunci enkripsinya tidak ada di server. "
                "Hubungi administrator sistem."
            )
        ) from exc


def reseal(sealed: bytes | memoryview) -> bytes:
    """The same plaintext sealed again under the current key (for a key rotation)."""
    try:
        token = _fernet().rotate(_token(sealed))
    except (InvalidToken, binascii.Error, ValueError) as exc:
        raise Unsealable(_("Berkas ini tidak dapat dibuka dengan kunci mana pun.")) from exc
    return base64.urlsafe_b64decode(token)


def is_current(sealed: bytes | memoryview) -> bool:
    """Whether the current (first) key opens `sealed` (no rotation needed)."""
    try:
        Fernet(_keys()[0]).decrypt(_token(sealed))
    except (InvalidToken, binascii.Error, ValueError):
        return False
    return True
