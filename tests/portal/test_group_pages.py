"""A group audit in the portal: the lead (a park management committee) sees its group, members and
documents, uploads and submits the group's report and is sent to the evaluation application; a member
enterprise reads the group and its documents and acts on nothing; anyone else gets a 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingshen.cases import groups
from qingshen.cases.models import AuditCase, Document
from qingshen.demo.case_walk import PATHS, walk_case
from qingshen.programmes import groups as programme_groups
from qingshen.trail.models import Event
from tests import factories as f


@pytest.fixture
def group(world):
    lead = f.enterprise(world.zone, "高新区管理委员会")
    group = programme_groups.group_open(
        programme=world.programme,
        lead=lead,
        lead_kind="park",
        name="高新区整体审核",
        actor=world.users["city"],
    )
    groups.group_member_add(group_id=group.pk, enterprise=world.ent_north, actor=world.users["city"])
    group.lead_user = f.enterprise_user(lead)
    walk_case(
        group.case,
        PATHS["auditing"],
        city_user=world.users["city"],
        enterprise_user=group.lead_user,
        start=group.case.published_on,
    )
    group.case.refresh_from_db()
    return group


def _pdf(name="整体审核报告.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% group report\n", content_type="application/pdf")


def test_the_lead_uploads_and_submits_the_group_report_then_applies(world, group, client_for):
    lead = client_for(group.lead_user)
    home = lead.get(reverse("portal-home")).content.decode()
    page_url = reverse("portal-group", args=[group.pk])
    assert f'href="{page_url}"' in home
    page = lead.get(page_url).content.decode()
    assert 'id="group-report-form"' in page and world.ent_north.name in page
    assert 'data-state="auditing"' in page  # the member's own listed case, in its state

    # No file: a clear refusal, nothing stored.
    refused = lead.post(page_url, {"upload": "1", "version": group.case.version})
    assert (
        refused.status_code == 400
        and not Document.objects.filter(case=group.case, kind="audit_report").exists()
    )

    assert lead.post(page_url, {"upload": "1", "file": _pdf()}).status_code == 302
    report = Document.objects.get(case=group.case, kind=Document.Kind.AUDIT_REPORT)
    assert report.uploaded_by == group.lead_user
    # The report goes with the group's audit focus and a target, entered on the case's targets page.
    case = AuditCase.objects.get(pk=group.case_id)
    early = lead.post(page_url, {"submit": "1", "version": case.version})
    assert early.status_code == 400 and AuditCase.objects.get(pk=group.case_id).state == "auditing"
    targets_url = reverse("case-targets", args=[group.case_id])
    assert f'href="{targets_url}"' in lead.get(page_url).content.decode()
    assert lead.post(targets_url, {"form": "focus", "audit_focus": "园区集中供热"}).status_code == 302
    target = {"form": "target", "name": "单位产品综合能耗", "unit": "kgce/t", "direction": "lower",
              "baseline": "120", "target_value": "108", "target_year": str(case.programme.year)}  # fmt: skip
    assert lead.post(targets_url, target).status_code == 302
    case = AuditCase.objects.get(pk=group.case_id)
    submitted = lead.post(page_url, {"submit": "1", "version": case.version})
    assert submitted.status_code == 302
    assert AuditCase.objects.get(pk=group.case_id).state == "report_submitted"
    assert Event.objects.filter(action="case.transition.submit_report", object_id=str(group.case_id)).exists()
    page = lead.get(page_url).content.decode()
    assert 'id="group-report-form"' not in page
    assert f'href="{reverse("review-apply", args=[group.case_id, "evaluation"])}"' in page
    assert lead.get(reverse("review-apply", args=[group.case_id, "evaluation"])).status_code == 200
    assert lead.post(page_url, {"upload": "1", "file": _pdf()}).status_code == 404  # no step now


def test_a_member_reads_the_group_and_others_get_404(world, group, client_for):
    lead = client_for(group.lead_user)
    lead.post(reverse("portal-group", args=[group.pk]), {"upload": "1", "file": _pdf()})
    report = Document.objects.get(case=group.case, kind="audit_report")
    page_url = reverse("portal-group", args=[group.pk])
    download = reverse("portal-group-document", args=[group.pk, report.pk])

    member = client_for(world.users["enterprise"])  # world.ent_north's account
    assert f'href="{page_url}"' in member.get(reverse("portal-home")).content.decode()
    page = member.get(page_url).content.decode()
    assert 'id="group-read-only"' in page and 'id="group-report-form"' not in page
    assert f'href="{download}"' in page
    response = member.get(download)
    assert response.status_code == 200 and b"group report" in b"".join(response.streaming_content)
    assert member.post(page_url, {"upload": "1", "file": _pdf("成员.pdf")}).status_code == 404
    assert Document.objects.filter(case=group.case, kind="audit_report").count() == 1
    assert member.get(reverse("case-detail", args=[group.case_id])).status_code == 404  # not its case

    for role in ("enterprise_south", "agency", "city", "district", "expert"):
        client = client_for(world.users[role])
        assert client.get(page_url).status_code == 404, role
        assert client.get(download).status_code == 404, role
        assert client.post(page_url, {"upload": "1", "file": _pdf()}).status_code == 404, role
    # A removed member no longer sees the group.
    groups.group_member_remove(member_id=group.members.get().pk, actor=world.users["city"])
    assert client_for(world.users["enterprise"]).get(page_url).status_code == 404
