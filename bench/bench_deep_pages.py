"""Deep pages of the long lists: the case list (default order and by state), the warnings and the
accountability cases, page 1 and 50 % / 90 % deep, by OFFSET (`?page=N`, how the pages were read
before) and by seeking (`?after=<id>`, the links the pages now give), and "last".

    BENCH_CASES=500000 DATABASE_URL=postgres://... .venv/bin/python bench/run.py deep_pages

The rows are made in SQL (INSERT … SELECT over generate_series, each row a copy of one of a few
seeded by the ORM), as many cases, warnings and accountability cases as BENCH_CASES. Requests go
through the Django test client in this process; each figure is the median of a few. The ratios
printed are the deep page's time over page 1's: flat is about 1.
"""

import datetime
import os
import statistics
import time

from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

ROWS = int(os.environ.get("BENCH_CASES", "5000"))
TEMPLATES = 40  # seeded rows the copies are made from (20 districts, two each)
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def _copy(model, n, overrides: dict[str, str], *, offset: str) -> None:
    """n copies of `model`'s rows with the lowest ids (row g copies template g % TEMPLATES), new ids
    `offset` + g; `overrides` gives SQL for columns that differ (g is the copy's number)."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    select = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f"""
        WITH t0 AS (SELECT *, row_number() OVER (ORDER BY id) - 1 AS k FROM "{table}" ORDER BY id LIMIT {TEMPLATES})
        INSERT INTO "{table}" (id, {names})
        SELECT {offset} + g, {select}
        FROM generate_series(1, {n}) AS g JOIN t0 AS t ON t.k = g % {TEMPLATES}
    """  # noqa: S608  (names from the models, numbers from here)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        last = f'(SELECT max(id) FROM "{table}")'  # noqa: S608  (the model's table)
        cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), {last})", [f'"{table}"'])


def _world(n):
    from qingshen.accounts.models import Jurisdiction, User
    from qingshen.cases.models import AuditCase
    from qingshen.demo.world import make_uscc
    from qingshen.oversight.models import AccountabilityRecord, Warning
    from qingshen.programmes.models import Listing, Milestone, Programme
    from qingshen.registry.models import Enterprise

    province = Jurisdiction.objects.create(name="省", level="province")
    city = Jurisdiction.objects.create(name="市", level="city", parent=province)
    districts = [Jurisdiction.objects.create(name=f"区{i}", level="district", parent=city) for i in range(20)]
    city_user = User.objects.create(username="city", role="city", jurisdiction=city)
    supervisor = User.objects.create(username="sup", role="supervisor", jurisdiction=city)
    programme = Programme.objects.create(
        city=city, year=2025, title="t", list_state="published", published_on=datetime.date(2025, 3, 1)
    )
    milestone = Milestone.objects.create(programme=programme, name="m", due_on=datetime.date(2025, 6, 1))
    now = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    for i in range(TEMPLATES):
        ent = Enterprise.objects.create(
            name=f"重庆模板{i}有限公司",
            uscc=make_uscc("500112", 9_000_000 + i),
            jurisdiction=districts[i % 20],
        )
        listing = Listing.objects.create(
            programme=programme, enterprise=ent, grounds=["emissions"], lead_authority="environment"
        )
        case = AuditCase.objects.create(
            programme=programme, listing=listing, enterprise=ent, jurisdiction=ent.jurisdiction,
            published_on=programme.published_on,
        )  # fmt: skip
        Warning.objects.create(
            milestone=milestone, programme=programme, jurisdiction_path=ent.jurisdiction.path,
            level="upcoming", threshold_days=30_000 + i, due_on=milestone.due_on, recorded_at=now,
        )  # fmt: skip
        AccountabilityRecord.objects.create(case=case, kind="other", duty="d", explanation="e")
    base = {m: m.objects.order_by("-id").values_list("id", flat=True).first() for m in (Enterprise, Listing)}
    _copy(
        Enterprise,
        n,
        {"name": "'重庆企业' || g || '有限公司'", "uscc": "'91' || lpad(g::text, 16, '0')"},
        offset=str(base[Enterprise]),
    )
    _copy(Listing, n, {"enterprise_id": f"{base[Enterprise]} + g"}, offset=str(base[Listing]))
    case_base = AuditCase.objects.order_by("-id").values_list("id", flat=True).first()
    _copy(
        AuditCase,
        n,
        {
            "enterprise_id": f"{base[Enterprise]} + g",
            "listing_id": f"{base[Listing]} + g",
            "state": "(ARRAY['listed','disclosed','auditing'])[g % 3 + 1]",
            # many cases share a deadline (the ties the id settles), every tenth has none
            "next_due_on": "CASE WHEN g % 10 = 0 THEN NULL ELSE DATE '2025-04-01' + (g % 400) END",
        },
        offset=str(case_base),
    )
    _copy(
        Warning,
        n,
        {  # unique per milestone, due date, level and threshold; three recorded at each moment
            "due_on": "DATE '2025-01-01' + g / 20000",
            "threshold_days": "g % 20000",
            "recorded_at": "t.recorded_at - (g / 3) * INTERVAL '1 second'",
        },
        offset=str(Warning.objects.order_by("-id").values_list("id", flat=True).first()),
    )
    _copy(
        AccountabilityRecord,
        n,
        {
            "case_id": f"{case_base} + g",
            "opened_at": "t.opened_at - (g / 2) * INTERVAL '1 second'",
            "closed_at": "CASE WHEN g % 3 = 0 THEN t.opened_at ELSE NULL END",
        },
        offset=str(AccountabilityRecord.objects.order_by("-id").values_list("id", flat=True).first()),
    )
    return city_user, supervisor


def _ms(client, url) -> float:
    samples = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, url
    return statistics.median(samples)


def _slowest(client, url) -> tuple[float, str]:
    """The slowest query of one request to `url`, in ms, and the first lines of its plan."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {slowest['sql']}")
        plan = [row[0] for row in cursor.fetchall()]
    return float(slowest["time"]) * 1000, "\n    ".join(plan[:12])


def _lists(city_user, supervisor):
    """(label, user, url name, query, rows in the list's order as a queryset of ids)."""
    from qingshen.cases import selectors as case_selectors
    from qingshen.oversight import selectors

    cases = case_selectors.cases_listed(user=city_user)
    records = selectors.accountability_list(user=supervisor)
    return [
        ("case list", city_user, "case-list", "", cases.order_by(*case_selectors.case_order("").order_by())),
        (
            "case list by state",
            city_user,
            "case-list",
            "sort=state&",
            cases.order_by(*case_selectors.case_order("state").order_by()),
        ),
        ("warnings", city_user, "warning-list", "", selectors.warning_list(user=city_user)),
        ("accountability", supervisor, "accountability-list", "", records),
        (
            "accountability, open",
            supervisor,
            "accountability-list",
            "state=open&",
            selectors.accountability_list(user=supervisor, state="open"),
        ),
    ]


def run(report):
    if connection.vendor != "postgresql":
        print("deep pages: PostgreSQL only (the rows are made in its SQL)")
        return
    t = time.perf_counter()
    city_user, supervisor = _world(ROWS)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    report(f"build {ROWS} cases, warnings and accountability cases (SQL)", time.perf_counter() - t, "s")
    from django.conf import settings

    size = settings.QINGSHEN_PAGE_SIZE
    with override_settings(QINGSHEN_PAGE_SIZE=size):
        for label, user, name, query, ordered in _lists(city_user, supervisor):
            client = Client()
            client.force_login(user)
            url = reverse(name)
            total = ordered.count()
            first = _ms(client, f"{url}?{query}")
            report(f"{label} ({total} rows): page 1", first, "ms")
            for share in (50, 90):
                depth = total * share // 100
                pivot = ordered.values_list("pk", flat=True)[depth - 1]
                offset = _ms(client, f"{url}?{query}page={depth // size + 1}")
                seek = _ms(client, f"{url}?{query}after={pivot}")
                report(f"{label}: {share} % deep, OFFSET (?page=)", offset, "ms")
                report(f"{label}: {share} % deep, seek (?after=)", seek, "ms")
                report(f"{label}: {share} % deep / page 1, OFFSET", offset / first, "x")
                report(f"{label}: {share} % deep / page 1, seek", seek / first, "x")
                if os.environ.get("BENCH_EXPLAIN"):
                    for how, q in (("OFFSET", f"page={depth // size + 1}"), ("seek", f"after={pivot}")):
                        ms, plan = _slowest(client, f"{url}?{query}{q}")
                        print(f"  slowest query, {share} % deep, {how}: {ms:.1f} ms\n    {plan}")
            report(f"{label}: last (reversed order)", _ms(client, f"{url}?{query}last=1"), "ms")
