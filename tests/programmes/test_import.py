"""List imports: header matching, normalisation, the row-by-row report, all or nothing, bad files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qingshen.demo.world import make_uscc
from qingshen.programmes import listings, lists, services
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.imports import batches
from qingshen.programmes.imports.rows import clean_text, match_header, parse_grounds
from qingshen.programmes.models import ImportBatch, Listing
from qingshen.registry.models import Enterprise
from qingshen.trail.models import Event
from tests import factories as f
from tests.programmes import sheets


@pytest.fixture
def draft(world):
    return services.programme_create(city=world.city, year=2027, actor=world.users["city"])


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload through the service; the background check runs (immediate backend) after the commit."""

    def run(programme, data, name="list.xlsx", *, actor, kind="annual"):
        with django_capture_on_commit_callbacks(execute=True):
            batch = batches.import_batch_create(
                programme=programme, kind=kind, upload=SimpleUploadedFile(name, data), actor=actor
            )
        batch.refresh_from_db()
        return batch

    return run


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(batch, renames=()):
        with django_capture_on_commit_callbacks(execute=True):
            batches.import_batch_commit_request(batch=batch, actor=batch.created_by, renames=set(renames))
        batch.refresh_from_db()
        return batch

    return run


def code(n, region="500112"):
    return make_uscc(region, 700000 + n)


def test_header_matching_is_tolerant():
    assert match_header(
        ["序 号", "所在地", "企业名称（盖章）", "统一社会信用代码", "行业", "纳入原因", "备注"]
    ) == {
        "seq": 0,
        "district": 1,
        "name": 2,
        "uscc": 3,
        "industry": 4,
        "grounds": 5,
        "note": 6,
    }
    assert (
        match_header(["No.", "District", "Enterprise name", "Credit code", "Industry code", "Grounds"])[
            "uscc"
        ]
        == 3
    )
    assert match_header(["2027年强制性清洁生产审核企业名单", "", ""]) == {}


def test_grounds_and_text_normalisation():
    assert parse_grounds("双超、高耗能") == (["emissions", "energy"], "", "")
    assert parse_grounds("双有；双超") == (["emissions", "hazardous"], "", "")
    assert parse_grounds("其他（重点行业清洁化改造）") == (["other"], "重点行业清洁化改造", "")
    assert parse_grounds("energy, hazardous") == (["energy", "hazardous"], "", "")
    assert parse_grounds("双超、随便")[2] == "随便"
    assert clean_text("  北区　化工（集团）ＡＢＣ１２３  ") == "北区 化工（集团）ABC123"
    assert clean_text("'=SUM(A1)") == "=SUM(A1)"


def test_import_with_title_rows_merged_cells_and_typing_habits(world, draft, upload, commit):
    known = f.enterprise(world.north, "北区已登记企业")
    full_width = code(1).translate({c: c + 0xFEE0 for c in range(0x30, 0x5B) if chr(c).isalnum()})
    rows = [
        [1, "北区", "北区新企业甲", f" {full_width.lower()} ", "2614", "双超、双有", "新发现"],
        [2, "", "北区新企业乙", code(2), 26.0, "高耗能", ""],  # district merged from the row above
        [3, "北区", known.name, known.uscc.lower(), "", "其他（重点任务）", ""],
    ]
    data = sheets.xlsx(rows, title_rows=["附件1", "2027年强制性清洁生产审核企业名单"], merge_district=(0, 1))
    batch = upload(draft, data, actor=world.users["district"])
    assert batch.status == "ready", batch.errors
    assert [r["uscc"] for r in batch.rows] == [code(1), code(2), known.uscc]
    assert batch.rows[1]["district_id"] == world.north.pk and batch.rows[2]["enterprise_id"] == known.pk
    batch = commit(batch)
    assert batch.status == "committed" and batch.created_count == 3
    listings = {lst.enterprise.uscc: lst for lst in draft.listings.select_related("enterprise")}
    assert listings[code(1)].grounds == ["emissions", "hazardous"] and listings[code(1)].note == "新发现"
    assert listings[code(2)].lead_authority == "energy"
    assert listings[known.uscc].other_reason == "重点任务"
    assert Enterprise.objects.get(uscc=code(2)).jurisdiction == world.north
    # Bulk-created enterprises get their public search keys too (issue 7).
    from qingshen.registry.models import SearchKey

    assert SearchKey.objects.get(enterprise__uscc=code(2)).initials == "bqxqyy"
    assert Event.objects.filter(action="programme.import.commit", object_id=str(batch.pk)).exists()


def test_every_row_is_checked_and_nothing_is_written(world, draft, upload):
    elsewhere = f.enterprise(world.south, "南区企业")
    on_list = f.enterprise(world.north, "已在名单")
    listings.listing_add(
        programme=draft, enterprise=on_list, grounds=["emissions"], actor=world.users["city"]
    )
    rows = [
        [1, "北区", "好企业", code(10), "2614", "双超", ""],
        [2, "北区", "坏代码", "91110108551385082X", "", "双超", ""],  # wrong check character
        [3, "北区", "重复", code(10), "", "双超", ""],  # same code as row 1
        [4, "东区", "未知区县", code(11), "", "双超", ""],
        [5, "南区", "越权", code(12, "500113"), "", "双超", ""],
        [6, "北区", "坏依据", code(13), "", "超标了吧", ""],
        [7, "北区", "坏行业", code(14), "99999", "双超", ""],
        [8, "北区", on_list.name, on_list.uscc, "", "双超", ""],  # already on the list
        [9, "", elsewhere.name, elsewhere.uscc, "", "双超", ""],  # registered in another district
        [10, "北区", "其他无理由", code(15), "", "其他", ""],
    ]
    batch = upload(draft, sheets.xlsx(rows), actor=world.users["district"])
    assert batch.status == "invalid" and batch.rows == []
    by_row = {}
    for e in batch.errors:
        by_row.setdefault(e["row"], []).append(e["column"])
        assert e["problem"] and e["fix"]
    # Row numbers are the sheet's own (header on row 1).
    assert by_row == {
        3: ["统一社会信用代码"],
        4: ["统一社会信用代码"],
        5: ["区县"],
        6: ["区县"],
        7: ["纳入类型"],
        8: ["行业代码"],
        9: ["统一社会信用代码"],
        10: ["统一社会信用代码"],
        11: ["纳入类型"],
    }
    assert draft.listings.count() == 1 and not Enterprise.objects.filter(uscc=code(10)).exists()


def test_a_code_under_another_name_needs_a_decision(world, draft, upload, commit, client_for):
    ent = f.enterprise(world.north, "北区化工有限公司")
    rows = [[1, "北区", "北区化工集团有限公司", ent.uscc, "", "双超", ""]]
    batch = upload(draft, sheets.xlsx(rows), actor=world.users["city"])
    assert batch.status == "ready"
    assert batch.conflicts == [
        {"row": 2, "uscc": ent.uscc, "file_name": "北区化工集团有限公司", "registry_name": "北区化工有限公司"}
    ]
    # Through the page, a missing decision is refused and nothing changes.
    from django.urls import reverse

    client = client_for(world.users["city"])
    client.post(reverse("import-commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "ready" and not draft.listings.exists()
    batch = commit(batch, renames=[2])
    ent.refresh_from_db()
    assert ent.name == "北区化工集团有限公司" and ent.former_names.get().name == "北区化工有限公司"


def test_keeping_the_registry_name_changes_nothing_in_the_registry(world, draft, upload, commit):
    ent = f.enterprise(world.north, "北区化工有限公司")
    batch = upload(
        draft, sheets.xlsx([[1, "北区", "别名", ent.uscc, "", "双超", ""]]), actor=world.users["city"]
    )
    commit(batch)
    ent.refresh_from_db()
    assert ent.name == "北区化工有限公司" and draft.listings.filter(enterprise=ent).exists()


def test_commit_is_all_or_nothing_when_the_list_changed_meanwhile(world, draft, upload, commit):
    ent = f.enterprise(world.north)
    rows = [[1, "北区", "新企业", code(30), "", "双超", ""], [2, "北区", ent.name, ent.uscc, "", "双超", ""]]
    batch = upload(draft, sheets.xlsx(rows), actor=world.users["city"])
    listings.listing_add(programme=draft, enterprise=ent, grounds=["energy"], actor=world.users["district"])
    batch = commit(batch)
    assert batch.status == "invalid" and "3" in batch.errors[0]["problem"]
    assert not Enterprise.objects.filter(uscc=code(30)).exists()
    assert draft.listings.count() == 1


def test_csv_in_utf8_and_gb18030(world, draft, upload):
    rows = [[1, "北区", "北区企业", code(40), "2614", "双超", "备注"]]
    for encoding in ("utf-8-sig", "gb18030"):
        batch = upload(
            draft, sheets.csv_bytes(rows, encoding=encoding), "list.csv", actor=world.users["city"]
        )
        assert batch.status == "ready" and batch.rows[0]["name"] == "北区企业", (encoding, batch.errors)


def test_plan_list_import(world, draft, upload, commit):
    header = [*sheets.HEADER[:6], "计划年度"]
    rows = [
        [1, "北区", "计划企业", code(50), "", "双有", "2028"],
        [2, "北区", "太远", code(51), "", "双有", "2031"],
    ]
    batch = upload(draft, sheets.xlsx(rows, header=header), kind="plan", actor=world.users["city"])
    assert batch.status == "invalid" and [e["row"] for e in batch.errors] == [3]
    batch = upload(draft, sheets.xlsx(rows[:1], header=header), kind="plan", actor=world.users["city"])
    commit(batch)
    assert draft.plan_entries.get().planned_year == 2028 and not draft.listings.exists()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("list.pdf", b"%PDF-1.4", "xlsx"),
        ("list.xlsx", b"MZ\x90\x00" + b"\0" * 200, "program"),
        ("list.xlsx", b"\x7fELF" + b"\0" * 200, "program"),
        ("list.xlsx", sheets.encrypted(), "password"),
        ("list.xlsx", b"PK\x03\x04" + b"garbage" * 50, "damaged"),
        ("list.xlsx", sheets.zip_bomb(), "zip bomb"),
        ("list.xlsx", sheets.entity_bomb([[1, "北区", "甲", code(60), "", "双超", ""]]), "entity"),
        ("list.csv", sheets.xlsx([]), "match"),
        ("list.xlsx", b"", "empty"),
    ],
)
def test_bad_files_are_refused_and_write_nothing(world, draft, upload, name, data, words, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    before = Event.objects.count()
    with translation.override("en"), pytest.raises(ProgrammeError) as refused:
        upload(draft, data, name, actor=world.users["city"])
    assert words in refused.value.message
    assert not ImportBatch.objects.exists() and Event.objects.count() == before


def test_a_file_over_the_size_limit_is_refused(world, draft, upload, settings):
    settings.QINGSHEN_IMPORT_MAX_BYTES = 1000
    with pytest.raises(ProgrammeError):
        upload(
            draft, sheets.xlsx([[1, "北区", "甲", code(61), "", "双超", ""]] * 30), actor=world.users["city"]
        )
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (sheets.empty_workbook(), "empty"),
        (sheets.xlsx([["a", "b"]], header=["甲", "乙", "丙"]), "header"),
        (sheets.xlsx([]), "no rows"),
    ],
)
def test_sheets_without_rows_or_header_are_reported(world, draft, upload, data, words):
    from django.utils import translation

    with translation.override("en"):
        batch = upload(draft, data, actor=world.users["city"])
    assert batch.status == "invalid" and words in batch.errors[0]["problem"]
    assert not Listing.objects.filter(programme=draft).exists()


@pytest.mark.parametrize("who", ["province", "supervisor", "enterprise", "sysadmin"])
def test_only_city_and_district_import_into_a_draft(world, draft, upload, who):
    with pytest.raises(ProgrammeError):
        upload(draft, sheets.xlsx([[1, "北区", "甲", code(70), "", "双超", ""]]), actor=world.users[who])
    with pytest.raises(ProgrammeError):  # a published list takes amendments, not imports
        upload(
            world.programme,
            sheets.xlsx([[1, "北区", "甲", code(70), "", "双超", ""]]),
            actor=world.users["city"],
        )


def test_a_district_that_submitted_its_proposal_imports_no_more(world, draft, upload):
    lists.list_transition(
        name="proposal.submit", programme=draft, district=world.north, actor=world.users["district"]
    )
    with pytest.raises(ProgrammeError):
        upload(
            draft, sheets.xlsx([[1, "北区", "甲", code(80), "", "双超", ""]]), actor=world.users["district"]
        )
    assert (
        upload(
            draft, sheets.xlsx([[1, "北区", "甲", code(80), "", "双超", ""]]), actor=world.users["city"]
        ).status
        == "ready"
    )
