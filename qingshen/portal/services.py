"""Enterprise accounts and their one-time first-login invitations (issue 5 §1)."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts import scoping
from qingshen.accounts.models import User
from qingshen.accounts.roles import Role
from qingshen.core.errors import Refused
from qingshen.notifications.services import notification_send
from qingshen.portal.models import Invitation
from qingshen.trail.services import event_record


class PortalRefused(Refused):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def invitation_path(invitation: Invitation) -> str:
    return reverse("invitation-accept", args=[invitation.token])


def _mail_invitation(invitation: Invitation, base_url: str) -> None:
    link = base_url.rstrip("/") + invitation_path(invitation)
    user = invitation.user
    if user.role == Role.EXPERT:
        why = _("The bureau has put you in its pool of experts for cleaner production audit reviews.")
    else:
        why = _("Your enterprise is on this year's mandatory cleaner production audit list.")
    if user.enterprise_id:
        path = user.enterprise.jurisdiction.path
    else:  # an expert: the inviting bureau's outbox
        creator = invitation.created_by
        path = creator.jurisdiction.path if creator is not None and creator.jurisdiction_id else ""
    # Only a mail (the account is not active yet, so no inbox), queued for the worker.
    notification_send(
        subject=_("Your qingshen account for the cleaner production audit"),
        body=why
        + "\n"
        + _(
            "Set the password of your account (login name: %(username)s) with this link, "
            "valid until %(expires)s and usable once:\n%(link)s\n"
        )
        % {
            "username": user.username,
            "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
            "link": link,
        },
        addresses=[invitation.email],
        jurisdiction_path=path,
    )


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
        _mail_invitation(invitation, base_url or settings.QINGSHEN_BASE_URL)
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


def invitation_regenerate(*, enterprise, actor, base_url: str = "") -> Invitation:
    """The bureau issues a fresh link (the old one lost or expired); creates the account if missing."""
    if not scoping.may_manage_invitations(actor, enterprise):
        raise PortalRefused(_("No such enterprise."))
    with transaction.atomic():
        user = enterprise_primary_account(enterprise)
        if user is None:
            user = enterprise_account_ensure(enterprise=enterprise, actor=actor)
            return Invitation.objects.filter(user=user).latest("created_at")
        return invitation_issue(user=user, actor=actor, email=enterprise.contact_email, base_url=base_url)


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
        raise PortalRefused(
            _("This link is not valid any more. Ask the bureau (or your colleague) for a new one.")
        )
    user = invitation.user
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise PortalRefused(" ".join(exc.messages)) from exc
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
    if not scoping.may_invite_colleagues(actor):
        raise PortalRefused(_("Only an enterprise's own users can add colleagues."))
    name = (name or "").strip()
    if not name:
        raise PortalRefused(_("Enter the colleague's name."))
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
