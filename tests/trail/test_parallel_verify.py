"""verify_log walks a long chain in several processes on PostgreSQL: the verdict is the one walk's,
whatever was changed, and the parts read the caller's snapshot."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test import override_settings

from qingshen.trail import chain, chain_parallel
from qingshen.trail.models import ChainHead, Event
from qingshen.trail.services import event_record

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the parts are walked side by side on PostgreSQL only")
    settings.QINGSHEN_LOG_VERIFY_PARALLEL_FROM = 10


def _log(n=90):
    for i in range(n):
        event_record(action="test.filler", note=f"第{i}行", after={"i": i, "状态": "已公开"})
    return list(Event.objects.order_by("seq").values_list("seq", "pk"))


def _committed(sql, params):
    """What a database owner does: past the triggers, committed."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE trail_event DISABLE TRIGGER trail_event_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE trail_event ENABLE TRIGGER trail_event_append_only")


def _same_verdict():
    one = chain.verify()
    parallel = chain.verify(processes=3)
    assert parallel == one
    return parallel


def test_an_intact_log_passes_in_parts():
    rows = _log()
    parts = chain_parallel.parts_checked(Event.objects.all(), 1, rows[-1][0], 3)
    assert [head[0] for head, _result in parts] == [1, 31, 61]
    verdict = _same_verdict()
    assert verdict.ok and verdict.checked == len(rows)


@pytest.mark.parametrize(
    "change",
    [
        "edit inside the second part",
        "delete the first row of the second part",
        "delete the last row of the first part",
        "relink the first row of the third part",
        "delete the last row",
    ],
)
def test_a_change_gives_the_one_walks_verdict(change):
    rows = dict(_log())
    last = max(rows)
    if change == "edit inside the second part":
        _committed("UPDATE trail_event SET note = %s WHERE id = %s", ["改过", rows[45]])
    elif change == "delete the first row of the second part":
        _committed("DELETE FROM trail_event WHERE id = %s", [rows[31]])
    elif change == "delete the last row of the first part":
        _committed("DELETE FROM trail_event WHERE id = %s", [rows[30]])
    elif change == "relink the first row of the third part":
        _committed("UPDATE trail_event SET prev_digest = %s WHERE id = %s", ["0" * 64, rows[61]])
    else:
        _committed("DELETE FROM trail_event WHERE id = %s", [rows[last]])
    verdict = _same_verdict()
    assert not verdict.ok and verdict.reason


def test_the_parts_read_the_callers_snapshot():
    """A row appended by another writer after the caller's snapshot is seen by no part."""
    _log()

    def append():
        event_record(action="test.later")
        connections.close_all()

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        head = ChainHead.objects.get(pk=1)
        writer = threading.Thread(target=append)
        writer.start()
        writer.join()
        verdict = chain.verify(head=head, processes=3)
    assert verdict.ok and verdict.last_seq == head.seq
    assert Event.objects.filter(seq=head.seq + 1).exists()


def test_verify_log_walks_in_processes_and_refuses_none():
    _log()
    out = io.StringIO()
    with override_settings(QINGSHEN_LOG_VERIFY_PROCESSES=2):
        call_command("verify_log", "--full", stdout=out)
    assert "FAILED" not in out.getvalue()
    with pytest.raises(CommandError, match="--processes"):
        call_command("verify_log", "--processes", "0", stdout=io.StringIO())
