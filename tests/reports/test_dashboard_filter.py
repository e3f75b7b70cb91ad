"""The dashboard opens with headline figures, filters by programme year and by a district of the
user's scope (anything else refused), folds each chart's table under it, and keeps its query count
whatever the data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingshen.accounts.roles import Role
from qingshen.oversight.models import AccountabilityRecord
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from tests import factories as f


def _walked(w):
    f.walk(w.case_north, "accepted", city_user=w.users["city"], enterprise_user=w.users["enterprise"])
    f.walk(w.case_south, "withdrawn", city_user=w.users["city"], enterprise_user=w.users["enterprise_south"])
    AccountabilityRecord.objects.create(case=w.case_south, kind="other", duty="告知", explanation="测试")


def test_the_page_opens_with_headline_figures_and_folds_the_tables(world, client_for):
    _walked(world)
    html = client_for(world.users["city"]).get(reverse("dashboard")).content.decode()
    assert html.index('id="dashboard-headline"') < html.index('class="qs-chart"')
    assert 'data-headline="listed">2<' in html and 'data-headline="overdue">0<' in html
    assert 'data-headline="evaluation-rate">100.0%<' in html
    assert 'data-headline="acceptance-rate">100.0%<' in html
    assert 'data-headline="investment-planned">0.00<' in html
    # Each chart's data table is folded under the chart.
    assert (
        html.count("<details") == 8
        and html.count('<table class="table table-sm small" data-chart-table') == 8
    )
    for key in ("stages", "benefits"):
        assert html.index(f'data-chart-source="chart-data-{key}"') < html.index(f'data-chart-table="{key}"')


def test_a_district_narrows_every_figure_to_it(world, client_for):
    _walked(world)
    client = client_for(world.users["city"])
    html = client.get(reverse("dashboard"), {"district": world.south.pk}).content.decode()
    assert 'data-headline="listed">1<' in html
    assert 'data-headline="evaluation-rate">—<' in html  # the south case never reached a review
    assert f'<option value="{world.south.pk}" selected>' in html
    # The export carries the filter.
    assert f'href="/dashboard/stages.xlsx?district={world.south.pk}"' in html


def test_a_year_narrows_to_its_programmes(world, client_for):
    _walked(world)
    city = world.users["city"]
    programme_services.programme_create(city=world.city, year=2027, actor=city)
    client = client_for(city)
    html = client.get(reverse("dashboard"), {"year": 2027}).content.decode()
    assert 'data-headline="listed">0<' in html
    html = client.get(reverse("dashboard"), {"year": 2026}).content.decode()
    assert 'data-headline="listed">2<' in html and '<option value="2026" selected>' in html


def test_a_district_outside_the_scope_is_not_found(world, client_for):
    other_city = f.jurisdiction("另一市", "city", world.province)
    elsewhere = f.jurisdiction("外区", "district", other_city)
    client = client_for(world.users["city"])
    for value in (elsewhere.pk, world.city.pk, world.province.pk, "x"):
        assert client.get(reverse("dashboard"), {"district": value}).status_code == 404, value
        assert (
            client.get(reverse("dashboard-export", args=["stages"]), {"district": value}).status_code == 404
        )
    # The province narrows to its cities, not to a district below them.
    province = client_for(world.users["province"])
    assert province.get(reverse("dashboard"), {"district": world.city.pk}).status_code == 200
    assert province.get(reverse("dashboard"), {"district": world.north.pk}).status_code == 404
    # Roles without a dashboard: not found, filter or not.
    user = f.user("district2", Role.DISTRICT, jurisdiction=world.south)
    assert client_for(user).get(reverse("dashboard"), {"district": world.south.pk}).status_code == 404


def test_a_year_without_programmes_is_refused_with_a_message(world, client_for):
    client = client_for(world.users["city"])
    response = client.get(reverse("dashboard"), {"year": "1999"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "invalid-feedback" in html and "Select a valid choice" in html
    assert 'data-headline="listed">2<' in html  # the figures stay unfiltered


def test_the_district_choices_are_the_users_scope(world, client_for):
    html = client_for(world.users["city"]).get(reverse("dashboard")).content.decode()
    select = html[html.index('name="district"') : html.index("</select>", html.index('name="district"'))]
    assert [world.north.name, world.south.name, world.zone.name] == [
        n for n in ("北区", "南区", "高新区") if n in select
    ]
    assert "测试市" not in select


def test_english_pages_show_english_names_where_the_data_has_them(world, client_for):
    world.north.name_en = "North District"
    world.north.save()
    html = (
        client_for(world.users["city"]).get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "North District" in html and "南区" in html  # no English name: the Chinese one
    assert "Energy saved (tce/yr)" in html
    html = client_for(world.users["city"]).get(reverse("dashboard")).content.decode()
    assert "North District" not in html and "节能量（吨标准煤/年）" in html


def _queries(user, params=None) -> tuple[int, int]:
    """Queries of the dashboard's filter and figures (not the page around them, whose session
    bookkeeping depends on the clock), and the number of cases its headline lists."""
    from qingshen.reports.dashboard import dashboard
    from qingshen.reports.dashboard_filter import DashboardFilter

    with CaptureQueriesContext(connection) as ctx:
        form = DashboardFilter(params or None, user=user)
        assert not form.is_bound or form.is_valid()
        board = dashboard(user=user, **form.chosen())
    return len(ctx.captured_queries), board.headline.listed


def test_the_query_count_does_not_grow_with_the_data(world):
    user = world.users["city"]
    before = {
        "none": _queries(user),
        "district": _queries(user, {"district": world.north.pk}),
        "year": _queries(user, {"year": 2026}),
    }
    # More districts, enterprises, cases, programmes and records.
    city = world.users["city"]
    east = f.jurisdiction("东区", "district", world.city, code="500114")
    programme = programme_services.programme_create(city=world.city, year=2027, actor=city)
    for n in range(4):
        programme_listings.listing_add(
            programme=programme,
            enterprise=f.enterprise([world.north, east][n % 2], f"扩展{n}化工有限公司"),
            grounds=["emissions"],
            actor=city,
        )
    f.confirm_list(programme, city_user=city, province_user=world.users["province"])
    programme_lists.list_transition(name="publish", programme=programme, actor=city)
    _walked(world)
    after = {
        "none": _queries(user),
        "district": _queries(user, {"district": world.north.pk}),
        "year": _queries(user, {"year": 2026}),
    }
    assert {k: n for k, (n, _listed) in after.items()} == {k: n for k, (n, _listed) in before.items()}
    # The figures did grow: 2 + 4 cases in all, 1 + 2 in the north, the 2026 programme unchanged.
    assert [after[k][1] for k in ("none", "district", "year")] == [6, 3, 2]
    assert [before[k][1] for k in ("none", "district", "year")] == [2, 1, 2]
