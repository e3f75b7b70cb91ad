"""Keyed checkpoints: the two rewrites the unkeyed chain cannot see are found against them."""

import base64
import io
import itertools
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from qingshen.core import keyservice
from qingshen.notifications.models import Delivery, Notification
from qingshen.trail import chain, checkpoints
from qingshen.trail.models import Checkpoint, Event
from qingshen.trail.services import event_record
from qingshen.trail.verification import log_verify_all
from tests.trail import tamper


@pytest.fixture
def sealed(world, settings, django_capture_on_commit_callbacks):
    """A log with checkpoints every 5 rows, its file written (on commit), and 7 rows after the last."""
    settings.QINGSHEN_LOG_CHECKPOINT_EVERY = 5
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(12):
            event_record(action="test.filler", note=str(i))
        last = checkpoints.checkpoint_create(actor_name="test")
        for i in range(7):
            event_record(action="test.after", note=str(i))
    return last


def _verify_fails(*labels):
    """verify_log's error, in English whatever an earlier test left active."""
    with pytest.raises(CommandError) as failure, translation.override("en"):
        call_command("verify_log", stdout=io.StringIO())
    for label in labels:
        assert label in str(failure.value)
    return str(failure.value)


def test_a_checkpoint_every_n_rows_each_sealing_the_one_before(sealed):
    rows = list(Checkpoint.objects.order_by("seq"))
    interval = [c.seq for c in rows if c.reason == "interval"]
    assert len(interval) >= 3 and interval == list(range(interval[0], interval[-1] + 1, 5))
    assert all(seq % 5 == 0 for seq in interval) and sealed.reason == "demand"
    assert rows[0].prev_mac == "" and all(b.prev_mac == a.mac for a, b in itertools.pairwise(rows))
    lines = [json.loads(line) for line in checkpoints.export_path().read_text().splitlines()]
    assert [line["seq"] for line in lines] == [c.seq for c in rows]
    assert all(checkpoints.seal_holds(line) for line in lines)
    assert Event.objects.filter(action="log.checkpoint", seq=sealed.seq).exists()
    report = log_verify_all()
    assert report.ok, [c.detail for c in report.failed]
    assert [c.key for c in report.checks] == ["chain", "triggers", "checkpoints", "exported"]


def test_deleting_the_last_rows_and_moving_the_head_back_is_found(sealed):
    """Passes the unkeyed chain (as it did before checkpoints); the checkpoints and the file catch it."""
    tamper.delete_last_rows_and_move_head_back(9)  # back past the last checkpoint
    assert chain.verify().ok
    message = _verify_fails("The keyed checkpoints in the database", "The exported checkpoint file")
    assert "rows were removed from the end" in message
    assert "The hash chain" not in message


def test_the_same_with_the_checkpoints_after_it_removed_is_found_in_the_file(sealed):
    kept = tamper.delete_last_rows_and_move_head_back(9)
    tamper.delete_checkpoints_after(kept)
    message = _verify_fails("The exported checkpoint file")
    assert "The keyed checkpoints in the database" not in message


def test_editing_a_row_and_recomputing_the_chain_after_it_is_found(sealed):
    target = Event.objects.filter(action="test.filler").order_by("seq").first()
    tamper.edit_row_and_recompute_chain(target.seq, note="forged")
    assert chain.verify().ok
    message = _verify_fails("The keyed checkpoints in the database", "The exported checkpoint file")
    assert "the log was rewritten up to it" in message


def test_rewritten_checkpoints_do_not_carry_the_seal(sealed):
    target = Event.objects.filter(action="test.filler").order_by("seq").first()
    tamper.edit_row_and_recompute_chain(target.seq, note="forged")
    tamper.recompute_checkpoint_digests()
    message = _verify_fails("The keyed checkpoints in the database", "The exported checkpoint file")
    assert "not sealed with this installation's log key" in message


def test_removing_a_checkpoint_from_the_middle_is_found(sealed):
    tamper.owner_drops_triggers()
    middle = Checkpoint.objects.order_by("seq")[1]
    from django.db import models

    models.QuerySet.delete(Checkpoint.objects.filter(pk=middle.pk))
    assert "is missing" in _verify_fails("The keyed checkpoints in the database")


def test_a_rewrite_after_the_last_checkpoint_is_found_once_sealed(sealed):
    """Rows after the last checkpoint are covered by the next one, made on demand or every N rows."""
    last = Event.objects.order_by("-seq").first()
    with transaction.atomic():
        checkpoints.checkpoint_create(actor_name="test")
    tamper.edit_row_and_recompute_chain(last.seq, note="forged")
    _verify_fails("The keyed checkpoints in the database")


def test_another_key_does_not_verify_the_seals(sealed, settings):
    settings.QINGSHEN_LOG_KEY = base64.b64encode(b"k" * 32).decode()
    keyservice.key_service.cache_clear()
    try:
        assert "not sealed" in _verify_fails("The keyed checkpoints in the database")
    finally:
        keyservice.key_service.cache_clear()


def test_a_rolled_back_append_leaves_no_line_in_the_file(world, settings, django_capture_on_commit_callbacks):
    settings.QINGSHEN_LOG_CHECKPOINT_EVERY = 1
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            event_record(action="test.rolled_back")
            raise RuntimeError
        assert not Checkpoint.objects.exists()
        event_record(action="test.kept")
    lines = checkpoints.export_path().read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["seq"] == Checkpoint.objects.get().seq
    assert log_verify_all().ok


def test_log_checkpoint_command_mails_every_auditor(world):
    auditor = world.users["auditor"]
    auditor.email = "auditor@example.gov.cn"
    auditor.save()
    out = io.StringIO()
    call_command("log_checkpoint", "--mail", stdout=out)
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.reason == "mail" and f'"seq": {checkpoint.seq}' in out.getvalue()
    note = Notification.objects.get(recipient=auditor)
    assert checkpoints.line_of(checkpoint) in note.body
    assert Delivery.objects.filter(address="auditor@example.gov.cn", channel="mail").exists()


# --- The auditor's pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["auditor", "security", "sysadmin", "city", "enterprise"])
def test_checkpoint_download_and_mail_are_for_the_auditor(world, client_for, role):
    client = client_for(world.users[role])
    expected = (200, 302) if role == "auditor" else (404, 404)
    assert client.post(reverse("log-checkpoints-download")).status_code == expected[0]
    assert client.post(reverse("log-checkpoint-mail")).status_code == expected[1]
    assert Checkpoint.objects.exists() == (role == "auditor")


def test_the_log_page_offers_the_checkpoints(world, client_for):
    client = client_for(world.users["auditor"])
    page = client.get(reverse("event-list")).content.decode()
    assert 'id="checkpoints-download"' in page and 'id="checkpoint-mail"' in page
    assert client.get(reverse("log-checkpoints-download")).status_code == 405


def test_the_auditor_downloads_then_detects_a_rewrite_with_the_file(world, client_for):
    client = client_for(world.users["auditor"])
    response = client.post(reverse("log-checkpoints-download"))
    assert response["Content-Disposition"].startswith("attachment;")
    kept = response.content
    line = json.loads(kept.decode().splitlines()[-1])
    assert line["seq"] == Checkpoint.objects.get().seq and checkpoints.seal_holds(line)
    # The attacker removes the checkpoint from the database as well; the auditor's copy remains.
    tamper.delete_checkpoints_after(0)
    target = Event.objects.order_by("seq")[3]
    tamper.edit_row_and_recompute_chain(target.seq, object_repr="forged")
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(
        reverse("log-verify"), {"checkpoints": SimpleUploadedFile("kept.jsonl", kept)}
    ).content.decode()
    assert 'id="verify-failed"' in page
    assert 'id="check-kept" data-ok="0"' in page and 'id="check-chain" data-ok="1"' in page
    event = Event.objects.filter(action="log.verify").latest("seq")
    assert event.result == "failure" and event.after["failed"] == [
        "triggers",
        "kept",
    ]  # the owner dropped them


def test_a_file_that_is_not_checkpoints_gets_a_message(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.users["auditor"])
    for content in (b"\xff\xfe not utf-8", b'{"seq": 1}\n', b"<html>"):
        response = client.post(reverse("log-verify"), {"checkpoints": SimpleUploadedFile("x.jsonl", content)})
        page = response.content.decode()
        assert response.status_code == 200
        assert 'id="upload-error"' in page or 'id="check-kept" data-ok="0"' in page
    response = client.post(reverse("log-verify"))
    assert 'id="upload-error"' in response.content.decode()


def test_the_mailed_checkpoint_reaches_the_auditors_inbox(world, client_for):
    auditor = world.users["auditor"]
    client = client_for(auditor)
    response = client.post(reverse("log-checkpoint-mail"), follow=True)
    assert response.status_code == 200
    note = Notification.objects.get(recipient=auditor)
    assert checkpoints.line_of(Checkpoint.objects.get()) in note.body


def test_a_key_service_without_a_mac_is_an_error(settings):
    from qingshen.accounts.checks import key_service_seals_the_log

    assert key_service_seals_the_log(None) == []
    settings.QINGSHEN_KEY_SERVICE = "json.JSONDecoder"  # any class without mac()
    assert [e.id for e in key_service_seals_the_log(None)] == ["qingshen.E001"]
