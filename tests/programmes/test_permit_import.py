"""Discharge permits imported from the permit system's export (issue 19): all or nothing with a report
of every bad row (row, column, problem), a good file written, the same file again changing nothing,
and the pages for the bureau and for users out of scope. Run this file on PostgreSQL too."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingshen.programmes.models import PermitBatch
from qingshen.programmes.permits import batches
from qingshen.programmes.permits.columns import HEADERS
from qingshen.registry.models import Permit, PermittedPollutant
from qingshen.trail.models import Event
from tests.programmes import sheets

KEYS = list(HEADERS)
HEADER = [HEADERS[k] for k in KEYS]


def line(ent, **values):
    base = {
        "number": f"{ent.uscc}001P",
        "name": ent.name,
        "uscc": ent.uscc,
        "management_class": "重点管理",
        "issuing_authority": "测试市生态环境局",
        "valid_from": "2024-01-01",
        "valid_to": "2028-12-31",
        "outlet": "DW001",
        "pollutant": "化学需氧量",
        "limit_value": "50",
        "unit": "mg/L",
    }
    return [{**base, **values}.get(k, "") for k in KEYS]


@pytest.fixture
def imported(django_capture_on_commit_callbacks):
    """Upload, check and (when the check passed) import, as the background jobs would."""

    def run(data, *, actor, name="permits.xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            batch = batches.permit_batch_create(upload=SimpleUploadedFile(name, data), actor=actor)
        batch.refresh_from_db()
        if batch.status == PermitBatch.Status.READY:
            with django_capture_on_commit_callbacks(execute=True):
                batches.permit_batch_commit_request(batch=batch, actor=actor)
            batch.refresh_from_db()
        return batch

    return run


def good_rows(world):
    return [
        line(world.ent_north),
        line(world.ent_north, outlet="DW001", pollutant="氨氮", limit_value="5"),
        line(world.ent_south, number=f"{world.ent_south.uscc}001X", management_class="登记管理",
             issuing_authority="", outlet="", pollutant="", limit_value="", unit=""),
    ]  # fmt: skip


def test_good_file_imported_and_again_changes_nothing(world, imported):
    city = world.users["city"]
    batch = imported(sheets.xlsx(good_rows(world), header=HEADER), actor=city)
    assert batch.status == PermitBatch.Status.COMMITTED, batch.errors
    assert (batch.created_count, batch.changed_count) == (2, 0)
    north = Permit.objects.get(enterprise=world.ent_north)
    assert north.management_class == "key" and north.issuing_authority == "测试市生态环境局"
    assert sorted(north.pollutants.values_list("pollutant", flat=True)) == ["化学需氧量", "氨氮"]
    assert Permit.objects.get(enterprise=world.ent_south).management_class == "registration"
    events = Event.objects.filter(action__startswith="permit.").count()
    # The same export again (as CSV this time): nothing changes, nothing new in the log but the import.
    again = imported(sheets.csv_bytes(good_rows(world), header=HEADER), actor=city, name="permits.csv")
    assert again.status == PermitBatch.Status.COMMITTED and (again.created_count, again.changed_count) == (
        0,
        0,
    )
    assert Event.objects.filter(action__startswith="permit.").count() == events
    assert PermittedPollutant.objects.count() == 2
    # A changed limit is brought in line, once.
    changed = good_rows(world)
    changed[1][KEYS.index("limit_value")] = "8"
    third = imported(sheets.xlsx(changed, header=HEADER), actor=city)
    assert (third.created_count, third.changed_count) == (0, 1)
    assert north.pollutants.get(pollutant="氨氮").limit_value == 8


def test_bad_rows_refused_with_row_column_and_reason(world, imported):
    north = world.ent_north
    rows = [
        line(north),  # row 2: good
        line(north, number=f"{north.uscc}01P"),  # 3: number too short
        line(north, uscc="91500000MA5U000000"),  # 4: bad credit code
        line(north, valid_to="2028-13-01"),  # 5: not a date
        line(north, pollutant="氨氮", limit_value="-1"),  # 6: negative limit
        line(north, pollutant="总磷", management_class="简化管理"),  # 7: differs from row 2
        line(north, management_class="特别"),  # 8: unknown class
        line(north),  # 9: same pollutant twice
        line(north, pollutant="总氮", unit=""),  # 10: limit without unit
    ]
    batch = imported(sheets.xlsx(rows, header=HEADER), actor=world.users["city"])
    assert batch.status == PermitBatch.Status.INVALID
    found = {(e["row"], e["column"]) for e in batch.errors}
    assert found == {
        (3, "许可证编号"),
        (4, "统一社会信用代码"),
        (5, "有效期至"),
        (6, "许可排放限值"),
        (7, "管理类别"),
        (8, "管理类别"),
        (9, "污染物种类"),
        (10, "计量单位"),
    }, batch.errors
    assert all(e["problem"] for e in batch.errors)
    assert not Permit.objects.exists() and batch.rows == []


def test_enterprise_outside_the_district_refused(world, imported):
    batch = imported(sheets.xlsx(good_rows(world), header=HEADER), actor=world.users["district"])
    assert batch.status == PermitBatch.Status.INVALID
    assert [(e["row"], e["column"]) for e in batch.errors] == [(4, "统一社会信用代码")]
    assert not Permit.objects.exists()


def test_file_without_the_columns_refused(world, imported):
    batch = imported(sheets.xlsx([["x", "y"]], header=["甲", "乙"]), actor=world.users["city"])
    assert batch.status == PermitBatch.Status.INVALID and "许可证编号" in batch.errors[0]["problem"]


def test_import_pages_for_the_bureau_and_refused_users(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.users["city"])
    assert 'id="permit-import-link"' in client.get(reverse("enterprise-list")).content.decode()
    assert client.get(reverse("permit-upload")).status_code == 200
    template = client.get(reverse("permit-template"))
    assert template.status_code == 200 and template["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    data = sheets.xlsx(good_rows(world), header=HEADER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("permit-upload"), {"file": SimpleUploadedFile("p.xlsx", data)})
    batch = PermitBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("permit-batch", args=[batch.pk])
    page = client.get(reverse("permit-batch", args=[batch.pk]))
    assert page.status_code == 200 and f"{world.ent_north.uscc}001P" in page.content.decode()
    assert client.get(reverse("permit-status", args=[batch.pk])).json()["state"] == "ready"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("permit-commit", args=[batch.pk]))
    assert Permit.objects.count() == 2
    assert (
        'id="permit-import-link"'
        not in client_for(world.users["supervisor"]).get(reverse("enterprise-list")).content.decode()
    )
    for role in ("enterprise", "agency", "supervisor", "expert", "sysadmin"):
        other = client_for(world.users[role])
        assert other.get(reverse("permit-upload")).status_code == 404, role
        assert other.get(reverse("permit-template")).status_code == 404, role
    # Another bureau's user: the batch is the uploader's working file.
    other = client_for(world.users["district"])
    assert other.get(reverse("permit-batch", args=[batch.pk])).status_code == 404
    assert other.post(reverse("permit-commit", args=[batch.pk])).status_code == 404


def test_import_sets_each_enterprise_permit_number_to_its_permit_in_force(world, imported):
    import datetime

    world.ent_north.permit_number = "旧编号"
    world.ent_north.save(update_fields=["permit_number"])
    today = datetime.date.today()
    span = {
        "valid_from": str(today - datetime.timedelta(days=10)),
        "valid_to": str(today.replace(year=today.year + 3)),
    }
    batch = imported(sheets.xlsx([line(world.ent_north, **span)], header=HEADER), actor=world.users["city"])
    assert batch.status == PermitBatch.Status.COMMITTED, batch.errors
    world.ent_north.refresh_from_db()
    assert world.ent_north.permit_number == f"{world.ent_north.uscc}001P"


def test_the_batch_page_reads_only_its_page_of_rows(
    world, client_for, django_capture_on_commit_callbacks, settings
):
    """A checked file of 100,000 rows is one JSON column: the page counts it and reads its own rows in
    the database instead of loading the whole list."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.QINGSHEN_PAGE_SIZE = 1
    client = client_for(world.users["city"])
    data = sheets.xlsx(good_rows(world), header=HEADER)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("permit-upload"), {"file": SimpleUploadedFile("p.xlsx", data)})
    batch = PermitBatch.objects.get()
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("permit-batch", args=[batch.pk])).content.decode()
    column = re.compile(r'(SELECT |, )"programmes_permitbatch"\."rows"(, "| FROM)')  # loaded, not sliced
    loads = [q["sql"] for q in queries if column.search(q["sql"])]
    read = len(queries)  # the next request clears the captured list
    second = client.get(reverse("permit-batch", args=[batch.pk]), {"page": 2}).content.decode()
    assert f"{world.ent_north.uscc}001P" in first and f"{world.ent_south.uscc}001X" not in first
    assert f"{world.ent_south.uscc}001X" in second
    assert read and loads == []
