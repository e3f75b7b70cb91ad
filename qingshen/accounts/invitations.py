"""Enterprise accounts and their one-time first-login invitations."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts import scoping as accounts_scoping
from qingshen.accounts.models import Invitation, User
from qingshen.accounts.roles import Role
from qingshen.accounts.signals import invitation_issued
from qingshen.core.errors import Refused
from qingshen.trail.services import event_record


class InvitationRefused(Refused):
    """A refused invitation or account request; the message is shown as it is."""


def invitation_path(invitation: Invitation) -> str:
    return reverse("invitation-accept", args=[invitation.token])


@transaction.atomic
def invitation_issue(*, user: User, actor=None, email: str = "", base_url: str = "") -> Invitation:
    """A new link for `user`, cancelling any earlier one; the mail is queued (sent after the commit by
    the worker) where an address exists."""
    now = timezone.now()
    for old in Invitation.objects.select_for_update().filter(
        user=user, used_at__isnull=True, cancelled_at__isnull=True
    ):
        old.cancelled_at = now
        old.save(update_fields=["cancelled_at"])
    invitation = Invitation.objects.create(
        user=user,
        token=secrets.token_urlsafe(32),
        email=email,
        expires_at=now + datetime.timedelta(days=settings.QINGSHEN_INVITATION_DAYS),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    event_record(
        action="account.invitation.issue",
        actor=actor,
        obj=user,
        after={"invitation": invitation.pk, "expires_at": invitation.expires_at, "mailed_to": email},
    )
    if email:
        # Mailed by notifications (a floor above), which receives this signal.
        invitation_issued.send(
            sender=Invitation, invitation=invitation, base_url=base_url or settings.QINGSHEN_BASE_URL
        )
    return invitation


def free_username(wanted: str) -> str:
    """`wanted`, or with a suffix when some other account already has it."""
    username, n = wanted, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{wanted}-{n}"
    return username


def enterprise_primary_account(enterprise) -> User | None:
    return User.objects.filter(role=Role.ENTERPRISE, enterprise=enterprise).order_by("pk").first()


def enterprise_account_ensure(*, enterprise, actor=None) -> User | None:
    """One account per listed enterprise, its login name the credit code; a first-login invitation
    with it. Nothing happens when the enterprise already has an account (a second listing)."""
    if enterprise_primary_account(enterprise) is not None:
        return None
    user = User.objects.create(
        username=free_username(enterprise.uscc),
        role=Role.ENTERPRISE,
        enterprise=enterprise,
        first_name=enterprise.name[:150],
        email=enterprise.contact_email,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    event_record(
        action="account.create", actor=actor, obj=user, after={"enterprise": enterprise.pk, "role": user.role}
    )
    invitation_issue(user=user, actor=actor, email=enterprise.contact_email)
    return user


def invitation_usable(token: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("user").filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the account's password through the link and spend the link. Django's validators apply."""
    invitation = Invitation.objects.select_for_update().select_related("user").filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        raise InvitationRefused(
            _("This link is not valid any more. Ask the bureau (or your colleague) for a new one.")
        )
    user = invitation.user
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvitationRefused(" ".join(exc.messages)) from exc
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    event_record(
        action="account.invitation.accept", actor=user, obj=user, after={"invitation": invitation.pk}
    )
    return user


@transaction.atomic
def colleague_invite(*, actor, name: str, email: str = "", base_url: str = "") -> Invitation:
    """An enterprise user adds a colleague: a new account of the same enterprise with its own link."""
    if not accounts_scoping.may_invite_colleagues(actor):
        raise InvitationRefused(_("Only an enterprise's own users can add colleagues."))
    name = (name or "").strip()
    if not name:
        raise InvitationRefused(_("Enter the colleague's name."))
    enterprise = actor.enterprise
    username = free_username(f"{enterprise.uscc}-{User.objects.filter(enterprise=enterprise).count() + 1}")
    user = User.objects.create(
        username=username, role=Role.ENTERPRISE, enterprise=enterprise, first_name=name[:150], email=email
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    event_record(
        action="account.create",
        actor=actor,
        obj=user,
        after={"enterprise": enterprise.pk, "invited_by": actor.pk},
    )
    return invitation_issue(user=user, actor=actor, email=email, base_url=base_url)
