"""Case list and case page server time, and transition throughput, with a city of N cases."""

import datetime
import statistics
import time

from django.db import connection
from django.test import Client
from django.urls import reverse

CASES = int(__import__("os").environ.get("BENCH_CASES", "5000"))


def _city(n):
    from qingshen.accounts.models import Jurisdiction, User
    from qingshen.cases.models import AuditCase
    from qingshen.demo.world import make_uscc
    from qingshen.programmes.models import Listing, Programme
    from qingshen.registry.models import Enterprise

    province = Jurisdiction.objects.create(name="省", level="province")
    city = Jurisdiction.objects.create(name="市", level="city", parent=province)
    districts = [Jurisdiction.objects.create(name=f"区{i}", level="district", parent=city) for i in range(20)]
    user = User.objects.create(username="city", role="city", jurisdiction=city)
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(name=f"企业{i}", uscc=make_uscc("500112", 10_000_000 + i), jurisdiction=districts[i % 20])
        for i in range(n)
    )
    programme = Programme.objects.create(
        city=city, year=2025, title="t", list_state="published", published_on=datetime.date(2025, 3, 1)
    )
    listings = Listing.objects.bulk_create(
        Listing(programme=programme, enterprise=e, grounds=["emissions"], lead_authority="environment")
        for e in enterprises
    )
    AuditCase.objects.bulk_create(
        AuditCase(
            programme=programme,
            listing=lst,
            enterprise=lst.enterprise,
            jurisdiction=lst.enterprise.jurisdiction,
            jurisdiction_path=lst.enterprise.jurisdiction.path,
            published_on=programme.published_on,
            next_due_on=datetime.date(2025, 4, 1) + datetime.timedelta(days=i % 400),
        )
        for i, lst in enumerate(listings)
    )
    return user


def _time(client, url, repeat=30):
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    return statistics.median(samples), max(samples)


def run(report):
    from qingshen.cases import services
    from qingshen.cases.models import AuditCase

    t = time.perf_counter()
    user = _city(CASES)
    report(f"build city with {CASES} cases (bulk)", time.perf_counter() - t, "s")
    client = Client()
    client.force_login(user)
    for label, url in [
        ("case list, page 1", reverse("case-list")),
        (
            "case list, overdue filter + sort by enterprise",
            reverse("case-list") + "?overdue=on&sort=enterprise",
        ),
        ("case list, search", reverse("case-list") + "?q=企业49"),
        ("home page (counts by state)", reverse("home")),
    ]:
        count: list[int] = []

        def counter(execute, *args, _count=count):
            _count.append(1)
            return execute(*args)

        with connection.execute_wrapper(counter):
            assert client.get(url).status_code == 200
        median, worst = _time(client, url)
        report(f"{label}: median", median, "ms")
        report(f"{label}: max", worst, "ms")
        report(f"{label}: queries", len(count), "")
    case = AuditCase.objects.first()
    median, _ = _time(client, reverse("case-detail", args=[case.pk]))
    report("case page: median", median, "ms")
    from qingshen.accounts.models import User

    ids = list(AuditCase.objects.values_list("pk", flat=True)[:300])
    city = User.objects.get(username="city")
    # Bureau-side withdrawals need a document; use the enterprise-side first step with an owner account.
    from qingshen.cases.disclosures import disclosure_fill_for_demo

    owners = {}
    for pk in ids:  # each enterprise first fills in its disclosure (the step's guard needs it)
        c = AuditCase.objects.select_related("enterprise", "listing").get(pk=pk)
        owner = owners.get(c.enterprise_id) or User.objects.create(
            username=f"e{pk}", role="enterprise", enterprise=c.enterprise
        )
        owners[c.enterprise_id] = owner
        disclosure_fill_for_demo(case=c, actor=owner)
    t = time.perf_counter()
    for pk in ids:
        owner = owners[AuditCase.objects.values_list("enterprise_id", flat=True).get(pk=pk)]
        services.case_transition(case_id=pk, actor=owner, action="disclose")
    elapsed = time.perf_counter() - t
    report("transitions (disclose, incl. deadlines and event)", len(ids) / elapsed, "per s")
    assert city
