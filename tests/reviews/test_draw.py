"""Exclusions (回避) one by one, the draw's proof, workload spread and redraws (issue §3)."""

import copy
import datetime

import pytest
from django.utils import timezone

from qingshen.cases.models import Delegation
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from qingshen.registry.models import AgencyStaff
from qingshen.reviews import selectors
from qingshen.reviews.draw import draw_order
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import Expert, ExpertConflict, Panel, PanelSeat
from qingshen.reviews.services.conflicts import conflict_dismiss, conflict_pin
from qingshen.reviews.services.draw import panel_draw, panel_verify, seat_redraw
from qingshen.reviews.services.seats import seat_respond
from qingshen.trail.models import Event
from tests import factories as f


def _excluded(world, expert):
    return [rule for rule, _d in selectors.conflict_check(review=world.review).exclusions.get(expert.pk, [])]


def test_only_active_experts_of_the_industry_are_eligible(evaluating):
    w = evaluating
    check = selectors.conflict_check(review=w.review)
    assert {e.pk for e in check.eligible} == {e.pk for e in w.pool}
    outsider = Expert.objects.get(user=w.users["expert"])
    assert outsider not in check.matching
    w.pool[0].is_active = False
    w.pool[0].save()
    assert w.pool[0] not in selectors.conflict_check(review=w.review).matching
    # A finer specialty (a class of the division) does not match a coarser enterprise industry; the division does.
    assert check.industry_code == "26"


def test_employed_by_the_enterprise_on_the_credit_code(evaluating):
    w = evaluating
    e = f.expert("甲", employer_name="别的名字", employer_uscc=w.ent_north.uscc)
    assert _excluded(w, e) == ["employer_enterprise"]
    # Same name, different code: not excluded (codes, not names).
    g = f.expert("乙", employer_name=w.ent_north.name, employer_uscc=w.ent_south.uscc)
    assert _excluded(w, g) == []


def test_employed_by_the_agency_that_served_the_case(evaluating):
    w = evaluating
    Delegation.objects.create(
        case=w.case, agency=w.agency, starts_on=w.case.published_on, created_by=w.users["enterprise"]
    )
    e = f.expert("甲", employer_uscc=w.agency.uscc)
    assert _excluded(w, e) == ["employer_agency"]


def test_took_part_in_this_case_audit(evaluating):
    w = evaluating
    Delegation.objects.create(
        case=w.case, agency=w.agency, starts_on=w.case.published_on, created_by=w.users["enterprise"]
    )
    AgencyStaff.objects.create(agency=w.agency, name="丙", certificate_no="CP-9999")
    e = f.expert("丙", certificate_no="CP-9999")
    assert _excluded(w, e) == ["case_audit"]


def _earlier_case(w, year):
    programme = programme_services.programme_create(city=w.city, year=year, actor=w.users["city"])
    programme_listings.listing_add(
        programme=programme, enterprise=w.ent_north, grounds=["emissions"], actor=w.users["city"]
    )
    published = datetime.date(year, 3, 1)
    f.confirm_list(programme, city_user=w.users["city"], province_user=w.users["province"])
    programme_lists.list_transition(
        name="publish", programme=programme, actor=w.users["city"], published_on=published
    )
    return programme.cases.get()


def test_consultant_of_this_enterprise_in_the_last_years(evaluating):
    w = evaluating
    other_agency = f.agency("旧咨询公司")
    old = _earlier_case(w, 2024)
    today = timezone.localdate()
    d = Delegation.objects.create(
        case=old,
        agency=other_agency,
        starts_on=old.published_on,
        ends_on=today - datetime.timedelta(days=400),
        created_by=w.users["enterprise"],
    )
    e = f.expert("丁", employer_uscc=other_agency.uscc)
    assert _excluded(w, e) == ["consultancy"]
    # Longer ago than the rule's years (3 by default): no longer excluded.
    d.ends_on = today - datetime.timedelta(days=4 * 366)
    d.save()
    assert _excluded(w, e) == []


def test_declared_and_pinned_conflicts(evaluating):
    w = evaluating
    a, b = w.pool[0], w.pool[1]
    ExpertConflict.objects.create(
        expert=a, enterprise=w.ent_north, kind="declared", reason="亲属任职", created_by=w.users["city"]
    )
    conflict_pin(actor=w.users["city"], expert_id=b.pk, enterprise=w.ent_north, reason="举报线索")
    assert _excluded(w, a) == ["declared"]
    assert _excluded(w, b) == ["pinned"]
    with pytest.raises(ReviewRefused):
        conflict_dismiss(
            review_id=w.review.pk, actor=w.users["city"], expert_id=a.pk, rule="declared", reason="x"
        )


def test_the_city_dismisses_a_false_positive_with_a_reason(evaluating):
    w = evaluating
    e = f.expert("甲", employer_uscc=w.ent_north.uscc)
    with pytest.raises(ReviewRefused):
        conflict_dismiss(
            review_id=w.review.pk,
            actor=w.users["city"],
            expert_id=e.pk,
            rule="employer_enterprise",
            reason=" ",
        )
    conflict_dismiss(
        review_id=w.review.pk,
        actor=w.users["city"],
        expert_id=e.pk,
        rule="employer_enterprise",
        reason="已于去年离职，有社保证明",
    )
    check = selectors.conflict_check(review=w.review)
    assert e in check.eligible and check.dismissed[e.pk][0][0] == "employer_enterprise"


def test_too_few_eligible_says_how_many_and_why_and_writes_nothing(evaluating):
    w = evaluating
    for e in w.pool[:3]:
        ExpertConflict.objects.create(
            expert=e, enterprise=w.ent_north, kind="pinned", reason="x", created_by=w.users["city"]
        )
    with pytest.raises(ReviewRefused) as err:
        panel_draw(review_id=w.review.pk, actor=w.users["city"])
    message = err.value.message
    assert "4" in message and "5" in message and "7" in message and "3" in message
    assert not Panel.objects.exists() and not Event.objects.filter(action="panel.draw").exists()


def test_a_draw_with_no_eligible_expert(evaluating):
    w = evaluating
    Expert.objects.update(is_active=False)
    with pytest.raises(ReviewRefused) as err:
        panel_draw(review_id=w.review.pk, actor=w.users["city"])
    assert "0" in err.value.message
    assert not Panel.objects.exists()


def test_the_draw_is_recorded_and_verifies(evaluating):
    w = evaluating
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    seats = list(panel.seats.order_by("position"))
    assert len(seats) == 5 and seats[0].is_chair and not any(s.is_chair for s in seats[1:])
    record = panel.record
    assert record["algorithm"] == "qingshen-draw-v1" and len(record["seed"]) == 32
    assert {c["expert"] for c in record["candidates"]} == {e.pk for e in w.pool}
    # Same record, same panel: recomputed from a copy, and by verify.
    assert draw_order(copy.deepcopy(record))[:5] == [s.expert_id for s in seats]
    result = panel_verify(panel=panel, actor=w.users["city"])
    assert result["matches"] and result["digest_ok"]


@pytest.mark.parametrize("alter", ["seed", "candidates", "last_drawn"])
def test_verify_detects_an_altered_record(evaluating, alter):
    w = evaluating
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    record = copy.deepcopy(panel.record)
    if alter == "seed":
        record["seed"] = "0" * 32
    elif alter == "candidates":
        record["candidates"] = record["candidates"][1:]
    else:
        record["candidates"][0]["last_drawn_on"] = "2000-01-01"
    Panel.objects.filter(pk=panel.pk).update(record=record)
    panel.refresh_from_db()
    result = panel_verify(panel=panel)
    assert not result["matches"] and not result["digest_ok"]


def test_least_recently_drawn_first(evaluating):
    w = evaluating
    recent = timezone.localdate() - datetime.timedelta(days=3)
    Expert.objects.filter(pk__in=[e.pk for e in w.pool[:4]]).update(last_drawn_on=recent)
    Expert.objects.filter(pk=w.pool[4].pk).update(last_drawn_on=recent - datetime.timedelta(days=300))
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    drawn = set(panel.seats.values_list("expert_id", flat=True))
    # The two never drawn and the one drawn long ago all sit; two of the four recent ones fill up.
    assert {w.pool[4].pk, w.pool[5].pk, w.pool[6].pk} <= drawn
    assert Expert.objects.filter(pk__in=drawn, last_drawn_on=timezone.localdate()).count() == 5


def test_declined_seat_is_refilled_from_the_same_record(evaluating):
    w = evaluating
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    chair = panel.seats.get(is_chair=True)
    with pytest.raises(ReviewRefused):
        seat_redraw(seat_id=chair.pk, actor=w.users["city"])
    seat_respond(seat_id=chair.pk, actor=chair.expert.user, accept=False, conflict="曾为该企业做过培训")
    assert ExpertConflict.objects.filter(
        expert=chair.expert, enterprise=w.ent_north, kind="declared"
    ).exists()
    new = seat_redraw(seat_id=chair.pk, actor=w.users["city"])
    assert new.expert_id == draw_order(panel.record)[5] and new.position == 6
    assert new.is_chair and not PanelSeat.objects.get(pk=chair.pk).is_chair and new.replaces_id == chair.pk
    with pytest.raises(ReviewRefused):
        seat_redraw(seat_id=chair.pk, actor=w.users["city"])
    assert panel_verify(panel=panel)["matches"]
    assert Event.objects.filter(action="panel.redraw").count() == 1


def test_redraw_when_the_record_is_exhausted(evaluating):
    w = evaluating
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    for _ in range(3):
        seat = panel.seats.filter(status="invited").order_by("position").first()
        seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=False, reason="出差")
        if _ < 2:
            seat_redraw(seat_id=seat.pk, actor=w.users["city"])
        else:
            with pytest.raises(ReviewRefused) as err:
                seat_redraw(seat_id=seat.pk, actor=w.users["city"])
            assert "7" in err.value.message


def test_accepting_needs_the_no_conflict_declaration(evaluating):
    w = evaluating
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    seat = panel.seats.first()
    with pytest.raises(ReviewRefused):
        seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=True, no_conflict=False)
    with pytest.raises(ReviewRefused):
        seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=False)
    other = panel.seats.exclude(pk=seat.pk).first()
    with pytest.raises(ReviewNotFound):
        seat_respond(seat_id=seat.pk, actor=other.expert.user, accept=True, no_conflict=True)
    seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=True, no_conflict=True)
    with pytest.raises(ReviewRefused):
        seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=True, no_conflict=True)
