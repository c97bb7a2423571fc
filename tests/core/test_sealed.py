"""Files sealed at rest (ilp.core.sealed): what is stored is not the file, a wrong key is a
clean domain error, and keys rotate."""

from __future__ import annotations

import base64
import logging

import pytest
from cryptography.fernet import Fernet

from ilp.core import sealed
from ilp.core.env import env_keys
from ilp.core.exceptions import ApplicationError

PHOTO = b"\xff\xd8\xff\xe0" + b"luka memar di lengan kiri " * 200


def test_a_sealed_file_opens_to_the_same_bytes_and_does_not_contain_them():
    stored = sealed.seal(PHOTO)
    assert sealed.unseal(stored) == PHOTO
    assert sealed.unseal(memoryview(stored)) == PHOTO  # as PostgreSQL hands a BinaryField back
    assert b"luka memar" not in stored
    assert b"luka memar" not in base64.urlsafe_b64encode(stored)
    assert stored != sealed.seal(PHOTO)  # a fresh IV each time: equal files do not look equal
    # Stored as raw bytes, not Fernet's base64 text (a third smaller): version, time, IV,
    # the blocks of AES-CBC, the HMAC.
    assert len(stored) == 1 + 8 + 16 + (len(PHOTO) // 16 + 1) * 16 + 32


def test_an_empty_file_round_trips():
    assert sealed.unseal(sealed.seal(b"")) == b""


def test_without_a_configured_key_the_key_is_derived_from_the_secret_key(settings):
    settings.ILP_ATTACHMENT_KEYS = []
    stored = sealed.seal(PHOTO)
    derived = sealed.derived_key(settings.SECRET_KEY)
    assert Fernet(derived).decrypt(base64.urlsafe_b64encode(stored)) == PHOTO
    assert derived != sealed.derived_key(settings.SECRET_KEY + "x")
    settings.SECRET_KEY = "another-secret-key-" + "q" * 40
    with pytest.raises(sealed.Unsealable):  # what a secret key rotation does: hence the setting
        sealed.unseal(stored)


def test_a_wrong_key_is_a_domain_error_with_a_message_and_a_log_line(settings, caplog):
    settings.ILP_ATTACHMENT_KEYS = [sealed.new_key()]
    stored = sealed.seal(PHOTO)
    settings.ILP_ATTACHMENT_KEYS = [sealed.new_key()]
    with (
        caplog.at_level(logging.WARNING, logger="ilp.sealed"),
        pytest.raises(sealed.Unsealable) as raised,
    ):
        sealed.unseal(stored)
    assert isinstance(raised.value, ApplicationError)
    assert raised.value.http_status != 500
    assert str(raised.value.message) == (
        "Berkas ini tidak dapat dibuka: kunci enkripsinya tidak ada di server. "
        "Hubungi administrator sistem."
    )
    assert "could not be opened" in caplog.text
    assert settings.ILP_ATTACHMENT_KEYS[0] not in caplog.text


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # the HMAC
        lambda b: b[:40] + bytes([b[40] ^ 1]) + b[41:],  # the ciphertext
        lambda b: b[:10],  # cut short
        lambda b: b"",
    ],
)
def test_changed_bytes_are_refused_not_decrypted_into_garbage(damage):
    with pytest.raises(sealed.Unsealable):
        sealed.unseal(damage(sealed.seal(PHOTO)))


def test_keys_rotate_the_new_key_first_the_old_one_still_opens(settings):
    old, new = sealed.new_key(), sealed.new_key()
    settings.ILP_ATTACHMENT_KEYS = [old]
    stored = sealed.seal(PHOTO)
    settings.ILP_ATTACHMENT_KEYS = [new, old]
    assert sealed.unseal(stored) == PHOTO  # still readable during the rotation
    assert not sealed.is_current(stored)
    resealed = sealed.reseal(stored)
    assert sealed.is_current(resealed) and sealed.unseal(resealed) == PHOTO
    settings.ILP_ATTACHMENT_KEYS = [new]  # the old key removed
    assert sealed.unseal(resealed) == PHOTO
    with pytest.raises(sealed.Unsealable):
        sealed.unseal(stored)
    with pytest.raises(sealed.Unsealable):
        sealed.reseal(stored)


def test_a_key_set_later_still_opens_what_the_derived_key_sealed(settings):
    settings.ILP_ATTACHMENT_KEYS = []
    before = sealed.seal(PHOTO)
    settings.ILP_ATTACHMENT_KEYS = [sealed.new_key()]
    assert sealed.unseal(before) == PHOTO
    assert not sealed.is_current(before)
    assert sealed.is_current(sealed.reseal(before))


def test_the_key_setting_parses_a_list_and_refuses_a_malformed_key(monkeypatch):
    one, two = sealed.new_key(), sealed.new_key()
    monkeypatch.setenv("ILP_ATTACHMENT_KEY", f" {one}, {two} ,")
    assert env_keys("ILP_ATTACHMENT_KEY") == [one, two]
    monkeypatch.delenv("ILP_ATTACHMENT_KEY")
    assert env_keys("ILP_ATTACHMENT_KEY") == []
    for bad in ("short", one[:-4], "!" * 44, base64.urlsafe_b64encode(b"k" * 31).decode()):
        monkeypatch.setenv("ILP_ATTACHMENT_KEY", f"{one},{bad}")
        with pytest.raises(ValueError, match="key 2 must be URL-safe base64 of 32 bytes") as e:
            env_keys("ILP_ATTACHMENT_KEY")
        assert bad not in str(e.value) or bad == "short"


def test_a_file_sealed_long_ago_still_opens(settings):
    # Fernet can refuse tokens older than a ttl; sealed files are kept 18 years, so none is set.
    key = sealed.new_key()
    settings.ILP_ATTACHMENT_KEYS = [key]
    token = Fernet(key.encode()).encrypt_at_time(PHOTO, current_time=0)  # sealed in 1970
    assert sealed.unseal(base64.urlsafe_b64decode(token)) == PHOTO
