"""Races on PostgreSQL with real threads: sheets at the same moment, a sheet twice, the chair twice."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from qingshen.cases.errors import CaseError
from qingshen.cases.models import AuditCase
from qingshen.reviews.models import Review, RubricItem, Score
from qingshen.reviews.services.conclusion import review_confirm, score_submit
from qingshen.reviews.services.draw import panel_draw
from qingshen.reviews.services.seats import seat_respond
from qingshen.trail.models import Event

# The flush after a transactional test removes the migrations' seed data: `seeded_data` puts it back.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded_data")]


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait()
            call()
            result = "applied"
        except CaseError:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def _ready(w):
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    seats = list(panel.seats.select_related("expert__user").order_by("position"))
    for s in seats:
        seat_respond(seat_id=s.pk, actor=s.expert.user, accept=True, no_conflict=True)
    w.review.refresh_from_db()
    points = {
        i.pk: str(i.max_points * Decimal("0.8"))
        for i in w.review.rubric.items.filter(kind=RubricItem.Kind.SCORED)
    }
    return seats, points


@pytest.fixture
def pg(evaluating):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers (IMMEDIATE transactions)")
    return evaluating


def test_all_experts_submit_at_the_same_moment(pg):
    seats, points = _ready(pg)
    calls = [(lambda s=s: score_submit(seat_id=s.pk, actor=s.expert.user, points=points)) for s in seats]
    assert _race(calls) == ["applied"] * 5
    review = Review.objects.get(pk=pg.review.pk)
    # The last sheet in computes the result exactly once, from all five.
    assert review.result_score == Decimal("80.00") and review.proposed_outcome == "pass"
    assert Event.objects.filter(action="review.result").count() == 1


def test_a_sheet_sent_twice_at_once_is_kept_once(pg):
    seats, points = _ready(pg)
    s = seats[0]
    calls = [lambda: score_submit(seat_id=s.pk, actor=s.expert.user, points=points)] * 4
    assert _race(calls) == ["applied"] + ["refused"] * 3
    assert Score.objects.count() == 1


def test_the_chair_confirming_twice_at_once(pg):
    seats, points = _ready(pg)
    for s in seats:
        score_submit(seat_id=s.pk, actor=s.expert.user, points=points)
    chair = seats[0].expert.user
    version = AuditCase.objects.get(pk=pg.case.pk).version
    calls = [lambda: review_confirm(review_id=pg.review.pk, actor=chair, render_opinions=False)] * 3
    assert _race(calls) == ["applied", "refused", "refused"]
    case = AuditCase.objects.get(pk=pg.case.pk)
    assert case.state == "implementing" and case.version == version + 1
    assert Event.objects.filter(action="review.confirm").count() == 1
