"""A list file of a few thousand rows: read one row at a time and checked chunk by chunk, yet reported
row by row as one file, and written all or nothing. Run this file on PostgreSQL too."""

from django.db import transaction
from django.urls import reverse

from qingshen.programmes.imports import validate
from qingshen.programmes.imports.validate import CHECK_CHUNK
from qingshen.programmes.models import ImportBatch, Listing
from qingshen.registry.models import Enterprise, SearchKey
from qingshen.trail.models import Event
from tests import factories as f
from tests.programmes import sheets
from tests.programmes.test_import import code, commit, draft, upload  # noqa: F401  (fixtures)

ROWS = CHECK_CHUNK + 60  # two chunks, the second one short
FIRST = 2  # the sheet row of the first data row (the header is row 1)


def _registered(district, name, uscc):
    return Enterprise.objects.create(name=name, uscc=uscc, jurisdiction=district)


def _rows(n=ROWS):
    return [
        [i + 1, "北区", f"北区批量企业{i}", code(1000 + i), "26", "双超" if i % 2 else "高耗能", ""]
        for i in range(n)
    ]


def test_a_large_file_is_reported_row_by_row_across_chunks(world, draft, upload):  # noqa: F811
    elsewhere = f.enterprise(world.south, "南区老企业")
    rows = _rows()
    last_of_first = CHECK_CHUNK - 1
    rows[last_of_first + 1][3] = rows[3][3]  # the second chunk repeats a code of the first
    rows[ROWS - 5][1:4] = ["", elsewhere.name, elsewhere.uscc]  # registered elsewhere, met in the last chunk
    rows[ROWS - 1][5] = "不是依据"
    # The district typed once over the chunk boundary, the way a merged cell reads.
    for i in range(last_of_first - 2, last_of_first + 4):
        rows[i][1] = ""
    rows[last_of_first - 3][1] = "北区"
    rows.insert(10, ["", "", "", "", "", "", ""])  # a blank line: skipped, the numbering kept
    batch = upload(draft, sheets.xlsx(rows), actor=world.users["district"])
    assert batch.status == ImportBatch.Status.INVALID and batch.rows == []
    by_row = {(e["row"], e["column"]): e["problem"] for e in batch.errors}
    sheet_row = FIRST + 1  # one blank line above every row after the tenth
    assert sorted(by_row) == [
        (last_of_first + 1 + sheet_row, "统一社会信用代码"),
        (ROWS - 5 + sheet_row, "统一社会信用代码"),
        (ROWS - 1 + sheet_row, "纳入类型"),
    ]
    assert str(3 + FIRST) in by_row[(last_of_first + 1 + sheet_row, "统一社会信用代码")]
    assert batch.total_rows == batch.processed_rows == ROWS
    assert not Enterprise.objects.filter(uscc=code(1000)).exists() and not draft.listings.exists()


def test_a_large_file_is_imported_whole(world, draft, upload, commit, monkeypatch):  # noqa: F811
    monkeypatch.setattr(validate, "WRITE_ROWS", CHECK_CHUNK)  # the checked rows go in two pieces
    rows = _rows()
    # Every third enterprise registered already (search keys are not what this test is about).
    Enterprise.objects.bulk_create(
        Enterprise(name=rows[i][2], uscc=rows[i][3], jurisdiction=world.north) for i in range(0, ROWS, 3)
    )
    registered = Enterprise.objects.in_bulk([rows[i][3] for i in range(0, ROWS, 3)], field_name="uscc")
    rows[CHECK_CHUNK + 1][1] = "南区"  # a new enterprise of another district the city may list
    batch = upload(draft, sheets.xlsx(rows), actor=world.users["city"])
    assert batch.status == ImportBatch.Status.READY, batch.errors[:3]
    assert len(batch.rows) == ROWS and [r["row"] for r in batch.rows] == list(range(FIRST, FIRST + ROWS))
    batch = commit(batch)
    assert batch.status == ImportBatch.Status.COMMITTED and batch.created_count == ROWS and batch.rows == []
    listings = {lst.enterprise.uscc: lst for lst in draft.listings.select_related("enterprise__jurisdiction")}
    assert len(listings) == ROWS
    new = [r[3] for r in rows if r[3] not in registered]
    assert Enterprise.objects.filter(uscc__in=new).count() == len(new)
    assert SearchKey.objects.filter(enterprise__uscc__in=new).count() == len(new)
    assert SearchKey.objects.get(enterprise__uscc=rows[1][3]).full == "beiqupiliangqiye1"
    first, other = listings[rows[1][3]], listings[rows[CHECK_CHUNK + 1][3]]
    assert first.grounds == ["emissions"] and first.lead_authority == "environment"
    assert first.proposed_by == world.users["city"] and first.created_at is not None
    assert listings[rows[2][3]].grounds == ["energy"] and listings[rows[2][3]].lead_authority == "energy"
    assert other.enterprise.jurisdiction == world.south and other.enterprise.created_at is not None
    assert listings[rows[0][3]].enterprise == registered[rows[0][3]]
    event = Event.objects.get(action="programme.import.commit", object_id=str(batch.pk))
    assert event.after["rows"] == ROWS and event.after["enterprises_created"] == sorted(new)


def test_a_failure_on_the_last_row_of_the_commit_writes_nothing(world, draft, upload, commit):  # noqa: F811
    rows = _rows()
    batch = upload(draft, sheets.xlsx(rows), actor=world.users["district"])
    assert batch.status == ImportBatch.Status.READY, batch.errors[:3]
    before = Enterprise.objects.count(), SearchKey.objects.count()
    # Since the check, someone registered the last row's enterprise: the database refuses the second
    # registration, after the rows before it went in; none of them may stay.
    with transaction.atomic():
        _registered(world.north, "后来登记的企业", rows[-1][3])
    batch = commit(batch)
    assert batch.status == ImportBatch.Status.INVALID and batch.errors[0]["row"] == 0
    assert (Enterprise.objects.count(), SearchKey.objects.count()) == (before[0] + 1, before[1] + 1)
    assert not Listing.objects.filter(programme=draft).exists()
    assert not Enterprise.objects.filter(uscc=rows[0][3]).exists()


def test_the_preview_pages_through_the_rows_of_a_large_file(world, draft, upload, client_for, settings):  # noqa: F811
    rows = _rows()
    batch = upload(draft, sheets.xlsx(rows), actor=world.users["district"])
    assert batch.status == ImportBatch.Status.READY, batch.errors[:3]
    client = client_for(world.users["district"])
    size = settings.QINGSHEN_PAGE_SIZE
    last = (ROWS - 1) // size + 1
    for page, shown, hidden in ((1, 0, size), (2, size, 0), (last, ROWS - 1, 0)):
        html = client.get(reverse("import-batch", args=[batch.pk]), {"page": page}).content.decode()
        assert f"{ROWS} " in html and f">{rows[shown][2]}<" in html and f">{rows[hidden][2]}<" not in html
    html = client.get(reverse("import-batch", args=[batch.pk]), {"page": last}).content.decode()
    assert html.count("批量企业") == ROWS - (last - 1) * size
