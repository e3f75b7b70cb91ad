"""Keys behind a small key-service interface: AES-256-GCM for personal data at rest, and HMAC-SM3
sealing the operation log's checkpoints (trail/checkpoints.py).

A bureau with a certified crypto device (密码机) replaces `EnvKeyService` by naming its own class in
QINGSHEN_KEY_SERVICE; the class needs `encrypt(bytes) -> bytes`, `decrypt(bytes) -> bytes` and
`mac(bytes) -> bytes` (a keyed digest of 32 bytes; `manage.py check` says when it is missing).
No key is ever stored in the database.
"""

import base64
import hmac
import os
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from qingshen.core.masking import mask  # noqa: F401  (masked display of personal data)

PREFIX = "enc:v1:"


def _configured_key(name: str) -> bytes | None:
    raw = getattr(settings, name, "")
    if not raw:
        return None
    key = base64.b64decode(raw)
    if len(key) != 32:
        raise ValueError(f"{name} must be base64 of 32 bytes")
    return key


def _derived(secret: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


class EnvKeyService:
    """AES-256-GCM with the key from QINGSHEN_DATA_KEY (base64 of 32 bytes); HMAC-SM3 with
    QINGSHEN_LOG_KEY, or without one a key derived from the data key (a separate key either way).

    Without a data key (development, tests) one is derived from SECRET_KEY; `check --deploy` warns.
    """

    def __init__(self):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key = _configured_key("QINGSHEN_DATA_KEY") or _derived(settings.SECRET_KEY.encode(), b"qingshen-data")
        self._aead = AESGCM(key)
        self._mac_key = _configured_key("QINGSHEN_LOG_KEY") or _derived(key, b"qingshen-log-mac")

    def encrypt(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext, b"qingshen")

    def decrypt(self, blob: bytes) -> bytes:
        return self._aead.decrypt(blob[:12], blob[12:], b"qingshen")

    def mac(self, message: bytes) -> bytes:
        from qingshen.core.files.digests import PureSM3, openssl_has_sm3

        return hmac.new(self._mac_key, message, "sm3" if openssl_has_sm3() else PureSM3).digest()


@cache
def key_service():
    return import_string(
        getattr(settings, "QINGSHEN_KEY_SERVICE", "qingshen.core.keyservice.EnvKeyService")
    )()


def encrypt_text(value: str) -> str:
    if value in (None, "") or value.startswith(PREFIX):
        return value
    return PREFIX + base64.b64encode(key_service().encrypt(value.encode())).decode()


def decrypt_text(value: str) -> str:
    if not value or not value.startswith(PREFIX):
        return value  # not (yet) encrypted: rows from before the data migration
    return key_service().decrypt(base64.b64decode(value[len(PREFIX) :])).decode()


def log_mac(message: bytes) -> str:
    """The log's keyed digest (HMAC-SM3 with the default service), as hex."""
    return key_service().mac(message).hex()
