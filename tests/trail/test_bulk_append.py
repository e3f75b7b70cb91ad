"""The bulk append (events_record_many, the history import's one event per case): linked in the same
chain between single appends, sealed at the checkpoint interval, the same content event_record writes,
and verified from what the database hands back. Run this file on PostgreSQL too."""

import itertools

from qingshen.trail import chain
from qingshen.trail.context import current_client_ip
from qingshen.trail.models import ChainHead, Checkpoint, Event
from qingshen.trail.services import event_record, events_record_many


def test_a_bulk_append_keeps_the_chain_between_single_appends(world, settings):
    settings.QINGSHEN_LOG_CHECKPOINT_EVERY = 7
    actor = world.users["city"]
    token = current_client_ip.set("2001:db8::1")
    try:
        event_record(action="test.single", actor=actor, obj=world.ent_north, after={"n": 0})
        cases = [world.case_north, world.case_south] * 10
        written = events_record_many(
            action="test.bulk",
            actor=actor,
            items=[
                (c, {"n": i, "名称": "企业", "row": i + 2, "day": world.programme.year})
                for i, c in enumerate(cases)
            ],
        )
        event_record(action="test.single", actor=actor, obj=world.ent_south, after={"n": 99})
    finally:
        current_client_ip.reset(token)
    assert written == 20
    bulk = list(Event.objects.filter(action="test.bulk").order_by("seq"))
    assert [e.after["n"] for e in bulk] == list(range(20))
    first = bulk[0]
    assert first.actor == actor and first.actor_name == actor.get_username()
    assert first.object_type == "cases.auditcase" and first.object_id == str(world.case_north.pk)
    assert first.object_repr == str(world.case_north) and first.client_ip == "2001:db8::1"
    assert first.result == "success" and first.before is None and first.note == ""
    # One unbroken sequence: single, 20 bulk, single; each row linked to the one before.
    rows = list(Event.objects.order_by("seq"))
    assert [e.seq for e in rows] == list(range(rows[0].seq, rows[0].seq + len(rows)))
    for before, after in itertools.pairwise(rows):
        assert after.prev_digest == before.digest
        assert chain.digest_of(after) == after.digest
    head = ChainHead.objects.get(pk=1)
    assert head.seq == rows[-1].seq and head.digest == rows[-1].digest
    sealed = set(Checkpoint.objects.filter(reason=Checkpoint.Reason.INTERVAL).values_list("seq", flat=True))
    assert {e.seq for e in bulk if e.seq % 7 == 0} <= sealed
    assert chain.verify().ok


def test_an_empty_bulk_append_writes_nothing(world):
    before = Event.objects.count()
    assert events_record_many(action="test.bulk", actor=world.users["city"], items=[]) == 0
    assert Event.objects.count() == before
