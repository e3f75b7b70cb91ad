"""The panel rules are edited like the time limits, and an edit out of bounds is refused on the form."""

import pytest
from django.urls import reverse

from qingshen.procedures.models import Rule
from qingshen.procedures.rules import due_from


def _post(client, rule, amount):
    data = {
        "name": rule.name,
        "amount": amount,
        "unit": rule.unit,
        "source": rule.source,
        "basis": rule.basis,
        "roll_forward": "on" if rule.roll_forward else "",
    }
    return client.post(reverse("admin:procedures_rule_change", args=[rule.pk]), data)


@pytest.mark.parametrize(
    ("code", "amount", "kept"),
    [
        ("review_panel_size", 4, 5),  # even
        ("review_panel_size", 1, 5),  # below the floor
        ("review_panel_min_size", 7, 3),  # floor above the size
        ("review_agency_rating_min", 9, 1),  # scale upside down
    ],
)
def test_an_out_of_bounds_panel_rule_is_refused_and_kept(world, client_for, code, amount, kept):
    client = client_for(world.users["sysadmin"])
    rule = Rule.objects.get(code=code)
    response = _post(client, rule, amount)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    rule.refresh_from_db()
    assert rule.amount == kept


def test_an_edit_in_bounds_is_saved(world, client_for):
    client = client_for(world.users["sysadmin"])
    rule = Rule.objects.get(code="review_panel_size")
    assert _post(client, rule, 7).status_code == 302
    rule.refresh_from_db()
    assert rule.amount == 7


def test_numbers_are_not_time_limits(world):
    rule = Rule.objects.get(code="review_panel_size")
    assert rule.unit == Rule.Unit.COUNT
    assert Rule.objects.get(code="review_agency_rating_max").unit == Rule.Unit.POINTS
    with pytest.raises(ValueError):
        due_from(rule=rule, start=world.case_north.published_on)
