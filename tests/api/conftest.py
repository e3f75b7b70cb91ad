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
