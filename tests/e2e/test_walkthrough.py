"""One enterprise's round from listing to published, clicked through in Chromium, in Chinese."""

import os
import shutil

import pytest
from django.urls import reverse

from qingshen.accounts.roles import Role
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import services as programme_services
from tests import factories as f

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_data"),
]


@pytest.fixture
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium for the browser tests (scripts/ensure-browser.sh)")
        pytest.skip("Debian's chromium is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-gpu",
            ],
        )
        yield b
        b.close()


def _page(browser, live_server, username):
    context = browser.new_context(
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
        viewport={"width": 390, "height": 844},
    )  # a phone
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", f.PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    if "/login/otp/" in page.url:  # city accounts need a second factor: enrol with the key shown
        _enrol_totp(page)
    return page


def _enrol_totp(page):
    import base64

    from django_otp.oath import totp

    secret = page.locator("#otp-secret").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_token", str(totp(key)).zfill(6))
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.locator("#recovery-codes li").count() == 10
    with page.expect_navigation():
        page.click("#recovery-continue")


def _do(page, live_server, case_pk, label, **fields):
    page.goto(live_server.url + reverse("case-detail", args=[case_pk]))
    form = page.locator("form", has=page.get_by_role("button", name=label, exact=True))
    for name, value in fields.items():
        if name == "level":
            form.locator("select[name=level]").select_option(value)
        elif name == "comment":
            form.locator("summary").click()
            form.locator("[name=comment]").fill(value)
        else:
            form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.get_by_role("button", name=label, exact=True).click()
    assert page.locator(".alert-success").count() == 1, page.locator(".alert").all_inner_texts()


def _focus_and_target(page, live_server, case):
    """The audit focus and one target, on the enterprise's targets page."""
    page.goto(live_server.url + reverse("case-targets", args=[case.pk]))
    page.locator("#focus-form [name=audit_focus]").fill("电镀车间")
    with page.expect_navigation():
        page.locator("#focus-form button[type=submit]").click()
    assert page.locator(".alert-success").count() == 1, page.locator(".alert").all_inner_texts()
    form = page.locator("#target-form")
    for name, value in (("name", "单位产品综合能耗"), ("unit", "kgce/t"), ("baseline", "120"),
                        ("target_value", "108"), ("target_year", str(case.published_on.year))):  # fmt: skip
        form.locator(f"[name={name}]").fill(value)
    form.locator("select[name=direction]").select_option("lower")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator(".alert-success").count() == 1, page.locator(".alert").all_inner_texts()


def _review_round(live_server, case, kind, level, enterprise, bureau, experts):
    """Apply with the checklist, accept, draw, every expert accepts and scores on a phone, the chair confirms."""
    from qingshen.reviews.models import PanelSeat, Review

    enterprise.goto(live_server.url + reverse("case-detail", args=[case.pk]))
    with enterprise.expect_navigation():
        enterprise.locator(f"a[href$='/apply/{kind}/']").click()
    for n, field in enumerate(enterprise.locator("#apply-form input[type=file]").all()):
        field.set_input_files(
            {"name": f"材料{n}.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}
        )
    with enterprise.expect_navigation():
        enterprise.locator("#apply-form button[type=submit]").click()
    review = Review.objects.filter(case=case, kind=kind).latest("pk")
    url = live_server.url + reverse("review-detail", args=[review.pk])
    bureau.goto(url)
    with bureau.expect_navigation():
        bureau.locator("#check-form button[value=accept]").click()
    with bureau.expect_navigation():
        bureau.locator("#draw-form button").click()
    assert bureau.locator("#seats tr[data-seat]").count() == 5
    seats = list(PanelSeat.objects.filter(panel__review=review).order_by("position"))
    for seat in seats:
        page = experts[seat.expert_id]
        page.goto(live_server.url + reverse("seat-detail", args=[seat.pk]))
        page.check("#id_no_conflict")
        with page.expect_navigation():
            page.locator("#respond-form button[value=accept]").click()
        for field in page.locator("#score-form input[type=number][required]").all():
            field.fill(str(int(float(field.get_attribute("max")) * 0.9)))
        with page.expect_navigation():
            page.locator("#score-form button[type=submit]").click()
        assert page.locator("#own-total").count() == 1, page.locator(".alert").all_inner_texts()
    chair = experts[seats[0].expert_id]
    chair.goto(live_server.url + reverse("seat-detail", args=[seats[0].pk]))
    if level:
        chair.locator("#confirm-form select[name=level]").select_option(level)
    with chair.expect_navigation():
        chair.locator("#confirm-form button[type=submit]").click()
    assert chair.locator(".alert-success").count() == 1, chair.locator(".alert").all_inner_texts()


def test_a_round_from_listing_to_published_in_the_browser(live_server, browser):
    province = f.jurisdiction("测试省", "province")
    city = f.jurisdiction("测试市", "city", province)
    district = f.jurisdiction("北区", "district", city, code="500112")
    ent = f.enterprise(district, "北区化工有限公司")
    city_user = f.user("city", Role.CITY, jurisdiction=city)
    ent_user = f.user("ent", Role.ENTERPRISE, enterprise=ent)
    programme = programme_services.programme_create(city=city, year=2026, actor=city_user)
    programme_listings.listing_add(
        programme=programme, enterprise=ent, grounds=["emissions"], actor=city_user
    )
    f.confirm_list(
        programme, city_user=city_user, province_user=f.user("prov", Role.PROVINCE, jurisdiction=province)
    )

    bureau = _page(browser, live_server, "city")
    bureau.goto(live_server.url + reverse("programme-detail", args=[programme.pk]))
    assert "名单" in bureau.content()
    with bureau.expect_navigation():
        bureau.get_by_role("button", name="公布", exact=True).click()
    case = programme.cases.get()

    f.disclosure_ready(case, ent_user)  # the form itself: tests/e2e/test_disclosure_phone.py
    enterprise = _page(browser, live_server, "ent")
    for label in ("报告已公开企业信息", "报告已开展审核"):
        _do(enterprise, live_server, case.pk, label)
    _focus_and_target(enterprise, live_server, case)  # the report goes with them
    _do(enterprise, live_server, case.pk, "提交审核报告")
    experts = [
        f.expert(f"专家{n}", user=f.user(f"x{n}", Role.EXPERT), employer_name="环科院") for n in range(5)
    ]
    pages = {e.pk: _page(browser, live_server, e.user.username) for e in experts}
    for kind, level in (("evaluation", ""), ("acceptance", "II")):
        if kind == "acceptance":
            f.targets_met(case, ent_user)  # the actual values' form: tests/cases/test_targets.py
        _review_round(live_server, case, kind, level, enterprise, bureau, pages)
        case.refresh_from_db()
        assert case.state == ("implementing" if kind == "evaluation" else "accepted")
    # The enterprise sees both opinions (PDF and DOCX of each).
    enterprise.goto(live_server.url + reverse("case-detail", args=[case.pk]))
    assert enterprise.locator("a[href*='/documents/']", has_text="意见").count() == 4
    _do(bureau, live_server, case.pk, "公布结果", comment="已通报")

    case.refresh_from_db()
    assert case.state == "published" and case.level == "II"
    bureau.goto(live_server.url + reverse("case-detail", args=[case.pk]))
    assert bureau.locator("#case-state").inner_text() == "结果已公布"
    assert (
        bureau.locator(".timeline li").count() == 13
    )  # with the acceptance time limit the evaluation opinion proposed and the audit focus saved
    enterprise.goto(live_server.url + reverse("case-list"))
    assert "北区化工有限公司" in enterprise.content()
