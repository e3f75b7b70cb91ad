"""The page shell in Chromium on a 1366 px laptop screen: the navigation bar of every demo role fits one
line in both languages, its menus open, and pages log no content-security-policy error."""

import os

import pytest
from django.test import Client
from django.urls import reverse

from qingshen.accounts.roles import Role
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from tests import factories as f
from tests.e2e.test_walkthrough import browser  # noqa: F401 (the browser fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
LANGUAGES = {"zh-hans": "zh-CN", "en": "en-US"}


def _demo_roles():
    """One user per role, named and scoped as the demo's (qingshen/demo/data.py): the longest labels."""
    province = f.jurisdiction("重庆市", "province", code="500000")
    city = f.jurisdiction("重庆市（市局）", "city", province, code="500100")
    district = f.jurisdiction("渝北区", "district", city, code="500112")
    enterprise = f.enterprise(district, "重庆两江新材料化工有限公司")
    agency = f.agency("重庆绿源清洁生产技术咨询有限公司")
    users = [
        f.user("province", Role.PROVINCE, first_name="省级审核处", jurisdiction=province),
        f.user("city", Role.CITY, first_name="市局自然科", jurisdiction=city, section="自然科"),
        f.user("district", Role.DISTRICT, first_name="渝北区生态环境局", jurisdiction=district),
        f.user("supervisor", Role.SUPERVISOR, first_name="派驻纪检监察组", jurisdiction=city),
        f.user("enterprise", Role.ENTERPRISE, first_name=enterprise.name, enterprise=enterprise),
        f.user("agency", Role.AGENCY, first_name="绿源咨询", agency=agency),
        f.user("expert", Role.EXPERT, first_name="王专家"),
        f.user("auditor", Role.AUDITOR, first_name="审计管理员"),
        f.user("security", Role.SECURITY, first_name="安全管理员"),
        f.user("sysadmin", Role.SYSADMIN, first_name="系统管理员", is_staff=True),
    ]
    assert {u.role for u in users} == set(Role.values)
    programme = programme_services.programme_create(city=city, year=2026, actor=users[1])
    programme_listings.listing_add(
        programme=programme, enterprise=enterprise, grounds=["emissions"], actor=users[1]
    )
    return users


def _logged_in(browser, live_server, user, language):  # noqa: F811
    """A laptop-sized page with the user's session (no login form: the bar is what is measured)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale=LANGUAGES[language], viewport=LAPTOP)
    context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )
    page = context.new_page()
    return page


# Measured in the page: the page's own width, and each top-level bar entry against one line of its text.
MEASURE = """() => {
  const items = [...document.querySelectorAll('#mainnav > ul > li > :is(a, form), #mainnav > :is(a, form, span)')];
  return {
    scrollWidth: document.documentElement.scrollWidth,
    items: items.map(el => {
      const style = getComputedStyle(el);
      const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
      const box = el.getBoundingClientRect();
      const inner = box.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
                    - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
      return {text: el.innerText.trim(), lines: Math.round(inner / line), top: box.top, bottom: box.bottom,
              right: box.right};
    }),
  };
}"""


def test_the_bar_fits_one_line_at_1366_px_for_every_role_in_both_languages(live_server, browser):  # noqa: F811
    users = _demo_roles()
    problems = []
    for language in LANGUAGES:
        for user in users:
            page = _logged_in(browser, live_server, user, language)
            page.goto(live_server.url + reverse("home"))
            assert page.locator("html").get_attribute("lang") == language
            shape = page.evaluate(MEASURE)
            # One row: every entry crosses the same horizontal line.
            one_row = max(i["top"] for i in shape["items"]) < min(i["bottom"] for i in shape["items"])
            where = f"{user.username}/{language}"
            if shape["scrollWidth"] > LAPTOP["width"]:
                problems.append(f"{where}: page {shape['scrollWidth']} px wide")
            problems += [
                f"{where}: “{i['text']}” on {i['lines']} lines" for i in shape["items"] if i["lines"] > 1
            ]
            problems += [
                f"{where}: “{i['text']}” off the bar" for i in shape["items"] if i["right"] > LAPTOP["width"]
            ]
            if not one_row:
                problems.append(f"{where}: the bar wraps onto more rows")
            print(where, shape["scrollWidth"], [i["text"] for i in shape["items"]])
            if shot := os.environ.get("QINGSHEN_SCREENSHOTS"):
                page.screenshot(path=f"{shot}/bar-{user.username}-{language}.png")
            page.context.close()
    assert not problems, "\n".join(problems)


def test_the_menus_open_and_lead_to_their_pages(live_server, browser):  # noqa: F811
    city = next(u for u in _demo_roles() if u.role == Role.CITY)
    page = _logged_in(browser, live_server, city, "zh-hans")
    page.goto(live_server.url + reverse("home"))
    page.click('[data-menu="oversight"] > .dropdown-toggle')
    menu = page.locator('[data-menu="oversight"] .dropdown-menu')
    assert menu.is_visible()
    assert len(menu.locator("a").all_inner_texts()) == 5  # warnings, the three supervision pages, time limits
    with page.expect_navigation():
        menu.get_by_text("预警", exact=True).click()
    assert page.url.endswith(reverse("warning-list"))
    page.click('[data-menu="account"] > .dropdown-toggle')
    with page.expect_navigation():
        page.click("#logout")
    assert "/login/" in page.url


def test_pages_log_no_content_security_policy_error(live_server, browser):  # noqa: F811
    from qingshen.accounts import invitations as portal_services

    users = {u.role: u for u in _demo_roles()}
    enterprise_account = f.user("ent-new", Role.ENTERPRISE, enterprise=users[Role.ENTERPRISE].enterprise)
    invitation = portal_services.invitation_issue(user=enterprise_account)
    city = users[Role.CITY]
    programme = city.jurisdiction.programmes.get()
    district = users[Role.DISTRICT].jurisdiction
    visits = [
        (None, reverse("invitation-accept", args=[invitation.token])),
        (None, reverse("public-procedure")),
        (None, "/no-such-page/"),
        (city, reverse("home")),
        (city, reverse("enterprise-invitation", args=[users[Role.ENTERPRISE].enterprise.pk])),
        (city, reverse("programme-detail", args=[programme.pk])),
        (users[Role.DISTRICT], reverse("proposal-page", args=[programme.pk, district.pk])),
    ]
    refused = []
    for user, url in visits:
        if user is None:
            page = browser.new_context(locale="zh-CN", viewport=LAPTOP).new_page()
        else:
            page = _logged_in(browser, live_server, user, "zh-hans")
        page.on("pageerror", lambda exc, url=url: refused.append(f"{url}: {exc}"))
        page.on(
            "console",
            lambda msg, url=url: (
                refused.append(f"{url}: {msg.text}")
                if msg.type == "error" and "Content Security Policy" in msg.text
                else None
            ),
        )
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        assert page.locator("nav.navbar").count() == 1, url
        page.context.close()
    assert refused == []


def test_the_citys_pages_are_no_wider_than_the_screen_in_both_languages(live_server, browser):  # noqa: F811
    users = {u.role: u for u in _demo_roles()}
    city = users[Role.CITY]
    programme = city.jurisdiction.programmes.get()
    f.confirm_list(programme, city_user=city, province_user=users[Role.PROVINCE])
    programme_lists.list_transition(name="publish", programme=programme, actor=city)
    case = programme.cases.get()
    urls = [
        reverse("case-list"),
        reverse("case-detail", args=[case.pk]),
        reverse("programme-detail", args=[programme.pk]),
        reverse("enterprise-list"),
        reverse("rule-list"),
        reverse("warning-list"),
        reverse("review-list"),
        reverse("penalty-list"),
        reverse("inbox"),
    ]
    wide = []
    for language in LANGUAGES:
        page = _logged_in(browser, live_server, city, language)
        for url in urls:
            page.goto(live_server.url + url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > LAPTOP["width"]:
                wide.append(f"{language} {url}: {width} px")
        page.context.close()
    assert wide == []
