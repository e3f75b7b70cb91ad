"""Reading and checking the chain fast: plain rows off the database, in canonical form, checked in
one loop.

The verifier reads the hashed columns as the database hands them back (no model instances, none of
the ORM's per-value converters): the database writes the time in its canonical text, the JSON columns
are parsed and re-written in canonical form once per distinct text, and the columns with few distinct
values (the action, the actor, ...) are written once per value. Each batch's canonical bytes come out
of one comprehension; the check loop that follows calls nothing of its own per row, only the hash.

On PostgreSQL the rows are streamed (libpq's chunked rows, where the driver has them): the server
keeps producing the next rows while this process hashes, instead of waiting for each FETCH. The bytes
are those chain.canonical_values gives a model instance; tests/trail/test_chain_compat.py checks both
against the reference form and against digests written by the earlier code.
"""

import collections
import datetime
import itertools

from django.db import connections
from django.db.models import CharField, F, Func
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from qingshen.trail import chain, chain_json

# Rows fetched (and made canonical) at a time; the remembered values are forgotten past this many.
CHUNK = 5000
_CACHE_SIZE = 4096
_AT_LENGTH = len("2026-01-01T00:00:00.000000Z")


class _AtText(Func):
    """chain.at_text's form of the stored time ('YYYY-MM-DDTHH:MM:SS.ffffffZ', UTC), written by the
    database; rows whose text is not that long go through at_text in Python (_at)."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        # Before the year 1000 at_text does not pad the year (strftime): those rows get the plain ISO
        # text (26 characters), which _at reads and writes in at_text's form.
        template = (
            "CASE WHEN %(expressions)s >= '1000-01-01 00:00:00+00' "
            "THEN to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') "
            "ELSE to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') END"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores str() of the naive UTC time: 'YYYY-MM-DD HH:MM:SS[.ffffff]'; before the year
        # 1000 (a leading 0: the column's numeric affinity would make `< '1000'` a number) the stored
        # text as it is (see above).
        template = (
            "CASE WHEN substr(%(expressions)s, 1, 1) = '0' THEN %(expressions)s "
            "WHEN length(%(expressions)s) = 19 THEN replace(%(expressions)s, ' ', 'T') || '.000000Z' "
            "ELSE replace(%(expressions)s, ' ', 'T') || 'Z' END"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


def _at(text: str) -> str:
    """at_text's form of a time the database wrote in another form."""
    at = parse_datetime(text.removesuffix("Z"))
    return chain.at_text(at if at.tzinfo is not None else at.replace(tzinfo=datetime.UTC))


class _Known(dict):
    """A value's JSON form by the value as read, each distinct value written once (None is null)."""

    def __init__(self, write):
        super().__init__({None: "null"})
        self._write = write

    def __missing__(self, key):
        value = self[key] = self._write(key)
        return value

    def trim(self) -> None:
        if len(self) > _CACHE_SIZE:
            self.clear()
            self[None] = "null"


def canonical_batches(batches):
    """The rows of each batch (chain._WALKED's columns, the time as _AtText writes it) as (seq,
    previous digest, digest, id, the hashed bytes: chain._canonical_text's followed by the previous
    digest), a list per batch."""
    s = chain._str
    names, ids, docs = _Known(s), _Known(chain._value), _Known(chain_json.canonical_of_stored)
    for batch in batches:
        for known in (names, ids, docs):
            known.trim()
        yield [
            (
                seq,
                prev,
                digest,
                pk,
                (
                    f'{{"action":{names[action]},"actor_id":{ids[actor_id]},"actor_name":{names[actor_name]},'
                    f'"after":{docs[after]},"at":"{at if len(at) == _AT_LENGTH else _at(at)}",'
                    f'"before":{docs[before]},"client_ip":{"null" if client_ip is None else s(client_ip)},'
                    f'"note":{s(note)},"object_id":{s(object_id)},"object_repr":{s(object_repr)},'
                    f'"object_type":{names[object_type]},"result":{names[result]},"seq":{seq}}}{prev}'
                ).encode(),
            )
            for seq, at, actor_id, actor_name, client_ip, action, result, object_type, object_id,
            object_repr, before, after, note, prev, digest, pk in batch
        ]  # fmt: skip


def _streams(connection) -> bool:
    """Whether the rows can be streamed in chunks (psycopg 3.2 on libpq 17 or later)."""
    if connection.vendor != "postgresql":
        return False
    capabilities = getattr(__import__("psycopg"), "capabilities", None)
    return capabilities is not None and capabilities.has_stream_chunked()


def _batches(queryset, chunk: int):
    """The walked columns of the queryset's rows, in its order, a list of tuples at a time; None on a
    database this does not know."""
    connection = connections[queryset.db]
    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    fields = [_AtText(F(name)) if name == "at" else name for name in chain._WALKED]
    sql, params = queryset.values_list(*fields).query.get_compiler(using=queryset.db).as_sql()

    def fetched():
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(chunk):
                yield batch

    def streamed():
        connection.ensure_connection()
        # The connection's own adapters: the JSON and address columns as text, as Django reads them.
        with connection.connection.cursor() as cursor:
            rows = cursor.stream(sql, params, size=chunk)
            try:
                while batch := list(itertools.islice(rows, chunk)):
                    yield batch
            except GeneratorExit:
                # A stream broken off cancels its query, and with it the caller's transaction: the
                # rest is read (not checked) instead.
                collections.deque(rows, maxlen=0)
                raise

    return streamed() if _streams(connection) else fetched()


def links(queryset, chunk: int = CHUNK):
    """(seq, previous digest, digest, id, hashed bytes) of each row in the queryset's order; None on
    a database this does not know (the caller reads through the ORM)."""
    batches = _batches(queryset, chunk)
    if batches is None:
        return None
    return itertools.chain.from_iterable(canonical_batches(batches))


def checked(queryset, expected_seq, expected_prev, chunk: int = CHUNK):
    """chain._checked's result for the queryset's rows (ordered by seq), or None on a database this
    does not know. With `expected_seq` None the first row is taken as given: (its seq, previous
    digest, id) comes first in the result, for chain.part_checked."""
    batches = _batches(queryset, chunk)
    if batches is None:
        return None
    new = chain.sm3_hasher_function()
    head, failure, checked_rows, first = None, None, 0, None
    canonical = canonical_batches(batches)
    for batch in canonical:
        if first is None and batch:
            seq, prev, _digest, pk, _data = batch[0]
            head, first = (seq, prev, pk), seq
            if expected_seq is None:
                expected_seq, expected_prev = seq, prev
        for seq, prev, digest, pk, data in batch:
            if seq != expected_seq or prev != expected_prev:
                failure = chain._refusal(seq, prev, pk, expected_seq, expected_prev, checked_rows, first)
                break
            hasher = new()
            hasher.update(data)
            if hasher.hexdigest() != digest:
                reason = _("Row %(n)s was changed after it was written.") % {"n": seq}
                failure = chain.Verdict(False, checked_rows, first, seq, seq, pk, reason)
                break
            checked_rows += 1
            expected_seq, expected_prev = seq + 1, digest
        if failure is not None:
            canonical.close()
            batches.close()
            break
    return head, (failure, checked_rows, first, expected_seq, expected_prev)
