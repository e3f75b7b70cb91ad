"""Background work for list imports (django-tasks; `manage.py db_worker` runs them in production)."""

from django_tasks import task

from qingshen.jobs.reaper import when_lost


@task()
def import_validate_task(batch_id: int) -> str:
    from qingshen.programmes.imports.validate import import_batch_validate

    return import_batch_validate(batch_id=batch_id).status


@task()
def import_commit_task(batch_id: int, renames: list[int]) -> str:
    from qingshen.programmes.imports.commit import import_batch_commit

    return import_batch_commit(batch_id=batch_id, renames=renames).status


@when_lost(import_validate_task)
def _validate_lost(batch_id: int, *, losses: int) -> None:
    from qingshen.programmes.imports.recovery import import_batch_interrupted

    import_batch_interrupted(batch_id=batch_id, during="validating", losses=losses)


@when_lost(import_commit_task)
def _commit_lost(batch_id: int, renames: list[int], *, losses: int) -> None:
    from qingshen.programmes.imports.recovery import import_batch_interrupted

    import_batch_interrupted(batch_id=batch_id, during="committing", losses=losses)


@task()
def history_validate_task(batch_id: int) -> str:
    from qingshen.programmes.history.validate import history_batch_validate

    return history_batch_validate(batch_id=batch_id).status


@task()
def history_commit_task(batch_id: int, renames: list[str] | None = None) -> str:
    from qingshen.programmes.history.commit import history_batch_commit

    return history_batch_commit(batch_id=batch_id, renames=renames or []).status


@when_lost(history_validate_task)
def _history_validate_lost(batch_id: int, *, losses: int) -> None:
    from qingshen.programmes.history.batches import history_batch_interrupted

    history_batch_interrupted(batch_id=batch_id, during="validating", losses=losses)


@when_lost(history_commit_task)
def _history_commit_lost(batch_id: int, renames: list[str] | None = None, *, losses: int) -> None:
    from qingshen.programmes.history.batches import history_batch_interrupted

    history_batch_interrupted(batch_id=batch_id, during="committing", losses=losses)


@task()
def permit_validate_task(batch_id: int) -> str:
    from qingshen.programmes.permits.validate import permit_batch_validate

    return permit_batch_validate(batch_id=batch_id).status


@task()
def permit_commit_task(batch_id: int) -> str:
    from qingshen.programmes.permits.commit import permit_batch_commit

    return permit_batch_commit(batch_id=batch_id).status


@when_lost(permit_validate_task)
def _permit_validate_lost(batch_id: int, *, losses: int) -> None:
    from qingshen.programmes.permits.batches import permit_batch_interrupted

    permit_batch_interrupted(batch_id=batch_id, during="validating", losses=losses)


@when_lost(permit_commit_task)
def _permit_commit_lost(batch_id: int, *, losses: int) -> None:
    from qingshen.programmes.permits.batches import permit_batch_interrupted

    permit_batch_interrupted(batch_id=batch_id, during="committing", losses=losses)
