"""Reading the chain fast for verification: plain rows off a chunked cursor, in canonical form.

The verifier reads the hashed columns through the same chunked cursor the ORM would use (server-side
on PostgreSQL) but skips the ORM's per-value converters: the time goes straight to its canonical text,
the JSON columns are parsed and re-written in canonical form once per distinct text. The result is
what chain.canonical_values produces from a model instance; tests/trail/test_chain_compat.py checks
both against digests written by the earlier code.
"""

import datetime
import json

from django.db import connections
from django.utils.dateparse import parse_datetime

_CACHE_SIZE = 4096


def _at_sqlite(value, at_text):
    """The driver parses the column (Django registers a converter for its declared type) into the
    naive UTC time Django stored; older rows could come as the stored text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value.tzinfo is None:
        if value.year >= 1000:  # at_text's own form for a UTC time, without converting it
            return value.isoformat(timespec="microseconds") + "Z"
        value = value.replace(tzinfo=datetime.UTC)
    return at_text(value)


def _at_aware(value, at_text):
    return at_text(value)


class _JsonCanon:
    """The canonical text of a JSON column's value, remembered for texts seen again."""

    def __init__(self, encode):
        self._encode, self._known = encode, {}

    def __call__(self, stored) -> str:
        if stored is None:
            return "null"
        known = self._known.get(stored)
        if known is None:
            known = self._encode(json.loads(stored) if isinstance(stored, str | bytes) else stored)
            if len(self._known) >= _CACHE_SIZE:
                self._known.clear()
            self._known[stored] = known
        return known


def rows(queryset, columns, *, chunk: int, at_text, encode):
    """(seq, at text, actor_id, actor_name, client_ip, action, result, object_type, object_id,
    object_repr, before text, after text, note, prev_digest, digest, id) in the queryset's order;
    `columns` are those names. None on a database this does not know (the caller uses the ORM)."""
    connection = connections[queryset.db]
    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    sql, params = queryset.values_list(*columns).query.get_compiler(using=queryset.db).as_sql()
    at_of = _at_sqlite if connection.vendor == "sqlite" else _at_aware
    canon = _JsonCanon(encode)

    def walk():
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(chunk):
                for r in batch:
                    yield (
                        r[0], at_of(r[1], at_text), r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
                        canon(r[10]), canon(r[11]), r[12], r[13], r[14], r[15],
                    )  # fmt: skip

    return walk()
