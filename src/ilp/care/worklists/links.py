"""What apps beside care add to the work-list lines, without care importing them.

``READABLE_REFERRALS`` holds at most one function taking the user and the referral UUIDs
(text) named by the page's rujuk balik lines, and returning those the user may open; the
referrals app registers ``ilp.referrals.selectors.readable_uuids`` in its
``AppConfig.ready`` (referrals build on care, so care may not import them). Without one, no
line links to a referral.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ilp.accounts.models import User

ReadableReferrals = Callable[[User, Iterable[str]], set[str]]

READABLE_REFERRALS: list[ReadableReferrals] = []


def readable_referrals(user: User, uuids: Iterable[str]) -> set[str]:
    """The referral UUIDs among `uuids` that `user` may open (none without the referrals app)."""
    if not READABLE_REFERRALS:
        return set()
    return READABLE_REFERRALS[0](user, uuids)
