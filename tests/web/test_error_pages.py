"""404, 403, 400, 500 and the CSRF failure are the site's own pages, in the user's language, with a way
back; DEBUG is off in the tests (pytest-django), as in production."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.urls("tests.web.error_urls")

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _page(response, status):
    assert response.status_code == status
    html = response.content.decode()
    assert f'id="error-page" data-status="{status}"' in html, html[:300]
    assert 'id="way-back"' in html and reverse("public-procedure") in html
    return html


def test_an_unknown_address_gets_the_sites_404_in_chinese_and_in_english(db, settings):
    assert settings.DEBUG is False
    chinese = _page(Client().get("/no-such-page/"), 404)
    assert "页面不存在" in chinese and 'lang="zh-hans"' in chinese and "Not Found" not in chinese
    english = _page(Client().get("/no-such-page/", **ENGLISH), 404)
    assert "Page not found" in english and 'lang="en"' in english


def test_an_object_out_of_scope_gets_the_404_with_the_users_bar_and_home(world, client_for):
    client = client_for(world.users["district"])  # the north district does not see the south's case
    html = _page(client.get(reverse("case-detail", args=[world.case_south.pk])), 404)
    assert "页面不存在" in html and f'href="{reverse("home")}"' in html and "退出" in html


def test_refused_and_bad_requests_get_their_pages(world, client_for):
    client = client_for(world.users["city"])
    assert "无权" in _page(client.get("/test-errors/403/"), 403)
    assert "Not allowed" in _page(client.get("/test-errors/403/", **ENGLISH), 403)
    assert "请求无法处理" in _page(client.get("/test-errors/400/"), 400)
    assert "Bad request" in _page(client.get("/test-errors/400/", **ENGLISH), 400)


def test_a_server_error_gets_the_500_page_without_any_context(world, client_for):
    client = client_for(world.users["city"])
    client.raise_request_exception = False
    html = _page(client.get("/test-errors/500/"), 500)
    assert "服务器出错" in html and "RuntimeError" not in html and "a test's server error" not in html
    anonymous = Client(raise_request_exception=False)
    assert "Server error" in _page(anonymous.get("/test-errors/500/", **ENGLISH), 500)


def test_a_form_without_its_csrf_token_gets_the_sites_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["district"])
    html = _page(client.post(reverse("logout")), 403)
    assert "表单已失效" in html and "CSRF verification failed" not in html
    english = _page(client.post(reverse("logout"), **ENGLISH), 403)
    assert "The form has expired" in english
