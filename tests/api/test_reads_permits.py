"""Discharge permits through the API: read by the bureau's staff over the enterprise and by the
enterprise itself, filtered by enterprise, management class and validity, shown on the enterprise; the
permit system's export imported as a job (upload → report → commit), with the pages' checks."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qingshen.programmes.models import PermitBatch
from qingshen.registry.models import Permit
from qingshen.registry.permits import permit_save
from qingshen.trail.models import Event
from tests.programmes import sheets
from tests.programmes.test_permit_import import HEADER, good_rows, line

TODAY = timezone.localdate()
LIMITS = [{"pollutant": "化学需氧量", "outlet": "DW001", "limit_value": "50", "unit": "mg/L"}]


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _permit(world, enterprise, suffix, valid_from, valid_to, management_class="key"):
    return permit_save(
        actor=world.users["city"],
        enterprise=enterprise,
        number=f"{enterprise.uscc}{suffix}",
        management_class=management_class,
        issuing_authority="测试市生态环境局",
        valid_from=valid_from,
        valid_to=valid_to,
        pollutants=LIMITS,
    )


@pytest.fixture
def permits(world):
    day = datetime.timedelta
    return {
        "north_now": _permit(world, world.ent_north, "001P", TODAY - day(400), TODAY + day(1000)),
        "north_old": _permit(world, world.ent_north, "002P", TODAY - day(2000), TODAY - day(401)),
        "south_ending": _permit(
            world, world.ent_south, "001X", TODAY - day(300), TODAY + day(10), management_class="simplified"
        ),
    }


def test_the_bureau_reads_permits_with_their_limits_and_filters(world, permits, api_as):
    city = api_as(world.users["city"])
    assert set(ids(city.get("/api/v1/permits/"))) == {p.pk for p in permits.values()}
    detail = city.get(f"/api/v1/permits/{permits['north_now'].pk}/").json()
    assert detail["enterprise"] == world.ent_north.pk and detail["management_class"] == "key"
    assert [(p["pollutant"], p["limit_value"], p["unit"]) for p in detail["pollutants"]] == [
        ("化学需氧量", "50.0000", "mg/L")
    ]
    assert set(ids(city.get("/api/v1/permits/", {"enterprise": world.ent_north.pk}))) == {
        permits["north_now"].pk,
        permits["north_old"].pk,
    }
    assert ids(city.get("/api/v1/permits/", {"management_class": "simplified"})) == [
        permits["south_ending"].pk
    ]
    assert ids(city.get("/api/v1/permits/", {"validity": "expired"})) == [permits["north_old"].pk]
    assert ids(city.get("/api/v1/permits/", {"validity": "expiring"})) == [permits["south_ending"].pk]
    assert set(ids(city.get("/api/v1/permits/", {"validity": "in_force"}))) == {
        permits["north_now"].pk,
        permits["south_ending"].pk,
    }
    bad = city.get("/api/v1/permits/", {"validity": "forever"})
    assert bad.status_code == 400 and "validity" in bad.json()["fields"]
    enterprise = city.get(f"/api/v1/enterprises/{world.ent_north.pk}/").json()
    assert [p["id"] for p in enterprise["permits"]] == [permits["north_now"].pk, permits["north_old"].pk]
    assert "permits" not in city.get("/api/v1/enterprises/").json()["results"][0]


@pytest.mark.parametrize(
    "role, sees", [("district", "north"), ("enterprise", "north"), ("enterprise_south", "south")]
)
def test_permits_out_of_scope_are_404(world, permits, api_as, role, sees):
    client = api_as(world.users[role])
    mine = {p.pk for k, p in permits.items() if k.startswith(sees)}
    assert set(ids(client.get("/api/v1/permits/"))) == mine
    other = permits["south_ending"] if sees == "north" else permits["north_now"]
    response = client.get(f"/api/v1/permits/{other.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("role", ["agency", "expert", "auditor", "sysadmin"])
def test_others_see_no_permits(world, permits, api, api_as, role):
    client = api_as(world.users[role])
    assert ids(client.get("/api/v1/permits/")) == []
    assert client.get(f"/api/v1/permits/{permits['north_now'].pk}/").status_code == 404
    api.credentials()
    assert api.get("/api/v1/permits/").status_code == 401


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Call the API with the background work run (immediate backend) after the request's commit."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def upload(client, data, name="permits.xlsx"):
    return client.post(
        "/api/v1/permit-imports/", {"file": SimpleUploadedFile(name, data)}, format="multipart"
    )


def test_the_city_imports_permits_as_a_job(world, api_as, send):
    client = api_as(world.users["city"], "write")
    sent = send(upload, client, sheets.xlsx(good_rows(world), header=HEADER))
    assert sent.status_code == 202, sent.content
    pk = sent.json()["id"]
    assert Event.objects.filter(action="programme.permits.upload", object_id=str(pk)).exists()
    report = client.get(f"/api/v1/permit-imports/{pk}/").json()
    assert report["status"] == "ready" and report["errors"] == [] and report["percent"] == 100
    assert sorted(p["enterprise"] for p in report["permits"]) == sorted(
        [world.ent_north.pk, world.ent_south.pk]
    )
    assert not Permit.objects.exists()
    done = send(client.post, f"/api/v1/permit-imports/{pk}/commit/", format="json")
    assert done.status_code == 202, done.content
    final = client.get(f"/api/v1/permit-imports/{pk}/").json()
    assert final["status"] == "committed" and final["created_count"] == 2
    assert Permit.objects.count() == 2
    again = client.post(f"/api/v1/permit-imports/{pk}/commit/", format="json")
    assert again.status_code == 409 and again.json()["status"] == "committed"
    assert ids(client.get("/api/v1/permit-imports/")) == [pk]


def test_bad_rows_are_reported_and_nothing_is_written(world, api_as, send):
    client = api_as(world.users["district"], "write")
    rows = [line(world.ent_north, number="不是编号"), line(world.ent_south)]  # south lies outside north
    pk = send(upload, client, sheets.xlsx(rows, header=HEADER)).json()["id"]
    report = client.get(f"/api/v1/permit-imports/{pk}/").json()
    assert report["status"] == "invalid" and {e["row"] for e in report["errors"]} >= {2, 3}
    refused = client.post(f"/api/v1/permit-imports/{pk}/commit/", format="json")
    assert refused.status_code == 409 and refused.json()["status"] == "invalid"
    assert not Permit.objects.exists()


def test_bad_files_are_400_or_413(world, api_as, settings):
    client = api_as(world.users["city"], "write")
    program = upload(client, b"MZ\x90\x00" + b"\x00" * 60)
    assert program.status_code == 400 and list(program.json()["fields"]) == ["file"]
    missing = client.post("/api/v1/permit-imports/", {}, format="multipart")
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["file"]
    settings.QINGSHEN_IMPORT_MAX_BYTES = 20
    large = upload(client, sheets.xlsx([], header=HEADER))
    assert large.status_code == 413 and large.json()["code"] == "too_large"
    assert not PermitBatch.objects.exists()


@pytest.mark.parametrize("role", ["province", "supervisor", "enterprise", "agency", "expert", "auditor"])
def test_who_imports_no_permits_is_403(world, api_as, role):
    response = upload(api_as(world.users[role], "write"), sheets.xlsx(good_rows(world), header=HEADER))
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_a_read_token_may_not_upload_and_a_job_is_its_uploaders(world, api_as, send):
    assert upload(api_as(world.users["city"], "read"), sheets.xlsx([], header=HEADER)).status_code == 403
    pk = send(
        upload, api_as(world.users["city"], "write"), sheets.xlsx(good_rows(world), header=HEADER)
    ).json()["id"]
    other = api_as(world.users["district"], "write")
    assert other.get(f"/api/v1/permit-imports/{pk}/").status_code == 404
    assert other.post(f"/api/v1/permit-imports/{pk}/commit/", format="json").status_code == 404
    assert PermitBatch.objects.get(pk=pk).status == "ready"
