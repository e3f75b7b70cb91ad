"""The same transition sent twice at once applies once (PostgreSQL: real row locks, real threads)."""

import threading

import pytest
from django.db import connection, connections

from qingshen.cases import services
from qingshen.cases.errors import TransitionRefused
from qingshen.cases.lifecycle import Action
from qingshen.trail.models import Event


@pytest.mark.django_db(transaction=True)
def test_double_submitted_transition_applies_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers (IMMEDIATE transactions)")
    case_id, actor = world.case_north.pk, world.users["enterprise"]
    racers = 8
    barrier = threading.Barrier(racers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit():
        try:
            barrier.wait()
            services.case_transition(case_id=case_id, actor=actor, action=Action.DISCLOSE)
            result = "applied"
        except TransitionRefused:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit) for _ in range(racers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["applied"] + ["refused"] * (racers - 1)
    world.case_north.refresh_from_db()
    assert world.case_north.version == 2
    assert Event.objects.filter(action="case.transition.disclose").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_different_steps_never_interleave(world):
    """The bureau accepting and the enterprise... a refused step never half-applies under contention."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from tests import factories as f

    case = f.walk(
        world.case_north,
        "evaluation_applied",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    barrier = threading.Barrier(2)
    results = {}

    def act(name, action, **kw):
        try:
            barrier.wait()
            services.case_transition(case_id=case.pk, actor=world.users["city"], action=action, **kw)
            results[name] = "applied"
        except TransitionRefused:
            results[name] = "refused"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("accept", "accept_evaluation_application")),
        threading.Thread(
            target=act, args=("refuse", "refuse_evaluation_application"), kwargs={"reason": "缺材料"}
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == ["applied", "refused"]
    case.refresh_from_db()
    assert case.version == 6
    assert case.state == ("evaluating" if results["accept"] == "applied" else "auditing")


@pytest.mark.django_db(transaction=True)
def test_two_enterprises_of_one_district_saving_options_at_once_are_both_in_the_totals(world):
    """Two cases in one programme-and-district cell: each save rewrites the cell under its lock, so
    neither rewrite can miss the other's option."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers (IMMEDIATE transactions)")
    import datetime
    from decimal import Decimal

    from qingshen.accounts.roles import Role
    from qingshen.cases.models import OptionRollup
    from qingshen.cases.options import OptionData, option_save
    from qingshen.cases.services import case_create_for_listing
    from qingshen.programmes.models import Listing
    from tests import factories as f

    other = f.enterprise(world.north, "北区涂装有限公司")
    listing = Listing.objects.create(programme=world.programme, enterprise=other, grounds=["emissions"])
    second = case_create_for_listing(listing=listing, published_on=world.case_north.published_on)
    other_user = f.user("ent3", Role.ENTERPRISE, enterprise=other)
    racers = [(world.case_north, world.users["enterprise"]), (second, other_user)] * 3
    barrier = threading.Barrier(len(racers))
    errors: list[Exception] = []

    def save(n, case, actor):
        try:
            barrier.wait()
            option_save(
                case=case,
                actor=actor,
                data=OptionData(
                    code=f"F{n}",
                    name="方案",
                    cost_class="low",
                    investment=Decimal(1),
                    planned_on=case.published_on + datetime.timedelta(days=1),
                ),
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n, c, a)) for n, (c, a) in enumerate(racers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    (row,) = OptionRollup.objects.filter(cell__jurisdiction=world.north, cell__programme=world.programme)
    assert (row.options, row.investment) == (len(racers), Decimal(len(racers)))
