"""Summary tables of years before the system: a district types its row in or imports it in the export's
layout; bad figures change nothing; the dashboard's year-on-year charts use what was entered."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.programmes.models import Programme
from qingshen.reports import exports, services
from qingshen.reports import figures as summary
from qingshen.reports.dashboard import dashboard
from qingshen.reports.entered import entered_columns
from qingshen.reports.models import SummaryFiling
from qingshen.reports.services import FilingRefused
from qingshen.trail.models import Event

URL = "/summaries/earlier/"
EARLIER = timezone.localdate().year - 3


def _problems(response) -> str:
    html = response.content.decode()
    start = html.find('id="entered-problems"')
    return html[start : html.find("</ul>", start)] if start >= 0 else ""


def _typed(**figures) -> dict:
    data = {"year": str(EARLIER), "keep": "1", "narrative": "三年前的工作总结", "work_plan": ""}
    data.update({f"c_{k}": str(v) for k, v in figures.items()})
    return data


GOOD = {
    "listed": 12,
    "disclosed": 11,
    "reports": 9,
    "evaluations": 8,
    "evaluations_passed": 7,
    "evaluations_failed": 1,
    "acceptances": 5,
    "acceptances_passed": 5,
    "not_assessable": 1,
    "penalty_amount": "3.5",
}


def test_a_district_types_in_an_earlier_year(world, client_for):
    w = world
    client = client_for(w.users["district"])
    assert client.get(URL).status_code == 200
    response = client.post(URL, _typed(**GOOD))
    assert response.status_code == 302, response.content.decode()[:2000]
    filing = SummaryFiling.objects.get(source=SummaryFiling.Source.ENTERED)
    assert filing.district == w.north and filing.programme.year == EARLIER
    assert filing.programme.historical and filing.programme.city == w.city
    assert filing.figures["listed"] == 12 and filing.figures["penalty_amount"] == "3.50"
    assert filing.figures["started"] == 0  # a box left empty is zero
    assert Event.objects.filter(action="summary.enter", object_id=str(filing.pk)).exists()
    assert Event.objects.filter(action="programme.history.create").count() == 1
    # The city sees it on that year's summary page, beside the rows the system computes.
    city = client_for(w.users["city"])
    page = city.get(reverse("summary-filing", args=[filing.programme.pk, filing.pk]))
    assert page.status_code == 200 and 'id="filing-entered"' in page.content.decode()
    table = city.get(reverse("summary-page", args=[filing.programme.pk])).content.decode()
    assert "data-entered" in table
    # Entered again: a new filing in the same historical programme, the earlier one kept.
    assert client_for(w.users["district"]).post(URL, _typed(**{**GOOD, "listed": 13})).status_code == 302
    assert SummaryFiling.objects.filter(programme=filing.programme).count() == 2
    assert Programme.objects.filter(city=w.city, year=EARLIER).count() == 1


@pytest.mark.parametrize(
    "bad, words",
    [
        ({"listed": "十二"}, "不是数字"),
        ({"listed": "-3"}, "零或"),
        ({"listed": "2.5"}, "整数"),
        ({"listed": "99999999999"}, "超过"),
        ({"evaluations": 3, "evaluations_passed": 3, "evaluations_failed": 1}, "超过"),
        ({"listed": 2, "disclosed": 5}, "大于"),
        ({"listed": "1\x00"}, None),
    ],
)
def test_bad_figures_change_nothing(world, client_for, bad, words):
    client = client_for(world.users["district"])
    response = client.post(URL, _typed(**bad))
    assert response.status_code == 400
    if words is not None:
        assert words in _problems(response)
    assert not SummaryFiling.objects.exists() and not Programme.objects.filter(year=EARLIER).exists()


def test_a_year_the_system_ran_is_refused(world, client_for):
    w = world
    live = w.programme.year
    # Not offered on the page, and refused by the service.
    assert client_for(w.users["district"]).post(URL, {**_typed(**GOOD), "year": str(live)}).status_code == 400
    Programme.objects.create(city=w.city, year=EARLIER, title="live", list_state=Programme.ListState.DRAFT)
    with pytest.raises(FilingRefused):
        services.summary_enter(year=EARLIER, district=w.north, actor=w.users["district"], figures=GOOD)
    assert not SummaryFiling.objects.exists()


def _workbook(district, **values) -> bytes:
    cols = entered_columns()
    row = {c.key: values.get(c.key, 0) for c in cols}
    table = summary.SummaryTable(columns=cols, rows=[(district, row)], total=row)
    return exports.summary_xlsx(title="附件3", issuer=district.name, day=timezone.localdate(), table=table)


def _upload(data: bytes, name: str = "annex3.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_a_district_imports_the_export_layout_and_checks_it_before_keeping(world, client_for):
    w = world
    client = client_for(w.users["district"])
    template = client.get(reverse("summary-entered-template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    data = _workbook(w.north, **GOOD)
    response = client.post(URL, {"year": str(EARLIER), "read": "1", "workbook": _upload(data)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="c_listed"' in html and 'value="12"' in html
    assert not SummaryFiling.objects.exists()  # read, not kept
    # Keeping posts the boxes as shown, with the file's digest.
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    kept = client.post(URL, {**_typed(**GOOD), "source_name": "annex3.xlsx", "source_sha256": sha})
    assert kept.status_code == 302
    filing = SummaryFiling.objects.get()
    assert filing.source_file_sha256 == sha and filing.figures["evaluations_passed"] == 7


def test_a_workbook_in_another_layout_is_refused_with_the_cell(world, client_for):
    w = world
    client = client_for(w.users["district"])
    wrong = client.post(URL, {"year": str(EARLIER), "read": "1", "workbook": _upload(b"a,b\n1,2\n", "x.csv")})
    assert wrong.status_code == 400 and "模板" in _problems(wrong)
    bad_value = _workbook(w.north, listed=3, disclosed=7)
    response = client.post(URL, {"year": str(EARLIER), "read": "1", "workbook": _upload(bad_value)})
    assert response.status_code == 400
    problems = _problems(response)
    assert "5 (案件 · 已公开信息)" in problems  # the cell is named: disclosed, on the district's row 5
    not_a_book = client.post(
        URL, {"year": str(EARLIER), "read": "1", "workbook": _upload(b"MZ\x90\x00", "a.xlsx")}
    )
    assert not_a_book.status_code == 400
    assert not SummaryFiling.objects.exists()


@pytest.mark.parametrize(
    "who", ["city", "province", "district_south_other", "enterprise", "agency", "expert"]
)
def test_only_a_district_enters_its_own(world, client_for, who):
    if who == "district_south_other":
        # A district user has no way to name another district: the page is always its own.
        response = client_for(world.users["district_south"]).get(URL)
        assert response.status_code == 200 and "南区" in response.content.decode()
        return
    client = client_for(world.users[who])
    assert client.get(URL).status_code == 404
    assert client.post(URL, _typed(**GOOD)).status_code == 404
    assert client.get(reverse("summary-entered-template")).status_code == 404


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


def test_the_dashboard_trends_use_the_entered_year(world):
    w = world
    services.summary_enter(year=EARLIER, district=w.north, actor=w.users["district"], figures=GOOD)
    charts = {c.key: c for c in dashboard(user=w.users["city"]).charts}
    trends = charts["trends"]
    assert trends.categories == [str(EARLIER), str(w.programme.year)]
    assert [v[0] for _n, v in trends.series] == [12, 5, 1]
    rates = charts["pass_rates"]
    assert rates.categories[0] == str(EARLIER)
    assert [float(v[0]) for _n, v in rates.series] == [87.5, 100.0]
    # Narrowed to the other district, or to another year, the entered row is not there.
    south = {c.key: c for c in dashboard(user=w.users["city"], area=w.south).charts}
    assert str(EARLIER) not in south["trends"].categories
    assert (
        str(EARLIER)
        not in {c.key: c for c in dashboard(user=w.users["city"], year=w.programme.year).charts}[
            "trends"
        ].categories
    )


def test_an_entered_row_stands_in_for_that_districts_cases_of_the_year(world):
    """A history import may hold some of a year's cases; the district's entered table is the year's figure
    for that district, not added to them."""
    w = world
    Programme.objects.filter(pk=w.programme.pk).update(historical=True)
    SummaryFiling.objects.create(
        programme=w.programme,
        district=w.north,
        figures=summary.frozen({**{c.key: 0 for c in entered_columns()}, **GOOD}),
        source=SummaryFiling.Source.ENTERED,
        filed_by=w.users["district"],
    )
    trends = {c.key: c for c in dashboard(user=w.users["city"]).charts}["trends"]
    # North: 12 listed entered (its one case not counted again); south: its one case.
    assert trends.series[0][1][-1] == 13
