"""The review pages per role: the enterprise applies, the city checks and draws, experts answer,
score on the phone page and the chair confirms; everyone else is refused (404). The expert pool,
agencies and review settings: test_pool_pages.py."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingshen.cases.models import AuditCase, Delegation
from qingshen.oversight.models import AccountabilityRecord
from qingshen.reviews import selectors
from qingshen.reviews.models import Expert, Panel, PanelSeat, Review, RubricItem, Score
from qingshen.reviews.services.conclusion import score_submit
from qingshen.reviews.services.draw import panel_draw
from qingshen.reviews.services.seats import seat_respond
from tests import factories as f
from tests.reviews.roles import ROLES


def _files(kind, skip=()):
    return {
        f"item_{i.code}": SimpleUploadedFile(
            f"{i.code}.pdf", b"%PDF-1.4 " + i.code.encode(), "application/pdf"
        )
        for i in selectors.checklist_for(kind)
        if i.code not in skip
    }


def test_apply_page_per_role(world, client_for, submitted):
    url = reverse("review-apply", args=[submitted.pk, "evaluation"])
    for role in ROLES:
        status = client_for(world.users[role]).get(url).status_code
        assert status == (200 if role == "enterprise" else 404), (role, status)
    assert (
        client_for(world.users["enterprise"])
        .get(reverse("review-apply", args=[submitted.pk, "nonsense"]))
        .status_code
        == 404
    )


def test_enterprise_applies_with_the_checklist(world, client_for, submitted):
    client = client_for(world.users["enterprise"])
    page = client.get(reverse("case-detail", args=[submitted.pk])).content.decode()
    assert reverse("review-apply", args=[submitted.pk, "evaluation"]) in page
    response = client.post(reverse("review-apply", args=[submitted.pk, "evaluation"]), _files("evaluation"))
    review = Review.objects.get()
    assert response.status_code == 302 and response.url == reverse("review-detail", args=[review.pk])
    assert AuditCase.objects.get(pk=submitted.pk).state == "evaluation_applied"
    # Applying again now is refused with a message, nothing written.
    response = client.post(
        reverse("review-apply", args=[submitted.pk, "evaluation"]), _files("evaluation"), follow=True
    )
    assert response.status_code == 200 and Review.objects.count() == 1


def test_the_delegated_agency_applies_through_the_page(world, client_for, submitted):
    Delegation.objects.create(
        case=submitted,
        agency=world.agency,
        starts_on=submitted.published_on,
        created_by=world.users["enterprise"],
    )
    client = client_for(world.users["agency"])
    response = client.post(reverse("review-apply", args=[submitted.pk, "evaluation"]), _files("evaluation"))
    assert response.status_code == 302 and Review.objects.get().applied_by == world.users["agency"]


def test_generic_transition_post_refuses_review_steps(world, client_for, submitted):
    client = client_for(world.users["enterprise"])
    client.post(
        reverse("case-transition", args=[submitted.pk]),
        {"action": "apply_evaluation", "version": submitted.version},
    )
    assert AuditCase.objects.get(pk=submitted.pk).state == "report_submitted"


def test_review_pages_per_role(world, client_for, applied):
    allowed_detail = {"province", "city", "district", "supervisor", "enterprise"}
    allowed_list = {
        "province",
        "city",
        "district",
        "district_south",
        "supervisor",
        "enterprise",
        "enterprise_south",
        "agency",
    }
    for role in ROLES:
        client = client_for(world.users[role])
        detail = client.get(reverse("review-detail", args=[applied.pk])).status_code
        assert detail == (200 if role in allowed_detail else 404), (role, detail)
        listing = client.get(reverse("review-list"))
        expected = 302 if role == "expert" else (200 if role in allowed_list else 404)
        assert listing.status_code == expected, (role, listing.status_code)
        if listing.status_code == 200:
            assert (f'data-review="{applied.pk}"' in listing.content.decode()) == (role in allowed_detail)


def test_city_accepts_through_the_checklist(world, client_for, applied):
    client = client_for(world.users["city"])
    page = client.get(reverse("review-detail", args=[applied.pk])).content.decode()
    assert 'id="check-form"' in page
    # Other users who see the review get no form; their POST is refused and changes nothing.
    assert (
        'id="check-form"'
        not in client_for(world.users["district"])
        .get(reverse("review-detail", args=[applied.pk]))
        .content.decode()
    )
    client_for(world.users["district"]).post(
        reverse("review-check", args=[applied.pk]), {"decision": "accept"}
    )
    assert (
        client_for(world.users["enterprise_south"])
        .post(reverse("review-check", args=[applied.pk]), {"decision": "accept"})
        .status_code
        == 404
    )
    assert Review.objects.get(pk=applied.pk).status == "applied"
    client = client_for(world.users["city"])
    client.post(reverse("review-check", args=[applied.pk]), {"decision": "accept"})
    assert Review.objects.get(pk=applied.pk).status == "accepted"


def test_city_override_refusal_through_the_page(world, client_for, applied):
    client = client_for(world.users["city"])
    response = client.post(
        reverse("review-check", args=[applied.pk]), {"decision": "refuse", "reason": "x"}, follow=True
    )
    assert (
        Review.objects.get(pk=applied.pk).status == "applied" and "alert-danger" in response.content.decode()
    )
    client.post(
        reverse("review-check", args=[applied.pk]), {"decision": "refuse", "override_reason": "报告造假嫌疑"}
    )
    assert Review.objects.get(pk=applied.pk).status == "refused"
    assert AccountabilityRecord.objects.filter(case=applied.case, kind="refused_complete").exists()
    bad = client.post(reverse("review-check", args=[applied.pk]), {"decision": "maybe"})
    assert bad.status_code == 302


def test_conflict_check_dismiss_and_draw_through_the_pages(world, client_for, accepted):
    e = f.expert("误报专家", employer_uscc=world.ent_north.uscc)
    client = client_for(world.users["city"])
    page = client.get(reverse("review-detail", args=[accepted.pk])).content.decode()
    assert 'data-rule="employer_enterprise"' in page and 'id="draw-form"' in page
    client.post(
        reverse("conflict-dismiss", args=[accepted.pk]),
        {"expert": e.pk, "rule": "employer_enterprise", "reason": "已离职"},
    )
    assert e in selectors.conflict_check(review=accepted).eligible
    # Not the city: 404 for the one out of scope, refusal for the one in scope.
    assert (
        client_for(world.users["enterprise_south"])
        .post(reverse("panel-draw", args=[accepted.pk]))
        .status_code
        == 404
    )
    client_for(world.users["district"]).post(reverse("panel-draw", args=[accepted.pk]))
    assert not Panel.objects.exists()
    client = client_for(world.users["city"])  # one test client: log the city back in
    client.post(reverse("panel-draw", args=[accepted.pk]))
    panel = Panel.objects.get()
    page = client.get(reverse("review-detail", args=[accepted.pk])).content.decode()
    assert panel.seed in page and page.count("data-seat=") == 5


def test_draw_with_too_few_experts_shows_the_counts(world, client_for, accepted):
    Expert.objects.update(is_active=False)
    response = client_for(world.users["city"]).post(reverse("panel-draw", args=[accepted.pk]), follow=True)
    assert "alert-danger" in response.content.decode() and not Panel.objects.exists()


def test_verify_page_and_altered_record(world, client_for, accepted):
    panel = panel_draw(review_id=accepted.pk, actor=world.users["city"])
    url = reverse("panel-verify", args=[accepted.pk])
    for role in ("enterprise", "agency", "expert", "district_south", "auditor"):
        assert client_for(world.users[role]).post(url).status_code == 404, role
    assert 'data-matches="yes"' in client_for(world.users["supervisor"]).post(url).content.decode()
    record = dict(panel.record, seed="f" * 32)
    Panel.objects.filter(pk=panel.pk).update(record=record)
    assert 'data-matches="no"' in client_for(world.users["city"]).post(url).content.decode()
    assert client_for(world.users["city"]).get(url).status_code == 405


def test_expert_portal_and_seat_pages_per_role(world, client_for, drawn):
    seat = drawn[0]
    for role in ROLES:
        client = client_for(world.users[role])
        portal = client.get(reverse("expert-portal"))
        assert portal.status_code == (200 if role == "expert" else 404), role
        assert f'data-seat="{seat.pk}"' not in portal.content.decode()
        assert client.get(reverse("seat-detail", args=[seat.pk])).status_code == 404, role
    own = client_for(seat.expert.user)
    assert f'data-seat="{seat.pk}"' in own.get(reverse("expert-portal")).content.decode()
    assert 'id="respond-form"' in own.get(reverse("seat-detail", args=[seat.pk])).content.decode()
    other = client_for(drawn[1].expert.user)
    assert other.get(reverse("seat-detail", args=[seat.pk])).status_code == 404
    assert (
        other.post(
            reverse("seat-respond", args=[seat.pk]), {"answer": "accept", "no_conflict": "on"}
        ).status_code
        == 404
    )


def test_expert_accepts_then_sees_materials_and_scores_on_the_phone_page(world, client_for, drawn):
    seat = drawn[0]
    client = client_for(seat.expert.user)
    material = Review.objects.get(pk=seat.panel.review_id).materials.first().document
    download = reverse("document-download", args=[material.case_id, material.pk])
    assert client.get(download).status_code == 404
    client.post(reverse("seat-respond", args=[seat.pk]), {"answer": "accept"})  # no declaration: refused
    assert PanelSeat.objects.get(pk=seat.pk).status == "invited"
    client.post(reverse("seat-respond", args=[seat.pk]), {"answer": "accept", "no_conflict": "on"})
    assert PanelSeat.objects.get(pk=seat.pk).status == "accepted"
    assert client.get(download).status_code == 200
    page = client.get(reverse("seat-detail", args=[seat.pk])).content.decode()
    assert 'id="score-form"' in page and 'inputmode="decimal"' in page and 'name="viewport"' in page
    items = list(seat.panel.review.rubric.items.all())
    data = {f"item_{i.pk}": str(i.max_points) for i in items if i.kind == RubricItem.Kind.SCORED}
    bad = dict(data, **{f"item_{items[5].pk}": "九十"})
    client.post(reverse("score-submit", args=[seat.pk]), bad)
    assert not Score.objects.exists()
    client.post(reverse("score-submit", args=[seat.pk]), data)
    assert Score.objects.get().total == Decimal("100.00")
    again = client.post(reverse("score-submit", args=[seat.pk]), data, follow=True)
    assert "alert-danger" in again.content.decode() and Score.objects.count() == 1
    # After submitting: own total shown, others' sheets listed (none yet).
    page = client.get(reverse("seat-detail", args=[seat.pk])).content.decode()
    assert 'id="own-total"' in page and 'id="other-sheets"' in page


def test_decline_and_redraw_through_the_pages(world, client_for, drawn):
    seat = drawn[2]
    client_for(seat.expert.user).post(
        reverse("seat-respond", args=[seat.pk]), {"answer": "decline", "conflict": "曾任该企业顾问"}
    )
    assert PanelSeat.objects.get(pk=seat.pk).status == "declined"
    review_pk = seat.panel.review_id
    assert (
        client_for(world.users["enterprise"])
        .post(reverse("seat-redraw", args=[review_pk, seat.pk]))
        .status_code
        == 302
    )
    assert PanelSeat.objects.count() == 5
    client_for(world.users["city"]).post(reverse("seat-redraw", args=[review_pk, seat.pk]))
    assert PanelSeat.objects.filter(replaces=seat).exists()


def test_chair_confirms_and_the_enterprise_sees_the_opinion(world, client_for, drawn, pdf_renderer):
    share = Decimal("0.85")
    for seat in drawn:
        seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=True, no_conflict=True)
    review = Review.objects.get(pk=drawn[0].panel.review_id)
    for seat in drawn:
        points = {i.pk: str(i.max_points * share) for i in review.rubric.items.filter(kind="scored")}
        score_submit(seat_id=seat.pk, actor=seat.expert.user, points=points)
    member = client_for(drawn[1].expert.user)
    assert 'id="confirm-form"' not in member.get(reverse("seat-detail", args=[drawn[1].pk])).content.decode()
    member.post(reverse("review-confirm", args=[drawn[1].pk]), {})
    assert not Review.objects.get(pk=review.pk).outcome
    chair = client_for(drawn[0].expert.user)
    assert 'id="confirm-form"' in chair.get(reverse("seat-detail", args=[drawn[0].pk])).content.decode()
    chair.post(reverse("review-confirm", args=[drawn[0].pk]), {"requirements": "按期实施中/高费方案"})
    review.refresh_from_db()
    assert review.outcome == "pass" and AuditCase.objects.get(pk=review.case_id).state == "implementing"
    page = (
        client_for(world.users["enterprise"]).get(reverse("review-detail", args=[review.pk])).content.decode()
    )
    assert 'id="opinions"' in page
    pdf = review.case.documents.get(kind="opinion", original_name__endswith=".pdf")
    response = client_for(world.users["enterprise"]).get(
        reverse("document-download", args=[review.case_id, pdf.pk])
    )
    assert response.status_code == 200
    assert (
        client_for(world.users["enterprise_south"])
        .get(reverse("document-download", args=[review.case_id, pdf.pk]))
        .status_code
        == 404
    )
