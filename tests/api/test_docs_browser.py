"""The documentation page draws Swagger UI in a browser under the site's CSP, with nothing fetched from outside."""

import pytest
from django.urls import reverse

from tests.e2e.test_walkthrough import browser  # noqa: F401 (the browser fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_lists_the_endpoints(live_server, browser):  # noqa: F811
    page = browser.new_page()
    errors, outside = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: None if req.url.startswith(live_server.url) else outside.append(req.url))
    page.goto(live_server.url + reverse("api-docs"))
    # Every tag is listed, folded; each opens to its operations (read one at a time, then folded again).
    page.wait_for_selector(".opblock-tag", timeout=30_000)
    tags = page.locator(".opblock-tag")
    assert tags.count() >= 25
    paths = []
    for i in range(tags.count()):
        tags.nth(i).click()
        section = page.locator(".opblock-tag-section").nth(i)
        section.locator(".opblock-summary-path").first.wait_for(timeout=15_000)
        paths += section.locator(".opblock-summary-path").all_inner_texts()
        tags.nth(i).click()
    assert "/api/v1/cases/{id}/" in [p.replace("\u200b", "") for p in paths]
    assert errors == [] and outside == []
    page.close()
