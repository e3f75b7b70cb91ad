"""A mail backend standing in for an SMTP server that is down for the first FAILS sends."""

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    fails = 0

    def send_messages(self, messages):
        if FlakyBackend.fails > 0:
            FlakyBackend.fails -= 1
            raise ConnectionRefusedError("SMTP server down")
        return super().send_messages(messages)


class RecordingSms:
    sent: list = []

    def send(self, *, number, text):
        RecordingSms.sent.append((number, text))


__all__ = ["FlakyBackend", "RecordingSms", "mail"]
