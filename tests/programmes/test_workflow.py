"""The list's workflow through the services: proposals, merge, confirmation, publication, amendments,
carry-over and the plan list — each step allowed for its role and refused for the others."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qingshen.programmes import amendments, listings, lists, plan, selectors, services
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Amendment, DistrictProposal, Programme
from qingshen.trail.models import Event
from tests import factories as f


def _pdf(name="proof.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 proof", content_type="application/pdf")


@pytest.fixture
def draft(world):
    return services.programme_create(city=world.city, year=2027, actor=world.users["city"])


def test_district_proposes_submits_and_is_locked_until_returned(world, draft):
    north, city = world.users["district"], world.users["city"]
    ent = f.enterprise(world.north)
    listings.listing_add(programme=draft, enterprise=ent, grounds=["emissions"], actor=north, note="超标排放")
    lists.list_transition(name="proposal.submit", programme=draft, district=world.north, actor=north)
    proposal = DistrictProposal.objects.get(programme=draft, district=world.north)
    assert proposal.status == "submitted" and proposal.submitted_by == north
    with pytest.raises(ProgrammeError):  # frozen once submitted
        listings.listing_add(
            programme=draft, enterprise=f.enterprise(world.north), grounds=["energy"], actor=north
        )
    with pytest.raises(ProgrammeError):  # a submitted proposal is not submitted twice
        lists.list_transition(name="proposal.submit", programme=draft, district=world.north, actor=north)
    with pytest.raises(ProgrammeError):  # the city must say why
        lists.list_transition(
            name="proposal.return", programme=draft, district=world.north, actor=city, comment=" "
        )
    lists.list_transition(
        name="proposal.return", programme=draft, district=world.north, actor=city, comment="补充纳入理由"
    )
    proposal.refresh_from_db()
    assert proposal.status == "returned" and proposal.comment == "补充纳入理由"
    listings.listing_add(
        programme=draft, enterprise=f.enterprise(world.north), grounds=["energy"], actor=north
    )
    lists.list_transition(name="proposal.submit", programme=draft, district=world.north, actor=north)
    actions = list(
        Event.objects.filter(object_type="programmes.districtproposal").values_list("action", flat=True)
    )
    assert actions == ["programme.proposal.submit", "programme.proposal.return", "programme.proposal.submit"]


@pytest.mark.parametrize(
    "who", ["district_south", "city", "province", "supervisor", "enterprise", "sysadmin"]
)
def test_only_the_district_itself_submits_its_proposal(world, draft, who):
    with pytest.raises(ProgrammeError):
        lists.list_transition(
            name="proposal.submit", programme=draft, district=world.north, actor=world.users[who]
        )


@pytest.mark.parametrize("who", ["district", "province", "supervisor", "enterprise"])
def test_only_the_city_returns_a_proposal(world, draft, who):
    lists.list_transition(
        name="proposal.submit", programme=draft, district=world.north, actor=world.users["district"]
    )
    with pytest.raises(ProgrammeError):
        lists.list_transition(
            name="proposal.return", programme=draft, district=world.north, actor=world.users[who], comment="x"
        )


def test_proposals_are_scoped_between_districts(world, draft):
    north = world.users["district"]
    listings.listing_add(
        programme=draft, enterprise=f.enterprise(world.north), grounds=["emissions"], actor=north
    )
    listings.listing_add(
        programme=draft,
        enterprise=f.enterprise(world.south),
        grounds=["emissions"],
        actor=world.users["district_south"],
    )
    assert list(scoping_districts(north, draft)) == [world.north.pk]
    assert set(scoping_districts(world.users["city"], draft)) == {
        world.north.pk,
        world.south.pk,
        world.zone.pk,
    }
    assert {lst.enterprise.jurisdiction_id for lst in selectors.listings_of(user=north, programme=draft)} == {
        world.north.pk
    }
    overview = selectors.proposals_overview(user=north, programme=draft)
    assert [r["district"] for r in overview] == [world.north] and overview[0]["count"] == 1


def scoping_districts(user, programme):
    from qingshen.programmes import scoping

    return scoping.proposal_districts_visible(user, programme).values_list("pk", flat=True)


def test_city_submits_province_returns_then_confirms_city_publishes(
    world, draft, mailoutbox, django_capture_on_commit_callbacks
):
    city, province = world.users["city"], world.users["province"]
    ent = f.enterprise(world.north, contact_email="ehs@example.cn")
    with pytest.raises(ProgrammeError):  # an empty list is not submitted
        lists.list_transition(name="submit", programme=draft, actor=city)
    listings.listing_add(programme=draft, enterprise=ent, grounds=["energy"], actor=world.users["district"])
    lists.list_transition(
        name="proposal.submit", programme=draft, district=world.north, actor=world.users["district"]
    )
    _holder, missing = selectors.list_holder(draft, selectors.proposals_overview(user=city, programme=draft))
    assert any(world.south.name in m for m in missing)  # the south has not submitted yet
    with pytest.raises(ProgrammeError):
        lists.list_transition(name="confirm", programme=draft, actor=province)  # not submitted yet
    lists.list_transition(name="submit", programme=draft, actor=city)
    assert DistrictProposal.objects.get(programme=draft, district=world.north).status == "merged"
    with pytest.raises(ProgrammeError):  # frozen while the province holds it
        listings.listing_add(
            programme=draft, enterprise=f.enterprise(world.north), grounds=["energy"], actor=city
        )
    for who in ("city", "district", "supervisor"):
        with pytest.raises(ProgrammeError):
            lists.list_transition(name="confirm", programme=draft, actor=world.users[who])
    with pytest.raises(ProgrammeError):
        lists.list_transition(name="return", programme=draft, actor=province, comment="")
    lists.list_transition(name="return", programme=draft, actor=province, comment="请核实能耗数据")
    draft.refresh_from_db()
    assert draft.list_state == "draft" and draft.return_comment == "请核实能耗数据"
    lists.list_transition(name="submit", programme=draft, actor=city)
    lists.list_transition(name="confirm", programme=draft, actor=province)
    with pytest.raises(ProgrammeError):
        lists.list_transition(name="publish", programme=draft, actor=province)
    with django_capture_on_commit_callbacks(execute=True):  # mail leaves after the commit
        lists.list_transition(name="publish", programme=draft, actor=city, published_on=timezone.localdate())
    draft.refresh_from_db()
    assert draft.list_state == "published"
    case = draft.cases.get()
    assert case.listing.lead_authority == "energy"
    notice = Event.objects.get(action="enterprise.notify", object_id=str(case.listing.pk))
    assert notice.after["mailed_to"] == ["ehs@example.cn"]
    # The listing notice, and (from the portal) the enterprise account's invitation.
    assert [m.to for m in mailoutbox] == [["ehs@example.cn"]] * 2
    assert sum(str(case.listing.programme.year) in m.subject + m.body for m in mailoutbox) >= 1
    actions = set(Event.objects.filter(object_type="programmes.programme").values_list("action", flat=True))
    assert {"programme.submit", "programme.return", "programme.confirm", "programme.publish"} <= actions


def test_a_province_elsewhere_may_not_confirm(world, draft):
    other = f.jurisdiction("另一省", "province", code="510000")
    stranger = f.user("prov2", "province", jurisdiction=other)
    listings.listing_add(
        programme=draft, enterprise=f.enterprise(world.north), grounds=["energy"], actor=world.users["city"]
    )
    lists.list_transition(name="submit", programme=draft, actor=world.users["city"])
    with pytest.raises(ProgrammeError):
        lists.list_transition(name="confirm", programme=draft, actor=stranger)


def test_enterprise_without_address_is_notified_in_the_log_only(world, mailoutbox):
    assert Event.objects.filter(action="enterprise.notify").count() == 2  # the world's two listings
    assert mailoutbox == []


# --- amendments -----------------------------------------------------------------------------------


def test_amendment_adds_a_case_and_removes_one_by_withdrawal(world):
    city, programme = world.users["city"], world.programme
    ent = f.enterprise(world.zone)
    amendment = amendments.amendment_add(
        programme=programme,
        enterprise=ent,
        grounds=["hazardous"],
        reason="新发现使用重金属",
        upload=_pdf(),
        actor=city,
    )
    case = amendment.listing.case
    assert case.state == "listed" and case.published_on == timezone.localdate()
    assert amendment.document.case == case and amendment.kind == "add"
    removal = amendments.amendment_remove(
        listing=world.case_north.listing, reason="企业已关停", upload=_pdf("closed.pdf"), actor=city
    )
    world.case_north.refresh_from_db()
    assert world.case_north.state == "withdrawn" and world.case_north.withdrawn_reason == "企业已关停"
    assert removal.document.kind == "withdrawal"
    assert Event.objects.filter(
        action="case.transition.withdraw", object_id=str(world.case_north.pk)
    ).exists()
    assert set(Amendment.objects.values_list("kind", flat=True)) == {"add", "remove"}
    with pytest.raises(ProgrammeError):  # already withdrawn
        amendments.amendment_remove(
            listing=world.case_north.listing, reason="再次", upload=_pdf(), actor=city
        )


@pytest.mark.parametrize("who", ["district", "province", "supervisor", "enterprise"])
def test_only_the_city_amends(world, who):
    with pytest.raises(ProgrammeError):
        amendments.amendment_add(
            programme=world.programme,
            enterprise=f.enterprise(world.north),
            grounds=["emissions"],
            reason="x",
            upload=_pdf(),
            actor=world.users[who],
        )
    with pytest.raises(ProgrammeError):
        amendments.amendment_remove(
            listing=world.case_north.listing, reason="x", upload=_pdf(), actor=world.users[who]
        )
    world.case_north.refresh_from_db()
    assert world.case_north.state == "listed"


def test_amendment_needs_reason_and_document_and_a_published_list(world, draft):
    city = world.users["city"]
    ent = f.enterprise(world.north)
    for kwargs in ({"reason": "", "upload": _pdf()}, {"reason": "x", "upload": None}):
        with pytest.raises(ProgrammeError):
            amendments.amendment_add(
                programme=world.programme, enterprise=ent, grounds=["emissions"], actor=city, **kwargs
            )
        with pytest.raises(ProgrammeError):
            amendments.amendment_remove(listing=world.case_north.listing, actor=city, **kwargs)
    with pytest.raises(ProgrammeError):  # a draft is edited, not amended
        amendments.amendment_add(
            programme=draft, enterprise=ent, grounds=["emissions"], reason="x", upload=_pdf(), actor=city
        )
    assert not world.programme.listings.filter(enterprise=ent).exists()


# --- carry-over -----------------------------------------------------------------------------------


@pytest.fixture
def old_programme(world):
    """A 2025 programme published 400 days ago: its case has run out of time."""
    city = world.users["city"]
    programme = services.programme_create(city=world.city, year=2025, actor=city)
    listings.listing_add(
        programme=programme, enterprise=f.enterprise(world.south), grounds=["emissions"], actor=city
    )
    f.confirm_list(programme, city_user=city, province_user=world.users["province"])
    lists.list_transition(
        name="publish",
        programme=programme,
        actor=city,
        published_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    return programme


def test_carry_over_lists_earlier_unaccepted_cases_by_itself(world, draft, old_programme):
    city = world.users["city"]
    old_case = old_programme.cases.get()
    # The panel fails the audit (nobody fails a case by hand): the case is back in auditing.
    f.walk(
        world.case_south, "evaluation_failed", city_user=city, enterprise_user=world.users["enterprise_south"]
    )
    rows = {c.pk: c for c in selectors.carry_over_cases(user=city, programme=draft)}
    assert set(rows) == {old_case.pk, world.case_north.pk, world.case_south.pk}
    assert rows[old_case.pk].overdue and rows[old_case.pk].relistable
    assert rows[world.case_south.pk].failed and rows[world.case_south.pk].relistable
    assert not rows[world.case_north.pk].relistable  # simply unfinished
    # Withdrawn and accepted cases are not carried over; a district sees its own only.
    amendments.amendment_remove(listing=world.case_north.listing, reason="关停", upload=_pdf(), actor=city)
    assert world.case_north.pk not in {c.pk for c in selectors.carry_over_cases(user=city, programme=draft)}
    south = world.users["district_south"]
    assert {c.pk for c in selectors.carry_over_cases(user=south, programme=draft)} == {
        old_case.pk,
        world.case_south.pk,
    }
    assert not selectors.carry_over_cases(user=world.users["district"], programme=draft).exists()
    # A programme does not carry its own or later cases.
    assert old_case.pk not in {c.pk for c in selectors.carry_over_cases(user=city, programme=old_programme)}


def test_city_relists_a_case_that_ran_out_of_time(world, draft, old_programme):
    city = world.users["city"]
    old_case = old_programme.cases.get()
    with pytest.raises(ProgrammeError):  # unfinished but neither failed nor late
        listings.listing_relist(programme=draft, case=world.case_north, grounds=["emissions"], actor=city)
    with pytest.raises(ProgrammeError):
        listings.listing_relist(
            programme=draft, case=old_case, grounds=["emissions"], actor=world.users["district_south"]
        )
    listing = listings.listing_relist(programme=draft, case=old_case, grounds=["emissions"], actor=city)
    assert listing.carried_from == old_case and listing.enterprise == old_case.enterprise
    row = selectors.carry_over_cases(user=city, programme=draft).get(pk=old_case.pk)
    assert row.relisted and not row.relistable
    with pytest.raises(ProgrammeError):
        listings.listing_relist(programme=draft, case=old_case, grounds=["emissions"], actor=city)


# --- plan list (附件4) ----------------------------------------------------------------------------


def test_plan_list_proposed_by_districts_merged_by_the_city_without_cases(world, draft):
    north = world.users["district"]
    entry = plan.plan_entry_add(
        programme=draft,
        enterprise=f.enterprise(world.north),
        planned_year=2028,
        grounds=["hazardous"],
        actor=north,
    )
    plan.plan_entry_add(
        programme=draft,
        enterprise=f.enterprise(world.south),
        planned_year=2029,
        grounds=[],
        actor=world.users["city"],
    )
    with pytest.raises(ProgrammeError):  # only the next two years
        plan.plan_entry_add(
            programme=draft, enterprise=f.enterprise(world.north), planned_year=2030, grounds=[], actor=north
        )
    with pytest.raises(ProgrammeError):  # not the district's own
        plan.plan_entry_add(
            programme=draft, enterprise=f.enterprise(world.south), planned_year=2028, grounds=[], actor=north
        )
    with pytest.raises(ProgrammeError):
        plan.plan_entry_add(
            programme=draft,
            enterprise=entry.enterprise,
            planned_year=2029,
            grounds=[],
            actor=world.users["city"],
        )
    assert [e.planned_year for e in selectors.plan_entries_of(user=world.users["city"], programme=draft)] == [
        2028,
        2029,
    ]
    assert selectors.plan_entries_of(user=north, programme=draft).count() == 1
    assert draft.cases.count() == 0 and Programme.objects.get(pk=draft.pk).list_state == "draft"
