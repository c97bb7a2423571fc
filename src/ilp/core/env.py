"""Environment-variable helpers for settings: typed, and loud when a value is malformed."""

from __future__ import annotations

import base64
import binascii
import os


def env_str(name: str, default: str) -> str:
    """Return the environment variable `name`, or `default` when unset or empty."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    """Parse a boolean environment variable; raise on anything but the usual spellings."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    """Parse an integer environment variable; raise when it is not an integer."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def env_keys(name: str) -> list[str]:
    """Parse a comma-separated list of Fernet keys (each URL-safe base64 of 32 bytes, as
    ``cryptography.fernet.Fernet.generate_key()`` makes); an empty list when unset; raise when
    one is malformed (naming its position, never printing the key)."""
    raw = os.environ.get(name) or ""
    keys = [part.strip() for part in raw.split(",") if part.strip()]
    for position, key in enumerate(keys, start=1):
        try:
            decoded = base64.urlsafe_b64decode(key.encode("ascii"))
        except (ValueError, binascii.Error):
            decoded = b""
        if len(decoded) != 32:
            raise ValueError(
                f"{name}: key {position} must be URL-safe base64 of 32 bytes "
                f"(44 characters ending in '=')"
            )
    return keys
