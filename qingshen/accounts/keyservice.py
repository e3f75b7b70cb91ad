"""Encrypting personal data at rest (issue 8 §4): AES-256-GCM behind a small key-service interface.

A bureau with a certified crypto device (密码机) replaces `EnvKeyService` by naming its own class in
QINGSHEN_KEY_SERVICE; the class needs `encrypt(bytes) -> bytes` and `decrypt(bytes) -> bytes`.
"""

import base64
import os
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from qingshen.trail.masking import mask  # noqa: F401  (masked display of personal data)

PREFIX = "enc:v1:"


class EnvKeyService:
    """AES-256-GCM with the key from QINGSHEN_DATA_KEY (base64 of 32 bytes).

    Without one (development, tests) a key is derived from SECRET_KEY; `check --deploy` warns.
    """

    def __init__(self):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        raw = settings.QINGSHEN_DATA_KEY
        if raw:
            key = base64.b64decode(raw)
            if len(key) != 32:
                raise ValueError("QINGSHEN_DATA_KEY must be base64 of 32 bytes")
        else:
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.kdf.hkdf import HKDF

            key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"qingshen-data").derive(
                settings.SECRET_KEY.encode()
            )
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext, b"qingshen")

    def decrypt(self, blob: bytes) -> bytes:
        return self._aead.decrypt(blob[:12], blob[12:], b"qingshen")


@cache
def key_service():
    return import_string(
        getattr(settings, "QINGSHEN_KEY_SERVICE", "qingshen.accounts.keyservice.EnvKeyService")
    )()


def encrypt_text(value: str) -> str:
    if value in (None, "") or value.startswith(PREFIX):
        return value
    return PREFIX + base64.b64encode(key_service().encrypt(value.encode())).decode()


def decrypt_text(value: str) -> str:
    if not value or not value.startswith(PREFIX):
        return value  # not (yet) encrypted: rows from before the data migration
    return key_service().decrypt(base64.b64decode(value[len(PREFIX) :])).decode()
