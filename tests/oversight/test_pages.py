"""The warnings page and the supervision page: scope, filters, closing, query counts, refusals."""

import datetime

import pytest
from django.urls import reverse

from qingshen.oversight.models import AccountabilityRecord, Warning
from qingshen.oversight.services import accountability_detect, accountability_open, warnings_record
from tests import factories as f
from tests.oversight.test_warnings import at


def _overdue_everywhere(world):
    deadline = world.case_north.deadlines.get(kind="disclosure")
    with at(deadline.due_on + datetime.timedelta(days=2)):
        warnings_record()
    return deadline


def test_warning_page_per_role(world, client_for):
    _overdue_everywhere(world)
    north_ids = set(Warning.objects.filter(case=world.case_north).values_list("pk", flat=True))
    assert north_ids
    page = client_for(world.users["enterprise"]).get(reverse("warning-list"))
    assert page.status_code == 200
    shown = {w.pk for w, _ in page.context["rows"]}
    assert shown == north_ids
    with at(world.case_north.deadlines.get(kind="disclosure").due_on + datetime.timedelta(days=3)):
        page = client_for(world.users["city"]).get(reverse("warning-list") + "?level=overdue")
    assert {w.case_id for w, _ in page.context["rows"]} == {world.case_north.pk, world.case_south.pk}
    assert [left for _, left in page.context["rows"]] == [-3, -3]
    page = client_for(world.users["district_south"]).get(reverse("warning-list"))
    assert {w.case_id for w, _ in page.context["rows"]} == {world.case_south.pk}


@pytest.mark.parametrize("role", ["expert", "auditor", "sysadmin"])
def test_warning_page_refused(world, client_for, role):
    assert client_for(world.users[role]).get(reverse("warning-list")).status_code == 404


def test_warning_page_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    from qingshen.programmes import listings as programme_listings
    from qingshen.programmes import lists as programme_lists
    from qingshen.programmes import services as programme_services

    city = world.users["city"]
    programme = programme_services.programme_create(city=world.city, year=2027, actor=city)
    for n in range(12):
        ent = f.enterprise(world.north if n % 2 else world.south, f"企业{n}")
        programme_listings.listing_add(programme=programme, enterprise=ent, grounds=["emissions"], actor=city)
    f.confirm_list(programme, city_user=city, province_user=world.users["province"])
    programme_lists.list_transition(
        name="publish", programme=programme, actor=city, published_on=world.case_north.published_on
    )
    for n in range(12):
        programme.milestones.create(
            name=f"节点{n}", due_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
        )
    _overdue_everywhere(world)
    assert Warning.objects.count() >= 26
    client = client_for(world.users["city"])
    client.get(reverse("warning-list"))  # the first request of a session writes its own rows
    with django_assert_max_num_queries(12):
        assert client.get(reverse("warning-list") + "?history=on").status_code == 200


def _records(world):
    city = world.users["city"]
    a = accountability_open(
        case=world.case_north, kind=AccountabilityRecord.Kind.OTHER, duty="手工", explanation="x", actor=city
    )
    b = accountability_open(
        case=world.case_south, kind=AccountabilityRecord.Kind.OTHER, duty="手工", explanation="y", actor=city
    )
    return a, b


def test_supervision_page_filters_and_links_the_case(world, client_for):
    a, b = _records(world)
    client = client_for(world.users["supervisor"])
    page = client.get(reverse("accountability-list"))
    assert page.status_code == 200
    assert {r.pk for r in page.context["page"].object_list} == {a.pk, b.pk}
    assert reverse("case-detail", args=[world.case_north.pk]) in page.content.decode()
    assert not page.context["may_close"]
    page = client.get(reverse("accountability-list") + f"?district={world.south.pk}")
    assert [r.pk for r in page.context["page"].object_list] == [b.pk]
    page = client.get(reverse("accountability-list") + "?section=自然科&state=open")
    assert {r.pk for r in page.context["page"].object_list} == {a.pk, b.pk}
    page = client.get(reverse("accountability-list") + "?state=closed")
    assert list(page.context["page"].object_list) == []
    # Bad filter input is ignored, never a 500.
    assert client.get(reverse("accountability-list") + "?district=abc&state=zzz").status_code == 200


def test_supervisor_cannot_close_city_closes_only_with_explanation(world, client_for):
    a, _ = _records(world)
    url = reverse("accountability-close", args=[a.pk])
    assert client_for(world.users["supervisor"]).post(url, {"explanation": "x"}).status_code == 404
    client = client_for(world.users["city"])
    client.post(url, {"explanation": "   "})
    a.refresh_from_db()
    assert a.closed_at is None
    client.post(url, {"explanation": "已整改，约谈经办人"})
    a.refresh_from_db()
    assert a.closed_at and a.close_explanation == "已整改，约谈经办人" and a.closed_by == world.users["city"]
    page = client.get(reverse("accountability-list") + "?state=closed")
    assert [r.pk for r in page.context["page"].object_list] == [a.pk]


@pytest.mark.parametrize("role", ["enterprise", "agency", "expert", "auditor"])
def test_supervision_page_refused(world, client_for, role):
    a, _ = _records(world)
    client = client_for(world.users[role])
    assert client.get(reverse("accountability-list")).status_code == 404
    assert client.post(reverse("accountability-close", args=[a.pk]), {"explanation": "x"}).status_code == 404


def test_district_sees_its_own_records_only(world, client_for):
    a, _b = _records(world)
    page = client_for(world.users["district"]).get(reverse("accountability-list"))
    assert [r.pk for r in page.context["page"].object_list] == [a.pk]
    assert (
        client_for(world.users["district_south"])
        .post(reverse("accountability-close", args=[a.pk]), {"explanation": "x"})
        .status_code
        == 404
    )


def test_supervision_page_query_count(world, client_for, django_assert_max_num_queries):
    case = f.walk(
        world.case_north,
        "evaluation_applied",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    _records(world)
    detect_day = case.deadlines.get(kind="evaluation_review").due_on + datetime.timedelta(days=1)
    with at(detect_day):
        accountability_detect()
    assert AccountabilityRecord.objects.count() == 4
    client = client_for(world.users["supervisor"])
    client.get(reverse("accountability-list"))  # the first request of a session writes its own rows
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accountability-list")).status_code == 200


def test_city_opens_a_record_by_hand(world, client_for):
    url = reverse("accountability-open", args=[world.case_north.pk])
    client = client_for(world.users["city"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"duty": "", "explanation": ""}).status_code == 200
    assert not AccountabilityRecord.objects.exists()
    client.post(url, {"duty": "未按时公布结果", "explanation": "群众举报"})
    record = AccountabilityRecord.objects.get()
    assert (
        record.kind == "other"
        and record.opened_by == world.users["city"]
        and "追责情形 3." in record.rule_citation
    )
    for role in ("supervisor", "district", "enterprise"):
        assert client_for(world.users[role]).post(url, {"duty": "a", "explanation": "b"}).status_code == 404
    assert AccountabilityRecord.objects.count() == 1


def test_the_closing_event_records_the_state_before(world, client_for):
    from qingshen.trail.models import Event

    a, _ = _records(world)
    client_for(world.users["city"]).post(
        reverse("accountability-close", args=[a.pk]), {"explanation": "已整改"}
    )
    event = Event.objects.get(action="oversight.accountability.close", object_id=str(a.pk))
    assert event.before == {"closed": False, "explanation": ""}
    assert event.after == {"closed": True, "explanation": "已整改"}
