"""附件3: the year's evaluations and acceptances include those of cases carried over from earlier years."""

import datetime

from django.utils import timezone

from qingshen.cases import scoping as cases_scoping
from qingshen.programmes import listings, lists, services
from qingshen.programmes.models import Programme
from qingshen.reports import figures as summary
from qingshen.reviews.models import Review
from tests import factories as f


def _programme_of(world, year):
    city = world.users["city"]
    existing = Programme.objects.filter(city=world.city, year=year).first()
    return existing or services.programme_create(city=world.city, year=year, actor=city)


def _south_row(world, programme):
    user = world.users["city"]
    table = summary.summary_table(
        programme=programme,
        cases=cases_scoping.cases_visible(user),
        districts=[world.south],
    )
    return dict(table.rows)[world.south]


def test_an_earlier_case_evaluated_this_year_counts_in_this_years_table(world):
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
    assert this_year.year > old.year

    row = _south_row(world, this_year)
    assert (row["evaluations"], row["evaluations_passed"], row["evaluations_carried"]) == (1, 1, 1)
    assert row["listed"] == this_year.cases.filter(jurisdiction=world.south).count()  # not re-listed
    # In its own programme's table it is that year's own work, not carried.
    own = _south_row(world, old)
    assert (own["evaluations"], own["evaluations_carried"]) == (1, 0)
    # The next year's table does not count it again.
    later = _programme_of(world, concluded.year + 1)
    assert _south_row(world, later)["evaluations"] == 0
