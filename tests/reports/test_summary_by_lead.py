"""The summary table (附件3) and the dashboard split by lead authority (issue 15 item 4), against a
hand-computed fixture: the totals stay right and the departments' parts add up to them."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qingshen.cases import scoping as cases_scoping
from qingshen.cases.services import case_create_for_listing
from qingshen.programmes.models import Listing
from qingshen.reports import figures as summary
from qingshen.reports import scoping
from qingshen.reports.dashboard import dashboard
from tests import factories as f


@pytest.fixture
def two_departments(world):
    """North: case_north (emissions, environment-led) disclosed, and case M (emissions + energy:
    environment-led, energy consulted) listed. South: case_south (energy only, energy-led) through a
    passed evaluation, organised by the energy-saving authority."""
    w = world
    w.programme.refresh_from_db()
    w.energy = f.energy_user("city-energy", w.city)
    ent_m = f.enterprise(w.north, "北区水泥有限公司")
    listing = Listing.objects.create(programme=w.programme, enterprise=ent_m, grounds=["emissions", "energy"])
    w.case_m = case_create_for_listing(listing=listing, published_on=w.case_north.published_on)
    f.walk(w.case_north, "disclosed", city_user=w.users["city"], enterprise_user=w.users["enterprise"])
    south = f.walk(
        w.case_south, "implementing", city_user=w.users["city"], enterprise_user=w.users["enterprise_south"]
    )
    assert south.evaluation_passed_on is not None
    assert south.reviews.get().checked_by == w.energy  # the walk took the energy authority's steps
    return w


def _table(w, user):
    return summary.summary_table(
        programme=w.programme,
        cases=cases_scoping.cases_visible(user),
        districts=scoping.summary_districts_visible(user, w.programme),
    )


def test_the_lead_columns_and_sections_against_the_hand_computed_fixture(two_departments):
    w = two_departments
    table = _table(w, w.users["city"])
    rows = {d.pk: figures for d, figures in table.rows}
    assert (rows[w.north.pk]["lead_environment"], rows[w.north.pk]["lead_energy"]) == (2, 0)
    assert (rows[w.south.pk]["lead_environment"], rows[w.south.pk]["lead_energy"]) == (0, 1)
    assert (table.total["listed"], table.total["lead_environment"], table.total["lead_energy"]) == (3, 2, 1)
    led = {a.value: figures for a, figures in table.by_lead}
    env, energy = led["environment"], led["energy"]
    assert (env["listed"], env["ground_emissions"], env["ground_energy"], env["disclosed"]) == (2, 2, 1, 1)
    assert (env["evaluations"], env["evaluations_passed"]) == (0, 0)
    assert (energy["listed"], energy["ground_energy"], energy["disclosed"], energy["started"]) == (1, 1, 1, 1)
    assert (energy["reports"], energy["evaluations"], energy["evaluations_passed"]) == (1, 1, 1)
    # Each case figure of the two parts adds up to the total; per-jurisdiction figures are not split.
    for key in ("listed", "disclosed", "started", "reports", "evaluations", "evaluations_passed", "overdue"):
        assert env[key] + energy[key] == table.total[key], key
    assert env["options_low_planned"] is None and energy["benefit_energy_expected"] is None


def test_the_page_and_the_export_show_each_departments_part(two_departments, client_for):
    w = two_departments
    client = client_for(w.users["city"])
    body = client.get(reverse("summary-page", args=[w.programme.pk])).content.decode()
    assert 'data-row="lead-environment"' in body and 'data-row="lead-energy"' in body
    # The energy authority reads the same merged table.
    assert client_for(w.energy).get(reverse("summary-page", args=[w.programme.pk])).status_code == 200
    response = client.get(reverse("summary-export", args=[w.programme.pk]))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    table = _table(w, w.users["city"])
    listed = table.keys().index("listed") + 1
    tail = [row for row in sheet[4:] if row[0]][-2:]  # the two "of which led by" rows after the total
    assert [int(row[listed]) for row in tail] == [2, 1]
    assert "—" in tail[0]


def test_the_energy_user_outside_the_city_is_refused(two_departments, client_for):
    w = two_departments
    other_city = f.jurisdiction("别市", "city", w.province, code="500200")
    outsider = f.energy_user("other-energy", other_city)
    assert client_for(outsider).get(reverse("summary-page", args=[w.programme.pk])).status_code == 404


def test_the_dashboard_splits_by_lead_authority(two_departments, client_for):
    w = two_departments
    chart = {c.key: c for c in dashboard(user=w.users["city"]).charts}["lead"]
    north, south = chart.categories.index(w.north.local_name), chart.categories.index(w.south.local_name)
    # Series: listed by environment, listed by energy, then overdue by each (LeadAuthority's order).
    (_n0, listed_env), (_n1, listed_energy) = chart.series[:2]
    assert (listed_env[north], listed_env[south]) == (2, 0)
    assert (listed_energy[north], listed_energy[south]) == (0, 1)
    assert sum(listed_env) + sum(listed_energy) == 3  # every case, once
    body = client_for(w.energy).get(reverse("dashboard")).content.decode()
    assert "chart-data-lead" in body
