"""A district bureau organises an evaluation on a phone (its city gives the reviews to the districts):
the completeness check, the panel draw from the city's pool, the experts' answers and score sheets,
the chair's confirmation, the opinion issued; then the district proposes an order to correct and the
city confirms it (issue 15). No page is wider than the phone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts.roles import Role
from qingshen.cases.models import Document
from qingshen.oversight.models import Penalty
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import services as programme_services
from qingshen.registry.bureaus import bureau_settings_set
from qingshen.reviews.models import PanelSeat, Review
from tests import factories as f
from tests.e2e.test_walkthrough import _page, browser  # noqa: F401 (the browser fixture)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_data"),
]


def _fits(page):
    """Nothing scrolls sideways on the phone."""
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert scroll <= inner, f"{page.url} is {scroll}px wide on a {inner}px phone"


def _visit(page, url):
    page.goto(url)
    _fits(page)


def _click(page, selector):
    with page.expect_navigation():
        page.locator(selector).click()
    _fits(page)


def test_a_district_organises_an_evaluation_on_a_phone(live_server, browser):  # noqa: F811
    province = f.jurisdiction("测试省", "province")
    city = f.jurisdiction("测试市", "city", province)
    district = f.jurisdiction("北区", "district", city, code="500112")
    ent = f.enterprise(district, "北区化工有限公司")
    city_user = f.user("city", Role.CITY, jurisdiction=city)
    ent_user = f.user("ent", Role.ENTERPRISE, enterprise=ent)
    f.user("north", Role.DISTRICT, jurisdiction=district)
    bureau_settings_set(jurisdiction=city, actor=city_user, review_organiser="district")
    programme = programme_services.programme_create(city=city, year=2026, actor=city_user)
    programme_listings.listing_add(
        programme=programme, enterprise=ent, grounds=["emissions"], actor=city_user
    )
    f.confirm_list(
        programme, city_user=city_user, province_user=f.user("prov", Role.PROVINCE, jurisdiction=province)
    )
    from qingshen.programmes import lists as programme_lists

    programme_lists.list_transition(name="publish", programme=programme, actor=city_user)
    case = programme.cases.get()
    f.disclosure_ready(case, ent_user)
    f.walk(case, "report_submitted", city_user=city_user, enterprise_user=ent_user)
    experts = [
        f.expert(f"专家{n}", user=f.user(f"x{n}", Role.EXPERT), employer_name="环科院") for n in range(5)
    ]

    # The enterprise applies with the checklist's files.
    enterprise = _page(browser, live_server, "ent")
    _visit(enterprise, live_server.url + reverse("case-detail", args=[case.pk]))
    _click(enterprise, "a[href$='/apply/evaluation/']")
    for n, field in enumerate(enterprise.locator("#apply-form input[type=file]").all()):
        field.set_input_files(
            {"name": f"材料{n}.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}
        )
    _click(enterprise, "#apply-form button[type=submit]")
    review = Review.objects.get(case=case, kind="evaluation")

    # The district finds it, checks it complete and draws the panel from the city's pool.
    bureau = _page(browser, live_server, "north")
    _fits(bureau)
    _visit(bureau, live_server.url + reverse("case-list"))
    _visit(bureau, live_server.url + reverse("case-detail", args=[case.pk]))
    url = live_server.url + reverse("review-detail", args=[review.pk])
    _visit(bureau, url)
    _click(bureau, "#check-form button[value=accept]")
    _click(bureau, "#draw-form button")
    assert bureau.locator("#seats tr[data-seat]").count() == 5
    review.refresh_from_db()
    assert review.case.state == "evaluating"

    # Each expert accepts the seat (no conflict) and fills the score sheet on a phone.
    seats = list(
        PanelSeat.objects.filter(panel__review=review).select_related("expert__user").order_by("position")
    )
    pages = {}
    for seat in seats:
        page = pages[seat.pk] = _page(browser, live_server, seat.expert.user.username)
        _fits(page)
        _visit(page, live_server.url + reverse("seat-detail", args=[seat.pk]))
        page.check("#id_no_conflict")
        _click(page, "#respond-form button[value=accept]")
        for field in page.locator("#score-form input[type=number][required]").all():
            field.fill(str(int(float(field.get_attribute("max")) * 0.9)))
        _click(page, "#score-form button[type=submit]")
        assert page.locator("#own-total").count() == 1, page.locator(".alert").all_inner_texts()

    # The chair confirms the conclusion; the opinion is issued.
    chair = pages[seats[0].pk]
    _visit(chair, live_server.url + reverse("seat-detail", args=[seats[0].pk]))
    _click(chair, "#confirm-form button[type=submit]")
    assert chair.locator(".alert-success").count() == 1, chair.locator(".alert").all_inner_texts()
    case.refresh_from_db()
    assert case.state == "implementing"
    assert Document.objects.filter(case=case, kind="opinion", superseded_by__isnull=True).count() == 2

    # The district sees the conclusion and the opinion; so does the enterprise.
    _visit(bureau, url)
    _visit(bureau, live_server.url + reverse("case-detail", args=[case.pk]))
    assert bureau.locator("a[href*='/documents/']", has_text="意见").count() == 2
    _visit(enterprise, live_server.url + reverse("case-detail", args=[case.pk]))
    assert enterprise.locator("a[href*='/documents/']", has_text="意见").count() == 2
    assert experts  # the pool the district drew from stays the city's
    # Issue 15's other pages: the district proposes an order to correct, the city confirms it.
    _visit(bureau, live_server.url + reverse("bureau-settings"))
    _visit(bureau, live_server.url + reverse("penalty-order", args=[case.pk]))
    bureau.locator("[name=violation]").select_option(index=1)
    bureau.fill("[name=facts]", "未按期提出验收申请")
    bureau.fill("[name=correct_by]", (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    _click(bureau, "#penalty-order-form button[type=submit]")
    assert bureau.locator(".alert-success").count() == 1, bureau.locator(".alert").all_inner_texts()
    city_page = _page(browser, live_server, "city")
    _visit(city_page, live_server.url + reverse("penalty-proposals"))
    _click(city_page, ".penalty-confirm button[type=submit]")
    assert Penalty.objects.get().state == "ordered"
    _visit(city_page, live_server.url + reverse("penalty-list"))
