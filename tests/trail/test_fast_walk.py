"""The verifier's fast walk (chain_read: the database's own text, canonical bytes by batch, streamed on
PostgreSQL) hashes exactly the reference canonical form, over rows chosen to differ where the two ways
of writing could: nulls, unicode and control characters, IPv6, nested JSON whose key order the
database changes, floats, microseconds, time zones, years before 1000."""

import datetime

import pytest
from django.db import connection, models

from qingshen.core.files.digests import sm3_hex
from qingshen.trail import chain, chain_json, chain_read
from qingshen.trail.models import ChainHead, Event
from tests.trail.tamper import owner_drops_triggers, tamper_update
from tests.trail.test_chain_compat import _earlier_canonical

pytestmark = pytest.mark.skipif(
    connection.vendor not in ("sqlite", "postgresql"), reason="the fast reader knows SQLite and PostgreSQL"
)

EAST_8 = datetime.timezone(datetime.timedelta(hours=8))
WEST_5 = datetime.timezone(datetime.timedelta(hours=-5, minutes=-30))
AT = [
    datetime.datetime(2026, 3, 1, 8, 0, 0, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=EAST_8),
    datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=WEST_5),
    datetime.datetime(999, 5, 6, 7, 8, 9, 120000, tzinfo=datetime.UTC),
    datetime.datetime(1000, 1, 1, 0, 0, 0, tzinfo=EAST_8),  # 999 in UTC
    datetime.datetime(5, 1, 1, 12, 0, 0, 5, tzinfo=datetime.UTC),
]
ROWS = [
    {},
    {"client_ip": "2001:db8::1", "actor_name": "张三", "note": "官网已公开 😀"},
    {
        "client_ip": "2001:0DB8:0000:0000:0000:0000:0000:0001",
        "object_repr": '北区"化工"\\\n\t\r\b\f\x01\x1f\x7f\u2028',
    },
    {"client_ip": "::ffff:10.0.0.1", "before": None, "after": None},
    {
        "before": {"bb": 1, "a": 2, "é": 3, "Z": 4, "10": 5, "9": 6, "": 7, "中文": {"z": [], "y": {}}},
        "after": {
            "n": 10**20,
            "neg": -(2**70),
            "f": [1.5, -0.0, 1e-7, 1e300, 0.1, 2.0],
            "t": True,
            "u": None,
        },
    },
    {
        "after": [
            {
                "b": '\u0001\u001f/\\"',  # PostgreSQL keeps no NUL
                "a": ["二", {"k": "v"}],
            }
        ],
        "before": "just a string",
    },
    {"after": 3, "before": True},
    {"after": "", "before": []},
    {"after": {"x": "a, b: c", "ключ": "значение", "😀": "😀"}, "object_id": "00042", "result": "failure"},
]


def _write(world, rows):
    """Rows chained with the reference canonical form of what the database hands back: each inserted,
    read back, then given its digest (past the triggers, as the database owner could)."""
    owner_drops_triggers()
    head = ChainHead.objects.get(pk=1)
    prev, seq = head.digest or chain.GENESIS, head.seq
    for i, extra in enumerate(rows):
        seq += 1
        event = Event(
            seq=seq,
            at=AT[i % len(AT)],
            actor=world.users["city"] if i % 2 else None,
            prev_digest=prev,
            **{
                "actor_name": "city" if i % 2 else "",
                "action": f"test.fast.{i % 3}",
                "client_ip": "10.1.2.3",
                "object_repr": f"对象{i}",
                **extra,
            },
        )
        event.save()
        stored = Event.objects.get(pk=event.pk)
        prev = sm3_hex(_earlier_canonical(stored) + prev.encode())
        models.QuerySet.update(Event.objects.filter(pk=event.pk), digest=prev)
    ChainHead.objects.filter(pk=1).update(seq=seq, digest=prev)


@pytest.fixture
def varied(world):
    _write(world, ROWS * 2)


def test_the_fast_bytes_are_the_reference_bytes_row_by_row(varied):
    by_seq = {e.seq: e for e in Event.objects.all()}
    seen = 0
    for seq, prev, digest, pk, data in chain_read.links(Event.objects.order_by("seq"), chunk=4):
        event = by_seq[seq]
        assert (prev, digest, pk) == (event.prev_digest, event.digest, event.pk)
        assert data == _earlier_canonical(event) + event.prev_digest.encode(), seq
        assert data == chain.canonical(event) + event.prev_digest.encode(), seq
        seen += 1
    assert seen == len(by_seq)


def test_the_varied_chain_verifies_whole_and_from_the_middle(varied):
    verdict = chain.verify()
    assert verdict.ok, verdict.reason
    assert verdict.checked == Event.objects.count()
    middle = Event.objects.order_by("seq")[len(ROWS)]
    part = chain.verify(start=(middle.seq + 1, middle.digest))
    assert part.ok and part.first_seq == middle.seq + 1


@pytest.mark.parametrize(
    "text",
    [
        '{"b": 1, "a": [1.0, 2.50, -0.0, 1E-7, 12345678901234567890123]}',
        '{"a": "\\u00e9\\ud83d\\ude00\\n", "": null}',
        '"text"',
        "true",
        "[]",
        " {} ",
        "1e400",
    ],
)
def test_the_json_shortcut_writes_what_json_dumps_writes(text):
    import json

    assert chain_json.canonical_of_stored(text) == chain._json(json.loads(text))


def test_a_broken_walk_leaves_the_transaction_usable(world):
    """The walk stops checking at the first broken link; the rest is read, not cancelled, so the
    queries after it (verify_log's other checks) still run in the same transaction. The rows are long,
    so that the database is still sending when the walk stops."""
    _write(world, [{"note": f"{i}{'长' * 50_000}"} for i in range(30)])
    target = Event.objects.order_by("seq")[3]
    tamper_update(target.pk, note="forged")
    _head, (failure, checked, *_rest) = chain_read.checked(Event.objects.order_by("seq"), None, None, chunk=7)
    assert failure is not None and failure.broken_seq == target.seq and checked == 3
    assert Event.objects.count() == Event.objects.filter(seq__isnull=False).count()
