"""Two rich worlds (tests/web/rich_world.py) for the read endpoints, built once per test module, and
a client per role of world A signed in by session (the fixture is offered by tests/api/conftest.py)."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from qingshen.cases.models import Benefit, Indicator, Option
from qingshen.cases.rollups import rollup_refresh_for_case
from qingshen.oversight.models import AccountabilityRecord, ViolationType, Warning
from qingshen.oversight.penalties import penalty_order
from qingshen.oversight.services import accountability_open
from qingshen.reports.models import SummaryFiling


def _option(case, code, cost_class, actor):
    option = Option.objects.create(
        case=case,
        code=code,
        name="余热回收",
        cost_class=cost_class,
        investment=12,
        planned_on=timezone.localdate(),
        updated_by=actor,
    )
    Benefit.objects.create(option=option, indicator=Indicator.objects.order_by("pk").first(), expected=3)
    return option, rollup_refresh_for_case(case)  # what the options service does after saving


def _warning(case):
    deadline = case.deadlines.filter(status="open").order_by("due_on", "pk").first()
    return Warning.objects.create(
        deadline=deadline,
        case=case,
        programme=case.programme,
        jurisdiction_path=case.jurisdiction_path,
        level=Warning.Level.OVERDUE,
        due_on=deadline.due_on,
        recorded_at=timezone.now(),
    )


def _second_rows(w):
    """A second row of each kind on the south case, so that the lists' query counts measure a page of
    more than one row (none of them is visible to world A's north district or north enterprise)."""
    south, city_user = w.objects["case_review"], w.users["city"]
    _option(south, "F2", Option.CostClass.HIGH, w.users["enterprise_south"])
    _warning(south)
    penalty_order(
        violation=ViolationType.objects.get(code="art39_no_audit"),
        facts="未开展审核",
        correct_by=timezone.localdate() + datetime.timedelta(days=30),
        actor=city_user,
        enterprise=south.enterprise,
        case=south,
    )
    accountability_open(
        case=south,
        kind=AccountabilityRecord.Kind.OTHER,
        duty="未按时组织评估",
        explanation="说明",
        actor=city_user,
    )
    SummaryFiling.objects.create(
        programme=w.objects["programme"], district=south.jurisdiction, figures={}, filed_by=city_user
    )


def _extras(w):
    """What rich_world does not make: an option with a benefit, and a warning, on the north case."""
    case = w.objects["case"]
    option, cell = _option(case, "F1", Option.CostClass.LOW, w.users["enterprise"])
    warning = _warning(case)
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
            _second_rows(w)
        clients = {"anonymous": APIClient()}
        for role, user in a.users.items():
            clients[role] = APIClient()
            clients[role].force_login(user)
        yield a, b, clients
        transaction.set_rollback(True)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]
