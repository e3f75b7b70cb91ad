"""The case list page, its xlsx export and the API's case list filter and sort through one FilterSet
(programmes.case_filters): the same parameters give the same cases in the same order."""

import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qingshen.cases.models import AuditCase


def _page(client, params) -> list[str]:
    html = client.get(reverse("case-list"), params).content.decode()
    names = []
    for part in html.split('href="/cases/')[1:]:
        head = part.split("<", 1)[0]
        if "/" in head and ">" in head:
            names.append(head.split(">", 1)[1])
    return names


def _export(client, params) -> list[str]:
    data = client.get(reverse("case-export"), params).content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    names = {n for n in ("北区化工有限公司", "南区电镀有限公司")}
    return [cell for row in rows for cell in row if cell in names]


def _api(api_as, user, params) -> list[str]:
    body = api_as(user).get("/api/v1/cases/", params).json()
    by_pk = dict(AuditCase.objects.values_list("pk", "enterprise__name"))
    return [by_pk[r["id"]] for r in body["results"]]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"ground": "energy"}, ["南区电镀有限公司"]),
        ({"ground": "emissions"}, ["北区化工有限公司"]),
        ({"lead_authority": "energy"}, ["南区电镀有限公司"]),
        ({"overdue": "true"}, ["南区电镀有限公司"]),
        ({"sort": "enterprise"}, ["北区化工有限公司", "南区电镀有限公司"]),
        ({"sort": "-deadline"}, ["北区化工有限公司", "南区电镀有限公司"]),
        ({"q": "电镀"}, ["南区电镀有限公司"]),
    ],
)
def test_the_page_the_export_and_the_api_agree(world, client_for, api_as, params, expected):
    AuditCase.objects.filter(pk=world.case_south.pk).update(next_due_on=datetime.date(2020, 1, 1))
    AuditCase.objects.filter(pk=world.case_north.pk).update(next_due_on=datetime.date(2031, 1, 1))
    city = world.users["city"]
    assert _api(api_as, city, params) == expected
    client = client_for(city)
    assert _page(client, params) == expected
    assert _export(client, params) == expected


def test_a_district_outside_the_scope_is_no_filter_anyone_can_use(world, client_for, api_as):
    """The API matches nothing; the page, whose choice it is not, says the filter was not applied."""
    params = {"district": world.south.pk}
    assert _api(api_as, world.users["district"], params) == []
    page = client_for(world.users["district"]).get(reverse("case-list"), params).content.decode()
    assert 'id="filter-not-applied"' in page and "南区电镀有限公司" not in page
