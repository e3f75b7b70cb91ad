"""Background work for list imports (django-tasks; `manage.py db_worker` runs them in production)."""

from django_tasks import task


@task()
def import_validate_task(batch_id: int) -> str:
    from .services import import_batch_validate

    return import_batch_validate(batch_id=batch_id).status


@task()
def import_commit_task(batch_id: int, renames: list[int]) -> str:
    from .services import import_batch_commit

    return import_batch_commit(batch_id=batch_id, renames=renames).status
