"""Settings of the test suite: ILP's production settings (``ilp.settings``: DEBUG off, secure
cookies, HSTS, Content-Security-Policy) with only what a test run needs on top.

The demo and debug switches are forced off so that a developer's shell cannot turn them on
for the tests; the secret key is a test-only value.
"""

from __future__ import annotations

import os

os.environ["ILP_DEMO"] = "false"
os.environ["ILP_DEBUG"] = "false"
os.environ.setdefault("ILP_SECRET_KEY", "test-only-secret-key-" + "k3y" * 12)

from ilp.settings import *  # noqa: E402,F403

# The test client and the live server of the browser tests speak plain http; the redirect
# itself is tested on its own (tests/core/test_settings.py).
SECURE_SSL_REDIRECT = False
