"""The summary export (附件3) carries the voluntary audits on a sheet of their own: their figures by
district apart from the mandatory table's, and one row per audit with its stage and review results."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from qingshen.demo.case_walk import walk_case
from qingshen.programmes.voluntary import voluntary_register
from tests import factories as f

pytestmark = pytest.mark.django_db

TO_EVALUATION_PASSED = [
    ("submit_report", 0),
    ("apply_evaluation", 0),
    ("accept_evaluation_application", 0),
    ("pass_evaluation", 0),
]


def _sheets(client, programme):
    response = client.get(reverse("summary-export", args=[programme.pk]))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.sheet_names, book


def test_the_export_has_a_voluntary_sheet_with_its_own_figures_and_rows(world, client_for):
    ent = f.enterprise(world.north, "北区自愿审核纺织有限公司")
    user = f.enterprise_user(ent)
    case = voluntary_register(actor=user)
    walk_case(case, TO_EVALUATION_PASSED, city_user=world.users["city"], enterprise_user=user,
              start=timezone.localdate())  # fmt: skip
    names, book = _sheets(client_for(world.users["city"]), world.programme)
    assert names[-1] == "自愿审核" and len(names) == 3
    rows = book.get_sheet_by_name("自愿审核").to_python()
    blank = next(i for i, row in enumerate(rows) if not any(row))
    by_name = {row[0]: row for row in rows[1:blank]}  # the figures; the audits' rows follow
    registered = rows[0].index(next(h for h in rows[0] if "登记" in str(h)))
    assert by_name[world.north.name][registered] == 1 and by_name[world.south.name][registered] == 0
    assert by_name["合计"][registered] == 1
    (line,) = [row for row in rows if row[1] == ent.name]
    assert line[0] == world.north.name and line[2] == ent.uscc
    assert line[4] == timezone.localdate().isoformat() and line[5] == "通过" and line[7] == ""
    # The mandatory enterprises' sheet does not list it.
    assert ent.name not in str(book.get_sheet_by_index(1).to_python())


def test_a_district_sees_only_its_own_voluntary_audits(world, client_for):
    ent = f.enterprise(world.north, "北区自愿审核纺织有限公司")
    voluntary_register(actor=f.enterprise_user(ent))
    _names, book = _sheets(client_for(world.users["district_south"]), world.programme)
    assert ent.name not in str(book.get_sheet_by_name("自愿审核").to_python())
