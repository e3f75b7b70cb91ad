"""The case list's rows drawn in Python (web/cases/list_rows.py): as the template drew them (deadlines
as the lists' deadline template drew them, a voluntary badge, every value escaped), and as many queries
for 500 rows as for 50."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import override_settings
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from qingshen.cases import selectors
from qingshen.cases.models import AuditCase
from qingshen.cases.states import State
from qingshen.demo.world import make_uscc
from qingshen.programmes.models import Listing
from qingshen.registry.models import Enterprise
from qingshen.web.cases.list_rows import case_rows_html
from qingshen.web.templatetags.case_tags import due_html

# The deadline template as it was, drawn by Django: what due_html must still draw.
TEMPLATE_DUE = (
    '{% load i18n case_tags %}{% if due %}<span class="{{ left|due_class }}">{{ due|date:"Y-m-d" }}\n'
    "{% if left < 0 %}({% blocktranslate count days=left|abs %}{{ days }} day overdue{% plural %}"
    '{{ days }} days overdue{% endblocktranslate %}){% elif left == 0 %}({% translate "due today" %})'
    "{% else %}({% blocktranslate count days=left %}{{ days }} day left{% plural %}{{ days }} days left"
    "{% endblocktranslate %}){% endif %}</span>{% else %}—{% endif %}"
)


# The rows as the case list's template drew them from each case's objects.
TEMPLATE_ROWS = (
    '{% for row in rows %}<tr><td>{{ row.year }}</td><td><a href="{{ row.url }}">{{ row.enterprise }}</a>'
    '<div class="small text-muted">{{ row.uscc }}</div></td><td>{{ row.district }}</td><td>{{ row.state }}'
    '{% if row.voluntary %} <span class="badge text-bg-light border" data-kind="voluntary">{{ row.voluntary }}'
    "</span>{% endif %}</td><td>{{ row.due }}</td></tr>{% endfor %}"
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_rows_are_drawn_as_the_template_drew_them(world, language):
    today = datetime.date(2026, 2, 20)
    AuditCase.objects.filter(pk=world.case_north.pk).update(kind="voluntary", next_due_on=None)
    Enterprise.objects.filter(pk=world.case_north.enterprise_id).update(name='北区<b>"化工"</b> & 有限公司')
    world.north.name_en = "North <District>"
    world.north.save()
    with translation.override(language):
        rows = selectors.case_row_values(selectors.case_rows_listed(user=world.users["city"]).order_by("pk"))
        html = case_rows_html(rows, today)
        cases = AuditCase.objects.filter(pk__in=selectors.cases_listed(user=world.users["city"]).values("pk"))
        old = [
            {
                "year": case.programme.year,
                "url": reverse("case-detail", args=[case.pk]),
                "enterprise": case.enterprise.name,
                "uscc": case.enterprise.uscc,
                "district": case.jurisdiction.local_name,
                "state": State(case.state).label,
                "voluntary": case.get_kind_display() if case.is_voluntary else "",
                "due": due_html(
                    case.next_due_on, (case.next_due_on - today).days if case.next_due_on else None
                ),
            }
            for case in cases.order_by("pk")
        ]
        assert len(old) >= 2
        assert parse_html(html) == parse_html(Template(TEMPLATE_ROWS).render(Context({"rows": old})))
    assert "&lt;b&gt;&quot;化工&quot;&lt;/b&gt; &amp; 有限公司" in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_deadlines_are_drawn_as_the_template_drew_them(language):
    template = Template(TEMPLATE_DUE)
    due = datetime.date(2026, 3, 1)
    with translation.override(language):
        for left in (-400, -2, -1, 0, 1, 2, 7, 8, 30):
            assert due_html(due, left) == template.render(Context({"due": due, "left": left})), left
        assert due_html(None, None) == template.render(Context({"due": None, "left": None}))


def test_a_voluntary_case_carries_its_badge(world, client_for):
    AuditCase.objects.filter(pk=world.case_north.pk).update(kind="voluntary")
    html = client_for(world.users["city"]).get(reverse("case-list")).content.decode()
    assert html.count('data-kind="voluntary"') == 1
    assert f'<a href="{reverse("case-detail", args=[world.case_north.pk])}">北区化工有限公司</a>' in html


def _more_cases(world, n):
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"重庆批量{i}有限公司", uscc=make_uscc("500112", 20_000_000 + i), jurisdiction=world.north
        )
        for i in range(n)
    )
    listings = Listing.objects.bulk_create(
        Listing(programme=world.programme, enterprise=e, grounds=["emissions"], lead_authority="environment")
        for e in enterprises
    )
    AuditCase.objects.bulk_create(
        AuditCase(
            programme=world.programme,
            listing=listing,
            enterprise=listing.enterprise,
            jurisdiction=world.north,
            jurisdiction_path=world.north.path,
            published_on=datetime.date(2026, 1, 5),
            kind="voluntary" if i % 7 == 0 else "mandatory",
            next_due_on=None if i % 5 == 0 else datetime.date(2026, 3, 1) + datetime.timedelta(days=i % 40),
        )
        for i, listing in enumerate(listings)
    )


@pytest.mark.parametrize(
    "params", [{}, {"page": "2"}, {"state": "listed", "district": "north"}, {"q": "批量"}]
)
def test_as_many_queries_for_500_rows_as_for_50(world, client_for, params):
    _more_cases(world, 1010)
    client = client_for(world.users["city"])
    params = {k: (world.north.pk if v == "north" else v) for k, v in params.items()}
    client.get(reverse("case-list"))  # the session's first-visit writes happen once, not per page
    counts, rows = [], []
    for size in (50, 500):
        with override_settings(QINGSHEN_PAGE_SIZE=size), CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("case-list"), params)
        assert response.status_code == 200
        counts.append(len(queries))
        rows.append(len(response.context["page"].object_list))
    assert rows == [50, 500]
    assert counts[0] == counts[1] <= 10
