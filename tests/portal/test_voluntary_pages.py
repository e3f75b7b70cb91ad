"""A voluntary audit through the pages: the enterprise registers it on the portal, its bureau sees and
acknowledges it, it applies for evaluation and acceptance, the panels pass it and the city publishes it;
others are refused (404); every figure shows it apart from the mandatory cases."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingshen.cases.kinds import CaseKind
from qingshen.cases.models import AuditCase, Document
from qingshen.demo import walk
from qingshen.reviews import selectors as review_selectors
from tests import factories as f


@pytest.fixture
def volunteer(world):
    return f.enterprise_user(f.enterprise(world.north, "北区自愿审核纺织有限公司"))


def _apply_data(case, kind):
    data = {}
    for item in review_selectors.checklist_for(kind):
        if item.document_kind in Document.ISSUED_KINDS:
            held = case.documents.filter(kind=item.document_kind, superseded_by__isnull=True).first()
            if held is not None:
                data[f"existing_{item.code}"] = held.pk
                continue
        data[f"item_{item.code}"] = SimpleUploadedFile(
            f"{item.code}.pdf", b"%PDF-1.4 " + item.code.encode(), "application/pdf"
        )
    return data


def _case(pk):
    return AuditCase.objects.get(pk=pk)


def _register(client_for, volunteer) -> AuditCase:
    client = client_for(volunteer)
    assert 'id="go-voluntary"' in client.get(reverse("portal-home")).content.decode()
    assert client.get(reverse("portal-voluntary")).status_code == 200
    response = client.post(reverse("portal-voluntary"))
    case = AuditCase.objects.get(kind=CaseKind.VOLUNTARY)
    assert response.status_code == 302 and response.url.endswith(f"#case-{case.pk}")
    return case


def test_registration_page_refuses_everyone_but_an_enterprise(world, client_for, volunteer):
    for role in ("city", "district", "province", "agency", "expert", "supervisor", "sysadmin"):
        client = client_for(world.users[role])
        assert client.get(reverse("portal-voluntary")).status_code == 404, role
        assert client.post(reverse("portal-voluntary")).status_code == 404, role
    assert not AuditCase.objects.filter(kind=CaseKind.VOLUNTARY).exists()
    # A listed enterprise is told why, and nothing is written.
    response = client_for(world.users["enterprise"]).post(reverse("portal-voluntary"))
    assert response.status_code == 400 and 'id="refusal"' in response.content.decode()
    assert not AuditCase.objects.filter(kind=CaseKind.VOLUNTARY).exists()


def test_the_whole_voluntary_lifecycle_through_the_pages(world, client_for, volunteer):
    case = _register(client_for, volunteer)
    home = client_for(volunteer).get(reverse("portal-home")).content.decode()
    assert f'id="case-{case.pk}"' in home and 'data-kind="voluntary"' in home
    # Others are refused: another enterprise, the other district; no disclosure for a voluntary audit.
    for user in (world.users["enterprise_south"], world.users["enterprise"], world.users["district_south"]):
        assert client_for(user).get(reverse("case-detail", args=[case.pk])).status_code == 404
    assert client_for(volunteer).get(reverse("case-disclosure", args=[case.pk])).status_code == 404
    assert (
        client_for(world.users["district_south"])
        .post(reverse("case-acknowledge", args=[case.pk]))
        .status_code
        == 404
    )
    assert _case(case.pk).acknowledged_on is None

    # The bureau of its jurisdiction sees it and acknowledges it.
    staff = client_for(world.users["district"])
    page = staff.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'id="voluntary-registration"' in page and 'id="acknowledge"' in page
    assert staff.post(reverse("case-acknowledge", args=[case.pk])).status_code == 302
    assert _case(case.pk).acknowledged_by == world.users["district"]
    assert 'id="acknowledge"' not in staff.get(reverse("case-detail", args=[case.pk])).content.decode()

    # The enterprise submits its report and applies for evaluation when it is ready.
    client = client_for(volunteer)
    f.report_ready(case, volunteer)
    client.post(
        reverse("case-transition", args=[case.pk]),
        {"action": "submit_report", "version": _case(case.pk).version},
    )
    assert _case(case.pk).state == "report_submitted"
    response = client.post(
        reverse("review-apply", args=[case.pk, "evaluation"]), _apply_data(case, "evaluation")
    )
    assert response.status_code == 302 and _case(case.pk).state == "evaluation_applied"
    evaluation = walk.open_review(_case(case.pk), "evaluation")
    city = client_for(world.users["city"])
    assert city.post(reverse("review-check", args=[evaluation.pk]), {"decision": "accept"}).status_code == 302
    assert _case(case.pk).state == "evaluating"
    walk.panel_conclude(
        review=evaluation, passed=True, city_user=world.users["city"], day=evaluation.applied_on
    )
    assert _case(case.pk).state == "implementing"

    client = client_for(volunteer)
    f.targets_met(_case(case.pk), volunteer)
    response = client.post(
        reverse("review-apply", args=[case.pk, "acceptance"]), _apply_data(case, "acceptance")
    )
    assert response.status_code == 302 and _case(case.pk).state == "acceptance_applied"
    acceptance = walk.open_review(_case(case.pk), "acceptance")
    city = client_for(world.users["city"])
    assert city.post(reverse("review-check", args=[acceptance.pk]), {"decision": "accept"}).status_code == 302
    walk.panel_conclude(
        review=acceptance, passed=True, city_user=world.users["city"], day=acceptance.applied_on, level="I"
    )
    assert _case(case.pk).state == "accepted" and _case(case.pk).level == "I"
    city.post(
        reverse("case-transition", args=[case.pk]),
        {"action": "publish_result", "version": _case(case.pk).version},
    )
    assert _case(case.pk).state == "published"

    # Recognised like a mandatory audit, published among the voluntary results only.
    client.logout()
    voluntary = client.get(reverse("public-results"), {"kind": "voluntary"}).content.decode()
    mandatory = client.get(reverse("public-results")).content.decode()
    assert f'data-case="{case.pk}"' in voluntary and 'data-kind="voluntary"' in voluntary
    assert f'data-case="{case.pk}"' not in mandatory
    found = client.get(reverse("public-search"), {"q": "自愿审核"}).content.decode()
    assert f'data-case="{case.pk}"' in found
    listed = client.get(reverse("public-list", args=[world.programme.pk])).content.decode()
    assert f'data-case="{case.pk}"' not in listed


def _cell(html: str, table_id: str, key: str, row: str = 'data-row="total"') -> str:
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    keys = re.findall(r'<th data-key="([^"]+)"', table)
    total = table[table.index(row) :]
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', total)
    return cells[keys.index(key)].strip()


def test_figures_keep_voluntary_apart(world, client_for, volunteer):
    case = _register(client_for, volunteer)
    city = client_for(world.users["city"])
    summary = city.get(reverse("summary-page", args=[world.programme.pk])).content.decode()
    assert _cell(summary, "summary-table", "listed") == "2"  # the two listed cases only
    assert _cell(summary, "voluntary-table", "listed") == "1"
    assert _cell(summary, "voluntary-table", "reports") == "0"

    board = city.get(reverse("dashboard")).content.decode()
    assert re.search(r'data-headline="listed">\s*2\s*<', board)
    board = city.get(reverse("dashboard"), {"kind": "voluntary"}).content.decode()
    assert re.search(r'data-headline="listed">\s*1\s*<', board)

    only = city.get(reverse("case-list"), {"kind": "voluntary"}).content.decode()
    assert reverse("case-detail", args=[case.pk]) in only
    assert reverse("case-detail", args=[world.case_north.pk]) not in only
    mandatory = city.get(reverse("case-list"), {"kind": "mandatory"}).content.decode()
    assert reverse("case-detail", args=[case.pk]) not in mandatory
    programmes = city.get(reverse("programme-list")).content.decode()
    assert 'data-voluntary="1"' in programmes
