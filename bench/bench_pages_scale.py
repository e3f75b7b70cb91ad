"""Every page at size (issue 18, goal 1): the same pages timed against cities of 50k, 500k and 1M cases
(bench/city_sql.py builds them, once, into databases kept between runs), to see which grow.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py pages_scale

BENCH_SCALE_SIZES (default 50000,500000,1000000) names the cities: size N is database scale_<N as
50k/500k/1m>; one missing is skipped (build it with city_sql.py). Each page goes through the Django test
client in this process, logged in as the city's staff (the log page as the auditor, accountability as
the supervisor, the public search anonymous): two warm-up requests (the second's queries counted), then
the median of BENCH_REPEAT (5) rounds, each timing every page at every size in turn. Prints per page:
ms at each size, growth largest / smallest (flat: <= 1.3) and the query count at each size (constant in
the data: the same at every size).
With BENCH_EXPLAIN=1, the two slowest queries of each page at the largest size, with their plans.
"""

import os
import statistics
import time

from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

SIZES = [int(s) for s in os.environ.get("BENCH_SCALE_SIZES", "50000,500000,1000000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
# Two words of the generated names (city_sql.WORDS): a fixed share of the names, so more matches at a
# larger size; and a word only the one template enterprise has: one match at every size.
SEARCH = os.environ.get("BENCH_SCALE_QUERY", "化工")
SEARCH_ONE = "模板"


def database_of(size: int) -> str:
    return "scale_" + (f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k")


def _exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _use(name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name


def _pivot(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def _pages():
    """(label, user name or None for anonymous, url) of every page, at this database."""
    from qingshen.accounts.models import User
    from qingshen.cases import selectors as case_selectors
    from qingshen.programmes.models import Programme
    from qingshen.trail.models import Event

    city = User.objects.get(username="city")
    cases = case_selectors.cases_listed(user=city).order_by(*case_selectors.case_order("").order_by())
    total = cases.count()
    deep_case = cases.values_list("pk", flat=True)[total * 9 // 10]
    # a case in the same state at every size (its page offers the same steps)
    # the first case in `auditing` past the middle: the same state (its page the same steps) at every size
    middle_case = _pivot(
        "SELECT min(id) FROM cases_auditcase WHERE state = 'auditing'"
        " AND id > (SELECT (min(id) + max(id)) / 2 FROM cases_auditcase)"
    )
    events = Event.objects.count()
    deep_event = Event.objects.order_by("-at", "-id").values_list("id", flat=True)[events * 9 // 10]
    programme = Programme.objects.order_by("-year").first()
    cases_url, log_url = reverse("case-list"), reverse("event-list")
    return [
        ("case list, first page", "city", cases_url),
        ("case list, 90 % deep (seek)", "city", f"{cases_url}?after={deep_case}"),
        ("case list, state = auditing", "city", f"{cases_url}?state=auditing"),
        (f"case list, name search {SEARCH}", "city", f"{cases_url}?q={SEARCH}"),
        (f"case list, name search {SEARCH_ONE} (1)", "city", f"{cases_url}?q={SEARCH_ONE}"),
        ("case page", "city", reverse("case-detail", args=[middle_case])),
        ("dashboard, not cached", "city", reverse("dashboard")),
        ("summary page", "city", reverse("summary-page", args=[programme.pk])),
        (f"public search {SEARCH}", None, f"{reverse('public-search')}?q={SEARCH}"),
        (f"public search {SEARCH_ONE} (1)", None, f"{reverse('public-search')}?q={SEARCH_ONE}"),
        ("log page, newest", "auditor", log_url),
        ("log page, 90 % deep", "auditor", f"{log_url}?before={deep_event}"),
        ("warnings", "city", reverse("warning-list")),
        ("accountability", "sup", reverse("accountability-list")),
    ]


def _warm(client, url) -> int:
    """Two warm-up requests, the second's queries counted (the first may write a session, fill a cache)."""
    client.get(url)
    queries = []

    def counted(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(counted):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _ms(client, url) -> float:
    t = time.perf_counter()
    client.get(url)
    return (time.perf_counter() - t) * 1000


def _slowest(client, url, top: int = 2) -> str:
    """The `top` slowest queries of one request to `url` by their plans' execution time (EXPLAIN
    ANALYZE, BUFFERS): the client's clock would count the machine's load and the driver's work too."""
    plans = []

    def explained(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                lines = [row[0] for row in cursor.fetchall()]
            plans.append((float(lines[-1].split(":")[1].split()[0]), sql, lines))
        return result

    with connection.execute_wrapper(explained):
        client.get(url)
    return "\n".join(
        f"  {ms:.1f} ms  {sql[:500]}\n    " + "\n    ".join(lines)
        for ms, sql, lines in sorted(plans, key=lambda p: -p[0])[:top]
    )


def run(report):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from qingshen.accounts.models import User

    if connection.vendor != "postgresql":
        print("pages at scale: PostgreSQL only (the cities are made in its SQL)")
        return
    # One connection across requests (as a pooled server keeps), so the queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    own = connection.settings_dict["NAME"]  # the throw-away database run.py drops afterwards
    sizes = [s for s in SIZES if _exists(database_of(s))]
    pages, clients, counts, samples = {}, {}, {}, {}
    try:
        with override_settings(QINGSHEN_DASHBOARD_CACHE_SECONDS=0):
            for size in sizes:
                _use(database_of(size))
                clients[size] = {None: Client()}
                for name in ("city", "auditor", "sup"):
                    clients[size][name] = Client()
                    clients[size][name].force_login(User.objects.get(username=name))
                pages[size] = _pages()
                for label, user, url in pages[size]:
                    counts[label, size] = _warm(clients[size][user], url)
            # Rounds over every size in turn: the machine's load (shared) falls on all sizes alike.
            for _round in range(REPEAT):
                for size in sizes:
                    _use(database_of(size))
                    for label, user, url in pages[size]:
                        samples.setdefault((label, size), []).append(_ms(clients[size][user], url))
            explained = {}
            if os.environ.get("BENCH_EXPLAIN"):
                _use(database_of(sizes[-1]))
                for label, user, url in pages[sizes[-1]]:
                    explained[label] = _slowest(clients[sizes[-1]][user], url)
    finally:
        _use(own)
    table: dict[str, dict[int, tuple[float, int]]] = {}
    for (label, size), times in samples.items():
        table.setdefault(label, {})[size] = (statistics.median(times), counts[label, size])
        report(f"{label} @ {size}", statistics.median(times), f"ms, {counts[label, size]} queries")
    print(f"\n{'page':<36}" + "".join(f"{database_of(s)[6:]:>9}" for s in sizes) + "   growth  queries")
    for label, by_size in table.items():
        cells = "".join(f"{by_size[s][0]:>7.1f}ms" if s in by_size else f"{'-':>9}" for s in sizes)
        growth = by_size[sizes[-1]][0] / by_size[sizes[0]][0]
        counts = "/".join(str(by_size[s][1]) for s in sizes if s in by_size)
        print(f"{label:<36}{cells}   {growth:>5.2f}x  {counts}", flush=True)
        report(f"{label}: growth {database_of(sizes[-1])[6:]} / {database_of(sizes[0])[6:]}", growth, "x")
    for label, text in explained.items():
        print(f"\n--- {label}: slowest queries\n{text}", flush=True)
