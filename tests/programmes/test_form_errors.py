"""The list pages show a form's errors beside its fields, and a refused service call on the form itself:
the page comes back (200) with what was typed, instead of a redirect with a flashed message."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from qingshen.programmes import listings, lists, services
from qingshen.programmes.imports import batches
from qingshen.programmes.models import ImportBatch
from tests import factories as f
from tests.programmes import sheets


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


def _shown_on_the_form(response, form_id, *, field=None, text=None):
    """The page came back with the form `form_id` carrying the error (beside `field`, or above the
    fields for a refusal), and nothing was flashed instead."""
    html = response.content.decode()
    assert response.status_code == 200, response.get("Location")
    start = html.index(f'id="{form_id}"')
    form = html[start : html.index("</form>", start)]
    if field is not None:
        assert f'data-field="{field}"' in form
    else:
        assert "data-form-errors" in form
    if text is not None:
        assert str(text) in form
    assert list(get_messages(response.wsgi_request)) == []
    return form


def _zh(message):
    """The message as the pages show it (the site's language)."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


def test_a_listing_without_grounds_is_shown_on_the_programme_page(world, draft, client_for):
    client = client_for(world.users["city"])
    ent = f.enterprise(world.south, "南区待定企业")
    response = client.post(reverse("listing-add", args=[draft.pk]), {"enterprise": ent.pk, "note": "待核实"})
    form = _shown_on_the_form(response, "listing-add", field="grounds")
    assert 'value="待核实"' in form and f'value="{ent.pk}" selected' in form
    assert not draft.listings.filter(enterprise=ent).exists()


def test_a_refused_listing_is_shown_on_the_form(world, draft, client_for):
    """The ground “other” without its reason passes the form and is refused by the service."""
    client = client_for(world.users["city"])
    ent = f.enterprise(world.south)
    response = client.post(
        reverse("listing-add", args=[draft.pk]), {"enterprise": ent.pk, "grounds": ["other"]}
    )
    _shown_on_the_form(response, "listing-add", text=_zh("The ground “other” needs a reason."))
    assert not draft.listings.filter(enterprise=ent).exists()


def test_a_refused_listing_on_the_proposal_page_comes_back_to_that_page(world, draft, client_for):
    page = reverse("proposal-page", args=[draft.pk, world.north.pk])
    response = client_for(world.users["district"]).post(
        reverse("listing-add", args=[draft.pk]),
        {"enterprise": f.enterprise(world.north).pk, "grounds": ["other"], "next": page},
    )
    form = _shown_on_the_form(response, "proposal-add", text=_zh("The ground “other” needs a reason."))
    assert f'name="next" value="{page}"' in form
    assert (
        f'action="{reverse("proposal-return", args=[draft.pk, world.north.pk])}"'
        not in response.content.decode()
    )


def test_a_publication_date_in_the_future_is_refused_on_the_publish_form(world, draft, client_for):
    city = world.users["city"]
    f.confirm_list(draft, city_user=city, province_user=world.users["province"])
    client = client_for(city)
    url = reverse("programme-publish", args=[draft.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"published_on": f"{tomorrow:%Y-%m-%d}"})
    form = _shown_on_the_form(
        response, "programme-publish", text=_zh("The publication date cannot be in the future.")
    )
    assert f'value="{tomorrow:%Y-%m-%d}"' in form
    _shown_on_the_form(
        client.post(url, {"published_on": "not a date"}), "programme-publish", field="published_on"
    )
    draft.refresh_from_db()
    assert draft.list_state == "confirmed" and not draft.cases.exists()


def test_returning_a_proposal_without_a_comment_is_shown_beside_the_comment(world, draft, client_for):
    lists.list_transition(
        programme=draft, name="proposal.submit", district=world.north, actor=world.users["district"]
    )
    response = client_for(world.users["city"]).post(
        reverse("proposal-return", args=[draft.pk, world.north.pk]), {"comment": "   "}
    )
    _shown_on_the_form(response, "proposal-return-form", field="comment")
    assert draft.proposals.get().status == "submitted"


def test_returning_the_list_without_a_comment_is_shown_beside_the_comment(world, draft, client_for):
    lists.list_transition(programme=draft, name="submit", actor=world.users["city"])
    response = client_for(world.users["province"]).post(
        reverse("programme-confirm", args=[draft.pk]), {"decision": "return", "comment": ""}
    )
    _shown_on_the_form(response, "programme-return-form", field="comment")
    draft.refresh_from_db()
    assert draft.list_state == "submitted"


def test_an_amendment_without_its_document_is_shown_beside_the_file_field(world, client_for):
    response = client_for(world.users["city"]).post(
        reverse("programme-amendments", args=[world.programme.pk]),
        {"kind": "remove", "remove-listing": world.case_north.listing.pk, "remove-reason": "关停"},
    )
    form = _shown_on_the_form(response, "amend-remove", field="remove-document")
    assert "关停" in form
    world.case_north.refresh_from_db()
    assert world.case_north.state == "listed"


def test_a_refused_amendment_is_shown_on_its_form(world, client_for):
    """A file the document store refuses passes the form and is refused by the service."""
    ent = f.enterprise(world.zone)
    response = client_for(world.users["city"]).post(
        reverse("programme-amendments", args=[world.programme.pk]),
        {
            "kind": "add",
            "add-enterprise": ent.pk,
            "add-grounds": ["energy"],
            "add-reason": "新增",
            "add-document": SimpleUploadedFile("a.exe", b"MZ" + b"\0" * 64),
        },
    )
    _shown_on_the_form(response, "amend-add")
    assert not world.programme.listings.filter(enterprise=ent).exists()


def test_a_plan_entry_without_a_year_is_shown_beside_the_year(world, draft, client_for):
    response = client_for(world.users["district"]).post(
        reverse("programme-plan", args=[draft.pk]),
        {"enterprise": f.enterprise(world.north).pk, "planned_year": "2031", "note": "后年"},
    )
    form = _shown_on_the_form(response, "plan-add", field="planned_year")
    assert 'value="后年"' in form and not draft.plan_entries.exists()


def test_a_relisting_without_grounds_is_shown_in_its_row(world, draft, client_for):
    city = world.users["city"]
    old = services.programme_create(city=world.city, year=2025, actor=city)
    listings.listing_add(
        programme=old, enterprise=f.enterprise(world.south), grounds=["emissions"], actor=city
    )
    f.confirm_list(old, city_user=city, province_user=world.users["province"])
    lists.list_transition(
        programme=old,
        name="publish",
        actor=city,
        published_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    case = old.cases.get()
    response = client_for(city).post(
        reverse("programme-relist", args=[draft.pk, case.pk]), {"other_reason": "逾期未完成"}
    )
    form = _shown_on_the_form(response, f"relist-{case.pk}", field="grounds")
    assert 'value="逾期未完成"' in form and not draft.listings.filter(carried_from=case).exists()


def test_a_refused_upload_is_shown_on_the_import_form(world, draft, client_for):
    response = client_for(world.users["city"]).post(
        reverse("import-upload", args=[draft.pk]),
        {"kind": "annual", "file": SimpleUploadedFile("list.xlsx", b"MZ" + b"\0" * 100)},
    )
    _shown_on_the_form(response, "import-form")
    assert not ImportBatch.objects.exists()


def test_a_missing_name_decision_is_shown_beside_its_row(
    world, draft, client_for, django_capture_on_commit_callbacks
):
    ent = f.enterprise(world.north, "北区化工有限公司")
    rows = [[1, "北区", "北区化工集团有限公司", ent.uscc, "", "双超", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.import_batch_create(
            programme=draft,
            kind="annual",
            upload=SimpleUploadedFile("list.xlsx", sheets.xlsx(rows)),
            actor=world.users["city"],
        )
    batch.refresh_from_db()
    assert batch.status == "ready"
    response = client_for(world.users["city"]).post(reverse("import-commit", args=[batch.pk]))
    _shown_on_the_form(response, "import-commit-form", field="decision-2")
    batch.refresh_from_db()
    assert batch.status == "ready"
