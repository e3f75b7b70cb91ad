"""The Art. 11 disclosure: fields by ground, the `disclose` guard, publication, late/missing flags."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts.roles import Role
from qingshen.cases import disclosures, selectors, services
from qingshen.cases.disclosure_fields import fields_for, missing_items
from qingshen.cases.errors import CaseNotFound, TransitionRefused
from qingshen.cases.lifecycle import Action
from qingshen.cases.models import AuditCase, CaseDeadline, Disclosure
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from tests import factories as f
from tests.factories import form_errors_shown

PDF = b"%PDF-1.4\n% proof\n"


def _new_case(world, grounds, other_reason="", days_ago=5, email=""):
    ent = f.enterprise(world.north, legal_representative="王五", address="北区工业园1号",
                       contact_name="赵六", contact_phone="13800001111", contact_email=email)  # fmt: skip
    # A year of its own, within the years a programme may have (the programme_year_span rule).
    year = next(y for y in range(2020, 2036) if not world.city.programmes.filter(year=y).exists())
    programme = programme_services.programme_create(city=world.city, year=year, actor=world.users["city"])
    programme_listings.listing_add(
        programme=programme,
        enterprise=ent,
        grounds=grounds,
        other_reason=other_reason,
        actor=world.users["city"],
    )
    f.confirm_list(programme, city_user=world.users["city"], province_user=world.users["province"])
    programme_lists.list_transition(
        name="publish",
        programme=programme,
        actor=world.users["city"],
        published_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )
    case = AuditCase.objects.get(enterprise=ent)
    return case, f.user(f"enterprise-user-{ent.pk}", Role.ENTERPRISE, enterprise=ent)


def _keys(grounds):
    return {fl.key for _s, fl in fields_for(grounds)}


@pytest.mark.parametrize(
    ("grounds", "must", "must_not"),
    [
        (["emissions"], {"pollutants", "exceedance"}, {"energy_per_product", "toxic_materials"}),
        (["energy"], {"energy_per_product", "energy_exceedance"}, {"pollutants", "toxic_materials"}),
        (
            ["hazardous"],
            {"toxic_materials", "hazardous_waste", "risk_controls"},
            {"pollutants", "energy_per_product"},
        ),
        (["emissions", "hazardous"], {"pollutants", "toxic_materials"}, {"energy_per_product"}),
        (["other"], {"other_information"}, {"pollutants"}),
        (
            ["emissions", "energy", "hazardous", "other"],
            {"pollutants", "energy_per_product", "toxic_materials", "other_information"},
            set(),
        ),
    ],
)
def test_fields_depend_on_the_grounds(grounds, must, must_not):
    keys = _keys(grounds)
    assert {"enterprise_name", "legal_representative", "address"} <= keys
    assert must <= keys and not (must_not & keys)


def test_form_shows_the_fields_of_the_listing_grounds(world, client_for):
    case, user = _new_case(world, ["energy", "hazardous"])
    page = client_for(user).get(reverse("case-disclosure", args=[case.pk])).content.decode()
    assert 'name="energy_per_product"' in page and 'name="toxic_materials"' in page
    assert 'name="pollutants"' not in page
    assert "王五" in page  # prefilled from the register


def test_disclose_is_refused_without_a_complete_disclosure(world):
    case, user = _new_case(world, ["emissions"])
    with pytest.raises(TransitionRefused) as err:
        services.case_transition(case_id=case.pk, actor=user, action=Action.DISCLOSE)
    form = reverse("case-disclosure", args=[case.pk])
    # Each refusal names the form and links to it; the address itself is never in the text.
    assert err.value.link[0] == form and form not in err.value.message
    content = disclosures.disclosure_minimal_content(case)
    content["pollutants"] = ""
    disclosures.disclosure_save(case=case, actor=user, content=content)
    with pytest.raises(TransitionRefused) as err:
        services.case_transition(case_id=case.pk, actor=user, action=Action.DISCLOSE)
    assert "主要污染物" in err.value.message or "Main pollutants" in err.value.message
    assert err.value.link[0] == form and form not in err.value.message
    content["pollutants"] = "COD、氨氮"
    disclosures.disclosure_save(case=case, actor=user, content=content)
    with pytest.raises(TransitionRefused) as err:  # no proof of publication yet
        services.case_transition(case_id=case.pk, actor=user, action=Action.DISCLOSE)
    assert err.value.link[0] == form and form not in err.value.message
    case.refresh_from_db()
    assert case.state == "listed" and Disclosure.objects.get(case=case).status == "draft"


def test_the_refusal_on_the_case_page_links_the_form_by_its_name(world, client_for):
    case, user = _new_case(world, ["emissions"])
    client = client_for(user)
    response = client.post(
        reverse("case-transition", args=[case.pk]),
        {"action": "disclose", "version": case.version, "do": "disclose"},
        follow=True,
    )
    form = reverse("case-disclosure", args=[case.pk])
    alert = response.content.decode().split('class="alert alert-danger"', 1)[1].split("</div>", 1)[0]
    assert f'<a class="alert-link" href="{form}">打开信息公开表</a>' in alert
    assert alert.count(form) == 1  # only in the link, not in the sentence
    # On the form itself the sentence stands alone: no link to the page the user is on.
    response = client.post(form, {"submit": "1"}, follow=True)
    assert (
        "alert-danger" in response.content.decode() and 'class="alert-link"' not in response.content.decode()
    )


def test_submission_discloses_publishes_and_freezes(world, client):
    case, user = _new_case(world, ["emissions", "other"], other_reason="重点工作任务")
    content = disclosures.disclosure_minimal_content(case)
    assert missing_items(case.listing.grounds, content) == []
    disclosures.disclosure_save(
        case=case, actor=user, content=content, proof_upload=ContentFile(PDF, name="截图.pdf")
    )
    assert client.get(reverse("public-disclosures")).content.decode().count(case.enterprise.name) == 0
    moved = services.disclosure_submit(case_id=case.pk, actor=user)
    assert moved.state == "disclosed" and moved.disclosed_on == timezone.localdate()
    disclosure = Disclosure.objects.get(case=case)
    assert (
        disclosure.status == "submitted"
        and disclosure.submitted_by == user
        and disclosure.proof.kind == "disclosure_proof"
    )
    with pytest.raises(TransitionRefused):
        disclosures.disclosure_save(case=case, actor=user, content=content)
    assert case.enterprise.name in client.get(reverse("public-disclosures")).content.decode()
    assert selectors.disclosure_flag(case=moved) == "on_time"


def test_an_other_enterprise_cannot_fill_it(world):
    with pytest.raises(CaseNotFound):
        disclosures.disclosure_save(case=world.case_north, actor=world.users["enterprise_south"], content={})
    with pytest.raises(CaseNotFound):
        disclosures.disclosure_save(case=world.case_north, actor=world.users["city"], content={})


def test_late_and_missing_disclosure_are_flagged(world, client_for):
    case, user = _new_case(world, ["energy"], days_ago=60)
    deadline = case.deadlines.get(kind=CaseDeadline.Kind.DISCLOSURE)
    assert deadline.due_on < timezone.localdate()
    assert selectors.disclosure_flag(case=case) == "missing"
    home = client_for(user).get(reverse("portal-home")).content.decode()
    assert 'data-flag="disclosure-missing"' in home
    f.disclosure_ready(case, user)
    services.disclosure_submit(case_id=case.pk, actor=user)
    case.refresh_from_db()
    assert selectors.disclosure_flag(case=case) == "late"
    detail = client_for(world.users["city"]).get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'data-flag="late"' in detail
    public = client_for(user).get(reverse("public-disclosures")).content.decode()
    assert 'data-flag="late"' in public
    # A case not yet due is neither.
    assert selectors.disclosure_flag(case=world.case_north) == "open"


def test_the_form_saves_and_submits_through_http(world, client_for):
    case, user = _new_case(world, ["hazardous"])
    client = client_for(user)
    url = reverse("case-disclosure", args=[case.pk])
    data = disclosures.disclosure_minimal_content(case)
    response = client.post(url, {**data, "published_where": "https://example.cn/gk", "save": "1"})
    assert response.status_code == 302
    response = client.post(url, {**data, "submit": "1"}, follow=True)  # no proof yet
    form_errors_shown(response, "disclosure-form")
    case.refresh_from_db()
    assert case.state == "listed"
    response = client.post(url, {**data, "submit": "1", "proof": SimpleUploadedFile("公示.pdf", PDF)})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "disclosed"
    # Submitted: read-only, a POST is refused.
    assert client.post(url, {**data, "save": "1"}).status_code == 404
    # A renamed program as proof is refused with a message and nothing changes.
    case2, user2 = _new_case(world, ["energy"], days_ago=3)
    response = client_for(user2).post(
        reverse("case-disclosure", args=[case2.pk]),
        {**disclosures.disclosure_minimal_content(case2), "submit": "1",
         "proof": SimpleUploadedFile("公示.pdf", b"MZ\x90\x00" + b"\x00" * 60)},
        follow=True,
    )  # fmt: skip
    form_errors_shown(response, "disclosure-form")
    assert not Disclosure.objects.filter(case=case2).exists()  # refused as a whole: nothing saved


def test_the_case_page_leads_to_the_form(world, client_for):
    case, user = _new_case(world, ["emissions"])
    page = client_for(user).get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'id="action-disclose"' in page and reverse("case-disclosure", args=[case.pk]) in page
    assert 'value="disclose"' not in page
    # Once the form is complete with its proof, the case page offers the step itself.
    f.disclosure_ready(case, user)
    page = client_for(user).get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'id="action-disclose"' not in page and 'value="disclose"' in page


def test_public_pages_leak_nothing_private(world, client):
    case, user = _new_case(world, ["emissions"], email="secret-ehs@example.cn")
    f.disclosure_ready(case, user)
    services.disclosure_submit(case_id=case.pk, actor=user)
    disclosure = Disclosure.objects.get(case=case)
    draft = Disclosure.objects.get(case=world.case_north)  # a draft stays private
    listing = client.get(reverse("public-disclosures"))
    detail = client.get(reverse("public-disclosure", args=[disclosure.pk]))
    assert listing.status_code == 200 and detail.status_code == 200
    for html in (listing.content.decode(), detail.content.decode()):
        assert case.enterprise.name in html
        for private in ("赵六", "13800001111", "secret-ehs@example.cn", disclosure.proof.sha256,
                        disclosure.proof.original_name, user.username, world.ent_north.name):  # fmt: skip
            assert private not in html, private
        assert "/documents/" not in html
    assert client.get(reverse("public-disclosure", args=[draft.pk])).status_code == 404
    assert client.get(reverse("public-disclosure", args=[999999])).status_code == 404
    assert client.get(reverse("public-disclosures"), {"q": "x" * 500, "page": "abc"}).status_code == 200


def test_public_list_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    case, user = _new_case(world, ["emissions"])
    f.disclosure_ready(case, user)
    services.disclosure_submit(case_id=case.pk, actor=user)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("public-disclosures"))
    for n in range(8):
        c, u = _new_case(world, ["energy"], days_ago=n + 1)
        f.disclosure_ready(c, u)
        services.disclosure_submit(case_id=c.pk, actor=u)
    assert len(small.captured_queries) >= 2
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse("public-disclosures"))
    assert page.content.decode().count("data-disclosure=") == 9
