"""Token policy and throttling: the security administrator closes the API to a role, second-factor roles
create tokens only after the second factor, refused keys are logged (rate-limited), and each token has
its own request budget answered 429 in the error shape."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts.api_tokens import api_token_create
from qingshen.accounts.models import ApiToken
from qingshen.accounts.parameters import PARAMETERS
from qingshen.accounts.services import security_parameter_set
from qingshen.core.errors import Refused
from qingshen.trail.models import Event

CASES = "/api/v1/cases/"


def _disable(world, roles):
    security_parameter_set(actor=world.users["security"], key="api_closed_roles", value=roles)


def test_a_disabled_roles_tokens_are_refused_and_logged(world, api, token_for):
    key = token_for(world.users["city"])
    other = token_for(world.users["district"])
    _disable(world, "city")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = api.get(CASES)
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"
    refused = Event.objects.get(action="api.token.refused")
    assert refused.after["reason"] == "role_disabled" and refused.result == "failure"
    assert refused.actor_name == world.users["city"].username and refused.note == "脚本"
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {other}")
    assert api.get(CASES).status_code == 200


def test_a_disabled_role_creates_no_token(world):
    _disable(world, "city,enterprise")
    with pytest.raises(Refused):
        api_token_create(
            user=world.users["enterprise"],
            name="x",
            scope="read",
            expires_on=timezone.localdate() + datetime.timedelta(days=5),
        )
    assert not ApiToken.objects.exists()


def test_the_security_administrator_sets_the_roles_on_the_parameters_page(world, client_for):
    client = client_for(world.users["security"])
    data = {key: p.default for key, p in PARAMETERS.items()}
    response = client.post(reverse("security-parameters"), {**data, "api_closed_roles": "expert"})
    assert response.status_code == 302
    event = Event.objects.get(action="security.parameter.set")
    assert event.after == {"api_closed_roles": "expert"}
    # An empty list (no role disabled) is a value the page accepts.
    assert client.post(reverse("security-parameters"), data).status_code == 302


def _create(client, scope="read"):
    expires = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    return client.post(reverse("api-tokens"), {"name": "省平台", "expires_on": expires, "scope": scope})


def test_a_second_factor_role_creates_a_token_only_after_its_second_factor(
    world, client_for, verified_client_for
):
    refused = _create(client_for(world.users["city"]))
    assert refused.status_code == 200 and refused.context["key"] is None
    assert refused.context["form"].non_field_errors()
    assert not ApiToken.objects.exists()
    created = _create(verified_client_for(world.users["city"]))
    assert created.context["key"] and ApiToken.objects.filter(user=world.users["city"]).count() == 1


def test_a_role_without_a_second_factor_creates_its_token_with_the_password(world, client_for):
    response = _create(client_for(world.users["enterprise"]))
    assert response.context["key"] and ApiToken.objects.filter(user=world.users["enterprise"]).exists()


def test_refused_keys_are_logged_at_most_once_per_period(world, api, settings):
    api.credentials(HTTP_AUTHORIZATION="Bearer qs_nonsense")
    for _ in range(5):
        assert api.get(CASES).status_code == 401
    events = Event.objects.filter(action="api.token.refused")
    assert events.count() == 1 and events.get().after == {"reason": "unknown", "prefix": ""}


def test_an_expired_key_is_logged_with_its_reason(world, api, token_for):
    import time_machine

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world.users['city'], days=1)}")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert api.get(CASES).status_code == 401
    assert Event.objects.get(action="api.token.refused").after["reason"] == "expired"


def test_each_token_is_throttled_on_its_own_with_429_in_the_shape(world, api, token_for, settings):
    settings.QINGSHEN_API_RATE_READ = "3/min"
    first, second = token_for(world.users["city"]), token_for(world.users["city"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {first}")
    assert [api.get(CASES).status_code for _ in range(3)] == [200, 200, 200]
    throttled = api.get(CASES)
    assert throttled.status_code == 429
    body = throttled.json()
    assert body["code"] == "throttled" and body["fields"] == {} and body["message"]
    assert int(throttled["Retry-After"]) > 0
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {second}")
    assert api.get(CASES).status_code == 200


def test_writes_have_their_own_rate(world, api_as, settings):
    settings.QINGSHEN_API_RATE_WRITE = "1/min"
    client = api_as(world.users["city"], "write")
    url = f"/api/v1/cases/{world.case_north.pk}/transitions/"
    assert (
        client.post(url, {"action": "publish_result", "expected_version": 0}, format="json").status_code
        == 409
    )
    assert (
        client.post(url, {"action": "publish_result", "expected_version": 0}, format="json").status_code
        == 429
    )
    assert client.get(CASES).status_code == 200


def test_the_session_is_throttled_per_user(world, client_for, settings):
    settings.QINGSHEN_API_RATE_READ = "1/min"
    client = client_for(world.users["district"])
    assert client.get(CASES).status_code == 200
    assert client.get(CASES).status_code == 429
    assert client_for(world.users["city"]).get(CASES).status_code == 200
