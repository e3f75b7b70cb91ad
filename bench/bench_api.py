"""The API's case list against the HTML case list on the same rows, interleaved in one run: server
time, requests per second and queries per page, first and deep pages (BENCH_API_CASES, 50,000 for the
issue's figure)."""

import datetime
import os
import statistics
import time

from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.bench_case_list import _city

CASES = int(os.environ.get("BENCH_API_CASES", "5000"))
ROUNDS = int(os.environ.get("BENCH_API_ROUNDS", "20"))


def _queries(client, url, **headers) -> int:
    count: list[int] = []

    def counter(execute, *args):
        count.append(1)
        return execute(*args)

    with connection.execute_wrapper(counter):
        assert client.get(url, **headers).status_code == 200
    return len(count)


def run(report):
    from qingshen.accounts.api_tokens import api_token_create

    t = time.perf_counter()
    user = _city(CASES)
    report(f"build city with {CASES} cases (bulk)", time.perf_counter() - t, "s")
    _, key = api_token_create(
        user=user, name="bench", scope="read", expires_on=datetime.date.today() + datetime.timedelta(days=30)
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    html, api = Client(), Client()
    html.force_login(user)
    deep = max(1, CASES // 25 // 2)  # a page in the middle, at the HTML list's 25 a page
    pages = {
        "page 1": (reverse("case-list"), reverse("api-case-list") + "?page_size=25"),
        f"page {deep}": (
            reverse("case-list") + f"?page={deep}",
            reverse("api-case-list") + f"?page_size=25&page={deep}",
        ),
        "overdue filter": (
            reverse("case-list") + "?overdue=on",
            reverse("api-case-list") + "?overdue=true&page_size=25",
        ),
    }
    for label, (html_url, api_url) in pages.items():
        report(f"{label}: HTML queries", _queries(html, html_url), "")
        report(f"{label}: API queries", _queries(api, api_url, **auth), "")
        times = {"html": [], "api": []}
        for _ in range(ROUNDS):  # interleaved, so load on the machine hits both alike
            for which, client, url, extra in (("html", html, html_url, {}), ("api", api, api_url, auth)):
                t = time.perf_counter()
                assert client.get(url, **extra).status_code == 200
                times[which].append(time.perf_counter() - t)
        h, a = statistics.median(times["html"]), statistics.median(times["api"])
        report(f"{label}: HTML median", h * 1000, "ms")
        report(f"{label}: API median", a * 1000, "ms")
        report(f"{label}: API throughput / HTML throughput", h / a, "x")
