"""Every page renders for every role, or refuses the way it should."""

import pytest
from django.urls import reverse

from qingshen.accounts.roles import Role

ROLES = [
    "province",
    "city",
    "district",
    "supervisor",
    "enterprise",
    "agency",
    "expert",
    "auditor",
    "security",
    "sysadmin",
]
# Lists open for every role with case data (experts see their panels' cases, today none).
CASE_ROLES = {"province", "city", "district", "supervisor", "enterprise", "agency", "expert"}


def pages(world):
    return {
        "home": (reverse("home"), set(ROLES)),
        "case-list": (reverse("case-list"), CASE_ROLES),
        "case-detail": (
            reverse("case-detail", args=[world.case_north.pk]),
            {"province", "city", "district", "supervisor", "enterprise"},
        ),
        "enterprise-list": (reverse("enterprise-list"), CASE_ROLES),
        "enterprise-detail": (
            reverse("enterprise-detail", args=[world.ent_north.pk]),
            {"province", "city", "district", "supervisor", "enterprise"},
        ),
        "enterprise-edit": (reverse("enterprise-edit", args=[world.ent_north.pk]), {"city", "district"}),
        "enterprise-create": (reverse("enterprise-create"), {"city", "district"}),
        "programme-list": (reverse("programme-list"), CASE_ROLES),
        "programme-detail": (
            reverse("programme-detail", args=[world.programme.pk]),
            {"province", "city", "district", "supervisor", "enterprise"},
        ),
        "rule-list": (reverse("rule-list"), CASE_ROLES),
        "event-list": (reverse("event-list"), {"auditor"}),
        "public-procedure": (reverse("public-procedure"), set(ROLES)),
    }


@pytest.mark.parametrize("role", ROLES)
def test_pages_per_role(world, client_for, role):
    client = client_for(world.users[role])
    for name, (url, allowed) in pages(world).items():
        status = client.get(url).status_code
        assert status == (200 if role in allowed else 404), (name, role, status)


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_the_sysadmin_only(world, client_for, role):
    response = client_for(world.users[role]).get(reverse("admin:index"))
    if role == Role.SYSADMIN:
        assert response.status_code == 200
        for model in (
            "accounts/user",
            "accounts/jurisdiction",
            "procedures/rule",
            "procedures/calendarday",
            "procedures/procedure",
            "registry/industry",
        ):
            assert client_for(world.users[role]).get(f"/admin/{model}/").status_code == 200, model
        # No case data and no operation log in the admin.
        assert client_for(world.users[role]).get("/admin/trail/event/").status_code == 404
        assert client_for(world.users[role]).get("/admin/cases/auditcase/").status_code == 404
    else:
        assert response.status_code == 302


def test_anonymous_is_sent_to_login(client, world):
    for url in (reverse("home"), reverse("case-list"), reverse("case-detail", args=[world.case_north.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("public-procedure")).status_code == 200
    assert client.get(reverse("login")).status_code == 200


def test_public_procedure_shows_the_seeded_power_item(client, db):
    page = client.get(reverse("public-procedure")).content.decode()
    for text in (
        "重点企业清洁生产审核评估和验收",
        "确定名单",
        "审核评估",
        "审核验收",
        "公布结果",
        "自然科",
        "12345",
        "行政复议",
        "不予受理",
    ):
        assert text in page, text


def test_login_and_logout_are_logged(client, world):
    # An enterprise account: bureau accounts need a second factor by default (tests/accounts/test_security.py).
    from qingshen.trail.models import Event
    from tests.factories import PASSWORD

    assert client.post(reverse("login"), {"username": "ent", "password": "wrong"}).status_code == 200
    assert Event.objects.filter(action="auth.login_failed", actor_name="ent", result="failure").exists()
    response = client.post(reverse("login"), {"username": "ent", "password": PASSWORD})
    assert response.status_code == 302
    assert Event.objects.filter(action="auth.login", actor=world.users["enterprise"]).exists()
    client.post(reverse("logout"))
    assert Event.objects.filter(action="auth.logout", actor=world.users["enterprise"]).exists()


def test_case_list_filters_and_sorts(world, client_for):
    client = client_for(world.users["city"])
    page = client.get(reverse("case-list"), {"district": world.south.pk}).content.decode()
    assert world.ent_south.name in page and world.ent_north.name not in page
    page = client.get(reverse("case-list"), {"q": world.ent_north.uscc.lower()}).content.decode()
    assert world.ent_north.name in page and world.ent_south.name not in page
    page = client.get(reverse("case-list"), {"state": "disclosed"}).content.decode()
    assert world.ent_north.name not in page
    page = client.get(
        reverse("case-list"), {"sort": "enterprise", "programme": world.programme.pk}
    ).content.decode()
    assert page.index(world.ent_north.name) < page.index(world.ent_south.name)
    # Bad filter values are ignored, never a 500.
    assert (
        client.get(reverse("case-list"), {"state": "nope", "district": "x", "page": "999"}).status_code == 200
    )


@pytest.mark.parametrize("sort", ["deadline", "-deadline"])
def test_cases_without_a_deadline_come_last_either_way(world, client_for, sort):
    import datetime

    from qingshen.cases import selectors
    from qingshen.cases.models import AuditCase

    AuditCase.objects.filter(pk=world.case_north.pk).update(next_due_on=None)
    AuditCase.objects.filter(pk=world.case_south.pk).update(next_due_on=datetime.date(2030, 1, 1))
    order = list(selectors.case_list(user=world.users["city"], sort=sort).values_list("pk", flat=True))
    assert order.index(world.case_south.pk) < order.index(world.case_north.pk)


def test_overdue_filter(world, client_for):
    import datetime

    from qingshen.cases.models import AuditCase

    AuditCase.objects.filter(pk=world.case_south.pk).update(next_due_on=datetime.date(2020, 1, 1))
    page = client_for(world.users["city"]).get(reverse("case-list"), {"overdue": "on"}).content.decode()
    assert world.ent_south.name in page and world.ent_north.name not in page


def test_case_list_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    from qingshen.programmes import listings as programme_listings
    from qingshen.programmes import lists as programme_lists
    from qingshen.programmes import services as programme_services
    from tests import factories as f

    client = client_for(world.users["city"])
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("case-list"))
    programme = programme_services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    for _ in range(20):
        programme_listings.listing_add(
            programme=programme,
            enterprise=f.enterprise(world.north),
            grounds=["emissions"],
            actor=world.users["city"],
        )
    f.confirm_list(programme, city_user=world.users["city"], province_user=world.users["province"])
    programme_lists.list_transition(name="publish", programme=programme, actor=world.users["city"])
    assert len(small.captured_queries) >= 3  # the check below must be able to fail
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("case-list"))


def test_transition_through_the_page(world, client_for):
    client = client_for(world.users["enterprise"])
    url = reverse("case-transition", args=[world.case_north.pk])
    response = client.post(url, {"action": "disclose", "version": 1, "comment": "已在官网公开"})
    assert response.status_code == 302
    world.case_north.refresh_from_db()
    assert world.case_north.state == "disclosed"
    # The same form sent again (double click) is refused on the page, not applied twice.
    response = client.post(url, {"action": "disclose", "version": 1}, follow=True)
    assert response.status_code == 200
    world.case_north.refresh_from_db()
    assert world.case_north.version == 2
    assert response.context["refusal"] and str(response.context["refusal"]) in response.content.decode()


def test_bad_transition_posts_get_a_message(world, client_for):
    client = client_for(world.users["city"])
    url = reverse("case-transition", args=[world.case_north.pk])
    for data in ({}, {"action": "withdraw", "version": "abc"}, {"action": "withdraw", "version": 1}):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
    assert client.get(url).status_code == 405


def test_withdraw_with_upload_through_the_page(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.users["city"])
    response = client.post(
        reverse("case-transition", args=[world.case_north.pk]),
        {
            "action": "withdraw",
            "version": 1,
            "reason": "企业已关停",
            "document": SimpleUploadedFile(
                "关停通知.pdf", b"%PDF-1.4 notice", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    world.case_north.refresh_from_db()
    assert world.case_north.state == "withdrawn"
    doc = world.case_north.documents.get(kind="withdrawal")
    assert doc.original_name == "关停通知.pdf" and len(doc.sha256) == 64 and len(doc.sm3) == 64


def test_csrf_is_enforced(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["enterprise"])
    response = client.post(
        reverse("case-transition", args=[world.case_north.pk]), {"action": "disclose", "version": 1}
    )
    assert response.status_code == 403
    world.case_north.refresh_from_db()
    assert world.case_north.state == "listed"


def test_chinese_by_default_english_on_request(world, client_for):
    client = client_for(world.users["city"])
    zh = client.get(reverse("case-list")).content.decode()
    assert "审核" in zh and 'lang="zh-hans"' in zh
    en = client.get(reverse("case-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Audit cases" in en and 'lang="en"' in en


def test_enterprise_edit_keeps_the_former_name(world, client_for):
    client = client_for(world.users["district"])
    url = reverse("enterprise-edit", args=[world.ent_north.pk])
    data = {
        "name": "北区新材料有限公司",
        "industry": world.ent_north.industry_id,
        "permit_number": "",
        "legal_representative": "",
        "address": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
    }
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("enterprise-detail", args=[world.ent_north.pk])).content.decode()
    assert "北区新材料有限公司" in page and "北区化工有限公司" in page
    # Searching by the former name still finds it.
    assert "北区新材料有限公司" in client.get(reverse("enterprise-list"), {"q": "北区化工"}).content.decode()


def test_enterprise_create_checks_the_code(world, client_for):
    client = client_for(world.users["district"])
    data = {"uscc": "91110108551385082A", "jurisdiction": world.north.pk, "name": "新企业有限公司"}
    response = client.post(reverse("enterprise-create"), data)
    assert response.status_code == 200 and "Q" in response.content.decode()
    data["uscc"] = "９１１１０１０８５５１３８５０８２ｑ"  # full width, lower case: normalised
    assert client.post(reverse("enterprise-create"), data).status_code == 302
    assert client.post(reverse("enterprise-create"), data).status_code == 200  # duplicate: a message
    data.update(uscc="91512081MA62K0260E", jurisdiction=world.south.pk)  # another district: refused
    assert client.post(reverse("enterprise-create"), data).status_code == 200


def test_programme_page_add_and_publish(world, client_for):
    from qingshen.programmes import services as programme_services
    from tests import factories as f

    city = world.users["city"]
    programme = programme_services.programme_create(city=world.city, year=2027, actor=city)
    ent = f.enterprise(world.south)
    client = client_for(city)
    url = reverse("listing-add", args=[programme.pk])
    assert client.post(url, {"enterprise": ent.pk, "grounds": ["energy"]}).status_code == 302
    listing = programme.listings.get()
    assert listing.lead_authority == "energy"
    f.confirm_list(programme, city_user=city, province_user=world.users["province"])
    response = client.post(reverse("programme-publish", args=[programme.pk]), {"published_on": "2026-01-05"})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.list_state == "published" and programme.cases.count() == 1
    # A district may not publish.
    assert (
        client_for(world.users["district"])
        .post(reverse("programme-publish", args=[programme.pk]), {"published_on": "2026-01-05"})
        .status_code
        == 302
    )


def test_publish_date_field_renders_an_iso_value_in_chinese(world, client_for):
    """<input type=date> only takes YYYY-MM-DD; the zh-hans input format would blank it."""
    from django.utils import timezone

    from qingshen.programmes import listings as programme_listings
    from qingshen.programmes import services as programme_services
    from tests import factories as f

    programme = programme_services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    programme_listings.listing_add(
        programme=programme, enterprise=world.ent_north, grounds=["emissions"], actor=world.users["city"]
    )
    f.confirm_list(programme, city_user=world.users["city"], province_user=world.users["province"])
    page = (
        client_for(world.users["city"]).get(reverse("programme-detail", args=[programme.pk])).content.decode()
    )
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page
