from django_tasks import task

from qingshen.jobs.reaper import when_lost


@task()
def delivery_send(delivery_id: int) -> str:
    from qingshen.notifications.services import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id)


@when_lost(delivery_send)
def _delivery_lost(delivery_id: int, *, losses: int) -> None:
    from qingshen.notifications.services import delivery_interrupted

    delivery_interrupted(delivery_id=delivery_id)
