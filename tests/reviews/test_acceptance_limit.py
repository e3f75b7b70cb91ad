"""The acceptance time limit per enterprise (提出验收时限, domain.md §8): set with the evaluation opinion
within the rules' bounds (default: the rule's date), moved later by the organiser, used by the case's
ACCEPTANCE_APPLY deadline and stated in the opinion."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from qingshen.cases.deadline_bulk import deadlines_recompute_open
from qingshen.cases.models import AuditCase, CaseDeadline
from qingshen.procedures.models import Rule
from qingshen.procedures.rules import due_from, rule_get
from qingshen.reviews import acceptance_limit, opinions
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import PanelSeat, Review, RubricItem
from qingshen.reviews.services.conclusion import review_confirm, score_submit
from qingshen.reviews.services.draw import panel_draw
from qingshen.reviews.services.seats import seat_respond
from qingshen.trail.models import Event
from tests import factories as f

APPLY = CaseDeadline.Kind.ACCEPTANCE_APPLY


@pytest.fixture
def scored(evaluating):
    """The evaluation of case_north scored to a pass by the whole panel, awaiting the chair."""
    w = evaluating
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    seats = list(panel.seats.select_related("expert__user"))
    for seat in seats:
        seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=True, no_conflict=True)
    w.review.refresh_from_db()
    items = list(w.review.rubric.items.all())
    for seat in seats:
        points = {
            i.pk: str((i.max_points * Decimal("0.9")).quantize(Decimal("0.5")))
            for i in items
            if i.kind != RubricItem.Kind.VETO
        }
        score_submit(seat_id=seat.pk, actor=seat.expert.user, points=points)
    w.chair = PanelSeat.objects.select_related("expert__user").get(panel=panel, is_chair=True)
    w.review.refresh_from_db()
    assert w.review.proposed_outcome == Review.Outcome.PASS
    return w


def _confirm(w, **kwargs):
    return review_confirm(review_id=w.review.pk, actor=w.chair.expert.user, render_opinions=False, **kwargs)


def _rule_date(code: str, start: datetime.date) -> datetime.date:
    return due_from(rule=rule_get(code), start=start).date


def _apply_due(case) -> datetime.date:
    return CaseDeadline.objects.get(case=case, kind=APPLY, milestone__isnull=True).due_on


def test_default_is_the_rules_date(scored):
    _confirm(scored)
    case = AuditCase.objects.get(pk=scored.case.pk)
    expected = _rule_date("acceptance_apply_due", timezone.localdate())
    assert case.acceptance_due_on == expected
    assert _apply_due(case) == expected
    event = Event.objects.get(action="review.acceptance_limit.propose", object_id=str(case.pk))
    assert event.after["acceptance_due_on"] == expected.isoformat()


def test_a_date_within_the_bounds_is_the_deadline_and_in_the_opinion(scored):
    today = timezone.localdate()
    earliest = _rule_date("acceptance_limit_min", today)
    chosen = earliest + datetime.timedelta(days=10)
    review = _confirm(scored, acceptance_due_on=chosen)
    case = AuditCase.objects.get(pk=scored.case.pk)
    assert case.acceptance_due_on == chosen
    assert _apply_due(case) == chosen
    review = Review.objects.get(pk=review.pk)
    texts = [b[1] for b in opinions.opinion_blocks(review) if b[0] == "para"]
    wanted = f"提出验收时限：请于{chosen.year}年{chosen.month}月{chosen.day}日前提出审核验收申请。"
    assert wanted in texts


@pytest.mark.parametrize("where", ["before_min", "after_max"])
def test_outside_the_bounds_is_refused_and_changes_nothing(scored, where):
    today = timezone.localdate()
    if where == "before_min":
        day = _rule_date("acceptance_limit_min", today) - datetime.timedelta(days=1)
    else:
        day = _rule_date("acceptance_apply_due", today) + datetime.timedelta(days=1)
    events = Event.objects.count()
    with pytest.raises(ReviewRefused, match=r"acceptance_limit_min.*acceptance_apply_due"):
        _confirm(scored, acceptance_due_on=day)
    review = Review.objects.get(pk=scored.review.pk)
    case = AuditCase.objects.get(pk=scored.case.pk)
    assert (review.outcome, case.state, case.acceptance_due_on) == ("", "evaluating", None)
    assert not CaseDeadline.objects.filter(case=case, kind=APPLY).exists()
    assert Event.objects.count() == events


def test_a_broken_min_rule_refuses_naming_it(scored):
    Rule.objects.filter(code="acceptance_limit_min").update(amount=30)  # 30 months > 1 year
    with pytest.raises(ReviewRefused, match="acceptance_limit_min"):
        _confirm(scored)
    assert Review.objects.get(pk=scored.review.pk).outcome == ""


def test_the_chairs_form_has_the_date_and_refuses_out_of_bounds(scored, client_for):
    w = scored
    client = client_for(w.chair.expert.user)
    page = client.get(f"/expert/seats/{w.chair.pk}/")
    assert 'name="acceptance_due_on"' in page.content.decode()
    assert 'id="limit-bounds"' in page.content.decode()
    late = _rule_date("acceptance_apply_due", timezone.localdate()) + datetime.timedelta(days=1)
    response = client.post(f"/expert/seats/{w.chair.pk}/confirm/", {"acceptance_due_on": late.isoformat()})
    assert response.status_code == 200
    errors = f.form_errors_shown(response, "confirm-form", "confirm_form")
    assert any("acceptance_apply_due" in e for e in errors)
    assert Review.objects.get(pk=w.review.pk).outcome == ""


@pytest.fixture
def passed(scored):
    _confirm(scored)
    scored.case = AuditCase.objects.get(pk=scored.case.pk)
    return scored


def test_the_organiser_moves_it_within_the_bounds(passed, client_for):
    w = passed
    url = f"/reviews/{w.review.pk}/"
    client = client_for(w.users["city"])
    assert 'id="limit-form"' in client.get(url).content.decode()
    chosen = _rule_date("acceptance_limit_min", w.case.evaluation_passed_on) + datetime.timedelta(days=3)
    response = client.post(url + "acceptance-limit/", {"due_on": chosen.isoformat(), "reason": "企业申请"})
    assert response.status_code == 302
    case = AuditCase.objects.get(pk=w.case.pk)
    assert case.acceptance_due_on == chosen
    assert _apply_due(case) == chosen
    assert case.next_due_on <= chosen
    event = Event.objects.get(action="review.acceptance_limit.set", object_id=str(case.pk))
    assert (event.note, event.after["acceptance_due_on"]) == ("企业申请", chosen.isoformat())


def test_the_organiser_is_refused_outside_the_bounds(passed, client_for):
    w = passed
    before = w.case.acceptance_due_on
    early = w.case.evaluation_passed_on + datetime.timedelta(days=1)
    client = client_for(w.users["city"])
    response = client.post(f"/reviews/{w.review.pk}/acceptance-limit/", {"due_on": early.isoformat()})
    assert response.status_code == 200
    errors = f.form_errors_shown(response, "limit-form", "limit_form")
    assert any("acceptance_apply_due" in e for e in errors)
    assert AuditCase.objects.get(pk=w.case.pk).acceptance_due_on == before


@pytest.mark.parametrize("who", ["district", "enterprise", "supervisor"])
def test_others_who_see_the_case_are_refused(passed, client_for, who):
    w = passed
    before = w.case.acceptance_due_on
    chosen = _rule_date("acceptance_limit_min", w.case.evaluation_passed_on) + datetime.timedelta(days=3)
    client = client_for(w.users[who])
    assert 'id="limit-form"' not in client.get(f"/reviews/{w.review.pk}/").content.decode()
    response = client.post(f"/reviews/{w.review.pk}/acceptance-limit/", {"due_on": chosen.isoformat()})
    assert response.status_code in (302, 200)
    assert AuditCase.objects.get(pk=w.case.pk).acceptance_due_on == before
    with pytest.raises(ReviewRefused):
        acceptance_limit.acceptance_limit_set(review_id=w.review.pk, actor=w.users[who], due_on=chosen)


@pytest.mark.parametrize("who", ["district_south", "enterprise_south", "agency"])
def test_out_of_scope_is_404(passed, client_for, who):
    w = passed
    chosen = _rule_date("acceptance_limit_min", w.case.evaluation_passed_on) + datetime.timedelta(days=3)
    response = client_for(w.users[who]).post(
        f"/reviews/{w.review.pk}/acceptance-limit/", {"due_on": chosen.isoformat()}
    )
    assert response.status_code == 404
    assert AuditCase.objects.get(pk=w.case.pk).acceptance_due_on == w.case.acceptance_due_on


def test_not_settable_before_a_pass(scored):
    day = _rule_date("acceptance_limit_min", timezone.localdate())
    with pytest.raises(ReviewRefused, match="评估通过后"):
        acceptance_limit.acceptance_limit_set(
            review_id=scored.review.pk, actor=scored.users["city"], due_on=day
        )


def test_a_rule_edit_keeps_the_enterprises_limit(passed):
    w = passed
    chosen = _rule_date("acceptance_limit_min", w.case.evaluation_passed_on) + datetime.timedelta(days=3)
    acceptance_limit.acceptance_limit_set(review_id=w.review.pk, actor=w.users["city"], due_on=chosen)
    Rule.objects.filter(code="acceptance_apply_due").update(amount=2)
    result = deadlines_recompute_open()
    assert _apply_due(w.case) == chosen
    assert AuditCase.objects.get(pk=w.case.pk).acceptance_due_on == chosen
    assert w.case.pk not in result.one_by_one  # in step: left out of the set-based groups, not moved


def test_a_limit_the_row_does_not_show_is_recomputed(passed):
    """A time limit written without its deadline row (e.g. by hand) is brought into the row by the
    set-based recompute, case by case."""
    w = passed
    chosen = _rule_date("acceptance_limit_min", w.case.evaluation_passed_on) + datetime.timedelta(days=5)
    AuditCase.objects.filter(pk=w.case.pk).update(acceptance_due_on=chosen)
    result = deadlines_recompute_open()
    assert w.case.pk in result.one_by_one
    assert _apply_due(w.case) == chosen


@pytest.fixture
def issued(scored):
    """Passed with the opinion rendered and stored (PDF and DOCX)."""
    review_confirm(review_id=scored.review.pk, actor=scored.chair.expert.user, render_opinions=True)
    scored.case = AuditCase.objects.get(pk=scored.case.pk)
    return scored


def _docx_text(document) -> str:
    import docx

    with document.file.open("rb") as fh:
        return "\n".join(p.text for p in docx.Document(fh).paragraphs)


def test_moving_it_reissues_the_opinion_and_keeps_the_old_one(issued):
    from qingshen.cases.models import Document

    w = issued
    old = {d.original_name.rsplit(".", 1)[1]: d for d in Document.objects.filter(case=w.case, kind="opinion")}
    assert sorted(old) == ["docx", "pdf"]
    chosen = _rule_date("acceptance_limit_min", w.case.evaluation_passed_on) + datetime.timedelta(days=3)
    acceptance_limit.acceptance_limit_set(
        review_id=w.review.pk, actor=w.users["city"], due_on=chosen, reason="企业申请"
    )
    current = Document.objects.filter(case=w.case, kind="opinion", superseded_by__isnull=True)
    new = {d.original_name.rsplit(".", 1)[1]: d for d in current}
    assert sorted(new) == ["docx", "pdf"] and not {d.pk for d in new.values()} & {d.pk for d in old.values()}
    for ext, doc in old.items():
        doc.refresh_from_db()
        assert doc.superseded_by_id == new[ext].pk  # kept, superseded
    line = f"提出验收时限：请于{chosen.year}年{chosen.month}月{chosen.day}日前提出审核验收申请。"
    assert line in _docx_text(new["docx"]) and line not in _docx_text(old["docx"])


def test_moving_it_tells_the_enterprise(passed):
    from qingshen.notifications.models import Delivery, Notification

    w = passed
    chosen = _rule_date("acceptance_limit_min", w.case.evaluation_passed_on) + datetime.timedelta(days=3)
    acceptance_limit.acceptance_limit_set(
        review_id=w.review.pk, actor=w.users["city"], due_on=chosen, reason="企业申请"
    )
    notice = Notification.objects.get(recipient=w.users["enterprise"], subject__contains=str(chosen))
    assert "企业申请" in notice.body
    # Official, like the conclusion: any mail waits for release.
    assert {d.status for d in Delivery.objects.filter(subject=notice.subject)} <= {Delivery.Status.HELD}
    # Not moved (the same date again): nobody is told twice.
    acceptance_limit.acceptance_limit_set(review_id=w.review.pk, actor=w.users["city"], due_on=chosen)
    assert (
        Notification.objects.filter(recipient=w.users["enterprise"], subject__contains=str(chosen)).count()
        == 1
    )
