"""The database itself refuses UPDATE and DELETE on the log; pruning passes through its guard."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone, translation

from qingshen.trail import append_only, checkpoints
from qingshen.trail.models import Checkpoint, Event
from qingshen.trail.services import event_record
from tests.trail.tamper import owner_drops_triggers


def _refused(sql, params=()):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_raw_sql_cannot_change_or_delete_log_rows(world):
    event = Event.objects.order_by("seq").last()
    checkpoint = checkpoints.checkpoint_create(actor_name="test")
    _refused("UPDATE trail_event SET note = %s WHERE id = %s", ["forged", event.pk])
    _refused("UPDATE trail_event SET digest = %s", ["0" * 64])
    _refused("DELETE FROM trail_event WHERE id = %s", [event.pk])
    _refused("DELETE FROM trail_event")
    _refused("UPDATE trail_checkpoint SET digest = %s WHERE id = %s", ["0" * 64, checkpoint.pk])
    _refused("DELETE FROM trail_checkpoint")
    event.refresh_from_db()
    assert event.note != "forged" and Checkpoint.objects.filter(pk=checkpoint.pk).exists()
    assert append_only.triggers_state() == []
    call_command("verify_log", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused_and_the_test_runners_flush_still_passes():
    """Outside a test's transaction, so that PostgreSQL gets as far as the TRUNCATE trigger; the
    flush after this test then empties the log through the guard."""
    event_record(action="test.one")
    checkpoints.checkpoint_create(actor_name="test")
    if connection.vendor == "postgresql":
        _refused("TRUNCATE trail_event CASCADE")
        _refused("TRUNCATE trail_checkpoint")
    _refused("DELETE FROM trail_event")
    assert Event.objects.count() == 2


def test_the_guard_is_closed_again_after_pruning(world, tmp_path):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=200)):
        for i in range(4):
            event_record(action="test.old", note=str(i))
    before = Event.objects.count()
    out = io.StringIO()
    call_command("prune_log", "--archive-dir", str(tmp_path), stdout=out)
    assert "Archived" in out.getvalue()
    assert Event.objects.count() < before and not Event.objects.filter(action="test.old").exists()
    prune = Event.objects.get(action="log.prune")
    assert prune.after["count"] >= 4
    assert Checkpoint.objects.filter(reason="prune", seq__gte=prune.seq).exists()
    call_command("verify_log", stdout=io.StringIO())
    _refused("DELETE FROM trail_event")  # the pruning's guard did not outlive it
    assert append_only.triggers_state() == []


def test_a_failed_prune_leaves_the_guard_closed(world):
    with pytest.raises(RuntimeError), append_only.unlocked():
        raise RuntimeError("the archive could not be written")
    _refused("DELETE FROM trail_event")


def test_verification_names_dropped_triggers(world):
    owner_drops_triggers()
    assert append_only.triggers_state()
    with pytest.raises(CommandError, match="The append-only triggers"), translation.override("en"):
        call_command("verify_log", stdout=io.StringIO())


@override_settings(QINGSHEN_LOG_FLUSH_ALLOWED=False)
def test_flush_does_not_wipe_the_log(world):
    count = Event.objects.count()
    with pytest.raises(CommandError, match="append-only"):
        call_command("flush", interactive=False, verbosity=0)
    assert Event.objects.count() == count
