"""The long lists page by seeking (core.keyset): the case list in each of its orders, the warnings and
the accountability cases. Following Next (or Previous back from Last) shows every row once, in order,
also where many rows tie on the sort key; a deep page is reached by its link alone; a cursor that is
not one of the list's rows gives the first page, never an error; the refused stay refused."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from qingshen.cases.models import AuditCase
from qingshen.oversight.models import AccountabilityRecord, Warning
from qingshen.programmes.models import Listing
from tests import factories as f

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
ROW = {
    "case-list": r'<a href="/cases/(\d+)/">',
    "warning-list": r'data-warning="(\d+)"',
    "accountability-list": r'data-record="(\d+)"',
}
FAR, NEAR = datetime.date.max, datetime.date.min


@pytest.fixture
def many(world):
    """World plus 23 cases: four deadlines shared by many (ties), every fifth without one."""
    for n in range(23):
        ent = f.enterprise(world.north if n % 2 else world.south, name=f"重庆翻页测试{n % 4}有限公司{n}")
        listing = Listing.objects.create(
            programme=world.programme, enterprise=ent, grounds=["emissions"], lead_authority="environment"
        )
        AuditCase.objects.create(
            programme=world.programme,
            listing=listing,
            enterprise=ent,
            jurisdiction=ent.jurisdiction,
            published_on=datetime.date(2026, 1, 5),
            state=("listed", "disclosed")[n % 2],
            next_due_on=None if n % 5 == 0 else datetime.date(2026, 3, 1) + datetime.timedelta(days=n % 4),
        )
    return world


def _ids(name, html) -> list[int]:
    return [int(pk) for pk in re.findall(ROW[name], html)]


def _link(html, label) -> QueryDict | None:
    label = {"Next": "(?:Next|下一页)", "Previous": "(?:Previous|上一页)"}[label]
    match = re.search(rf'href="\?([^"]*)">{label}<', html)
    return QueryDict(unescape(match.group(1))) if match else None


def _walk(client, name, params, *, back=False) -> list[int]:
    """Every row from the first page on by Next, or from Last back by Previous (then in list order)."""
    query, pages = dict(params, **({"last": "1"} if back else {})), []
    while query is not None:
        html = client.get(reverse(name), query).content.decode()
        assert not pages or len(pages) < 50, "the links go round in circles"
        pages.append(_ids(name, html))
        query = _link(html, "Previous" if back else "Next")
    rows = [pk for page in (reversed(pages) if back else pages) for pk in page]
    assert len(rows) == len(set(rows)), "a row shown twice"
    return rows


def _case_keys(user_cases, sort):
    """The list's orders worked out here, from the rows: (key, id), the id breaking the ties."""
    key = {
        "": lambda c: (c.next_due_on or FAR, c.pk),
        "deadline": lambda c: (c.next_due_on or FAR, c.pk),
        "-deadline": lambda c: (c.next_due_on or NEAR, c.pk),
        "state": lambda c: (c.state, c.pk),
        "district": lambda c: (c.jurisdiction_path, c.pk),
        "enterprise": lambda c: (c.enterprise.name, c.pk),
        "year": lambda c: (c.programme.year, c.pk),
    }[sort]
    return [c.pk for c in sorted(user_cases, key=key, reverse=sort in ("-deadline", "year"))]


@override_settings(QINGSHEN_PAGE_SIZE=4, QINGSHEN_LIST_EXACT_COUNT_UP_TO=8)
@pytest.mark.parametrize("sort", ["", "-deadline", "state", "district", "enterprise", "year"])
def test_case_list_next_and_previous_walk_every_row_once_in_order(many, client_for, sort):
    client = client_for(many.users["city"])
    expected = _case_keys(AuditCase.objects.select_related("enterprise", "programme"), sort)
    params = {"sort": sort} if sort else {}
    assert _walk(client, "case-list", params) == expected
    assert _walk(client, "case-list", params, back=True) == expected


@override_settings(QINGSHEN_PAGE_SIZE=4)
def test_a_deep_case_page_by_its_cursor(many, client_for):
    client = client_for(many.users["city"])
    expected = _case_keys(AuditCase.objects.all(), "")
    html = client.get(reverse("case-list"), {"after": expected[9]}).content.decode()
    assert _ids("case-list", html) == expected[10:14]
    assert (
        _ids("case-list", client.get(reverse("case-list"), {"before": expected[9]}).content.decode())
        == (expected[5:9])
    )
    # Its Previous link leads to the page just before it, its Next to the one just after.
    previous = client.get(reverse("case-list"), _link(html, "Previous")).content.decode()
    assert _ids("case-list", previous) == expected[6:10]
    following = client.get(reverse("case-list"), _link(html, "Next")).content.decode()
    assert _ids("case-list", following) == expected[14:18]
    # A filter stays on the links, and the cursor seeks within the filtered rows.
    listed = [pk for pk in expected if AuditCase.objects.get(pk=pk).state == "listed"]
    html = client.get(reverse("case-list"), {"state": "listed", "after": listed[1]}).content.decode()
    assert _ids("case-list", html) == listed[2:6]
    assert "state=listed" in str(_link(html, "Next").urlencode())
    # The old page numbers still lead to their rows.
    assert _ids("case-list", client.get(reverse("case-list"), {"page": 2}).content.decode()) == expected[4:8]


@override_settings(QINGSHEN_PAGE_SIZE=4)
def test_a_cursor_that_is_not_a_row_of_the_list_gives_the_first_page(many, client_for):
    client = client_for(many.users["district"])  # the north district: not the south's cases
    own = _case_keys(AuditCase.objects.filter(jurisdiction=many.north), "")
    south = AuditCase.objects.filter(jurisdiction=many.south).values_list("pk", flat=True).first()
    for value in ("abc", "-3", "0", "99999999999999999999999", "１２", "٣", str(south), "9" * 18, " 7"):
        for name in ("after", "before") if value.strip().isdigit() else ("after", "before", "page"):
            response = client.get(reverse("case-list"), {name: value})
            assert response.status_code == 200, (name, value)
            assert _ids("case-list", response.content.decode()) == own[:4], (name, value)
    # A NUL byte never reaches a view (the input check refuses it with its page); the helper itself,
    # given one, reads the first page and sends the database no text with it.
    assert client.get(reverse("case-list"), {"after": "1\x00"}).status_code == 400
    from qingshen.cases.selectors import case_order, cases_listed
    from qingshen.core.keyset import keyset_page

    for value in ("\x00", f"{own[2]}\x00", "1\x00' OR 1=1"):
        for name in ("after", "before", "page"):
            page = keyset_page(
                cases_listed(user=many.users["district"]), case_order(""), size=4, params={name: value}
            )
            assert [c.pk for c in page] == own[:4], (name, value)


def test_the_refused_are_refused_whatever_the_cursor(many, client_for):
    case = AuditCase.objects.first()
    for user, name in (
        ("sysadmin", "case-list"),
        ("expert", "warning-list"),
        ("enterprise", "accountability-list"),
    ):
        response = client_for(many.users[user]).get(reverse(name), {"after": case.pk, "before": "x"})
        assert response.status_code == 404, (user, name)


def _warnings(world, n):
    """`n` open warnings of one deadline, recorded at three moments: many share their time."""
    deadline = world.case_north.deadlines.filter(status="open").first()
    now = timezone.now()
    return [
        Warning.objects.create(
            deadline=deadline,
            case=world.case_north,
            programme=world.programme,
            jurisdiction_path=world.case_north.jurisdiction_path,
            level="upcoming",
            threshold_days=i + 1,
            due_on=deadline.due_on,
            recorded_at=now - datetime.timedelta(hours=i % 3),
        ).pk
        for i in range(n)
    ]


def _records(world, n):
    """`n` accountability cases opened at three moments, half of them closed."""
    pks = []
    for i in range(n):
        record = AccountabilityRecord.objects.create(
            case=world.case_north if i % 2 else world.case_south,
            kind="other",
            duty="职责",
            explanation="说明",
        )
        closed = timezone.now() if i % 2 else None
        stamp = timezone.now() - datetime.timedelta(hours=i % 3)
        AccountabilityRecord.objects.filter(pk=record.pk).update(opened_at=stamp, closed_at=closed)
        pks.append(record.pk)
    return pks


def _newest_first(model, field, pks):
    return list(model.objects.filter(pk__in=pks).order_by(f"-{field}", "-pk").values_list("pk", flat=True))


@override_settings(QINGSHEN_PAGE_SIZE=3, QINGSHEN_LIST_EXACT_COUNT_UP_TO=5)
def test_warnings_page_by_seeking(world, client_for):
    expected = _newest_first(
        Warning, "recorded_at", _warnings(world, 11) + list(Warning.objects.values_list("pk", flat=True))
    )
    client = client_for(world.users["city"])
    assert _walk(client, "warning-list", {}) == expected
    assert _walk(client, "warning-list", {}, back=True) == expected
    html = client.get(reverse("warning-list"), {"after": expected[4]}).content.decode()
    assert _ids("warning-list", html) == expected[5:8]
    html = client.get(reverse("warning-list"), {"after": "x"}).content.decode()
    assert _ids("warning-list", html) == expected[:3]


@override_settings(QINGSHEN_PAGE_SIZE=3, QINGSHEN_LIST_EXACT_COUNT_UP_TO=5)
def test_accountability_pages_by_seeking_with_its_filters(world, client_for):
    pks = _records(world, 13)
    expected = _newest_first(AccountabilityRecord, "opened_at", pks)
    client = client_for(world.users["supervisor"])
    assert _walk(client, "accountability-list", {}) == expected
    assert _walk(client, "accountability-list", {}, back=True) == expected
    still_open = [pk for pk in expected if AccountabilityRecord.objects.get(pk=pk).closed_at is None]
    assert _walk(client, "accountability-list", {"state": "open"}) == still_open
    south = [pk for pk in expected if AccountabilityRecord.objects.get(pk=pk).case_id == world.case_south.pk]
    html = client.get(reverse("accountability-list"), {"district": world.south.pk, "after": south[0]})
    assert _ids("accountability-list", html.content.decode()) == south[1:4]
    html = client.get(reverse("accountability-list"), {"before": str(expected[-1]) + "z"}).content.decode()
    assert _ids("accountability-list", html) == expected[:3]


def _plans(qs, order, params) -> list[str]:
    """The plans of the queries a page runs (the pivot, the page), seq scans discouraged: the tables
    here are small, and the question is which index the planner has."""
    from django.test.utils import CaptureQueriesContext

    from qingshen.core.keyset import keyset_page

    with CaptureQueriesContext(connection) as queries:
        keyset_page(qs, order, size=5, params=params)
    plans = []
    with connection.cursor() as cursor:
        # The planner's choice on a table of thousands: a few test rows make any sort look free.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        for query in queries.captured_queries:
            cursor.execute(f"EXPLAIN {query['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@on_postgresql
def test_the_seeks_are_served_by_indexes(many, world):
    """Each order on the case's own columns, and the oversight pages with their filters, seek in the
    index made for them: the first page, a deep page, and "last"."""
    from qingshen.cases.selectors import case_order
    from qingshen.oversight import selectors

    _warnings(world, 3)
    _records(world, 7)
    case, warning, record = (
        AuditCase.objects.last(),
        Warning.objects.last(),
        AccountabilityRecord.objects.last(),
    )
    checks = [
        (AuditCase.objects.all(), case_order(sort), case, index)
        for sort, index in (
            ("deadline", "case_seek_deadline_idx"),
            ("-deadline", "case_seek_deadline_desc_idx"),
            ("state", "case_seek_state_idx"),
            ("district", "case_seek_district_idx"),
        )
    ]
    checks += [
        (Warning.objects.all(), selectors.WARNING_ORDER, warning, "warning_seek_idx"),
        (
            Warning.objects.filter(level="upcoming"),
            selectors.WARNING_ORDER,
            warning,
            "warning_seek_level_idx",
        ),
        (
            AccountabilityRecord.objects.all(),
            selectors.ACCOUNTABILITY_ORDER,
            record,
            "accountability_seek_idx",
        ),
        (
            AccountabilityRecord.objects.filter(closed_at__isnull=True),
            selectors.ACCOUNTABILITY_ORDER,
            AccountabilityRecord.objects.filter(closed_at__isnull=True).last(),
            "accountab_seek_open_idx",
        ),
        (
            AccountabilityRecord.objects.filter(responsible_section=""),
            selectors.ACCOUNTABILITY_ORDER,
            record,
            "accountab_seek_section_idx",
        ),
    ]
    for qs, order, _row, index in checks:
        row = qs.order_by(*order.order_by())[1]  # a pivot with rows on both sides
        for params in ({}, {"after": str(row.pk)}, {"before": str(row.pk)}, {"last": "1"}):
            page_plan = _plans(qs, order, params)[-1]
            assert index in page_plan, (index, params, page_plan)
            if params.keys() & {"after", "before"}:  # the scan starts at the pivot, ties and all
                conditions = [line for line in page_plan.splitlines() if "Index Cond:" in line]
                assert conditions and "ROW(" in conditions[0], (index, params, page_plan)


def test_the_section_filter_offers_each_section_of_the_users_records_once(world):
    from qingshen.oversight.selectors import accountability_sections

    for i, (case, section) in enumerate(
        [(world.case_north, "北区·审核科"), (world.case_north, "自然科"), (world.case_south, "南区·审核科")]
        * 3
    ):
        AccountabilityRecord.objects.create(
            case=case, kind="other", duty=f"职责{i}", explanation="说明", responsible_section=section
        )
    AccountabilityRecord.objects.create(case=world.case_south, kind="other", duty="d", explanation="e")
    assert accountability_sections(user=world.users["supervisor"]) == sorted(
        ["北区·审核科", "自然科", "南区·审核科"]
    )
    assert accountability_sections(user=world.users["district"]) == ["北区·审核科", "自然科"]
    assert accountability_sections(user=world.users["enterprise"]) == []


@on_postgresql
@override_settings(QINGSHEN_PAGE_SIZE=3, QINGSHEN_LIST_EXACT_COUNT_UP_TO=5)
def test_the_accountability_count_reads_the_first_records_by_the_pages_index(world, client_for):
    """The list is scoped by its cases' districts (a join). Counted in no order, the database may read
    every case of the scope into a hash to find the first records (a cost growing with the cases);
    counted in the page's order, it walks the page's index and finds each record's case by its key."""
    from django.test.utils import CaptureQueriesContext

    pks = _records(world, 13)
    client = client_for(world.users["supervisor"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accountability-list"))
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1 and "ORDER BY" in counts[0]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # as on a table of thousands
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {counts[0]}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "accountability_seek_idx" in plan and "Hash Join" not in plan, plan
    assert len(pks) > 5 and response.context["page"].paginator.estimated  # more than counted exactly
