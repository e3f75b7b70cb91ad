"""History import (issue 16): earlier years' rounds from a bureau's spreadsheet, each case in the state
its dates imply, contradictions refused with their row, a re-import that changes nothing, no warning
or accountability for what fell due before the system. Run this file on PostgreSQL too."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from qingshen.cases.models import AuditCase, CaseDeadline, Delegation
from qingshen.demo.world import make_uscc
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.history import batches
from qingshen.programmes.history.columns import HEADERS
from qingshen.programmes.models import HistoryBatch, Programme
from qingshen.trail import chain
from qingshen.trail.models import Event
from tests.programmes import sheets

KEYS = list(HEADERS)


def code(n):
    return make_uscc("500112", 800000 + n)


def row(n, year=2021, **values):
    base = {
        "year": str(year),
        "seq": str(n),
        "district": "北区",
        "name": f"历史企业{n}有限公司",
        "uscc": code(n),
        "industry": "2614",
        "grounds": "双有",
        "published_on": f"{year}-02-08",
    }
    return [{**base, **values}.get(k, "") for k in KEYS]


def history_file(rows) -> bytes:
    return sheets.xlsx(rows, header=[HEADERS[k] for k in KEYS])


@pytest.fixture
def imported(django_capture_on_commit_callbacks):
    """Upload, check and (when the check passed and `commit`) import, as the background jobs would."""

    def run(data, *, actor, name="history.xlsx", commit=True):
        with django_capture_on_commit_callbacks(execute=True):
            batch = batches.history_batch_create(upload=SimpleUploadedFile(name, data), actor=actor)
        batch.refresh_from_db()
        if commit and batch.status == HistoryBatch.Status.READY:
            with django_capture_on_commit_callbacks(execute=True):
                batches.history_batch_commit_request(batch=batch, actor=actor)
            batch.refresh_from_db()
        return batch

    return run


STATES = [
    ({}, "listed"),
    ({"disclosed_on": "2021-03-01"}, "disclosed"),
    ({"disclosed_on": "2021-03-01", "audit_started_on": "2021-03-20"}, "auditing"),
    ({"audit_started_on": "2021-03-20", "report_submitted_on": "2021-12-01"}, "report_submitted"),
    (
        {"report_submitted_on": "2021-12-01", "evaluation": "不通过", "evaluation_on": "2022-01-10"},
        "auditing",
    ),
    (
        {"evaluation": "通过", "evaluation_on": "2022-01-10", "acceptance_due_on": "2027-06-30"},
        "implementing",
    ),
    (
        {
            "evaluation": "通过",
            "evaluation_on": "2022-01-10",
            "acceptance": "不合格",
            "acceptance_on": "2022-09-01",
        },
        "implementing",
    ),
    (
        {
            "evaluation": "通过",
            "evaluation_on": "2022-01-10",
            "acceptance": "合格",
            "acceptance_on": "2022-09-01",
        },
        "accepted",
    ),
    (
        {
            "evaluation": "通过",
            "evaluation_on": "2022-01-10",
            "acceptance": "合格",
            "acceptance_on": "2022-09-01",
            "level": "Ⅱ级",
            "result_published_on": "2022-10-01",
        },
        "published",
    ),
    (
        {"audit_started_on": "2021-03-20", "withdrawn_on": "2021-06-01", "withdrawn_reason": "企业关停"},
        "withdrawn",
    ),
]


def test_each_case_lands_in_the_state_its_dates_imply(world, imported):
    rows = [row(i, **values) for i, (values, _state) in enumerate(STATES)]
    rows[0][KEYS.index("agency")] = world.agency.name
    batch = imported(history_file(rows), actor=world.users["city"])
    assert batch.status == "committed", batch.errors
    assert batch.created_count == len(STATES)
    programme = Programme.objects.get(city=world.city, year=2021)
    assert programme.historical and programme.list_state == "published"
    for i, (_values, state) in enumerate(STATES):
        case = AuditCase.objects.get(enterprise__uscc=code(i), programme=programme)
        assert case.state == state, (i, case.state)
        assert case.history_sha256 == batch.sha256 and case.history_row == i + 2
        assert case.history_imported_on == timezone.localdate()
        events = Event.objects.filter(action="case.import.historical", object_id=str(case.pk))
        assert events.count() == 1
        assert events.get().after["sha256"] == batch.sha256 and events.get().after["sm3"] == batch.sm3
        assert events.get().after["row"] == i + 2
    published = AuditCase.objects.get(enterprise__uscc=code(8))
    assert published.level == "II" and published.accepted_on == datetime.date(2022, 9, 1)
    # Deadlines recomputed from the dates; a time limit set with the opinion replaces the rule's period.
    implementing = AuditCase.objects.get(enterprise__uscc=code(5))
    apply = implementing.deadlines.get(kind="acceptance_apply")
    assert apply.due_on == datetime.date(2027, 6, 30) and apply.status == "open"
    assert implementing.next_due_on == datetime.date(2027, 6, 30)
    listed = AuditCase.objects.get(enterprise__uscc=code(0))
    assert listed.deadlines.filter(kind="disclosure", status="open").exists()
    assert Delegation.objects.get(case=listed).agency == world.agency
    assert chain.verify().ok


CONTRADICTIONS = [
    (
        {
            "evaluation": "通过",
            "evaluation_on": "2022-05-01",
            "acceptance": "合格",
            "acceptance_on": "2022-03-01",
        },
        "验收日期",
    ),
    ({"disclosed_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()}, "信息公开日期"),
    ({"level": "Ⅰ级"}, "清洁生产水平"),
    ({"evaluation": "不通过", "evaluation_on": "2022-01-01", "level": "Ⅱ级"}, "清洁生产水平"),
    ({"acceptance": "合格", "acceptance_on": "2022-03-01"}, "验收结论"),
    ({"result_published_on": "2022-03-01"}, "结果公布日期"),
    ({"withdrawn_on": "2021-05-01"}, "撤销原因"),
    ({"evaluation": "通过"}, "评估日期"),
    ({"disclosed_on": "2021-01-01"}, "信息公开日期"),  # before the list was published
    ({"evaluation": "通过", "evaluation_on": "2022-05-01", "acceptance_due_on": "2022-01-01"}, "验收时限"),
    ({"audit_started_on": "2021-13-01"}, "审核开始日期"),
    ({"year": "2026"}, "年度"),  # run in the system
    ({"published_on": "2018-02-01"}, "名单公布日期"),
]


@pytest.mark.parametrize(("values", "column"), CONTRADICTIONS)
def test_each_contradiction_is_refused_with_its_row_and_nothing_is_written(world, imported, values, column):
    rows = [row(1), row(2, **values), row(3)]
    batch = imported(history_file(rows), actor=world.users["city"])
    assert batch.status == "invalid" and batch.rows == []
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, column)], batch.errors
    assert batch.errors[0]["fix"]
    assert not Programme.objects.filter(historical=True).exists()
    assert not AuditCase.objects.filter(history_sha256=batch.sha256).exists()


def test_importing_the_same_file_again_changes_nothing(world, imported):
    data = history_file([row(1), row(2, evaluation="通过", evaluation_on="2022-01-10"), row(3, year=2022)])
    first = imported(data, actor=world.users["city"])
    assert first.status == "committed" and first.created_count == 3

    def snapshot():
        return (
            list(AuditCase.objects.order_by("pk").values_list("pk", "state", "next_due_on")),
            CaseDeadline.objects.count(),
            Programme.objects.count(),
            Event.objects.filter(action="case.import.historical").count(),
        )

    before = snapshot()
    again = imported(data, actor=world.users["city"], name="again.xlsx")
    assert again.status == "committed" and again.created_count == 0
    assert again.skipped == [2, 3, 4]
    assert snapshot() == before
    # Another file with the same enterprise and year is refused: the case is in the system already.
    other = imported(history_file([row(1, grounds="双超")]), actor=world.users["city"], name="other.xlsx")
    assert other.status == "invalid" and other.errors[0]["column"] == "统一社会信用代码"


def test_nothing_that_fell_due_before_the_import_raises_a_warning_or_accountability(world, imported):
    from qingshen.cases.deadlines import deadlines_recompute
    from qingshen.oversight.models import AccountabilityRecord
    from qingshen.oversight.services import accountability_detect, warnings_record
    from qingshen.oversight.warning_models import Warning

    rows = [row(1), row(2, report_submitted_on="2021-12-01", evaluation="不通过", evaluation_on="2022-01-10")]
    assert imported(history_file(rows), actor=world.users["city"]).status == "committed"
    listed = AuditCase.objects.get(enterprise__uscc=code(1))
    assert listed.deadlines.filter(status="open", due_on__lt=timezone.localdate()).exists()
    # A bureau duty open since before the import (an application left unanswered in 2022) ...
    failed = AuditCase.objects.get(enterprise__uscc=code(2))
    AuditCase.objects.filter(pk=failed.pk).update(evaluation_applied_on=datetime.date(2022, 3, 1))
    failed.refresh_from_db()
    deadlines_recompute(failed)
    assert failed.deadlines.filter(kind="evaluation_review", status="open").exists()
    # ... and the same duty overdue on a case of the system (the control).
    live = world.case_north
    AuditCase.objects.filter(pk=live.pk).update(
        evaluation_applied_on=timezone.localdate() - datetime.timedelta(days=60)
    )
    live.refresh_from_db()
    deadlines_recompute(live)
    warnings_record()
    accountability_detect()
    assert not Warning.objects.filter(case__in=[listed, failed]).exists()
    assert not AccountabilityRecord.objects.filter(case=failed).exists()
    assert AccountabilityRecord.objects.filter(case=live).exists()
    assert Warning.objects.filter(case=live).exists()


def test_imported_unaccepted_cases_are_carried_over(world, imported):
    from qingshen.programmes.selectors import carry_over_cases

    rows = [
        row(1, year=2024, evaluation="通过", evaluation_on="2024-09-01"),
        row(2, year=2024, evaluation="不通过", evaluation_on="2024-09-01"),
        row(
            3,
            year=2024,
            evaluation="通过",
            evaluation_on="2024-09-01",
            acceptance="合格",
            acceptance_on="2025-03-01",
        ),
        row(4, year=2024, withdrawn_on="2024-05-01", withdrawn_reason="企业关停"),
    ]
    assert imported(history_file(rows), actor=world.users["city"]).status == "committed"
    carried = {
        c.enterprise.uscc: c for c in carry_over_cases(user=world.users["city"], programme=world.programme)
    }
    assert set(carried) == {code(1), code(2)}
    assert carried[code(2)].failed and carried[code(2)].relistable
    # The district sees only its own.
    assert {
        c.enterprise.uscc
        for c in carry_over_cases(user=world.users["district_south"], programme=world.programme)
    } == set()


def test_a_district_imports_only_its_own_enterprises(world, imported):
    rows = [row(1), row(2, district="南区")]
    batch = imported(history_file(rows), actor=world.users["district"])
    assert batch.status == "invalid" and [(e["row"], e["column"]) for e in batch.errors] == [(3, "区县")]


def test_public_results_and_enterprise_page_show_imported_rounds(world, imported, client):
    from qingshen.programmes.public_selectors import results_published

    rows = [
        row(
            1,
            uscc=world.ent_north.uscc,
            name=world.ent_north.name,
            evaluation="通过",
            evaluation_on="2022-01-10",
            acceptance="合格",
            acceptance_on="2022-09-01",
            level="Ⅰ级",
            result_published_on="2022-10-01",
        ),
        row(2, year=2016, uscc=world.ent_north.uscc, name=world.ent_north.name, published_on="2016-03-01"),
    ]
    assert imported(history_file(rows), actor=world.users["city"]).status == "committed"
    assert results_published().filter(enterprise=world.ent_north, programme__year=2021).exists()
    client.force_login(world.users["city"])
    page = client.get(reverse("enterprise-detail", args=[world.ent_north.pk])).content.decode()
    assert all(str(y) in page for y in (2016, 2021, 2026))


def test_pages_for_staff_and_not_found_for_others(world, client, django_capture_on_commit_callbacks):
    city = world.users["city"]
    client.force_login(city)
    assert 'id="history-import-link"' in client.get(reverse("programme-list")).content.decode()
    assert client.get(reverse("history-upload")).status_code == 200
    template = client.get(reverse("history-template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    # The template's own headers are recognised, and its example row is a valid row.
    from qingshen.programmes.history.validate import read_records

    records, refusal = read_records(template.content, "t.xlsx")
    assert refusal == "" and records[0][1]["name"] == "示例化工有限公司"
    data = history_file([row(1)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("history-upload"), {"file": SimpleUploadedFile("h.xlsx", data)})
    batch = HistoryBatch.objects.get()
    assert response.status_code == 302 and batch.status == "ready"
    assert client.get(reverse("history-batch", args=[batch.pk])).status_code == 200
    assert client.get(reverse("history-status", args=[batch.pk])).json()["state"] == "ready"
    for name in ("enterprise", "expert", "agency", "district_south", "supervisor"):
        client.force_login(world.users[name])
        assert client.get(reverse("history-batch", args=[batch.pk])).status_code == 404
        assert client.post(reverse("history-commit", args=[batch.pk])).status_code == 404
        if name != "district_south":
            assert client.get(reverse("history-upload")).status_code == 404
            assert client.get(reverse("history-template")).status_code == 404
    client.force_login(city)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("history-commit", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == "committed" and AuditCase.objects.filter(history_sha256=batch.sha256).count() == 1


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("history.pdf", b"%PDF-1.4", "xlsx"),
        ("history.xlsx", b"MZ\x90\x00" + b"\0" * 200, "program"),
        ("history.xlsx", sheets.zip_bomb(), "zip bomb"),
        ("history.xlsx", sheets.entity_bomb([[1, "北区", "甲", code(60), "", "双超", ""]]), "entity"),
        ("history.xlsx", b"PK\x03\x04" + b"garbage" * 50, "damaged"),
    ],
)
def test_hostile_files_get_a_message_not_a_500(world, client, settings, name, data, words):
    settings.LANGUAGE_CODE = "en"
    client.force_login(world.users["city"])
    with translation.override("en"):
        response = client.post(
            reverse("history-upload"), {"file": SimpleUploadedFile(name, data)}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200
        with pytest.raises(ProgrammeError) as refused:
            batches.history_batch_create(upload=SimpleUploadedFile(name, data), actor=world.users["city"])
    assert words in refused.value.message
    assert not HistoryBatch.objects.exists()


def test_an_oversized_file_is_refused(world, client, settings):
    settings.QINGSHEN_IMPORT_MAX_BYTES = 1000
    client.force_login(world.users["city"])
    data = history_file([row(i) for i in range(40)])
    response = client.post(reverse("history-upload"), {"file": SimpleUploadedFile("big.xlsx", data)})
    assert response.status_code == 200 and not HistoryBatch.objects.exists()


def test_the_hazardous_reaudit_is_a_warning_on_the_enterprise_and_a_plan_candidate(world, imported, client):
    from qingshen.procedures.models import Rule
    from qingshen.programmes.plan import plan_years
    from qingshen.registry.models import Enterprise

    accepted = {"evaluation": "通过", "evaluation_on": "2021-01-15", "acceptance": "合格"}
    last_plan_year = max(plan_years(world.programme.year))
    rows = [
        row(1, year=2020, acceptance_on="2021-06-01", **accepted),  # due 2026-06-01: falls due now
        row(2, year=2020, grounds="双超", acceptance_on="2021-06-01", **accepted),  # not 双有
        row(3, year=2020, evaluation="通过", evaluation_on="2021-01-15"),  # not accepted yet
        row(
            4,
            year=last_plan_year - 5,
            published_on=f"{last_plan_year - 5}-02-08",
            **{**accepted, "evaluation_on": f"{last_plan_year - 5}-06-01"},
            acceptance_on=f"{last_plan_year - 5}-12-01",
        ),
        row(
            5,
            year=last_plan_year - 4,
            published_on=f"{last_plan_year - 4}-02-08",
            **{**accepted, "evaluation_on": f"{last_plan_year - 4}-06-01"},
            acceptance_on=f"{last_plan_year - 4}-12-01",
        ),
    ]
    batch = imported(history_file(rows), actor=world.users["city"])
    assert batch.status == "committed", batch.errors
    client.force_login(world.users["city"])
    page = client.get(reverse("programme-plan", args=[world.programme.pk])).content.decode()
    table = page.split('id="reaudit-candidates"')[1].split("</table>")[0]
    assert code(1) in table and "2026-06-01" in table
    assert code(4) in table  # falls due in the plan list's last year
    assert code(2) not in table and code(3) not in table and code(5) not in table
    ent = Enterprise.objects.get(uscc=code(1))
    detail = client.get(reverse("enterprise-detail", args=[ent.pk])).content.decode()
    assert 'id="reaudit"' in detail and "2026-06-01" in detail
    # The five years are the rule's: the city changes it, the due date follows.
    Rule.objects.filter(code="hazardous_reaudit_max").update(amount=3)
    detail = client.get(reverse("enterprise-detail", args=[ent.pk])).content.decode()
    assert "2024-06-03" in detail  # 2024-06-01 is a Saturday: the period ends on the next workday
    # The district of another district sees neither.
    client.force_login(world.users["district_south"])
    page = client.get(reverse("programme-plan", args=[world.programme.pk])).content.decode()
    assert code(1) not in page
