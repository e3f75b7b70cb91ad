import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from qingshen.accounts.api_tokens import api_token_create
from tests.api.rich import rich  # noqa: F401  (two rich worlds for the read endpoints)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def token_for():
    """A token of `user` with `scope`; returns the plain key."""

    def make(user, scope="read", days=30):
        _, key = api_token_create(
            user=user,
            name="脚本",
            scope=scope,
            expires_on=timezone.localdate() + datetime.timedelta(days=days),
        )
        return key

    return make


@pytest.fixture
def api_as(api, token_for):
    def login(user, scope="read"):
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user, scope)}")
        return api

    return login


@pytest.fixture
def verified_client_for(client):
    """A browser logged in as `user` with its second factor passed (a confirmed TOTP device)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def login(user):
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login
