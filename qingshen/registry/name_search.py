"""Finding enterprises by a part of their name, their credit code or the pinyin of their name, in a
form the indexes serve on PostgreSQL (migration 0007_name_search_indexes):

- three characters or more: `UPPER(name) LIKE '%…%'`, served by the pg_trgm GIN index as is;
- two characters (化工): no trigram to look up, so the GIN index of the name's two-character pieces
  narrows the rows and the LIKE checks them;
- the credit code is searched only when the query could be part of one (digits and capitals), so a
  Chinese query is one indexed condition, not an OR with a scan.

The matching enterprises are one subquery (a UNION of the name/code match and the pinyin keys), so a
case or disclosure list filters by `enterprise_id IN (…)` and the database reads only those.
"""

import re

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet

from qingshen.registry.search_keys import query_key

_CODE_PART = re.compile(r"^[0-9A-Z]+$")


class NameHasBigram(Func):
    """PostgreSQL: the name's two-character pieces (qs_bigrams, as indexed) include the query's."""

    output_field = BooleanField()

    def __init__(self, expression, bigram: str):
        super().__init__(expression)
        self.bigram = bigram

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"qs_bigrams(UPPER(({sql})::text)) @> ARRAY[UPPER(%s)]::text[]", [*params, self.bigram]


def name_match(q: str, field: str = "name") -> Q:
    """`field` (a name) contains `q`, case-insensitively, in the form the index serves."""
    match = Q(**{f"{field}__icontains": q})
    if len(q) == 2 and connection.vendor == "postgresql":
        match &= Q(NameHasBigram(F(field), q))
    return match


def enterprises_matching(q: str) -> QuerySet:
    """Ids of the enterprises whose name contains `q`, whose credit code contains it, or whose pinyin
    key does: one query, a UNION of one indexed condition per branch (an OR of them would make the
    planner choose a scan of every enterprise)."""
    from qingshen.registry.models import Enterprise, SearchKey

    q = q.strip()
    ids = Enterprise.objects.filter(name_match(q)).order_by().values("pk")
    branches = []
    if _CODE_PART.match(q.upper()):
        branches.append(Enterprise.objects.filter(uscc__icontains=q.upper()).order_by().values("pk"))
    key = query_key(q)
    if key is not None:
        for column in ("initials", "full"):
            keys = SearchKey.objects.filter(**{f"{column}__contains": key})
            branches.append(keys.order_by().values("enterprise_id"))
    return ids.union(*branches) if branches else ids


def enterprise_filter(q: str, field: str = "enterprise", *, inline_up_to: int = 2000) -> Q:
    """Rows whose enterprise (`field`) matches `q` by name, credit code or pinyin. The matching ids
    are read first (one query) and given to the list as values when there are few, so the database
    knows how many and fetches those cases by index; many matches stay a subquery."""
    matching = enterprises_matching(q)
    ids = [row["pk"] for row in matching[: inline_up_to + 1]]
    if len(ids) <= inline_up_to:
        return Q(**{f"{field}_id__in": ids})
    return Q(**{f"{field}_id__in": matching})
