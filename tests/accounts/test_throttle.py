"""Failed-login throttle."""

from ilp.accounts.throttle import is_locked, record_attempt


def test_locks_after_max_failures_for_username(db, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        record_attempt("siti", "10.0.0.5", success=False)
    assert not is_locked("siti", "10.0.0.9")
    record_attempt("siti", "10.0.0.5", success=False)
    assert is_locked("siti", "10.0.0.9")
    assert is_locked("SITI", None)
    assert not is_locked("budi", "10.0.0.9")


def test_shared_address_gets_a_larger_allowance(db, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for name in ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"):
        record_attempt(name, "10.0.0.5", success=False)
    assert not is_locked("someone", "10.0.0.5")  # 11 failures < 3 × 4
    record_attempt("l", "10.0.0.5", success=False)
    assert is_locked("someone", "10.0.0.5")


def test_success_clears_the_username(db, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        record_attempt("siti", None, success=False)
    assert is_locked("siti", None)
    record_attempt("siti", None, success=True)
    assert not is_locked("siti", None)


def test_old_failures_expire(db, settings):
    settings.LOGIN_MAX_FAILURES = 2
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 60
    from datetime import timedelta

    from django.utils import timezone

    from ilp.accounts.models import LoginAttempt

    record_attempt("siti", None, success=False)
    record_attempt("siti", None, success=False)
    LoginAttempt.objects.update(at=timezone.now() - timedelta(seconds=120))
    assert not is_locked("siti", None)
