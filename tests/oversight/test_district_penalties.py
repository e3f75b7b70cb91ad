"""A district orders its enterprises to correct as its city says: directly, or as a proposal the city
confirms or returns with a reason (issue 15). Agencies and other districts' enterprises stay out."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.oversight.models import Penalty, ViolationType
from qingshen.oversight.penalties import (
    PenaltyRefused,
    penalty_confirm,
    penalty_correct,
    penalty_order,
    penalty_return,
)
from qingshen.registry.bureaus import bureau_settings_set
from qingshen.trail.models import Event


def _set(world, mode):
    bureau_settings_set(jurisdiction=world.city, actor=world.users["city"], district_penalties=mode)


def _order(world, who="district", case=None, days=30):
    case = case or world.case_north
    return penalty_order(
        violation=ViolationType.objects.get(code="art39_no_audit"),
        facts="未开展审核",
        correct_by=timezone.localdate() + datetime.timedelta(days=days),
        actor=world.users[who],
        enterprise=case.enterprise,
        case=case,
    )


def _form(days=30):
    return {
        "violation": ViolationType.objects.get(code="art39_no_audit").pk,
        "facts": "未开展审核",
        "correct_by": (timezone.localdate() + datetime.timedelta(days=days)).isoformat(),
    }


def test_the_default_is_a_proposal_the_city_confirms(world):
    penalty = _order(world)
    assert penalty.state == Penalty.State.PROPOSED
    assert Event.objects.filter(action="oversight.penalty.propose", object_id=str(penalty.pk)).exists()
    with pytest.raises(PenaltyRefused):  # a proposal is no order yet
        penalty_correct(penalty_id=penalty.pk, actor=world.users["city"])
    with pytest.raises(PenaltyRefused):  # the district does not confirm its own
        penalty_confirm(penalty_id=penalty.pk, actor=world.users["district"])
    new_deadline = timezone.localdate() + datetime.timedelta(days=60)
    penalty_confirm(penalty_id=penalty.pk, actor=world.users["city"], correct_by=new_deadline)
    penalty.refresh_from_db()
    assert (penalty.state, penalty.correct_by, penalty.ordered_on) == (
        "ordered",
        new_deadline,
        timezone.localdate(),
    )
    assert Event.objects.filter(action="oversight.penalty.confirm", actor=world.users["city"]).exists()
    with pytest.raises(PenaltyRefused):  # the district may not step an order it could only propose
        penalty_correct(penalty_id=penalty.pk, actor=world.users["district"])


def test_the_city_returns_a_proposal_with_a_reason(world):
    penalty = _order(world)
    with pytest.raises(PenaltyRefused):
        penalty_return(penalty_id=penalty.pk, actor=world.users["city"], reason="  ")
    penalty.refresh_from_db()
    assert penalty.state == "proposed"
    penalty_return(penalty_id=penalty.pk, actor=world.users["city"], reason="事实不清")
    penalty.refresh_from_db()
    assert (penalty.state, penalty.returned_reason) == ("returned", "事实不清")
    assert Event.objects.filter(action="oversight.penalty.return", object_id=str(penalty.pk)).exists()
    with pytest.raises(PenaltyRefused):  # returned: nothing more to decide
        penalty_confirm(penalty_id=penalty.pk, actor=world.users["city"])


def test_with_the_record_setting_the_district_orders_and_steps_itself(world):
    _set(world, "record")
    penalty = _order(world)
    assert penalty.state == Penalty.State.ORDERED
    assert Event.objects.filter(action="oversight.penalty.order", actor=world.users["district"]).exists()
    with pytest.raises(PenaltyRefused):  # nothing for the city to confirm
        penalty_confirm(penalty_id=penalty.pk, actor=world.users["city"])
    penalty_correct(penalty_id=penalty.pk, actor=world.users["district"])
    penalty.refresh_from_db()
    assert penalty.state == "corrected"


@pytest.mark.parametrize("mode", ["propose", "record"])
def test_a_district_orders_only_its_own_enterprises_never_an_agency(world, mode):
    _set(world, mode)
    with pytest.raises(PenaltyRefused):
        _order(world, who="district_south")
    with pytest.raises(PenaltyRefused):
        penalty_order(
            violation=ViolationType.objects.get(code="measures35_agency"),
            facts="x",
            correct_by=timezone.localdate() + datetime.timedelta(days=30),
            actor=world.users["district"],
            agency=world.agency,
        )
    with pytest.raises(PenaltyRefused):
        _order(world, who="enterprise")
    assert not Penalty.objects.exists()


@pytest.mark.parametrize(("mode", "state"), [("propose", "proposed"), ("record", "ordered")])
def test_the_district_page_records_or_proposes(world, client_for, mode, state):
    _set(world, mode)
    client = client_for(world.users["district"])
    url = reverse("penalty-order", args=[world.case_north.pk])
    page = client.get(reverse("case-detail", args=[world.case_north.pk])).content.decode()
    assert 'id="start-penalty"' in page
    page = client.get(url).content.decode()
    assert ('id="penalty-proposes"' in page) == (mode == "propose")
    response = client.post(url, _form())
    assert response.status_code == 302
    assert Penalty.objects.get().state == state
    # Bad input: a message, nothing more recorded.
    response = client.post(url, _form(days=-1))
    assert response.status_code == 200 and Penalty.objects.count() == 1


@pytest.mark.parametrize("who", ["district_south", "enterprise", "enterprise_south", "agency", "expert"])
def test_the_district_page_is_refused_to_others(world, client_for, who):
    client = client_for(world.users[who])
    url = reverse("penalty-order", args=[world.case_north.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form()).status_code == 404
    assert not Penalty.objects.exists()


def test_the_city_lists_and_confirms_or_returns_proposals(world, client_for):
    first, second = _order(world), _order(world)
    client = client_for(world.users["city"])
    assert 'id="penalty-proposals-link"' in client.get(reverse("penalty-list")).content.decode()
    page = client.get(reverse("penalty-proposals")).content.decode()
    assert f'data-penalty="{first.pk}"' in page and f'data-penalty="{second.pk}"' in page
    client.post(reverse("penalty-step", args=[first.pk, "confirm"]), {"correct_by": ""})
    response = client.post(reverse("penalty-step", args=[second.pk, "return"]), {"reason": ""})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == "proposed"  # no reason: refused, unchanged
    client.post(reverse("penalty-step", args=[second.pk, "return"]), {"reason": "证据不足"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state, second.returned_reason) == ("ordered", "returned", "证据不足")
    page = client.get(reverse("penalty-proposals")).content.decode()
    assert f'data-penalty="{first.pk}"' not in page and f'data-penalty="{second.pk}"' not in page
    # The district sees the city's reason on its list.
    page = client_for(world.users["district"]).get(reverse("penalty-list")).content.decode()
    assert "证据不足" in page


@pytest.mark.parametrize("who", ["district", "district_south", "enterprise", "supervisor"])
def test_the_proposals_are_the_citys_alone(world, client_for, who):
    penalty = _order(world)
    client = client_for(world.users[who])
    assert client.get(reverse("penalty-proposals")).status_code == 404
    assert client.post(reverse("penalty-step", args=[penalty.pk, "confirm"]), {}).status_code == 404
    assert (
        client.post(reverse("penalty-step", args=[penalty.pk, "return"]), {"reason": "x"}).status_code == 404
    )
    penalty.refresh_from_db()
    assert penalty.state == "proposed"


def test_the_city_chooses_the_setting_on_its_page(world, client_for):
    client = client_for(world.users["city"])
    assert 'name="district_penalties"' in client.get(reverse("bureau-settings")).content.decode()
    client.post(reverse("bureau-settings"), {"review_organiser": "city", "district_penalties": "record"})
    assert _order(world).state == "ordered"
    assert (
        'name="district_penalties"'
        not in client_for(world.users["district"]).get(reverse("bureau-settings")).content.decode()
    )
