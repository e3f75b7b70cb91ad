import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """Two unrelated rich worlds (tests/web/rich_world.py) and a logged-in client per role of the
    first, built once per module inside a transaction that is rolled back at its end; each test runs
    in a savepoint of it, so what one test changes the next does not see."""
    from qingshen.registry.models import Industry
    from tests import factories as f
    from tests.web import rich_world

    with django_db_blocker.unblock(), transaction.atomic():
        if not Industry.objects.exists():  # a transactional test flushed the seed data
            f.reseed()
        year = timezone.localdate().year
        a = rich_world.build("A", "51", "26", year)
        b = rich_world.build("B", "52", "33", year)
        clients = {}
        for role in rich_world.ROLES:
            clients[role] = Client()
            clients[role].force_login(a.users[role])
        clients["anonymous"] = Client()
        yield a, b, clients
        transaction.set_rollback(True)
