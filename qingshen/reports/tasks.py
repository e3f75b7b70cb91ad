"""Background work: the notification letters of a newly published list (one PDF and DOCX each)."""

from django_tasks import task


@task()
def letters_issue_task(programme_id: int, actor_id: int) -> int:
    from qingshen.accounts.models import User
    from qingshen.programmes.models import Programme

    from .documents import letters_issue

    return letters_issue(
        programme=Programme.objects.get(pk=programme_id), actor=User.objects.get(pk=actor_id)
    )
