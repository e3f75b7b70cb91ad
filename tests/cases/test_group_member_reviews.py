"""A group's pass closes a member's own case as counted by the group: the member's own application
still open (awaiting the check, or accepted with its panel in progress) is cancelled through the reviews
service, logged, and the member is told; a concluded application of the member is left alone."""

import pytest

from qingshen.cases import groups
from qingshen.demo import walk
from qingshen.demo.case_walk import PATHS, walk_case
from qingshen.notifications.models import Notification
from qingshen.programmes import groups as programme_groups
from qingshen.reviews.models import Review
from qingshen.trail.models import Event
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(world):
    lead = f.enterprise(world.zone, "高新区管理委员会")
    group = programme_groups.group_open(
        programme=world.programme,
        lead=lead,
        lead_kind="park",
        name="高新区整体审核",
        actor=world.users["city"],
    )
    group.lead_user = f.enterprise_user(lead)
    return group


def _pass_group(world, group):
    walk_case(group.case, PATHS["implementing"], city_user=world.users["city"], enterprise_user=group.lead_user,
              start=group.case.published_on)  # fmt: skip


def test_the_members_open_applications_are_cancelled_logged_and_told(world, group):
    city = world.users["city"]
    for case in (world.case_north, world.case_south):
        groups.group_member_add(group_id=group.pk, enterprise=case.enterprise, actor=city)
    # North applied and waits for the check; south's application is accepted, its panel to be drawn.
    f.walk(world.case_north, "evaluation_applied", city_user=city, enterprise_user=world.users["enterprise"])
    f.walk(world.case_south, "evaluating", city_user=city, enterprise_user=world.users["enterprise_south"])
    north = walk.open_review(world.case_north, "evaluation")
    south = walk.open_review(world.case_south, "evaluation")
    assert (north.status, south.status) == ("applied", "accepted")
    _pass_group(world, group)
    for review, user in ((north, world.users["enterprise"]), (south, world.users["enterprise_south"])):
        review.refresh_from_db()
        review.case.refresh_from_db()
        assert review.case.state == "counted_by_group" and review.status == Review.Status.CANCELLED
        event = Event.objects.get(action="review.cancel", object_id=str(review.pk))
        assert event.before == {"status": "applied" if review == north else "accepted"}
        assert event.after["group"] == group.pk
        told = Notification.objects.filter(recipient=user, object_id=str(review.pk), subject__contains="取消")
        assert told.count() == 1 and "高新区整体审核" in told.get().body
    # The group's own review is concluded, not cancelled.
    assert not group.case.reviews.filter(status=Review.Status.CANCELLED).exists()


def test_a_member_without_an_open_application_has_nothing_cancelled(world, group):
    groups.group_member_add(group_id=group.pk, enterprise=world.ent_north, actor=world.users["city"])
    _pass_group(world, group)
    world.case_north.refresh_from_db()
    assert world.case_north.state == "counted_by_group"
    assert not Event.objects.filter(action="review.cancel").exists()


def test_the_experts_seated_on_a_cancelled_application_are_told_and_cannot_score(world, group):
    from qingshen.reviews import rules
    from qingshen.reviews.errors import ReviewRefused
    from qingshen.reviews.services.conclusion import score_submit
    from qingshen.reviews.services.draw import panel_draw
    from qingshen.reviews.services.seats import seat_respond

    city = world.users["city"]
    case = world.case_north
    groups.group_member_add(group_id=group.pk, enterprise=case.enterprise, actor=city)
    f.walk(case, "evaluating", city_user=city, enterprise_user=world.users["enterprise"])
    review = walk.open_review(case, "evaluation")
    if case.enterprise.industry is not None:
        walk.expert_pool_ensure(industry=case.enterprise.industry, count=rules.panel_size() + 1)
    panel = panel_draw(review_id=review.pk, actor=city, today=case.published_on)
    seats = list(panel.seats.select_related("expert__user"))
    for seat in seats:
        seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=True, no_conflict=True)
    _pass_group(world, group)
    review.refresh_from_db()
    assert review.status == Review.Status.CANCELLED
    for seat in seats:
        told = Notification.objects.filter(recipient=seat.expert.user, subject__contains="释放")
        assert told.count() == 1 and case.enterprise.name in told.get().body
        with pytest.raises(ReviewRefused):
            score_submit(seat_id=seat.pk, actor=seat.expert.user, points={})
