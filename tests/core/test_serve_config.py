"""`ilp serve` starts gunicorn in the configuration chosen for a 2-core puskesmas server:
cores + 1 gthread workers of 4 threads, recycled, logging requests."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.fixture
def started(monkeypatch):
    calls = []
    monkeypatch.setattr("os.execv", lambda program, argv: calls.append(argv))
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    return calls


def _option(argv, name):
    return argv[argv.index(name) + 1]


def test_two_cores_get_three_workers_of_four_threads(started):
    call_command("serve", stdout=io.StringIO())
    (argv,) = started
    assert argv[2:4] == ["gunicorn", "ilp.wsgi:application"]
    assert _option(argv, "--bind") == "127.0.0.1:8000"
    assert _option(argv, "--workers") == "3"
    assert _option(argv, "--worker-class") == "gthread"
    assert _option(argv, "--threads") == "4"
    assert _option(argv, "--max-requests") == "1000"


def test_workers_and_threads_can_be_chosen(started):
    call_command("serve", "--workers", "5", "--threads", "2", stdout=io.StringIO())
    (argv,) = started
    assert (_option(argv, "--workers"), _option(argv, "--threads")) == ("5", "2")


def test_zero_threads_is_refused(started):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("serve", "--threads", "0", stdout=io.StringIO())
    assert started == []
