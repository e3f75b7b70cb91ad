"""Every generated text words the actual outcome: the case history, the opinion, the notices to the
enterprise, its agency and the experts (a pass never reads "not passed", nor a fail "passed")."""

import io
from decimal import Decimal

import pytest
from django.utils import translation

from qingshen.cases.models import Delegation
from qingshen.demo import walk
from qingshen.notifications.models import Delivery, Notification
from qingshen.reviews import opinions, rules
from qingshen.reviews.models import PanelSeat, Review, RubricItem
from qingshen.reviews.services.applications import review_check
from qingshen.reviews.services.conclusion import review_confirm, score_submit
from qingshen.reviews.services.draw import panel_draw, seat_redraw
from qingshen.reviews.services.seats import seat_respond
from qingshen.trail.models import Event
from tests import factories as f

PASS_WORDS = {"evaluation": "评估通过", "acceptance": "验收合格"}
FAIL_WORDS = {"evaluation": "评估不通过", "acceptance": "验收不合格"}


def _under_review(world, kind):
    type(world.ent_north).objects.filter(pk=world.ent_north.pk).update(contact_email="hb@example.com")
    state = "evaluating" if kind == "evaluation" else "accepting"
    case = f.walk(
        world.case_north, state, city_user=world.users["city"], enterprise_user=world.users["enterprise"]
    )
    Delegation.objects.create(
        case=case, agency=world.agency, starts_on=case.published_on, created_by=world.users["enterprise"]
    )
    return case, walk.open_review(case, kind)


def _conclude(world, review, *, share, veto=False):
    walk.expert_pool_ensure(industry=review.case.enterprise.industry, count=rules.panel_size() + 1)
    panel = panel_draw(review_id=review.pk, actor=world.users["city"])
    seats = list(panel.seats.select_related("expert__user"))
    for seat in seats:
        seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=True, no_conflict=True)
    review.refresh_from_db()
    items = list(review.rubric.items.all())
    vetoes = [i.pk for i in items if i.kind == RubricItem.Kind.VETO][:1]
    for n, seat in enumerate(seats):
        points = {
            i.pk: str((i.max_points * Decimal(share)).quantize(Decimal("0.5")))
            for i in items
            if i.kind != RubricItem.Kind.VETO
        }
        score_submit(
            seat_id=seat.pk, actor=seat.expert.user, points=points, vetoes=vetoes if veto and n == 0 else ()
        )
    chair = PanelSeat.objects.select_related("expert__user").get(panel=panel, is_chair=True)
    review.refresh_from_db()
    passed = review.proposed_outcome == Review.Outcome.PASS
    return review_confirm(
        review_id=review.pk,
        actor=chair.expert.user,
        level="II" if passed and review.kind == "acceptance" else "",
        requirements="" if passed else "按专家意见修改后重新申请。",
        render_opinions=False,
    )


def _history_note(case, action):
    return Event.objects.get(object_type="cases.auditcase", object_id=str(case.pk), action=action).note


def _docx_text(review) -> str:
    from docx import Document as Docx

    doc = Docx(io.BytesIO(opinions.opinion_docx(review)))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _official_notice(world, review):
    """The conclusion reaches the enterprise and its agency; its mail waits in the outbox."""
    subject_of = {
        n.recipient_id: n.subject
        for n in Notification.objects.filter(object_type="reviews.review", object_id=str(review.pk))
    }
    for who in ("enterprise", "agency"):
        assert world.users[who].pk in subject_of
    held = Delivery.objects.filter(status=Delivery.Status.HELD, official=True)
    assert held.exists()
    return Notification.objects.filter(
        recipient=world.users["enterprise"], object_type="reviews.review", object_id=str(review.pk)
    ).latest("pk")


@pytest.mark.parametrize("kind", ["evaluation", "acceptance"])
def test_a_pass_reads_as_a_pass_everywhere(world, kind):
    case, review = _under_review(world, kind)
    with translation.override("zh-hans"):
        review = _conclude(world, review, share="0.9")
    assert review.outcome == "pass"
    note = _history_note(case, f"case.transition.pass_{kind}")
    assert "不通过" not in note and "不合格" not in note
    assert ("通过" if kind == "evaluation" else "合格") in note and str(review.result_score) in note
    text = _docx_text(review)
    assert "不通过" not in text and "不合格" not in text
    notice = _official_notice(world, review)
    assert "不通过" not in notice.subject + notice.body and "不合格" not in notice.subject + notice.body
    if kind == "evaluation":
        assert "申请审核验收" in notice.body  # what comes next
    else:
        assert "Ⅱ级" in notice.body


@pytest.mark.parametrize("kind", ["evaluation", "acceptance"])
@pytest.mark.parametrize("veto", [False, True], ids=["low-score", "veto"])
def test_a_fail_reads_as_a_fail_everywhere(world, kind, veto):
    case, review = _under_review(world, kind)
    with translation.override("zh-hans"):
        review = _conclude(world, review, share="0.9" if veto else "0.5", veto=veto)
    assert review.outcome == "fail"
    note = _history_note(case, f"case.transition.fail_{kind}")
    assert ("否决项" if veto else "低于合格分数线") in note
    assert ("不通过" if kind == "evaluation" else "不合格") in note
    text = _docx_text(review)
    assert ("不通过" if kind == "evaluation" else "不合格") in text
    assert "提出验收时限" not in text  # no acceptance deadline after a failed evaluation
    notice = _official_notice(world, review)
    assert ("不通过" if kind == "evaluation" else "不合格") in notice.subject
    assert ("否决项" if veto else "低于合格分数线") in notice.body
    assert "重新申请" in notice.body or "再次申请" in notice.body


def test_the_chair_hears_when_every_sheet_is_in(world):
    _case, review = _under_review(world, "evaluation")
    _conclude(world, review, share="0.9")
    chair = PanelSeat.objects.get(panel__review=review, is_chair=True).expert.user
    assert (
        Notification.objects.filter(recipient=chair, subject__contains=review.case.enterprise.name).count()
        == 2
    )


def test_a_refused_application_is_an_official_notice_naming_what_is_missing(world):
    case = f.walk(
        world.case_north,
        "report_submitted",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    Delegation.objects.create(
        case=case, agency=world.agency, starts_on=case.published_on, created_by=world.users["enterprise"]
    )
    type(world.ent_north).objects.filter(pk=world.ent_north.pk).update(contact_email="hb@example.com")
    with translation.override("en"):
        review = walk.application_submit(
            case=case,
            kind="evaluation",
            actor=world.users["enterprise"],
            day=case.published_on,
            complete=False,
        )
        review_check(review_id=review.pk, actor=world.users["city"], accept=False)
    city_notice = Notification.objects.get(
        recipient=world.users["city"], object_type="reviews.review", object_id=str(review.pk)
    )
    assert "审核评估" in city_notice.subject  # in the site's language, whatever the actor's
    for who in ("enterprise", "agency"):
        notice = Notification.objects.get(
            recipient=world.users[who], object_type="reviews.review", object_id=str(review.pk)
        )
        assert "不予受理" in notice.subject and "审核报告" in notice.body
    assert Delivery.objects.filter(official=True, status=Delivery.Status.HELD).exists()
    assert not Notification.objects.filter(
        recipient=world.users["enterprise_south"], object_type="reviews.review"
    ).exists()


def test_an_accepted_application_is_a_plain_notice(world):
    case = f.walk(
        world.case_north,
        "report_submitted",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    world.users["enterprise"].email = "ent@example.com"
    world.users["enterprise"].save()
    review = walk.application_submit(
        case=case, kind="evaluation", actor=world.users["enterprise"], day=case.published_on
    )
    review_check(review_id=review.pk, actor=world.users["city"], accept=True)
    notice = Notification.objects.get(
        recipient=world.users["enterprise"], object_type="reviews.review", object_id=str(review.pk)
    )
    assert "受理" in notice.subject and "不予受理" not in notice.subject
    mail = Delivery.objects.get(notification=notice)
    assert mail.status == Delivery.Status.QUEUED and not mail.official


def test_drawn_and_redrawn_experts_hear_of_their_seat(world):
    _case, review = _under_review(world, "evaluation")
    walk.expert_pool_ensure(industry=review.case.enterprise.industry, count=rules.panel_size() + 2)
    panel = panel_draw(review_id=review.pk, actor=world.users["city"])
    seats = list(panel.seats.select_related("expert__user"))
    for seat in seats:
        notice = Notification.objects.get(recipient=seat.expert.user)
        assert notice.url == f"/expert/seats/{seat.pk}/"
        assert ("组长" in notice.body) == seat.is_chair
    declined = seats[1]
    seat_respond(seat_id=declined.pk, actor=declined.expert.user, accept=False, reason="出差")
    new = seat_redraw(seat_id=declined.pk, actor=world.users["city"])
    assert Notification.objects.get(recipient=new.expert.user).url == f"/expert/seats/{new.pk}/"
