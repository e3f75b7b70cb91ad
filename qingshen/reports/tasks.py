"""Background work: the notification letters of a newly published list (one PDF and DOCX each)."""

from django.db import transaction
from django_tasks import task

from qingshen.jobs.reaper import lost_retry_allowed, when_lost


@task()
def letters_issue_task(programme_id: int, actor_id: int) -> int:
    from qingshen.accounts.models import User
    from qingshen.programmes.models import Programme
    from qingshen.reports.documents import letters_issue

    return letters_issue(
        programme=Programme.objects.get(pk=programme_id), actor=User.objects.get(pk=actor_id)
    )


@when_lost(letters_issue_task)
def _letters_lost(programme_id: int, actor_id: int, *, losses: int) -> None:
    # Each letter is stored in its own transaction and the job skips cases that have one: running it
    # again issues exactly the letters the lost run had not.
    if lost_retry_allowed(losses):
        transaction.on_commit(lambda: letters_issue_task.enqueue(programme_id, actor_id))
