"""Late annual disclosures (部令第24号 第十四条): the sweep warns of each year a mandatory-audit case must
disclose whose disclosure is not submitted by its due date (the rules' day in the next year), once per
case and year, never of a voluntary audit; the warnings page shows the open ones in scope."""

import datetime

import pytest
from django.urls import reverse

from qingshen.cases import annual_disclosures as annual
from qingshen.cases.annual_rules import DUE_MONTH
from qingshen.oversight.annual_warnings import annual_warnings_record
from qingshen.oversight.models import AnnualDisclosureWarning
from qingshen.procedures.models import Rule
from qingshen.programmes.voluntary import voluntary_register
from qingshen.trail.models import Event
from tests import factories as f

pytestmark = pytest.mark.django_db


def _due(world):
    year = world.case_north.published_on.year
    return year, annual.due_on(year)


def test_rule_gives_the_due_date_with_its_source():
    rule = Rule.objects.get(code=DUE_MONTH)
    assert rule.amount == 3 and "部令第24号" in rule.source


def test_warned_the_day_after_the_due_date_once_per_case_and_year(world):
    year, due = _due(world)
    assert annual_warnings_record(today=due) == 0  # due that day: not late yet
    assert annual_warnings_record(today=due + datetime.timedelta(days=1)) == 2
    assert annual_warnings_record(today=due + datetime.timedelta(days=30)) == 0
    w = AnnualDisclosureWarning.objects.get(case=world.case_north)
    assert (w.year, w.due_on, w.enterprise_id, w.jurisdiction_path) == (
        year,
        due,
        world.ent_north.pk,
        world.case_north.jurisdiction_path,
    )
    assert Event.objects.filter(action="oversight.annual_warnings.record").count() == 1


def test_a_submitted_year_is_not_warned_and_the_rule_moves_the_date(world):
    year, due = _due(world)
    case = world.case_north
    annual.annual_disclosure_save(
        case=case,
        year=year,
        actor=world.users["enterprise"],
        content=annual.annual_prefill(case, year),
        submit=True,
        today=due,
    )
    Rule.objects.filter(code=DUE_MONTH).update(amount=due.month + 1)
    assert annual_warnings_record(today=due + datetime.timedelta(days=1)) == 0
    Rule.objects.filter(code=DUE_MONTH).update(amount=due.month)
    assert annual_warnings_record(today=due + datetime.timedelta(days=1)) == 1
    assert list(AnnualDisclosureWarning.objects.values_list("case_id", flat=True)) == [world.case_south.pk]


def test_a_voluntary_audit_owes_no_annual_disclosure(world):
    _year, due = _due(world)
    ent = f.enterprise(world.north, "北区自愿审核纺织有限公司")
    case = voluntary_register(actor=f.enterprise_user(ent))
    annual_warnings_record(today=due + datetime.timedelta(days=1))
    assert not AnnualDisclosureWarning.objects.filter(case=case).exists()


def test_the_warnings_page_shows_the_open_ones_in_scope(world, client_for):
    _year, due = _due(world)
    annual_warnings_record(today=due + datetime.timedelta(days=1))
    page = client_for(world.users["district"]).get(reverse("warning-list")).content.decode()
    assert 'id="annual-warnings"' in page and world.ent_north.name in page
    assert world.ent_south.name not in page
    page = client_for(world.users["enterprise_south"]).get(reverse("warning-list")).content.decode()
    assert 'id="annual-warnings"' in page and world.ent_north.name not in page
