from django_tasks import task


@task()
def delivery_send(delivery_id: int) -> str:
    from .services import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id)
