"""A paginator for lists that may be very long (the case list at national scale).

Django's paginator counts every matching row on every page. This one counts exactly up to a limit
(`SELECT COUNT(*) FROM (… LIMIT n+1)`, which reads at most n+1 rows); beyond it, on PostgreSQL, it takes
the planner's estimate and says so (`estimated`, the page shows "about N"). A page of an estimated
list reads one row more than it shows, so "next" is there exactly when there is a next row, whatever
the estimate; a page past the end, or "last", counts exactly once (the user asked for the end).
"""

import json

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.utils.functional import cached_property


def estimated_count(queryset) -> int:
    """The planner's row estimate for `queryset` (PostgreSQL's EXPLAIN; no rows are read)."""
    qs = queryset.order_by().values("pk")
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more
        # What "of about N pages" says: the estimate, or at least as far as this page shows there are.
        self.pages_about = max(paginator.num_pages, number + more)

    def has_next(self):
        return self.more

    def next_page_number(self):
        return self.number + 1

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1


class LargeListPaginator(Paginator):
    """`count_in_order`: the capped count reads the first rows in the list's order, as its pages do (an
    index walk, each joined row found by its key), for a list scoped through a joined table: counted
    in no order, the database may hash the whole joined table to find the first rows, a cost growing
    with it."""

    def __init__(self, object_list, per_page, *, exact_up_to: int = 10_000, count_in_order=False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.exact_up_to = exact_up_to
        self.count_in_order = count_in_order
        self.estimated = False

    @cached_property
    def count(self):
        qs = self.object_list
        if connections[qs.db].vendor != "postgresql":
            return qs.count()
        first = qs if self.count_in_order else qs.order_by()
        capped = first.values("pk")[: self.exact_up_to + 1].count()
        if capped <= self.exact_up_to:
            return capped
        self.estimated = True
        return max(estimated_count(qs), capped)

    def _count_exactly(self):
        self.__dict__["count"] = self.object_list.count()
        self.__dict__.pop("num_pages", None)
        self.estimated = False

    def validate_number(self, number):
        if self.count and self.estimated:  # any page may exist: the page itself tells
            try:
                number = int(number)
            except (TypeError, ValueError) as exc:
                raise PageNotAnInteger("That page number is not an integer") from exc
            if number < 1:
                raise EmptyPage("That page number is less than 1")
            return number
        return super().validate_number(number)

    def page(self, number):
        number = self.validate_number(number)
        if not self.estimated:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows:
            raise EmptyPage("That page contains no results")
        return EstimatedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number):
        if number == "last":
            self._count_exactly()
            return super().page(self.num_pages)
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except (EmptyPage, InvalidPage):
            if self.estimated:  # past the real end: count, and show the real last page
                self._count_exactly()
            return super().page(self.num_pages)
