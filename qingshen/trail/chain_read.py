"""Reading the chain fast for verification: plain rows off a chunked cursor, in canonical form.

The verifier reads the hashed columns through the same chunked cursor the ORM would use (server-side
on PostgreSQL) but skips the ORM's per-value converters: the database writes the time in its canonical
text (no datetime is built for it), the JSON columns are parsed and re-written in canonical form once
per distinct text. The result is
what chain.canonical_values produces from a model instance; tests/trail/test_chain_compat.py checks
both against digests written by the earlier code.
"""

import datetime
import json

from django.db import connections
from django.db.models import CharField, F, Func
from django.utils.dateparse import parse_datetime

_CACHE_SIZE = 4096


class _AtText(Func):
    """chain.at_text's form of the stored time ('YYYY-MM-DDTHH:MM:SS.ffffffZ', UTC), written by the
    database; rows whose text is not 27 characters long go through at_text in Python."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores str() of the naive UTC time: 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
        template = (
            "CASE WHEN length(%(expressions)s) = 19 THEN replace(%(expressions)s, ' ', 'T') || '.000000Z' "
            "ELSE replace(%(expressions)s, ' ', 'T') || 'Z' END"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


def _at(text, at_text):
    if len(text) == 27:
        return text
    at = parse_datetime(text.removesuffix("Z"))  # another form: read it as a time, then write it
    return at_text(at if at.tzinfo is not None else at.replace(tzinfo=datetime.UTC))


class _JsonCanon:
    """The canonical text of a JSON column's value, remembered for texts seen again."""

    def __init__(self, encode):
        self._encode, self._known = encode, {}

    def __call__(self, stored) -> str:
        known = self._known.get(stored)
        if known is None:
            if stored is None:
                return "null"
            known = self._encode(json.loads(stored) if isinstance(stored, str | bytes) else stored)
            if len(self._known) >= _CACHE_SIZE:
                self._known.clear()
            self._known[stored] = known
        return known


class _Memo(dict):
    """A str's JSON form, remembered: the columns with few distinct values (action, result, ...)."""

    def __init__(self, encode):
        super().__init__()
        self._encode = encode

    def __missing__(self, key):
        value = self[key] = self._encode(key)
        return value


def links(queryset, columns, *, chunk: int, at_text, encode, string, value):
    """(seq, prev_digest, digest, id, hashed bytes) of each row in the queryset's order: the bytes are
    chain._canonical_text's followed by the previous digest, written here in one f-string per row
    (the loop is the verifier's whole cost). `columns` are chain._WALKED; `string` and `value` write
    a str and any value as JSON. None on a database this does not know (the caller uses the ORM)."""
    connection = connections[queryset.db]
    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    fields = [_AtText(F(name)) if name == "at" else name for name in columns]
    sql, params = queryset.values_list(*fields).query.get_compiler(using=queryset.db).as_sql()
    canon, s, v, m = _JsonCanon(encode), string, value, _Memo(string)

    def walk():
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(chunk):
                if len(m) > _CACHE_SIZE:
                    m.clear()
                for seq, at, actor_id, actor_name, client_ip, action, result, object_type, object_id, \
                        object_repr, before, after, note, prev, digest, pk in batch:  # fmt: skip
                    if len(at) != 27:
                        at = _at(at, at_text)
                    data = (
                        f'{{"action":{m[action]},"actor_id":{v(actor_id)},"actor_name":{m[actor_name]},'
                        f'"after":{canon(after)},"at":"{at}","before":{canon(before)},'
                        f'"client_ip":{v(client_ip)},"note":{s(note)},"object_id":{s(object_id)},'
                        f'"object_repr":{s(object_repr)},"object_type":{m[object_type]},"result":{m[result]},'
                        f'"seq":{seq}}}{prev}'
                    )
                    yield seq, prev, digest, pk, data.encode()

    return walk()
