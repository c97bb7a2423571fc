"""Name normalisation shared by registration, search and duplicate detection."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_name(full_name: str) -> str:
    """The name as stored: trimmed, single-spaced (case kept as written)."""
    return _SPACES.sub(" ", full_name or "").strip()


def name_key(full_name: str) -> str:
    """Lower-case, accent-free, single-spaced form used for prefix search and matching."""
    text = unicodedata.normalize("NFKD", clean_name(full_name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()
