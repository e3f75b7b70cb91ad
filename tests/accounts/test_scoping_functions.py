"""The role checks that used to live in views, now named in scoping: through HTTP, the allowed role gets
the page (or the button) and a role outside gets 404 (or no button)."""

import pytest
from django.urls import reverse

from qingshen.oversight.models import AccountabilityRecord
from qingshen.oversight.services import accountability_open
from qingshen.programmes import listings, plan, selectors, services
from tests import factories as f


@pytest.fixture
def draft(world):
    """Next year's list of the world's city, still a draft."""
    return services.programme_create(city=world.city, year=2027, actor=world.users["city"])


def status(client_for, user, url):
    return client_for(user).get(url).status_code


# --- programmes: may_add_listings --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["city", "district"])
def test_city_and_district_get_the_add_form_of_a_draft_list(world, draft, client_for, who):
    page = client_for(world.users[who]).get(reverse("programme-detail", args=[draft.pk])).content.decode()
    assert reverse("listing-add", args=[draft.pk]) in page


@pytest.mark.parametrize("who", ["province", "supervisor", "enterprise"])
def test_other_roles_get_no_add_form(world, draft, client_for, who):
    programme = world.programme if who == "enterprise" else draft  # an enterprise sees its own list only
    response = client_for(world.users[who]).get(reverse("programme-detail", args=[programme.pk]))
    assert response.status_code == 200
    assert reverse("listing-add", args=[programme.pk]) not in response.content.decode()


def test_no_add_form_once_published(world, client_for):
    page = client_for(world.users["city"]).get(reverse("programme-detail", args=[world.programme.pk]))
    assert reverse("listing-add", args=[world.programme.pk]) not in page.content.decode()


# --- programmes: may_see_list_workflow ---------------------------------------------------------------


PAGES = ["programme-amendments", "programme-carry-over", "programme-plan"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["province", "city", "district", "supervisor"])
def test_authority_staff_open_the_list_workflow_pages(world, client_for, page, who):
    assert status(client_for, world.users[who], reverse(page, args=[world.programme.pk])) == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["enterprise", "agency", "expert", "sysadmin"])
def test_others_do_not_find_the_list_workflow_pages(world, client_for, page, who):
    # The enterprise sees the programme itself (it is on the list), but not these pages.
    assert status(client_for, world.users[who], reverse(page, args=[world.programme.pk])) == 404


# --- programmes: may_see_confirmation ----------------------------------------------------------------


def test_only_the_province_opens_the_confirmation_page(world, client_for):
    url = reverse("programme-confirm", args=[world.programme.pk])
    assert status(client_for, world.users["province"], url) == 200
    for who in ("city", "district", "supervisor", "enterprise"):
        assert status(client_for, world.users[who], url) == 404, who


# --- programmes: may_add_to_plan ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["city", "district"])
def test_city_and_district_get_the_plan_form_until_published(world, draft, client_for, who):
    client = client_for(world.users[who])
    assert 'name="planned_year"' in client.get(reverse("programme-plan", args=[draft.pk])).content.decode()
    published = client.get(reverse("programme-plan", args=[world.programme.pk])).content.decode()
    assert 'name="planned_year"' not in published


@pytest.mark.parametrize("who", ["province", "supervisor"])
def test_province_and_supervisor_read_the_plan_but_may_not_add(world, draft, client_for, who):
    client = client_for(world.users[who])
    url = reverse("programme-plan", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="planned_year"' not in page.content.decode()
    post = {"enterprise": world.ent_north.pk, "planned_year": 2028, "grounds": ["emissions"]}
    assert client.post(url, post).status_code == 404
    assert not draft.plan_entries.exists()


# --- programmes: may_download_import_template, may_export_cases ---------------------------------------


def test_import_template_is_for_the_staff_who_import(world, client_for):
    url = reverse("import-template")
    for who in ("city", "district"):
        assert status(client_for, world.users[who], url) == 200, who
    for who in ("province", "supervisor", "enterprise", "agency"):
        assert status(client_for, world.users[who], url) == 404, who


def test_case_export_is_for_authority_staff(world, client_for):
    url = reverse("case-export")
    for who in ("province", "city", "district", "supervisor"):
        assert status(client_for, world.users[who], url) == 200, who
    for who in ("enterprise", "agency", "expert", "auditor"):
        assert status(client_for, world.users[who], url) == 404, who


# --- registry: enterprise_jurisdictions_creatable -----------------------------------------------------


@pytest.mark.parametrize("who", ["city", "district"])
def test_city_and_district_register_enterprises(world, client_for, who):
    client = client_for(world.users[who])
    page = client.get(reverse("enterprise-list")).content.decode()
    assert reverse("enterprise-create") in page
    form = client.get(reverse("enterprise-create"))
    assert form.status_code == 200
    offered = {
        int(j) for j in form.context["form"].fields["jurisdiction"].queryset.values_list("pk", flat=True)
    }
    assert world.province.pk not in offered
    assert world.north.pk in offered
    if who == "district":
        assert offered == {world.north.pk}


@pytest.mark.parametrize("who", ["province", "supervisor"])
def test_province_and_supervisor_do_not_register_enterprises(world, client_for, who):
    client = client_for(world.users[who])
    assert reverse("enterprise-create") not in client.get(reverse("enterprise-list")).content.decode()
    assert client.get(reverse("enterprise-create")).status_code == 404


def test_enterprise_users_do_not_register_enterprises(world, client_for):
    assert status(client_for, world.users["enterprise"], reverse("enterprise-create")) == 404


# --- reports: summary_row_fileable --------------------------------------------------------------------


def test_a_district_gets_the_file_button_of_its_own_row_only(world, client_for):
    page = client_for(world.users["district"]).get(reverse("summary-page", args=[world.programme.pk]))
    html = page.content.decode()
    assert reverse("summary-file", args=[world.programme.pk, world.north.pk]) in html
    assert reverse("summary-file", args=[world.programme.pk, world.south.pk]) not in html


@pytest.mark.parametrize("who", ["city", "province", "supervisor"])
def test_other_staff_get_no_file_button(world, client_for, who):
    html = (
        client_for(world.users[who]).get(reverse("summary-page", args=[world.programme.pk])).content.decode()
    )
    for district in (world.north, world.south):
        assert reverse("summary-file", args=[world.programme.pk, district.pk]) not in html


def test_a_supervisor_of_a_district_reads_its_row_but_files_nothing(world, client_for):
    """Only the district bureau files; a discipline inspector posted to the district only reads."""
    from qingshen.accounts.roles import Role

    inspector = f.user("sup-north", Role.SUPERVISOR, jurisdiction=world.north)
    response = client_for(inspector).get(reverse("summary-page", args=[world.programme.pk]))
    assert response.status_code == 200
    assert [row["district"] for row in response.context["rows"]] == [world.north]
    assert reverse("summary-file", args=[world.programme.pk, world.north.pk]) not in response.content.decode()


# --- oversight: may_see_warnings, may_close_accountability_records ------------------------------------


def test_warnings_are_for_staff_enterprises_and_agencies(world, client_for):
    url = reverse("warning-list")
    for who in ("city", "district", "supervisor", "enterprise", "agency"):
        assert status(client_for, world.users[who], url) == 200, who
    for who in ("expert", "auditor", "security", "sysadmin"):
        assert status(client_for, world.users[who], url) == 404, who


def test_only_the_city_gets_the_close_form_of_accountability(world, client_for):
    record = accountability_open(
        case=world.case_north,
        kind=AccountabilityRecord.Kind.OTHER,
        duty="手工",
        explanation="x",
        actor=world.users["city"],
    )
    close = reverse("accountability-close", args=[record.pk])
    city = client_for(world.users["city"]).get(reverse("accountability-list"))
    assert close in city.content.decode()
    for who in ("supervisor", "province", "district"):
        page = client_for(world.users[who]).get(reverse("accountability-list"))
        assert page.status_code == 200 and close not in page.content.decode(), who


# --- portal: may_use_portal ---------------------------------------------------------------------------


def test_the_portal_is_for_enterprises_and_agencies(world, client_for):
    url = reverse("portal-home")
    for who in ("enterprise", "agency"):
        assert status(client_for, world.users[who], url) == 200, who
    for who in ("city", "district", "expert", "sysadmin"):
        assert status(client_for, world.users[who], url) == 404, who


# --- programmes.selectors.enterprises_addable ---------------------------------------------------------


def test_addable_enterprises_are_scoped_and_not_on_the_list_yet(world, draft):
    extra_north = f.enterprise(world.north, "北区新材料有限公司")
    listings.listing_add(
        programme=draft, enterprise=world.ent_north, grounds=["emissions"], actor=world.users["city"]
    )

    def names(**kw):
        return set(selectors.enterprises_addable(programme=draft, **kw).values_list("name", flat=True))

    assert names(user=world.users["city"]) == {extra_north.name, world.ent_south.name}
    assert names(user=world.users["district"]) == {extra_north.name}
    assert names(user=world.users["city"], within=world.south) == {world.ent_south.name}
    assert names(user=world.users["enterprise"]) == set()
    # The plan list (附件4) is a list of its own: what is on the annual list may still be planned.
    assert names(user=world.users["district"], plan=True) == {extra_north.name, world.ent_north.name}
    plan.plan_entry_add(
        programme=draft,
        enterprise=extra_north,
        planned_year=2028,
        grounds=["emissions"],
        actor=world.users["district"],
    )
    assert names(user=world.users["district"], plan=True) == {world.ent_north.name}


def test_the_district_add_form_offers_only_its_addable_enterprises(world, draft, client_for):
    extra_north = f.enterprise(world.north, "北区新材料有限公司")
    response = client_for(world.users["district"]).get(reverse("programme-detail", args=[draft.pk]))
    offered = set(response.context["add_form"].fields["enterprise"].queryset.values_list("pk", flat=True))
    assert offered == {world.ent_north.pk, extra_north.pk}


# --- navigation: the links follow the same scoping functions ------------------------------------------


def test_list_nav_links_our_proposal_for_a_district_only(world, draft, client_for):
    own = reverse("proposal-page", args=[draft.pk, world.north.pk])
    page = client_for(world.users["district"]).get(reverse("programme-detail", args=[draft.pk]))
    assert own in page.content.decode()
    assert client_for(world.users["district"]).get(own).status_code == 200
    from qingshen.accounts.roles import Role

    inspector = f.user("sup-north", Role.SUPERVISOR, jurisdiction=world.north)
    for user in (world.users["city"], world.users["province"], world.users["supervisor"], inspector):
        html = client_for(user).get(reverse("programme-detail", args=[draft.pk])).content.decode()
        assert own not in html, user


def test_list_nav_links_follow_the_pages_they_open(world, client_for):
    pk = world.programme.pk
    links = [reverse(name, args=[pk]) for name in (*PAGES, "summary-page", "export-annual")]
    city = client_for(world.users["city"]).get(reverse("programme-detail", args=[pk])).content.decode()
    assert all(link in city for link in links)
    assert reverse("programme-merge", args=[pk]) in city
    assert reverse("programme-confirm", args=[pk]) not in city
    province = (
        client_for(world.users["province"]).get(reverse("programme-detail", args=[pk])).content.decode()
    )
    assert reverse("programme-confirm", args=[pk]) in province
    assert reverse("programme-merge", args=[pk]) not in province
    # The enterprise sees its list, but none of the staff pages (each of which answers it 404).
    enterprise = client_for(world.users["enterprise"]).get(reverse("programme-detail", args=[pk]))
    assert enterprise.status_code == 200
    for link in links:
        assert link not in enterprise.content.decode(), link
        assert client_for(world.users["enterprise"]).get(link).status_code == 404, link


def test_main_menu_follows_scoping(world, client_for):
    portal, outbox = reverse("portal-home"), reverse("outbox")
    supervision = [reverse(n) for n in ("accountability-list", "penalty-list", "spotcheck-list")]
    city = client_for(world.users["city"]).get(reverse("home")).content.decode()
    assert reverse("dashboard") in city and outbox in city and portal not in city
    assert all(link in city for link in supervision)
    enterprise = client_for(world.users["enterprise"]).get(reverse("home")).content.decode()
    assert portal in enterprise and reverse("warning-list") in enterprise
    assert reverse("dashboard") not in enterprise and outbox not in enterprise
    assert not any(link in enterprise for link in supervision)
    district = client_for(world.users["district"]).get(reverse("home")).content.decode()
    assert reverse("dashboard") not in district and outbox not in district
    expert = client_for(world.users["expert"]).get(reverse("home")).content.decode()
    assert reverse("warning-list") not in expert
