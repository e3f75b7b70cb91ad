"""Control characters in what a request carries are refused with a 400 page, before any view runs.

PostgreSQL cannot store NUL: on it these requests were 500s (run this file with DATABASE_URL too)."""

import json

import pytest
from django.test import RequestFactory
from django.urls import reverse

from qingshen.accounts.input_middleware import refusal_for
from qingshen.core import text as characters
from qingshen.trail.models import Event


def _refused(response, *, english=False, word=None):
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="input-refused"' in page and "navbar" in page  # the site's layout
    assert (word or ("control character" if english else "控制字符")) in page
    assert "\x00" not in page
    return page


@pytest.mark.parametrize(
    "url", ["/public/search/?q=ab%00cd", "/public/disclosures/?q=ab%00cd", "/invitation/ab%00cd/"]
)
def test_nul_in_an_anonymous_address_is_refused(client, db, url):
    _refused(client.get(url))


def test_the_refusal_speaks_the_users_language(client, db):
    page = _refused(client.get("/public/search/?q=ab%00cd", HTTP_ACCEPT_LANGUAGE="en"), english=True)
    assert "U+0000" in page and "“q”" in page


def test_nul_in_a_logged_in_search_is_refused(world, client_for):
    client = client_for(world.users["city"])
    page = _refused(client.get(reverse("enterprise-list"), {"q": "北区\x00"}))
    assert world.users["city"].username in page  # still drawn for the user who is logged in


def test_nul_in_the_login_form_is_refused_and_counts_no_failure(client, world):
    before = Event.objects.count()
    _refused(client.post(reverse("login"), {"username": "ab\x00cd", "password": "x"}))
    _refused(client.post(reverse("login"), {"username": "north", "password": "a\x01b"}))
    assert Event.objects.count() == before


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85", "\t", "\n"])
def test_every_control_character_in_a_query_string_is_refused(client, db, char):
    _refused(client.get(reverse("public-search"), {"q": f"a{char}b"}))


def test_a_damaged_session_cookie_is_refused_and_deleted(client, db):
    # Python's cookie parser turns a quoted \000 into NUL: the session lookup was a 500 on PostgreSQL.
    response = client.get(reverse("public-search"), HTTP_COOKIE='sessionid="abcdefgh\\000cd"')
    _refused(response, word="Cookie（sessionid）")
    assert response.cookies["sessionid"].value == "" and response.cookies["sessionid"]["max-age"] == 0


def test_a_control_character_in_a_header_is_refused(client, world):
    from tests.factories import PASSWORD

    response = client.post(
        reverse("login"), {"username": "north", "password": PASSWORD}, HTTP_USER_AGENT="Mozilla\x00"
    )
    _refused(response)


def test_utf8_bytes_in_a_header_are_not_taken_for_controls(client, db):
    # WSGI hands headers over decoded as Latin-1: "中" arrives as "ä¸\xad", whose \x8d-range bytes are
    # C1 code points only in that reading.
    user_agent = "浏览器/1.0".encode().decode("latin-1")
    assert client.get(reverse("public-search"), HTTP_USER_AGENT=user_agent).status_code == 200


def test_a_clean_request_passes(client, db):
    assert client.get(reverse("public-search"), {"q": "北区 化工"}).status_code == 200


def _post(data, content_type=None):
    factory = RequestFactory()
    if content_type:
        return factory.post("/x/", data=data, content_type=content_type)
    return factory.post("/x/", data=data)


def test_multi_line_form_text_keeps_tabs_and_line_breaks():
    assert refusal_for(_post({"comment": "第一行\r\n\t第二行"})) is None
    assert refusal_for(_post({"comment": "第一行\x0b第二行"})) is not None
    assert refusal_for(_post({"bad\x00key": "x"})) is not None


def test_json_bodies_are_checked_too():
    ok = json.dumps({"name": "北区", "lines": ["a\nb"]})
    assert refusal_for(_post(ok, "application/json")) is None
    for bad in ({"name": "a\x00b"}, {"list": [{"deep": "\x1b"}]}, {"k\x07": 1}):
        assert refusal_for(_post(json.dumps(bad), "application/json")) is not None
    lone_surrogate = '{"name": "\\ud800"}'
    assert refusal_for(_post(lone_surrogate, "application/json")) is not None
    assert refusal_for(_post("not json", "application/json")) is None


def test_the_rules():
    assert characters.problem("北区化工") is None
    assert characters.problem("a\x00b") and "U+0000" in characters.problem("a\x00b")
    assert characters.problem("a\nb") is not None
    assert characters.problem("a\nb", multiline=True) is None
    assert characters.name_problem("a\nb") is not None
    assert characters.problem("a\nb\u202e", multiline=True, bidi=True) is not None
    assert characters.problem("evil\u202etxt.exe") is None  # free text: only names refuse direction marks
    for ch in ("\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f"):
        assert "U+" in characters.name_problem(f"名{ch}称"), ch
    assert "RIGHT-TO-LEFT OVERRIDE" in characters.name_problem("a\u202eb")


def test_the_forwarded_address_is_the_proxys_last_entry_and_garbage_is_ignored(client, db, settings):
    """With the README's production block (QINGSHEN_TRUST_X_FORWARDED_FOR=1) a client's own
    X-Forwarded-For entry was taken as its address, and a malformed one was a 500 at login."""
    settings.QINGSHEN_TRUST_X_FORWARDED_FOR = True
    for forwarded, logged in [
        ("garbage, 10.0.0.7", "10.0.0.7"),
        ("1.2.3.4, garbage", "127.0.0.1"),
        ("", "127.0.0.1"),
    ]:
        response = client.post(
            reverse("login"), {"username": "nobody", "password": "x"}, HTTP_X_FORWARDED_FOR=forwarded
        )
        assert response.status_code == 200
        assert Event.objects.filter(action="auth.login_failed").latest("pk").client_ip == logged
