"""The work summary table (附件3): every figure against a hand-computed fixture, filing, export."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from qingshen.cases import scoping as cases_scoping
from qingshen.cases.models import Benefit, Indicator, Option
from qingshen.cases.rollups import rollups_rebuild
from qingshen.cases.services import case_create_for_listing
from qingshen.oversight.models import AccountabilityRecord
from qingshen.programmes.models import Listing
from qingshen.reports import figures as summary
from qingshen.reports import scoping, services
from qingshen.reports.models import SummaryFiling
from qingshen.trail.models import Event
from tests import factories as f


@pytest.fixture
def city_of_three(world):
    """North: case A accepted at level II (evaluation and acceptance passed) with three options, and
    case C (emissions + hazardous, re-listed from A) left listed but overdue. South: case B withdrawn
    (停产), with one accountability record."""
    w = world
    w.programme.refresh_from_db()
    u = w.users
    ent_c = f.enterprise(w.north, "北区涂装有限公司")
    listing = Listing.objects.create(
        programme=w.programme, enterprise=ent_c, grounds=["emissions", "hazardous"], carried_from=w.case_north
    )
    w.case_c = case_create_for_listing(listing=listing, published_on=w.case_north.published_on)
    # Saved through the model, so its counts follow (a raw update would leave them behind).
    w.case_c.next_due_on = timezone.localdate() - datetime.timedelta(days=1)
    w.case_c.save(update_fields=["next_due_on"])
    f.walk(w.case_north, "accepted", city_user=u["city"], enterprise_user=u["enterprise"])
    f.walk(w.case_south, "withdrawn", city_user=u["city"], enterprise_user=u["enterprise_south"])
    today = timezone.localdate()
    low1 = Option.objects.create(
        case=w.case_north,
        code="F1",
        name="换节水龙头",
        cost_class="low",
        investment=Decimal("1.50"),
        status="implemented",
        planned_on=today,
        implemented_on=today,
        updated_by=u["enterprise"],
    )
    Option.objects.create(
        case=w.case_north,
        code="F2",
        name="加强管理",
        cost_class="low",
        investment=Decimal("2.25"),
        planned_on=today,
        updated_by=u["enterprise"],
    )
    high = Option.objects.create(
        case=w.case_north,
        code="F3",
        name="余热回收",
        cost_class="high",
        investment=Decimal("100"),
        status="implemented",
        planned_on=today,
        implemented_on=today,
        updated_by=u["enterprise"],
    )
    energy, cod = Indicator.objects.get(code="energy"), Indicator.objects.get(code="cod")
    Benefit.objects.create(option=high, indicator=energy, expected=Decimal("10"), verified=Decimal("8.5"))
    Benefit.objects.create(option=low1, indicator=energy, expected=Decimal("1"))
    Benefit.objects.create(option=low1, indicator=cod, expected=Decimal("0.25"), verified=Decimal("0.2"))
    AccountabilityRecord.objects.create(case=w.case_south, kind="other", duty="告知", explanation="测试")
    rollups_rebuild()  # the options were written directly, as a bulk load would
    return w


# Hand-computed from the fixture above. Figures not named are 0.
NORTH = {
    "listed": 2,
    "lead_environment": 2,
    "ground_emissions": 2,
    "ground_hazardous": 1,
    "disclosed": 1,
    "started": 1,
    "reports": 1,
    "evaluations": 1,
    "evaluations_passed": 1,
    "acceptances": 1,
    "acceptances_passed": 1,
    "overdue": 1,
    "carried_over": 1,
    "level_II": 1,
    "options_low_planned": 2,
    "investment_low_planned": Decimal("3.75"),
    "options_low_implemented": 1,
    "investment_low_implemented": Decimal("1.50"),
    "options_high_planned": 1,
    "investment_high_planned": Decimal("100.00"),
    "options_high_implemented": 1,
    "investment_high_implemented": Decimal("100.00"),
    "benefit_energy_expected": Decimal("11"),
    "benefit_energy_verified": Decimal("8.5"),
    "benefit_cod_expected": Decimal("0.25"),
    "benefit_cod_verified": Decimal("0.2"),
}
SOUTH = {
    "listed": 1,
    "lead_energy": 1,
    "ground_energy": 1,
    "disclosed": 1,
    "not_assessable": 1,
    "accountability": 1,
}


def _expected(figures, cols):
    return {c.key: figures.get(c.key, Decimal(0) if c.decimal else 0) for c in cols}


def _table(w, user):
    return summary.summary_table(
        programme=w.programme,
        cases=cases_scoping.cases_visible(user),
        districts=scoping.summary_districts_visible(user, w.programme),
    )


def test_every_figure_against_the_hand_computed_fixture(city_of_three):
    w = city_of_three
    table = _table(w, w.users["city"])
    rows = {d.pk: figures for d, figures in table.rows}
    assert rows[w.north.pk] == _expected(NORTH, table.columns)
    assert rows[w.south.pk] == _expected(SOUTH, table.columns)
    assert rows[w.zone.pk] == _expected({}, table.columns)
    total = {k: NORTH.get(k, 0) + SOUTH.get(k, 0) for k in set(NORTH) | set(SOUTH)}
    assert table.total == _expected(total, table.columns)


def test_a_district_sees_only_its_own_row(city_of_three):
    w = city_of_three
    table = _table(w, w.users["district"])
    assert [d.pk for d, _f in table.rows] == [w.north.pk]
    assert table.total == _expected(NORTH, table.columns)


def test_the_query_count_does_not_grow_with_the_cases(city_of_three, django_assert_max_num_queries):
    w = city_of_three
    # 10 grouped queries for the rows and the total, 5 more for the lead authorities' parts (by_lead).
    with django_assert_max_num_queries(18):
        _table(w, w.users["city"])


def test_filing_freezes_a_snapshot_and_the_city_sees_the_difference(city_of_three, client_for):
    w = city_of_three
    district = w.users["district"]
    response = client_for(district).post(reverse("summary-file", args=[w.programme.pk, w.north.pk]))
    assert response.status_code == 302
    filing = SummaryFiling.objects.get()
    assert (filing.district, filing.filed_by) == (w.north, district)
    assert filing.figures["listed"] == 2 and filing.figures["investment_low_planned"] == "3.75"
    assert Event.objects.filter(action="summary.file", object_id=str(filing.pk)).exists()
    # Today's figures move on; the snapshot does not.
    Option.objects.filter(code="F2").update(status="implemented")
    rollups_rebuild()
    page = client_for(w.users["city"]).get(reverse("summary-page", args=[w.programme.pk]))
    html = page.content.decode()
    assert f'data-district="{w.north.pk}" data-filed="yes"' in html
    assert f'data-district="{w.south.pk}" data-filed="no"' in html
    assert 'data-changes="2"' in html  # low-cost options and investment implemented
    detail = client_for(w.users["city"]).get(reverse("summary-filing", args=[w.programme.pk, filing.pk]))
    assert detail.content.decode().count('data-changed="yes"') == 2
    filing.refresh_from_db()
    assert filing.figures["options_low_implemented"] == 1


def test_only_the_district_itself_may_file(city_of_three, client_for):
    w = city_of_three
    for user in (w.users["city"], w.users["district_south"]):
        url = reverse("summary-file", args=[w.programme.pk, w.north.pk])
        assert client_for(user).post(url).status_code == 404
    with pytest.raises(services.FilingRefused):
        services.summary_file(programme=w.programme, district=w.north, actor=w.users["city"])
    assert not SummaryFiling.objects.exists()


def test_export_opens_and_holds_the_same_figures(city_of_three, client_for):
    w = city_of_three
    response = client_for(w.users["city"]).get(reverse("summary-export", args=[w.programme.pk]))
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    table = _table(w, w.users["city"])
    keys = table.keys()
    by_name = {row[0]: row[1:] for row in sheet[4:]}
    for district, figures in table.rows:
        assert [Decimal(str(v)) for v in by_name[district.name][: len(keys)]] == [figures[k] for k in keys]
    assert sheet[3][1:3] == [str(table.columns[0].label), str(table.columns[1].label)]
    assert sheet[2][0]  # the merged "District" header


@pytest.mark.parametrize("role", ["enterprise", "expert", "agency", "sysadmin"])
def test_the_summary_is_not_found_outside_authority_scope(world, client_for, role):
    client = client_for(world.users[role])
    for name in ("summary-page", "summary-export"):
        assert client.get(reverse(name, args=[world.programme.pk])).status_code == 404


def test_the_summary_page_keeps_its_query_count(city_of_three, client_for, django_assert_max_num_queries):
    client = client_for(city_of_three.users["city"])
    # Fixed whatever the number of cases: the table, the voluntary table and the group counts.
    with django_assert_max_num_queries(40):
        assert client.get(reverse("summary-page", args=[city_of_three.programme.pk])).status_code == 200


def test_penalties_imposed_on_the_cases_are_counted_in_10k_yuan(world):
    """Wired to oversight.Penalty: an order alone is not a penalty; a fine of 80,000 yuan is 8 万元."""
    import datetime

    from django.utils import timezone

    from qingshen.oversight.models import ViolationType
    from qingshen.oversight.penalties import penalty_impose, penalty_order
    from tests.oversight.test_warnings import at

    city = world.users["city"]
    world.programme.refresh_from_db()  # published by the fixture through the service
    today = timezone.localdate()
    order = penalty_order(
        violation=ViolationType.objects.get(code="art39_no_audit"), facts="未按期开展审核",
        correct_by=today + datetime.timedelta(days=1), actor=city, enterprise=world.ent_north,
        case=world.case_north,
    )  # fmt: skip
    rows = {d.pk: figures for d, figures in _table(world, city).rows}
    assert rows[world.north.pk]["penalties"] == 0  # ordered to correct: not (yet) a penalty
    with at(today + datetime.timedelta(days=3)):
        penalty_impose(penalty_id=order.pk, actor=city, fine=80_000)
        table = _table(world, city)
    rows = {d.pk: figures for d, figures in table.rows}
    assert rows[world.north.pk]["penalties"] == 1 and rows[world.north.pk]["penalty_amount"] == Decimal(8)
    assert rows[world.south.pk]["penalties"] == 0
