"""Reports' answers to what lower floors announce."""

from django.db import transaction
from django.dispatch import receiver

from qingshen.programmes.signals import list_published
from qingshen.reports.tasks import letters_issue_task


@receiver(list_published, dispatch_uid="reports-letters-on-publication")
def letters_on_publication(sender, programme, actor, **kwargs) -> None:
    """The one-time notification letters are rendered in the background once the publication commits."""
    programme_id, actor_id = programme.pk, actor.pk
    transaction.on_commit(lambda: letters_issue_task.enqueue(programme_id, actor_id))
