"""The SMS hook: qingshen has no SMS provider. A deployment names a class in QINGSHEN_SMS_SENDER
(dotted path) implementing `SmsSender`; without one no SMS is queued."""

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsSender(Protocol):
    def send(self, *, number: str, text: str) -> None:
        """Send one SMS; raise on failure (the worker retries)."""


def sms_sender() -> SmsSender | None:
    path = getattr(settings, "QINGSHEN_SMS_SENDER", "")
    return import_string(path)() if path else None
