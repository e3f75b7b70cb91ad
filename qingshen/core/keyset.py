"""Keyset (seek) pagination: a page of a long list at the same cost at any depth.

A list is ordered on one non-null key and the primary key, both the same way, which an index on
(key, id) serves in either direction. A page is the rows just after (or before) the row its link
names, so no OFFSET walks the rows in front of it; "last" is the first page of the reversed order.
The link names the row by its id alone: its key is read again (scoped like the list), so a cursor
carries nothing to forge, and one that names no row of the list (bad input, a row gone, another
user's) gives the first page. The total is the large-list count (core.pagination: exact up to a
limit, estimated above), read only when the page shows it.

`?page=N` still serves a shallow page by OFFSET, for old links; its page has the same seek links.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import BooleanField, Expression, F, QuerySet, Value
from django.utils.functional import cached_property

from qingshen.core.pagination import LargeListPaginator

SEEK = "_seek_key"  # the alias the key is filtered and ordered on


@dataclass(frozen=True)
class Order:
    """The key of a list order: an expression on a non-null value (a column, or a Coalesce of one)."""

    key: object
    descending: bool = False

    def key_expression(self):
        return F(self.key) if isinstance(self.key, str) else self.key

    def order_by(self, *, key=None, reverse: bool = False) -> tuple:
        """The arguments of `order_by` for this order (or its reverse), on the key or on `key`."""
        key = self.key_expression() if key is None else key
        if self.descending != reverse:
            return (key.desc(), F("pk").desc())
        return (key.asc(), F("pk").asc())

    def ordering(self, *, reverse: bool = False) -> tuple:
        return self.order_by(key=F(SEEK), reverse=reverse)


CURSOR_PARAMS = ("after", "before", "last", "page")


def querystring_without_cursor(params) -> str:
    """The list's query string for its page links: the filters and sort, not the page asked for."""
    query = params.copy()
    for name in CURSOR_PARAMS:
        query.pop(name, None)
    return query.urlencode()


def cursor_id(value) -> int | None:
    """A row id from the query string; anything else (text, NUL bytes, out of range) is None."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number < 2**63 else None


class RowBeyond(Expression):
    """`(key, id) > (value, pk)` (or `<`): a row comparison, which a btree on (key, id) takes as where
    its scan starts, so rows that tie with the pivot on the key are not read again to be skipped."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, key, value, pk, *, forward: bool):
        super().__init__()
        self.forward = forward
        self.operands = [F(key) if isinstance(key, str) else key, F("pk"), Value(value), Value(pk)]

    def get_source_expressions(self):
        return self.operands

    def set_source_expressions(self, exprs):
        self.operands = list(exprs)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        key, value = clone.operands[0], clone.operands[2]
        clone.operands[2] = Value(value.value, output_field=key.output_field)  # typed as the key is
        return clone

    def as_sql(self, compiler, connection):
        parts, params = [], []
        for operand in self.operands:
            sql, operand_params = compiler.compile(operand)
            parts.append(sql)
            params.extend(operand_params)
        op = ">" if self.forward else "<"
        return f"({parts[0]}, {parts[1]}) {op} ({parts[2]}, {parts[3]})", params


def _beyond(key, pk, *, forward: bool) -> RowBeyond:
    """Rows after (key, pk) in ascending order when `forward`, before it otherwise."""
    return RowBeyond(SEEK, key, pk, forward=forward)


@dataclass
class KeysetPage:
    object_list: list
    previous: int | None  # the id to link "previous" with (?before=), None when this is the first page
    next: int | None  # the id to link "next" with (?after=), None when this is the last page
    queryset: QuerySet = field(repr=False)
    exact_up_to: int = 10_000
    count_in_order: bool = False  # LargeListPaginator's

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_previous(self) -> bool:
        return self.previous is not None

    def has_next(self) -> bool:
        return self.next is not None

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    @cached_property
    def paginator(self) -> LargeListPaginator:
        """The total, as the large list counts it (`count`, `estimated`)."""
        paginator = LargeListPaginator(
            self.queryset, 1, exact_up_to=self.exact_up_to, count_in_order=self.count_in_order
        )
        paginator.count  # noqa: B018  (counting is what tells whether the count is an estimate)
        return paginator


def _page(qs, rows, size, exact_up_to, *, reverse=False, more_before=False, more_after=False) -> KeysetPage:
    """A page from `rows` read in list order (or reversed), one more than `size` to know if more follow."""
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        rows.reverse()
        more_before = more_before or more
    else:
        more_after = more_after or more
    return KeysetPage(
        object_list=rows,
        previous=rows[0].pk if rows and more_before else None,
        next=rows[-1].pk if rows and more_after else None,
        queryset=qs,
        exact_up_to=exact_up_to,
    )


def keyset_page(
    qs: QuerySet,
    order: Order,
    *,
    size: int,
    params,
    exact_up_to: int = 10_000,
    count_in_order: bool = False,
    rows: Callable[[QuerySet], QuerySet] | None = None,
) -> KeysetPage:
    """The page of `qs` in `order` that the query string `params` asks for: `after`/`before` a row id,
    `last`, `page=N` (a shallow page, by OFFSET), else the first page. `count_in_order`: see
    LargeListPaginator. `rows`: how the page's rows are read (e.g. as values with their joins), while
    the cursors and the count read `qs` itself."""
    page = _keyset_page(qs, order, size=size, params=params, exact_up_to=exact_up_to, read=rows or _as_is)
    page.count_in_order = count_in_order
    return page


def _as_is(qs: QuerySet) -> QuerySet:
    return qs


def _keyset_page(qs: QuerySet, order: Order, *, size: int, params, exact_up_to: int, read) -> KeysetPage:
    qs = qs.alias(**{SEEK: order.key_expression()}).order_by(*order.ordering())
    ascending = not order.descending
    last = qs.order_by(*order.ordering(reverse=True))
    for name, forward in (("after", True), ("before", False)):
        pk = cursor_id(params.get(name))
        if pk is None:
            continue
        pivot = qs.filter(pk=pk).annotate(_pivot=order.key_expression()).values_list("_pivot", "pk").first()
        if pivot is None:
            break
        # "after" reads on in list order; "before" reads back in the reversed one.
        beyond = _beyond(*pivot, forward=forward == ascending)
        rows = list(read((qs if forward else last).filter(beyond))[: size + 1])
        if rows:
            return _page(
                qs, rows, size, exact_up_to, reverse=not forward, more_before=forward, more_after=not forward
            )
        if forward:  # the pivot is the last row: show the last page
            return _page(qs, list(read(last)[: size + 1]), size, exact_up_to, reverse=True)
        break
    if params.get("last") or params.get("page") == "last":
        return _page(qs, list(read(last)[: size + 1]), size, exact_up_to, reverse=True)
    number = cursor_id(params.get("page"))
    if number and number > 1:
        start = (number - 1) * size
        # The rows skipped are read as ids only: joined, each would read its enterprise and district
        # first; the page's own rows are read in full by their ids, in list order.
        ids = list(qs.values_list("pk", flat=True)[start : start + size + 1])
        rows = list(read(qs.filter(pk__in=ids))) if ids else []
        if not rows:  # past the end: the real last page
            return _page(qs, list(read(last)[: size + 1]), size, exact_up_to, reverse=True)
        return _page(qs, rows, size, exact_up_to, more_before=True)
    return _page(qs, list(read(qs)[: size + 1]), size, exact_up_to)
