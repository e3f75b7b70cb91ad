"""An expert on a phone opens the review meeting, sees their cases, accepts, scores one and, as the
chair, signs off the enterprise's revision (390 x 844, in Chinese)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from qingshen.demo import walk
from qingshen.programmes.models import Listing
from qingshen.reviews.models import PanelSeat, RevisionRequest, RubricItem, Score
from qingshen.reviews.services import conclusion, meetings, revisions
from tests import factories as f
from tests.e2e.test_walkthrough import _page, browser  # noqa: F401 (the browser fixture)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_data"),
]


def test_expert_scores_and_signs_off_in_a_meeting_on_a_phone(live_server, browser, world):  # noqa: F811
    city = world.users["city"]
    # case_south is energy-only in the world; listed for emissions here, the city organises both.
    Listing.objects.filter(pk=world.case_south.listing_id).update(
        grounds=["emissions"], lead_authority="environment"
    )
    world.case_south.refresh_from_db()
    world.case_south.listing.refresh_from_db()
    f.disclosure_ready(world.case_south, world.users["enterprise_south"])
    for case, ent_user in ((world.case_north, "enterprise"), (world.case_south, "enterprise_south")):
        f.walk(case, "evaluating", city_user=city, enterprise_user=world.users[ent_user])
    walk.expert_pool_ensure(industry=world.case_north.enterprise.industry, count=7)
    north = walk.open_review(world.case_north, "evaluation")
    south = walk.open_review(world.case_south, "evaluation")
    meeting = meetings.meeting_create(
        actor=city,
        kind="evaluation",
        held_on=datetime.date(2026, 12, 20),
        place="市生态环境局三楼会议室",
        panel_mode="shared",
        review_ids=[north.pk, south.pk],
    )
    meetings.meeting_case_dates(
        meeting_id=meeting.pk,
        review_id=north.pk,
        actor=city,
        site_visit_on=datetime.date(2026, 12, 18),
        meeting_on=datetime.date(2026, 12, 20),
    )
    meetings.meeting_draw(meeting_id=meeting.pk, actor=city)
    chair = PanelSeat.objects.select_related("expert__user").get(panel__review=north, is_chair=True)
    chair.expert.user.set_password(f.PASSWORD)
    chair.expert.user.save()

    page = _page(browser, live_server, chair.expert.user.username)
    page.goto(live_server.url + reverse("expert-portal"))
    with page.expect_navigation():
        page.locator(f'#my-meetings [data-meeting="{meeting.pk}"]').click()
    seats = page.locator("#meeting-seats [data-seat]")
    assert seats.count() == 2
    assert world.case_north.enterprise.name in page.content() and "2026-12-18" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.check("#accept-all-form [name=no_conflict]")
    with page.expect_navigation():
        page.locator("#accept-all-form button[type=submit]").click()
    assert page.locator(".alert-success").count() == 1
    assert set(PanelSeat.objects.filter(expert=chair.expert).values_list("status", flat=True)) == {"accepted"}

    # The chair's sheet for the northern case, on the phone.
    with page.expect_navigation():
        page.locator(f'#meeting-seats [data-seat="{chair.pk}"]').click()
    north.refresh_from_db()
    items = list(north.rubric.items.all())
    for field in page.locator("#score-form input[type=number][required]").all():
        field.fill(str(int(float(field.get_attribute("max")) * 0.9)))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    with page.expect_navigation():
        page.locator("#score-form button[type=submit]").click()
    assert page.locator("#own-total").is_visible()
    assert Score.objects.filter(seat=chair).exists()

    # The others accept and score; the chair asks for a revision, the enterprise hands it in.
    points = {
        i.pk: str(int(i.max_points * Decimal("0.9"))) for i in items if i.kind == RubricItem.Kind.SCORED
    }
    for seat in (
        PanelSeat.objects.filter(panel__review=north).exclude(pk=chair.pk).select_related("expert__user")
    ):
        meetings.meeting_seats_accept(meeting_id=meeting.pk, actor=seat.expert.user, no_conflict=True)
        conclusion.score_submit(seat_id=seat.pk, actor=seat.expert.user, points=points)
    revision = revisions.revision_request(review_id=north.pk, actor=chair.expert.user, items="补充物料平衡")
    revisions.revision_submit(
        revision_id=revision.pk,
        actor=world.users["enterprise"],
        upload=ContentFile(b"%PDF-1.4\n% revised\n", name="修改稿.pdf"),
    )
    page.reload()
    assert "补充物料平衡" in page.locator("#revisions").inner_text()
    assert page.locator("#confirm-form").count() == 0  # the conclusion waits for the sign-off
    page.fill("#signoff-form [name=note]", "已按意见修改")
    with page.expect_navigation():
        page.locator("#signoff-form button[type=submit]").click()
    assert page.locator(".alert-success").count() == 1
    assert not RevisionRequest.objects.get().is_open
    assert page.locator("#confirm-form").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
