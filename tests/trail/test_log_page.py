"""The auditor's log page: newer/older links through every row once, the same queries at any depth."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingshen.trail.models import ChainHead, Event
from qingshen.trail.services import event_record


@pytest.fixture
def long_log(world, settings):
    settings.QINGSHEN_ADMIN_PAGE_SIZE = 7
    for i in range(40):
        event_record(action=("test.even" if i % 2 else "test.odd"), note=str(i))
    return world


def _seqs(html):
    return [int(n) for n in re.findall(r'<td class="small text-muted" title="[0-9a-f]*">(\d+)</td>', html)]


def _link(html, name):
    found = re.search(rf'id="log-{name}" href="\?([^"]*)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _walk(client, first_query, direction):
    pages, query = [], first_query
    while query is not None:
        html = client.get(reverse("event-list") + "?" + query).content.decode()
        pages.append(_seqs(html))
        query = _link(html, direction)
    return pages


def test_older_links_walk_every_row_once_newest_first(long_log, client_for):
    client = client_for(long_log.users["auditor"])
    pages = _walk(client, "", "older")
    rows = [seq for page in pages for seq in page]
    expected = list(Event.objects.order_by("-at", "-id").values_list("seq", flat=True))
    assert rows == expected and all(len(p) == 7 for p in pages[:-1])
    # And back up from the oldest page with the newer links.
    back = _walk(client, "oldest=1", "newer")
    assert [seq for page in reversed(back) for seq in page] == expected


def test_the_filter_is_kept_along_the_links(long_log, client_for):
    client = client_for(long_log.users["auditor"])
    pages = _walk(client, "action=test.even", "older")
    rows = [seq for page in pages for seq in page]
    assert rows == list(
        Event.objects.filter(action="test.even").order_by("-at", "-id").values_list("seq", flat=True)
    )


def test_a_deep_page_costs_the_queries_of_the_first(long_log, client_for):
    client = client_for(long_log.users["auditor"])
    client.get(reverse("event-list"))
    counts = []
    deep, shallow = Event.objects.order_by("at", "id")[3].pk, Event.objects.order_by("-at", "-id")[9].pk
    for query in ("", f"before={deep}", f"before={shallow}", "oldest=1", "action=test.odd"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("event-list") + "?" + query).status_code == 200
        counts.append(len(queries))
        assert not any("COUNT(" in q["sql"].upper() or "OFFSET" in q["sql"].upper() for q in queries)
    # The cursor's row is read by its id; a filtered page shows no total (no chain head read).
    first = counts[0]
    assert counts == [first, first + 1, first + 1, first, first - 1]


@pytest.mark.parametrize(
    "bad", ["before=abc", "after=-3", "before=99999999", "after=1e9", "before=" + "9" * 40]
)
def test_a_bad_cursor_gives_the_newest_page(long_log, client_for, bad):
    client = client_for(long_log.users["auditor"])
    response = client.get(reverse("event-list") + "?" + bad)
    assert response.status_code == 200
    assert _seqs(response.content.decode())[0] == Event.objects.order_by("-at", "-id").first().seq


def test_the_total_comes_from_the_chain_head(long_log, client_for):
    client = client_for(long_log.users["auditor"])
    head = ChainHead.objects.get(pk=1)
    html = client.get(reverse("event-list")).content.decode()
    assert f"{head.seq - head.anchor_seq + 1}" in html


def test_the_log_page_is_refused_to_others(long_log, client_for):
    for role in ("city", "security", "enterprise"):
        assert client_for(long_log.users[role]).get(reverse("event-list") + "?oldest=1").status_code == 404


def test_the_order_has_its_index(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Event._meta.db_table)
    columns = [c["columns"] for c in constraints.values() if c["index"]]
    assert ["at", "id"] in columns and ["at"] not in columns
    from qingshen.trail import append_only

    assert append_only.triggers_state() == []  # the migration kept the append-only triggers
