"""Linking the log at commit (trail/linking.py): rows go in unlinked, are linked once after their
transaction commits, exactly once each, in one chain that verifies; the triggers allow that one change."""

import datetime
import io
import multiprocessing
import os
import signal
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from qingshen.trail import chain, linking
from qingshen.trail.models import AppendOnlyError, ChainHead, Checkpoint, Event
from qingshen.trail.services import event_record
from qingshen.trail.verification import log_verify_all
from tests.trail.test_append_only import _refused

commit_mode = override_settings(QINGSHEN_LOG_LINK="commit")


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers and a killed process need a server database")


def _linker_callbacks():
    return [func for _sids, func, _robust in connection.run_on_commit if func is linking.link_pending]


def _chain_holds(count):
    """Every row linked exactly once, seq 1..count in id order of linking, and the chain verifies."""
    assert linking.pending_count() == 0
    seqs = list(Event.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, count + 1))
    assert Event.objects.values("id").distinct().count() == count
    verdict = chain.verify()
    assert verdict.ok and verdict.checked == count, verdict
    assert ChainHead.objects.get(pk=1).seq == count


@pytest.mark.django_db
def test_inline_mode_links_in_the_writers_transaction():
    event = event_record(action="test.inline")
    assert event.seq == ChainHead.objects.get(pk=1).seq and len(event.digest) == 64
    assert _linker_callbacks() == []


@pytest.mark.django_db
@commit_mode
def test_commit_mode_writes_unlinked_and_links_once_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = event_record(action="test.one")
        with transaction.atomic():
            event_record(action="test.two")
        assert first.seq is None and first.digest == "" and linking.pending_count() == 2
        assert len(_linker_callbacks()) == 1  # once per transaction, however many events
    assert len(callbacks) == 1
    _chain_holds(2)


@pytest.mark.django_db
@commit_mode
def test_an_event_after_a_rolled_back_savepoint_is_still_linked(django_capture_on_commit_callbacks):
    """The callback registered in a savepoint goes with it; the event after it registers its own."""
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                event_record(action="test.undone")
                raise RuntimeError
        except RuntimeError:
            pass
        event_record(action="test.kept")
    assert list(Event.objects.values_list("action", flat=True)) == ["test.kept"]
    _chain_holds(1)


@pytest.mark.django_db
def test_the_triggers_allow_linking_an_unlinked_row_once_and_nothing_else():
    with commit_mode:
        event = event_record(action="test.pending", note="n")
    prev, digest = chain.GENESIS, "a" * 64
    # Linking with another column changed, or only half linking, is refused.
    _refused(
        "UPDATE trail_event SET seq = 1, prev_digest = %s, digest = %s, note = 'forged' WHERE id = %s",
        [prev, digest, event.pk],
    )
    _refused("UPDATE trail_event SET seq = 1 WHERE id = %s", [event.pk])
    _refused("UPDATE trail_event SET note = 'forged' WHERE id = %s", [event.pk])
    _refused("DELETE FROM trail_event WHERE id = %s", [event.pk])
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(seq=1)
    assert linking.link_pending() == 1
    _chain_holds(1)
    linked = Event.objects.get(pk=event.pk)
    # A linked row cannot be linked again, nor put back unlinked.
    _refused(
        "UPDATE trail_event SET seq = 7, prev_digest = %s, digest = %s WHERE id = %s",
        [prev, digest, event.pk],
    )
    _refused("UPDATE trail_event SET seq = NULL, prev_digest = '', digest = '' WHERE id = %s", [event.pk])
    _refused("UPDATE trail_event SET note = 'forged' WHERE id = %s", [event.pk])
    assert Event.objects.get(pk=event.pk).digest == linked.digest
    _chain_holds(1)


@pytest.mark.django_db(transaction=True)
@commit_mode
def test_outside_a_test_transaction_the_commit_links_the_rows():
    with transaction.atomic():
        for i in range(3):
            event_record(action="test.row", note=str(i))
        assert linking.pending_count() == 3
    event_record(action="test.autocommit")  # no transaction around it: linked at once
    _chain_holds(4)


def _writer(index, transactions, failures):
    try:
        for t in range(transactions):
            with transaction.atomic():
                event_record(action="test.writer", note=f"{index}-{t}-a")
                event_record(action="test.writer", note=f"{index}-{t}-b")
    except Exception as exc:
        failures.append(exc)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
@commit_mode
@override_settings(QINGSHEN_LOG_CHECKPOINT_EVERY=7)
def test_eight_concurrent_writers_each_event_linked_once_in_one_chain():
    _postgresql_only()
    writers, transactions = 8, 15
    failures = []
    threads = [threading.Thread(target=_writer, args=(i, transactions, failures)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    count = writers * transactions * 2
    _chain_holds(count)
    # Each transaction's two rows are linked by one linker, one after the other.
    notes = dict(Event.objects.values_list("note", "seq"))
    assert all(notes[f"{i}-{t}-b"] > notes[f"{i}-{t}-a"] for i in range(writers) for t in range(transactions))

    assert list(Checkpoint.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(7, count + 1, 7)
    )


def _killed_between_commit_and_link(count):
    """A writer process killed right after its commit, before it links (its own connection)."""

    def killed():
        os.kill(os.getpid(), signal.SIGKILL)

    linking.link_pending = killed  # in this forked process only
    with transaction.atomic():
        for i in range(count):
            event_record(action="test.killed", note=str(i))


@pytest.mark.django_db(transaction=True)
@commit_mode
def test_a_writer_killed_before_linking_leaves_rows_the_sweep_links():
    _postgresql_only()
    event_record(action="test.before")
    connections.close_all()  # the child opens its own connection
    child = multiprocessing.get_context("fork").Process(target=_killed_between_commit_and_link, args=(3,))
    child.start()
    child.join()
    assert child.exitcode == -signal.SIGKILL
    assert linking.pending_count() == 3 and ChainHead.objects.get(pk=1).seq == 1
    out = io.StringIO()
    call_command("sweep", "--skip-recompute", stdout=out)
    assert "stopped writer had left unlinked: 3" in out.getvalue()
    assert Event.objects.filter(action="test.killed", seq__in=[2, 3, 4]).count() == 3
    _chain_holds(Event.objects.count())


@pytest.mark.django_db(transaction=True)
@commit_mode
@override_settings(QINGSHEN_LOG_LINK_GRACE_SECONDS=600)
def test_the_verifier_links_rows_left_unlinked_and_names_those_that_waited_too_long(monkeypatch):
    monkeypatch.setattr(linking, "link_after_commit", lambda: None)  # the link after the commit is lost
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=1)):
        event_record(action="test.lost", note="old")
    event_record(action="test.lost", note="recent")
    with translation.override("en"):
        report = log_verify_all()
    failed = [c.key for c in report.failed]
    assert (
        failed == ["linking"]
        and "1 event was still unlinked" in report.failed[0].detail
        and "2 linked" in report.failed[0].detail
    )
    _chain_holds(2)
    assert log_verify_all().ok
    event_record(action="test.lost", note="again")
    out = io.StringIO()
    call_command("sweep", "--skip-recompute", stdout=out)
    assert "stopped writer had left unlinked: 1" in out.getvalue()
    assert linking.pending_count() == 0 and chain.verify().ok


def _link_statements(queries) -> list[str]:
    return [q["sql"] for q in queries if "synchronous_commit" in q["sql"]]


@pytest.mark.django_db(transaction=True)
@commit_mode
def test_a_link_that_seals_nothing_commits_without_waiting_for_the_disk():
    """Its own transaction only: a link inside a caller's transaction leaves that commit as it is; a
    link that seals a checkpoint waits for the disk."""
    _postgresql_only()
    with override_settings(QINGSHEN_LOG_CHECKPOINT_EVERY=1000), CaptureQueriesContext(connection) as queries:
        event_record(action="test.quick")
    assert _link_statements(queries) == ["SET LOCAL synchronous_commit TO OFF"]
    with override_settings(QINGSHEN_LOG_CHECKPOINT_EVERY=2), CaptureQueriesContext(connection) as queries:
        event_record(action="test.sealing")  # seq 2: a checkpoint
    assert _link_statements(queries) == [] and Checkpoint.objects.filter(seq=2).exists()
    every = override_settings(QINGSHEN_LOG_CHECKPOINT_EVERY=1000)
    with every, CaptureQueriesContext(connection) as queries, transaction.atomic():
        event_record(action="test.in_a_transaction")
        assert linking.link_pending() == 1  # linked in the caller's transaction
    assert _link_statements(queries) == []
    _chain_holds(3)
