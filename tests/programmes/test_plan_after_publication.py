"""附件4 stays open after the annual list is published, until its own milestone: districts send their
part, the city returns it with a comment or merges it, and exports what it merged."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from qingshen.programmes import plan
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Milestone, PlanSubmission
from qingshen.trail.models import Event
from tests import factories as f


@pytest.fixture
def due(world):
    """The published programme's plan list is due in 30 days."""
    day = timezone.localdate() + datetime.timedelta(days=30)
    Milestone.objects.create(
        programme=world.programme, kind=Milestone.Kind.PLAN_LIST_DUE, name="报送审核计划", due_on=day
    )
    return day


def _add(world, who, district, year=None):
    return plan.plan_entry_add(
        programme=world.programme,
        enterprise=f.enterprise(district),
        planned_year=year or world.programme.year + 1,
        grounds=["hazardous"],
        actor=world.users[who],
    )


def test_published_without_the_milestone_the_plan_is_closed(world):
    world.programme.refresh_from_db()
    assert world.programme.list_state == "published"
    with pytest.raises(ProgrammeError, match="公布"):
        _add(world, "district", world.north)


def test_a_district_sends_the_city_returns_and_merges(world, due):
    north, city = world.users["district"], world.users["city"]
    entry = _add(world, "district", world.north)
    assert entry.merged_at is None
    part = plan.plan_submit(programme=world.programme, district=world.north, actor=north)
    assert part.status == PlanSubmission.Status.SUBMITTED
    with pytest.raises(ProgrammeError):  # sent: the district waits for the city
        _add(world, "district", world.north)
    with pytest.raises(ProgrammeError):  # a comment is needed
        plan.plan_return(programme=world.programme, district=world.north, actor=city, comment=" ")
    plan.plan_return(programme=world.programme, district=world.north, actor=city, comment="请补充年份依据")
    _add(world, "district", world.north)  # open again
    plan.plan_submit(programme=world.programme, district=world.north, actor=north)
    with pytest.raises(ProgrammeError):  # only the city decides
        plan.plan_merge(programme=world.programme, district=world.north, actor=north)
    plan.plan_merge(programme=world.programme, district=world.north, actor=city)
    assert world.programme.plan_entries.filter(merged_at__isnull=False).count() == 2
    assert {e.action for e in Event.objects.filter(action__startswith="programme.plan.")} == {
        "programme.plan.add",
        "programme.plan.submit",
        "programme.plan.return",
        "programme.plan.merge",
    }
    # The city's own entries are on its list at once.
    assert _add(world, "city", world.south).merged_at is not None


def test_after_the_milestone_districts_cannot_add_or_send_but_the_city_merges(world, due):
    north, city = world.users["district"], world.users["city"]
    _add(world, "district", world.north)
    plan.plan_submit(programme=world.programme, district=world.north, actor=north)
    with time_machine.travel(due + datetime.timedelta(days=1)):
        with pytest.raises(ProgrammeError, match=f"{due:%Y-%m-%d}"):
            _add(world, "district_south", world.south)
        with pytest.raises(ProgrammeError):
            plan.plan_submit(
                programme=world.programme, district=world.south, actor=world.users["district_south"]
            )
        plan.plan_merge(programme=world.programme, district=world.north, actor=city)


def test_the_plan_pages_for_each_role(world, due, client_for):
    url = reverse("programme-plan", args=[world.programme.pk])
    _add(world, "district", world.north)
    page = client_for(world.users["district"]).get(url).content.decode()
    assert 'id="plan-submit"' in page and 'data-open="yes"' in page and 'id="plan-parts"' not in page
    submit = reverse("plan-submit", args=[world.programme.pk, world.north.pk])
    for who in ("district_south", "city", "enterprise", "auditor"):
        assert client_for(world.users[who]).post(submit).status_code == 404
    assert client_for(world.users["district"]).post(submit).status_code == 302
    page = client_for(world.users["city"]).get(url).content.decode()
    assert f'data-district="{world.north.pk}" data-status="submitted"' in page
    back = reverse("plan-return", args=[world.programme.pk, world.north.pk])
    merge = reverse("plan-merge", args=[world.programme.pk, world.north.pk])
    for who in ("district", "district_south", "province", "enterprise"):
        assert client_for(world.users[who]).post(merge).status_code == 404
        assert client_for(world.users[who]).post(back, {"comment": "x"}).status_code == 404
    response = client_for(world.users["city"]).post(back, {"comment": ""})
    assert response.status_code == 400 and f.form_errors_shown(
        response, f"plan-return-{world.north.pk}", "return_form"
    )
    # The export holds what the city merged only; the district's export its own entries.
    export = reverse("export-plan", args=[world.programme.pk])
    rows = _rows(client_for(world.users["city"]).get(export))
    assert rows == []
    assert client_for(world.users["city"]).post(merge).status_code == 302
    assert len(_rows(client_for(world.users["city"]).get(export))) == 1
    assert len(_rows(client_for(world.users["district"]).get(export))) == 1
    assert client_for(world.users["district_south"]).get(url).status_code == 200


def _rows(response):
    assert response.status_code == 200
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()[3:]
