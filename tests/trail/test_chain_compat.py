"""The fast verifier reads the same canonical bytes as the code that wrote every existing digest."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from qingshen.core.files.digests import sm3_hex
from qingshen.trail import chain
from qingshen.trail.models import ChainHead, Event
from tests.trail.tamper import tamper_update

UTC = datetime.UTC
# Written by the earlier chain.canonical (json.dumps of the dict) before the fast verifier existed.
GOLDEN = [
    (
        dict(
            seq=1,
            at=datetime.datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC),
            actor_id=None,
            actor_name="",
            client_ip=None,
            action="case.create",
            result="success",
            object_type="",
            object_id="",
            object_repr="",
            before=None,
            after=None,
            note="",
            prev_digest=chain.GENESIS,
        ),
        "c1ac0549d73d35b6740a65e29d26ba671abddffdc444d0b3e0c643a9d02d7390",
    ),
    (
        dict(
            seq=42,
            at=datetime.datetime(
                2026, 11, 30, 23, 59, 59, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
            ),
            actor_id=7,
            actor_name="张三",
            client_ip="2001:db8::1",
            action="case.transition.disclose",
            result="failure",
            object_type="cases.auditcase",
            object_id="12",
            object_repr='北区"化工"\\有限公司\n\t\u2028😀',
            before={"state": "listed", "z": [1, 2.5, True, None], "a": {"y": "é", "b": -0.0}},
            after={"n": 10**20, "s": "\x00\x1f/", "f": 1e-7},
            note="官网已公开",
            prev_digest="ab" * 32,
        ),
        "dfc68554f9c506165ba2d4e39e007a9349d8bd2ee59e0b937d1b817e44c1af35",
    ),
]


def _earlier_canonical(e) -> bytes:
    """chain.canonical as it was, kept here as the reference."""
    content = {
        "seq": e.seq,
        "at": e.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": e.actor_id,
        "actor_name": e.actor_name,
        "client_ip": e.client_ip,
        "action": e.action,
        "result": e.result,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "object_repr": e.object_repr,
        "before": e.before,
        "after": e.after,
        "note": e.note,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.mark.parametrize(("fields", "digest"), GOLDEN)
def test_digests_written_by_the_earlier_code_still_come_out(fields, digest):
    event = Event(**fields)
    assert chain.canonical(event) == _earlier_canonical(event)
    assert chain.digest_of(event) == digest


VALUES = [
    {},
    {"before": {"state": "listed"}, "after": {"state": "disclosed", "list": [1, "二", None, False]}},
    {"after": {"z": {"b": 1.5, "a": '\u0001"\\'}, "emoji": "😀", "big": 2**70}},
    {"client_ip": "::ffff:10.0.0.1", "object_repr": "企业（一）\r\n", "note": "<b>&amp;</b>"},
    {"after": [], "before": {"": ""}},
    {"after": "just a string", "before": 3},
]


def _write_the_earlier_way(world, count):
    """Rows chained with the reference canonical form, stored as the ORM stores them."""
    head = ChainHead.objects.get(pk=1)
    prev, seq, events = head.digest or chain.GENESIS, head.seq, []
    base = datetime.datetime(2026, 5, 1, 0, 0, 0, tzinfo=UTC)
    for i in range(count):
        seq += 1
        extra = VALUES[i % len(VALUES)]
        event = Event(
            seq=seq,
            at=base + datetime.timedelta(seconds=i, microseconds=0 if i % 2 else i * 7919 % 10**6),
            actor=world.users["city"] if i % 3 else None,
            actor_name="city" if i % 3 else "",
            action=f"test.earlier.{i % 4}",
            **{"client_ip": "10.1.2.3", "object_repr": f"对象{i}", "note": "", **extra},
        )
        # What the database hands back (JSON round trip, IPv6 normalised), as _append hashes it.
        event.client_ip = Event._meta.get_field("client_ip").get_prep_value(event.client_ip)
        event.prev_digest = prev
        event.digest = prev = sm3_hex(_earlier_canonical(event) + prev.encode())
        events.append(event)
    Event.objects.bulk_create(events)
    ChainHead.objects.filter(pk=1).update(seq=seq, digest=prev)
    return events


def test_a_chain_written_by_the_earlier_code_verifies(world):
    written = _write_the_earlier_way(world, 30)
    for event in Event.objects.filter(seq__gte=written[0].seq):
        assert _earlier_canonical(event) == chain.canonical(event)
    verdict = chain.verify()
    assert verdict.ok, verdict.reason
    assert verdict.checked == Event.objects.count()
    call_command("verify_log", "--full", stdout=io.StringIO())


@pytest.mark.parametrize(
    "change",
    [
        {"note": "forged"},
        {"after": {"state": "forged"}},
        {"client_ip": "10.9.9.9"},
        {"actor_name": "someone"},
        {"at": datetime.datetime(2020, 1, 1, tzinfo=UTC)},
    ],
)
def test_a_changed_field_of_an_earlier_row_is_found(world, change):
    written = _write_the_earlier_way(world, 12)
    target = written[5]
    tamper_update(Event.objects.get(seq=target.seq).pk, **change)
    verdict = chain.verify()
    assert not verdict.ok and verdict.broken_seq == target.seq


def test_the_fast_reader_and_the_orm_agree_row_by_row(world):
    """chain_read's bytes (plain rows, no model instances) are those the model instance gives."""
    from qingshen.trail import chain_read

    if connection.vendor not in ("sqlite", "postgresql"):
        pytest.skip("the fast reader knows SQLite and PostgreSQL")
    _write_the_earlier_way(world, len(VALUES) * 2)
    links = chain_read.links(Event.objects.order_by("seq"), chunk=7)
    by_seq = {e.seq: e for e in Event.objects.all()}
    seen = 0
    for seq, prev, digest, pk, data in links:
        event = by_seq[seq]
        assert (prev, digest, pk) == (event.prev_digest, event.digest, event.pk)
        assert data == _earlier_canonical(event) + event.prev_digest.encode()
        seen += 1
    assert seen == len(by_seq)
