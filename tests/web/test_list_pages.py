"""The list pages over HTTP, per role: allowed, and refused with 404."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qingshen.programmes import amendments, listings, lists, plan, services
from qingshen.programmes.models import DistrictProposal, ImportBatch
from tests import factories as f
from tests.programmes import sheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def draft(world):
    programme = services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    listings.listing_add(
        programme=programme,
        enterprise=f.enterprise(world.north),
        grounds=["emissions"],
        actor=world.users["district"],
    )
    return programme


def _status(client_for, user, url, method="get", data=None):
    client = client_for(user)
    return getattr(client, method)(url, data or {}).status_code


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("district", 200),
        ("city", 200),
        ("province", 200),
        ("supervisor", 200),
        ("district_south", 404),
        ("enterprise", 404),
        ("agency", 404),
        ("auditor", 404),
    ],
)
def test_proposal_page(world, draft, client_for, who, code):
    url = reverse("proposal-page", args=[draft.pk, world.north.pk])
    assert _status(client_for, world.users[who], url) == code


def test_district_submits_and_city_returns_through_the_pages(world, draft, client_for):
    submit = reverse("proposal-submit", args=[draft.pk, world.north.pk])
    back = reverse("proposal-return", args=[draft.pk, world.north.pk])
    assert _status(client_for, world.users["district_south"], submit, "post") == 404
    assert _status(client_for, world.users["district"], back, "post", {"comment": "x"}) == 404
    assert _status(client_for, world.users["district"], submit, "post") == 302
    proposal = DistrictProposal.objects.get(programme=draft, district=world.north)
    assert proposal.status == "submitted"
    page = client_for(world.users["city"]).get(reverse("proposal-page", args=[draft.pk, world.north.pk]))
    assert b'id="proposal-return"' in page.content
    assert _status(client_for, world.users["city"], back, "post", {"comment": "请补充"}) == 302
    proposal.refresh_from_db()
    assert proposal.status == "returned"
    page = client_for(world.users["district"]).get(reverse("proposal-page", args=[draft.pk, world.north.pk]))
    assert "请补充" in page.content.decode() and b'id="proposal-submit"' in page.content


def test_listing_remove_from_a_draft(world, draft, client_for):
    listing = draft.listings.get()
    url = reverse("listing-remove", args=[draft.pk, listing.pk])
    assert _status(client_for, world.users["district_south"], url, "post") == 404
    assert _status(client_for, world.users["district"], url, "post") == 302
    assert not draft.listings.exists()


@pytest.mark.parametrize(
    ("who", "code"), [("city", 200), ("district", 404), ("province", 404), ("enterprise", 404)]
)
def test_merge_page(world, draft, client_for, who, code):
    assert _status(client_for, world.users[who], reverse("programme-merge", args=[draft.pk])) == code


def test_city_submits_province_confirms_city_publishes_through_the_pages(world, draft, client_for):
    submit = reverse("programme-submit", args=[draft.pk])
    confirm = reverse("programme-confirm", args=[draft.pk])
    for who in ("district", "province", "enterprise"):
        assert _status(client_for, world.users[who], submit, "post") == 404
    page = client_for(world.users["city"]).get(reverse("programme-merge", args=[draft.pk])).content.decode()
    assert 'id="programme-submit"' in page and world.south.name in page  # the south has not proposed
    assert _status(client_for, world.users["city"], submit, "post") == 302
    for who in ("city", "district", "supervisor"):
        assert _status(client_for, world.users[who], confirm) == 404
        assert _status(client_for, world.users[who], confirm, "post", {"decision": "confirm"}) == 404
    assert b'id="programme-confirm"' in client_for(world.users["province"]).get(confirm).content
    client_for(world.users["province"]).post(confirm, {"decision": "return", "comment": "请核实"})
    draft.refresh_from_db()
    assert draft.list_state == "draft" and draft.return_comment == "请核实"
    client_for(world.users["city"]).post(submit)
    client_for(world.users["province"]).post(confirm, {"decision": "confirm"})
    draft.refresh_from_db()
    assert draft.list_state == "confirmed"
    detail = (
        client_for(world.users["city"]).get(reverse("programme-detail", args=[draft.pk])).content.decode()
    )
    assert 'id="holder"' in detail and reverse("programme-publish", args=[draft.pk]) in detail
    client_for(world.users["city"]).post(
        reverse("programme-publish", args=[draft.pk]), {"published_on": f"{timezone.localdate():%Y-%m-%d}"}
    )
    assert draft.cases.count() == 1


@pytest.mark.parametrize(
    ("who", "code"),
    [("city", 200), ("district", 200), ("province", 200), ("enterprise", 404), ("auditor", 404)],
)
def test_amendments_page(world, client_for, who, code):
    assert (
        _status(client_for, world.users[who], reverse("programme-amendments", args=[world.programme.pk]))
        == code
    )


def test_amendments_through_the_page(world, client_for):
    url = reverse("programme-amendments", args=[world.programme.pk])
    ent = f.enterprise(world.zone)
    add = {
        "kind": "add",
        "add-enterprise": ent.pk,
        "add-grounds": ["energy"],
        "add-reason": "新增高耗能企业",
        "add-document": SimpleUploadedFile("a.pdf", b"%PDF proof"),
    }
    assert client_for(world.users["district"]).post(url, add).status_code == 404
    add["add-document"] = SimpleUploadedFile("a.pdf", b"%PDF proof")  # the first post read the file
    assert client_for(world.users["city"]).post(url, add).status_code == 302
    assert world.programme.cases.filter(enterprise=ent, state="listed").exists()
    remove = {
        "kind": "remove",
        "remove-listing": world.case_north.listing.pk,
        "remove-reason": "关停",
        "remove-document": SimpleUploadedFile("b.pdf", b"%PDF closed"),
    }
    assert client_for(world.users["city"]).post(url, remove).status_code == 302
    world.case_north.refresh_from_db()
    assert world.case_north.state == "withdrawn"
    # Without a document nothing happens and the page says why (no 500).
    response = client_for(world.users["city"]).post(
        url, {**remove, "remove-listing": world.case_south.listing.pk, "remove-document": ""}
    )
    assert response.status_code == 200
    world.case_south.refresh_from_db()
    assert world.case_south.state == "listed"


def test_carry_over_page_and_relist(world, draft, client_for):
    old = services.programme_create(city=world.city, year=2025, actor=world.users["city"])
    listings.listing_add(
        programme=old, enterprise=f.enterprise(world.south), grounds=["emissions"], actor=world.users["city"]
    )
    f.confirm_list(old, city_user=world.users["city"], province_user=world.users["province"])
    lists.list_transition(
        name="publish",
        programme=old,
        actor=world.users["city"],
        published_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    case = old.cases.get()
    url = reverse("programme-carry-over", args=[draft.pk])
    for who, code in (
        ("city", 200),
        ("district", 200),
        ("province", 200),
        ("enterprise", 404),
        ("agency", 404),
    ):
        assert _status(client_for, world.users[who], url) == code
    page = client_for(world.users["city"]).get(url).content.decode()
    assert f'data-case="{case.pk}"' in page and f'data-case="{world.case_north.pk}"' in page
    relist = reverse("programme-relist", args=[draft.pk, case.pk])
    assert (
        _status(client_for, world.users["district_south"], relist, "post", {"grounds": ["emissions"]}) == 404
    )
    assert _status(client_for, world.users["city"], relist, "post", {"grounds": ["emissions"]}) == 302
    assert draft.listings.filter(carried_from=case).exists()
    export = client_for(world.users["city"]).get(reverse("export-carry-over", args=[draft.pk]))
    assert export.status_code == 200 and export["Content-Type"] == XLSX


def test_plan_page(world, draft, client_for):
    url = reverse("programme-plan", args=[draft.pk])
    assert _status(client_for, world.users["enterprise"], url) == 404
    assert _status(client_for, world.users["province"], url, "post", {}) == 404
    ent = f.enterprise(world.north)
    response = client_for(world.users["district"]).post(
        url, {"enterprise": ent.pk, "planned_year": 2028, "grounds": ["hazardous"]}
    )
    assert response.status_code == 302 and draft.plan_entries.get().enterprise == ent
    assert _status(client_for, world.users["city"], url) == 200


@pytest.mark.parametrize(
    "name", ["proposal-page", "programme-merge", "programme-carry-over", "programme-plan", "programme-detail"]
)
def test_list_pages_query_count_does_not_grow(world, draft, client_for, django_assert_max_num_queries, name):
    city = world.users["city"]
    args = [draft.pk, world.north.pk] if name == "proposal-page" else [draft.pk]
    client = client_for(city)
    url = reverse(name, args=args)
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    old = services.programme_create(city=world.city, year=2025, actor=city)
    for _ in range(15):
        ent = f.enterprise(world.north)
        listings.listing_add(
            programme=draft, enterprise=f.enterprise(world.north), grounds=["energy"], actor=city
        )
        listings.listing_add(programme=old, enterprise=ent, grounds=["energy"], actor=city)
        plan.plan_entry_add(programme=draft, enterprise=ent, planned_year=2028, grounds=[], actor=city)
    f.confirm_list(old, city_user=city, province_user=world.users["province"])
    lists.list_transition(name="publish", programme=old, actor=city)
    assert len(small.captured_queries) >= 3
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_confirm_page_query_count_does_not_grow(world, draft, client_for, django_assert_max_num_queries):
    city = world.users["city"]
    lists.list_transition(name="submit", programme=draft, actor=city)
    client = client_for(world.users["province"])
    url = reverse("programme-confirm", args=[draft.pk])
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    lists.list_transition(name="return", programme=draft, actor=world.users["province"], comment="x")
    for _ in range(15):
        listings.listing_add(
            programme=draft, enterprise=f.enterprise(world.south), grounds=["energy"], actor=city
        )
    lists.list_transition(name="submit", programme=draft, actor=city)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


# --- import and export pages ------------------------------------------------------------------------


def test_import_pages_upload_preview_commit(world, draft, client_for, django_capture_on_commit_callbacks):
    upload_url = reverse("import-upload", args=[draft.pk])
    for who in ("province", "supervisor", "enterprise", "auditor"):
        assert _status(client_for, world.users[who], upload_url) == 404
    client = client_for(world.users["district"])
    assert client.get(upload_url).status_code == 200
    data = sheets.xlsx([[1, "北区", "新企业", "91500112MA00000000", "", "双超", ""]])
    response = client.post(upload_url, {"kind": "annual", "file": SimpleUploadedFile("bad.xlsx", data)})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "queued"  # the worker has not run (no commit hook)
    from qingshen.demo.world import make_uscc

    code = make_uscc("500112", 424242)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            upload_url,
            {
                "kind": "annual",
                "file": SimpleUploadedFile(
                    "good.xlsx", sheets.xlsx([[1, "北区", "新企业", code, "", "双超", ""]])
                ),
            },
        )
    batch = ImportBatch.objects.get(original_name="good.xlsx")
    page_url = reverse("import-batch", args=[batch.pk])
    assert response["Location"] == page_url
    assert b'id="import-preview"' in client.get(page_url).content
    status = client.get(reverse("import-status", args=[batch.pk])).json()
    assert status["state"] == "ready" and status["percent"] == 100
    # Somebody else's import is not found.
    for who in ("city", "district_south"):
        assert _status(client_for, world.users[who], page_url) == 404
        assert _status(client_for, world.users[who], reverse("import-commit", args=[batch.pk]), "post") == 404
    client = client_for(world.users["district"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import-commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "committed" and draft.listings.filter(enterprise__uscc=code).exists()
    assert b'id="import-done"' in client.get(page_url).content


def test_a_bad_upload_gets_a_message_not_a_500(world, draft, client_for):
    client = client_for(world.users["city"])
    response = client.post(
        reverse("import-upload", args=[draft.pk]),
        {"kind": "annual", "file": SimpleUploadedFile("list.xlsx", b"MZ" + b"\0" * 100)},
        follow=True,
    )
    assert response.status_code == 200 and b"alert-danger" in response.content
    assert not ImportBatch.objects.exists()


def test_template_and_list_exports(world, draft, client_for):
    for who, code in (("city", 200), ("district", 200), ("province", 404), ("enterprise", 404)):
        assert _status(client_for, world.users[who], reverse("import-template")) == code
    for name in ("export-annual", "export-carry-over", "export-plan"):
        url = reverse(name, args=[draft.pk])
        for who in ("enterprise", "agency", "expert", "auditor", "sysadmin"):
            assert _status(client_for, world.users[who], url) == 404
        response = client_for(world.users["city"]).get(url)
        assert response.status_code == 200 and response["Content-Type"] == XLSX


def test_district_export_holds_its_own_rows_only(world, draft, client_for):
    listings.listing_add(
        programme=draft,
        enterprise=f.enterprise(world.south, "南区某厂"),
        grounds=["energy"],
        actor=world.users["city"],
    )
    import io

    from python_calamine import CalamineWorkbook

    data = client_for(world.users["district"]).get(reverse("export-annual", args=[draft.pk])).content
    names = [
        r[2] for r in CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()[3:]
    ]
    assert len(names) == 1 and "南区某厂" not in names


def test_filtered_case_list_export(world, client_for):
    import io

    from python_calamine import CalamineWorkbook

    url = reverse("case-export")
    for who in ("enterprise", "agency", "auditor"):
        assert _status(client_for, world.users[who], url) == 404
    data = client_for(world.users["city"]).get(url, {"district": world.south.pk}).content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()[3:]
    assert [r[3] for r in rows] == [world.ent_south.name]
    data = client_for(world.users["district"]).get(url).content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()[3:]
    assert [r[3] for r in rows] == [world.ent_north.name]


def test_amendments_page_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    city = world.users["city"]
    client = client_for(city)
    url = reverse("programme-amendments", args=[world.programme.pk])
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    for n in range(8):
        amendments.amendment_add(
            programme=world.programme,
            enterprise=f.enterprise(world.north),
            grounds=["emissions"],
            reason=f"补充{n}",
            upload=SimpleUploadedFile("a.pdf", b"%PDF proof"),
            actor=city,
        )
    assert len(small.captured_queries) >= 3
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
