"""With sessions in the shared cache (REDIS_URL: the cached_db engine), ending a session removes the
cached copy too: a session ended on one node is not still signed in on another."""

import pytest
from django.core.cache import cache

from qingshen.accounts import services
from qingshen.accounts.models import UserSession


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()
    yield
    cache.clear()


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


@pytest.mark.django_db
def test_sessions_ended_at_a_password_change_are_gone_from_the_cache(world, client, cached_sessions):
    user = world.users["enterprise"]
    client.force_login(user)
    assert _signed_in(client)
    assert cache.get(f"django.contrib.sessions.cached_db{client.session.session_key}") is not None
    assert services.sessions_end(user=user, reason="password_changed") == 1
    assert not _signed_in(client)


@pytest.mark.django_db
def test_a_session_its_user_ends_is_gone_from_the_cache(world, client, cached_sessions):
    from django.test import Client

    user = world.users["enterprise"]
    other = Client()
    other.force_login(user)
    client.force_login(user)
    assert _signed_in(other)
    row = UserSession.objects.get(session_key=other.session.session_key)
    services.session_end_own(user=user, session_id=row.pk)
    assert not _signed_in(other)
    assert _signed_in(client)
