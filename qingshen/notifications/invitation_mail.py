"""The first-login link's mail: accounts issues the invitation, this floor delivers it."""

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts.invitations import invitation_path
from qingshen.accounts.roles import Role
from qingshen.accounts.signals import invitation_issued
from qingshen.notifications.services import notification_send


@receiver(invitation_issued, dispatch_uid="notifications-invitation-mail")
def invitation_mail(sender, invitation, base_url: str, **kwargs) -> None:
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
