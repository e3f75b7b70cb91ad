"""The expert pool, agencies and review settings pages per role: the city imports experts (all or
nothing, row by row), deactivates them, sets the rules; agencies record their staff; list pages keep
their query counts."""

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingshen.demo import walk
from qingshen.registry.models import AgencyStaff
from qingshen.reviews import selectors
from qingshen.reviews.models import Expert
from qingshen.reviews.services.configuration import rubric_version_create
from qingshen.reviews.services.draw import panel_draw
from tests import factories as f
from tests.reviews.forms_html import field_errors
from tests.reviews.roles import ROLES


def test_expert_and_agency_pages_per_role(world, client_for):
    AgencyStaff.objects.create(agency=world.agency, name="审核师甲", certificate_no="CP-1")
    other = f.agency("别家咨询公司")
    for role in ROLES:
        client = client_for(world.users[role])
        experts = client.get(reverse("expert-list")).status_code
        readers = {"province", "city", "district", "district_south", "supervisor"}  # districts read-only
        assert experts == (200 if role in readers else 404), (role, experts)
        imp = client.get(reverse("expert-import")).status_code
        assert imp == (200 if role == "city" else 404), (role, imp)
        agencies = client.get(reverse("agency-list")).status_code
        assert agencies == (
            200 if role in {"province", "city", "district", "district_south", "supervisor", "agency"} else 404
        )
        own = client.get(reverse("agency-detail", args=[world.agency.pk])).status_code
        assert own == agencies, role
        theirs = client.get(reverse("agency-detail", args=[other.pk])).status_code
        assert theirs == (404 if role == "agency" else agencies), role
    page = (
        client_for(world.users["agency"])
        .get(reverse("agency-detail", args=[world.agency.pk]))
        .content.decode()
    )
    assert "CP-1" in page


def _xlsx(rows) -> SimpleUploadedFile:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return SimpleUploadedFile("experts.xlsx", out.getvalue())


HEADER = [
    "姓名",
    "行业代码",
    "专业领域",
    "工作单位",
    "单位统一社会信用代码",
    "职称",
    "培训证书编号",
    "登录名",
]


def test_expert_import_all_or_nothing(world, client_for):
    client = client_for(world.users["city"])
    good = ["赵工", "26,33", "工艺、审核", "重庆大学", world.agency.uscc, "教授", "CP-77", "zhaogong"]
    bad = ["钱工", "99", "化学", "某单位", "91350100M000100Y4Z", "", "CP-78", ""]
    page = client.post(reverse("expert-import"), {"file": _xlsx([HEADER, good, bad])}).content.decode()
    assert not Expert.objects.exists() and 'id="import-report"' in page and "99" in page
    client.post(reverse("expert-import"), {"file": _xlsx([HEADER, good])})
    expert = Expert.objects.get()
    assert expert.user.username == "zhaogong" and expert.fields == ["process", "audit"]
    assert sorted(expert.specialties.values_list("code", flat=True)) == ["26", "33"]
    assert expert.employer_uscc == world.agency.uscc
    junk = client.post(reverse("expert-import"), {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert junk.status_code == 200 and Expert.objects.count() == 1


def test_list_pages_query_counts_do_not_grow(world, client_for, django_assert_max_num_queries, accepted):
    city = client_for(world.users["city"])
    pages = [reverse("review-list"), reverse("expert-list"), reverse("agency-list")]
    small = {}
    for url in pages:
        with django_assert_max_num_queries(20) as q:
            assert city.get(url).status_code == 200
        small[url] = len(q.captured_queries)
    panel = panel_draw(review_id=accepted.pk, actor=world.users["city"])
    for n in range(10):
        f.expert(f"新专家{n}")
        f.agency(f"新咨询{n}")
    f.walk(
        world.case_south,
        "evaluation_applied",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise_south"],
    )
    for url in pages:
        with django_assert_max_num_queries(small[url]):
            city.get(url)
    expert_user = panel.seats.first().expert.user
    expert_client = client_for(expert_user)  # logging in is not the page's cost
    with django_assert_max_num_queries(12) as q:
        expert_client.get(reverse("expert-portal"))
    assert len(q.captured_queries) >= 3


def test_settings_page_per_role_and_edits(world, client_for):
    from qingshen.reviews.models import ChecklistItem, Rubric

    for role in ROLES:
        status = client_for(world.users[role]).get(reverse("review-settings")).status_code
        assert status == (200 if role == "city" else 404), role
        if role != "city":
            client_for(world.users[role]).post(
                reverse("review-settings"), {"op": "checklist_add", "kind": "evaluation", "name": "x"}
            )
    assert not ChecklistItem.objects.filter(name="x").exists()
    client = client_for(world.users["city"])
    page = client.get(reverse("review-settings")).content.decode()
    assert "否决 | 否决项 |" in page
    client.post(
        reverse("review-settings"),
        {"op": "checklist_add", "kind": "evaluation", "name": "排污许可证副本", "required": "on"},
    )
    item = ChecklistItem.objects.get(name="排污许可证副本")
    assert item.required and item.kind == "evaluation"
    client.post(reverse("review-settings"), {"op": "checklist_update", "item": item.pk, "is_active": "on"})
    item.refresh_from_db()
    assert not item.required and item.is_active
    old = Rubric.objects.get(kind="evaluation", is_active=True)
    bad = {
        "op": "rubric_version",
        "kind": "evaluation",
        "lines": "评分 | a | b | x | 1",
        "pass_mark": "70",
        "pass_mark_source": "s",
    }
    response = client.post(reverse("review-settings"), bad)
    # The faulty lines are named beside the rubric's text, in the evaluation's form; nothing is saved.
    lines_errors = field_errors(response, "rubric-form-evaluation", "lines")
    assert response.status_code == 200 and any("1" in e for e in lines_errors), lines_errors
    assert Rubric.objects.filter(kind="evaluation").count() == 1
    good = dict(
        bad,
        lines="否决 | 否决项 | 造假 | 0 | 1\n评分 | 报告 | 规范 | 60 | 1\n评分 | 方案 | 可行 | 40 | 1.5",
        pass_mark="75",
    )
    client.post(reverse("review-settings"), good)
    new = Rubric.objects.get(kind="evaluation", is_active=True)
    assert new.version == old.version + 1 and new.pass_mark == 75 and new.items.count() == 3
    assert not Rubric.objects.get(pk=old.pk).is_active


def test_city_pins_a_conflict_from_the_review_page(world, client_for, accepted):
    expert = walk.expert_pool_ensure(industry=accepted.case.enterprise.industry, count=6)[0]
    url = reverse("conflict-pin", args=[accepted.pk])
    assert (
        client_for(world.users["enterprise_south"])
        .post(url, {"expert": expert.pk, "reason": "x"})
        .status_code
        == 404
    )
    assert (
        client_for(world.users["district"]).post(url, {"expert": expert.pk, "reason": "x"}).status_code == 404
    )
    client = client_for(world.users["city"])
    client.post(url, {"expert": expert.pk, "reason": " "})
    client.post(url, {"expert": "abc", "reason": "x"})
    assert expert in selectors.conflict_check(review=accepted).eligible
    client.post(url, {"expert": expert.pk, "reason": "与企业负责人为亲属"})
    assert selectors.conflict_check(review=accepted).exclusions[expert.pk] == [
        ("pinned", "与企业负责人为亲属")
    ]


def test_city_deactivates_an_expert(world, client_for):
    expert = f.expert("甲")
    url = reverse("expert-active", args=[expert.pk])
    for role in ("province", "supervisor", "expert", "enterprise"):
        assert client_for(world.users[role]).post(url, {}).status_code == 404, role
    assert Expert.objects.get(pk=expert.pk).is_active
    client_for(world.users["city"]).post(url, {})
    assert not Expert.objects.get(pk=expert.pk).is_active
    assert client_for(world.users["city"]).post(reverse("expert-active", args=[99999]), {}).status_code == 404


def test_agency_records_its_staff(world, client_for):
    other = f.agency("别家咨询公司")
    url = reverse("agency-staff-add", args=[world.agency.pk])
    assert client_for(world.users["enterprise"]).post(url, {"name": "x"}).status_code == 404
    assert (
        client_for(world.users["agency"])
        .post(reverse("agency-staff-add", args=[other.pk]), {"name": "x"})
        .status_code
        == 404
    )
    client_for(world.users["district"]).post(url, {"name": "x"})  # sees agencies, may not edit them
    assert not AgencyStaff.objects.exists()
    client_for(world.users["agency"]).post(
        url, {"name": "审核师乙", "role": "审核师", "certificate_no": "CP-42"}
    )
    assert AgencyStaff.objects.get().certificate_no == "CP-42"
    assert (
        'id="staff-form"'
        in client_for(world.users["agency"])
        .get(reverse("agency-detail", args=[world.agency.pk]))
        .content.decode()
    )


def test_expert_import_reports_bad_and_repeated_logins_per_row(world, client_for):
    client = client_for(world.users["city"])
    one = ["孙工", "26", "工艺", "某大学", "", "教授", "CP-81", "sungong"]
    twice = ["李工", "26", "审核", "某大学", "", "教授", "CP-82", "sungong"]  # same login in the file
    bad = ["周工", "26", "审核", "某大学", "", "教授", "CP-83", "not a login!"]
    page = client.post(reverse("expert-import"), {"file": _xlsx([HEADER, one, twice, bad])})
    assert page.status_code == 200 and not Expert.objects.exists()
    text = page.content.decode()
    assert "sungong" in text and "not a login!" in text
    # A program renamed .xlsx is refused by content, nothing written.
    exe = client.post(reverse("expert-import"), {"file": SimpleUploadedFile("e.xlsx", b"MZ\x90\x00" * 64)})
    assert exe.status_code == 200 and not Expert.objects.exists()


def test_rubric_numbers_beyond_their_columns_are_refused(world):
    from qingshen.reviews.errors import ReviewRefused

    with pytest.raises(ReviewRefused):
        rubric_version_create(
            actor=world.users["city"],
            kind="evaluation",
            name="v9",
            lines="评分|报告|审核报告规范|99999999|1",
            pass_mark="70",
            pass_mark_source="测试",
            bonus_max="0",
        )
