"""Object-level scoping: out of scope is not found (404), in lists and by URL."""

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.cases import scoping
from qingshen.cases.models import Delegation
from qingshen.oversight import scoping as oversight_scoping
from qingshen.programmes import scoping as programmes_scoping
from qingshen.registry import scoping as registry_scoping


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_each_role_sees_its_cases(world):
    both = {world.case_north.pk, world.case_south.pk}
    u = world.users
    assert ids(scoping.cases_visible(u["province"])) == both
    assert ids(scoping.cases_visible(u["city"])) == both
    assert ids(scoping.cases_visible(u["supervisor"])) == both
    assert ids(scoping.cases_visible(u["district"])) == {world.case_north.pk}
    assert ids(scoping.cases_visible(u["district_south"])) == {world.case_south.pk}
    assert ids(scoping.cases_visible(u["enterprise"])) == {world.case_north.pk}
    for role in ("agency", "expert", "auditor", "security", "sysadmin"):
        assert ids(scoping.cases_visible(u[role])) == set(), role


def test_inactive_and_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    city = world.users["city"]
    city.is_active = False
    assert not scoping.cases_visible(city).exists()
    assert not scoping.cases_visible(AnonymousUser()).exists()


def test_agency_sees_a_case_only_while_delegated(world):
    import datetime

    agency = world.users["agency"]
    delegation = Delegation.objects.create(
        case=world.case_north,
        agency=world.agency,
        starts_on=world.case_north.published_on,
        created_by=world.users["enterprise"],
    )
    assert ids(scoping.cases_visible(agency)) == {world.case_north.pk}
    assert ids(registry_scoping.enterprises_visible(agency)) == {world.ent_north.pk}
    delegation.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    delegation.save()
    assert not scoping.cases_visible(agency).exists()


def test_district_sees_its_enterprises_and_the_city_programme(world):
    north = world.users["district"]
    assert ids(registry_scoping.enterprises_visible(north)) == {world.ent_north.pk}
    assert ids(programmes_scoping.programmes_visible(north)) == {world.programme.pk}
    assert ids(programmes_scoping.programmes_visible(world.users["enterprise"])) == {world.programme.pk}
    assert not programmes_scoping.programmes_visible(world.users["sysadmin"]).exists()


@pytest.mark.parametrize("role", ["district", "enterprise"])
def test_out_of_scope_case_url_is_404(world, client_for, role):
    client = client_for(world.users[role])
    assert client.get(reverse("case-detail", args=[world.case_north.pk])).status_code == 200
    assert client.get(reverse("case-detail", args=[world.case_south.pk])).status_code == 404
    page = client.get(reverse("case-list")).content.decode()
    assert world.ent_north.name in page and world.ent_south.name not in page


def test_out_of_scope_enterprise_url_is_404(world, client_for):
    client = client_for(world.users["district"])
    assert client.get(reverse("enterprise-detail", args=[world.ent_south.pk])).status_code == 404
    assert client.get(reverse("enterprise-edit", args=[world.ent_south.pk])).status_code == 404


def test_out_of_scope_transition_post_is_404_and_changes_nothing(world, client_for):
    client = client_for(world.users["enterprise_south"])
    response = client.post(
        reverse("case-transition", args=[world.case_north.pk]),
        {"action": "disclose", "version": world.case_north.version},
    )
    assert response.status_code == 404
    world.case_north.refresh_from_db()
    assert world.case_north.state == "listed"


def test_supervisor_is_read_only(world, client_for):
    client = client_for(world.users["supervisor"])
    page = client.get(reverse("case-detail", args=[world.case_north.pk]))
    assert page.status_code == 200
    assert b'name="do"' not in page.content
    client.post(
        reverse("case-transition", args=[world.case_north.pk]),
        {"action": "withdraw", "version": 1, "reason": "x"},
    )
    world.case_north.refresh_from_db()
    assert world.case_north.state == "listed"


def test_documents_follow_case_scope(world, client_for):
    from django.core.files.base import ContentFile

    from qingshen.cases.documents import document_store

    doc = document_store(
        case=world.case_north,
        kind="other",
        upload=ContentFile(b"%PDF-1.4 a", name="a.pdf"),
        actor=world.users["city"],
    )
    url = reverse("document-download", args=[world.case_north.pk, doc.pk])
    assert client_for(world.users["enterprise_south"]).get(url).status_code == 404
    # The right case id is part of the URL: another case's id does not reach the document.
    assert (
        client_for(world.users["enterprise"])
        .get(reverse("document-download", args=[world.case_south.pk, doc.pk]))
        .status_code
        == 404
    )
    response = client_for(world.users["enterprise"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 a"
    from qingshen.trail.models import Event

    assert Event.objects.filter(action="document.download", object_id=str(doc.pk)).count() == 1


def test_moving_a_district_moves_its_scope(world):
    """A district moved under another city takes its enterprises' cases along in every scope."""
    other_city = world.city.__class__.objects.create(name="另一市", level="city", parent=world.province)
    world.north.parent = other_city
    world.north.save()
    world.case_north.refresh_from_db()
    assert world.case_north.jurisdiction_path.startswith(other_city.path)
    assert world.case_north.pk not in set(
        scoping.cases_visible(world.users["city"]).values_list("pk", flat=True)
    )
    assert world.case_north.pk in set(
        scoping.cases_visible(world.users["district"]).values_list("pk", flat=True)
    )


def test_a_moved_district_takes_its_warnings_and_penalties_along(world):
    import datetime

    from django.utils import timezone

    from qingshen.oversight.models import Penalty, ViolationType, Warning
    from qingshen.oversight.penalties import penalty_order
    from qingshen.oversight.services import warnings_record

    warnings_record(today=world.case_north.deadlines.get(kind="disclosure").due_on)
    penalty_order(
        violation=ViolationType.objects.get(code="art39_no_audit"),
        facts="未开展审核",
        correct_by=timezone.localdate() + datetime.timedelta(days=30),
        actor=world.users["city"],
        enterprise=world.ent_north,
        case=world.case_north,
    )
    assert Warning.objects.filter(case=world.case_north).exists()
    other_city = world.city.__class__.objects.create(name="另一市", level="city", parent=world.province)
    world.north.parent = other_city
    world.north.save()
    world.north.refresh_from_db()
    for model in (Warning, Penalty):
        rows = model.objects.filter(case=world.case_north)
        assert rows and all(r.jurisdiction_path == world.north.path for r in rows), model
    city, district = world.users["city"], world.users["district"]
    assert not oversight_scoping.warnings_visible(city).filter(case=world.case_north).exists()
    assert oversight_scoping.warnings_visible(district).filter(case=world.case_north).exists()
    assert not oversight_scoping.penalties_visible(city).exists()
    assert oversight_scoping.penalties_visible(district).count() == 1
