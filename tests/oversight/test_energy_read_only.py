"""Registry edits and oversight are the environment bureau's (domain.md §8): the energy-saving authority's
staff read the pages, are offered no write, and are refused by the endpoints and the services alike;
the review duties of the cases it leads stay its own."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts.scoping import environment_staff
from qingshen.core.errors import NotFound
from qingshen.oversight import penalties, services, spotchecks
from qingshen.oversight.models import AccountabilityRecord, Penalty, SpotCheck, ViolationType
from qingshen.programmes import scoping as programmes_scoping
from qingshen.registry import scoping as registry_scoping
from qingshen.registry.models import Enterprise
from qingshen.registry.services import RegistryError, enterprise_update
from qingshen.reviews import scoping as reviews_scoping
from tests import factories as f


@pytest.fixture
def energy(world):
    world.energy = f.energy_user("city-energy", world.city)
    world.energy_north = f.energy_user("north-energy", world.north, role="district")
    return world


def _deadline(days=30):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_one_department_check_for_every_package(energy):
    w = energy
    for user in (w.energy, w.energy_north):
        assert not environment_staff(user)
        assert not programmes_scoping.environment_staff(user)
        assert not reviews_scoping.may_configure_reviews(user)
        assert not reviews_scoping.may_manage_experts(user)
        assert not registry_scoping.may_change_bureau_settings(user, user.jurisdiction)
    assert environment_staff(w.users["city"]) and environment_staff(w.users["district"])
    assert environment_staff(w.users["enterprise"])  # no bureau account: not the energy authority


def test_registry_edits_are_refused_to_the_energy_authority(energy, client_for):
    w = energy
    ent = w.ent_north
    for user in (w.energy, w.energy_north):
        assert not registry_scoping.may_edit_enterprise(user, ent)
        assert not registry_scoping.may_create_enterprise(user, w.north)
        assert not registry_scoping.may_edit_agency(user, w.agency.pk)
        assert not registry_scoping.enterprise_jurisdictions_creatable(user).exists()
        assert not programmes_scoping.may_import_permits(user)
        assert not programmes_scoping.may_import_history(user)
        with pytest.raises(RegistryError):
            enterprise_update(actor=user, enterprise=ent, name="改名有限公司")
        client = client_for(user)
        detail = client.get(reverse("enterprise-detail", args=[ent.pk]))
        assert detail.status_code == 200  # read
        assert reverse("enterprise-edit", args=[ent.pk]) not in detail.content.decode()
        listing = client.get(reverse("enterprise-list")).content.decode()
        assert reverse("enterprise-create") not in listing and 'id="permit-import-link"' not in listing
        permits = client.get(reverse("enterprise-permits", args=[ent.pk]))
        assert permits.status_code == 200 and 'id="permit-create"' not in permits.content.decode()
        assert client.get(reverse("enterprise-edit", args=[ent.pk])).status_code == 404
        assert client.post(reverse("enterprise-edit", args=[ent.pk]), {"name": "x"}).status_code == 404
        assert client.get(reverse("enterprise-create")).status_code == 404
        assert client.get(reverse("permit-create", args=[ent.pk])).status_code == 404
        assert client.get(reverse("permit-upload")).status_code == 404
        assert client.get(reverse("enterprise-invitation", args=[ent.pk])).status_code == 404
    assert client_for(w.energy).post(reverse("agency-staff-add", args=[w.agency.pk]), {}).status_code == 404
    assert Enterprise.objects.get(pk=ent.pk).name == ent.name
    # The environment bureau keeps its rights.
    assert registry_scoping.may_edit_enterprise(w.users["district"], ent)
    assert registry_scoping.may_edit_agency(w.users["city"], w.agency.pk)


def test_penalties_are_read_only_for_the_energy_authority(energy, client_for):
    w = energy
    violation = ViolationType.objects.get(code="art39_no_audit")
    proposal = penalties.penalty_order(
        violation=violation,
        facts="未开展审核",
        correct_by=_deadline(),
        actor=w.users["district"],
        enterprise=w.ent_north,
        case=w.case_north,
    )
    for user in (w.energy, w.energy_north):
        with pytest.raises(penalties.PenaltyRefused):
            penalties.penalty_order(
                violation=violation,
                facts="x",
                correct_by=_deadline(),
                actor=user,
                enterprise=w.ent_north,
                case=w.case_north,
            )
        client = client_for(user)
        page = client.get(reverse("penalty-list"))
        assert page.status_code == 200 and f'data-penalty="{proposal.pk}"' in page.content.decode()
        assert 'id="penalty-proposals-link"' not in page.content.decode()
        case_page = client.get(reverse("case-detail", args=[w.case_north.pk])).content.decode()
        assert 'id="start-penalty"' not in case_page
        form = {"violation": violation.pk, "facts": "x", "correct_by": _deadline().isoformat()}
        assert client.post(reverse("penalty-order", args=[w.case_north.pk]), form).status_code == 404
        assert client.get(reverse("penalty-proposals")).status_code == 404
        for step, data in (("confirm", {}), ("return", {"reason": "x"}), ("correct", {})):
            assert client.post(reverse("penalty-step", args=[proposal.pk, step]), data).status_code == 404
    with pytest.raises(penalties.PenaltyRefused):
        penalties.penalty_confirm(penalty_id=proposal.pk, actor=w.energy)
    with pytest.raises(penalties.PenaltyRefused):
        penalties.penalty_return(penalty_id=proposal.pk, actor=w.energy, reason="x")
    assert (
        client_for(w.energy).post(reverse("penalty-order-agency", args=[w.agency.pk]), {}).status_code == 404
    )
    assert Penalty.objects.count() == 1 and Penalty.objects.get().state == "proposed"
    order = penalties.penalty_confirm(penalty_id=proposal.pk, actor=w.users["city"])
    with pytest.raises(penalties.PenaltyRefused):
        penalties.penalty_correct(penalty_id=order.pk, actor=w.energy)
    assert Penalty.objects.get().state == "ordered"


def test_spot_checks_and_the_procedure_are_read_only_for_the_energy_authority(energy, client_for):
    w = energy
    w.case_north.accepted_on = datetime.date(2025, 6, 1)
    w.case_north.save(update_fields=["accepted_on"])
    with pytest.raises(NotFound):
        spotchecks.spotcheck_draw(city=w.city, year=2025, mode="count", amount=1, actor=w.energy)
    client = client_for(w.energy)
    draw = {"year": 2025, "mode": "count", "amount": 1}
    assert client.post(reverse("spotcheck-list"), draw).status_code == 404
    assert not SpotCheck.objects.exists()
    spot = spotchecks.spotcheck_draw(city=w.city, year=2025, mode="count", amount=1, actor=w.users["city"])
    item = spot.items.get()
    detail = client.get(reverse("spotcheck-detail", args=[spot.pk]))
    assert detail.status_code == 200
    assert reverse("spotcheck-conclude", args=[spot.pk]) not in detail.content.decode()
    finding = reverse("spotcheck-finding", args=[spot.pk, item.pk])
    assert client.post(finding, {"verdict": "compliant", "finding": ""}).status_code == 404
    assert client.post(reverse("spotcheck-conclude", args=[spot.pk]), {"result": "x"}).status_code == 404
    with pytest.raises(NotFound):
        spotchecks.spotcheck_finding(item_id=item.pk, verdict="compliant", finding="", actor=w.energy)
    with pytest.raises(NotFound):
        spotchecks.spotcheck_conclude(spot_id=spot.pk, result="x", actor=w.energy)
    item.refresh_from_db()
    assert item.verdict == "pending"
    assert client.get(reverse("procedure-edit")).status_code == 404
    assert client.get(reverse("spotcheck-list")).status_code == 200  # still read


def test_accountability_by_hand_is_the_environment_bureaus(energy, client_for):
    w = energy
    client = client_for(w.energy)
    data = {"duty": "未按期组织", "explanation": "说明"}
    assert client.post(reverse("accountability-open", args=[w.case_north.pk]), data).status_code == 404
    with pytest.raises(NotFound):
        services.accountability_open(
            case=w.case_north, kind="other", duty="x", explanation="y", actor=w.energy
        )
    assert not AccountabilityRecord.objects.exists()


def test_the_energy_authority_closes_only_the_records_of_cases_it_leads(energy, client_for):
    w = energy
    env_record = services.accountability_open(
        case=w.case_north, kind="not_reviewed", duty="未组织评估", explanation="逾期"
    )
    energy_record = services.accountability_open(
        case=w.case_south, kind="not_reviewed", duty="未组织评估", explanation="逾期"
    )
    client = client_for(w.energy)
    page = client.get(reverse("accountability-list"))
    assert page.status_code == 200
    close = {"explanation": "已整改"}
    assert client.post(reverse("accountability-close", args=[env_record.pk]), close).status_code == 404
    with pytest.raises(NotFound):
        services.accountability_close(record_id=env_record.pk, explanation="x", actor=w.energy)
    # The energy-led south case's review duties are the energy authority's (it organises them).
    services.accountability_close(record_id=energy_record.pk, explanation="已整改", actor=w.energy)
    env_record.refresh_from_db()
    energy_record.refresh_from_db()
    assert env_record.closed_at is None and energy_record.closed_at is not None
