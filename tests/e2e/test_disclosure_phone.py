"""The enterprise fills in and submits its Art. 11 disclosure on a phone, in Chinese."""

import pytest
from django.urls import reverse

from qingshen.accounts.roles import Role
from qingshen.cases.models import Disclosure
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from tests import factories as f
from tests.e2e.test_walkthrough import _page, browser  # noqa: F401 (the browser fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_enterprise_fills_the_disclosure_on_a_phone(live_server, browser, tmp_path):  # noqa: F811
    province = f.jurisdiction("测试省", "province")
    city = f.jurisdiction("测试市", "city", province)
    district = f.jurisdiction("北区", "district", city, code="500112")
    ent = f.enterprise(district, "北区电镀有限公司", legal_representative="王五", address="北区工业园8号")
    city_user = f.user("city", Role.CITY, jurisdiction=city)
    f.user("ent", Role.ENTERPRISE, enterprise=ent)
    programme = programme_services.programme_create(city=city, year=2026, actor=city_user)
    programme_listings.listing_add(
        programme=programme, enterprise=ent, grounds=["emissions", "hazardous"], actor=city_user
    )
    province_user = f.user("prov", Role.PROVINCE, jurisdiction=city.parent)
    f.confirm_list(programme, city_user=city_user, province_user=province_user)
    programme_lists.list_transition(name="publish", programme=programme, actor=city_user)
    case = programme.cases.get()
    proof = tmp_path / "公示截图.pdf"
    proof.write_bytes(b"%PDF-1.4\n% screenshot of the website notice\n")

    page = _page(browser, live_server, "ent")  # a 390 x 844 viewport
    page.goto(live_server.url + reverse("home"))
    assert page.locator(f"#case-{case.pk}").is_visible()
    with page.expect_navigation():
        page.locator("#go-disclosure").click()
    # The fields of both grounds are there; the register's facts are prefilled.
    assert page.locator("[name=legal_representative]").input_value() == "王五"
    assert (
        page.locator("[name=pollutants]").is_visible() and page.locator("[name=toxic_materials]").is_visible()
    )
    assert page.locator("[name=energy_per_product]").count() == 0
    fill = {
        "pollutants": "COD、氨氮、总铬",
        "discharge_method": "经厂区污水处理站处理后排入园区管网",
        "concentration_and_total": "COD 85 mg/L，年排放 12.3 吨",
        "exceedance": "2025年第三季度总铬超标 0.2 倍",
        "toxic_materials": "铬酸酐 30 吨/年，用于镀铬",
        "toxic_discharges": "总铬 0.6 mg/L，年排放 15 kg",
        "hazardous_waste": "电镀污泥 120 吨/年，交有资质单位处置",
        "risk_controls": "分质分流、在线监测、应急池",
    }
    for name, value in fill.items():
        page.fill(f"[name={name}]", value)
    page.fill("[name=published_where]", "https://example.cn/xxgk")
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    # Submitting without the proof is refused with a message and saves the draft.
    with page.expect_navigation():
        page.locator("#submit-disclosure").click()
    assert page.locator(".alert-danger").count() >= 1
    page.goto(live_server.url + reverse("case-disclosure", args=[case.pk]))
    assert page.locator("[name=pollutants]").input_value() == "COD、氨氮、总铬"
    page.set_input_files("[name=proof]", str(proof))
    with page.expect_navigation():
        page.locator("#submit-disclosure").click()
    assert page.locator(".alert-success").count() == 1

    case.refresh_from_db()
    assert case.state == "disclosed"
    disclosure = Disclosure.objects.get(case=case)
    assert (
        disclosure.status == "submitted"
        and disclosure.content["risk_controls"] == "分质分流、在线监测、应急池"
    )
    # The public site shows it without logging in.
    public = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    public.goto(live_server.url + reverse("public-disclosures"))
    with public.expect_navigation():
        public.get_by_role("link", name="北区电镀有限公司").click()
    assert "电镀污泥 120 吨/年" in public.content()
