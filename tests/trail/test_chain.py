"""The operation log is hash-chained (SM3): edits, deletions and reordering are found."""

import hashlib
import itertools
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse

from qingshen.trail import archive, chain
from qingshen.trail.models import ChainHead, Event
from qingshen.trail.services import MASK, event_record
from tests.trail.tamper import tamper_delete, tamper_update


def test_sm3_is_the_standard_one():
    assert hashlib.new("sm3", b"abc").hexdigest() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert chain.sm3_hex(b"abc").startswith("66c7f0f4")


def test_every_event_links_to_the_previous_one(world):
    events = list(Event.objects.order_by("seq"))
    assert len(events) > 5
    assert events[0].prev_digest == chain.GENESIS
    for prev, event in itertools.pairwise(events):
        assert event.seq == prev.seq + 1 and event.prev_digest == prev.digest
        assert event.digest == chain.digest_of(event)
    head = ChainHead.objects.get(pk=1)
    assert head.seq == events[-1].seq and head.digest == events[-1].digest
    verdict = chain.verify()
    assert verdict.ok and verdict.checked == len(events)
    call_command("verify_log", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _middle(world):
    for i in range(6):
        event_record(action="test.filler", note=str(i))
    events = list(Event.objects.order_by("seq"))
    return events[len(events) // 2]


def test_an_edited_row_is_found(world):
    target = _middle(world)
    tamper_update(target.pk, note="changed afterwards")
    verdict = chain.verify()
    assert not verdict.ok and verdict.broken_seq == target.seq and verdict.broken_id == target.pk
    with pytest.raises(CommandError, match=f"row {target.seq}"):
        call_command("verify_log")


def test_an_edited_before_value_is_found(world):
    target = Event.objects.filter(before__isnull=False).order_by("seq").first() or _middle(world)
    tamper_update(target.pk, before={"state": "forged"})
    assert chain.verify().broken_seq == target.seq


def test_a_deleted_row_is_found(world):
    target = _middle(world)
    tamper_delete(target.pk)
    verdict = chain.verify()
    assert not verdict.ok and verdict.broken_seq == target.seq + 1


def test_a_deleted_last_row_is_found(world):
    last = Event.objects.order_by("-seq").first()
    tamper_delete(last.pk)
    verdict = chain.verify()
    assert not verdict.ok and verdict.broken_seq == last.seq


def test_reordered_rows_are_found(world):
    a, b = list(Event.objects.order_by("seq"))[3:5]
    tamper_update(a.pk, seq=-1)
    tamper_update(b.pk, seq=a.seq)
    tamper_update(a.pk, seq=b.seq)
    verdict = chain.verify()
    assert not verdict.ok and verdict.broken_seq == a.seq


def test_a_recomputed_row_still_breaks_the_next_link(world):
    """Rewriting one row with its own correct digest still breaks the following row's link."""
    target = _middle(world)
    target.note = "forged"
    target.digest = chain.digest_of(target)
    tamper_update(target.pk, note=target.note, digest=target.digest)
    assert chain.verify().broken_seq == target.seq + 1


def test_secrets_are_masked(db):
    event = event_record(
        action="test.secret",
        before={"password": "old-secret", "name": "张三"},
        after={"api_key": "k-123", "otp_token": "123456", "nested": {"secret": "x"}, "role": "city"},
    )
    event.refresh_from_db()
    assert event.before == {"password": MASK, "name": "张三"}
    assert event.after["api_key"] == MASK and event.after["otp_token"] == MASK
    assert event.after["nested"] == {"secret": MASK} and event.after["role"] == "city"


def test_prune_archives_then_removes_and_the_chain_stays_verifiable(world, tmp_path):
    for i in range(8):
        event_record(action="test.filler", note=str(i))
    events = list(Event.objects.order_by("seq"))
    cut = events[6]
    done = archive.prune(older_than=cut.at, archive_dir=tmp_path)
    assert done["count"] >= 1 and done["through_seq"] < cut.seq
    kept_first = Event.objects.order_by("seq").first()
    assert kept_first.seq == done["through_seq"] + 1
    lines = (tmp_path / (done["archive"].rsplit("/", 1)[1])).read_text().splitlines()
    assert len(lines) == done["count"]
    assert Event.objects.filter(action="log.prune").exists()
    assert chain.verify().ok
    # The archive's digest file matches the archive.
    digest_line = next(tmp_path.glob("*.sm3")).read_text()
    assert digest_line.split()[0] == done["archive_sm3"]


def test_prune_command_uses_the_retention_parameter(world, tmp_path):
    count = Event.objects.count()
    call_command("prune_log", "--archive-dir", str(tmp_path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Event.objects.count() == count  # nothing is 190 days old
    assert not list(tmp_path.iterdir())


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers (IMMEDIATE transactions)")
    writers, each = 8, 25
    barrier = threading.Barrier(writers)

    def write(n):
        try:
            barrier.wait()
            for i in range(each):
                event_record(action="test.race", note=f"{n}-{i}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Event.objects.filter(action="test.race").count() == writers * each
    verdict = chain.verify()
    assert verdict.ok, verdict.reason


# --- The auditor's pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["auditor", "security", "sysadmin", "city", "enterprise"])
def test_verify_and_export_pages_are_for_the_auditor(world, client_for, role):
    client = client_for(world.users[role])
    expected = 200 if role == "auditor" else 404
    assert client.get(reverse("log-verify")).status_code == expected
    assert client.get(reverse("log-export"), {"format": "csv"}).status_code == expected
    assert client.get(reverse("log-export"), {"format": "xlsx"}).status_code == expected


def test_verify_page_shows_the_first_broken_link(world, client_for):
    client = client_for(world.users["auditor"])
    assert 'id="verify-ok"' in client.get(reverse("log-verify")).content.decode()
    target = _middle(world)
    tamper_update(target.pk, object_repr="forged")
    page = client.get(reverse("log-verify")).content.decode()
    assert f'data-seq="{target.seq}"' in page


def test_export_is_logged_and_escapes_formulas(world, client_for):
    event_record(action="test.formula", note="=HYPERLINK(1)")
    client = client_for(world.users["auditor"])
    response = client.get(reverse("log-export"), {"format": "csv", "action": "test."})
    body = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body and "case.create" not in body
    assert Event.objects.filter(action="log.export", actor=world.users["auditor"]).exists()
    xlsx = client.get(reverse("log-export"), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    assert client.get(reverse("log-export"), {"format": "pdf"}).status_code == 404


def test_log_list_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users["auditor"])
    for i in range(30):
        event_record(action="test.bulk", note=str(i))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("event-list")).status_code == 200
