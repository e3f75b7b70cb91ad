"""Telling an enterprise about its listing. In-app notifications belong to the oversight work; until
then the notice is an Event, and a mail where the registry or an account has an address."""

from django.conf import settings
from django.core.mail import send_mail

from qingshen.trail.services import event_record


def enterprise_addresses(enterprise) -> list[str]:
    addresses = [enterprise.contact_email] if enterprise.contact_email else []
    addresses += [
        e
        for e in enterprise.users.filter(is_active=True).exclude(email="").values_list("email", flat=True)
        if e not in addresses
    ]
    return addresses


def notify_enterprise(*, enterprise, subject: str, body: str, actor=None, obj=None) -> list[str]:
    """Record the notice and mail it where an address exists; returns the addresses mailed.

    Mail goes out after the transaction commits, so a rolled-back step sends nothing.
    """
    from django.db import transaction

    addresses = enterprise_addresses(enterprise)
    event_record(
        action="enterprise.notify",
        actor=actor,
        obj=obj if obj is not None else enterprise,
        after={"enterprise": enterprise.uscc, "subject": str(subject), "mailed_to": addresses},
    )
    if addresses:
        subject, body = str(subject), str(body)
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
        )
    return addresses
