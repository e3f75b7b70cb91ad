"""The district that proposed an order to correct hears the city's answer (confirmed, or returned with
its reason), and corrects a returned proposal and sends it again to the city's queue."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qingshen.core.errors import NotFound
from qingshen.notifications.models import Notification
from qingshen.oversight.models import Penalty, ViolationType
from qingshen.oversight.penalties import (
    PenaltyRefused,
    penalty_confirm,
    penalty_order,
    penalty_resubmit,
    penalty_return,
)
from qingshen.registry.bureaus import bureau_settings_set
from qingshen.trail.labels import action_label
from qingshen.trail.models import Event
from tests import factories as f


def _deadline(days=30):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def proposal(world):
    world.north_colleague = f.user("north2", "district", jurisdiction=world.north)
    world.energy_north = f.energy_user("north-energy", world.north, role="district")
    world.penalty = penalty_order(
        violation=ViolationType.objects.get(code="art39_no_audit"),
        facts="未开展审核",
        correct_by=_deadline(),
        actor=world.users["district"],
        enterprise=world.ent_north,
        case=world.case_north,
    )
    return world


def _inbox(user):
    return list(Notification.objects.filter(recipient=user))


def test_the_district_is_told_the_city_confirmed(proposal):
    w = proposal
    deadline = _deadline(45)
    penalty_confirm(penalty_id=w.penalty.pk, actor=w.users["city"], correct_by=deadline)
    for user in (w.users["district"], w.north_colleague):
        (note,) = _inbox(user)
        assert w.ent_north.name in note.subject and str(deadline) in note.body
        assert note.object_id == str(w.penalty.pk)
    # Not the other district, not the energy authority's staff of the same district, not the city.
    for user in (w.users["district_south"], w.energy_north, w.users["city"]):
        assert _inbox(user) == []


def test_the_district_is_told_the_city_returned_it_and_why(proposal):
    w = proposal
    penalty_return(penalty_id=w.penalty.pk, actor=w.users["city"], reason="证据不足，补充现场检查记录")
    (note,) = _inbox(w.users["district"])
    assert "证据不足，补充现场检查记录" in note.body
    assert note.url == reverse("penalty-resubmit", args=[w.penalty.pk])
    assert _inbox(w.users["district_south"]) == [] and _inbox(w.energy_north) == []


def test_a_returned_proposal_is_corrected_and_sent_again(proposal):
    w = proposal
    penalty_return(penalty_id=w.penalty.pk, actor=w.users["city"], reason="事实不清")
    other = ViolationType.objects.filter(party="enterprise").exclude(pk=w.penalty.violation_id).first()
    penalty_resubmit(
        penalty_id=w.penalty.pk,
        actor=w.north_colleague,  # any of the district's staff
        violation=other,
        facts="补充：现场检查记录附后",
        correct_by=_deadline(60),
    )
    w.penalty.refresh_from_db()
    assert (w.penalty.state, w.penalty.violation, w.penalty.facts, w.penalty.correct_by) == (
        "proposed",
        other,
        "补充：现场检查记录附后",
        _deadline(60),
    )
    assert w.penalty.returned_reason == ""
    event = Event.objects.get(action="oversight.penalty.resubmit", object_id=str(w.penalty.pk))
    assert event.before["returned_reason"] == "事实不清" and event.before["facts"] == "未开展审核"
    assert str(action_label("oversight.penalty.resubmit")) != "oversight.penalty.resubmit"
    # The city decides it again.
    penalty_confirm(penalty_id=w.penalty.pk, actor=w.users["city"])
    w.penalty.refresh_from_db()
    assert w.penalty.state == "ordered"


def test_only_a_returned_proposal_is_sent_again_with_good_input(proposal):
    w = proposal
    args = {
        "violation": w.penalty.violation,
        "facts": "x",
        "correct_by": _deadline(),
    }
    with pytest.raises(PenaltyRefused):  # still awaiting the city
        penalty_resubmit(penalty_id=w.penalty.pk, actor=w.users["district"], **args)
    penalty_return(penalty_id=w.penalty.pk, actor=w.users["city"], reason="事实不清")
    with pytest.raises(PenaltyRefused):
        penalty_resubmit(penalty_id=w.penalty.pk, actor=w.users["district"], **{**args, "facts": "  "})
    with pytest.raises(PenaltyRefused):
        penalty_resubmit(
            penalty_id=w.penalty.pk, actor=w.users["district"], **{**args, "correct_by": timezone.localdate()}
        )
    with pytest.raises(PenaltyRefused):
        agency_violation = ViolationType.objects.get(code="measures35_agency")
        penalty_resubmit(
            penalty_id=w.penalty.pk, actor=w.users["district"], **{**args, "violation": agency_violation}
        )
    for user in (w.users["district_south"], w.energy_north, w.users["city"], w.users["enterprise"]):
        with pytest.raises(NotFound):
            penalty_resubmit(penalty_id=w.penalty.pk, actor=user, **args)
    w.penalty.refresh_from_db()
    assert (w.penalty.state, w.penalty.facts) == ("returned", "未开展审核")


def _form(penalty, facts="补充材料后重新提请", days=40):
    return {"violation": penalty.violation_id, "facts": facts, "correct_by": _deadline(days).isoformat()}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_district_page_sends_it_again_and_the_city_sees_it_in_its_queue(proposal):
    w = proposal
    penalty_return(penalty_id=w.penalty.pk, actor=w.users["city"], reason="事实不清")
    district = _client(w.users["district"])
    url = reverse("penalty-resubmit", args=[w.penalty.pk])
    assert f'id="penalty-resubmit-{w.penalty.pk}"' in district.get(reverse("penalty-list")).content.decode()
    page = district.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "事实不清" in body and "未开展审核" in body
    city = _client(w.users["city"])
    assert f'data-penalty="{w.penalty.pk}"' not in city.get(reverse("penalty-proposals")).content.decode()
    # Bad input: the form again with a message, nothing changed.
    assert district.post(url, _form(w.penalty, facts=" ")).status_code == 200
    assert district.post(url, _form(w.penalty, days=-1)).status_code == 200
    assert Penalty.objects.get().state == "returned"
    assert district.post(url, _form(w.penalty)).status_code == 302
    w.penalty.refresh_from_db()
    assert (w.penalty.state, w.penalty.facts) == ("proposed", "补充材料后重新提请")
    assert f'data-penalty="{w.penalty.pk}"' in city.get(reverse("penalty-proposals")).content.decode()
    assert district.get(url).status_code == 404  # no longer returned: nothing to correct


@pytest.mark.parametrize("who", ["district_south", "energy_north", "city", "enterprise", "supervisor"])
def test_the_resubmit_page_is_refused_to_others(proposal, client_for, who):
    w = proposal
    penalty_return(penalty_id=w.penalty.pk, actor=w.users["city"], reason="事实不清")
    user = w.energy_north if who == "energy_north" else w.users[who]
    client = client_for(user)
    url = reverse("penalty-resubmit", args=[w.penalty.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form(w.penalty)).status_code == 404
    if who in ("energy_north", "city"):  # they see the list, with no resubmit offered
        page = client.get(reverse("penalty-list")).content.decode()
        assert f'id="penalty-resubmit-{w.penalty.pk}"' not in page
    w.penalty.refresh_from_db()
    assert w.penalty.state == "returned"


def test_no_resubmit_once_the_city_lets_its_districts_record(proposal, client_for):
    w = proposal
    penalty_return(penalty_id=w.penalty.pk, actor=w.users["city"], reason="事实不清")
    bureau_settings_set(jurisdiction=w.city, actor=w.users["city"], district_penalties="record")
    url = reverse("penalty-resubmit", args=[w.penalty.pk])
    assert client_for(w.users["district"]).post(url, _form(w.penalty)).status_code == 404
    assert Penalty.objects.get().state == "returned"
