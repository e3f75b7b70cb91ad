"""The technology library (清洁生产技术库): only accepted cases' implemented options, anonymous unless the
enterprise opts in (page and export), search by industry prefix and indicator, export, flat queries."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qingshen.cases import library, options
from qingshen.cases.errors import CaseNotFound
from qingshen.cases.library import LibraryFilters, LibraryRefused, library_filters
from qingshen.cases.models import Indicator, LibraryNaming
from qingshen.cases.options import OptionData
from qingshen.registry.models import Industry
from qingshen.trail.models import Event
from tests import factories as f

ANONYMOUS = "某企业"  # the catalogue's Chinese: tests run in zh-hans


def _options(case, actor, *, name, n=1, verified=Decimal("8")):
    energy = Indicator.objects.get(code="energy")
    options.baseline_save(case=case, actor=actor, indicator=energy, value=Decimal(1000))
    rows = [
        OptionData(
            code=f"F{i}",
            name=f"{name}{i}",
            cost_class="high",
            investment=Decimal("120.5"),
            status="implemented",
            planned_on=case.published_on,
            started_on=case.published_on,
            implemented_on=case.published_on,
            benefits={"energy": (Decimal(10), verified), "economic": (Decimal(5), Decimal(4))},
        )
        for i in range(1, n + 1)
    ]
    rows.append(
        OptionData(
            code="P1",
            name=f"{name}计划中",
            cost_class="low",
            investment=Decimal(1),
            status="planned",
            planned_on=case.published_on,
        )
    )
    options.options_save(case=case, actor=actor, rows=rows)


@pytest.fixture
def lib(world):
    """North accepted (industry 26) with options; south not accepted (industry 33) with options too."""
    u = world.users
    _options(world.case_north, u["enterprise"], name="余热回收")
    f.walk(world.case_north, "accepted", city_user=u["city"], enterprise_user=u["enterprise"])
    _options(world.case_south, u["enterprise_south"], name="电镀液回收")
    return world


def _south_accepted(lib):
    """South's case accepted too, and its enterprise then moved to industry 33 (the panel was drawn for 26)."""
    u = lib.users
    f.walk(lib.case_south, "accepted", city_user=u["city"], enterprise_user=u["enterprise_south"])
    lib.ent_south.industry = Industry.objects.get(code="33", level="division")
    lib.ent_south.save()


def _names(response):
    return [(o.name, o.shown_name) for o in response.context["page"]]


def test_only_accepted_cases_and_anonymous_by_default(lib, client_for):
    response = client_for(lib.users["agency"]).get(reverse("library"))
    assert response.status_code == 200
    assert _names(response) == [("余热回收1", ANONYMOUS)]  # no planned option, nothing of the south
    body = response.content.decode()
    assert "电镀液回收" not in body and lib.ent_north.name not in body and "120.5" in body


def test_opt_in_names_the_enterprise_and_can_be_taken_back(lib, client_for):
    client = client_for(lib.users["enterprise"])
    assert client.post(reverse("library-naming"), {"named": "yes"}).status_code == 302
    assert _names(client_for(lib.users["city"]).get(reverse("library"))) == [
        ("余热回收1", lib.ent_north.name)
    ]
    assert Event.objects.filter(action="library.naming.set").count() == 1
    client = client_for(lib.users["enterprise"])
    client.post(reverse("library-naming"), {"named": "no"})
    assert _names(client.get(reverse("library"))) == [("余热回收1", ANONYMOUS)]


def test_naming_bad_input_and_refused_users(lib, client_for):
    client = client_for(lib.users["enterprise"])
    client.post(reverse("library-naming"), {"named": "maybe"})
    assert not LibraryNaming.objects.exists()
    # Only the enterprise itself chooses: not its agency, not staff.
    for role in ("agency", "city", "expert"):
        assert (
            client_for(lib.users[role]).post(reverse("library-naming"), {"named": "yes"}).status_code == 404
        )
    with pytest.raises(CaseNotFound):
        library.library_naming_set(actor=lib.users["city"], named=True)
    assert not LibraryNaming.objects.exists()


def test_refused_users_and_visitors(lib, client, client_for):
    for role in ("expert", "auditor", "security", "sysadmin"):
        for name in ("library", "library-export"):
            assert client_for(lib.users[role]).get(reverse(name)).status_code == 404, (role, name)
    client.logout()
    assert client.get(reverse("library")).status_code == 302  # to the login page: not public


def test_search_by_industry_prefix_and_indicator(lib, client_for):
    u = lib.users
    _south_accepted(lib)
    client = client_for(u["district"])
    everything = {n for n, _s in _names(client.get(reverse("library")))}
    assert everything == {"余热回收1", "电镀液回收1"}
    assert _names(client.get(reverse("library"), {"industry": "26"})) == [("余热回收1", ANONYMOUS)]
    assert _names(client.get(reverse("library"), {"industry": "3"})) == [("电镀液回收1", ANONYMOUS)]
    assert {n for n, _s in _names(client.get(reverse("library"), {"industry": "c"}))} == everything
    assert _names(client.get(reverse("library"), {"industry": "A"})) == []
    assert {n for n, _s in _names(client.get(reverse("library"), {"indicator": "energy"}))} == everything
    assert _names(client.get(reverse("library"), {"indicator": "cod"})) == []
    assert _names(client.get(reverse("library"), {"q": "电镀"})) == [("电镀液回收1", ANONYMOUS)]


@pytest.mark.parametrize("params", [{"industry": "26x"}, {"industry": "12345"}, {"indicator": "nope"}])
def test_bad_search_says_so(lib, client_for, params):
    response = client_for(lib.users["enterprise"]).get(reverse("library"), params)
    assert response.status_code == 200 and 'id="library-refused"' in response.content.decode()
    assert list(response.context["page"]) == []
    export = client_for(lib.users["enterprise"]).get(reverse("library-export"), params)
    assert export.status_code == 302
    with pytest.raises(LibraryRefused):
        library_filters(**params)


def _sheet(response):
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    return rows[3:]


def test_export_respects_the_filters_and_anonymity(lib, client_for):
    client = client_for(lib.users["city"])
    response = client.get(reverse("library-export"), {"industry": "26"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    rows = _sheet(response)
    assert len(rows) == 1 and "余热回收1" in rows[0] and ANONYMOUS in rows[0]
    assert lib.ent_north.name not in str(rows) and 8.0 in rows[0] and 120.5 in rows[0]
    assert Event.objects.filter(action="library.export", actor=lib.users["city"]).exists()
    assert _sheet(client.get(reverse("library-export"), {"industry": "33"})) == []  # south: not accepted
    library.library_naming_set(actor=lib.users["enterprise"], named=True)
    assert lib.ent_north.name in _sheet(client.get(reverse("library-export")))[0]


def test_formula_leading_names_are_escaped(lib, client_for):
    u = lib.users
    options.options_save(
        case=lib.case_north, actor=u["enterprise"],
        rows=[OptionData(code="F9", name="=HYPERLINK(1)", cost_class="low", investment=Decimal(1),
                         status="implemented", planned_on=lib.case_north.published_on,
                         implemented_on=lib.case_north.published_on)],
    )  # fmt: skip
    rows = _sheet(client_for(u["city"]).get(reverse("library-export"), {"q": "HYPERLINK"}))
    assert rows[0][1] == "'=HYPERLINK(1)"


def test_page_queries_are_flat(lib, client_for, django_assert_max_num_queries):
    u = lib.users
    _south_accepted(lib)
    client = client_for(u["agency"])
    client.get(reverse("library"))  # warm the session and the caches
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("library"))
    before = len(few.captured_queries)
    _options(lib.case_north, u["enterprise"], name="电机变频", n=6)
    # F1 is the same option renamed; F2–F6 are new: from 2 rows to 7.
    assert len(list(library.library_search(user=u["agency"], filters=LibraryFilters()))) == 7
    with django_assert_max_num_queries(before) as more:
        client.get(reverse("library"))
    assert len(more.captured_queries) == before
