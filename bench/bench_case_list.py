"""Case list and case page server time, and transition throughput, with a city of N cases; and the
case list side by side with Django admin's changelist of the same rows, filters, search and page size
(bench/case_list_admin.py), requests interleaved, through the Django test client in this process
(wrk is not installed here: the figures are server time plus the test client's overhead, the same for
both).

    BENCH_CASES=50000 DATABASE_URL=postgres://... .venv/bin/python bench/run.py case_list
"""

import datetime
import statistics
import time

from django.db import connection
from django.test import Client
from django.urls import reverse

CASES = int(__import__("os").environ.get("BENCH_CASES", "5000"))
INDUSTRIES = ("化工", "电镀", "钢铁", "水泥", "造纸", "印染", "制药", "食品")


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
        Enterprise(
            name=f"重庆{INDUSTRIES[i % 8]}{i}有限公司",
            uscc=make_uscc("500112", 10_000_000 + i),
            jurisdiction=districts[i % 20],
        )
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
            state=("listed", "disclosed", "auditing")[i % 3],
            next_due_on=None if i % 10 == 0 else datetime.date(2025, 4, 1) + datetime.timedelta(days=i % 400),
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


def _queries(client, url) -> int:
    count: list[int] = []

    def counter(execute, *args):
        count.append(1)
        return execute(*args)

    with connection.execute_wrapper(counter):
        assert client.get(url).status_code == 200
    return len(count)


def _side_by_side(report, user, repeat=15):
    """Our case list and the admin changelist, same rows, filters, search and page size, interleaved."""
    from django.test import override_settings

    from qingshen.accounts.models import Jurisdiction, User
    from qingshen.registry.models import Enterprise

    admin_user = User.objects.create(
        username="bench-admin", role="sysadmin", is_staff=True, is_superuser=True
    )
    ours, theirs = Client(), Client()
    ours.force_login(user)
    theirs.force_login(admin_user)
    district = Jurisdiction.objects.filter(level="district").order_by("pk").first()
    uscc_part = Enterprise.objects.order_by("pk").values_list("uscc", flat=True)[CASES // 2][8:16]
    deep = max(1, CASES // 25 // 2)
    pairs = [
        ("page 1", "", ""),
        (f"page {deep}", f"page={deep}", f"p={deep}"),
        ("state filter", "state=listed", "state__exact=listed"),
        ("district filter", f"district={district.pk}", f"jurisdiction__id__exact={district.pk}"),
        ("search 2 characters (化工)", "q=化工", "q=化工"),
        ("search 4 characters (化工12)", "q=化工12", "q=化工12"),
        ("search credit code part", f"q={uscc_part}", f"q={uscc_part}"),
    ]
    with override_settings(ROOT_URLCONF="bench.case_list_admin"):
        list_url = reverse("case-list")
        admins = [
            ("admin", reverse("bench_admin:cases_auditcase_changelist")),
            ("admin (model order)", reverse("bench_admin_model_order:cases_auditcase_changelist")),
        ]
        for label, our_query, admin_query in pairs:
            urls = [("ours", ours, f"{list_url}?{our_query}")]
            urls += [(name, theirs, f"{url}?{admin_query}") for name, url in admins]
            samples: dict[str, list[float]] = {name: [] for name, _c, _u in urls}
            for name, client, url in urls:
                report(f"{label}: {name}, queries", _queries(client, url), "")
            for _ in range(repeat):
                for name, client, url in urls:
                    t = time.perf_counter()
                    assert client.get(url).status_code == 200
                    samples[name].append((time.perf_counter() - t) * 1000)
            medians = {name: statistics.median(v) for name, v in samples.items()}
            for name, median in medians.items():
                report(f"{label}: {name}, median", median, "ms")
            for name, _url in admins:
                report(f"{label}: {name} / ours", medians[name] / medians["ours"], "x")


def run(report):
    from qingshen.cases import services
    from qingshen.cases.models import AuditCase

    t = time.perf_counter()
    user = _city(CASES)
    report(f"build city with {CASES} cases (bulk)", time.perf_counter() - t, "s")
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    _side_by_side(report, user)
    client = Client()
    client.force_login(user)
    for label, url in [
        ("case list, page 1", reverse("case-list")),
        (
            "case list, overdue filter + sort by enterprise",
            reverse("case-list") + "?overdue=on&sort=enterprise",
        ),
        ("case list, search", reverse("case-list") + "?q=化工49"),
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
    from qingshen.demo.disclosures import disclosure_fill_for_demo

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
