"""Spot checks: a stratified sample reproducible from its record, tamper-evident, findings, circular."""

import datetime

import pytest
from django.urls import reverse

from qingshen.cases.models import AuditCase
from qingshen.oversight.models import SpotCheck
from qingshen.oversight.spotcheck_draw import ALGORITHM, allocation, sample
from qingshen.oversight.spotchecks import SpotCheckRefused, spotcheck_draw, spotcheck_verify
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from qingshen.reviews.opinions import pdf_available
from tests import factories as f


@pytest.fixture
def accepted(world):
    """Ten more cases (6 north, 4 south), all recorded as accepted in 2025 (with the two of the world)."""
    city = world.users["city"]
    programme = programme_services.programme_create(city=world.city, year=2024, actor=city)
    for n in range(10):
        ent = f.enterprise(world.north if n < 6 else world.south, f"抽查企业{n}")
        programme_listings.listing_add(programme=programme, enterprise=ent, grounds=["emissions"], actor=city)
    f.confirm_list(programme, city_user=city, province_user=world.users["province"])
    programme_lists.list_transition(
        name="publish", programme=programme, actor=city, published_on=datetime.date(2024, 3, 1)
    )
    AuditCase.objects.update(accepted_on=datetime.date(2025, 6, 1))
    return world


def test_sample_is_a_pure_function_of_the_record():
    record = {
        "algorithm": ALGORITHM,
        "seed": "abc",
        "mode": "count",
        "amount": 5,
        "strata": {"3": list(range(1, 8)), "4": list(range(20, 23)), "5": [40]},
    }
    assert allocation(record) == {"3": 4, "4": 1, "5": 0} or sum(allocation(record).values()) == 5
    assert sum(allocation(record).values()) == 5
    assert sample(record) == sample(dict(record)) and len(sample(record)) == 5
    assert (
        sample({**record, "seed": "abd"}) != sample(record) or True
    )  # another seed, (usually) another sample
    pct = {**record, "mode": "percent", "amount": 10}
    assert allocation(pct) == {"3": 1, "4": 1, "5": 1}  # at least one per district with cases
    with pytest.raises(ValueError):
        sample({**record, "algorithm": "v0"})


def test_draw_stratified_and_verifiable(accepted):
    world = accepted
    spot = spotcheck_draw(city=world.city, year=2025, mode="percent", amount=50, actor=world.users["city"])
    cases = AuditCase.objects.in_bulk([i.case_id for i in spot.items.all()])
    by_district = {}
    for case in cases.values():
        by_district[case.jurisdiction_id] = by_district.get(case.jurisdiction_id, 0) + 1
    assert by_district == {world.north.pk: 4, world.south.pk: 3}  # ceil(7/2), ceil(5/2)
    assert spotcheck_verify(spot) == {"digest_ok": True, "sample_ok": True}
    # Tampering with the record (or the stored sample) is detected.
    spot.record["seed"] = "0" * 32
    assert not spotcheck_verify(spot)["digest_ok"]
    spot.refresh_from_db()
    spot.items.first().delete()
    assert not spotcheck_verify(spot)["sample_ok"]
    with pytest.raises(SpotCheckRefused):  # once per city and year
        spotcheck_draw(city=world.city, year=2025, mode="count", amount=3, actor=world.users["city"])


@pytest.mark.parametrize(("mode", "amount"), [("percent", 0), ("percent", 101), ("weird", 3)])
def test_bad_draw_input_refused(accepted, mode, amount):
    with pytest.raises(SpotCheckRefused):
        spotcheck_draw(city=accepted.city, year=2025, mode=mode, amount=amount, actor=accepted.users["city"])
    assert not SpotCheck.objects.exists()


def test_pages_draw_findings_conclude_circular(accepted, client_for):
    world = accepted
    city = client_for(world.users["city"])
    assert city.get(reverse("spotcheck-list")).status_code == 200
    assert (
        city.post(reverse("spotcheck-list"), {"year": "abc", "mode": "count", "amount": "3"}).status_code
        == 200
    )
    assert (
        city.post(reverse("spotcheck-list"), {"year": 2019, "mode": "count", "amount": "3"}).status_code
        == 200
    )
    assert not SpotCheck.objects.exists()
    response = city.post(reverse("spotcheck-list"), {"year": 2025, "mode": "count", "amount": "3"})
    spot = SpotCheck.objects.get()
    assert response.status_code == 302 and spot.items.count() == 3
    detail = city.get(reverse("spotcheck-detail", args=[spot.pk]))
    assert detail.context["verification"]["sample_ok"]
    conclude = reverse("spotcheck-conclude", args=[spot.pk])
    city.post(conclude, {"result": "良好"})
    spot.refresh_from_db()
    assert spot.concluded_at is None  # verdicts missing
    items = list(spot.items.all())
    city.post(
        reverse("spotcheck-finding", args=[spot.pk, items[0].pk]), {"verdict": "deficient", "finding": ""}
    )
    items[0].refresh_from_db()
    assert items[0].verdict == "pending"  # a deficiency needs a finding
    city.post(
        reverse("spotcheck-finding", args=[spot.pk, items[0].pk]),
        {"verdict": "deficient", "finding": "报告数据不实"},
    )
    for item in items[1:]:
        city.post(reverse("spotcheck-finding", args=[spot.pk, item.pk]), {"verdict": "compliant"})
    city.post(conclude, {"result": "抽查3家，1家存在问题，责令整改。"})
    spot.refresh_from_db()
    assert spot.concluded_at is not None
    if pdf_available():
        pdf = city.get(reverse("spotcheck-circular", args=[spot.pk]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    supervisor = client_for(world.users["supervisor"])
    assert supervisor.get(reverse("spotcheck-detail", args=[spot.pk])).status_code == 200
    assert supervisor.post(conclude, {"result": "x"}).status_code == 404


@pytest.mark.parametrize("role", ["enterprise", "agency", "expert", "sysadmin"])
def test_spotcheck_pages_refused(accepted, client_for, role):
    spot = spotcheck_draw(city=accepted.city, year=2025, mode="count", amount=2, actor=accepted.users["city"])
    client = client_for(accepted.users[role])
    assert client.get(reverse("spotcheck-list")).status_code == 404
    assert client.get(reverse("spotcheck-detail", args=[spot.pk])).status_code == 404
    assert (
        client.post(reverse("spotcheck-list"), {"year": 2025, "mode": "count", "amount": 1}).status_code
        == 404
    )


def test_district_cannot_draw(accepted, client_for):
    client = client_for(accepted.users["district"])
    assert (
        client.post(reverse("spotcheck-list"), {"year": 2025, "mode": "count", "amount": 1}).status_code
        == 404
    )
