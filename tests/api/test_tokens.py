"""Personal API tokens: shown once, hashed at rest, refused when expired or revoked, read-only on writes."""

import datetime
import hashlib

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts.api_tokens import api_token_create, api_token_revoke
from qingshen.accounts.models import ApiToken
from qingshen.core.errors import NotFound, Refused
from qingshen.trail.models import Event

CASES = "/api/v1/cases/"


def test_the_key_is_kept_only_as_its_sha256(world):
    user = world.users["city"]
    token, key = api_token_create(
        user=user, name="省平台", scope="read", expires_on=timezone.localdate() + datetime.timedelta(days=5)
    )
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix) and len(key) > 30
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert key not in stored


def test_a_token_reads_within_its_users_scope_and_every_use_is_logged(world, api, token_for):
    key = token_for(world.users["district"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = api.get(CASES)
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [world.case_north.pk]
    api.get(CASES)
    uses = Event.objects.filter(action="api.token.use")
    assert uses.count() == 2 and set(uses.values_list("note", flat=True)) == {"脚本"}
    assert ApiToken.objects.get().last_used_at is not None


def test_an_unknown_key_is_401(world, api):
    api.credentials(HTTP_AUTHORIZATION="Bearer qs_nonsense")
    response = api.get(CASES)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_an_expired_token_is_refused(world, api, token_for):
    key = token_for(world.users["city"], days=2)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get(CASES).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert api.get(CASES).status_code == 401


def test_a_revoked_token_is_refused(world, api, token_for):
    user = world.users["city"]
    key = token_for(user)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get(CASES).status_code == 200
    api_token_revoke(user=user, pk=ApiToken.objects.get().pk)
    assert api.get(CASES).status_code == 401
    assert Event.objects.filter(action="api.token.revoke").count() == 1


def test_a_token_of_someone_else_cannot_be_revoked(world, token_for):
    token_for(world.users["city"])
    with pytest.raises(NotFound):
        api_token_revoke(user=world.users["district"], pk=ApiToken.objects.get().pk)


def test_a_read_token_is_refused_on_write_methods(world, api_as):
    client = api_as(world.users["city"], "read")
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"{CASES}{world.case_north.pk}/", {}, format="json")
        assert response.status_code == 403, method
        assert response.json()["code"] == "permission_denied"


def test_a_write_token_passes_the_scope_check(world, api_as):
    # No write endpoint exists yet: past the scope check the method itself is not allowed.
    response = api_as(world.users["city"], "write").post(CASES, {}, format="json")
    assert response.status_code == 405


@pytest.mark.parametrize(
    "expires_in, name, scope", [(0, "x", "read"), (400, "x", "read"), (5, " ", "read"), (5, "x", "admin")]
)
def test_token_creation_refuses_bad_input(world, expires_in, name, scope):
    with pytest.raises(Refused):
        api_token_create(
            user=world.users["city"],
            name=name,
            scope=scope,
            expires_on=timezone.localdate() + datetime.timedelta(days=expires_in),
        )


def test_the_token_page_shows_the_key_once_and_revokes(world, verified_client_for):
    client = verified_client_for(world.users["city"])
    page = reverse("api-tokens")
    assert client.get(page).status_code == 200
    expires = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(page, {"name": "省平台", "expires_on": expires, "scope": "write"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    key = response.context["key"]
    assert key.startswith(token.prefix) and key in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = client.get(page).content.decode()
    assert key not in again and token.prefix in again
    client.post(reverse("api-token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_token_page_needs_a_login(client):
    assert client.get(reverse("api-tokens")).status_code == 302


def test_the_token_page_shows_a_refusal_on_the_form(world, verified_client_for, settings):
    client = verified_client_for(world.users["city"])
    too_far = (
        timezone.localdate() + datetime.timedelta(days=settings.QINGSHEN_API_TOKEN_MAX_DAYS + 1)
    ).isoformat()
    response = client.post(reverse("api-tokens"), {"name": "x", "expires_on": too_far, "scope": "read"})
    assert response.status_code == 200 and response.context["key"] is None
    assert response.context["form"].non_field_errors()
    assert not ApiToken.objects.exists()
