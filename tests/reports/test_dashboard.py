"""The dashboard: figures, scope, xlsx per chart, no inline script (CSP)."""

import io
import re

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qingshen.oversight.models import AccountabilityRecord
from qingshen.reports.dashboard import dashboard
from tests import factories as f


@pytest.fixture
def walked(world):
    w = world
    f.walk(w.case_north, "accepted", city_user=w.users["city"], enterprise_user=w.users["enterprise"])
    f.walk(w.case_south, "withdrawn", city_user=w.users["city"], enterprise_user=w.users["enterprise_south"])
    AccountabilityRecord.objects.create(case=w.case_south, kind="other", duty="告知", explanation="测试")
    return w


def _charts(w, user, **kwargs):
    return {c.key: c for c in dashboard(user=user, **kwargs).charts}


def test_the_city_dashboard_figures(walked):
    w = walked
    charts = _charts(w, w.users["city"])
    stages = charts["stages"]
    assert stages.categories == ["北区", "南区", "高新区"]
    # Only stages with cases are drawn, in lifecycle order: accepted (north), withdrawn (south).
    assert [v for _n, v in stages.series] == [[1, 0, 0], [0, 1, 0]]
    assert [v for _n, v in charts["overdue"].series] == [[0, 0, 0]]
    assert [[float(x) for x in v] for _n, v in charts["pass_rates"].series] == [[100.0], [100.0]]
    options = charts["options"]
    assert [v for _n, v in options.series][:2] == [[0, 0], [0, 0]]
    assert charts["pass_rates"].categories == ["2026"]
    trends = charts["trends"]
    assert trends.categories == ["2026"] and [v[0] for _n, v in trends.series] == [2, 1, 1]
    oversight = charts["oversight"]
    assert [v for _n, v in oversight.series] == [[0, 0, 0], [0, 1, 0]]  # warnings wired by issue 6


def test_the_province_sees_cities(walked):
    charts = _charts(walked, walked.users["province"])
    assert charts["stages"].categories == ["测试市"]
    assert sum(sum(v) for _n, v in charts["stages"].series) == 2


def test_the_page_draws_from_json_blocks_without_inline_script(
    walked, client_for, django_assert_max_num_queries
):
    client = client_for(walked.users["city"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("dashboard"))
    html = response.content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert 'data-chart-source="chart-data-stages"' in html and 'id="chart-data-stages"' in html
    assert "vendor/echarts/echarts.min.js" in html and "qingshen/dashboard.js" in html


def test_each_chart_downloads_as_xlsx_with_the_same_figures(walked, client_for):
    client = client_for(walked.users["city"])
    charts = _charts(walked, walked.users["city"])
    for key, chart in charts.items():
        response = client.get(reverse("dashboard-export", args=[key]))
        assert response.status_code == 200, key
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
        # Figures are number cells (with their unit's number format), not text.
        expected = [[row[0], *[f.number for f in row[1:]]] for row in chart.rows()]
        assert sheet[3:] == expected or (not expected and sheet[3:] in ([], [[]])), key
    assert client.get(reverse("dashboard-export", args=["nope"])).status_code == 404


@pytest.mark.parametrize("role", ["district", "enterprise", "expert", "agency", "sysadmin"])
def test_the_dashboard_is_not_found_for_other_roles(world, client_for, role):
    client = client_for(world.users[role])
    assert client.get(reverse("dashboard")).status_code == 404
    assert client.get(reverse("dashboard-export", args=["stages"])).status_code == 404


def test_the_cached_dashboard_follows_every_change(world, client_for):
    from qingshen.reports.dashboard import dashboard_cached

    city = world.users["city"]
    first = {c.key: c for c in dashboard_cached(user=city).charts}
    assert [v for _n, v in first["stages"].series] == [[1, 1, 0]]  # both listed
    f.walk(world.case_south, "withdrawn", city_user=city, enterprise_user=world.users["enterprise_south"])
    again = {c.key: c for c in dashboard_cached(user=city).charts}
    assert [v for _n, v in again["stages"].series] == [[1, 0, 0], [0, 1, 0]]


def test_warnings_are_counted_per_district_and_milestones_are_not(world):
    import datetime

    import time_machine

    from qingshen.oversight.models import Warning
    from qingshen.oversight.services import warnings_record
    from qingshen.programmes.models import Milestone

    due = world.case_north.deadlines.get(kind="disclosure").due_on
    Milestone.objects.create(programme=world.programme, name="区县上报", due_on=due)
    with time_machine.travel(datetime.datetime.combine(due + datetime.timedelta(days=2), datetime.time(10))):
        warnings_record()
    north = Warning.objects.filter(case=world.case_north).count()
    south = Warning.objects.filter(case=world.case_south).count()
    assert north and Warning.objects.filter(milestone__isnull=False).exists()
    charts = _charts(world, world.users["city"])
    assert charts["oversight"].series[0][1] == [north, south, 0]
    # The province sees the same warnings under its one city; a district sees nothing here (404 page).
    assert _charts(world, world.users["province"])["oversight"].series[0][1] == [north + south]
