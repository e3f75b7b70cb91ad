"""Dashboard, summary table (附件3) and public search with a generated city: 20 districts, 10 years,
about 50,000 cases (with options, benefits and concluded reviews), and 100,000 enterprises."""

import datetime
import io
import os
import random
import statistics
import time

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

YEARS = 10
CASES_PER_YEAR = int(os.environ.get("BENCH_CASES_PER_YEAR", "5000"))
ENTERPRISES = int(os.environ.get("BENCH_ENTERPRISES", "100000"))
# Options (each with one benefit) of every second case; real audits record 10–40.
OPTIONS_PER_CASE = int(os.environ.get("BENCH_OPTIONS_PER_CASE", "1"))
WORDS = "重庆长江三峰环境化工电镀涂装钢铁机械食品制药印染造纸水泥玻璃建材能源热电汽车摩托电子"


def _city():
    from qingshen.accounts.models import Jurisdiction, User
    from qingshen.cases.models import AuditCase, Benefit, Indicator, Option
    from qingshen.demo.world import make_uscc
    from qingshen.programmes.models import Listing, Programme
    from qingshen.registry.models import Enterprise
    from qingshen.registry.search_key_services import search_keys_rebuild
    from qingshen.reviews.models import Review

    rnd = random.Random(7)
    province = Jurisdiction.objects.create(name="省", level="province")
    city = Jurisdiction.objects.create(name="市", level="city", parent=province)
    districts = [Jurisdiction.objects.create(name=f"区{i}", level="district", parent=city) for i in range(20)]
    user = User.objects.create(username="city", role="city", jurisdiction=city)
    enterprises = Enterprise.objects.bulk_create(
        (
            Enterprise(
                name="".join(rnd.choice(WORDS) for _ in range(4)) + f"{i}有限公司",
                uscc=make_uscc("500112", 10_000_000 + i),
                jurisdiction=districts[i % 20],
            )
            for i in range(ENTERPRISES)
        ),
        batch_size=5000,
    )
    search_keys_rebuild(enterprises=enterprises)
    states = ["listed", "disclosed", "auditing", "report_submitted", "implementing", "accepted", "published"]
    cases = []
    for y in range(YEARS):
        year = 2016 + y
        published = datetime.date(year, 3, 1)
        programme = Programme.objects.create(
            city=city, year=year, title=f"{year}", list_state="published", published_on=published
        )
        chosen = rnd.sample(enterprises, CASES_PER_YEAR)
        listings = Listing.objects.bulk_create(
            (
                Listing(
                    programme=programme,
                    enterprise=e,
                    grounds=rnd.choice([["emissions"], ["energy"], ["emissions", "hazardous"]]),
                    lead_authority="environment",
                )
                for e in chosen
            ),
            batch_size=5000,
        )
        batch = []
        for i, lst in enumerate(listings):
            state = states[i % len(states)] if i % 40 else "withdrawn"
            done = state in ("accepted", "published")
            batch.append(
                AuditCase(
                    programme=programme,
                    listing=lst,
                    enterprise=lst.enterprise,
                    jurisdiction=lst.enterprise.jurisdiction,
                    jurisdiction_path=lst.enterprise.jurisdiction.path,
                    state=state,
                    published_on=published,
                    disclosed_on=published if state != "listed" else None,
                    accepted_on=published + datetime.timedelta(days=500) if done else None,
                    level=rnd.choice(["I", "II", "III"]) if done else "",
                    next_due_on=None if done else published + datetime.timedelta(days=i % 700),
                )
            )
        cases += AuditCase.objects.bulk_create(batch, batch_size=5000)
    options = Option.objects.bulk_create(
        (
            Option(
                case=c,
                code=f"F{k + 1}",
                name="方案",
                cost_class="low" if (n + k) % 3 else "high",
                investment=(n + k) % 50,
                status="implemented" if k % 2 else "planned",
                planned_on=c.published_on,
                updated_by=user,
            )
            for n, c in enumerate(cases)
            if n % 2 == 0
            for k in range(OPTIONS_PER_CASE)
        ),
        batch_size=5000,
    )
    indicators = list(Indicator.objects.all())
    Benefit.objects.bulk_create(
        (
            Benefit(option=o, indicator=indicators[n % len(indicators)], expected=n % 7, verified=n % 5)
            for n, o in enumerate(options)
        ),
        batch_size=5000,
    )
    # Bulk-loaded options bypass the options service: rewrite the totals cells as after an import.
    from qingshen.cases.rollups import rollups_rebuild

    rollups_rebuild()
    Review.objects.bulk_create(
        (
            Review(
                case=c,
                kind=kind,
                status="concluded",
                applied_by=user,
                applied_on=c.published_on,
                outcome="pass" if n % 5 else "fail",
            )
            for n, c in enumerate(cases)
            if c.state in ("implementing", "accepted", "published")
            for kind in (["evaluation"] if c.state == "implementing" else ["evaluation", "acceptance"])
        ),
        batch_size=5000,
    )
    # Oversight as the daily sweep leaves it: an open deadline per open case (due on its next due
    # date), a bureau check overdue on every 50th, then the real warnings and accountability services.
    from qingshen.cases.models import CaseDeadline
    from qingshen.oversight.services import accountability_detect, warnings_record

    CaseDeadline.objects.bulk_create(
        (
            CaseDeadline(
                case=c,
                kind="evaluation_check" if n % 50 == 0 else "disclosure",
                party="bureau" if n % 50 == 0 else "enterprise",
                rule_code="application_check_due" if n % 50 == 0 else "disclosure_due",
                starts_on=c.published_on,
                due_on=c.next_due_on,
            )
            for n, c in enumerate(cases)
            if c.next_due_on
        ),
        batch_size=5000,
    )
    warnings_record()
    accountability_detect()
    # Bulk-created rows send no save signal: count them as after a restore.
    call_command("rebuild_counts", stdout=io.StringIO())
    # A running database has statistics and, on PostgreSQL, tables autovacuum has visited (hint bits
    # set, visibility map for index-only scans); freshly bulk-loaded tables have neither, and the
    # autovacuum they trigger would otherwise run during the measurements.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return user, Programme.objects.get(year=2016 + YEARS - 1), enterprises


def _time(client, url, repeat=15):
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, url
    return statistics.median(samples), max(samples)


def _queries(client, url):
    count: list[int] = []

    def counter(execute, *args):
        count.append(1)
        return execute(*args)

    with connection.execute_wrapper(counter):
        assert client.get(url).status_code == 200
    return len(count)


def run(report):
    from qingshen.cases.models import AuditCase

    t = time.perf_counter()
    user, programme, enterprises = _city()
    from qingshen.oversight.models import AccountabilityRecord, Warning

    report(
        f"build: {AuditCase.objects.count()} cases ({OPTIONS_PER_CASE} options on every second), "
        f"{len(enterprises)} enterprises, "
        f"{Warning.objects.count()} warnings, {AccountabilityRecord.objects.count()} accountability records",
        time.perf_counter() - t,
        "s",
    )
    client = Client()
    client.force_login(user)
    sample = enterprises[12345 % len(enterprises)]
    from qingshen.accounts.models import Jurisdiction
    from qingshen.registry.search_keys import initials_of, pinyin_of

    district = Jurisdiction.objects.filter(level="district").order_by("pk").first()
    pages = [
        ("dashboard (cached until the next event)", client, reverse("dashboard")),
        (f"summary table page ({programme.year})", client, reverse("summary-page", args=[programme.pk])),
        ("summary table xlsx", client, reverse("summary-export", args=[programme.pk])),
        (
            "public search: pinyin initials",
            Client(),
            reverse("public-search") + "?q=" + initials_of(sample.name)[:4],
        ),
        (
            "public search: pinyin initials inside the name",
            Client(),
            reverse("public-search") + "?q=" + initials_of(sample.name)[2:6],
        ),
        (
            "public search: full pinyin inside the name",
            Client(),
            reverse("public-search") + "?q=" + pinyin_of(sample.name)[4:14],
        ),
        ("public search: credit code", Client(), reverse("public-search") + "?q=" + sample.uscc),
        ("public search: part of the name", Client(), reverse("public-search") + "?q=" + sample.name[:3]),
        ("public results", Client(), reverse("public-results")),
    ]
    from django.test import override_settings

    from qingshen.cases.rollups import rollup_refresh_for_case

    case = AuditCase.objects.filter(programme=programme, options__isnull=False).first()
    samples = []
    for _ in range(15):
        t = time.perf_counter()
        rollup_refresh_for_case(case)
        samples.append((time.perf_counter() - t) * 1000)
    report("totals cell rewrite on an option save: median", statistics.median(samples), "ms")
    with override_settings(QINGSHEN_DASHBOARD_CACHE_SECONDS=0):
        queries = _queries(client, reverse("dashboard"))
        median, worst = _time(client, reverse("dashboard"), repeat=5)
    report("dashboard, not cached: median", median, "ms")
    report("dashboard, not cached: max", worst, "ms")
    report("dashboard, not cached: queries", queries, "")
    with override_settings(QINGSHEN_DASHBOARD_CACHE_SECONDS=0):
        for label, query in (
            ("one district", f"?district={district.pk}"),
            ("one year", f"?year={programme.year}"),
        ):
            url = reverse("dashboard") + query
            queries = _queries(client, url)
            median, worst = _time(client, url, repeat=5)
            report(f"dashboard for {label}, not cached: median", median, "ms")
            report(f"dashboard for {label}, not cached: queries", queries, "")
    for label, c, url in pages:
        queries = _queries(c, url)
        median, worst = _time(c, url)
        report(f"{label}: median", median, "ms")
        report(f"{label}: max", worst, "ms")
        report(f"{label}: queries", queries, "")
