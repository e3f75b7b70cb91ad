"""Two rich worlds (tests/web/rich_world.py) for the read endpoints, built once per test module, and
a client per role of world A signed in by session (the fixture is offered by tests/api/conftest.py)."""

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from qingshen.cases.models import Benefit, Indicator, Option
from qingshen.cases.rollups import rollup_refresh_for_case
from qingshen.oversight.models import Warning


def _extras(w):
    """What rich_world does not make: an option with a benefit, and a warning, on the north case."""
    case = w.objects["case"]
    option = Option.objects.create(
        case=case,
        code="F1",
        name="余热回收",
        cost_class=Option.CostClass.LOW,
        investment=12,
        planned_on=timezone.localdate(),
        updated_by=w.users["enterprise"],
    )
    Benefit.objects.create(option=option, indicator=Indicator.objects.order_by("pk").first(), expected=3)
    cell = rollup_refresh_for_case(case)  # what the options service does after saving
    deadline = case.deadlines.filter(status="open").order_by("due_on", "pk").first()
    warning = Warning.objects.create(
        deadline=deadline,
        case=case,
        programme=w.objects["programme"],
        jurisdiction_path=case.jurisdiction_path,
        level=Warning.Level.OVERDUE,
        due_on=deadline.due_on,
        recorded_at=timezone.now(),
    )
    w.objects.update(
        option=option,
        warning=warning,
        option_total=cell.options.get(cost_class=Option.CostClass.LOW),
        benefit_total=cell.benefits.get(),
    )


@pytest.fixture(scope="module")
def rich(django_db_setup, django_db_blocker):
    """(world A, world B, {role: APIClient of A's user}); rolled back at the module's end."""
    from qingshen.registry.models import Industry
    from tests import factories as f
    from tests.web import rich_world

    with django_db_blocker.unblock(), transaction.atomic():
        if not Industry.objects.exists():  # a transactional test flushed the seed data
            f.reseed()
        year = timezone.localdate().year
        a = rich_world.build("A", "51", "26", year)
        b = rich_world.build("B", "52", "33", year)
        for w in (a, b):
            _extras(w)
        clients = {"anonymous": APIClient()}
        for role, user in a.users.items():
            clients[role] = APIClient()
            clients[role].force_login(user)
        yield a, b, clients
        transaction.set_rollback(True)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]
