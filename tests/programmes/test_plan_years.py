"""The plan list's years come from the rule `plan_list_years` (seeded with its source), not a setting:
the city changes the row and the service, the page, the import and the export follow."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingshen.demo.data import make_uscc
from qingshen.procedures.models import Rule
from qingshen.programmes import plan, services
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.imports import batches
from qingshen.programmes.seed import PLAN_YEARS_RULE
from tests import factories as f
from tests.programmes import sheets


@pytest.fixture
def draft(world):
    return services.programme_create(city=world.city, year=2027, actor=world.users["city"])


def _span(amount):
    Rule.objects.filter(code="plan_list_years").update(amount=amount)


def test_the_rule_is_seeded_with_its_source_and_the_setting_is_gone(db):
    rule = Rule.objects.get(code="plan_list_years")
    assert (rule.amount, rule.unit, rule.basis) == (2, "years", "L")
    assert "重庆" in rule.source and "附件4" in rule.source
    assert not hasattr(settings, "QINGSHEN_PLAN_YEARS")
    assert plan.plan_years(2027) == [2028, 2029]


def test_reseed_puts_the_rule_back(db):
    Rule.objects.filter(code=PLAN_YEARS_RULE["code"]).delete()
    f.reseed()
    assert Rule.objects.get(code="plan_list_years").amount == 2


def test_a_longer_span_in_the_rule_opens_a_third_year(world, draft):
    city = world.users["city"]
    with pytest.raises(ProgrammeError):
        plan.plan_entry_add(
            programme=draft, enterprise=f.enterprise(world.north), planned_year=2030, grounds=[], actor=city
        )
    _span(3)
    entry = plan.plan_entry_add(
        programme=draft, enterprise=f.enterprise(world.north), planned_year=2030, grounds=[], actor=city
    )
    assert entry.planned_year == 2030


def test_the_plan_page_offers_the_rules_years(world, draft, client_for):
    url = reverse("programme-plan", args=[draft.pk])
    client = client_for(world.users["city"])
    assert '<option value="2030"' not in client.get(url).content.decode()
    _span(3)
    html = client.get(url).content.decode()
    assert '<option value="2030"' in html and "2028、2029、2030" in html
    _span(1)
    html = client.get(url).content.decode()
    assert '<option value="2029"' not in html and '<option value="2028"' in html


def test_the_import_checks_the_planned_year_against_the_rule(
    world, draft, django_capture_on_commit_callbacks
):
    _span(1)
    header = [*sheets.HEADER[:6], "计划年度"]
    rows = [[1, "北区", "计划企业", make_uscc("500112", 515151), "", "双超", "2029"]]
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.import_batch_create(
            programme=draft,
            kind="plan",
            upload=SimpleUploadedFile("plan.xlsx", sheets.xlsx(rows, header=header)),
            actor=world.users["city"],
        )
    batch.refresh_from_db()
    assert batch.status == "invalid"
    assert [e["column"] for e in batch.errors] == ["计划年度"] and "2028" in batch.errors[0]["problem"]


def test_the_plan_export_title_follows_the_rule(world, draft):
    import io

    from python_calamine import CalamineWorkbook

    from qingshen.programmes import exports

    _span(3)
    data = exports.plan_list(programme=draft, entries=draft.plan_entries.all())
    title = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()[0][0]
    assert "2028—2030" in title
