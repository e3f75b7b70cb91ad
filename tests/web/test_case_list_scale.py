"""The case list at scale (issue 18): capped or estimated counts, first/next/last pages, search in the
form the PostgreSQL indexes serve, query counts flat."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import override_settings
from django.urls import reverse

from qingshen.cases import selectors
from qingshen.cases.models import AuditCase
from qingshen.programmes.models import Listing
from qingshen.registry.models import Enterprise
from qingshen.registry.name_search import enterprises_matching
from tests import factories as f

INDUSTRIES = ("化工", "电镀", "钢铁")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture
def many(world):
    """World plus 31 cases of enterprises named 重庆<industry>测试<n>有限公司, deadlines spread."""
    for n in range(31):
        district = world.north if n % 2 else world.south
        ent = f.enterprise(district, name=f"重庆{INDUSTRIES[n % 3]}测试{n}有限公司")
        listing = Listing.objects.create(
            programme=world.programme, enterprise=ent, grounds=["emissions"], lead_authority="environment"
        )
        AuditCase.objects.create(
            programme=world.programme,
            listing=listing,
            enterprise=ent,
            jurisdiction=district,
            published_on=world.programme.published_on or datetime.date(2026, 1, 5),
            next_due_on=None if n % 7 == 0 else datetime.date(2026, 3, 1) + datetime.timedelta(days=n % 5),
        )
    return world


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/cases/\d+/">([^<]+)</a>', html)


def _walk(client, params) -> list[str]:
    """Every row, following the Next links from the first page."""
    names, query = [], dict(params)
    while True:
        html = client.get(reverse("case-list"), query).content.decode()
        names += _names(html)
        match = re.search(r'href="\?([^"]*)">(?:Next|下一页)', html)
        if not match:
            return names
        query = QueryDict(unescape(match.group(1)))


def _expected(world, **filters) -> list[str]:
    return [c.enterprise.name for c in selectors.case_list(user=world.users["city"], **filters)]


@override_settings(QINGSHEN_PAGE_SIZE=5)
@pytest.mark.parametrize("exact_up_to", [10_000, 8])
def test_next_pages_walk_every_row_once_in_order(many, client_for, exact_up_to):
    client = client_for(many.users["city"])
    with override_settings(QINGSHEN_LIST_EXACT_COUNT_UP_TO=exact_up_to):
        for params, filters in (
            ({}, {}),
            ({"district": many.south.pk}, {"jurisdiction": many.south}),
            ({"q": "化工", "sort": "enterprise"}, {"q": "化工", "sort": "enterprise"}),
        ):
            assert _walk(client, params) == _expected(many, **filters)


@override_settings(QINGSHEN_PAGE_SIZE=5, QINGSHEN_LIST_EXACT_COUNT_UP_TO=8)
def test_first_and_last_pages(many, client_for):
    client = client_for(many.users["city"])
    expected = _expected(many)
    first = client.get(reverse("case-list")).content.decode()
    assert _names(first) == expected[:5]
    # "Last" is the first page of the reversed order: the last five rows.
    last = client.get(reverse("case-list"), {"last": "1"})
    assert _names(last.content.decode()) == expected[-5:]
    assert _names(client.get(reverse("case-list"), {"page": "last"}).content.decode()) == expected[-5:]
    assert not last.context["page"].has_next() and last.context["page"].has_previous()
    # Past the end, or not a number: the real last page, or the first.
    assert _names(client.get(reverse("case-list"), {"page": 99}).content.decode()) == expected[-5:]
    assert _names(client.get(reverse("case-list"), {"page": "x"}).content.decode()) == expected[:5]


@override_settings(QINGSHEN_PAGE_SIZE=5, QINGSHEN_LIST_EXACT_COUNT_UP_TO=8)
def test_the_count_is_exact_or_says_about(many, client_for):
    client = client_for(many.users["city"])
    response = client.get(reverse("case-list"))
    paginator = response.context["page"].paginator
    total = AuditCase.objects.count()
    if connection.vendor == "postgresql":  # more rows than counted exactly: the planner's estimate
        assert paginator.estimated and paginator.count > 8
        assert re.search(r"(about|约) \d+", response.content.decode())
    else:
        assert not paginator.estimated and paginator.count == total
    # A short filtered list is counted exactly.
    response = client.get(reverse("case-list"), {"q": "钢铁测试1"})
    assert not response.context["page"].paginator.estimated
    assert response.context["page"].paginator.count == len(
        [n for n in range(31) if n % 3 == 2 and "1" in str(n)]
    )


def test_search_by_name_part_credit_code_and_pinyin(many, client_for):
    client = client_for(many.users["city"])
    names = list(Enterprise.objects.values_list("name", flat=True))
    for q in ("化工", "化工测试1", "电", "测试2", "有限公司"):
        found = sorted(_walk(client, {"q": q, "sort": "enterprise"}))
        assert found == sorted(n for n in names if q in n), q
    ent = Enterprise.objects.get(name="重庆电镀测试4有限公司")
    for q in (ent.uscc, ent.uscc[6:14].lower()):
        assert ent.name in _names(client.get(reverse("case-list"), {"q": q}).content.decode())
    assert ent.name in _walk(client, {"q": "cqdd", "sort": "enterprise"})  # pinyin initials
    assert _names(client.get(reverse("case-list"), {"q": "不存在的名字"}).content.decode()) == []


def test_search_keeps_the_scope(many, client_for):
    html = client_for(many.users["district"]).get(reverse("case-list"), {"q": "化工"}).content.decode()
    assert _names(html) and all(
        AuditCase.objects.get(enterprise__name=n).jurisdiction == many.north for n in _names(html)
    )


PARAMS = ({}, {"page": 3}, {"page": "last"}, {"q": "化工"}, {"q": "cqhg", "page": 2}, {"state": "listed"})


def _query_counts(client, pivot: int) -> list[int]:
    from django.test.utils import CaptureQueriesContext

    counts = []
    cursors = ({"after": pivot}, {"before": pivot}, {"after": pivot, "sort": "state"}, {"last": 1})
    for params in (*PARAMS, *cursors):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("case-list"), params).status_code == 200
        counts.append(len(queries))
    return counts


@override_settings(QINGSHEN_PAGE_SIZE=5, QINGSHEN_LIST_EXACT_COUNT_UP_TO=8)
def test_query_counts_do_not_grow_with_the_cases(many, client_for):
    client = client_for(many.users["city"])
    client.get(reverse("case-list"))
    pivot = _expected(many)[12]  # a deep page, by its link
    before = _query_counts(client, pivot)
    assert max(before) <= 12
    for n in range(40):  # more cases, more matches for every filter above
        ent = f.enterprise(many.north, name=f"重庆化工新增{n}有限公司")
        listing = Listing.objects.create(
            programme=many.programme, enterprise=ent, grounds=["emissions"], lead_authority="environment"
        )
        AuditCase.objects.create(
            programme=many.programme,
            listing=listing,
            enterprise=ent,
            jurisdiction=many.north,
            published_on=datetime.date(2026, 1, 5),
            next_due_on=datetime.date(2026, 3, 2),
        )
    assert _query_counts(client, pivot) == before


@on_postgresql
def test_name_search_uses_the_indexes(many):
    """The forms the search takes are the ones the indexes of 0007_name_search_indexes serve."""

    def plan(q):
        sql, params = enterprises_matching(q).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    assert "enterprise_name_bigrams" in plan("化工")
    assert "enterprise_name_trgm" in plan("化工测试")
    code = plan("91500112")
    assert "enterprise_name_trgm" in code and "enterprise_uscc_trgm" in code
    assert "searchkey_initials_trgm" in plan("cqhg")
