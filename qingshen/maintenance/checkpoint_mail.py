"""A checkpoint of the operation log sent to the auditors: trail seals, notifications deliver."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.notifications.services import notification_send
from qingshen.trail.checkpoints import checkpoint_create, line_of
from qingshen.trail.models import Checkpoint


def checkpoint_mail(*, users, actor=None, actor_name: str = "") -> Checkpoint:
    """A checkpoint now, sent to the users (the auditors) through the notifications: inbox and mail."""
    with transaction.atomic():
        checkpoint = checkpoint_create(reason=Checkpoint.Reason.MAIL, actor=actor, actor_name=actor_name)
        body = _(
            "The operation log's checkpoint at row %(seq)s, made %(at)s. Keep this message: on the log's "
            "Verify page, a file holding the line below shows whether the log was rewritten since.\n\n"
            "%(line)s\n"
        ) % {
            "seq": checkpoint.seq,
            "at": timezone.localtime(checkpoint.at).strftime("%Y-%m-%d %H:%M:%S"),
            "line": line_of(checkpoint),
        }
        notification_send(
            users=users,
            subject=_("Operation log checkpoint at row %(seq)s") % {"seq": checkpoint.seq},
            body=body,
            actor=actor,
        )
    return checkpoint
