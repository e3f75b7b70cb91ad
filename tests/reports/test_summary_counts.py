"""附件3 from the counts kept per programme and jurisdiction (what the pages read) is the table counted
from the cases themselves, figure for figure: the hand-computed fixture, a case carried over from an
earlier year, the voluntary table. Run this file on PostgreSQL too."""

import datetime

from django.utils import timezone

from qingshen.cases import scoping as cases_scoping
from qingshen.programmes import listings, lists
from qingshen.reports import figures as summary
from qingshen.reports import scoping
from qingshen.reviews.models import Review
from tests import factories as f
from tests.reports.test_summary import NORTH, SOUTH, _expected, city_of_three  # noqa: F401
from tests.reports.test_summary_carry_over import _programme_of


def _tables(user, programme, districts, table=summary.summary_table):
    kept, counted = (
        table(
            programme=programme,
            cases=cases_scoping.cases_visible(user),
            districts=districts,
            counts=counts,
        )
        for counts in (scoping.counts_visible(user), None)
    )
    return kept, counted


def _same(kept, counted):
    assert kept.rows == counted.rows
    assert kept.total == counted.total
    assert kept.by_lead == counted.by_lead


def test_the_hand_computed_fixture_from_the_counts(city_of_three):  # noqa: F811
    w = city_of_three
    user = w.users["city"]
    kept, counted = _tables(user, w.programme, scoping.summary_districts_visible(user, w.programme))
    rows = {d.pk: figures for d, figures in kept.rows}
    assert rows[w.north.pk] == _expected(NORTH, kept.columns)
    assert rows[w.south.pk] == _expected(SOUTH, kept.columns)
    _same(kept, counted)
    _same(*_tables(user, w.programme, [w.north, w.south], summary.voluntary_table))


def test_a_carried_over_review_from_the_counts(world):
    city = world.users["city"]
    published = timezone.localdate() - datetime.timedelta(days=400)
    old = _programme_of(world, published.year - 1)
    old_ent = f.enterprise(world.south, "南区老厂")
    listings.listing_add(programme=old, enterprise=old_ent, grounds=["emissions"], actor=city)
    f.confirm_list(old, city_user=city, province_user=world.users["province"])
    lists.list_transition(name="publish", programme=old, actor=city, published_on=published)
    old_case = old.cases.get()
    f.walk(old_case, "implementing", city_user=city, enterprise_user=f.enterprise_user(old_ent))
    concluded = Review.objects.get(case=old_case, kind="evaluation").concluded_on
    this_year = _programme_of(world, concluded.year)
    kept, counted = _tables(city, this_year, [world.north, world.south])
    assert dict(kept.rows)[world.south]["evaluations_carried"] == 1
    _same(kept, counted)
    _same(*_tables(city, old, [world.north, world.south]))
