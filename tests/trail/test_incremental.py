"""Incremental verification: a run starts at the last checkpoint a passing run reached."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import translation

from qingshen.trail import chain
from qingshen.trail.models import Checkpoint, Event, Verification
from qingshen.trail.services import event_record
from qingshen.trail.verification import log_verify_all
from tests.trail import tamper


@pytest.fixture
def verified(world, settings, django_capture_on_commit_callbacks):
    """Checkpoints every 5 rows, a full run that passed, then 12 rows more (two checkpoints among them)."""
    settings.QINGSHEN_LOG_CHECKPOINT_EVERY = 5
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(11):
            event_record(action="test.before", note=str(i))
        report = log_verify_all(full=True)
        for i in range(12):
            event_record(action="test.after", note=str(i))
    assert report.ok and report.mark is not None
    return report.mark


def _verify(*args):
    out = io.StringIO()
    with translation.override("en"):
        call_command("verify_log", *args, stdout=out)
    return out.getvalue()


def _fails(*args):
    with pytest.raises(CommandError) as failure, translation.override("en"):
        call_command("verify_log", *args, stdout=io.StringIO())
    return str(failure.value)


def test_a_passing_run_marks_the_last_checkpoint_it_reached(verified):
    last_before = Checkpoint.objects.filter(seq__lte=verified.seq).order_by("-seq").first()
    assert verified.seq == last_before.seq and verified.digest == last_before.digest
    assert verified.full and verified.checkpoint_mac == last_before.mac


def test_the_incremental_run_checks_only_the_rows_after_the_mark(verified):
    report = log_verify_all(full=False)
    assert report.ok, [c.detail for c in report.failed]
    head = Event.objects.order_by("-seq").first()
    assert report.since == verified
    assert report.verdict.first_seq == verified.seq + 1 and report.verdict.checked == head.seq - verified.seq
    assert report.mark is not None and report.mark.seq > verified.seq and not report.mark.full
    assert "incremental: from the checkpoint at row" in _verify()
    assert Verification.objects.count() == 2  # nothing new after the second run: no new mark
    assert chain.verify().checked == Event.objects.count()


def test_a_change_before_the_mark_is_found_only_by_a_full_run(verified):
    """The documented trade-off: a row edited before the mark, its digest left alone."""
    target = Event.objects.filter(action="test.before").order_by("seq")[2]
    assert target.seq < verified.seq
    tamper.tamper_update(target.pk, note="forged")
    assert [c.key for c in log_verify_all(full=False).failed] == ["triggers"]  # the owner dropped them
    assert f"row {target.seq}" in _fails("--full")


def test_a_change_after_the_mark_is_found_by_the_incremental_run(verified):
    target = Event.objects.filter(action="test.after").order_by("seq")[3]
    tamper.tamper_update(target.pk, after={"forged": True})
    assert f"row {target.seq}" in _fails()


def test_a_rewrite_reaching_back_before_the_mark_is_found(verified):
    """Recomputing the chain from before the mark changes the row the mark's checkpoint sealed."""
    target = Event.objects.filter(action="test.before").order_by("seq")[1]
    tamper.edit_row_and_recompute_chain(target.seq, note="forged")
    assert "the log was rewritten up to it" in _fails()


def test_removing_rows_back_past_the_mark_is_found(verified):
    tamper.delete_last_rows_and_move_head_back(Event.objects.filter(seq__gt=verified.seq).count() + 2)
    assert "The keyed checkpoints in the database" in _fails()


def test_a_forged_mark_is_refused(verified):
    """Moving the mark forward (to skip rows) breaks its seal; the run says so."""
    newest = Checkpoint.objects.order_by("-seq").first()
    Verification.objects.bulk_create(
        [Verification(seq=newest.seq, digest=newest.digest, checkpoint_mac=newest.mac, mac="0" * 64)]
    )
    message = _fails()
    assert "not sealed with this installation's log key" in message and "full verification" in message
    _verify("--full")  # the log itself is intact


def test_a_mark_whose_checkpoint_is_gone_is_refused(verified):
    tamper.owner_drops_triggers()
    models.QuerySet.delete(Checkpoint.objects.filter(seq=verified.seq))
    assert "where the last verification ended, is missing or altered" in _fails()


def test_without_a_mark_the_run_is_full(world):
    for i in range(3):
        event_record(action="test.few", note=str(i))
    report = log_verify_all(full=False)
    assert report.ok and report.since is None and report.verdict.checked == Event.objects.count()
    assert report.mark is None  # no checkpoint yet to mark
