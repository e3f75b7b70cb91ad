"""Energy-led cases (issue 15 item 4, domain.md §1 and §8): the energy-saving authority (发改委/经信委) has
its own accounts and leads the evaluation and acceptance of the energy-only cases; a case listed on
energy use and another ground is led by the environment bureau with the energy authority consulted (the
city's setting: notified, or co-signs); each department sees the other's cases read-only; out of scope
is still 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from qingshen.accounts.services import role_grant
from qingshen.cases import scoping
from qingshen.cases.errors import TransitionRefused
from qingshen.cases.models import AuditCase
from qingshen.cases.services import actions_for, case_transition
from qingshen.core.errors import Refused
from qingshen.demo import walk
from qingshen.notifications.models import Notification
from qingshen.programmes.models import Listing
from qingshen.registry.bureaus import bureau_settings_set
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import PanelSeat, Review, RubricItem
from qingshen.reviews.services.applications import review_check
from qingshen.reviews.services.conclusion import review_confirm, score_submit
from qingshen.reviews.services.cosign import review_cosign
from qingshen.reviews.services.draw import panel_draw
from qingshen.reviews.services.seats import seat_respond
from qingshen.trail.models import Event
from tests import factories as f


@pytest.fixture
def energy(world):
    """The city's energy-saving authority, and a district one in the north."""
    world.energy = f.energy_user("city-energy", world.city)
    world.energy_north = f.energy_user("north-energy", world.north, role="district")
    return world


def _mixed(w) -> AuditCase:
    """Make case_north's listing emissions + energy (the environment bureau leads, energy is consulted),
    its disclosure filled in for both grounds."""
    Listing.objects.filter(pk=w.case_north.listing_id).update(grounds=["emissions", "energy"])
    case = AuditCase.objects.select_related("listing", "programme").get(pk=w.case_north.pk)
    f.disclosure_ready(case, w.users["enterprise"])
    w.case_north = case
    return case


def _applied(w, case, enterprise_user):
    case = f.walk(case, "report_submitted", city_user=w.users["city"], enterprise_user=enterprise_user)
    return walk.application_submit(case=case, kind="evaluation", actor=enterprise_user, day=case.published_on)


def test_lead_and_consulted_authority_follow_the_grounds(energy):
    w = energy
    assert scoping.case_lead_authority(w.case_south) == "energy"  # world: south is energy-only
    assert scoping.case_lead_authority(w.case_north) == "environment"
    assert scoping.case_consulted_authority(w.case_north) == ""
    mixed = _mixed(w)
    assert scoping.case_lead_authority(mixed) == "environment"
    assert scoping.case_consulted_authority(mixed) == "energy"
    assert scoping.consultation_of(mixed) == "notified"  # the default setting


def test_the_energy_authority_organises_energy_only_reviews_and_the_environment_bureau_is_refused(energy):
    w = energy
    review = _applied(w, w.case_south, w.users["enterprise_south"])
    with pytest.raises(ReviewRefused):
        review_check(review_id=review.pk, actor=w.users["city"], accept=True)
    assert Review.objects.get(pk=review.pk).status == "applied"
    review_check(review_id=review.pk, actor=w.energy, accept=True)
    review.refresh_from_db()
    assert review.status == "accepted" and review.checked_by == w.energy
    # It draws from the city's pool, which it may not manage.
    walk.expert_pool_ensure(industry=w.case_south.enterprise.industry, count=6)
    with pytest.raises(ReviewRefused):
        panel_draw(review_id=review.pk, actor=w.users["city"])
    assert panel_draw(review_id=review.pk, actor=w.energy).seats.count() >= 3


def test_the_energy_user_cannot_transition_an_environment_led_case(energy):
    w = energy
    case = w.case_north
    before = Event.objects.count()
    with pytest.raises(TransitionRefused, match=r"read-only|只能查看"):
        case_transition(case_id=case.pk, actor=w.energy, action="withdraw", reason="关停")
    assert AuditCase.objects.get(pk=case.pk).state == case.state
    assert Event.objects.count() == before
    assert actions_for(w.energy, AuditCase.objects.select_related("listing").get(pk=case.pk)) == []
    # The environment city bureau still has its steps there, and none on the energy-led case.
    assert any(t.action == "withdraw" for t in actions_for(w.users["city"], case))
    assert (
        actions_for(w.users["city"], AuditCase.objects.select_related("listing").get(pk=w.case_south.pk))
        == []
    )
    assert any(t.action == "withdraw" for t in actions_for(w.energy, w.case_south))


def test_each_department_sees_the_others_cases_read_only_through_the_pages(energy, client_for):
    w = energy
    page = reverse("case-detail", args=[w.case_north.pk])
    body = client_for(w.energy).get(page).content.decode()
    assert 'id="case-read-only"' in body and "data-action=" not in body
    response = client_for(w.energy).post(
        reverse("case-transition", args=[w.case_north.pk]), {"action": "withdraw", "reason": "关停"}
    )
    assert response.status_code in (200, 400)
    assert AuditCase.objects.get(pk=w.case_north.pk).state == w.case_north.state
    # The environment bureau on the energy-led case: visible, read-only.
    body = client_for(w.users["city"]).get(reverse("case-detail", args=[w.case_south.pk])).content.decode()
    assert 'id="case-read-only"' in body
    # Lists merge both departments' cases.
    listing = client_for(w.energy).get(reverse("case-list")).content.decode()
    assert w.ent_north.name in listing and w.ent_south.name in listing


def test_outside_its_jurisdiction_the_energy_user_finds_nothing(energy, client_for):
    w = energy
    client = client_for(w.energy_north)
    assert client.get(reverse("case-detail", args=[w.case_south.pk])).status_code == 404
    assert client.get(reverse("case-detail", args=[w.case_north.pk])).status_code == 200
    review = _applied(w, w.case_south, w.users["enterprise_south"])
    assert client.get(reverse("review-detail", args=[review.pk])).status_code == 404
    assert client.post(reverse("review-check", args=[review.pk]), {"decision": "accept"}).status_code == 404
    assert Review.objects.get(pk=review.pk).status == "applied"


def test_the_case_page_shows_lead_and_consulted_authority(energy, client_for):
    w = energy
    _mixed(w)
    body = client_for(w.users["city"]).get(reverse("case-detail", args=[w.case_north.pk])).content.decode()
    assert 'id="case-lead"' in body and 'id="case-consulted"' in body
    assert 'id="case-read-only"' not in body


def test_the_consulted_authority_is_notified_of_the_application(energy):
    w = energy
    _mixed(w)
    _applied(w, w.case_north, w.users["enterprise"])
    assert Notification.objects.filter(recipient=w.energy).count() == 1
    assert not Notification.objects.filter(recipient=w.energy, subject__startswith="New application").exists()


def _scored(w, review):
    walk.expert_pool_ensure(industry=review.case.enterprise.industry, count=6)
    panel = panel_draw(review_id=review.pk, actor=w.users["city"])
    seats = list(panel.seats.select_related("expert__user"))
    for seat in seats:
        seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=True, no_conflict=True)
    review.refresh_from_db()
    for seat in seats:
        points = {
            i.pk: str((i.max_points * Decimal("0.9")).quantize(Decimal("0.5")))
            for i in review.rubric.items.all()
            if i.kind != RubricItem.Kind.VETO
        }
        score_submit(seat_id=seat.pk, actor=seat.expert.user, points=points)
    return PanelSeat.objects.select_related("expert__user").get(panel=panel, is_chair=True).expert.user


def test_with_cosign_the_chair_waits_for_the_energy_authority(energy, client_for):
    w = energy
    bureau_settings_set(jurisdiction=w.city, actor=w.users["city"], energy_consultation="cosign")
    _mixed(w)
    review = _applied(w, w.case_north, w.users["enterprise"])
    review_check(review_id=review.pk, actor=w.users["city"], accept=True)
    chair = _scored(w, review)
    with pytest.raises(ReviewRefused):
        review_confirm(review_id=review.pk, actor=chair, render_opinions=False)
    assert Review.objects.get(pk=review.pk).status == "accepted"
    # The environment bureau does not co-sign for the energy authority; nor does an outsider.
    with pytest.raises(ReviewRefused):
        review_cosign(review_id=review.pk, actor=w.users["city"])
    detail = reverse("review-detail", args=[review.pk])
    assert 'id="cosign-form"' not in client_for(w.users["city"]).get(detail).content.decode()
    assert 'id="cosign-form"' in client_for(w.energy).get(detail).content.decode()
    response = client_for(w.energy).post(reverse("review-cosign", args=[review.pk]), {"comment": "同意"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.cosigned_by == w.energy and review.cosign_comment == "同意"
    assert Event.objects.filter(action="review.cosign").count() == 1
    with pytest.raises(ReviewRefused):  # once only
        review_cosign(review_id=review.pk, actor=w.energy)
    review_confirm(review_id=review.pk, actor=chair, render_opinions=False)
    assert Review.objects.get(pk=review.pk).status == "concluded"


def test_notified_needs_no_cosign(energy):
    w = energy
    _mixed(w)
    review = _applied(w, w.case_north, w.users["enterprise"])
    review_check(review_id=review.pk, actor=w.users["city"], accept=True)
    chair = _scored(w, review)
    with pytest.raises(ReviewRefused):
        review_cosign(review_id=review.pk, actor=w.energy)
    review_confirm(review_id=review.pk, actor=chair, render_opinions=False)
    assert Review.objects.get(pk=review.pk).status == "concluded"


def test_the_setting_is_the_citys_and_checked(energy):
    w = energy
    with pytest.raises(Refused, match=r"consulted|参与方式"):
        bureau_settings_set(jurisdiction=w.city, actor=w.users["city"], energy_consultation="veto")
    with pytest.raises(Refused):  # the energy authority changes no bureau settings
        bureau_settings_set(jurisdiction=w.city, actor=w.energy, energy_consultation="cosign")
    assert scoping.consultation_of(_mixed(w)) == "notified"


def test_the_security_administrator_grants_the_department(energy):
    w = energy
    target = f.user("newcomer", "")
    role_grant(
        actor=w.users["security"], user_id=target.pk, role="city", jurisdiction=w.city, authority="energy"
    )
    target.refresh_from_db()
    assert target.authority == "energy"
    with pytest.raises(ValueError):
        role_grant(
            actor=w.users["security"],
            user_id=target.pk,
            role="enterprise",
            enterprise=w.ent_north,
            authority="energy",
        )


def test_the_city_sets_the_consultation_on_its_settings_page(energy, client_for):
    w = energy
    url = reverse("bureau-settings")
    page = client_for(w.users["city"]).get(url).content.decode()
    assert 'name="energy_consultation"' in page
    client_for(w.users["city"]).post(
        url, {"review_organiser": "city", "district_penalties": "propose", "energy_consultation": "cosign"}
    )
    assert scoping.consultation_of(_mixed(w)) == "cosign"
    # Bad input: a message, nothing changed.
    response = client_for(w.users["city"]).post(
        url, {"review_organiser": "city", "district_penalties": "propose", "energy_consultation": "veto"}
    )
    assert response.status_code == 200 and "alert" in response.content.decode()
    assert scoping.consultation_of(_mixed(w)) == "cosign"
    # The energy authority has no settings page of the environment bureau.
    assert client_for(w.energy).get(url).status_code == 404
