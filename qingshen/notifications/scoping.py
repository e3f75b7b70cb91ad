"""Whose inbox and outbox a user sees.

Visibility functions return querysets, so an object outside the caller's scope is simply not found (the
view answers 404); `may_<verb>` answers one action. Built on the primitives of `accounts.scoping`.
"""

from django.db.models import QuerySet

from qingshen.accounts.roles import Role
from qingshen.accounts.scoping import active, user_is


def notifications_visible(user) -> QuerySet:
    """A user's own inbox, whatever the role."""
    from qingshen.notifications.models import Notification

    if not active(user):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def outbox_visible(user) -> QuerySet:
    """Official notices awaiting review and everything sent: city staff, for their subtree."""
    from qingshen.notifications.models import Delivery

    if not user_is(user, Role.CITY) or user.jurisdiction_id is None:
        return Delivery.objects.none()
    return Delivery.objects.filter(jurisdiction_path__startswith=user.jurisdiction.path)


def may_review_outbox(user) -> bool:
    """City staff review official notices before they are sent."""
    return user_is(user, Role.CITY) and user.jurisdiction_id is not None
