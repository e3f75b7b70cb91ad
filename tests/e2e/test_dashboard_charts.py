"""The city's dashboard draws every chart with the locally served ECharts: a canvas per chart, the
series of its data table (folded under it), no script error, no request leaving the server; the
district filter redraws them for one district."""

import pytest
from django.urls import reverse

from qingshen.accounts.roles import Role
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from tests import factories as f
from tests.e2e.test_walkthrough import _page, browser  # noqa: F401 (the browser fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_every_dashboard_chart_is_drawn(live_server, browser):  # noqa: F811
    province = f.jurisdiction("测试省", "province")
    city = f.jurisdiction("测试市", "city", province)
    north = f.jurisdiction("北区", "district", city, code="500112")
    south = f.jurisdiction("南区", "district", city, code="500113")
    city_user = f.user("city", Role.CITY, jurisdiction=city)
    province_user = f.user("prov", Role.PROVINCE, jurisdiction=province)
    programme = programme_services.programme_create(city=city, year=2026, actor=city_user)
    for district, name in ((north, "北区电镀有限公司"), (south, "南区化工有限公司")):
        programme_listings.listing_add(
            programme=programme,
            enterprise=f.enterprise(district, name),
            grounds=["emissions"],
            actor=city_user,
        )
    f.confirm_list(programme, city_user=city_user, province_user=province_user)
    programme_lists.list_transition(name="publish", programme=programme, actor=city_user)

    page = _page(browser, live_server, "city")
    page.set_viewport_size({"width": 1280, "height": 900})
    errors, outside = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: None if req.url.startswith(live_server.url) else outside.append(req.url))
    page.goto(live_server.url + reverse("dashboard"))
    charts = page.locator(".qs-chart[data-chart-source]")
    assert charts.count() == 8
    page.wait_for_function(
        "[...document.querySelectorAll('.qs-chart')].every(el => el.querySelector('canvas'))", timeout=10_000
    )
    drawn = page.evaluate(
        """[...document.querySelectorAll('.qs-chart')].map(el => {
            const chart = window.echarts.getInstanceByDom(el);
            const canvas = el.querySelector('canvas');
            return {
                series: chart.getOption().series.map(s => s.name),
                categories: chart.getOption().xAxis[0].data,
                width: canvas.width, height: canvas.height,
            };
        })"""
    )
    tables = page.evaluate(
        """[...document.querySelectorAll('table[data-chart-table]')].map(t =>
            [...t.querySelectorAll('thead th')].slice(1).map(th => th.textContent.trim()))"""
    )
    for chart, header in zip(drawn, tables, strict=True):
        assert chart["width"] > 100 and chart["height"] > 100
        assert chart["series"] == header  # the chart draws the series its table lists
    stages = drawn[0]
    assert stages["categories"] == ["北区", "南区"] and stages["series"] == ["已列入名单"]
    # The data tables are folded under their charts until opened.
    table = page.locator('table[data-chart-table="stages"]')
    assert not table.is_visible()
    page.locator("#chart-stages details summary").click()
    assert table.is_visible()

    # The filter narrows every chart to one district of the city.
    page.select_option("#id_district", label="南区")
    page.locator("#dashboard-filter button[type=submit]").click()
    page.wait_for_url(f"**/dashboard/?*district={south.pk}*")
    page.wait_for_function(
        "[...document.querySelectorAll('.qs-chart')].every(el => el.querySelector('canvas'))", timeout=10_000
    )
    categories = page.evaluate(
        "window.echarts.getInstanceByDom(document.querySelector('.qs-chart')).getOption().xAxis[0].data"
    )
    assert categories == ["南区"]
    assert page.locator('[data-headline="listed"]').text_content() == "1"
    assert not errors and not outside
