"""Telling an enterprise about its listing: an Event, a notification in the inbox of each of its
accounts, and a mail (queued for the worker) to every address the registry or an account has."""

from qingshen.notifications.services import notification_send
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

    Mail is queued after the transaction commits, so a rolled-back step sends nothing.
    """
    addresses = enterprise_addresses(enterprise)
    event_record(
        action="enterprise.notify",
        actor=actor,
        obj=obj if obj is not None else enterprise,
        after={"enterprise": enterprise.uscc, "subject": str(subject), "mailed_to": addresses},
    )
    notification_send(
        users=list(enterprise.users.filter(is_active=True)),
        subject=subject,
        body=body,
        obj=obj if obj is not None else enterprise,
        addresses=addresses,
        actor=actor,
        jurisdiction_path=enterprise.jurisdiction.path,
    )
    return addresses
