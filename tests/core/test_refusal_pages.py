"""A refusal that escapes a view is its page, never a 500."""

import pytest
from django.utils import translation
from django.utils.translation import gettext as _


@pytest.mark.urls("tests.core.refusal_urls")
def test_a_refusal_is_a_400_page_with_its_message_and_link(client):
    response = client.get("/test/refused/")
    assert response.status_code == 400
    body = response.content.decode()
    with translation.override("zh-hans"):
        assert _("Enter the reason.") in body
    assert 'href="/help/"' in body


@pytest.mark.urls("tests.core.refusal_urls")
def test_not_found_is_the_404_page(client):
    assert client.get("/test/not-found/").status_code == 404
