"""The annual disclosure of 部令第24号 Art. 14: the years, the prefill from the case, saving and
submitting, the public pages by year, the refused users and bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts.roles import Role
from qingshen.cases import annual_disclosures as annual
from qingshen.cases.annual_rules import YEARS_AFTER_ACCEPTANCE
from qingshen.cases.errors import CaseNotFound, TransitionRefused
from qingshen.cases.models import AnnualDisclosure, AuditCase
from qingshen.cases.states import level_label
from qingshen.procedures.models import Rule
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from qingshen.trail.models import Event
from tests import factories as f
from tests.factories import form_errors_shown

TODAY = timezone.localdate()


def _case_published(world, *, published_on, grounds=("hazardous",), other_reason=""):
    ent = f.enterprise(world.north, name=f"年报企业{published_on.year}有限公司")
    year = next(y for y in range(2020, 2036) if not world.city.programmes.filter(year=y).exists())
    programme = programme_services.programme_create(city=world.city, year=year, actor=world.users["city"])
    programme_listings.listing_add(
        programme=programme, enterprise=ent, grounds=list(grounds), other_reason=other_reason,
        actor=world.users["city"],
    )  # fmt: skip
    f.confirm_list(programme, city_user=world.users["city"], province_user=world.users["province"])
    programme_lists.list_transition(
        name="publish", programme=programme, actor=world.users["city"], published_on=published_on
    )
    return AuditCase.objects.get(enterprise=ent), f.user(f"annual-{ent.pk}", Role.ENTERPRISE, enterprise=ent)


def test_the_rules_are_seeded_with_their_source(db):
    rule = Rule.objects.get(code=YEARS_AFTER_ACCEPTANCE)
    assert "第十四条" in rule.source and rule.amount == 0
    assert annual.due_on(2025) == datetime.date(2026, 3, 15)


def test_years_run_from_the_listing_to_the_acceptance(world):
    case = world.case_north
    assert annual.disclosure_years(case) == [case.published_on.year]
    two_years_back = datetime.date(TODAY.year - 2, 3, 1)
    old, _user = _case_published(world, published_on=two_years_back)
    assert annual.disclosure_years(old) == [TODAY.year - 2, TODAY.year - 1, TODAY.year]
    AuditCase.objects.filter(pk=old.pk).update(
        accepted_on=datetime.date(TODAY.year - 1, 5, 1), state="accepted"
    )
    old.refresh_from_db()
    assert annual.disclosure_years(old) == [TODAY.year - 2, TODAY.year - 1]
    Rule.objects.filter(code=YEARS_AFTER_ACCEPTANCE).update(amount=3)  # the city reads the text otherwise
    assert annual.disclosure_years(old) == [TODAY.year - 2, TODAY.year - 1, TODAY.year]


def test_prefill_comes_from_the_case_as_it_stood_at_the_end_of_the_year(world):
    case = world.case_north
    f.walk(case, "accepted", city_user=world.users["city"], enterprise_user=world.users["enterprise"])
    case.refresh_from_db()
    text = annual.annual_prefill(case, case.published_on.year)
    assert case.published_on.isoformat() in text["reason"] and "双超" in text["reason"]
    assert case.audit_started_on.isoformat() in text["progress"]
    assert case.evaluation_passed_on.isoformat() in text["evaluation"]
    assert case.accepted_on.isoformat() in text["acceptance"] and level_label("II") in text["acceptance"]
    # The year before the listing knew nothing of it.
    before = annual.annual_prefill(case, case.published_on.year - 1)
    assert before["progress"] == "—" and case.accepted_on.isoformat() not in before["acceptance"]
    facts = annual.annual_facts(case, case.published_on.year)
    assert facts["level"] == "II" and facts["grounds"] == ["emissions"]


def test_save_then_submit_publishes_and_locks(world):
    case, user = world.case_north, world.users["enterprise"]
    year = case.published_on.year
    content = annual.annual_prefill(case, year) | {"progress": "已开展预审核。"}
    draft = annual.annual_disclosure_save(case=case, year=year, actor=user, content=content)
    assert draft.status == "draft" and draft.content["progress"] == "已开展预审核。"
    assert not annual_public(draft)
    record = annual.annual_disclosure_save(case=case, year=year, actor=user, content=content, submit=True)
    assert record.pk == draft.pk and record.status == "submitted" and record.submitted_on == TODAY
    assert record.facts["steps"][0][0] == "published_on"
    assert Event.objects.filter(action="annual_disclosure.submit", object_id=str(record.pk)).exists()
    with pytest.raises(TransitionRefused):
        annual.annual_disclosure_save(case=case, year=year, actor=user, content=content)
    assert AnnualDisclosure.objects.get(pk=record.pk).content["progress"] == "已开展预审核。"


def annual_public(record):
    from qingshen.cases import scoping

    return scoping.annual_disclosures_public().filter(pk=record.pk).exists()


@pytest.mark.parametrize(
    ("year_offset", "content", "submit"),
    [
        (-5, {"reason": "x"}, False),  # a year the case does not disclose
        (0, {"reason": "x" * 4001}, False),  # too long
        (0, {"reason": "原因", "progress": ""}, True),  # an item left empty at submission
        (0, {"reason": "原\u202e因"}, False),  # a text-direction character
    ],
)
def test_bad_input_is_refused_and_changes_nothing(world, year_offset, content, submit):
    case = world.case_north
    year = case.published_on.year + year_offset
    with pytest.raises(TransitionRefused):
        annual.annual_disclosure_save(
            case=case, year=year, actor=world.users["enterprise"], content=content, submit=submit
        )
    assert not AnnualDisclosure.objects.filter(case=case).exists()


def test_other_users_may_not_write(world):
    case = world.case_north
    for role in ("enterprise_south", "city", "agency"):
        with pytest.raises(CaseNotFound):
            annual.annual_disclosure_save(
                case=case, year=case.published_on.year, actor=world.users[role], content={"reason": "x"}
            )
    assert not AnnualDisclosure.objects.filter(case=case).exists()


def test_portal_form_prefills_saves_and_submits(world, client_for):
    case = world.case_north
    url = reverse("case-annual", args=[case.pk])
    client = client_for(world.users["enterprise"])
    page = client.get(url)
    assert page.status_code == 200
    assert case.published_on.isoformat() in page.context["form"].initial["reason"]
    year = case.published_on.year
    data = {"year": year, "reason": "因超标排放列入名单。", "progress": "已开展审核。", "evaluation": "尚未评估。",
            "acceptance": "尚未验收。"}  # fmt: skip
    assert client.post(url, data | {"save": "1"}).status_code == 302
    record = AnnualDisclosure.objects.get(case=case, year=year)
    assert record.status == "draft" and record.content["reason"] == "因超标排放列入名单。"
    assert client.post(url, data | {"submit": "1"}).status_code == 302
    record.refresh_from_db()
    assert record.status == "submitted"
    shown = client.get(url)
    assert "annual-form" not in shown.content.decode() and "因超标排放列入名单。" in shown.content.decode()


def test_portal_bad_input_shows_on_the_form(world, client_for):
    case = world.case_north
    url = reverse("case-annual", args=[case.pk])
    client = client_for(world.users["enterprise"])
    response = client.post(url, {"year": case.published_on.year, "reason": "原因", "submit": "1"})
    assert response.status_code == 200
    assert form_errors_shown(response, "annual-form")
    assert not AnnualDisclosure.objects.filter(case=case).exists()
    # A year the case has none for, or no year at all: a message, nothing saved.
    response = client.post(url, {"year": case.published_on.year - 3, "reason": "原因", "save": "1"})
    assert response.status_code == 200 and form_errors_shown(response, "annual-form")
    assert client.get(url, {"year": "abc"}).status_code == 302
    assert client.get(url, {"year": "1999"}).status_code == 302
    assert not AnnualDisclosure.objects.filter(case=case).exists()


def test_refused_users_get_404(world, client_for):
    case = world.case_north
    url = reverse("case-annual", args=[case.pk])
    for role in ("enterprise_south", "district_south", "auditor", "sysadmin", "expert"):
        assert client_for(world.users[role]).get(url).status_code == 404, role
    # Staff who see the case read it but may not write.
    city = client_for(world.users["city"])
    assert city.get(url).status_code == 200
    assert city.post(url, {"year": case.published_on.year, "reason": "x", "save": "1"}).status_code == 404
    assert not AnnualDisclosure.objects.filter(case=case).exists()


def test_public_pages_by_year(world, client):
    old, user = _case_published(world, published_on=datetime.date(TODAY.year - 1, 4, 1))
    last_year = TODAY.year - 1
    record_old = annual.annual_disclosure_save(
        case=old, year=last_year, actor=user, content=annual.annual_prefill(old, last_year), submit=True
    )
    case = world.case_north
    record_new = annual.annual_disclosure_save(
        case=case, year=TODAY.year, actor=world.users["enterprise"],
        content=annual.annual_prefill(case, TODAY.year), submit=True,
    )  # fmt: skip
    draft = annual.annual_disclosure_save(
        case=old, year=TODAY.year, actor=user, content=annual.annual_prefill(old, TODAY.year)
    )
    client.logout()
    index = client.get(reverse("public-annual"))
    assert index.status_code == 200 and index.context["years"] == [TODAY.year, last_year]
    assert [r.pk for r in index.context["page"]] == [record_new.pk]  # the newest year first
    by_year = client.get(reverse("public-annual"), {"year": last_year})
    assert [r.pk for r in by_year.context["page"]] == [record_old.pk]
    detail = client.get(reverse("public-annual-disclosure", args=[record_old.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert old.enterprise.name in body and "双有" in body
    # A draft is not public; a year without any, or no number, says so.
    assert client.get(reverse("public-annual-disclosure", args=[draft.pk])).status_code == 404
    for bad in ("1999", "abc"):
        response = client.get(reverse("public-annual"), {"year": bad})
        assert response.status_code == 200 and 'id="annual-bad-year"' in response.content.decode()


def test_withdrawn_cases_leave_the_public_pages(world, client):
    case = world.case_north
    record = annual.annual_disclosure_save(
        case=case, year=TODAY.year, actor=world.users["enterprise"],
        content=annual.annual_prefill(case, TODAY.year), submit=True,
    )  # fmt: skip
    AuditCase.objects.filter(pk=case.pk).update(state="withdrawn")
    assert client.get(reverse("public-annual-disclosure", args=[record.pk])).status_code == 404
