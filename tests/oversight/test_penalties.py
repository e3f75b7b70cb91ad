"""Penalties: order, then a fine only within the law's bounds after the deadline; credit marking; export."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.oversight.models import Penalty, ViolationType
from qingshen.oversight.penalties import PenaltyRefused, penalty_correct, penalty_impose, penalty_order
from qingshen.oversight.selectors import penalty_counts_by_violation
from qingshen.trail.models import Event
from tests.oversight.test_warnings import at


def _order(world, code="art39_no_audit", days=30, **kw):
    party = kw.pop("party", None) or {"enterprise": world.ent_north, "case": world.case_north}
    return penalty_order(
        violation=ViolationType.objects.get(code=code),
        facts="未开展审核",
        correct_by=timezone.localdate() + datetime.timedelta(days=days),
        actor=world.users["city"],
        **party,
        **kw,
    )


def test_bounds_are_seeded_with_citations(db):
    art36, art39 = (
        ViolationType.objects.get(code="art36_not_disclosed"),
        ViolationType.objects.get(code="art39_no_audit"),
    )
    assert (art36.fine_min, art36.fine_max) == (0, 100_000) and "第三十六条" in art36.citation
    assert (art39.fine_min, art39.fine_max) == (50_000, 500_000) and "第三十九条" in art39.citation
    assert ViolationType.objects.get(code="measures35_agency").publishes_name


@pytest.mark.parametrize("fine", [49_999, 500_001, None])
def test_fine_outside_the_law_is_refused(world, fine):
    penalty = _order(world)
    with at(penalty.correct_by + datetime.timedelta(days=1)), pytest.raises(PenaltyRefused):
        penalty_impose(penalty_id=penalty.pk, actor=world.users["city"], fine=fine)
    penalty.refresh_from_db()
    assert penalty.state == "ordered" and penalty.fine is None and not penalty.credit_marked


@pytest.mark.parametrize(
    ("code", "fine"),
    [("art39_no_audit", 50_000), ("art39_no_audit", 500_000), ("art36_not_disclosed", 100_000)],
)
def test_fine_within_bounds_after_the_deadline_marks_credit(world, code, fine):
    penalty = _order(world, code=code)
    with pytest.raises(PenaltyRefused):  # the deadline to correct has not passed
        penalty_impose(penalty_id=penalty.pk, actor=world.users["city"], fine=fine)
    with at(penalty.correct_by + datetime.timedelta(days=1)):
        penalty_impose(penalty_id=penalty.pk, actor=world.users["city"], fine=fine)
    penalty.refresh_from_db()
    assert (penalty.state, penalty.fine, penalty.credit_marked, penalty.disclosure_listed) == (
        "penalised",
        fine,
        True,
        True,
    )
    assert Event.objects.filter(action="oversight.penalty.impose", object_id=str(penalty.pk)).exists()
    assert penalty_counts_by_violation(user=world.users["city"])[code]["fines"] == fine


def test_corrected_in_time_is_not_penalised(world):
    penalty = _order(world)
    penalty_correct(penalty_id=penalty.pk, actor=world.users["city"])
    with at(penalty.correct_by + datetime.timedelta(days=1)), pytest.raises(PenaltyRefused):
        penalty_impose(penalty_id=penalty.pk, actor=world.users["city"], fine=60_000)


def test_agency_name_published_no_fine(world):
    penalty = _order(world, code="measures35_agency", party={"agency": world.agency})
    with at(penalty.correct_by + datetime.timedelta(days=1)):
        with pytest.raises(PenaltyRefused):
            penalty_impose(penalty_id=penalty.pk, actor=world.users["city"], fine=1000)
        penalty_impose(penalty_id=penalty.pk, actor=world.users["city"])
    penalty.refresh_from_db()
    assert penalty.state == "penalised" and penalty.fine is None and penalty.credit_marked


def test_wrong_party_or_past_deadline_refused(world):
    with pytest.raises(PenaltyRefused):
        _order(world, code="measures35_agency")
    with pytest.raises(PenaltyRefused):
        _order(world, days=0)
    assert not Penalty.objects.exists()


def test_pages_order_fine_and_export(world, client_for):
    city = client_for(world.users["city"])
    url = reverse("penalty-order", args=[world.case_north.pk])
    assert city.get(url).status_code == 200
    violation = ViolationType.objects.get(code="art39_no_audit")
    bad = city.post(url, {"violation": violation.pk, "facts": "x", "correct_by": "2000-01-01"})
    assert bad.status_code == 200 and not Penalty.objects.exists()
    due = timezone.localdate() + datetime.timedelta(days=10)
    city.post(url, {"violation": violation.pk, "facts": '=HYPERLINK("x")', "correct_by": due.isoformat()})
    penalty = Penalty.objects.get()
    # The deadline has passed (moved back rather than travelling: a session would time out).
    Penalty.objects.filter(pk=penalty.pk).update(correct_by=timezone.localdate() - datetime.timedelta(days=1))
    for refused in ("10", "abc", "600000"):
        assert (
            city.post(reverse("penalty-step", args=[penalty.pk, "impose"]), {"fine": refused}).status_code
            == 302
        )
        penalty.refresh_from_db()
        assert penalty.state == "ordered"
    city.post(reverse("penalty-step", args=[penalty.pk, "impose"]), {"fine": "80000"})
    penalty.refresh_from_db()
    assert penalty.fine == 80_000
    page = city.get(reverse("penalty-list") + "?credit=on")
    assert [p.pk for p in page.context["page"].object_list] == [penalty.pk]
    assert "80,000 元" in page.content.decode()  # whole yuan, grouped
    response = city.get(reverse("credit-export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert world.ent_north.uscc in values
    fine = next(c for row in sheet.iter_rows() for c in row if c.value == 80000)
    assert fine.number_format == "#,##0"  # a number cell, not the text "80000"


@pytest.mark.parametrize("role", ["enterprise", "agency", "expert", "auditor"])
def test_penalty_pages_refused(world, client_for, role):
    penalty = _order(world)
    client = client_for(world.users[role])
    assert client.get(reverse("penalty-list")).status_code == 404
    assert client.get(reverse("credit-export")).status_code == 404
    assert client.get(reverse("penalty-order", args=[world.case_north.pk])).status_code == 404
    assert client.post(reverse("penalty-step", args=[penalty.pk, "correct"])).status_code == 404


def test_supervisor_reads_but_does_not_penalise(world, client_for):
    penalty = _order(world)
    client = client_for(world.users["supervisor"])
    assert client.get(reverse("penalty-list")).status_code == 200
    assert client.post(reverse("penalty-step", args=[penalty.pk, "correct"])).status_code == 404
    assert client.get(reverse("penalty-order", args=[world.case_north.pk])).status_code == 404


def test_penalty_list_query_count(world, client_for, django_assert_max_num_queries):
    for _ in range(15):
        _order(world)
    client = client_for(world.users["city"])
    client.get(reverse("penalty-list"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("penalty-list")).status_code == 200


def test_the_city_orders_an_agency_from_its_page(world, client_for):
    city = client_for(world.users["city"])
    detail = city.get(reverse("agency-detail", args=[world.agency.pk])).content.decode()
    url = reverse("penalty-order-agency", args=[world.agency.pk])
    assert 'id="start-agency-penalty"' in detail and url in detail
    page = city.get(url)
    # Only the agency's violation types are offered.
    assert [v.code for v in page.context["form"].fields["violation"].queryset] == ["measures35_agency"]
    enterprise_violation = ViolationType.objects.get(code="art39_no_audit")
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    assert (
        city.post(url, {"violation": enterprise_violation.pk, "facts": "x", "correct_by": due}).status_code
        == 200
    )
    assert not Penalty.objects.exists()
    agency_violation = ViolationType.objects.get(code="measures35_agency")
    assert (
        city.post(
            url, {"violation": agency_violation.pk, "facts": "报告严重失实", "correct_by": due}
        ).status_code
        == 302
    )
    penalty = Penalty.objects.get()
    assert penalty.agency == world.agency and penalty.enterprise is None
    assert Event.objects.filter(action="oversight.penalty.order", object_id=str(penalty.pk)).exists()


@pytest.mark.parametrize("role", ["supervisor", "district", "enterprise", "agency"])
def test_only_the_city_orders_an_agency(world, client_for, role):
    client = client_for(world.users[role])
    assert client.get(reverse("penalty-order-agency", args=[world.agency.pk])).status_code == 404
    detail = client.get(reverse("agency-detail", args=[world.agency.pk]))
    assert 'id="start-agency-penalty"' not in detail.content.decode()


def test_the_case_page_shows_its_oversight_and_links_to_start_it(world, client_for):
    penalty = _order(world)
    city_page = (
        client_for(world.users["city"])
        .get(reverse("case-detail", args=[world.case_north.pk]))
        .content.decode()
    )
    assert f'data-penalty="{penalty.pk}"' in city_page
    assert reverse("penalty-order", args=[world.case_north.pk]) in city_page
    assert reverse("accountability-open", args=[world.case_north.pk]) in city_page
    supervisor = client_for(world.users["supervisor"]).get(reverse("case-detail", args=[world.case_north.pk]))
    html = supervisor.content.decode()
    assert f'data-penalty="{penalty.pk}"' in html and 'id="start-penalty"' not in html
    enterprise = client_for(world.users["enterprise"]).get(reverse("case-detail", args=[world.case_north.pk]))
    assert 'id="case-oversight"' not in enterprise.content.decode()


def test_the_correction_event_records_the_state_before(world):
    penalty = _order(world)
    penalty_correct(penalty_id=penalty.pk, actor=world.users["city"])
    event = Event.objects.get(action="oversight.penalty.correct", object_id=str(penalty.pk))
    assert event.before == {"state": "ordered", "on": None}
    assert event.after["state"] == "corrected" and event.after["on"]
