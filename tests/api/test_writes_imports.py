"""A list import as a job through the API: upload → status, progress and report → commit, with the
import pages' checks (programmes.imports); others are refused; the upload and the commit are logged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qingshen.demo.world import make_uscc
from qingshen.programmes import services
from qingshen.programmes.models import ImportBatch
from qingshen.trail.models import Event
from tests import factories as f
from tests.programmes import sheets


@pytest.fixture
def draft(world):
    return services.programme_create(
        city=world.city, year=timezone.localdate().year + 1, actor=world.users["city"]
    )


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Call the API with the background work run (immediate backend) after the request's commit."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def code(n, region="500112"):
    return make_uscc(region, 710000 + n)


def upload(client, programme, data, name="list.xlsx", kind="annual"):
    return client.post(
        f"/api/v1/programmes/{programme.pk}/imports/",
        {"kind": kind, "file": SimpleUploadedFile(name, data)},
        format="multipart",
    )


def job(client, pk):
    return client.get(f"/api/v1/imports/{pk}/")


def commit(client, pk, **body):
    return client.post(f"/api/v1/imports/{pk}/commit/", body, format="json")


def test_the_district_uploads_reads_the_job_and_commits_it(world, api_as, draft, send):
    client = api_as(world.users["district"], "write")
    rows = [
        [1, "北区", "北区新企业甲", code(1), "2614", "双超", ""],
        [2, "北区", "北区新企业乙", code(2), "", "高耗能", ""],
    ]
    sent = send(upload, client, draft, sheets.xlsx(rows))
    assert sent.status_code == 202, sent.content
    pk = sent.json()["id"]
    assert Event.objects.filter(action="programme.import.upload", object_id=str(pk)).exists()
    report = job(client, pk).json()
    assert report["status"] == "ready" and report["row_count"] == 2 and report["percent"] == 100
    assert report["errors"] == [] and report["conflicts"] == []
    done = send(commit, client, pk)
    assert done.status_code == 202, done.content
    final = job(client, pk).json()
    assert final["status"] == "committed" and final["created_count"] == 2
    assert draft.listings.count() == 2
    assert Event.objects.filter(action="programme.import.commit", object_id=str(pk)).exists()
    again = commit(client, pk)
    assert again.status_code == 409 and again.json()["status"] == "committed"


def test_the_report_lists_the_bad_rows_and_nothing_is_written(world, api_as, draft, send):
    client = api_as(world.users["district"], "write")
    rows = [[1, "北区", "坏代码", "91110108551385082X", "", "双超", ""]]
    pk = send(upload, client, draft, sheets.xlsx(rows)).json()["id"]
    report = job(client, pk).json()
    assert report["status"] == "invalid" and report["errors"][0]["row"] == 2
    assert report["errors"][0]["column"] == "统一社会信用代码" and report["errors"][0]["fix"]
    refused = commit(client, pk)
    assert refused.status_code == 409 and refused.json()["status"] == "invalid"
    assert not draft.listings.exists()


def test_a_name_conflict_needs_a_decision(world, api_as, draft, send):
    ent = f.enterprise(world.north, "北区化工有限公司")
    client = api_as(world.users["city"], "write")
    rows = [[1, "北区", "北区化工集团有限公司", ent.uscc, "", "双超", ""]]
    pk = send(upload, client, draft, sheets.xlsx(rows)).json()["id"]
    assert job(client, pk).json()["conflicts"][0]["row"] == 2
    undecided = commit(client, pk)
    assert undecided.status_code == 400 and list(undecided.json()["fields"]) == ["keep"]
    wrong = commit(client, pk, rename=[5])
    assert wrong.status_code == 400 and list(wrong.json()["fields"]) == ["rename"]
    assert ImportBatch.objects.get(pk=pk).status == "ready"
    assert send(commit, client, pk, keep=[2]).status_code == 202
    ent.refresh_from_db()
    assert ent.name == "北区化工有限公司" and draft.listings.filter(enterprise=ent).exists()


def test_bad_files_are_400_beside_file_and_too_large_is_413(world, api_as, draft, settings):
    client = api_as(world.users["city"], "write")
    program = upload(client, draft, b"MZ\x90\x00" + b"\x00" * 60, name="list.xlsx")
    assert program.status_code == 400 and list(program.json()["fields"]) == ["file"]
    missing = client.post(f"/api/v1/programmes/{draft.pk}/imports/", {"kind": "annual"}, format="multipart")
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["file"]
    settings.QINGSHEN_IMPORT_MAX_BYTES = 20
    large = upload(client, draft, sheets.xlsx([]))
    assert large.status_code == 413 and large.json()["code"] == "too_large"
    assert not ImportBatch.objects.exists()


def test_a_read_token_may_not_upload(world, api_as, draft):
    response = upload(api_as(world.users["city"], "read"), draft, sheets.xlsx([]))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["province", "supervisor"])
def test_staff_who_import_nothing_are_403(world, api_as, draft, role):
    response = upload(api_as(world.users[role], "write"), draft, sheets.xlsx([]))
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_a_published_list_is_409(world, api_as):
    response = upload(api_as(world.users["city"], "write"), world.programme, sheets.xlsx([]))
    assert response.status_code == 409 and response.json()["list_state"] == "published"


@pytest.mark.parametrize("role", ["enterprise", "agency", "expert", "auditor"])
def test_a_programme_outside_the_scope_is_404(world, api_as, draft, role):
    response = upload(api_as(world.users[role], "write"), draft, sheets.xlsx([]))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_job_is_its_uploaders(world, api_as, draft, send):
    rows = [[1, "北区", "北区新企业甲", code(3), "", "双超", ""]]
    pk = send(upload, api_as(world.users["city"], "write"), draft, sheets.xlsx(rows)).json()["id"]
    other = api_as(world.users["district"], "write")
    assert job(other, pk).status_code == 404
    assert commit(other, pk).status_code == 404
    assert ImportBatch.objects.get(pk=pk).status == "ready"


def test_the_job_list_counts_the_rows_in_the_database(world, api_as, draft, send):
    """A checked list of 100,000 rows is one JSON column: the job list and a job's page count it in the
    database instead of loading it once a job."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(world.users["district"], "write")
    rows = [[n, "北区", f"北区新企业{n}", code(20 + n), "", "双超", ""] for n in range(1, 4)]
    pk = send(upload, client, draft, sheets.xlsx(rows)).json()["id"]
    with CaptureQueriesContext(connection) as queries:
        listed = client.get("/api/v1/imports/").json()
        one = job(client, pk).json()
    assert [j["row_count"] for j in listed["results"] if j["id"] == pk] == [3]
    assert one["row_count"] == 3
    batch_reads = [q["sql"] for q in queries if "programmes_importbatch" in q["sql"]]
    assert batch_reads and not [
        sql
        for sql in batch_reads
        if '"programmes_importbatch"."rows" FROM' in sql or '"programmes_importbatch"."rows",' in sql
    ]
