"""The year's list in the browser on a phone: a district imports and submits, the city submits to
the province, the province confirms, the city publishes."""

import pytest
from django.urls import reverse

from qingshen.accounts.roles import Role
from qingshen.demo.world import make_uscc
from qingshen.programmes import services as programme_services
from tests import factories as f
from tests.e2e.test_walkthrough import _page, browser  # noqa: F401  (the fixture)
from tests.programmes import sheets

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_list_from_import_to_publication(live_server, browser, tmp_path):  # noqa: F811
    province = f.jurisdiction("测试省", "province")
    city = f.jurisdiction("测试市", "city", province)
    north = f.jurisdiction("北区", "district", city, code="500112")
    city_user = f.user("city", Role.CITY, jurisdiction=city)
    f.user("prov", Role.PROVINCE, jurisdiction=province)
    f.user("north", Role.DISTRICT, jurisdiction=north)
    programme = programme_services.programme_create(city=city, year=2027, actor=city_user)
    upload = tmp_path / "名单.xlsx"
    upload.write_bytes(
        sheets.xlsx(
            # No industry code: a transactional test before this one may have flushed the seeded industries.
            [[1, "北区", "北区化工有限公司", make_uscc("500112", 555), "", "双超、双有", ""]],
            title_rows=["附件1"],
        )
    )

    district = _page(browser, live_server, "north")
    district.goto(live_server.url + reverse("import-upload", args=[programme.pk]))
    district.set_input_files("input[type=file]", str(upload))
    with district.expect_navigation():
        district.click("#import-submit")
    district.wait_for_selector("#import-commit")
    with district.expect_navigation():
        district.click("#import-commit")
    district.wait_for_selector("#import-done")
    district.goto(live_server.url + reverse("proposal-page", args=[programme.pk, north.pk]))
    with district.expect_navigation():
        district.click("#proposal-submit")
    assert programme.proposals.get(district=north).status == "submitted"
    if shot := __import__("os").environ.get("QINGSHEN_SCREENSHOTS"):
        district.screenshot(path=f"{shot}/proposal.png", full_page=True)

    bureau = _page(browser, live_server, "city")
    bureau.goto(live_server.url + reverse("programme-merge", args=[programme.pk]))
    assert bureau.locator(f'tr[data-district="{north.pk}"][data-state="submitted"]').count() == 1
    if shot := __import__("os").environ.get("QINGSHEN_SCREENSHOTS"):
        bureau.screenshot(path=f"{shot}/merge.png", full_page=True)
    with bureau.expect_navigation():
        bureau.click("#programme-submit")

    prov = _page(browser, live_server, "prov")
    prov.goto(live_server.url + reverse("programme-confirm", args=[programme.pk]))
    with prov.expect_navigation():
        prov.click("#programme-confirm")

    bureau.goto(live_server.url + reverse("programme-detail", args=[programme.pk]))
    with bureau.expect_navigation():
        bureau.get_by_role("button", name="公布", exact=True).click()
    programme.refresh_from_db()
    assert programme.list_state == "published" and programme.cases.count() == 1
