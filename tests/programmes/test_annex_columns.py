"""附件1 and 附件2 carry what the notice's tables have: industry name, lead authority, the notice's number
and issuer, the acceptance cut-off; the evaluation pass date, acceptance deadline, agency and why unfinished."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from qingshen.cases.models import CaseDeadline
from qingshen.cases.services import delegation_create
from qingshen.programmes import listings, services
from qingshen.programmes.models import Milestone
from tests import factories as f


def _sheet(response):
    assert response.status_code == 200
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def _draft(world):
    city = world.users["city"]
    programme = services.programme_create(
        city=world.city,
        year=2027,
        actor=city,
        document_number="渝环办〔2027〕3号",
        issuing_body="某市生态环境局",
        issued_on=datetime.date(2027, 1, 20),
    )
    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.ACCEPTANCES_DONE,
        name="完成验收",
        due_on=datetime.date(2027, 11, 30),
    )
    return programme


def test_annex1_names_the_industry_lead_authority_and_the_notice(world, client_for):
    programme = _draft(world)
    listings.listing_add(
        programme=programme,
        enterprise=f.enterprise(world.north),
        grounds=["energy"],
        actor=world.users["city"],
    )
    sheet = _sheet(client_for(world.users["city"]).get(reverse("export-annual", args=[programme.pk])))
    assert (
        "渝环办〔2027〕3号" in sheet[1][0] and "某市生态环境局" in sheet[1][0] and "2027-11-30" in sheet[1][0]
    )
    headers = sheet[2]
    assert "行业名称" in headers and "牵头部门" in headers
    row = sheet[3]
    listing = programme.listings.get()
    assert row[headers.index("行业名称")] == (
        listing.enterprise.industry.name if listing.enterprise.industry_id else ""
    )
    assert row[headers.index("牵头部门")] == str(listing.get_lead_authority_display())


def test_annex2_has_pass_date_deadline_agency_reason_and_as_of(world, client_for):
    programme = _draft(world)
    city = world.users["city"]
    f.walk(world.case_north, "implementing", city_user=city, enterprise_user=world.users["enterprise"])
    delegation_create(
        case=world.case_north,
        agency=world.agency,
        actor=world.users["enterprise"],
        starts_on=world.case_north.published_on,
    )
    sheet = _sheet(client_for(city).get(reverse("export-carry-over", args=[programme.pk])))
    assert f"{timezone.localdate():%Y-%m-%d}" in sheet[1][0]  # as of
    headers = sheet[2]
    rows = {r[headers.index("企业名称")]: r for r in sheet[3:]}
    north = rows[world.ent_north.name]
    world.case_north.refresh_from_db()
    due = CaseDeadline.objects.get(case=world.case_north, kind=CaseDeadline.Kind.ACCEPTANCE_APPLY).due_on
    assert north[headers.index("评估通过日期")] == world.case_north.evaluation_passed_on.isoformat()
    assert north[headers.index("验收期限")] == due.isoformat()
    assert north[headers.index("咨询服务机构")] == world.agency.name
    assert north[headers.index("未完成原因")]
    south = rows[world.ent_south.name]
    assert south[headers.index("评估通过日期")] == "" and south[headers.index("咨询服务机构")] == ""
