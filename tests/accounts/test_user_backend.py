"""A signed-in user is read with the jurisdiction, enterprise or agency the pages ask for, in the one
query that reads the user (accounts/backends.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def _tables_read(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"].split(" FROM ", 1)[1].split(" ", 1)[0] for q in queries if q["sql"].startswith("SELECT")]


def test_a_bureau_user_and_their_jurisdiction_are_read_once(world, client_for):
    client = client_for(world.users["city"])
    client.get(reverse("password-change"))  # the session's first-visit writes happen once
    read = _tables_read(client, reverse("password-change"))
    assert read.count('"accounts_user"') == 1
    assert '"accounts_jurisdiction"' not in read  # joined to the user's row


def test_an_enterprise_user_and_their_enterprise_are_read_once(world, client_for):
    client = client_for(world.users["enterprise"])
    client.get(reverse("password-change"))
    read = _tables_read(client, reverse("password-change"))
    assert read.count('"accounts_user"') == 1
    assert '"registry_enterprise"' not in read


def test_an_inactive_user_is_signed_out(world, client_for):
    client = client_for(world.users["city"])
    world.users["city"].is_active = False
    world.users["city"].save()
    response = client.get(reverse("password-change"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
