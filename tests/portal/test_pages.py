"""Every portal page per role: 200 where allowed, 404 otherwise (never 403 or 500)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts.models import Invitation
from tests import factories as f
from tests.web.test_pages import ROLES

CASE_READERS = {"province", "city", "district", "supervisor", "enterprise"}


def pages(world):
    case = world.case_north.pk
    return {
        "portal-home": (reverse("portal-home"), {"enterprise", "agency"}),
        "portal-colleagues": (reverse("portal-colleagues"), {"enterprise"}),
        "case-disclosure": (reverse("case-disclosure", args=[case]), CASE_READERS),
        "case-documents": (reverse("case-documents", args=[case]), CASE_READERS),
        "case-options": (reverse("case-options", args=[case]), CASE_READERS),
        "case-option-template": (reverse("case-option-template", args=[case]), CASE_READERS),
        "case-delegations": (reverse("case-delegations", args=[case]), CASE_READERS),
        "enterprise-invitation": (
            reverse("enterprise-invitation", args=[world.ent_north.pk]),
            {"city", "district"},
        ),
        "public-disclosures": (reverse("public-disclosures"), set(ROLES)),
    }


@pytest.mark.parametrize("role", ROLES)
def test_portal_pages_per_role(world, client_for, role):
    client = client_for(world.users[role])
    for name, (url, allowed) in pages(world).items():
        status = client.get(url).status_code
        assert status == (200 if role in allowed else 404), (name, role, status)


@pytest.mark.parametrize("role", ROLES)
def test_portal_writes_per_role(world, client_for, role):
    """POSTs to the enterprise-side pages: only the enterprise gets past scoping (the agency has no
    delegation in this world)."""
    client = client_for(world.users[role])
    case = world.case_north.pk
    for url in (
        reverse("case-disclosure", args=[case]),
        reverse("case-documents", args=[case]),
        reverse("case-options", args=[case]),
        reverse("case-option-import", args=[case]),
        reverse("case-delegations", args=[case]),
    ):
        status = client.post(url, {}).status_code
        if role == "enterprise":
            assert status in (200, 302), (url, status)
        else:
            assert status == 404, (url, role, status)


def test_anonymous_is_sent_to_login_except_public_pages(world, client):
    for name, (url, _allowed) in pages(world).items():
        response = client.get(url)
        if name == "public-disclosures":
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and reverse("login") in response["Location"], name


def test_enterprise_home_shows_stage_next_step_deadline_checklist_history(world, client_for):
    from django.core.files.base import ContentFile

    from qingshen.cases.documents import document_store

    client = client_for(world.users["enterprise"])
    page = client.get(reverse("home")).content.decode()  # the enterprise's home is the portal page
    case = world.case_north
    assert f'id="case-{case.pk}"' in page and 'data-state="listed"' in page
    assert 'id="go-disclosure"' in page
    assert case.deadlines.get(kind="disclosure").due_on.strftime("%Y-%m-%d") in page
    assert 'data-kind="disclosure_proof"' in page
    # After the disclosure, the next step and its checklist change.
    case = f.walk(case, "auditing", city_user=world.users["city"], enterprise_user=world.users["enterprise"])
    document_store(case=case, kind="audit_report", upload=ContentFile(b"%PDF-1.4 r", name="报告.pdf"),
                   actor=world.users["enterprise"])  # fmt: skip
    page = client.get(reverse("portal-home")).content.decode()
    assert 'data-state="auditing"' in page and 'data-kind="audit_report"' in page
    assert "报告.pdf" in page and 'data-kind="technical_evidence"' in page
    assert "case.transition.start_audit" in page or "start_audit" in page or page.count("<li>") >= 2


def test_overdue_shows_in_red(world, client_for):
    import datetime

    from qingshen.cases.models import CaseDeadline

    CaseDeadline.objects.filter(case=world.case_north, kind="disclosure").update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    page = client_for(world.users["enterprise"]).get(reverse("portal-home")).content.decode()
    assert 'class="overdue"' in page  # red (qingshen.css)


def test_portal_home_query_count_does_not_grow_with_history(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users["enterprise"])
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("portal-home"))
    f.walk(
        world.case_north,
        "implementing",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    assert len(small.captured_queries) >= 5
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("portal-home"))


def test_documents_page_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    from django.core.files.base import ContentFile

    from qingshen.cases.documents import document_store

    client = client_for(world.users["enterprise"])
    url = reverse("case-documents", args=[world.case_north.pk])
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for n in range(6):
        document_store(case=world.case_north, kind="photo" if n % 2 else "other",
                       upload=ContentFile(b"%PDF-1.4 " + bytes([n]), name=f"{n}.pdf"),
                       actor=world.users["enterprise"])  # fmt: skip
    assert len(small.captured_queries) >= 3
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_options_page_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    from decimal import Decimal

    from qingshen.cases import options

    client = client_for(world.users["city"])
    url = reverse("case-options", args=[world.case_north.pk])

    def rows_from(start, count):
        return [
        options.OptionData(code=f"F{i}", name="方案", cost_class="low", investment=Decimal(1),
                           planned_on=world.case_north.published_on, benefits={"economic": (Decimal(1), None)})
        for i in range(start, start + count)
    ]  # fmt: skip

    options.options_save(case=world.case_north, actor=world.users["enterprise"], rows=rows_from(0, 1))
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    options.options_save(case=world.case_north, actor=world.users["enterprise"], rows=rows_from(1, 6))
    assert len(small.captured_queries) >= 3
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_invitation_page_is_public_but_only_for_a_valid_token(world, client):
    ent = f.enterprise(world.north)
    from qingshen.accounts.invitations import enterprise_account_ensure

    enterprise_account_ensure(enterprise=ent, actor=world.users["city"])
    token = Invitation.objects.get(user__enterprise=ent).token
    assert client.get(reverse("invitation-accept", args=[token])).status_code == 200
    assert client.get(reverse("invitation-accept", args=[token[:-1] + "x"])).status_code == 404


def test_revoking_with_a_bad_id_is_404_not_500(world, client_for):
    from django.urls import reverse

    response = client_for(world.users["enterprise"]).post(
        reverse("case-delegations", args=[world.case_north.pk]), {"revoke": "abc"}
    )
    assert response.status_code == 404
